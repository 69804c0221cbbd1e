#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make fuzz: long runs of the fuzzers (selftests/fuzz_pagemap, fuzz_kmem)
# in the VM, beyond the minute make check gives them.  Each module's time
# is split between its walk and its input-grammar run.  A finding prints
# its seed and the shortest sequence that still fails; SEED= and CASE=
# (and INPUTS=1) replay it.
#
#   scripts/fuzz.sh [-s SECONDS] [-k 6.1|6.12|all] [-m pagemap|kmem|all]
#                   [--seed S] [--case C] [--inputs]
#
# Logs: results/fuzz-<kernel>-<module>.{log,console}.  Exit status: the
# number of runs with a finding.

set -uo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$HOTMEM_ROOT" || exit 1

secs=1800 kernels=all modules=all seed="" case="" inputs=0
while [ $# -gt 0 ]; do
	case $1 in
	-s|--seconds) secs=$2; shift ;;
	-k|--kernel) kernels=$2; shift ;;
	-m|--module) modules=$2; shift ;;
	--seed) seed=$2; shift ;;
	--case) case=$2; shift ;;
	--inputs) inputs=1 ;;
	*) hm_die "fuzz.sh: unknown argument $1" ;;
	esac
	shift
done
[ "$kernels" = all ] && kernels="${HOTMEM_LINES[*]}"
[ "$modules" = all ] && modules="pagemap kmem"
mkdir -p results

half=$((secs / 2)) found=0
for k in $kernels; do
	for m in $modules; do
		suite=fuzz_$m
		[ -d "selftests/$suite" ] || hm_die "no fuzzer for module $m"
		tests=$suite
		if [ -n "$case" ]; then
			tests="$suite:fz.walk"
			[ "$inputs" = 1 ] && tests="$suite:fz.inputs"
		fi
		envs=(--env "HOTMEM_FUZZ_SECONDS=$half"
		      --env "HOTMEM_TEST_TIMEOUT=$((half + 900))")
		[ -n "$seed" ] && envs+=(--env "HOTMEM_FUZZ_SEED=$seed")
		[ -n "$case" ] && envs+=(--env "HOTMEM_FUZZ_CASE=$case")
		log=results/fuzz-$k-$m
		hm_log "fuzz: $m on $k, ${secs}s"
		# shellcheck disable=SC2046 # vmargs are words
		scripts/vm.sh -k "$k" $(cat "selftests/$suite/vmargs") "${envs[@]}" \
			--timeout $((secs + 2400)) --log "$log.console" -t "$tests" \
			> "$log.log" 2>&1
		st=$?
		grep -a -E '^# # (fuzz |[a-z]+: [0-9]+ cases)' "$log.console" |
			sed "s/^# # /fuzz: $k: /" | tr -d '\r'
		grep -E '^(not )?ok ' "$log.log"
		if [ "$st" != 0 ]; then
			found=$((found + 1))
			grep -E '^#! # (FINDING|reproduce|shortest|step)' "$log.log" | head -40
		fi
	done
done
echo "fuzz: $found run(s) with a finding"
exit "$found"
