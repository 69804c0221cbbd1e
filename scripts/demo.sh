#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: boot a VM with 2 GiB of soft-reserved memory and walk through
# hot-adding it with the in-kernel kmem and with hotmem_kmem.
#
# usage: demo.sh [6.1|6.12|RELEASE]

set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
exec "$root/scripts/vm.sh" -k "${1:-6.1}" -p soft-reserved --sr-size 2G \
	--timeout 300 -- sh /hotmem/bin/demo
