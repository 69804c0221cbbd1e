#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make dkms-check: "dkms add" and "dkms build" of this tree for every
# supported Debian kernel (hotmem_kmem declined where there is no
# CONFIG_DEV_DAX, on rt), in a private dkms tree (nothing is installed
# into /lib/modules; dkms may create its signing key in /var/lib/dkms), and
# a check that a kernel without ZONE_DEVICE is declined with a message.

set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$HOTMEM_ROOT/dkms.conf")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src=$tmp/src/hotmem-$ver
mkdir -p "$src" "$tmp/tree"
(cd "$HOTMEM_ROOT" && git ls-files -co --exclude-standard Kbuild dkms.conf include kmod scripts |
	cpio -pdm --quiet "$src")
dk=(dkms --dkmstree "$tmp/tree" --sourcetree "$tmp/src")

"${dk[@]}" add -m hotmem -v "$ver"
for lane in "${HOTMEM_DEBIAN_LANES[@]}"; do
	k=$(hm_kver "$lane")
	[ -n "$k" ] || hm_die "no kernel for $lane: make setup"
	out=$("${dk[@]}" build -m hotmem -v "$ver" -k "$k" 2>&1) ||
		{ echo "$out"; hm_die "dkms build for $k failed"; }
	mods=(hotmem_pagemap)
	if grep -q '^CONFIG_DEV_DAX=[ym]' "$(hm_kconfig "$k")"; then
		mods+=(hotmem_kmem)
	else
		# rt: hotmem_kmem is declined with a message, hotmem_pagemap built
		echo "$out" | grep -q "no CONFIG_DEV_DAX: hotmem_kmem is not built" ||
			hm_die "dkms build for $k (no CONFIG_DEV_DAX) did not say why hotmem_kmem is missing"
		[ -z "$(find "$tmp/tree/hotmem/$ver/$k" -name 'hotmem_kmem.ko*')" ] ||
			hm_die "dkms built hotmem_kmem for $k, which has no CONFIG_DEV_DAX"
		hm_log "dkms: $k has no CONFIG_DEV_DAX: hotmem_kmem declined with a message"
	fi
	for m in "${mods[@]}"; do
		f=$(find "$tmp/tree/hotmem/$ver/$k" -name "$m.ko*" | head -1)
		[ -n "$f" ] || hm_die "dkms build for $k left no $m.ko"
		modinfo -F vermagic "$f" | grep -q "^${k} " ||
			hm_die "$f: vermagic is not $k"
		hm_log "dkms: built $f for $k"
	done
done

# A kernel without the features: the same headers with them switched off.
k=$(hm_kver 6.1)
fake=$tmp/fake-kernel
cp -r "/lib/modules/$k/build/." "$fake" 2>/dev/null ||
	cp -rL "/lib/modules/$k/build" "$fake"
sed -i 's/^CONFIG_ZONE_DEVICE=y/# CONFIG_ZONE_DEVICE is not set/' "$fake/.config"
set +e
out=$("${dk[@]}" build -m hotmem -v "$ver" -k "$k" --kernelsourcedir "$fake" --force 2>&1)
rc=$?
set -e
echo "$out" | tail -n 3
if [ $rc = 0 ] || ! echo "$out" | grep -qi 'BUILD_EXCLUSIVE\|not.*configured\|exclusive'; then
	hm_die "dkms built for a kernel without CONFIG_ZONE_DEVICE (status $rc)"
fi
hm_log "dkms: declines a kernel without CONFIG_ZONE_DEVICE (status $rc)"
"${dk[@]}" remove -m hotmem -v "$ver" --all >/dev/null

# The POST_INSTALL/POST_REMOVE hook, into a scratch root.
HOTMEM_ROOTDIR=$tmp/root "$src/scripts/dkms-modprobe-conf.sh" install
grep -q '^install kmem .*hotmem_kmem' "$tmp/root/etc/modprobe.d/hotmem-kmem.conf" ||
	hm_die "POST_INSTALL did not install the modprobe.d file"
HOTMEM_ROOTDIR=$tmp/root "$src/scripts/dkms-modprobe-conf.sh" remove
[ ! -e "$tmp/root/etc/modprobe.d/hotmem-kmem.conf" ] ||
	hm_die "POST_REMOVE left the modprobe.d file"
hm_log "dkms: POST_INSTALL/POST_REMOVE install and remove the modprobe.d file"
