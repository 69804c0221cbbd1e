#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what hotmem needs on a Debian 12 machine, idempotently: the six
# supported Debian kernels (6.1 and 6.12, each amd64, cloud and rt: headers
# installed, images only extracted into the cache so this machine's boot
# set-up is never touched), their source packages, the VM, the quality
# tools and gnuplot (the benchmark's plots).  Then extract the few source files the build uses
# into the cache, keyed by kernel version.  A second run does nothing.

set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

PKGS=(linux-source-6.1 linux-source-6.12
      qemu-system-x86 busybox-static cpio kmod xz-utils
      ndctl daxctl libndctl-dev libdaxctl-dev
      build-essential sparse shellcheck dkms gnuplot-nox)

for lane in "${HOTMEM_DEBIAN_LANES[@]}"; do
	PKGS+=("$(hm_meta "$lane")")
done

missing=()
for p in "${PKGS[@]}"; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
	[ "$(id -u)" = 0 ] || hm_die "need root to install: ${missing[*]}"
	hm_log "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Source pieces the build and lint use, from the source package of the same
# upstream version as the headers.
SRC_FILES=(tools/testing/selftests/kselftest_harness.h
	   tools/testing/selftests/kselftest.h
	   scripts/checkpatch.pl scripts/spelling.txt
	   scripts/const_structs.checkpatch scripts/kernel-doc
	   drivers/dax/bus.h drivers/dax/dax-private.h)

extract_src() {
	local kver=$1 line dir tarball ver tmp f
	line=$(hm_line_of "$kver")
	dir=$(hm_src_dir "$kver")
	[ -f "$dir/.done" ] && return 0
	tarball=/usr/src/linux-source-$line.tar.xz
	[ -f "$tarball" ] || hm_die "$tarball missing"
	ver=$(dpkg-query -W -f='${Version}' "linux-source-$line")
	[ "${ver%%-*}" = "$(hm_src_version "$kver")" ] ||
		hm_die "linux-source-$line $ver does not match headers of $kver"
	hm_log "extracting source pieces of $kver into $dir"
	tmp=$(mktemp -d)
	tar -C "$tmp" -xJf "$tarball" \
		"${SRC_FILES[@]/#/linux-source-$line/}"
	mkdir -p "$dir"
	for f in "${SRC_FILES[@]}"; do
		install -D -m 0644 "$tmp/linux-source-$line/$f" "$dir/$f"
	done
	chmod +x "$dir/scripts/checkpatch.pl" "$dir/scripts/kernel-doc"
	rm -rf "$tmp"
	touch "$dir/.done"
}

# The kernel image and its modules, unpacked for the VM only.
extract_img() {
	local kver=$1 dir tmp
	dir=$(hm_img_dir "$kver")
	[ -f "$dir/.done" ] && return 0
	hm_log "unpacking linux-image-$kver into $dir (not installed)"
	tmp=$(mktemp -d)
	chmod 0777 "$tmp"
	(cd "$tmp" && apt-get download -qq "linux-image-$kver" 2>/dev/null) ||
		{ apt-get update -qq &&
		  (cd "$tmp" && apt-get download -qq "linux-image-$kver"); }
	rm -rf "$dir"
	mkdir -p "$dir"
	dpkg-deb -x "$tmp"/linux-image-*.deb "$dir"
	rm -rf "$tmp"
	[ -f "$dir/boot/vmlinuz-$kver" ] || hm_die "no vmlinuz in image of $kver"
	touch "$dir/.done"
}

for lane in "${HOTMEM_DEBIAN_LANES[@]}"; do
	kver=$(hm_kver "$lane")
	[ -n "$kver" ] || hm_die "headers for $lane not installed"
	extract_src "$kver"
	extract_img "$kver"
done
hm_log "ready: $(hm_kvers | tr '\n' ' ')"
