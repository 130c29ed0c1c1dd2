"""Report section: China's gross exports split into DVA, RDV, FVA and PDC over WIOD years."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from chainatlas.datasets import load
from chainatlas.pipelines import gvc_exports as gx


@pytest.fixture(scope="module")
def cache_root(tmp_path_factory: pytest.TempPathFactory, mirror: object) -> Path:
    return tmp_path_factory.mktemp("gvc-cache")


@pytest.fixture()
def cache(cache_root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CHAINATLAS_CACHE", str(cache_root))
    return cache_root


def test_series_is_cached_per_year_and_adds_up(cache: Path) -> None:
    df, meta = gx.export_split_series("CHN", years=(1995, 2011))
    assert sorted(meta["computed"] + meta["cached"]) == [1995, 2011]
    files = sorted(p.name for p in (cache / "gvc").iterdir())
    assert len(files) == 2 and all(gx.CACHE_VERSION in f for f in files)
    assert (df[list(gx.GROUPS)].sum(axis=1) - df["exports"]).abs().max() < 1e-6
    # China 2011 (decompr 6.8.0 KWW terms, tests/test_gvc_decomposition.py): DVA = DVA_FIN +
    # DVA_INT + DVA_INTrex = 1,573,819.68 USD million of 2,084,965
    assert df.loc[2011, "DVA"] == pytest.approx(1573819.676004, rel=1e-9)
    assert df.loc[2011, "exports"] == 2084965.0
    assert df.loc[1995, "FVA_share"] < df.loc[2011, "FVA_share"]
    t0 = time.perf_counter()
    again, meta2 = gx.export_split_series("CHN", years=(1995, 2011))
    assert meta2["cached"] == [1995, 2011] and meta2["computed"] == []
    assert time.perf_counter() - t0 < 1.0
    assert again.equals(df)
    rec = json.loads((cache / "gvc" / files[-1]).read_text(encoding="utf-8"))
    assert set(rec["terms"]) == {
        "DVA_FIN",
        "DVA_INT",
        "DVA_INTrex",
        "RDV_FIN",
        "RDV_INT",
        "DDC",
        "FVA_FIN",
        "FVA_INT",
        "FDC",
    }


def test_section_on_wiod_and_on_a_single_table(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gx, "YEARS", (1995, 2011))  # cached by the test above when run with it
    t = load("wiod-2013:2011", progress=False)
    assert gx.applies(t, "wiod-2013:2011") and not gx.applies({}, "x")
    msgs: list[str] = []
    (sec,) = gx.sections(t, "wiod-2013:2011", msgs.append)
    assert sec["id"] == "chains-export-decomposition"
    assert sec["datasets"] == ["wiod-2013:1995…2011"]
    assert sec["question"] == "height"
    kinds = [b["kind"] for b in sec["blocks"]]
    assert kinds[:4] == ["finding", "metrics", "text", "figure"] and kinds.count("table") == 3
    assert kinds[-1] == "note"
    finding = sec["blocks"][0]
    assert finding["year"] == 2011 and finding["unit"] == "% of gross exports"
    assert finding["value"] == pytest.approx(75.48, abs=0.01)
    assert finding["benchmark"]["label"] == "CHN 1995"
    assert finding["source"].startswith("wiod-2013:1995…2011")
    metrics = sec["blocks"][1]["items"]
    assert sum(m["value"] for m in metrics) == pytest.approx(100.0, abs=1e-3)
    assert "2 table(s) in" in sec["blocks"][2]["en"]
    series = sec["blocks"][4]
    assert [r[0] for r in series["rows"]] == [1995, 2011]
    assert series["unit"] == "USD million"
    ind = [b for b in sec["blocks"] if b["kind"] == "table"][-1]
    economies = [r[0] for r in ind["rows"]]
    assert len(economies) == 12 and "RoW" not in economies and economies[0] == "CHN"
    (one,) = gx.sections(t, "my-mrio.csv", msgs.append)
    assert one["datasets"] == ["my-mrio.csv"]
    assert one["blocks"][4]["rows"][0][0] == "my-mrio.csv"
    assert one["blocks"][0]["benchmark"] is None
