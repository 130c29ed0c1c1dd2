"""Servitisation of manufacturing (制造业服务化): the service share of manufacturing inputs.

Sectors are classified into six broad groups (``primary``, ``mining``, ``manufacturing``,
``utilities``, ``construction``, ``services``) by :func:`classify_sectors`, or by a user
classification. With S the service sectors and Z̃ the intermediate use of all origins (Z + Zm in a
non-competitive table, Z otherwise), Ã = Z̃ x̂⁻¹ and L the table's Leontief inverse:

* **direct** service share of j's inputs: Σ_{i∈S} Z̃_ij / Σ_i Z̃_ij;
* **total** service share: Σ_{i∈S} (ÃL)_ij / Σ_i (ÃL)_ij — services bought directly and
  indirectly (through all domestic stages) per unit of final demand for j, over all intermediate
  inputs so bought (cf. Lodefalk 2017; Miroudot & Cadestin 2017, "Services in global value
  chains", OECD);
* **service value-added share**: Σ_{i∈S} v_i L_ij / Σ_i v_i L_ij with v = value added per unit of
  output — the share of services in the domestic value added embodied in j's final output.

All totals use LU solves with the table's factorisation; L is not formed.

Classification rule for China's NBS tables (:func:`classify_sectors`): NBS lists sectors in a fixed
order — agriculture, mining, manufacturing, utilities, construction, services. Scanning the
Chinese names in order: sectors before the first coal-mining sector (name contains 煤炭 and 采) are
``primary``; mining continues while names contain 采 (采选/开采/采盐); then ``manufacturing``
until the first name containing 电力 (electric power and heat); ``utilities`` until the first name
containing 建筑 (construction); ``construction`` while names contain 建筑; the rest are
``services``. On the 42-sector tables this gives 01 primary, 02–05 mining, 06–23
manufacturing (23 = repair of metal products and machinery, GB/T 4754 division 43), 24–26
utilities, 27 construction, 28–42 services. English names are used when Chinese ones are absent
(coal + mining; mining/exploitation/ores; electric; construction). WIOD's 35 industries
(c1–c35, ISIC Rev. 3) map as c1 primary, c2 mining, c3–c16 manufacturing, c17 utilities, c18
construction, c19–c35 services.

Examples
--------
>>> import pandas as pd
>>> from chainatlas.io.table import IOTable
>>> t = IOTable.from_arrays(Z=[[150, 500], [200, 100]], Y=[[350], [1700]], V=[[650, 1400]],
...     sectors=["M", "S"], final_demand=["f"], value_added=["v"], unit="USD", source="M&B 2.3")
>>> cls = pd.Series(["manufacturing", "services"], index=["M", "S"])
>>> servitisation(t, classification=cls)["direct_share"].round(4).tolist()
[0.5714]
"""

from __future__ import annotations

import re
from typing import Literal

import numpy as np
import pandas as pd

from chainatlas.errors import InputError, LabelError, SchemaError, check_option
from chainatlas.io.table import IOTable
from chainatlas.kernels import io as k
from chainatlas.validation import validate_params

__all__ = ["GROUPS", "classify_sectors", "servitisation"]

#: broad groups: code -> (中文, English)
GROUPS: dict[str, tuple[str, str]] = {
    "primary": ("农林牧渔业", "agriculture, forestry and fishing"),
    "mining": ("采矿业", "mining"),
    "manufacturing": ("制造业", "manufacturing"),
    "utilities": ("电力、燃气及水", "electricity, gas and water"),
    "construction": ("建筑业", "construction"),
    "services": ("服务业", "services"),
}

_WIOD = re.compile(r"^c(\d+)$")


def _wiod_group(code: str) -> str | None:
    m = _WIOD.match(code.strip().lower())
    if not m:
        return None
    i = int(m.group(1))
    if i == 1:
        return "primary"
    if i == 2:
        return "mining"
    if 3 <= i <= 16:
        return "manufacturing"
    if i == 17:
        return "utilities"
    if i == 18:
        return "construction"
    if 19 <= i <= 35:
        return "services"
    return None


def _anchors(name_zh: str, name_en: str) -> dict[str, bool]:
    en = name_en.lower()
    return {
        "coal": ("煤炭" in name_zh and "采" in name_zh) or ("coal" in en and "min" in en),
        "mining": ("采" in name_zh)
        or any(w in en for w in ("mining", "exploitation", "ores", "quarrying")),
        "power": ("电力" in name_zh) or ("electric power" in en or "electricity" in en),
        "construction": ("建筑" in name_zh) or ("construction" in en and "material" not in en),
    }


def classify_sectors(table: IOTable) -> pd.Series:
    """Broad group of every sector: primary, mining, manufacturing, utilities, construction, services.

    Uses WIOD codes (c1–c35) for multi-region tables and the NBS ordering rule (module docs) on
    ``table.sectors`` names (``name_zh``, else ``name_en``) otherwise.

    Returns
    -------
    Series, shape (n,)
        Group codes (keys of :data:`GROUPS`), indexed by sector, name ``"group"``.

    Raises
    ------
    SchemaError
        If the table has no sector names or the rule does not find all six groups in order; pass
        your own ``classification`` to :func:`servitisation` instead.
    """
    labels = table.labels
    if isinstance(labels, pd.MultiIndex):
        codes = [str(lab[-1]) for lab in labels]
        groups = [_wiod_group(c) for c in codes]
        if all(g is not None for g in groups):
            return pd.Series(groups, index=labels, name="group")
    meta = table.sectors
    if meta is None or not ({"name_zh", "name_en"} & set(meta.columns)):
        raise SchemaError(
            "cannot classify sectors: the table has no sector names",
            received=list(labels[:5]),
            fix="pass classification=Series(label -> 'manufacturing'/'services'/...)",
        )
    meta = meta.reindex(labels)
    zh = meta["name_zh"].fillna("").astype(str) if "name_zh" in meta else pd.Series("", labels)
    en = meta["name_en"].fillna("").astype(str) if "name_en" in meta else pd.Series("", labels)
    order = ["primary", "mining", "manufacturing", "utilities", "construction", "services"]
    state = 0
    out = []
    for a_zh, a_en in zip(zh, en, strict=True):
        a = _anchors(a_zh, a_en)
        if state == 0 and a["coal"]:
            state = 1
        elif state == 1 and not a["mining"]:
            state = 2
        if state == 2 and a["power"]:
            state = 3
        if state == 3 and a["construction"]:
            state = 4
        elif state == 4 and not a["construction"]:
            state = 5
        out.append(order[state])
    found = set(out)
    if found != set(order):
        raise SchemaError(
            "the NBS ordering rule did not find all six sector groups",
            received=f"found {sorted(found)}",
            fix="pass classification=Series(label -> group) to servitisation",
        )
    return pd.Series(out, index=labels, name="group")


@validate_params
def servitisation(
    table: IOTable,
    *,
    classification: pd.Series | None = None,
    of: Literal["manufacturing", "all"] = "manufacturing",
) -> pd.DataFrame:
    """Direct and total service share of each manufacturing sector's intermediate inputs.

    Parameters
    ----------
    table : IOTable
    classification : Series, optional
        Group of every sector (values include ``"services"`` and ``"manufacturing"``), indexed by
        the table's labels; default :func:`classify_sectors`.
    of : {"manufacturing", "all"}
        Report manufacturing sectors only (default) or every sector.

    Returns
    -------
    DataFrame, shape (n_manufacturing, 4)
        ``direct_share``, ``total_share`` and ``va_share`` (unit-free, module docs) and
        ``service_inputs`` (direct service inputs Σ_{i∈S} Z̃_ij, table unit).

    Raises
    ------
    LabelError
        If `classification` does not cover exactly the table's labels.
    InputError
        If no sector is classified as services (or as manufacturing when ``of="manufacturing"``).
    SchemaError
        From :func:`classify_sectors`.
    """
    check_option("of", of, ("manufacturing", "all"))
    labels = table.labels
    if classification is None:
        groups = classify_sectors(table)
    else:
        if classification.index.has_duplicates or set(classification.index) != set(labels):
            raise LabelError(
                "classification labels do not match the table's sectors",
                received=f"missing: {labels.difference(classification.index).tolist()[:5]}; "
                f"extra: {classification.index.difference(labels).tolist()[:5]}",
                fix="give one group per sector label",
            )
        groups = classification.reindex(labels)
    s = (groups == "services").to_numpy()
    if not s.any():
        raise InputError("no sector is classified as services", fix="check the classification")
    zt = table.Z.to_numpy(dtype=float)
    if table.layout == "non-competitive" and table.Zm is not None:
        zt = zt + table.Zm.to_numpy(dtype=float)
    at = zt / table.x_safe[np.newaxis, :]
    vc = table.v.to_numpy(dtype=float) / table.x_safe
    rhs = np.vstack([at.T @ s.astype(float), at.sum(axis=0), vc * s, vc])
    tot = k.input_multipliers(table.A.to_numpy(), rhs, lu=table.lu)
    direct_num = zt[s].sum(axis=0)
    direct_den = zt.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = pd.DataFrame(
            {
                "direct_share": direct_num / direct_den,
                "total_share": tot[0] / tot[1],
                "va_share": tot[2] / tot[3],
                "service_inputs": direct_num,
            },
            index=labels,
        )
    if of == "manufacturing":
        mask = (groups == "manufacturing").to_numpy()
        if not mask.any():
            raise InputError(
                "no sector is classified as manufacturing", fix="check the classification"
            )
        out = out[mask]
    return out
