"""Benchmark: chainatlas vs pymrio on A, L, G and output multipliers (投入产出计算基准).

Run on demand (not a test)::

    ./run bench io                 # WIOD 2011 (1,435 sectors) and a random 5,000-sector table
    .venv/bin/python benchmarks/bench_io.py --n 5000 --skip-wiod

Each variant runs ``--repeat`` times (default 3); the best wall time and the largest peak memory
are kept. Workloads, each in its own subprocess (peak memory = the process's peak resident set size,
``resource.getrusage(RUSAGE_SELF).ru_maxrss``, which includes the interpreter, the libraries and
the input Z; the inputs are read from .npy files written to a temporary folder):

* ``chainatlas-api`` — ``IOTable`` (validated) then ``A``, ``output_multipliers`` (LU solve, no L),
  ``L`` and ``G`` (from L) — the public API, everything cached on the table;
* ``chainatlas-kernels`` — the same quantities with the array kernels, dropping Z once A exists
  and the LU factors once L exists (A, L, G and the multipliers are all kept to the end);
* ``chainatlas-multipliers`` — output multipliers alone (A and one LU factorisation; L is never
  formed);
* ``pymrio-iosystem`` — pymrio's standard workflow ``IOSystem(Z, Y, x).calc_system(
  include_ghosh=True)`` (G by a second inversion, ``calc_G(B)``), multipliers = column sums of L;
* ``pymrio-iomath`` — pymrio's array functions with its shortcut ``calc_G(B, L, x)``.

Both libraries use the same numpy/OpenBLAS in the same environment (thread settings inherited
from the shell; nothing is changed here).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

VARIANTS = [
    "chainatlas-api",
    "chainatlas-kernels",
    "chainatlas-multipliers",
    "pymrio-iosystem",
    "pymrio-iomath",
]


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


# ---------------------------------------------------------------------- inputs
def prepare_random(folder: Path, n: int, seed: int = 0) -> None:
    """A random productive 5,000-sector table: sparse-ish Z, every column sum of A < 1."""
    rng = np.random.default_rng(seed)
    Z = rng.random((n, n))
    Z *= rng.random((n, n)) < 0.3
    x = Z.sum(axis=0) / rng.uniform(0.3, 0.8, n)
    x = np.maximum(x, Z.sum(axis=1) * 1.05)
    np.save(folder / "Z.npy", Z)
    np.save(folder / "x.npy", x)


def prepare_wiod(folder: Path, year: int) -> None:
    from chainatlas.datasets import load

    t = load(f"wiod-2013:{year}", progress=True)
    np.save(folder / "Z.npy", t.Z.to_numpy(dtype=float))
    np.save(folder / "x.npy", t.x.to_numpy(dtype=float))


# ---------------------------------------------------------------------- workers
def work(variant: str, folder: Path) -> dict[str, float]:
    import pandas as pd

    Z = np.load(folder / "Z.npy")
    x = np.load(folder / "x.npy")
    n = len(x)
    if variant.startswith("pymrio"):
        import pymrio
        from pymrio.tools import iomath
    else:
        from chainatlas.io import IOTable, output_multipliers
        from chainatlas.kernels import io as k
        from chainatlas.provenance import Provenance
    labels = pd.Index([f"s{i}" for i in range(n)], name="sector")
    f = x - Z.sum(axis=1)
    baseline = _rss_mb()
    start = time.perf_counter()
    if variant == "chainatlas-api":
        t = IOTable(
            Z=pd.DataFrame(Z, index=labels, columns=labels, copy=False),
            Y=pd.DataFrame({"f": f}, index=labels),
            V=pd.DataFrame([x - Z.sum(axis=0)], index=["va"], columns=labels),
            x=pd.Series(x, index=labels),
            unit="USD",
            layout="competitive",
            provenance=Provenance("benchmark"),
            zero_output="zero-coefficients",
            balance_atol=1e-6 * float(x.max()),
        )
        del Z
        A = t.A
        m = output_multipliers(t).to_numpy()
        L = t.L
        G = t.G
        check = float(L.to_numpy().sum() + G.to_numpy()[0].sum() + A.to_numpy()[0].sum())
    elif variant == "chainatlas-kernels":
        xs = np.where(x == 0, 1.0, x)
        A = k.technical_coefficients(Z, xs)
        del Z
        lu = k.leontief_lu(A)
        m = k.output_multipliers(A, lu=lu)
        L = k.leontief_inverse(A, lu=lu)
        del lu
        G = k.ghosh_inverse_from_leontief(L, xs)
        check = float(L.sum() + G[0].sum() + A[0].sum())
    elif variant == "chainatlas-multipliers":
        xs = np.where(x == 0, 1.0, x)
        A = k.technical_coefficients(Z, xs)
        del Z
        m = k.output_multipliers(A)
        check = float(m.sum())
    elif variant == "pymrio-iosystem":
        io = pymrio.IOSystem(
            Z=pd.DataFrame(Z, index=labels, columns=labels, copy=False),
            Y=pd.DataFrame({"f": f}, index=labels),
            x=pd.DataFrame({"indout": x}, index=labels),
        )
        del Z
        io.calc_system(include_ghosh=True)
        m = io.L.sum(axis=0).to_numpy()
        check = float(io.L.to_numpy().sum() + io.G.to_numpy()[0].sum() + io.A.to_numpy()[0].sum())
    elif variant == "pymrio-iomath":
        A = iomath.calc_A(Z, x)
        L = iomath.calc_L(A)
        B = iomath.calc_B(Z, x)
        G = iomath.calc_G(B, L=L, x=x)
        m = L.sum(axis=0)
        check = float(L.sum() + G[0].sum() + A[0].sum())
    else:  # pragma: no cover
        raise SystemExit(f"unknown variant {variant}")
    wall = time.perf_counter() - start
    return {
        "wall_s": wall,
        "peak_rss_mb": _rss_mb(),
        "baseline_rss_mb": baseline,
        "multiplier_sum": float(m.sum()),
        "check": check,
    }


def run_variant(variant: str, folder: Path) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--worker", variant, "--data", str(folder)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False, env=os.environ.copy())
    if out.returncode != 0:
        raise SystemExit(f"{variant} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench(name: str, folder: Path, n: int, repeat: int) -> dict[str, dict[str, float]]:
    print(f"\n== {name} ({n:,} sectors; best wall time of {repeat} runs, largest peak RSS) ==")
    print(
        f"{'variant':<24}{'wall s':>9}{'peak RSS MB':>14}{'baseline MB':>13}{'Σ multipliers':>18}"
    )
    res: dict[str, dict[str, float]] = {}
    for v in VARIANTS:
        runs = [run_variant(v, folder) for _ in range(repeat)]
        r = dict(runs[0])
        r["wall_s"] = min(x["wall_s"] for x in runs)
        r["peak_rss_mb"] = max(x["peak_rss_mb"] for x in runs)
        r["walls"] = [x["wall_s"] for x in runs]  # type: ignore[assignment]
        res[v] = r
        print(
            f"{v:<24}{r['wall_s']:>9.2f}{r['peak_rss_mb']:>14.0f}{r['baseline_rss_mb']:>13.0f}"
            f"{r['multiplier_sum']:>18.6f}"
        )
    ms = {v: r["multiplier_sum"] for v, r in res.items()}
    spread = max(ms.values()) / min(ms.values()) - 1
    print(f"multipliers agree across variants to {spread:.1e} (relative)")
    pairs = [
        ("chainatlas-api", "pymrio-iosystem"),
        ("chainatlas-kernels", "pymrio-iosystem"),
        ("chainatlas-kernels", "pymrio-iomath"),
        ("chainatlas-multipliers", "pymrio-iomath"),
    ]
    for ours, theirs in pairs:
        a, b = res[ours], res[theirs]
        print(
            f"  {ours} vs {theirs}: {b['wall_s'] / a['wall_s']:.2f}x faster, "
            f"peak memory {a['peak_rss_mb'] / b['peak_rss_mb']:.2f}x"
        )
    return res


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--worker", help=argparse.SUPPRESS)
    p.add_argument("--data", help=argparse.SUPPRESS)
    p.add_argument("--n", type=int, default=5000, help="size of the random table")
    p.add_argument("--year", type=int, default=2011, help="WIOD year")
    p.add_argument("--repeat", type=int, default=3, help="runs per variant (best time kept)")
    p.add_argument("--skip-wiod", action="store_true")
    p.add_argument("--skip-random", action="store_true")
    p.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = p.parse_args()
    if args.worker:
        print(json.dumps(work(args.worker, Path(args.data))))
        return
    import numpy

    print(
        f"numpy {numpy.__version__}; cores {os.cpu_count()}; "
        f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}"
    )
    results = {}
    with tempfile.TemporaryDirectory(prefix="chainatlas-bench-") as tmp:
        if not args.skip_wiod:
            d = Path(tmp) / "wiod"
            d.mkdir()
            prepare_wiod(d, args.year)
            results[f"wiod-{args.year}"] = bench(f"WIOD {args.year}", d, 1435, args.repeat)
        if not args.skip_random:
            d = Path(tmp) / "random"
            d.mkdir()
            prepare_random(d, args.n)
            results[f"random-{args.n}"] = bench("random productive table", d, args.n, args.repeat)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
