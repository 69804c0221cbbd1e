# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the hotmem scripts: where the cache lives, which Debian
# kernels are supported and how their releases are discovered.  Sourced, not
# run.

# shellcheck shell=bash

# shellcheck disable=SC2034 # used by the scripts that source this
HOTMEM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HOTMEM_CACHE=${HOTMEM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hotmem}

# The supported kernel lines, as Debian's meta-package suffixes: "" is the
# Debian 12 default (6.1), "6.12" the 6.12 LTS line.
HOTMEM_LINES=(6.1 6.12)

hm_die() { echo "hotmem: $*" >&2; exit 1; }
hm_log() { echo "hotmem: $*" >&2; }

# hm_meta_suffix LINE: the suffix of Debian's meta-packages for LINE.
hm_meta_suffix() {
	case $1 in
	6.1) echo "" ;;
	*) echo "-$1" ;;
	esac
}

# hm_kver LINE: the kernel release that the installed headers meta-package
# of LINE points at, e.g. 6.1.0-56-amd64.  Empty if not installed.
hm_kver() {
	local meta dep
	meta=linux-headers$(hm_meta_suffix "$1")-amd64
	dep=$(dpkg-query -W -f='${Depends}' "$meta" 2>/dev/null) || return 0
	dep=${dep%% *}
	echo "${dep#linux-headers-}"
}

# hm_line_of KVER: the supported line a release belongs to (6.1 or 6.12).
hm_line_of() {
	case $1 in
	6.1.*) echo 6.1 ;;
	6.12.*) echo 6.12 ;;
	*) echo "" ;;
	esac
}

# hm_src_version KVER: the upstream version (e.g. 6.1.192) of an installed
# kernel's headers package; the cache of source pieces is keyed by it.
hm_src_version() {
	local v
	v=$(dpkg-query -W -f='${Version}' "linux-headers-$1" 2>/dev/null) ||
		return 1
	echo "${v%%-*}"
}

# hm_src_dir KVER: the cached pieces of the kernel source of KVER.
hm_src_dir() { echo "$HOTMEM_CACHE/src/$(hm_src_version "$1")"; }

# hm_img_dir KVER: the extracted (never installed) kernel image of KVER.
hm_img_dir() { echo "$HOTMEM_CACHE/kernel/$1"; }

# hm_kvers: every supported release whose headers are installed.
hm_kvers() {
	local line k
	for line in "${HOTMEM_LINES[@]}"; do
		k=$(hm_kver "$line")
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
