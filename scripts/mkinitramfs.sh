#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the base initramfs of the test VM for one kernel release: busybox,
# kmod, ndctl/daxctl with their libraries, and the in-kernel nvdimm, dax, cxl
# and error-injection modules with their dependencies.  Cached by content;
# vm.sh appends a per-run overlay (our modules, selftests, the job).
#
# usage: mkinitramfs.sh KVER  -> prints the path of the base cpio archive

set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

kver=${1:?usage: mkinitramfs.sh KVER}
img=$(hm_img_dir "$kver")
[ -f "$img/.done" ] || hm_die "kernel $kver not unpacked: run scripts/setup.sh"
moddir=$img/lib/modules/$kver

# Modules the tests may load, as paths below kernel/; dependencies follow.
WANT='drivers/dax/|drivers/nvdimm/|drivers/acpi/nfit/|drivers/cxl/|lib/.*notifier-error-inject|lib/test_hmm'
TOOLS=(/bin/busybox /bin/kmod /usr/bin/ndctl /usr/bin/daxctl /usr/bin/cxl)

key=$( (cat "$0" "$HOTMEM_ROOT/scripts/guest/init"
	for t in "${TOOLS[@]}"; do [ -e "$t" ] && ls -l "$t"; done
	echo "$kver") | sha256sum | cut -c1-16)
out=$HOTMEM_CACHE/initramfs/$kver-$key.cpio
if [ -f "$out" ]; then
	echo "$out"
	exit 0
fi

[ -f "$moddir/modules.dep" ] || depmod -b "$img" "$kver"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,tmp,run,root,hotmem,lib64}
mkdir -p "$root/usr/bin" "$root/usr/sbin"

# Userland: busybox applets, then the real tools over them.
cp /bin/busybox "$root/bin/busybox"
for a in $(/bin/busybox --list); do
	[ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"
done
copy_elf() {
	local f=$1 dst=$2 lib
	install -D -m 0755 "$f" "$root$dst"
	for lib in $(ldd "$f" 2>/dev/null | grep -o '/[^ ]*'); do
		[ -e "$root$lib" ] || install -D -m 0755 "$lib" "$root$lib"
	done
}
copy_elf /bin/kmod /sbin/kmod
for a in modprobe insmod rmmod lsmod modinfo depmod; do
	ln -sf kmod "$root/sbin/$a"
	rm -f "$root/bin/$a"
done
for t in /usr/bin/ndctl /usr/bin/daxctl /usr/bin/cxl; do
	[ -e "$t" ] && copy_elf "$t" "$t"
done
echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
echo 'root:x:0:' > "$root/etc/group"

# Kernel modules: the wanted ones and everything they depend on.
mkdir -p "$root/lib/modules/$kver"
cp "$moddir"/modules.{order,builtin,builtin.modinfo} "$root/lib/modules/$kver/" 2>/dev/null || true
sed -n 's/:.*//p' "$moddir/modules.dep" | grep -E "^kernel/($WANT)" |
while read -r m; do
	echo "$m"
	sed -n "s|^$m: *||p" "$moddir/modules.dep" | tr ' ' '\n'
done | sort -u | grep . | while read -r m; do
	install -D -m 0644 "$moddir/$m" "$root/lib/modules/$kver/$m"
done
depmod -b "$root" "$kver"

install -m 0755 "$HOTMEM_ROOT/scripts/guest/init" "$root/init"

mkdir -p "$(dirname "$out")"
# two runs may build the same archive at once (make check runs VMs in
# parallel): each writes its own and the last rename wins
(cd "$root" && find . | cpio -o -H newc --quiet) > "$out.$$"
mv "$out.$$" "$out"
echo "$out"
