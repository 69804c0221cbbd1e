#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What each of the debug kernel's detectors costs under TCG: one suite
# (default pagemap_dax) on stock 6.12 and on the debug kernel with every
# detector, then with kmemleak, KFENCE and lockdep's validation switched
# off one at a time and all together on the kernel command line.  KASAN
# (generic) cannot be switched off at boot: what the debug kernel costs
# with the three off is KASAN, DEBUG_VM, DEBUG_LIST and the rest of its
# config.  The runs go one at a time (a second VM on the 2 cores would be
# measured too).  Each config is booted twice: once to run nothing (the
# boot) and once to run the suite, whose assertions stay as they are.
# Writes results/detector-cost.txt.
#
# usage: detector-cost.sh [SUITE]

set -uo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
suite=${1:-pagemap_dax}
res=$HOTMEM_ROOT/results
out=$res/detector-cost.txt
mkdir -p "$res"
[ -d "$HOTMEM_ROOT/selftests/$suite" ] || { hm_log "no suite $suite"; exit 125; }
read -r -a va < <(cat "$HOTMEM_ROOT/selftests/$suite/vmargs" 2>/dev/null)

configs=(
	"6.12|stock 6.12|"
	"debug|debug, every detector|"
	"debug|debug, kmemleak=off|kmemleak=off"
	"debug|debug, KFENCE off|kfence.sample_interval=0"
	"debug|debug, lockdep validation off|lockdep.prove_locking=0"
	"debug|debug, all three off|kmemleak=off kfence.sample_interval=0 lockdep.prove_locking=0"
)

# run LOG ARGS...: print the seconds the VM run took and its status
run() {
	local log=$1 t=$SECONDS st
	shift
	"$HOTMEM_ROOT/scripts/vm.sh" --log "$log.console" "$@" > "$log" 2>&1
	st=$?
	echo "$((SECONDS - t)) $st"
}

printf '%-34s %7s %8s %8s  %s\n' config boot_s suite_s vs_stock tests > "$out"
base=""
i=0
for c in "${configs[@]}"; do
	IFS='|' read -r k name append <<< "$c"
	i=$((i + 1))
	args=(-k "$k" "${va[@]}")
	[ -n "$append" ] && args+=(--append "$append")
	hm_log "detector-cost: $name: boot"
	read -r boot st < <(run "$res/detector-cost-$i-boot.log" "${args[@]}" -- true)
	[ "$st" = 0 ] || boot="$boot(st$st)"
	hm_log "detector-cost: $name: $suite"
	read -r t st < <(run "$res/detector-cost-$i.log" "${args[@]}" --timeout 900 -t "$suite")
	tests="$(grep -c '^ok ' "$res/detector-cost-$i.log") ok, $(grep -c '^not ok ' "$res/detector-cost-$i.log") not ok, status $st"
	[ -n "$base" ] || base=$t
	printf '%-34s %7s %8s %8s  %s\n' "$name" "$boot" "$t" \
		"$(awk -v a="$t" -v b="$base" 'BEGIN { printf "%.2fx", a / b }')" \
		"$tests" >> "$out"
done
echo "suite $suite; seconds of wall time per VM run, boot included; $(nproc) cores, one VM at a time" >> "$out"
cat "$out"
