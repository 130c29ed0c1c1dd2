"""Benchmark: the province atlas report (issue 16 §6: under 20 s) and every province's tables.

Times, in one run: (1) loading the 2007, 2012 and 2017 provincial tables (cold: parsing the
``.rda`` files; warm: the user-cache arrays), (2) the 31 provinces' 2017 IO tables with their
Leontief inverses, local tables and dependence profiles, (3) the full report context and HTML
for 四川 and 浙江 (with chain gaps and the synthetic SME example).

Run:  ./run bench province
"""

from __future__ import annotations

import time
from pathlib import Path


def main() -> None:
    from chainatlas.datasets.loaders import china_provincial_io as cp
    from chainatlas.pipelines.province import province_context
    from chainatlas.regions import dependence_profile, local_table, supply_shares
    from chainatlas.report.render import render_html

    t0 = time.perf_counter()
    for y in (2007, 2012, 2017):
        cp.region_industry(y)
    print(f"tables 2007/2012/2017 (warm cache or parse): {time.perf_counter() - t0:.2f} s")
    t0 = time.perf_counter()
    for p in cp._raw(2017):
        t = cp.province_table(2017, p)
        f = cp.province_flows(2017, p)
        _ = t.L
        dependence_profile(t.A, t.v / t.x_safe, f)
        _ = local_table(t, supply_shares(f)).L
    print(f"31 provinces: IOTable, L, local L, dependence: {time.perf_counter() - t0:.2f} s")
    sme = Path(__file__).resolve().parents[1] / "examples" / "sme" / "miit2024_synthetic_T0.csv"
    for prov in ("四川", "浙江"):
        t0 = time.perf_counter()
        ctx = province_context(f"china-provincial-io:2017-{prov}", sme=str(sme))
        html = render_html(ctx)
        dt = time.perf_counter() - t0
        print(
            f"report {prov}: {dt:.2f} s ({len(ctx['sections'])} sections, {len(html) / 1e6:.1f} MB)"
        )
        assert dt < 20, "the province report must take under 20 s"


if __name__ == "__main__":
    main()
