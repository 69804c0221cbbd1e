#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Answer the Makefile's questions about installed kernels and the cache.
#   kinfo.sh default-kver   running kernel if buildable, else Debian 12 default
#   kinfo.sh kvers          every supported installed kernel release
#   kinfo.sh kver LANE      release of a lane (6.1, 6.12-rt, debug...); a
#                           release is its own
#   kinfo.sh ksft-dir       kselftest headers (newest cached source)
#   kinfo.sh src-dir KVER   cached source pieces of KVER
#   kinfo.sh kdir KVER      the build directory of KVER

set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

case ${1:-} in
default-kver) hm_default_kver ;;
kvers) hm_kvers | tr '\n' ' '; echo ;;
kver) if hm_is_lane "${2:?lane}"; then hm_kver "$2"; else echo "$2"; fi ;;
ksft-dir)
	d=$(find "$HOTMEM_CACHE/src" -mindepth 1 -maxdepth 1 -type d 2>/dev/null |
	    sort -V | tail -1)
	[ -n "$d" ] && echo "$d/tools/testing/selftests" ;;
src-dir) hm_src_dir "${2:?kver}" ;;
kdir) hm_kdir "${2:?kver}" ;;
*) echo "usage: kinfo.sh default-kver|kvers|kver LANE|ksft-dir|src-dir KVER|kdir KVER" >&2
   exit 2 ;;
esac
