#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# wrap-check.sh BUILD_DIR KDIR: every function a hotmem module imports must be
# wrapped by the test build (kmod/test/wrap.list) or exempted with a reason
# (kmod/test/exempt.list), so that a new kernel call cannot escape the
# fault-injection sweeps unnoticed.  Fails naming what is unclassified.

set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
build=${1:?usage: wrap-check.sh BUILD_DIR KDIR}
kdir=${2:?usage: wrap-check.sh BUILD_DIR KDIR}
t=$HOTMEM_ROOT/kmod/test
known=$(mktemp)
trap 'rm -f "$known"' EXIT
# "SYMBOL reason": a listed symbol needs a reason
if awk '!/^#/ && NF == 1 { print FILENAME ": " $1 ": no reason given"; bad = 1 }
	END { exit bad }' "$t/wrap.list" "$t/exempt.list" >&2; then :; else exit 1; fi
awk '!/^#/ && NF { print $1 }' "$t/wrap.list" "$t/exempt.list" | sort -u > "$known"
rc=0
kos=("$build"/kmod/pagemap/hotmem_pagemap.ko)
# hotmem_kmem is built only where the kernel has the dax drivers (not rt)
grep -q '^CONFIG_DEV_DAX=[ym]' "$kdir/.config" && kos+=("$build"/kmod/kmem/hotmem_kmem.ko)
for ko in "${kos[@]}"; do
	[ -f "$ko" ] || { hm_log "wrap-check: $ko missing"; exit 1; }
	missing=$(nm -u "$ko" | awk '{ print $2 }' | sort -u | comm -23 - "$known")
	for s in $missing; do
		hm_log "wrap-check: ${ko##*/} imports $s: add it to kmod/test/wrap.list (and a wrapper) or to exempt.list with a reason"
		rc=1
	done
done
exit $rc
