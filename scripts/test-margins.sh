#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test-margins.sh: the tests that used much of their time limit.
#
#   scripts/test-margins.sh [-d N] [-s LANE=N]... [-o PERCENT] LOG...
#
# A LOG is a VM run's TAP output as make check leaves it
# (results/LANE_SUITES.log), where run-tests ends each test's line with its
# time: "ok 9 pagemap:pm.memmap_bytes_per_align # 77s".  A test's limit is
# its harness timeout (TEST_F_TIMEOUT() on one line in selftests/SUITE/*.c,
# else the harness default of 30 s) or the runner's limit for its suite
# (the settings timeout, else 45 s) where that is shorter, each times the
# lane's time scale (-s debug=6: the HOTMEM_TIME_SCALE vm.sh gives that
# lane; -d N for the lanes not named, default 1).  The harness timeout is
# not scaled in a suite that does not include hotmem_util.h, whose
# constructor scales it (the table tests).
#
# Prints each test that took more than PERCENT (default 50) of its limit,
# the most used first: "LANE:SUITE:TEST took Ts of its Ls limit (P%)".
# Under make check two VMs share two CPUs and a test can run several times
# slower than alone, so a test above half its limit is one slow run from a
# timeout.  Exits 0 whatever it finds (the tests themselves fail), non-zero
# only on bad arguments or an unreadable log.

set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

over=50
scales=""
dflt=1
while getopts "d:s:o:" opt; do
	case $opt in
	d) dflt=$OPTARG ;;
	s) scales="$scales $OPTARG" ;;
	o) over=$OPTARG ;;
	*) hm_die "usage: $0 [-d N] [-s LANE=N]... [-o PERCENT] LOG..." ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || exit 0

# limits: "T SUITE FIXTURE TEST SECONDS", "S SUITE SECONDS" and, for a
# suite whose harness timeouts are not scaled, "U SUITE" lines
limits() {
	cd "$HOTMEM_ROOT/selftests"
	grep -L 'hotmem_util\.h' ./*/*_test.c | sed 's|^\./\([^/]*\)/.*|U \1|' || true
	grep -H '^timeout=[0-9]*$' ./*/settings |
		sed 's|^\./\([^/]*\)/settings:timeout=|S \1 |' || true
	grep -H '^TEST_F_TIMEOUT(' ./*/*.c |
		sed -n 's|^\./\([^/]*\)/[^:]*:TEST_F_TIMEOUT(\([A-Za-z0-9_]*\), *\([A-Za-z0-9_]*\), *\([0-9]*\)).*|T \1 \2 \3 \4|p' || true
}

limits | awk -v over="$over" -v scales="$scales" -v dflt="$dflt" '
	BEGIN {
		n = split(scales, s, " ")
		for (i = 1; i <= n; i++) {
			split(s[i], kv, "=")
			scale[kv[1]] = kv[2]
		}
	}
	FILENAME == "-" && $1 == "T" { harness[$2 " " $3 " " $4] = $5; next }
	FILENAME == "-" && $1 == "S" { runner[$2] = $3; next }
	FILENAME == "-" && $1 == "U" { unscaled[$2] = 1; next }
	FILENAME == "-" { next }
	FNR == 1 {
		lane = FILENAME
		sub(/.*\//, "", lane)
		lane = index(lane, "_") ? substr(lane, 1, index(lane, "_") - 1) : ""
	}
	lane != "" && /^ok [0-9]+ [A-Za-z0-9_]+:[A-Za-z0-9_.]+ # [0-9]+s$/ {
		split($3, id, ":")
		suite = id[1]
		nf = split(id[2], part, ".")
		took = $5
		sub(/s$/, "", took)
		k = lane in scale ? scale[lane] : dflt
		lim = (suite " " part[1] " " part[nf]) in harness ? \
			harness[suite " " part[1] " " part[nf]] : 30
		if (!(suite in unscaled))
			lim *= k
		r = (suite in runner ? runner[suite] : 45) * k
		if (r < lim)
			lim = r
		if (took * 100 > over * lim)
			printf "%d %s:%s took %ds of its %ds limit (%d%%)\n", \
				took * 1000 / lim, lane, $3, took, lim, took * 100 / lim
	}' - "$@" | sort -rn | cut -d' ' -f2-
