#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# DKMS POST_INSTALL / POST_REMOVE: install or remove the modprobe.d file
# that makes "kmem" (what daxctl loads) load hotmem_kmem.
#
# usage: dkms-modprobe-conf.sh install|remove   (HOTMEM_ROOTDIR: target root)

set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)/kmod/kmem/hotmem-kmem.conf
dst=${HOTMEM_ROOTDIR:-}/etc/modprobe.d/hotmem-kmem.conf
case ${1:-} in
install) install -D -m 0644 "$src" "$dst" ;;
remove) rm -f "$dst" ;;
*) echo "usage: dkms-modprobe-conf.sh install|remove" >&2; exit 2 ;;
esac
