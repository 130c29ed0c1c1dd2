"""Benchmark: the full bilateral × sector WWZ decomposition of WIOD 2011 (41 × 35 × 40 rows).

Measures, on 2 BLAS threads (``--threads``):

* wall time and peak memory (tracemalloc peak of Python/numpy allocations, and the process's
  peak RSS) of ``export_decomposition(table, level="bilateral-sector")`` on a freshly loaded
  table, so the global Leontief inverse is formed inside the timing;
* the sum identity (max |E − Σ terms| / E over all 57,400 exporter-sector-importer cells);
* agreement with R's decompr (``wwz()``/``kww()``, run by ``benchmarks/decompr_wwz.R`` when
  ``Rscript`` with decompr is installed), else with the slow loop-per-Σ reference of the paper's
  equations (``tests/wwz_reference.py``) on a 3-economy aggregation;
* ``--years all``: the identity and time for every WIOD year 1995–2011.

Run:  ./run bench gvc [--years all] [--no-decompr]
"""

from __future__ import annotations

import argparse
import os
import sys

THREADS = "2"
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, THREADS)

import resource  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _full(spec: str) -> tuple[pd.DataFrame, float, float, float, pd.Series]:
    from chainatlas.chains.decomposition import export_decomposition
    from chainatlas.datasets import load

    t0 = time.perf_counter()
    table = load(spec, progress=False)
    t_load = time.perf_counter() - t0
    tracemalloc.start()
    t0 = time.perf_counter()
    d = export_decomposition(table, level="bilateral-sector")
    t_wwz = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return d, t_load, t_wwz, peak, table.x


def _rel_gap(d: pd.DataFrame, x: pd.Series) -> str:
    """Max |gap| / E over all cells, and the (rounding-noise) exports of zero-output sectors."""
    e = d["exports"].abs()
    key = pd.MultiIndex.from_arrays(
        [d.index.get_level_values("exporter"), d.index.get_level_values("sector")]
    )
    zero = x.reindex(key).to_numpy() == 0
    rel = (d["gap"].abs() / e.where(e > 0)).max()
    stray = float(d.loc[zero, "exports"].abs().sum())
    return f"{rel:.1e} (|exports| of zero-output sectors: {stray:g} USD million)"


def _decompr_available() -> bool:
    if shutil.which("Rscript") is None:
        return False
    res = subprocess.run(
        ["Rscript", "-e", "library(decompr)"], capture_output=True, text=True, check=False
    )
    return res.returncode == 0


def _against_decompr(d: pd.DataFrame, year: str, x: pd.Series) -> None:
    from chainatlas.chains.decomposition import KWW_TERMS, WWZ_TERMS, export_decomposition
    from chainatlas.datasets import load
    from chainatlas.datasets.registry import data_path

    path = data_path("wiod-2013", f"wiot_{year}.RData", progress=False)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        res = subprocess.run(
            ["Rscript", str(ROOT / "benchmarks" / "decompr_wwz.R"), str(path), year, tmp],
            capture_output=True,
            text=True,
            check=True,
        )
        t_r = time.perf_counter() - t0
        print(res.stdout.strip())
        r = pd.read_csv(Path(tmp) / "wwz.csv")
        rk = pd.read_csv(Path(tmp) / "kww.csv").set_index("Country")
    r = r[r.Exporting_Country != r.Importing_Country]
    r = r.set_index(["Exporting_Country", "Exporting_Industry", "Importing_Country"])
    r.index.names = d.index.names
    r = r.reindex(d.index)
    scale = float(d["exports"].abs().max())
    worst = max(float((d[k] - r[k]).abs().max()) for k in WWZ_TERMS) / scale
    key = pd.MultiIndex.from_arrays(
        [d.index.get_level_values("exporter"), d.index.get_level_values("sector")]
    )
    out = x.reindex(key).to_numpy() > 0
    worst_x = max(float((d[k] - r[k])[out].abs().max()) for k in WWZ_TERMS) / scale
    print(f"decompr 6.8 (R, whole script incl. load) wall time: {t_r:.1f} s")
    print(
        f"WWZ vs decompr: max |difference| / max E over 57,400 × 16 cells: {worst:.2e}; "
        f"exporter-sectors with output only: {worst_x:.2e} (decompr gives zero-output sectors "
        "no value added, so their stray sales stay out of its terms)"
    )
    kww = export_decomposition(load(f"wiod-2013:{year}", progress=False), method="kww")
    rk = rk.reindex(kww.index)
    kw = float((kww[list(KWW_TERMS)] - rk[list(KWW_TERMS)]).abs().to_numpy().max())
    print(f"KWW vs decompr: max |difference| / max E over 41 × 9 cells: {kw / scale:.2e}")


def _against_reference() -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from chainatlas.datasets import load
    from chainatlas.kernels import gvc as kg
    from test_gvc_decomposition import _three_economies
    from wwz_reference import wwz_reference

    A, Y, x, v = _three_economies(load("wiod-2013:2011", progress=False), sectors=35)
    G, N = 3, 35
    t0 = time.perf_counter()
    ref = wwz_reference(A, Y, x, v, G, N)
    t_ref = time.perf_counter() - t0
    t0 = time.perf_counter()
    w = kg.wwz_world(A, v, x, Y, G, N, B=np.linalg.inv(np.eye(G * N) - A))
    fast = kg.wwz_terms(w)
    t_fast = time.perf_counter() - t0
    rel = float(np.abs(fast - ref).max() / np.abs(w.E).max())
    print(
        f"slow reference (3 economies × 35 sectors, CHN/USA/rest of WIOD 2011): {t_ref:.2f} s; "
        f"kernel {t_fast:.3f} s; max |difference| / max E = {rel:.2e}"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--year", default="2011")
    ap.add_argument("--years", choices=["one", "all"], default="one")
    ap.add_argument("--no-decompr", action="store_true", help="skip the R comparison")
    args = ap.parse_args()
    print(f"BLAS threads: {os.environ['OPENBLAS_NUM_THREADS']}")
    d, t_load, t_wwz, peak, x = _full(f"wiod-2013:{args.year}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"WIOD {args.year} full WWZ: {d.shape[0]:,} rows × 16 terms in {t_wwz:.2f} s "
        f"(load {t_load:.1f} s); tracemalloc peak {peak / 2**20:.0f} MiB; process peak RSS "
        f"{rss:.0f} MiB"
    )
    print(f"sum identity: max |E − Σ terms| / E = {_rel_gap(d, x)}")
    if not args.no_decompr and _decompr_available():
        _against_decompr(d, args.year, x)
    else:
        print("R decompr skipped or not installed: only the slow reference comparison below")
    _against_reference()
    if args.years == "all":
        total = 0.0
        for year in range(1995, 2012):
            dy, _, ty, _, xy = _full(f"wiod-2013:{year}")
            total += ty
            print(f"  {year}: {ty:.2f} s, identity {_rel_gap(dy, xy)}")
        print(f"17 years: {total:.1f} s of decomposition")


if __name__ == "__main__":
    main()
