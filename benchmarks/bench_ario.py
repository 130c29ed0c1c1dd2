"""ARIO benchmark: the vectorised kernel against BoARIO on full WIOD 2011, in the same run.

``./run bench ario [--days 100] [--batch 8] [--ranking] [--top 20]``

1. One scenario (JPN c14 loses 30 % of capacity for 90 days from day 5) with BoARIO's
   ``ARIOPsiModel`` and with :mod:`chainatlas.kernels.ario`, each in its own subprocess:
   wall and CPU time, peak memory of the run (tracemalloc) and of the process (max RSS), and the
   largest relative difference of daily production by economy-sector.
2. A batch of ``--batch`` scenarios in one kernel call (time per scenario).
3. ``--ranking``: the dynamic chokepoint ranking of every CHN foreign supplier (each stops
   selling to CHN for 90 days), with progress lines, timed.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
import tracemalloc

import numpy as np

SCENARIO = {
    "model": "ario",
    "name": "JPN c14 -30 % for 90 days",
    "events": [
        {"economy": "JPN", "sector": "c14", "capacity_loss_pct": 30, "start_day": 5,
         "duration_days": 90}
    ],
    "parameters": {"negative_final_demand": "clip"},
}  # fmt: skip


def _table():  # noqa: ANN202
    from chainatlas.datasets import load

    return load("wiod-2013:2011", progress=False)


def run_one(engine: str, days: int) -> dict:
    """Run the scenario with one engine; returns timings, memory and the production array."""
    from chainatlas.resilience import parse_scenario, run_scenario

    table = _table()
    sc = parse_scenario({**SCENARIO, "simulate_days": days, "engine": engine})
    tracemalloc.start()
    w0, c0 = time.perf_counter(), time.process_time()
    res = run_scenario(table, sc)
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    prod = res.details["production"].to_numpy()
    np.save(f"/tmp/bench_ario_{engine}.npy", prod)
    return {
        "engine": engine,
        "wall_s": wall,
        "cpu_s": cpu,
        "peak_traced_mb": peak / 2**20,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "world_loss": float(res.totals["loss"]),
    }


def _sub(engine: str, days: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--only", engine, "--days", str(days)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def batch(k: int, days: int) -> dict:
    from chainatlas.kernels import ario as K
    from chainatlas.resilience.dynamic import prepare_ario
    from chainatlas.resilience.scenarios import ARIOParameters

    prep = prepare_ario(_table(), ARIOParameters(negative_final_demand="clip"))
    n = prep.table.n
    imp = np.zeros((k, n))
    for j in range(k):
        imp[j, (j * 97) % n] = 0.5
    d = np.stack([K.boario_event_schedule(imp[j : j + 1], np.array([4]), np.array([90]),
                                          np.array([1]), days) for j in range(k)])  # fmt: skip
    w0, c0 = time.perf_counter(), time.process_time()
    K.simulate(prep.arrays, d)
    return {"k": k, "wall_s_per_scenario": (time.perf_counter() - w0) / k,
            "cpu_s_per_scenario": (time.process_time() - c0) / k}  # fmt: skip


def ranking(top: int) -> dict:
    from chainatlas.resilience.dynamic_ranking import dynamic_chokepoints

    last = [0.0]

    def tick(msg: str, frac: float | None) -> None:
        if frac is not None and (int(frac * 100) // 10 > int(last[0] * 100) // 10 or frac == 1.0):
            last[0] = frac
            print(f"  {msg} ({time.perf_counter() - w0:.0f} s)", file=sys.stderr, flush=True)

    w0, c0 = time.perf_counter(), time.process_time()
    df = dynamic_chokepoints(_table(), "CHN", progress=tick)
    cols = ["name_zh", "rank", "va_loss", "va_loss_pct_gdp", "peak_day", "recovery_days",
            "rest_of_world"]  # fmt: skip
    print(df[cols].head(top).to_string(), file=sys.stderr)
    return {"candidates": len(df), "no_flows": len(df.attrs["no_flows"]),
            "wall_s": time.perf_counter() - w0, "cpu_s": time.process_time() - c0}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--days", type=int, default=100)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--ranking", action="store_true")
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--only", choices=["kernel", "boario"])
    ap.add_argument("--ranking-only", action="store_true", help="skip the BoARIO comparison")
    a = ap.parse_args()
    if a.only:
        print(json.dumps(run_one(a.only, a.days)))
        return
    if a.ranking_only:
        print(json.dumps({"ranking": ranking(a.top)}, indent=2))
        return
    ref = _sub("boario", a.days)
    fast = _sub("kernel", a.days)
    pb, pk = np.load("/tmp/bench_ario_boario.npy"), np.load("/tmp/bench_ario_kernel.npy")
    rel = float(np.max(np.abs(pk - pb)) / np.max(np.abs(pb)))
    summary = {
        "days": a.days,
        "boario": ref,
        "kernel": fast,
        "speedup_wall": ref["wall_s"] / fast["wall_s"],
        "speedup_cpu": ref["cpu_s"] / fast["cpu_s"],
        "max_rel_diff_production": rel,
        "batch": batch(a.batch, a.days),
    }
    if a.ranking:
        summary["ranking"] = ranking(a.top)
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
