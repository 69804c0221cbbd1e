#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: the hot-add benchmark (selftests/bench/kmem_bench.c) in one VM
# run per kernel, in-kernel kmem and hotmem_kmem side by side.  Guest RAM is
# preallocated (or the host's first touch, ~2.8 s/GiB, is what gets
# measured) and the CPU model pinned (no ERMS: "rep stosb" is slow under
# TCG).  Writes results/bench-<kernel>.{txt,json}.
#
# make bench-pagemap (--pagemap): selftests/bench/pagemap_bench.c instead,
# hotmem_pagemap instances against in-kernel device-dax devices, in one VM
# run per kernel.  Writes results/bench-pagemap-<kernel>.{txt,json} and a
# plot of them, results/bench-pagemap-<kernel>.png (scripts/bench-plot.py).
#
# make bench-migrate (--migrate): selftests/bench/migrate_bench.c,
# migration throughput of hotmem_pagemap's coherent (and, on the debug
# kernel, private) instances, and of lib/test_hmm's devices where the
# kernel has it (the debug kernel), in one VM run per kernel.  Writes
# results/bench-migrate-<kernel>.{txt,json}.
#
# make bench-breakdown (--breakdown): kmem_bench --breakdown on the test
# build, where hotmem_kmem's time goes: each phase split by the shim's
# call log into its kernel calls and the gaps between them.  Writes
# results/bench-breakdown-<kernel>.txt; --pagemap-breakdown the same of
# hotmem_pagemap (pagemap_bench --breakdown), with device-dax's wall time
# for the same work: results/bench-pagemap-breakdown-<kernel>.txt.
#
# usage: bench.sh [--pagemap|--migrate|--breakdown|--pagemap-breakdown]
#        [6.1|6.12|debug ...]
#        (default: 6.1 6.12)
# HOTMEM_BENCH_RUNS=N: N runs a cell instead of 5.

set -uo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
res=$HOTMEM_ROOT/results
mkdir -p "$res"
rc=0
vmextra=()

# name, guest program, soft-reserved size, time limit, first table line
name=bench prog=kmem_bench sr=16G limit=5400 first='^driver '
what="5 runs x (1, 4, 16 GiB) x drivers"
if [ "${1:-}" = --pagemap ]; then
	shift
	# 4 GiB for device-dax + 4 GiB for hotmem_pagemap, each half of 10 GiB
	name=bench-pagemap prog=pagemap_bench sr=10G limit=5400 first='^== '
	what="5 runs x (1, 64, 1024 instances; 2 MiB-4 GiB; 64 ranges) x 4 configurations"
fi
if [ "${1:-}" = --migrate ]; then
	shift
	# test_hmm's two coherent devices on the lower 512 MiB, hotmem above
	name=bench-migrate prog=migrate_bench sr=1G limit=5400 first='^== '
	# nothing may take the range first (6.12 binds it to kmem at boot)
	vmextra=(--append module_blacklist=dax_hmem)
	what="5 runs x (4 KiB - 64 MiB a call) x (hotmem, test_hmm) x (coherent, private)"
fi
json=1
if [ "${1:-}" = --breakdown ]; then
	shift
	name=bench-breakdown prog="kmem_bench --breakdown" sr=16G limit=3600
	first='^== where' json=0
	vmextra=(--test-build)
	what="(1, 4, 16 GiB) x expedite_rcu on/off, once"
fi
if [ "${1:-}" = --pagemap-breakdown ]; then
	shift
	name=bench-pagemap-breakdown prog="pagemap_bench --breakdown" sr=10G
	limit=3600 first='^== where' json=0
	vmextra=(--test-build)
	what="(64 x 2 MiB, 4 GiB ram and dev, 64 ranges) x expedite_rcu on/off, once"
fi
kernels=("$@")
[ ${#kernels[@]} -gt 0 ] || kernels=(6.1 6.12)
for k in "${kernels[@]}"; do
	out=$res/$name-$k
	log=$out.log
	hm_log "$name on $k: $what; this takes a while"
	"$HOTMEM_ROOT/scripts/vm.sh" -k "$k" -p soft-reserved --sr-size "$sr" \
		--ram 1G --prealloc --cpu Nehalem --timeout "$limit" --log "$log" \
		"${vmextra[@]}" \
		-- "/hotmem/selftests/bench/$prog ${HOTMEM_BENCH_RUNS:-}" > /dev/null 2>&1
	st=$?
	if [ $json = 0 ]; then
		sed -n "s/\r$//; /$first/,/^HOTMEM-EXIT/p" "$log" |
			grep -v '^HOTMEM-EXIT' > "$out.txt"
		cat "$out.txt"
		if [ $st != 0 ] || [ ! -s "$out.txt" ]; then
			hm_log "$name on $k failed (status $st), see $log"
			rc=1
		fi
		continue
	fi
	sed -n "s/\r$//; /^# run /p; /$first/,/^BENCH-JSON-BEGIN/p" "$log" |
		grep -v BENCH-JSON > "$out.txt"
	sed -n '/^BENCH-JSON-BEGIN/,/^BENCH-JSON-END/p' "$log" | tr -d '\r' |
		sed '1d;$d' > "$out.json"
	grep -v '^# run ' "$out.txt"
	if [ $st != 0 ] || [ ! -s "$out.json" ]; then
		hm_log "$name on $k failed (status $st), see $log"
		rc=1
	elif [ $name = bench-pagemap ]; then
		"$HOTMEM_ROOT/scripts/bench-plot.py" "$out.json" "$out.png" || rc=1
	fi
done
exit $rc
