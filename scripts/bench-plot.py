#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Plot a hotmem_pagemap benchmark: results/bench-pagemap-<kernel>.json
(scripts/bench.sh --pagemap) to results/bench-pagemap-<kernel>.png, with
gnuplot: time per instance against the number of instances, and time per
instance against its size, create+enable and disable+delete, one curve per
driver (medians, bars from min to max).

usage: bench-plot.py RESULT.json [OUT.png]
"""
import json
import statistics
import subprocess
import sys


def cells(samples, test, key, per):
    """{driver: [(x, median, min, max)]} of @key for the @test samples"""
    runs = {}
    for s in samples:
        if s["test"] != test:
            continue
        x = s["instances"] if test == "count" else s["bytes"] / 2**20
        runs.setdefault(s["driver"], {}).setdefault(x, []).append(
            s[key] * per(s))
    out = {}
    for drv, by_x in runs.items():
        out[drv] = [(x, statistics.median(v), min(v), max(v))
                    for x, v in sorted(by_x.items())]
    return out


def block(name, data):
    """an inline gnuplot data block"""
    lines = [f"${name} << EOD"]
    lines += [f"{x} {m} {lo} {hi}" for x, m, lo, hi in data]
    lines.append("EOD")
    return "\n".join(lines)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    src = sys.argv[1]
    png = sys.argv[2] if len(sys.argv) > 2 else src.rsplit(".", 1)[0] + ".png"
    with open(src) as f:
        res = json.load(f)
    samples = res["samples"]
    per_inst_us = lambda s: 1e6 / s["instances"]
    per_ms = lambda s: 1e3
    panels = [
        ("count", "up_s", per_inst_us, "create+enable, N instances of 2 MiB",
         "instances", "us per instance"),
        ("count", "down_s", per_inst_us, "disable+delete, N instances of 2 MiB",
         "instances", "us per instance"),
        ("size", "up_s", per_ms, "create+enable, one instance", "MiB", "ms"),
        ("size", "down_s", per_ms, "disable+delete, one instance", "MiB", "ms"),
    ]
    script = [
        "set terminal pngcairo size 1400,1000 noenhanced"
        if subprocess.run(["gnuplot", "-e", "set terminal pngcairo"],
                          capture_output=True).returncode == 0
        else "set terminal png size 1400,1000 noenhanced",
        f"set output '{png}'",
        f"set multiplot layout 2,2 title 'hotmem_pagemap vs device-dax, "
        f"{res.get('kernel', '?')}, median of {res.get('runs', '?')} runs "
        f"(bars: min-max), TCG'",
        "set logscale xy", "set grid", "set key top right",
    ]
    for i, (test, key, per, title, xl, yl) in enumerate(panels):
        data = cells(samples, test, key, per)
        plots = []
        for j, (drv, pts) in enumerate(sorted(data.items())):
            name = f"p{i}d{j}"
            script.append(block(name, pts))
            plots.append(f"${name} using 1:2:3:4 with yerrorlines "
                         f"title '{drv}'")
        script += [f"set title '{title}'", f"set xlabel '{xl}'",
                   f"set ylabel '{yl}'", "plot " + ", ".join(plots)]
    script.append("unset multiplot")
    subprocess.run(["gnuplot"], input="\n".join(script) + "\n", text=True,
                   check=True)
    print(png)


if __name__ == "__main__":
    main()
