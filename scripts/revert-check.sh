#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# revert-check.sh [-k LANE] [PATCH...]: show that the tests find a bug:
# the fixes of issue 10 undone (selftests/reverts/, the default), or the
# bugs planted for the debug kernel's detectors (selftests/bugs/, with
# -k debug).  For each patch: a copy of the tree at HEAD with the patch
# applied, its modules and selftests built, and every test of the patch's
# "Check:" line run in the VM, each of which must fail.  Prints "found"
# or "MISSED" per test.  Exit status: the number of tests that missed.

set -uo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$HOTMEM_ROOT" || exit 1

line=6.1
if [ "${1:-}" = -k ]; then
	line=$2
	shift 2
fi
kver=$(hm_kver "$line")
[ -n "$kver" ] || hm_die "no kernel for $line: make setup"
patches=("$@")
[ ${#patches[@]} -gt 0 ] || patches=(selftests/reverts/*.patch)
missed=0
for p in "${patches[@]}"; do
	name=$(basename "$p" .patch)
	tmp=$(mktemp -d)
	git worktree add -q --detach "$tmp" HEAD || hm_die "worktree"
	if ! git -C "$tmp" apply "$HOTMEM_ROOT/$p" ||
	   ! make -C "$tmp" --no-print-directory modules selftests KVER="$kver" \
		KDIR="$(hm_kdir "$kver")" > "$tmp/build.log" 2>&1; then
		tail -n 20 "$tmp/build.log"
		hm_die "$name: does not apply or build"
	fi
	read -r -a tests <<< "$(sed -n 's/^Check: //p' "$p")"
	for t in "${tests[@]}"; do
		suite=${t%%:*}
		# shellcheck disable=SC2046 # vmargs are words
		if "$tmp/scripts/vm.sh" -k "$kver" $(cat "selftests/$suite/vmargs") \
			--timeout 1200 -t "$t" > "results/revert-$name-${t//[:.]/-}.log" 2>&1; then
			echo "revert-check: $name: $t: MISSED (passed with the patch applied)"
			missed=$((missed + 1))
		else
			echo "revert-check: $name: $t: found: $(grep -m1 -E 'FINDING|Expected|worker|unexpected kernel log|kmemleak|not ok' \
				"results/revert-$name-${t//[:.]/-}.log" | cut -c1-160)"
		fi
	done
	git worktree remove --force "$tmp"
done
exit "$missed"
