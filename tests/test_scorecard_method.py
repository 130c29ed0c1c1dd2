"""The scorecard's Handbook steps against a slow, obviously correct reference (plain loops)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from chainatlas.errors import ChainAtlasError, InputError
from chainatlas.kernels import composite as kc
from chainatlas.scorecard import (
    MissingDataError,
    SpecError,
    TooFewUnitsError,
    compute_scorecard,
    parse_spec_dict,
)

# ---------------------------------------------------------------------- slow reference


def ref_normalise(col: list[float], method: str, positive: bool) -> list[float]:
    obs = [v for v in col if not math.isnan(v)]
    out = []
    for v in col:
        if math.isnan(v):
            out.append(math.nan)
            continue
        if method == "min-max":
            u = (v - min(obs)) / (max(obs) - min(obs))
            out.append(1 + 99 * u if positive else 100 * u)
        elif method == "z-score":
            mu = sum(obs) / len(obs)
            sd = math.sqrt(sum((o - mu) ** 2 for o in obs) / (len(obs) - 1))
            z = (v - mu) / sd
            out.append(100 + 10 * z if positive else z)
        else:  # average rank of v among observed, 1 = lowest, scaled 100 r / n
            below = sum(1 for o in obs if o < v)
            ties = sum(1 for o in obs if o == v)
            r = below + (ties + 1) / 2
            out.append(100 * r / len(obs))
    return out


def ref_scores(raw, directions, pillars, weights, pweights, norm, agg, missing):
    units = list(raw.index)
    ids = list(raw.columns)
    data = {i: [float(raw.loc[u, i]) for u in units] for i in ids}
    if missing == "impute-mean":
        for i in ids:
            obs = [v for v in data[i] if not math.isnan(v)]
            m = sum(obs) / len(obs)
            data[i] = [m if math.isnan(v) else v for v in data[i]]
    for i in ids:
        if directions[i] == "lower":
            data[i] = [-v for v in data[i]]
    pos = agg == "geometric"
    normd = {i: ref_normalise(data[i], norm, pos) for i in ids}
    result = {}
    for k, u in enumerate(units):
        ps = {}
        for p in ("breadth", "height", "toughness"):
            num = den = 0.0
            for i in ids:
                if pillars[i] != p or math.isnan(normd[i][k]):
                    continue
                y = normd[i][k]
                num += weights[i] * (math.log(y) if pos else y)
                den += weights[i]
            ps[p] = math.exp(num / den) if pos else num / den
        if pos:
            overall = math.exp(sum(pweights[p] * math.log(ps[p]) for p in ps))
        else:
            overall = sum(pweights[p] * ps[p] for p in ps)
        result[u] = {**ps, "overall": overall}
    return pd.DataFrame(result).T


def _spec(weights=None, **kw):
    inds = []
    pil = ["breadth", "breadth", "height", "height", "height", "toughness", "toughness"]
    dirs = ["higher", "higher", "higher", "lower", "higher", "lower", "higher"]
    for k, (p, d) in enumerate(zip(pil, dirs, strict=True)):
        e = {
            "id": f"i{k}",
            "pillar": p,
            "formula": "column",
            "direction": d,
            "unit": "u",
            "source": "s",
            "year": 2020,
        }
        if weights is not None:
            e["weight"] = weights[k]
        inds.append(e)
    return parse_spec_dict({"name": "t", "version": 1, "indicators": inds, **kw})


@pytest.fixture
def raw():
    rng = np.random.default_rng(7)
    df = pd.DataFrame(rng.gamma(2.0, 3.0, size=(9, 7)), columns=[f"i{k}" for k in range(7)])
    df.index = [f"U{k}" for k in range(9)]
    return df


# ---------------------------------------------------------------------- steps vs reference
@pytest.mark.parametrize("norm", ["min-max", "z-score", "rank"])
@pytest.mark.parametrize("agg", ["arithmetic", "geometric"])
def test_scores_match_reference(raw, norm, agg):
    w = [0.3, 0.7, 0.2, 0.5, 0.3, 0.6, 0.4]
    spec = _spec(weights=w, pillar_weights={"breadth": 0.5, "height": 0.3, "toughness": 0.2})
    sc = compute_scorecard(raw, spec, normalisation=norm, aggregation=agg, n_draws=0)
    ref = ref_scores(
        raw,
        {i.id: i.direction for i in spec.indicators},
        spec.pillar_of,
        spec.indicator_weights(),
        spec.pillar_weights,
        norm,
        agg,
        "error",
    )
    got = sc.scores[["breadth", "height", "toughness", "overall"]].reindex(ref.index)
    np.testing.assert_allclose(got.to_numpy(), ref.to_numpy(dtype=float), rtol=1e-12)
    # ranks: 1 = best, consistent with the scores
    assert sc.scores["overall_rank"].tolist() == sorted(sc.scores["overall_rank"])
    assert sc.scores["overall"].is_monotonic_decreasing


@pytest.mark.parametrize("missing", ["skip-and-reweight", "impute-mean"])
def test_missing_policies_match_reference(raw, missing):
    raw = raw.copy()
    raw.iloc[2, 0] = np.nan
    raw.iloc[5, 3] = np.nan
    spec = _spec()
    sc = compute_scorecard(raw, spec, missing=missing, n_draws=0)
    ref = ref_scores(
        raw,
        {i.id: i.direction for i in spec.indicators},
        spec.pillar_of,
        spec.indicator_weights(),
        spec.pillar_weights,
        "min-max",
        "arithmetic",
        missing,
    )
    got = sc.scores[["breadth", "height", "toughness", "overall"]].reindex(ref.index)
    np.testing.assert_allclose(got.to_numpy(), ref.to_numpy(dtype=float), rtol=1e-12)
    # never silent: both treated cells are logged with the action
    assert sorted(zip(sc.missing["unit"], sc.missing["indicator"], strict=True)) == [
        ("U2", "i0"),
        ("U5", "i3"),
    ]
    assert sc.indicators.loc["i0", "n_missing"] == 1
    ex = sc.explain("U2")
    assert ex.loc["i0", "missing_action"] != ""
    if missing == "skip-and-reweight":
        assert ex.loc["i0", "effective_weight"] == 0 and ex.loc["i1", "effective_weight"] == 1


def test_explain_rebuilds_the_pillars(raw):
    sc = compute_scorecard(raw, _spec(), n_draws=0)
    for u in ("U0", "U4"):
        ex = sc.explain(u)
        for p, g in ex.groupby("pillar"):
            assert g["contribution"].sum() == pytest.approx(sc.scores.loc[u, p])
    sc_g = compute_scorecard(raw, _spec(), aggregation="geometric", n_draws=0)
    ex = sc_g.explain("U1")
    for p, g in ex.groupby("pillar"):
        assert g["contribution"].prod() == pytest.approx(sc_g.scores.loc["U1", p])


def test_ranks_reference():
    s = np.array([[0.5, 0.9, 0.5, 0.1]])
    want = [[1 + sum(1 for b in row if b > a) for a in row] for row in s]
    assert kc.ranks_desc(s).tolist() == want


def test_monte_carlo_against_loop(raw):
    """Each Monte Carlo draw equals a plain recomputation with that draw's choices."""
    spec = _spec()
    X = raw[spec.ids].to_numpy() * np.array(
        [-1.0 if i.direction == "lower" else 1.0 for i in spec.indicators]
    )
    groups = np.array([("breadth", "height", "toughness").index(i.pillar) for i in spec.indicators])
    Ys = {
        (n, a): kc.normalise(X, n, positive=a == "geometric")
        for n in kc.NORMALISATIONS
        for a in kc.AGGREGATIONS
    }
    nominal = np.full(7, 1.0)
    ranks, choice = kc.monte_carlo(
        Ys, nominal, groups, 3, np.full(3, 1 / 3), n_draws=25, concentration=5.0, seed=3
    )
    # redraw the same random numbers in the same order
    rng = np.random.default_rng(3)
    keys = list(Ys)
    ch = rng.integers(0, len(keys), size=25)
    W = kc.dirichlet_weights(rng, nominal, groups, 25, 5.0)
    P = kc.dirichlet_weights(rng, np.full(3, 1 / 3), np.zeros(3, dtype=int), 25, 5.0)
    assert (ch == choice).all()
    for d in range(25):
        _, a = keys[ch[d]]
        Y = Ys[keys[ch[d]]]
        units = range(Y.shape[0])
        pil = []
        for u in units:
            row = []
            for g in range(3):
                idx = [i for i in range(7) if groups[i] == g]
                wsum = sum(W[d, i] for i in idx)
                if a == "arithmetic":
                    row.append(sum(W[d, i] * Y[u, i] for i in idx) / wsum)
                else:
                    row.append(math.exp(sum(W[d, i] * math.log(Y[u, i]) for i in idx) / wsum))
            pil.append(row)
        if a == "arithmetic":
            ov = [sum(P[d, g] * r[g] for g in range(3)) for r in pil]
        else:
            ov = [math.exp(sum(P[d, g] * math.log(r[g]) for g in range(3))) for r in pil]
        want = [1 + sum(1 for o in ov if o > v) for v in ov]
        assert ranks[d, :, 3].tolist() == want


def test_dirichlet_weights_sum_to_one_per_pillar():
    rng = np.random.default_rng(0)
    groups = np.array([0, 0, 1, 1, 1, 2])
    W = kc.dirichlet_weights(rng, np.ones(6), groups, 2000, 5.0)
    for g in range(3):
        np.testing.assert_allclose(W[:, groups == g].sum(axis=1), 1.0)
    # centred on the nominal weights
    np.testing.assert_allclose(W[:, groups == 1].mean(axis=0), 1 / 3, atol=0.01)


def test_intervals_contain_nominal_rank_and_are_ordered(raw):
    sc = compute_scorecard(raw, _spec(), n_draws=400)
    s = sc.scores
    for p in ("breadth", "height", "toughness", "overall"):
        assert (s[f"{p}_rank_p05"] <= s[f"{p}_rank_median"]).all()
        assert (s[f"{p}_rank_median"] <= s[f"{p}_rank_p95"]).all()
    assert sc.settings["monte_carlo"]["n_draws"] == 400
    assert sc.indicators["corr_with_pillar"].notna().all()
    # reproducible
    again = compute_scorecard(raw, _spec(), n_draws=400)
    pd.testing.assert_frame_equal(sc.scores, again.scores)


def test_correlation_with_pillar_is_pearson(raw):
    sc = compute_scorecard(raw, _spec(), n_draws=0)
    y = sc.normalised["i2"]
    want = np.corrcoef(y, sc.scores["height"].reindex(y.index))[0, 1]
    assert sc.indicators.loc["i2", "corr_with_pillar"] == pytest.approx(want)


# ---------------------------------------------------------------------- bad input
def _entry(**over):
    e = {"id": "a", "pillar": "breadth", "formula": "column", "direction": "higher",
         "unit": "u", "source": "s", "year": 2020}  # fmt: skip
    e.update(over)
    return e


def _three(first):
    return [first, _entry(id="b", pillar="height"), _entry(id="c", pillar="toughness")]


@pytest.mark.parametrize(
    ("over", "match"),
    [
        ({"pillar": "width"}, "unknown pillar 'width'"),
        ({"direction": "up"}, "unknown direction 'up'"),
        ({"formula": "no_such_function"}, "unknown formula 'no_such_function'"),
        ({"year": "latest"}, "year must be an integer"),
    ],
)
def test_bad_indicator_yaml(over, match):
    with pytest.raises(SpecError, match=match):
        parse_spec_dict({"name": "t", "version": 1, "indicators": _three(_entry(**over))})


def test_unknown_formula_suggests_registered():
    with pytest.raises(SpecError, match="unknown formula") as err:
        parse_spec_dict({"name": "t", "version": 1, "indicators": _three(_entry(formula="colum"))})
    assert "column" in str(err.value)


@pytest.mark.parametrize(
    ("weights", "match"),
    [
        ([-0.2, 1.2], "non-negative"),
        ([0.3, 0.3], "sum to 1"),
        ([0.5, None], "some indicators only"),
    ],
)
def test_bad_weights(weights, match):
    inds = [
        _entry(id="a", weight=weights[0]),
        _entry(id="a2", weight=weights[1]),
        _entry(id="b", pillar="height"),
        _entry(id="c", pillar="toughness"),
    ]
    with pytest.raises(ChainAtlasError, match=match):
        parse_spec_dict({"name": "t", "version": 1, "indicators": inds})


def test_bad_pillar_weights():
    with pytest.raises(InputError, match="sum to 1"):
        parse_spec_dict(
            {
                "name": "t",
                "version": 1,
                "indicators": _three(_entry()),
                "pillar_weights": {"breadth": 0.5, "height": 0.5, "toughness": 0.5},
            }  # fmt: skip
        )
    with pytest.raises(SpecError, match="pillar_weights must give exactly"):
        parse_spec_dict(
            {
                "name": "t",
                "version": 1,
                "indicators": _three(_entry()),
                "pillar_weights": {"breadth": 1.0},
            }  # fmt: skip
        )


def test_pillar_without_indicator():
    with pytest.raises(SpecError, match="pillar 'toughness' has no indicator"):
        parse_spec_dict(
            {
                "name": "t",
                "version": 1,
                "indicators": [_entry(), _entry(id="b", pillar="height")],
            }  # fmt: skip
        )


def test_unknown_missing_policy():
    with pytest.raises(SpecError, match="unknown missing-data policy 'drop'"):
        parse_spec_dict(
            {"name": "t", "version": 1, "missing": "drop", "indicators": _three(_entry())}
        )


def test_missing_under_error_policy(raw):
    raw = raw.copy()
    raw.iloc[3, 4] = np.nan
    with pytest.raises(MissingDataError, match="missing value.*'error' missing-data policy") as e:
        compute_scorecard(raw, _spec(missing="error"), n_draws=0)
    assert "U3" in str(e.value) and "i4" in str(e.value)


def test_pillar_all_missing_is_an_error(raw):
    raw = raw.copy()
    raw.loc["U1", ["i5", "i6"]] = np.nan
    with pytest.raises(MissingDataError, match="no observed indicator in pillar 'toughness'"):
        compute_scorecard(raw, _spec(), missing="skip-and-reweight", n_draws=0)


def test_fewer_than_three_units(raw):
    with pytest.raises(TooFewUnitsError, match="at least 3 units"):
        compute_scorecard(raw.head(2), _spec(), n_draws=0)


def test_unknown_explain_unit(raw):
    sc = compute_scorecard(raw, _spec(), n_draws=0)
    with pytest.raises(ChainAtlasError, match="unknown unit 'U99'") as e:
        sc.explain("U99")
    assert "U9" in str(e.value) or "U0" in str(e.value)
    assert sc.resolve_unit("u3") == "U3"


def test_constant_indicator_is_an_error(raw):
    raw = raw.copy()
    raw["i1"] = 1.0
    with pytest.raises(InputError, match="cannot normalise"):
        compute_scorecard(raw, _spec(), n_draws=0)


def test_columns_must_match_spec(raw):
    with pytest.raises(InputError, match="does not match the specification"):
        compute_scorecard(raw.drop(columns="i3"), _spec(), n_draws=0)


def test_builtin_specs_load():
    from chainatlas.scorecard import load_spec

    for name in ("economies",):
        spec = load_spec(name)
        assert {i.pillar for i in spec.indicators} == {"breadth", "height", "toughness"}
        assert all(i.source and i.unit for i in spec.indicators)
    with pytest.raises(ChainAtlasError, match="no scorecard specification 'economys'") as e:
        load_spec("economys")
    assert "economies" in str(e.value)
