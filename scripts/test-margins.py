#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""test-margins.py [--scale LANE=N]... [--over FRACTION] LOG...: the tests
that used much of their time limit.

A LOG is a VM run's TAP output (results/LANE_SUITES.log, as make check
leaves it), where run-tests ends each test's line with its time:
"ok 9 pagemap:pm.memmap_bytes_per_align # 77s".  A test's limit is its
harness timeout (TEST_F_TIMEOUT() in selftests/SUITE/*.c, or the harness
default of 30 s) times the lane's time scale (--scale debug=6: what
HOTMEM_TIME_SCALE gives that lane), or the runner's own limit for the
suite (its settings timeout times the scale) where that is shorter.

Prints each test that took more than FRACTION (default 0.5) of its limit,
most used first, as "LANE:SUITE:TEST took Ts of its Ls limit (P%)".  Under
make check two VMs share two CPUs and a test can run several times slower
than alone, so a test above half its limit is one noisy run from a
timeout.  Always exits 0: it reports, the tests themselves fail.
"""
import argparse
import glob
import os
import re
import sys

HARNESS_DEFAULT = 30
RUNNER_DEFAULT = 45
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
TIMEOUT = re.compile(r'^TEST_F_TIMEOUT\((\w+),\s*(\w+),\s*(\d+)\)', re.M)
LINE = re.compile(r'^ok \d+ (\w+):([\w.]+) # (\d+)s$')


def harness_limits(suite):
    """{(fixture, test): seconds} of the suite's TEST_F_TIMEOUT()s."""
    limits = {}
    for src in glob.glob(os.path.join(ROOT, 'selftests', suite, '*.c')):
        with open(src, encoding='utf-8') as f:
            for m in TIMEOUT.finditer(f.read()):
                limits[(m.group(1), m.group(2))] = int(m.group(3))
    return limits


def runner_limit(suite):
    """The suite's settings timeout, as run-tests reads it."""
    try:
        with open(os.path.join(ROOT, 'selftests', suite, 'settings'),
                  encoding='utf-8') as f:
            for line in f:
                if line.startswith('timeout='):
                    return int(line.split('=', 1)[1])
    except OSError:
        pass
    return RUNNER_DEFAULT


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--scale', action='append', default=[],
                    metavar='LANE=N')
    ap.add_argument('--over', type=float, default=0.5)
    ap.add_argument('logs', nargs='*')
    args = ap.parse_args()
    scale = {}
    for s in args.scale:
        lane, _, n = s.partition('=')
        scale[lane] = int(n)

    cache = {}
    rows = []
    for log in args.logs:
        base = os.path.basename(log)
        if '_' not in base:
            continue    # not a LANE_SUITES.log of make check
        lane = base.split('_', 1)[0]
        k = scale.get(lane, 1)
        with open(log, encoding='utf-8', errors='replace') as f:
            for line in f:
                m = LINE.match(line.strip())
                if not m:
                    continue
                suite, name, took = m.group(1), m.group(2), int(m.group(3))
                if suite not in cache:
                    cache[suite] = (harness_limits(suite), runner_limit(suite))
                harness, runner = cache[suite]
                parts = name.split('.')
                limit = harness.get((parts[0], parts[-1]), HARNESS_DEFAULT)
                limit = min(limit, runner) * k
                if took > args.over * limit:
                    rows.append((took / limit, lane, suite, name, took, limit))
    for used, lane, suite, name, took, limit in sorted(rows, reverse=True):
        print('%s:%s:%s took %ds of its %ds limit (%d%%)'
              % (lane, suite, name, took, limit, round(used * 100)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
