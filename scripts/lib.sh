# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the hotmem scripts: where the cache lives, which Debian
# kernels are supported and how their releases are discovered.  Sourced, not
# run.

# shellcheck shell=bash

# shellcheck disable=SC2034 # used by the scripts that source this
HOTMEM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HOTMEM_CACHE=${HOTMEM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hotmem}

# The supported kernel lines: 6.1, the Debian 12 default, and 6.12 LTS.
HOTMEM_LINES=(6.1 6.12)
# The lanes: every Debian 12 kernel hotmem supports, named LINE for the
# amd64 flavour and LINE-cloud, LINE-rt for the others, then "debug",
# hotmem's own kernel (scripts/debug-kernel.sh), which exists once built.
HOTMEM_DEBIAN_LANES=(6.1 6.12 6.1-cloud 6.12-cloud 6.1-rt 6.12-rt)
HOTMEM_LANES=("${HOTMEM_DEBIAN_LANES[@]}" debug)

hm_die() { echo "hotmem: $*" >&2; exit 1; }
hm_log() { echo "hotmem: $*" >&2; }

# hm_meta LANE: the headers meta-package of a Debian lane, e.g.
# linux-headers-6.12-rt-amd64 for 6.12-rt.
hm_meta() {
	local line=${1%%-*} flavour=amd64
	case $1 in
	*-cloud) flavour=cloud-amd64 ;;
	*-rt) flavour=rt-amd64 ;;
	esac
	case $line in
	6.1) echo "linux-headers-$flavour" ;;
	*) echo "linux-headers-$line-$flavour" ;;
	esac
}

# hm_debug_kver: the release of the debug kernel if it is built, else
# nothing.
hm_debug_kver() {
	local f
	for f in "$HOTMEM_CACHE"/debug/build-*/.hotmem-done; do
		[ -f "$f" ] && cat "$f"
	done
	return 0
}

# hm_kver LANE: the kernel release of a lane: for a Debian lane the one its
# installed headers meta-package points at (6.1 -> 6.1.0-56-amd64), for
# "debug" the built debug kernel's.  Empty if not installed or built.
hm_kver() {
	local dep
	if [ "$1" = debug ]; then
		hm_debug_kver
		return 0
	fi
	dep=$(dpkg-query -W -f='${Depends}' "$(hm_meta "$1")" 2>/dev/null) || return 0
	dep=${dep%% *}
	echo "${dep#linux-headers-}"
}

# hm_is_lane NAME: is NAME a lane (6.1, 6.12-rt, debug...) rather than a
# release?
hm_is_lane() {
	local lane
	for lane in "${HOTMEM_LANES[@]}"; do
		[ "$lane" = "$1" ] && return 0
	done
	return 1
}

# hm_time_scale KVER: how much longer than on a stock kernel the tests may
# take on KVER: KASAN, lockdep and kmemleak make the debug kernel 3-7.5
# times slower under TCG.
hm_time_scale() {
	if hm_is_debug "$1"; then echo 6; else echo 1; fi
}

# hm_is_debug KVER: is KVER hotmem's debug kernel?
hm_is_debug() { case $1 in *-hotmem-debug) return 0 ;; esac; return 1; }

# hm_lane_of KVER: the lane a release belongs to (6.1, 6.12-rt, debug...).
hm_lane_of() {
	local line
	hm_is_debug "$1" && { echo debug; return 0; }
	line=$(hm_line_of "$1")
	case $1 in
	*-cloud-amd64) echo "$line-cloud" ;;
	*-rt-amd64) echo "$line-rt" ;;
	*) echo "$line" ;;
	esac
}

# hm_line_of KVER: the supported line a release belongs to (6.1 or 6.12).
hm_line_of() {
	case $1 in
	6.1.*) echo 6.1 ;;
	6.12.*) echo 6.12 ;;
	*) echo "" ;;
	esac
}

# hm_kdir KVER: the kernel build directory modules of KVER build against.
hm_kdir() {
	if hm_is_debug "$1"; then
		cat "$(hm_img_dir "$1")/kdir"
	else
		echo "/lib/modules/$1/build"
	fi
}

# hm_kconfig KVER: the .config of KVER.
hm_kconfig() { echo "$(hm_kdir "$1")/.config"; }

# hm_src_version KVER: the upstream version (e.g. 6.1.192) of an installed
# kernel's headers package; the cache of source pieces is keyed by it.
hm_src_version() {
	local v
	if hm_is_debug "$1"; then
		v=$(cat "$(hm_img_dir "$1")/.key")
		echo "${v%%-*}"
		return 0
	fi
	v=$(dpkg-query -W -f='${Version}' "linux-headers-$1" 2>/dev/null) ||
		return 1
	echo "${v%%-*}"
}

# hm_src_dir KVER: the cached pieces of the kernel source of KVER.
hm_src_dir() { echo "$HOTMEM_CACHE/src/$(hm_src_version "$1")"; }

# hm_img_dir KVER: the extracted (never installed) kernel image of KVER.
hm_img_dir() { echo "$HOTMEM_CACHE/kernel/$1"; }

# hm_kvers: the release of every lane that is installed (or built).
hm_kvers() {
	local lane k
	for lane in "${HOTMEM_LANES[@]}"; do
		k=$(hm_kver "$lane")
		[ -n "$k" ] && echo "$k"
	done
	return 0
}

# hm_default_kver: the running kernel if its build tree exists, else the
# Debian 12 default kernel.
hm_default_kver() {
	if [ -d "/lib/modules/$(uname -r)/build" ]; then
		uname -r
	else
		hm_kver 6.1
	fi
}
