"""Slow, obvious reference of the chain-gap status rules (row by row, plain pandas).

Used by the tests (it must reproduce :func:`chainatlas.chains.gaps.chain_gaps`) and by
``benchmarks/bench_chaingaps.py`` (the same rules, timed against the vectorised version). Written
for clarity, not speed: every (province, chain, link) is computed by filtering the firm table and
summing output afresh.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from chainatlas.chains.gaps import EXCLUDE_FLAGS, GapThresholds, links_table


def reference_gaps(
    *,
    firms: pd.DataFrame,
    output: pd.DataFrame,
    chains: str | Iterable[str] | None = None,
    thresholds: GapThresholds | None = None,
    exclude: Iterable[str] = EXCLUDE_FLAGS,
    provinces: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Province, chain, link, n_firms, n_excluded, firm_lq, lq, output_share, status."""
    th = thresholds or GapThresholds()
    excl = set(exclude)
    links = links_table(chains)
    f = firms.dropna(subset=["province", "kg_industry"])
    f = f.assign(out=f["flag"].isin(excl))
    kept = f.loc[~f["out"]]
    total_output = output.to_numpy().sum()
    rows = []
    for province in output.index if provinces is None else list(provinces):
        prov_total = output.loc[province].sum()
        prov_firms = (kept["province"] == province).sum()
        for _, link in links.iterrows():
            s = link["io_sector"]
            sector_total = output[s].sum()
            lq = (output.loc[province, s] / prov_total) / (sector_total / total_output)
            share = output.loc[province, s] / sector_total
            in_link = f["kg_industry"].isin(link["kg_industries"])
            here = f["province"] == province
            n = int((in_link & here & ~f["out"]).sum())
            n_ex = int((in_link & here & f["out"]).sum())
            n_link = int((in_link & ~f["out"]).sum())
            firm_lq = 0.0
            if n_link > 0 and prov_firms > 0:
                firm_lq = (n / prov_firms) / (n_link / len(kept))
            if n >= th.strong_firms and (
                lq >= th.strong_lq or share >= th.strong_share or firm_lq >= th.strong_lq
            ):
                status = "强链"
            elif n == 0 and lq < th.present_lq:
                status = "缺链"
            else:
                status = "短链"
            rows.append(
                (province, link["chain"], link["link"], n, n_ex, firm_lq, lq, share, status)
            )
    cols = ["province", "chain", "link", "n_firms", "n_excluded", "firm_lq", "lq",
            "output_share", "status"]  # fmt: skip
    return pd.DataFrame(rows, columns=cols)
