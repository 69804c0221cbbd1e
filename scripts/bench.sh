#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: the hot-add benchmark (selftests/bench/kmem_bench.c) in one VM
# run per kernel, in-kernel kmem and hotmem_kmem side by side.  Guest RAM is
# preallocated (or the host's first touch, ~2.8 s/GiB, is what gets
# measured) and the CPU model pinned (no ERMS: "rep stosb" is slow under
# TCG).  Writes results/bench-<kernel>.{txt,json}.
#
# usage: bench.sh [6.1|6.12 ...]   (default: both)

set -uo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
res=$HOTMEM_ROOT/results
mkdir -p "$res"
rc=0
kernels=("$@")
[ ${#kernels[@]} -gt 0 ] || kernels=(6.1 6.12)
for k in "${kernels[@]}"; do
	log=$res/bench-$k.log
	hm_log "bench on $k: 5 runs x (1, 4, 16 GiB) x drivers; this takes a while"
	"$HOTMEM_ROOT/scripts/vm.sh" -k "$k" -p soft-reserved --sr-size 16G \
		--ram 1G --prealloc --cpu Nehalem --timeout 5400 --log "$log" \
		-- /hotmem/selftests/bench/kmem_bench > /dev/null 2>&1
	st=$?
	sed -n 's/\r$//; /^# run /p; /^driver /,/^BENCH-JSON-BEGIN/p' "$log" |
		grep -v BENCH-JSON > "$res/bench-$k.txt"
	sed -n '/^BENCH-JSON-BEGIN/,/^BENCH-JSON-END/p' "$log" | tr -d '\r' |
		sed '1d;$d' > "$res/bench-$k.json"
	grep -v '^# run ' "$res/bench-$k.txt"
	if [ $st != 0 ] || [ ! -s "$res/bench-$k.json" ]; then
		hm_log "bench on $k failed (status $st), see $log"
		rc=1
	fi
done
exit $rc
