#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""count-asserts.py [REV]: the assertions of the two pagemap suites.

For each of selftests/pagemap and selftests/pagemap_dax (at git revision
REV, or the working tree): the ASSERT_/EXPECT_ sites in the TEST_F bodies,
and the assertions one run checks: each test's sites times the variants
of its fixture, plus two per row of pagemap_dax's error table per variant
(its errno and its state).  Loops are not expanded.
"""
import re
import subprocess
import sys

SUITES = ['selftests/pagemap/pagemap_test.c',
          'selftests/pagemap_dax/pagemap_dax_test.c']


def count(src):
    variants = {}
    for m in re.finditer(r'FIXTURE_VARIANT_ADD\((\w+),', src):
        variants[m.group(1)] = variants.get(m.group(1), 0) + 1
    sites = checked = 0
    for t in re.finditer(r'^TEST_F\((\w+), (\w+)\)\n\{', src, re.M):
        body = src[t.end():src.index('\n}\n', t.end())]
        n = len(re.findall(r'\b(?:ASSERT|EXPECT)_[A-Z_]+\(', body))
        sites += n
        checked += n * variants.get(t.group(1), 1)
    if 'pd_bad[]' in src:
        rows = len(re.findall(r'^\t(?:PD_(?:SZ|MP|RG)\(|\{ ")', src, re.M))
        checked += rows * 2 * variants.get('drv', 1)
    return sites, checked


def main():
    rev = sys.argv[1] if len(sys.argv) > 1 else None
    total = [0, 0]
    for f in SUITES:
        if rev:
            src = subprocess.run(['git', 'show', f'{rev}:{f}'], check=True,
                                 capture_output=True, text=True).stdout
        else:
            with open(f, encoding='utf-8') as fh:
                src = fh.read()
        sites, checked = count(src)
        total[0] += sites
        total[1] += checked
        print(f'{f}: {sites} sites, {checked} checked per run')
    print(f'total: {total[0]} sites, {total[1]} checked per run')


main()
