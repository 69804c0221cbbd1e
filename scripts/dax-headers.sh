#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Put the private dax headers (drivers/dax/bus.h, dax-private.h) of kernel
# KVER into OUT/drivers/dax: from the hotmem cache if there, else from the
# Debian linux-source package of the same upstream version.  Used by DKMS.
#
# usage: dax-headers.sh KVER OUT

set -euo pipefail
kver=${1:?usage: dax-headers.sh KVER OUT}
out=${2:?usage: dax-headers.sh KVER OUT}
cache=${HOTMEM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hotmem}

ver=$(dpkg-query -W -f='${Version}' "linux-headers-$kver" 2>/dev/null) || {
	echo "hotmem: linux-headers-$kver is not installed" >&2; exit 1; }
ver=${ver%%-*}
mkdir -p "$out/drivers/dax"
if [ -f "$cache/src/$ver/drivers/dax/bus.h" ]; then
	cp "$cache/src/$ver/drivers/dax/"{bus.h,dax-private.h} "$out/drivers/dax/"
	exit 0
fi
line=${ver%.*}
tarball=/usr/src/linux-source-$line.tar.xz
sver=$(dpkg-query -W -f='${Version}' "linux-source-$line" 2>/dev/null || true)
if [ ! -f "$tarball" ] || [ "${sver%%-*}" != "$ver" ]; then
	echo "hotmem: needs drivers/dax/{bus.h,dax-private.h} of $ver:" \
	     "apt-get install linux-source-$line (version $ver)" >&2
	exit 1
fi
tar -C "$out" --strip-components=1 -xJf "$tarball" \
	"linux-source-$line/drivers/dax/bus.h" \
	"linux-source-$line/drivers/dax/dax-private.h"
