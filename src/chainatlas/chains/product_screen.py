"""Product-level supply screen (产品级供应集中度筛查) on country × product export data.

For each product p and a focus economy f (e.g. China), from world exports ``X_cp``:

* ``world_exports`` ``X_p = Σ_c X_cp``;
* ``focus_share`` ``X_fp / X_p`` — the focus's own share of world exports (the domestic
  alternative to imports);
* ``hhi_foreign`` ``Σ_{c≠f} (X_cp / (X_p − X_fp))²`` — concentration of world supply among
  exporters *other than the focus* (foreign-only, so the focus's own capacity is not counted as
  supplier concentration);
* ``hhi_world`` — the same over all exporters, kept for comparison;
* ``top3_share`` and ``top3`` — the three largest exporters' share of world exports and their
  codes; ``top3_foreign_share`` among foreign exporters;
* ``focus_rca`` — the focus's Balassa RCA in the product.

Flags (thresholds are parameters):

* ``flag_concentrated``: ``hhi_foreign > hhi_threshold`` (default 0.4). The EU's 2021
  strategic-dependencies screen (European Commission, SWD(2021) 352, "Strategic dependencies and
  capacities", criterion 1: HHI of extra-EU import origins > 0.4) and CEPII's GeoDep
  (Bonneau & Nakaa 2024; supply concentration HHI > 0.4) both use 0.4. Here it is applied to
  *world foreign exports*, a proxy: the data have no bilateral imports, so the focus's own
  import-origin concentration cannot be measured.
* ``flag_weak_domestic``: ``focus_rca < rca_threshold`` (default 1): the focus does not export
  the product above its average share — a proxy for the EU's substitutability criterion
  (criterion 3: imports exceed exports), which needs the focus's imports.
* ``flag_dependency``: both flags.

EU criteria that **cannot** be applied without bilateral import data: criterion 1 on the focus's
own import origins, criterion 2 (importance of extra-EU imports in total demand, imports / total
trade > 0.5) and criterion 3 itself (imports / exports > 1). The screen states this in
``ScreenResult.limitations``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from chainatlas.errors import InputError, SchemaError, UnknownCodeError, suggest
from chainatlas.validation import validate_params

__all__ = ["ScreenResult", "product_screen", "LIMITATIONS", "RULES"]

RULES = (
    "HHI > 0.4: European Commission (2021), Strategic dependencies and capacities, SWD(2021) 352, "
    "criterion 1; CEPII GeoDep (Bonneau & Nakaa 2024). Applied to world exports by exporters "
    "other than the focus economy."
)

LIMITATIONS: dict[str, dict[str, str]] = {
    "applied": {
        "en": "Applied: supply concentration (HHI > 0.4) on world exports by foreign exporters, as "
        "a proxy for the concentration of the focus's import origins; the focus's own export "
        "share and RCA as a proxy for substitutability.",
        "zh": "已应用：以外国出口方的世界出口集中度（HHI>0.4）代替本国进口来源集中度；以本国出口份额"
        "与RCA代替可替代性指标。",
    },
    "not_applied": {
        "en": "Not applicable without bilateral import data: the HHI of the focus's own import "
        "origins (EU criterion 1 proper), the weight of imports in total demand (criterion 2, "
        "imports / total trade > 0.5) and the imports-to-exports ratio (criterion 3, > 1).",
        "zh": "缺少双边进口数据，无法应用：本国进口来源的HHI（欧盟标准1本身）、进口在总需求中的比重"
        "（标准2，进口/贸易总额>0.5）与进口/出口比（标准3，>1）。",
    },
}


@dataclass(frozen=True)
class ScreenResult:
    """The screen's table (index ``product``) and its thresholds and limitations."""

    table: pd.DataFrame
    focus: str
    thresholds: dict[str, float] = field(default_factory=dict)
    limitations: dict[str, dict[str, str]] = field(default_factory=lambda: dict(LIMITATIONS))

    @property
    def flagged(self) -> pd.DataFrame:
        """Products with ``flag_dependency``, most concentrated first."""
        t = self.table[self.table["flag_dependency"]]
        return t.sort_values(["hhi_foreign", "world_exports"], ascending=False)


def _matrix(data: pd.DataFrame, location: str, product: str, value: str) -> pd.DataFrame:
    missing = [c for c in (location, product, value) if c not in data.columns]
    if missing:
        raise SchemaError(
            "input lacks columns", received=missing, fix="pass location, product, value"
        )
    vals = pd.to_numeric(data[value], errors="coerce")
    if vals.isna().any() or (vals < 0).any():
        bad = data.loc[vals.isna() | (vals < 0), [location, product]].astype(str)
        raise InputError(
            f"{len(bad)} row(s) with a missing or negative value in {value!r}",
            received=(bad[location] + " / " + bad[product]).tolist()[:5],
            fix="drop or fix these rows first",
        )
    if data.duplicated([location, product]).any():
        raise InputError(
            "duplicate (location, product) rows",
            received=int(data.duplicated([location, product]).sum()),
            fix="aggregate them first",
        )
    X = data.assign(_v=vals).pivot(index=location, columns=product, values="_v").fillna(0.0)
    return X


@validate_params
def product_screen(
    data: pd.DataFrame,
    focus: str,
    *,
    location: str = "location",
    product: str = "product",
    value: str = "value",
    hhi_threshold: float = 0.4,
    rca_threshold: float = 1.0,
    exclude_products: tuple[str, ...] = ("9999",),
) -> ScreenResult:
    """Concentration of world supply per product, seen from `focus` (foreign exporters only).

    Parameters
    ----------
    data : DataFrame
        Long exports (location, product, value ≥ 0), one period (e.g.
        ``load("world-trade-hs4-2017").exports``).
    focus : str
        Focus location code (case-insensitive), e.g. ``"CHN"``.
    hhi_threshold : float
        In (0, 1]; default 0.4 (EU 2021, CEPII GeoDep).
    rca_threshold : float
        > 0; the focus is "weak domestically" below it (default 1).
    exclude_products : tuple of str
        Codes that are not products (HS 9999).

    Returns
    -------
    ScreenResult

    Raises
    ------
    UnknownCodeError
        `focus` is not an exporter in `data`.
    InputError
        Thresholds out of range, negative/missing values or duplicate rows.

    Examples
    --------
    >>> df = pd.DataFrame({"location": ["a", "b", "c", "a", "b"], "product": ["x", "x", "x", "y", "y"],
    ...                    "value": [50.0, 45, 5, 10, 90]})
    >>> t = product_screen(df, "a").table
    >>> round(float(t.loc["x", "hhi_foreign"]), 3), round(float(t.loc["y", "hhi_foreign"]), 3)
    (0.82, 1.0)
    """
    if not (0 < hhi_threshold <= 1):
        raise InputError("hhi_threshold must be in (0, 1]", received=hhi_threshold, fix="0.4")
    if not (np.isfinite(rca_threshold) and rca_threshold > 0):
        raise InputError("rca_threshold must be > 0", received=rca_threshold, fix="1.0")
    X = _matrix(data, location, product, value)
    X = X.loc[:, ~X.columns.isin(exclude_products)]
    locs = [str(c) for c in X.index]
    match = [c for c in locs if c.lower() == str(focus).lower()]
    if not match:
        raise UnknownCodeError(
            f"unknown focus economy {focus!r}",
            received=focus,
            fix=suggest(str(focus).lower(), locs),
        )
    f = X.index[locs.index(match[0])]
    A = X.to_numpy(dtype=np.float64)
    fi = locs.index(match[0])
    world = A.sum(axis=0)
    keep = world > 0
    A, world = A[:, keep], world[keep]
    prods = X.columns[keep]
    own = A[fi]
    foreign = A.copy()
    foreign[fi] = 0.0
    ftot = foreign.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        hhi_f = np.where(
            ftot > 0, ((foreign / np.where(ftot > 0, ftot, 1)) ** 2).sum(axis=0), np.nan
        )
        hhi_w = ((A / world) ** 2).sum(axis=0)
    order = np.argsort(-A, axis=0, kind="stable")[:3]
    top3_share = np.take_along_axis(A, order, axis=0).sum(axis=0) / world
    forder = np.argsort(-foreign, axis=0, kind="stable")[:3]
    top3_f = np.take_along_axis(foreign, forder, axis=0).sum(axis=0) / np.where(ftot > 0, ftot, 1)
    total = A.sum()
    rca = (own / own.sum()) / (world / total) if own.sum() > 0 else np.zeros_like(own)
    names = np.asarray(X.index, dtype=object)
    top3 = [",".join(str(names[i]) for i in order[:, j] if A[i, j] > 0) for j in range(len(prods))]
    table = pd.DataFrame(
        {
            "world_exports": world,
            "focus_share": own / world,
            "focus_rca": rca,
            "hhi_foreign": hhi_f,
            "hhi_world": hhi_w,
            "top3_share": top3_share,
            "top3_foreign_share": top3_f,
            "top3": top3,
            "top_foreign": [
                str(names[forder[0, j]]) if ftot[j] > 0 else "" for j in range(len(prods))
            ],
        },
        index=pd.Index(prods, name="product"),
    )
    table["flag_concentrated"] = table["hhi_foreign"] > hhi_threshold
    table["flag_weak_domestic"] = table["focus_rca"] < rca_threshold
    table["flag_dependency"] = table["flag_concentrated"] & table["flag_weak_domestic"]
    return ScreenResult(
        table,
        str(f),
        {"hhi_threshold": hhi_threshold, "rca_threshold": rca_threshold},
    )
