#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The quality gates, each on everything it applies to: checkpatch --strict
# and kernel-doc -Wall on every C file, sparse (C=2 -Wsparse-error) and a
# W=1 -Werror build of the modules for every supported kernel with the
# layering check of hotmem_pagemap (layering.sh), shellcheck on every
# script.  Tools come from the newest cached kernel source.
# Exit status: number of failed gates.

# shellcheck disable=SC2317 # the gate functions run through gate()
set -uo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$HOTMEM_ROOT" || exit 1

# The gates run side by side (the kernel builds take one at a time, each
# with make -j): each one's output goes to a file, and is printed in the
# order of the gates once all are done.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
names=()
gate() {
	local n=${#names[@]}
	names+=("$1")
	shift
	( "$@" > "$tmp/$n.out" 2>&1; echo $? > "$tmp/$n.rc" ) &
}

src=$(find "$HOTMEM_CACHE/src" -mindepth 1 -maxdepth 1 -type d | sort -V | tail -1)
mapfile -t cfiles < <(git ls-files -co --exclude-standard '*.c' '*.h')
mapfile -t kfiles < <(printf '%s\n' "${cfiles[@]}" | grep '^kmod/')
mapfile -t shfiles < <( (git ls-files -co --exclude-standard '*.sh' \
	.ci/run; grep -l '^#!/bin/.*sh' scripts/* scripts/guest/* 2>/dev/null) |
	sort -u)

checkpatch() {
	local f rc=0
	for f in "${cfiles[@]}"; do
		"$src/scripts/checkpatch.pl" --strict --no-tree --quiet \
			--ignore SPDX_LICENSE_TAG -f "$f" || rc=1
	done
	return "$rc"
}

kerneldoc() {
	local out
	[ ${#cfiles[@]} -gt 0 ] || return 0
	out=$(perl "$src/scripts/kernel-doc" -none -Wall "${cfiles[@]}" 2>&1)
	echo "$out"
	[ -z "$out" ]
}

kbuild() {
	local k rc=0
	[ ${#kfiles[@]} -gt 0 ] || { echo "no module sources yet"; return 0; }
	# both lines, and rt for the code built without THP; make check
	# builds for every kernel
	for k in $(hm_kver 6.1) $(hm_kver 6.12) $(hm_kver 6.12-rt); do
		make --no-print-directory -j"$(nproc)" test-modules KVER="$k" \
			KDIR="$(hm_kdir "$k")" "$@" || rc=1
		# and hotmem_pagemap's files call one way, on each
		scripts/layering.sh "build/$k/kmod/pagemap" || rc=1
	done
	return "$rc"
}

gate "checkpatch --strict (${#cfiles[@]} files)" checkpatch
gate "kernel-doc -Wall" kerneldoc
# one build runs both: sparse checks each file that W=1 compiles
gate "W=1 KCFLAGS=-Werror, sparse C=2 -Wsparse-error, layering" \
	kbuild W=1 KCFLAGS=-Werror C=2 CF=-Wsparse-error
gate "shellcheck (${#shfiles[@]} files)" shellcheck -x "${shfiles[@]}"
wait

fails=0
for n in "${!names[@]}"; do
	if [ "$(cat "$tmp/$n.rc")" = 0 ]; then
		echo "lint: ${names[$n]}: ok"
	else
		echo "lint: ${names[$n]}: FAILED"
		sed 's/^/    /' "$tmp/$n.out" | tail -n 60
		fails=$((fails + 1))
	fi
done
exit $fails
