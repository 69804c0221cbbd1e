#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: set-up (the Debian kernels and the debug kernel), lint, build
# for every kernel, the runner's own self-tests, then the selftest suites
# in the VM on every lane: all of them on 6.1 and 6.12, what the issue
# asks of cloud and rt where their configs allow it, and on the debug
# kernel every suite but the sweeps, of which it runs one per module (the
# rest is make check-debug's, and the summary says so).
#
#   scripts/check.sh            make check
#   scripts/check.sh --debug    make check-debug: every suite on the debug
#                               kernel, and nothing else but what it needs
#
# VM runs go HOTMEM_JOBS (default: the number of cores) at a time.  Ends
# with "N passed, N failed, N skipped"; non-zero on failure.  Logs go to
# results/, the time each VM run took to results/times.txt.

set -uo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$HOTMEM_ROOT" || exit 1

mode=check
[ "${1:-}" = --debug ] && mode=debug
pass=0 fail=0 skip=0 failed=() left=()
t0=$(date +%s)
RES=$HOTMEM_ROOT/results
mkdir -p "$RES"
[ -n "${HOTMEM_CHECK_PLAN:-}" ] || : > "$RES/times.txt"

# result NAME ok|fail|skip [why]
result() {
	case $2 in
	ok) pass=$((pass + 1)); echo "check: ok   $1" ;;
	skip) skip=$((skip + 1)); echo "check: skip $1${3:+ ($3)}" ;;
	*) fail=$((fail + 1)); failed+=("$1"); echo "check: FAIL $1${3:+ ($3)}" ;;
	esac
}

step() {
	local name=$1 t=$SECONDS rc=0
	shift
	"$@" > "$RES/$name.log" 2>&1 || rc=$?
	echo "$name $((SECONDS - t))s" >> "$RES/times.txt"
	if [ $rc = 0 ]; then
		result "$name" ok
	else
		result "$name" fail "see results/$name.log"
		tail -n 30 "$RES/$name.log" | sed 's/^/    /'
		return 1
	fi
}

# margins: the tests of this run's VM runs (results/LANE_SUITES.log) that
# took more than half their time limit
margins() {
	local name _ logs=() dflt=${HOTMEM_TIME_SCALE:-1} debug
	[ -z "${HOTMEM_CHECK_PLAN:-}" ] && [ -f "$RES/times.txt" ] || return 0
	# the scale vm.sh gives each lane
	debug=${HOTMEM_TIME_SCALE:-$(hm_time_scale "$(hm_kver debug | tail -n 1)")}
	while read -r name _; do
		case $name in
		*_*) [ -f "$RES/$name.log" ] && logs+=("$RES/$name.log") ;;
		esac
	done < "$RES/times.txt"
	[ ${#logs[@]} -eq 0 ] || scripts/test-margins.sh -d "$dflt" -s "debug=$debug" "${logs[@]}" || true
}

summary() {
	local f
	echo
	echo "check: took $(($(date +%s) - t0))s on $(nproc) cores; logs in results/, times in results/times.txt"
	for f in "${left[@]}"; do
		echo "check: left to make check-debug: $f"
	done
	# a test above half its time limit is one slow run from a timeout
	while read -r f; do
		echo "check: near its time limit: $f"
	done < <(margins)
	for f in "${failed[@]}"; do
		echo "check: failed: $f"
	done
	echo "$pass passed, $fail failed, $skip skipped"
	[ "$fail" -eq 0 ]
}

# HOTMEM_CHECK_PLAN=1: only print the VM runs it would make
if [ -z "${HOTMEM_CHECK_PLAN:-}" ]; then
	# nothing else can run without the set-up
	if ! step setup scripts/setup.sh || ! step debug-kernel scripts/debug-kernel.sh; then
		summary
		exit 1
	fi

	if [ $mode = check ]; then
		scripts/lint.sh > "$RES/lint.log" 2>&1
		while read -r line; do
			case $line in
			"lint: "*": ok") result "${line%: ok}" ok ;;
			"lint: "*": FAILED") result "${line%: FAILED}" fail "see results/lint.log" ;;
			esac
		done < "$RES/lint.log"
		kvers=$(hm_kvers)
	else
		kvers=$(hm_kver debug)
	fi
	for k in $kvers; do
		step "build-$k" make --no-print-directory -j"$(nproc)" test-modules KVER="$k" \
			KDIR="$(hm_kdir "$k")" || true
	done
	step build-selftests make --no-print-directory selftests || true
	[ $mode = check ] && { step dkms-check scripts/dkms-check.sh || true; }
fi

# tap_tally LOG PREFIX: count a suite's TAP lines into the totals.
tap_tally() {
	local log=$1 prefix=$2 planned ran=0 line id
	planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$log" | tail -1)
	while read -r line; do
		id=${line#* [0-9]* }
		id=${id#[0-9]* }
		id=${id%% #*}
		ran=$((ran + 1))
		case $line in
		"not ok "*) result "$prefix$id" fail "${line##*# }" ;;
		*"# SKIP"*) result "$prefix$id" skip "${line##*# SKIP }" ;;
		*) result "$prefix$id" ok ;;
		esac
	done < <(grep -E '^(not )?ok [0-9]+ ' "$log")
	if [ -z "$planned" ] || [ "$ran" -lt "$planned" ]; then
		result "${prefix}results" fail "ran $ran of ${planned:-?} planned"
	fi
}

# The VM runs, HOTMEM_JOBS at a time.  A job is "NAME VM.SH-ARGS...",
# NAME "LANE_SUITE" or "runner-WHAT"; it leaves results/NAME.log,
# NAME.console and NAME.rc.
JOBS=${HOTMEM_JOBS:-$(nproc)}
running=()

# job_start NAME ARGS...: start one VM run in the background
job_start() {
	local name=$1
	shift
	rm -f "$RES/$name.rc"
	(
		s=$SECONDS
		scripts/vm.sh --log "$RES/$name.console" "$@" > "$RES/$name.log" 2>&1
		rc=$?
		echo "$name $((SECONDS - s))s" >> "$RES/times.txt"
		echo "$rc" > "$RES/$name.rc"
	) &
	running+=("$name")
}

# job_reap: wait for one job to end, and count what every ended job did
job_reap() {
	local name still=()
	wait -n
	for name in "${running[@]}"; do
		if [ -f "$RES/$name.rc" ]; then
			job_done "$name"
		else
			still+=("$name")
		fi
	done
	running=("${still[@]}")
}

# failure_lines NAME: what each failed test of a run printed (its
# harness's "# " lines on the console, the last 30), for a CI log that
# is all there is of a failure on another machine
failure_lines() {
	local t
	grep -oP '^not ok [0-9]+ [^:]+:\K[^ ]+' "$RES/$1.log" | head -n 5 |
	while read -r t; do
		echo "    --- $t:"
		# from the test's RUN line to its harness's result line (ok too:
		# a kernel report or a leak fails a test the harness passed),
		# or to the next test's start (a timeout has no result line)
		awk -v t="$t" '
			on && (/^# (not )?ok [0-9]+ / || /^(not )?ok [0-9]+ / ||
			       /^# #  RUN /) { on = 0 }
			index($0, "#  RUN ") && index($0, " " t " ") { on = 1; n = 0 }
			on && /^# / { l[n++ % 30] = $0 }
			END { for (i = (n > 30 ? n - 30 : 0); i < n; i++) print "    " l[i % 30] }
		' "$RES/$1.console"
	done
}

# job_done NAME: count the TAP lines of a suite run, or the status of a
# runner self-test run (NAME runner-*, whose expected status is in
# results/NAME.want)
job_done() {
	local name=$1 rc
	rc=$(cat "$RES/$name.rc")
	echo "check: $name ended (status $rc, $(grep "^$name " "$RES/times.txt" | cut -d' ' -f2))"
	case $name in
	runner-*) runner_done "$name" "$rc" ;;
	*)
		grep -E '^not ok |^hotmem: (TIMEOUT|GUEST|BOOT)' "$RES/$name.log" | head -n 20
		failure_lines "$name"
		tap_tally "$RES/$name.log" "${name%%_*}:"
		case $rc in
		0|1) ;;
		*) result "$name:vm" fail "vm.sh status $rc, see results/$name.log" ;;
		esac ;;
	esac
}

# job_add NAME ARGS...: run a job when a slot is free
job_add() {
	if [ -n "${HOTMEM_CHECK_PLAN:-}" ]; then
		echo "check: plan: $*"
		return
	fi
	while [ ${#running[@]} -ge "$JOBS" ]; do
		job_reap
	done
	job_start "$@"
}

jobs_wait() {
	while [ ${#running[@]} -gt 0 ]; do
		job_reap
	done
}

# --- the runner's self-tests: it must report known outcomes as such ---
runner_done() {
	local name=$1 rc=$2 want max t
	read -r want max < "$RES/$name.want"
	t=$(grep "^$name " "$RES/times.txt" | cut -d' ' -f2)
	t=${t%s}
	case $name in
	runner-tests) runner_tap ;;
	*)
		if [ "$rc" = "$want" ] && [ "$t" -le "$max" ]; then
			result "runner-selftest:${name#runner-}" ok
		else
			result "runner-selftest:${name#runner-}" fail "status $rc after ${t}s, want $want within ${max}s"
		fi ;;
	esac
	case $name in
	runner-boot-*) runner_retried "$name" ;;
	esac
}

runner_tap() {
	local log=$RES/runner-tests.log
	# expect TEST VERDICT REST [FIXTURE.VARIANT]
	expect() {
		local id=${4:-global}.$1
		if grep -qE "^$2 [0-9]+ runner:${id//./\\.}( |$)$3" "$log"; then
			result "runner-selftest:${4:+$4.}$1" ok
		else
			result "runner-selftest:${4:+$4.}$1" fail "expected '$2 ... $3'"
		fi
	}
	expect pass "ok" ""
	expect skip "ok" ".*# SKIP runner self-test skip"
	expect fail "not ok" ""
	expect warn "not ok" ".*unexpected kernel log: .*WARNING:"
	expect warn_declared "ok" ""
	expect hang "not ok" ".*timeout after 5s"
	expect detector_lines "ok" ""
	expect allowed_block "ok" ""
	expect overlong_command "not ok" ""
	expect long_names "ok" "" a_fixture_over_twenty_columns.a_variant_over_twenty_five_columns
	expect long_names "ok" "" a_fixture_over_twenty_columns.short
}

# a run that cannot boot cleanly retried its boot twice
runner_retried() {
	local why='died while booting'
	case $1 in runner-boot-dirty-*|runner-boot-taint-*) why='boot not clean' ;; esac
	if [ "$(grep -c "$why.*retrying" "$RES/$1.log")" != 2 ]; then
		result "runner-selftest:${1#runner-}-twice" fail "see results/$1.log"
	else
		result "runner-selftest:${1#runner-}-twice" ok
	fi
}

# runner_vm NAME STATUS MAX_SECONDS VM.SH-ARGS...
runner_vm() {
	local name=runner-$1
	echo "$2 $3" > "$RES/$name.want"
	shift 3
	job_add "$name" -k 6.1 -p none "$@"
}

# --- the suites on every lane ---
ALL=$(grep -oP '^SUITES \?= \K.*' selftests/Makefile)
ALL=${HOTMEM_SUITES:-${ALL/runner/}}
TABLES="plan pagemap_subsec parse"
SWEEPS="sweep sweep_kmem sweep_alloc sweep_alloc_kmem"
# What make check runs on each lane ("all": every suite its config
# allows).  The table tests build kmod/ files as user space: they need no
# particular kernel and run on 6.1 and 6.12 (and in make check-debug).
# The debug kernel runs every suite but the sweeps, and one sweep of each
# module; make check-debug runs the rest.
lane_suites() {
	case $1 in
	*-cloud) echo "kmem kmem_fallback kmem_numa kmem_cxl kmem_2g fuzz_kmem race_kmem pagemap pagemap_dax pagemap_migrate fuzz_pagemap race_pagemap" ;;
	*-rt) echo "pagemap pagemap_dax pagemap_migrate sweep fuzz_pagemap race_pagemap" ;;
	debug)
		for s in $ALL; do
			case " $TABLES " in
			*" $s "*) [ $mode = debug ] && echo "$s" ;;
			*) echo "$s" ;;
			esac
		done ;;
	*) echo "$ALL" ;;
	esac
}
# the sweeps of the debug lane in make check: one of each module, and the
# one only a kernel with CONFIG_DEVICE_PRIVATE can run (the platform
# suite's are left too)
# The allocation sweep of a kmem plug (about 350 s there) is left to
# make check-debug with the rest: make check stays within 45 minutes.
DEBUG_SWEEPS=(sweep:sw.pagemap_enable_dev_multi sweep:sw.pagemap_enable_private
	sweep_kmem:swk.kmem_plug)
PLATFORM_NO_SWEEP=platform:pf.describe_and_clear,platform:pf.bad_input,platform:pf.dax_kmem,platform:pf.pagemap_map

# unmet KVER SUITE: the kernel options SUITE needs that KVER lacks
unmet() {
	local opt cfg
	cfg=$(hm_kconfig "$1")
	[ -f "selftests/$2/requires" ] || return 0
	while read -r opt; do
		case $opt in CONFIG_*) ;; *) continue ;; esac
		grep -qE "^$opt=[ym]" "$cfg" || echo "$opt"
	done < "selftests/$2/requires"
}

# lane_tests LANE SUITE: what of SUITE the lane runs (SUITE, or tests)
lane_tests() {
	local t
	if [ "$1" != debug ] || [ $mode = debug ]; then
		echo "$2"
		return
	fi
	case " $SWEEPS " in
	*" $2 "*)
		t=$(printf '%s\n' "${DEBUG_SWEEPS[@]}" | grep "^$2:" | paste -sd,)
		left+=("debug:$2 (${t:+all but }${t:-all})")
		echo "$t" ;;
	*)
		if [ "$2" = platform ]; then
			left+=("debug:platform (its sweeps)")
			echo "$PLATFORM_NO_SWEEP"
		else
			echo "$2"
		fi ;;
	esac
}

# the debug lane's long runs first, the runner's short ones last
if [ $mode = check ]; then
	lanes=(debug "${HOTMEM_DEBIAN_LANES[@]}")
else
	lanes=(debug)
fi
[ $mode = check ] && left+=("debug: the table tests ($TABLES), which run in user space")
# Roughly what each suite's tests take on the debug kernel, in seconds
# (make check-debug, two VMs at a time; a boot is about a minute more).
# A lane's VM runs start longest first, so that the two slots end close
# together; a suite not listed counts 60.  An estimate, never a limit.
declare -A COST=([sweep_alloc_kmem]=900 [platform]=650 [sweep_alloc]=650
	[sweep]=620 [baseline]=400 [sweep_kmem]=390 [kmem]=300
	[pagemap]=150 [fuzz_pagemap]=150 [fuzz_kmem]=150 [pagemap_dax]=190
	[race_pagemap]=60 [race_kmem]=60 [kmem_numa]=120 [kmem_fallback]=60
	[pagemap_migrate]=800 [hmm_ref]=60)
# Too long to share a boot in make check-debug: a VM run of their own.
SOLO=" sweep_alloc_kmem "
# Last in their boot: baseline's zz_kernel controls end with a lockdep
# report (lockdep is off after it) and a kmem bind that fails until the
# next boot.  The table tests share its vmargs and run first.
LAST=" baseline "

# Suites of a lane that boot the same VM (the same vmargs) share one
# boot: a boot of the debug kernel takes a minute.
for lane in "${lanes[@]}"; do
	k=$(hm_kver "$lane")
	[ -n "$k" ] || { result "$lane" fail "no kernel for lane $lane"; continue; }
	unset group last cost
	declare -A group=() last=() cost=()
	order=()
	for s in $(lane_suites "$lane"); do
		miss=$(unmet "$k" "$s" | tr '\n' ' ')
		if [ -n "$miss" ]; then
			result "$lane:$s" skip "$k lacks ${miss% }"
			continue
		fi
		lane_tests "$lane" "$s" > "$RES/.tests"
		tests=$(cat "$RES/.tests")
		[ -n "$tests" ] || continue
		va=$(cat "selftests/$s/vmargs" 2>/dev/null)
		key=$va
		[ $mode = debug ] && [[ $SOLO = *" $s "* ]] && key="$va#$s"
		if [ -z "${cost[$key]+set}" ]; then
			order+=("$key")
			cost[$key]=0
		fi
		if [[ $LAST = *" $s "* ]]; then
			last[$key]="${last[$key]:+${last[$key]},}$tests"
		else
			group[$key]="${group[$key]:+${group[$key]},}$tests"
		fi
		cost[$key]=$((cost[$key] + ${COST[$s]:-60}))
	done
	# longest first (the sort is stable: SUITES order among equals)
	mapfile -t order < <(for key in "${order[@]}"; do
		printf '%s\t%s\n' "${cost[$key]}" "$key"
	done | sort -t$'\t' -k1,1nr -s | cut -f2-)
	for key in "${order[@]}"; do
		va=${key%%#*}
		tests=${group[$key]:-}
		[ -n "${last[$key]:-}" ] && tests="${tests:+$tests,}${last[$key]}"
		name=${lane}_$(echo "$tests" | tr ',' '\n' | cut -d: -f1 | uniq | paste -sd+)
		# the VM run's limit: 900 s, or three times its estimate (the
		# debug lane's hmm_ref+pagemap_migrate took 878 s of 900 with two
		# VMs at a time)
		limit=$((cost[$key] * 3 > 900 ? cost[$key] * 3 : 900))
		# shellcheck disable=SC2086 # vmargs are words
		job_add "$name" -k "$k" $va --timeout "$limit" -t "$tests"
	done
done
if [ $mode = check ] && [ -z "${HOTMEM_SKIP_RUNNER_SELFTESTS:-}" ]; then
	runner_vm tests 1 180 --timeout 180 -t runner
	runner_vm guest-hang-is-timeout 124 40 --timeout 25 -- sleep 3600
	runner_vm guest-panic-reported 120 60 --timeout 60 -- 'echo c > /proc/sysrq-trigger'
	runner_vm guest-status-returned 7 60 --timeout 60 -- 'exit 7'
	# a guest dying before its job starts is retried twice, then reported
	runner_vm boot-panic-retried 120 120 --timeout 60 \
		--append "rdinit=/nonexistent init=/nonexistent" -- true
	# a boot that reports a bug or taints the kernel is not a clean start:
	# retried twice, then the run fails without running its job
	runner_vm boot-dirty-log-retried 122 120 --timeout 60 \
		--append hotmem.selftest=dirty-log -- true
	runner_vm boot-taint-retried 122 120 --timeout 60 \
		--append hotmem.selftest=taint -- true
fi

jobs_wait
summary
