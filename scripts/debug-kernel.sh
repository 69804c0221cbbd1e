#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make debug-kernel: build hotmem's debug kernel from Debian's installed
# linux-source-6.12 tarball: x86_64_defconfig + kvm_guest.config +
# kernel/debug.config (KASAN, lockdep, kmemleak, DEBUG_VM, fault injection,
# DEVICE_PRIVATE...).  The image and modules go where setup.sh puts the
# Debian kernels' ($HOTMEM_CACHE/kernel/<release>/), the build tree (its
# KDIR) to $HOTMEM_CACHE/debug/; both are keyed by the source version and
# the hash of the fragment, so a second run only
# checks the key.  Prints the kernel release on stdout.
#
#   scripts/debug-kernel.sh [-j N]

set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

jobs=$(nproc)
[ "${1:-}" = -j ] && jobs=$2
frag=$HOTMEM_ROOT/kernel/debug.config
DEPS=(build-essential flex bison bc libelf-dev libssl-dev cpio xz-utils kmod
      linux-source-6.12)

missing=()
for p in "${DEPS[@]}"; do
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

ver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
ver=${ver%%-*}
key=$(sha256sum < "$frag" | cut -c1-12)
top=$HOTMEM_CACHE/debug
src=$top/src-$ver
obj=$top/build-$ver-$key

# The release is known only once the tree is configured; a finished
# build records it with its key.
if [ -f "$obj/.hotmem-done" ]; then
	rel=$(cat "$obj/.hotmem-done")
	if [ -f "$(hm_img_dir "$rel")/.done" ] &&
	   [ "$(cat "$(hm_img_dir "$rel")/.key" 2>/dev/null)" = "$ver-$key" ]; then
		echo "$rel"
		exit 0
	fi
fi

if [ ! -f "$src/.done" ]; then
	hm_log "debug kernel: extracting linux-source-$ver"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -C "$src.tmp" --strip-components=1 -xJf /usr/src/linux-source-6.12.tar.xz
	mv "$src.tmp" "$src"
	touch "$src/.done"
fi
# one build tree at a time: an older key's is removed
for d in "$top"/build-*; do
	[ -d "$d" ] && [ "$d" != "$obj" ] && rm -rf "$d"
done
mkdir -p "$obj"

kmake() { make -C "$src" O="$obj" -j"$jobs" "$@"; }

hm_log "debug kernel: configuring $ver ($key) in $obj"
kmake -s x86_64_defconfig
"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" \
	"$src/kernel/configs/kvm_guest.config" "$frag" >/dev/null
kmake -s olddefconfig

# Every option of the fragment must have survived olddefconfig: one whose
# dependencies are missing is dropped silently.
lost=()
while read -r line; do
	case $line in
	CONFIG_*=*) want=$line ;;
	"# CONFIG_"*" is not set") want=$line ;;
	*) continue ;;
	esac
	grep -qxF "$want" "$obj/.config" || lost+=("$want")
done < "$frag"
if [ ${#lost[@]} -gt 0 ]; then
	printf 'hotmem: debug kernel: not in the final config: %s\n' "${lost[@]}" >&2
	exit 1
fi

hm_log "debug kernel: building with $jobs jobs"
t0=$(date +%s)
kmake bzImage modules > "$obj/build.log" 2>&1 ||
	{ tail -n 40 "$obj/build.log" >&2; hm_die "debug kernel build failed: $obj/build.log"; }
# known only once the build has read CONFIG_LOCALVERSION
rel=$(cat "$obj/include/config/kernel.release")
hm_log "debug kernel: $rel built in $(($(date +%s) - t0)) s"

img=$(hm_img_dir "$rel")
rm -rf "$img"
mkdir -p "$img/boot"
kmake -s modules_install INSTALL_MOD_PATH="$img" INSTALL_MOD_STRIP=1 >/dev/null
rm -f "$img/lib/modules/$rel/build" "$img/lib/modules/$rel/source"
cp "$obj/arch/x86/boot/bzImage" "$img/boot/vmlinuz-$rel"
cp "$obj/.config" "$img/boot/config-$rel"
echo "$ver-$key" > "$img/.key"
echo "$obj" > "$img/kdir"
touch "$img/.done"
echo "$rel" > "$obj/.hotmem-done"
echo "$rel"
