#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# layering.sh DIR: check that hotmem_pagemap's files call one way.  DIR
# holds its built objects (build/<release>/kmod/pagemap).  The order of
# hotmem_pagemap-y in kmod/pagemap/Kbuild is the order of the layers, top
# first (main -> region -> instance -> mapping -> cdev -> pgmap -> subsec
# -> parse): an object may use a symbol of an object after it, never of
# one before it.  The one exception is hpm_lock, the module's lock, which
# main.c defines and every layer takes.
# Exit status: 0, or 1 after naming each use that goes up.

set -euo pipefail
dir=${1:?usage: layering.sh DIR}
here=$(cd "$(dirname "$0")/.." && pwd)
mapfile -t objs < <(sed -n '/^hotmem_pagemap-y/,/[^\\]$/p' \
	"$here/kmod/pagemap/Kbuild" | sed 's/[\\[:space:]]\+/\n/g' |
	sed -n 's/\.o$//p')
[ ${#objs[@]} -gt 2 ] || { echo "layering: no object list in Kbuild"; exit 1; }

declare -A layer owner
for i in "${!objs[@]}"; do
	layer[${objs[$i]}]=$i
	while read -r sym; do
		owner[$sym]=${objs[$i]}
	done < <(nm --defined-only "$dir/${objs[$i]}.o" |
		awk '$2 ~ /^[TDBR]$/ { print $3 }')
done

bad=0
for o in "${objs[@]}"; do
	while read -r sym; do
		def=${owner[$sym]:-}
		if [ -z "$def" ] || [ "$sym" = hpm_lock ]; then
			continue
		fi
		if [ "${layer[$def]}" -lt "${layer[$o]}" ]; then
			echo "layering: $o.o uses $sym of $def.o, a layer above it"
			bad=1
		fi
	done < <(nm --undefined-only "$dir/$o.o" | awk '{ print $2 }')
done
[ "$bad" = 0 ] && echo "layering: ${objs[*]}: every use goes down"
exit "$bad"
