"""Interprovincial dependence (省外调入与进口依赖): where a province's supply comes from.

For province p and product i, from the province's supply and use (``province_flows``):

* U_pi, the total use of i: intermediate use + final use (FU101–FU202) + exports + outflows to
  other provinces (``basis="total-use"``, default). Under the **proportional assumption** every
  use of i — local intermediate and final use, exports and outflows alike — has the same origin
  mix, so the shares below stay in [0, 1] even where a province re-ships inflows;
* ``basis="local-absorption"``: U_pi = intermediate use + final use only (what the province
  itself absorbs). Shares then say how much of local absorption inflows and imports would
  cover, and exceed 1 where a province re-ships inflows or imports (entrepôt provinces);
* inflow share s^IF_pi = IF_pi / U_pi, import share s^IM_pi = IM_pi / U_pi, local share
  1 − s^IF − s^IM (sectors with U = 0 get shares of 0, flagged ``no_use``).

**Total (vertically integrated) dependence** through the province's Leontief inverse with IF
and IM as non-local supply: split A = A^L + A^IF + A^IM by the row shares (A^IF = ŝ^IF A,
A^IM = ŝ^IM A, A^L = A − A^IF − A^IM), L^L = (I − A^L)⁻¹. Per unit of output of sector j,

    inflow content = 1ᵀ A^IF L^L e_j,   import content = 1ᵀ A^IM L^L e_j,
    local value-added content = v_cᵀ L^L e_j,

and the three sum to 1 (column identity v_c + 1ᵀA = 1). The total version needs shares ≤ 1,
i.e. the total-use basis, or a local-absorption basis without re-shipping.

**The local table** (:func:`local_table`): the same proportional split turns the province's
competitive table into a non-competitive one, Z^L = ŝ^L Z and Y^L = ŝ^L Y (local supply),
Zm = Z − Z^L and Ym = Y − Y^L (supply from other provinces and abroad), so the standard IO
functions (multipliers, linkages, key sectors, import dependence) measure local effects.

**Net suppliers (national picture)**: OF − IF per province and sector (10,000 yuan): positive =
the province supplies other provinces on net.

Examples
--------
>>> import pandas as pd
>>> f = pd.DataFrame({"intermediate use": [60.0], "final use": [20.0], "exports": [10.0],
...                   "outflows": [10.0], "imports": [5.0], "inflows": [25.0]}, index=["01"])
>>> supply_shares(f)[["inflow_share", "import_share", "local_share"]].values.tolist()
[[0.25, 0.05, 0.7]]
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from chainatlas.errors import InputError, SchemaError, check_option
from chainatlas.validation import validate_params

__all__ = [
    "Basis",
    "supply_shares",
    "total_dependence",
    "dependence_profile",
    "top_dependent",
    "net_suppliers",
    "local_table",
    "BASIS_TEXT",
]

Basis = Literal["total-use", "local-absorption"]

#: how each basis is stated in results
BASIS_TEXT: dict[str, tuple[str, str]] = {
    "total-use": (
        "总使用口径(比例假定): U = 中间使用 + 最终使用 + 出口 + 流出",
        "total-use basis (proportional assumption): U = intermediate + final use + exports "
        "+ outflows",
    ),
    "local-absorption": (
        "本地吸收口径: U = 中间使用 + 最终使用(不含出口和流出)",
        "local-absorption basis: U = intermediate + final use (no exports, no outflows)",
    ),
}

_NEED = ("intermediate use", "final use", "exports", "outflows", "imports", "inflows")


def _check_flows(flows: pd.DataFrame) -> None:
    missing = [c for c in _NEED if c not in flows.columns]
    if missing:
        raise SchemaError(
            "flows lack the columns interprovincial dependence needs",
            received=missing,
            fix="pass province_flows(year, province) of china-provincial-io 2012 or 2017",
        )
    vals = flows[list(_NEED)].to_numpy(dtype=float)
    if not np.isfinite(vals).all():
        raise InputError(
            "flows have missing inflows/imports (NaN): this year does not split them",
            received=flows.attrs.get("year"),
            fix="use the 2012 or 2017 tables; 2002 and 2007 publish only combined flows",
        )


#: a local share above −ROUNDING is rounding noise of the published tables (set to 0)
ROUNDING = 1e-4


def _clip_rounding(local: np.ndarray) -> np.ndarray:
    return np.where((local < 0) & (local > -ROUNDING), 0.0, local)


@validate_params
def supply_shares(flows: pd.DataFrame, *, basis: Basis = "total-use") -> pd.DataFrame:
    """Direct inflow, import and local shares of each product's use (see module docs).

    Parameters
    ----------
    flows : DataFrame indexed by sector
        Columns ``intermediate use``, ``final use``, ``exports``, ``outflows``, ``imports``,
        ``inflows`` (one unit, e.g. 10,000 yuan).
    basis : {"total-use", "local-absorption"}

    Returns
    -------
    DataFrame indexed by sector
        ``use`` (U, the unit of `flows`), ``inflows``, ``imports``, ``inflow_share``,
        ``import_share``, ``local_share``, ``no_use`` (bool). ``attrs["basis"]`` is set.

    Raises
    ------
    SchemaError, InputError
        Missing columns, or a year without separate IF and IM.
    """
    check_option("basis", basis, Basis)
    _check_flows(flows)
    use = flows["intermediate use"] + flows["final use"]
    if basis == "total-use":
        use = use + flows["exports"] + flows["outflows"]
    u = use.to_numpy(dtype=float)
    ok = u > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        s_if = np.where(ok, flows["inflows"].to_numpy(dtype=float) / u, 0.0)
        s_im = np.where(ok, flows["imports"].to_numpy(dtype=float) / u, 0.0)
    out = pd.DataFrame(
        {
            "use": u,
            "inflows": flows["inflows"].to_numpy(dtype=float),
            "imports": flows["imports"].to_numpy(dtype=float),
            "inflow_share": s_if,
            "import_share": s_im,
            # rounding in the published tables makes IF + IM exceed U by up to ~1e-6 in
            # zero-output sectors: a local share in (−1e-4, 0) is 0
            "local_share": np.where(ok, _clip_rounding(1.0 - s_if - s_im), 0.0),
            "no_use": ~ok,
        },
        index=flows.index,
    )
    out.attrs = {**flows.attrs, "basis": basis}
    return out


def total_dependence(A: pd.DataFrame, v_c: pd.Series, shares: pd.DataFrame) -> pd.DataFrame:
    """Inflow, import and local value-added content per unit of each sector's output.

    Parameters
    ----------
    A : DataFrame (n × n)
        The province's technical coefficients (competitive: all origins), e.g. ``IOTable.A``.
    v_c : Series (n,)
        Value-added coefficients v / x.
    shares : DataFrame
        :func:`supply_shares` of the same province and sectors.

    Returns
    -------
    DataFrame indexed by sector: ``inflow_content``, ``import_content``, ``local_va_content``
    (each in [0, 1], summing to 1 where x > 0; NaN for sectors without local output), unit-free.

    Raises
    ------
    InputError
        Shares above 1 (local-absorption basis with re-shipping): A^L would be negative.
    """
    s_if = shares["inflow_share"].reindex(A.index).to_numpy(dtype=float)
    s_im = shares["import_share"].reindex(A.index).to_numpy(dtype=float)
    if (s_if + s_im > 1 + ROUNDING).any():
        bad = list(A.index[s_if + s_im > 1 + ROUNDING][:5])
        raise InputError(
            "non-local shares exceed 1 for some products, so local coefficients would be negative",
            received=bad,
            fix="use basis='total-use' (the proportional assumption) for the total version",
        )
    a = A.to_numpy(dtype=float)
    a_if = s_if[:, None] * a
    a_im = s_im[:, None] * a
    a_l = np.maximum(a - a_if - a_im, 0.0)  # rounding (shares ≤ 1 + ROUNDING)
    n = a.shape[0]
    ll = np.linalg.solve((np.eye(n) - a_l).T, np.eye(n)).T  # (I − A^L)⁻¹
    ones = np.ones(n)
    out = pd.DataFrame(
        {
            "inflow_content": ones @ a_if @ ll,
            "import_content": ones @ a_im @ ll,
            "local_va_content": v_c.reindex(A.index).to_numpy(dtype=float) @ ll,
        },
        index=A.index,
    )
    # a sector without local output (zero A column and value added) has no content to split
    none = (a.sum(axis=0) == 0) & (v_c.reindex(A.index).to_numpy(dtype=float) == 0)
    out.loc[none, :] = np.nan
    return out


@validate_params
def dependence_profile(
    A: pd.DataFrame,
    v_c: pd.Series,
    flows: pd.DataFrame,
    *,
    basis: Basis = "total-use",
    names: pd.Series | None = None,
) -> pd.DataFrame:
    """Direct shares and total contents of one province, side by side, one row per sector.

    With ``basis="local-absorption"`` the total contents still use the total-use shares (the
    local-absorption shares can exceed 1); ``attrs["basis"]`` says so.
    """
    direct = supply_shares(flows, basis=basis)
    total = total_dependence(A, v_c, supply_shares(flows, basis="total-use"))
    out = direct.join(total)
    if names is not None:
        out.insert(0, "name_zh", names.reindex(out.index).to_numpy())
    out.attrs = {
        **direct.attrs,
        "total_basis": "total-use",
    }
    return out


@validate_params
def top_dependent(
    profile: pd.DataFrame,
    *,
    by: Literal["inflow", "import"] = "inflow",
    kind: Literal["direct", "total"] = "direct",
    n: int = 10,
    min_use_share: float = 0.001,
) -> pd.DataFrame:
    """The most inflow- or import-dependent sectors of a province.

    Parameters
    ----------
    profile : DataFrame
        :func:`dependence_profile`.
    by : {"inflow", "import"}
    kind : {"direct", "total"}
        Rank by the direct share or the total content.
    n : int
        Rows to return (≥ 1).
    min_use_share : float
        Leave out sectors whose use is below this share of the province's total use (tiny
        sectors have unstable shares), in [0, 1).

    Raises
    ------
    InputError
        `n` < 1 or `min_use_share` outside [0, 1).
    """
    check_option("by", by, ("inflow", "import"))
    check_option("kind", kind, ("direct", "total"))
    if not (isinstance(n, int | np.integer) and n >= 1):
        raise InputError("n must be an integer ≥ 1", received=n, fix="e.g. n=10")
    if not (0.0 <= min_use_share < 1.0):
        raise InputError(
            "min_use_share must be in [0, 1)", received=min_use_share, fix="e.g. 0.001"
        )
    col = f"{by}_share" if kind == "direct" else f"{by}_content"
    keep = profile["use"] >= min_use_share * profile["use"].sum()
    return profile[keep].sort_values(col, ascending=False, kind="stable").head(n)


def net_suppliers(outflows: pd.DataFrame, inflows: pd.DataFrame) -> pd.DataFrame:
    """Net outflow OF − IF, provinces × sectors, with each province's rank per sector.

    Parameters
    ----------
    outflows, inflows : DataFrame (provinces × sectors), same labels and unit.

    Returns
    -------
    DataFrame, long: ``region``, ``sector``, ``outflows``, ``inflows``, ``net`` (OF − IF),
    ``rank`` (1 = largest net supplier of the sector), ``net_supplier`` (net > 0).

    Raises
    ------
    InputError
        Frames not aligned.
    """
    if not (outflows.index.equals(inflows.index) and outflows.columns.equals(inflows.columns)):
        raise InputError(
            "outflows and inflows are not aligned",
            fix="pass the same provinces × sectors, e.g. ri.extra['outflows'], ri.extra['inflows']",
        )
    net = outflows - inflows
    long = pd.DataFrame(
        {
            "region": np.repeat(net.index.to_numpy(), net.shape[1]),
            "sector": np.tile(net.columns.to_numpy(), net.shape[0]),
            "outflows": outflows.to_numpy().ravel(),
            "inflows": inflows.to_numpy().ravel(),
            "net": net.to_numpy().ravel(),
        }
    )
    long["rank"] = long.groupby("sector")["net"].rank(ascending=False, method="min").astype(int)
    long["net_supplier"] = long["net"] > 0
    return long


def local_table(table: Any, shares: pd.DataFrame) -> Any:
    """The province's table with intermediate and final use split into local and non-local supply.

    Parameters
    ----------
    table : IOTable
        The province's competitive table (``china-provincial-io:YEAR-PROVINCE``), whose ``Y``
        holds every use besides intermediate use (final use, exports, outflows) and whose
        ``imports`` are the non-local supply (IM + IF).
    shares : DataFrame
        :func:`supply_shares` on the total-use basis (``local_share`` by sector).

    Returns
    -------
    IOTable, layout ``"non-competitive"``
        ``Z`` = ŝ^L Z, ``Y`` = ŝ^L Y, ``Zm`` and ``Ym`` the non-local rest, ``other`` as the
        table's; rows balance as Z^L·1 + Y^L·1 + other = x because ŝ^L U = U − IF − IM.

    Raises
    ------
    InputError
        Shares on the local-absorption basis (local shares can be negative there) or not
        covering the table's sectors.
    """
    from chainatlas.io.table import IOTable

    if shares.attrs.get("basis", "total-use") != "total-use":
        raise InputError(
            "the local table needs total-use shares (the proportional assumption)",
            received=shares.attrs.get("basis"),
            fix="pass supply_shares(flows) with the default basis='total-use'",
        )
    s_l = shares["local_share"].reindex(table.labels)
    if s_l.isna().any():
        raise InputError(
            "shares do not cover the table's sectors",
            received=list(table.labels[s_l.isna()][:5]),
            fix="compute the shares from the same province and year",
        )
    # published inflows of −5e-8 (2017 广西 sectors 26, 42: rounding) would make the share of
    # supply from outside −1e-15: the local share is capped at 1 within ROUNDING
    raw = s_l.to_numpy(dtype=float)
    sl = np.where((raw > 1) & (raw < 1 + ROUNDING), 1.0, raw)[:, None]
    # 1 − inflow − import share is exactly 0 for fully non-local products; floating-point
    # rounding leaves ±1e-16 there, which would make negative local flows
    sl = np.where(np.abs(sl) < 1e-12, 0.0, sl)
    Zl = table.Z * sl
    Yl = table.Y * sl
    return IOTable(
        Z=Zl,
        Y=Yl,
        V=table.V,
        x=table.x,
        unit=table.unit,
        layout="non-competitive",
        provenance=table.provenance.with_step(
            "local table (proportional assumption): Z = diag(local share) Z, Y = diag(local "
            "share) Y; Zm, Ym = supply from other provinces and abroad"
        ),
        sectors=table.sectors,
        Zm=table.Z * (1.0 - sl),  # not Z − Z^L: no −1e-14 rounding in the imports block
        Ym=table.Y * (1.0 - sl),
        other=table.other,
        balance_rtol=max(table.balance_rtol, 1e-6),
        balance_atol=table.balance_atol + 1.0,
        zero_output=table.zero_output,
        negative_flows=table.negative_flows,
    )
