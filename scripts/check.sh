#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: set-up, lint, build for every kernel, the runner's own
# self-tests, then every selftest suite in the VM on every supported
# kernel.  Ends with "N passed, N failed, N skipped"; non-zero on failure.
# Logs go to results/.

set -uo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$HOTMEM_ROOT" || exit 1

pass=0 fail=0 skip=0 failed=()
t0=$(date +%s)
RES=$HOTMEM_ROOT/results
mkdir -p "$RES"

# result NAME ok|fail|skip [why]
result() {
	case $2 in
	ok) pass=$((pass + 1)); echo "check: ok   $1" ;;
	skip) skip=$((skip + 1)); echo "check: skip $1${3:+ ($3)}" ;;
	*) fail=$((fail + 1)); failed+=("$1"); echo "check: FAIL $1${3:+ ($3)}" ;;
	esac
}

step() {
	local name=$1
	shift
	if "$@" > "$RES/$name.log" 2>&1; then
		result "$name" ok
	else
		result "$name" fail "see results/$name.log"
		tail -n 30 "$RES/$name.log" | sed 's/^/    /'
		return 1
	fi
}

# nothing else can run without the set-up
if ! step setup scripts/setup.sh; then
	echo "$pass passed, $fail failed, $skip skipped"
	exit 1
fi
if ! scripts/lint.sh > "$RES/lint.log" 2>&1; then
	:
fi
while read -r line; do
	case $line in
	"lint: "*": ok") result "${line%: ok}" ok ;;
	"lint: "*": FAILED") result "${line%: FAILED}" fail "see results/lint.log" ;;
	esac
done < "$RES/lint.log"
for k in $(hm_kvers); do
	step "build-$k" make --no-print-directory test-modules KVER="$k" \
		KDIR="$(hm_kdir "$k")" || true
done
step build-selftests make --no-print-directory selftests || true
step dkms-check scripts/dkms-check.sh || true

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

# runner_selftests: the runner must report known outcomes as such.
runner_selftests() {
	local log=$RES/runner.log
	scripts/vm.sh -k 6.1 -p none --timeout 180 -t runner > "$log" 2>&1
	expect() {
		if grep -qE "^$2 [0-9]+ runner:global\\.$1( |$)$3" "$log"; then
			result "runner-selftest:$1" ok
		else
			result "runner-selftest:$1" fail "expected '$2 ... $3'"
		fi
	}
	expect pass "ok" ""
	expect skip "ok" ".*# SKIP runner self-test skip"
	expect fail "not ok" ""
	expect warn "not ok" ".*unexpected kernel log: .*WARNING:"
	expect warn_declared "ok" ""
	expect hang "not ok" ".*timeout after 5s"

	# expect_vm NAME STATUS MAX_SECONDS VM.SH-ARGS...
	expect_vm() {
		local name=$1 want=$2 max=$3 rc t
		shift 3
		t=$(date +%s)
		scripts/vm.sh -k 6.1 -p none "$@" > "$RES/runner-$name.log" 2>&1
		rc=$? t=$(($(date +%s) - t))
		if [ "$rc" = "$want" ] && [ "$t" -le "$max" ]; then
			result "runner-selftest:$name" ok
		else
			result "runner-selftest:$name" fail "status $rc after ${t}s, want $want within ${max}s"
		fi
	}
	# retried_twice NAME WHY: the run NAME retried its boot twice for WHY
	retried_twice() {
		if [ "$(grep -c "$2.*retrying" "$RES/runner-$1.log")" != 2 ]; then
			result "runner-selftest:$1-twice" fail "see results/runner-$1.log"
		else
			result "runner-selftest:$1-twice" ok
		fi
	}
	expect_vm guest-hang-is-timeout 124 40 --timeout 25 -- sleep 3600
	expect_vm guest-panic-reported 120 60 --timeout 60 -- 'echo c > /proc/sysrq-trigger'
	expect_vm guest-status-returned 7 60 --timeout 60 -- 'exit 7'
	# a guest dying before its job starts is retried twice, then reported
	expect_vm boot-panic-retried 120 120 --timeout 60 \
		--append "rdinit=/nonexistent init=/nonexistent" -- true
	retried_twice boot-panic-retried 'died while booting'
	# a boot that reports a bug or taints the kernel is not a clean start:
	# retried twice, then the run fails without running its job
	expect_vm boot-dirty-log-retried 122 120 --timeout 60 \
		--append hotmem.selftest=dirty-log -- true
	retried_twice boot-dirty-log-retried 'boot not clean'
	expect_vm boot-taint-retried 122 120 --timeout 60 \
		--append hotmem.selftest=taint -- true
	retried_twice boot-taint-retried 'boot not clean'
}
[ -z "${HOTMEM_SKIP_RUNNER_SELFTESTS:-}" ] && runner_selftests

suites=${HOTMEM_SUITES:-$(grep -oP '^SUITES \?= \K.*' selftests/Makefile)}
for line in "${HOTMEM_LINES[@]}"; do
	k=$(hm_kver "$line")
	for s in $suites; do
		[ "$s" = runner ] && continue
		log=$RES/$line-$s.log
		echo "check: $s on $k"
		# shellcheck disable=SC2046
		scripts/vm.sh -k "$k" $(cat "selftests/$s/vmargs" 2>/dev/null) \
			--timeout 900 --log "$RES/$line-$s.console" -t "$s" 2>&1 |
			tee "$log" | grep -E '^(not )?ok |^#! |^hotmem: (TIMEOUT|GUEST|BOOT)'
		st=${PIPESTATUS[0]}
		tap_tally "$log" "$line:"
		case $st in
		0|1) ;;
		*) result "$line:$s:vm" fail "vm.sh status $st, see $log" ;;
		esac
	done
done

echo
echo "check: took $(($(date +%s) - t0))s on $(nproc) cores; logs in results/"
for f in "${failed[@]}"; do
	echo "check: failed: $f"
done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
