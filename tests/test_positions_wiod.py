"""Positions on WIOD: inventory-corrected downstreamness against Antràs & Chor's published values.

Published values: Antràs, P. and Chor, D. (2018), "On the measurement of upstreamness and
downstreamness in global value chains", in Ing, L. Y. and Yu, M. (eds), *World Trade Evolution:
Growth, Productivity and Employment*, Routledge, ch. 5 — their WIOD 2013-release positions with
the net-inventory correction (``GVC_Di``, ``GVC_Ui``), as distributed in the R package
concordance (insongkim/concordance, ``data/upstream.RData``, commit 201c812), transcribed here
to 6 decimals for a few economies (c1…c35 in order). The published file gives 1 for zero-output
sectors (CHN c19, c35); chainatlas gives NaN there. The all-economy check (r on every
sector with output ≥ USD 1,000 million, 1995/2005/2011) is ``benchmarks/bench_positions.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

from chainatlas.datasets import load
from chainatlas.errors import InputError
from chainatlas.io.positions import downstreamness, positions, upstreamness

PUBLISHED = {
    ("CHN", 1995, "downstreamness"): (
        1.930542,
        2.322014,
        2.655087,
        3.081235,
        3.210143,
        2.838351,
        2.916948,
        2.796657,
        2.935234,
        3.123445,
        2.823646,
        3.149692,
        2.984425,
        3.158114,
        3.237408,
        2.912176,
        2.393449,
        3.005494,
        1.000000,
        2.307142,
        2.307142,
        2.433476,
        2.154044,
        2.599747,
        2.622683,
        2.183240,
        2.077523,
        1.961204,
        1.617264,
        2.489796,
        2.383635,
        2.056219,
        2.781962,
        2.408493,
        1.000000,
    ),
    ("CHN", 2005, "downstreamness"): (
        2.018644,
        2.329923,
        2.718746,
        3.204867,
        3.239754,
        3.051655,
        3.033736,
        2.826319,
        3.110326,
        3.326516,
        2.902189,
        3.187049,
        3.203829,
        3.357937,
        3.408060,
        2.747673,
        2.727355,
        3.149425,
        1.000000,
        2.054823,
        2.054823,
        2.532229,
        2.228334,
        2.535526,
        2.948682,
        2.523051,
        2.121483,
        1.764891,
        1.528628,
        2.556733,
        2.189916,
        2.088403,
        2.719342,
        2.462423,
        1.000000,
    ),
    ("CHN", 2011, "downstreamness"): (
        2.086643,
        2.522093,
        2.892013,
        3.503030,
        3.465157,
        3.256204,
        3.259041,
        2.846064,
        3.291765,
        3.581980,
        3.055164,
        3.315127,
        3.423187,
        3.693523,
        3.688701,
        2.893416,
        3.010596,
        3.308821,
        1.000000,
        2.021219,
        2.021219,
        2.671691,
        2.320549,
        2.569720,
        3.188303,
        2.584009,
        2.137389,
        1.729477,
        1.440934,
        2.754316,
        2.238975,
        2.194039,
        2.965290,
        2.560227,
        1.000000,
    ),
    ("DEU", 2011, "downstreamness"): (
        2.177446,
        2.102827,
        2.509222,
        2.360737,
        2.272673,
        2.447262,
        2.207314,
        2.619903,
        2.279890,
        2.299073,
        2.231815,
        2.518000,
        2.396037,
        2.364758,
        2.788472,
        2.380080,
        1.953713,
        2.188326,
        1.631255,
        1.769971,
        1.746622,
        1.874959,
        2.039822,
        2.506518,
        2.590869,
        2.206129,
        1.979724,
        2.039257,
        1.358832,
        1.567138,
        1.644898,
        1.403436,
        1.557655,
        1.710304,
        1.000000,
    ),
    ("USA", 2011, "downstreamness"): (
        2.230788,
        1.834296,
        2.631969,
        2.394393,
        2.110343,
        2.397093,
        2.224067,
        2.318639,
        2.406922,
        2.397891,
        2.225689,
        2.437459,
        2.221442,
        1.781808,
        2.835529,
        2.075429,
        1.505859,
        1.985136,
        1.707833,
        1.587822,
        1.555212,
        1.917135,
        2.004973,
        2.224669,
        2.145676,
        1.673202,
        1.790714,
        1.788097,
        1.529124,
        1.575063,
        1.769344,
        1.616223,
        1.677667,
        1.818582,
        1.000000,
    ),
    ("CHN", 2011, "upstreamness"): (
        2.935411,
        4.590730,
        2.537457,
        2.962209,
        2.318302,
        3.598672,
        4.121271,
        4.149034,
        3.995534,
        3.795521,
        2.659072,
        3.682242,
        2.576628,
        2.843350,
        2.610335,
        2.246725,
        4.386141,
        1.061245,
        1.000000,
        2.719213,
        2.627742,
        2.560997,
        3.293077,
        3.659553,
        2.900450,
        2.609166,
        2.494144,
        3.299105,
        1.763314,
        3.217987,
        1.030446,
        1.267136,
        1.339625,
        2.516130,
        1.000000,
    ),
}


@pytest.fixture(scope="module")
def wiod(mirror: object) -> dict[int, object]:
    del mirror
    return {y: load(f"wiod-2013:{y}", progress=False) for y in (1995, 2005, 2011)}


def _compare(
    table, economy: str, year: int, measure: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    fn = downstreamness if measure == "downstreamness" else upstreamness
    ours = fn(table).xs(economy, level=0).to_numpy()
    published = np.array(PUBLISHED[(economy, year, measure)])
    x = table.x.xs(economy, level=0).to_numpy()
    return ours, published, x


@pytest.mark.parametrize(
    "economy,year", [("CHN", 1995), ("CHN", 2005), ("CHN", 2011), ("DEU", 2011), ("USA", 2011)]
)
def test_downstreamness_matches_published_on_large_sectors(wiod, economy: str, year: int) -> None:
    ours, published, x = _compare(wiod[year], economy, year, "downstreamness")
    big = x >= 1000
    assert big.sum() >= 33
    r = np.corrcoef(ours[big], published[big])[0, 1]
    assert r >= 0.998
    assert np.abs(ours[big] - published[big]).max() < 0.04  # rounding of the public tables
    # zero-output sectors: NaN here, 1 in the published file
    zero = x == 0
    assert np.isnan(ours[zero]).all() and (published[zero] == 1).all()


def test_upstreamness_matches_published_chn_2011(wiod) -> None:
    ours, published, x = _compare(wiod[2011], "CHN", 2011, "upstreamness")
    big = x >= 1000
    assert np.corrcoef(ours[big], published[big])[0, 1] >= 0.999
    assert np.abs(ours[big] - published[big]).max() < 0.005


def test_correction_matters_and_plain_variant_is_available(wiod) -> None:
    t = wiod[2011]
    corrected = downstreamness(t)
    plain = downstreamness(t, correction="none")
    assert corrected.attrs["correction"] == "net-inventories"
    assert plain.attrs["correction"] == "none"
    # the plain variant is the output multiplier 1ᵀL
    L = t.L.to_numpy()
    ok = t.x.to_numpy() > 0
    np.testing.assert_allclose(plain.to_numpy()[ok], L.sum(axis=0)[ok], rtol=1e-10)
    published = np.array(PUBLISHED[("CHN", 2011, "downstreamness")])
    chn = t.x.xs("CHN", level=0).to_numpy() >= 1000
    err_c = np.abs(corrected.xs("CHN", level=0).to_numpy()[chn] - published[chn]).max()
    err_p = np.abs(plain.xs("CHN", level=0).to_numpy()[chn] - published[chn]).max()
    assert err_c < err_p  # the correction is what the published values use


def test_zero_output_sectors_get_nan_with_a_note(wiod) -> None:
    t = wiod[2011]
    p = positions(t)
    zero = t.x.to_numpy() == 0
    assert zero.sum() == 22
    assert p.loc[zero, ["upstreamness", "downstreamness"]].isna().all().all()
    assert p.loc[~zero, ["upstreamness", "downstreamness"]].notna().all().all()
    assert p["rank_upstream"].isna().sum() == 22
    assert "22 zero-output sector(s) have no position (NaN)" in p.attrs["note"]
    assert "CHN c19" in p.attrs["note"]
    assert (p.loc[~zero, "downstreamness"] >= 1).all()


def test_bad_correction_option(wiod) -> None:
    with pytest.raises(InputError, match="unknown correction 'inventory'"):
        downstreamness(wiod[2011], correction="inventory")  # type: ignore[arg-type]
