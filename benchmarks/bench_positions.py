"""Validation: inventory-corrected WIOD positions against Antràs & Chor's published values.

For each year (default 1995, 2005, 2011) computes chainatlas's downstreamness (net-inventory
correction, the multi-region default) and upstreamness, and prints Pearson's r with the
published ``GVC_Di`` / ``GVC_Ui`` on (a) economy-sectors with output ≥ USD 1,000 million and
(b) all sectors with output, the plain (uncorrected) variant beside it, and the time taken.

The published file is not in the data mirror and is not committed: pass ``--published PATH`` to
``upstream.RData`` from the R package concordance (github.com/insongkim/concordance,
``data/upstream.RData``; Antràs & Chor 2018). WIOD's ROU is ``ROM`` and ``ROW`` is ``RoW``.

Run:  ./run bench positions --published /path/to/upstream.RData [--years 1995 2005 2011]
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd


def _published(path: str) -> pd.DataFrame:
    import rdata

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning)
        u = rdata.read_rda(path)["upstream"]
    u["YEAR"] = u["YEAR"].astype(int)
    u["sector"] = "c" + u["WIOT2013_n"].astype(int).astype(str)
    u["ISO3C"] = u["ISO3C"].replace({"ROW": "RoW", "ROU": "ROM"})
    return u.set_index(["YEAR", "ISO3C", "sector"])


def _r(a: np.ndarray, b: np.ndarray, mask: np.ndarray) -> float:
    m = mask & np.isfinite(a) & np.isfinite(b)
    return float(np.corrcoef(a[m], b[m])[0, 1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--published", required=True, help="path to concordance's upstream.RData")
    ap.add_argument("--years", nargs="+", type=int, default=[1995, 2005, 2011])
    ap.add_argument("--threshold", type=float, default=1000.0, help="USD million")
    args = ap.parse_args()

    from chainatlas.datasets import load
    from chainatlas.io.positions import downstreamness, upstreamness

    pub = _published(args.published)
    for year in args.years:
        t = load(f"wiod-2013:{year}", progress=False)
        t0 = time.perf_counter()
        d = downstreamness(t).to_numpy()
        u = upstreamness(t).to_numpy()
        dt = time.perf_counter() - t0
        plain = downstreamness(t, correction="none").to_numpy()
        ref = pub.loc[year].reindex(t.labels)
        x = t.x.to_numpy()
        big, anyx = x >= args.threshold, x > 0
        rd, ru = ref["GVC_Di"].to_numpy(), ref["GVC_Ui"].to_numpy()
        print(
            f"{year}: D r = {_r(d, rd, big):.4f} (x ≥ {args.threshold:,.0f}: {int(big.sum())} "
            f"sectors), {_r(d, rd, anyx):.4f} (all {int(anyx.sum())}); plain D "
            f"{_r(plain, rd, big):.4f} / {_r(plain, rd, anyx):.4f}; U r = {_r(u, ru, big):.4f}"
            f" / {_r(u, ru, anyx):.4f}; max |ΔD| large sectors "
            f"{np.nanmax(np.abs(d - rd)[big]):.3f}; {dt:.2f} s"
        )


if __name__ == "__main__":
    main()
