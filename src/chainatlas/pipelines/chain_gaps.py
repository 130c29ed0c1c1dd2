"""Chain-gap pipeline (补链): load the data the chain-gap analysis needs, run it, build contexts.

Data (2017):

* firms — ``cn-listed-companies`` (listed and delisted A-share firms, to March 2026) joined with
  ``china-industry-chain-kg`` (company → Shenwan-2021 industry) through ``ts_code``; flags
  ``ST``/``*ST`` from the short name, ``delisted`` from the status;
* gross output and supply shares by province × 42 sectors — ``china-provincial-io:2017``;
* the national Leontief inverse — ``china-io:2017-42`` (domestic block of the non-competitive
  table; the same NBS 2017 42-sector scheme as the provincial tables).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pandas as pd

from chainatlas.validation import Interval, validate_params

__all__ = ["firm_table", "gap_inputs", "YEAR", "DATASETS"]

YEAR = 2017
DATASETS = ["cn-listed-companies", "china-industry-chain-kg", "china-provincial-io:2017",
            "china-io:2017-42"]  # fmt: skip


@functools.cache
def _firm_table() -> pd.DataFrame:
    from chainatlas.datasets.loaders import chain_kg, cn_listed

    f = cn_listed.listed_firms(include_delisted=True, progress=False)
    ci = chain_kg.company_industry(progress=False)[["ts_code", "industry_name"]]
    j = f.merge(ci.drop_duplicates("ts_code"), on="ts_code", how="left")
    j = j.rename(columns={"industry_name": "kg_industry"})
    flag = pd.Series(pd.NA, index=j.index, dtype=object)
    flag[j["name"].str.startswith("ST")] = "ST"
    flag[j["name"].str.startswith("*ST")] = "*ST"
    flag[j["status"] == "D"] = "delisted"
    j["flag"] = flag
    j.attrs["stats"] = {
        "firms": len(j),
        "listed": int((j["status"] == "L").sum()),
        "with_kg_industry": int(j["kg_industry"].notna().sum()),
        "without_kg_industry": int(j["kg_industry"].isna().sum()),
        "without_province": int(j["province"].isna().sum()),
        "flagged": {k: int(v) for k, v in j["flag"].value_counts().items()},
    }
    return j


def firm_table() -> pd.DataFrame:
    """Firms with ``ts_code``, ``name``, ``province`` (io_code), ``kg_industry`` (Shenwan-2021
    level 3, NaN when the KG lacks the firm), ``status`` (L/D), ``flag`` (ST, *ST, delisted or
    NA); ``attrs["stats"]`` counts the join."""
    out = _firm_table().copy()
    out.attrs = {"stats": dict(_firm_table().attrs["stats"])}
    return out


@functools.cache
def _provincial(year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Gross output (province × sector) from ``china-provincial-io:YEAR`` and supply shares
    (province, sector) → local, inflow, import from :func:`chainatlas.regions.supply_shares`
    (proportional basis: use U = intermediate use + FU101–FU202 + exports + outflows; inflow
    share IF / U, import share IM / U; all three 0 where U = 0)."""
    from chainatlas.datasets import load
    from chainatlas.regions import supply_shares

    ri = load(f"china-provincial-io:{year}", progress=False)  # RegionIndustry
    cols = ["intermediate use", "final use", "exports", "outflows", "imports", "inflows"]
    parts = {}
    for code in ri.values.index:
        flows = pd.DataFrame({c: ri.extra[c].loc[code] for c in cols})
        sh = supply_shares(flows)
        parts[code] = pd.DataFrame(
            {"local": sh["local_share"], "inflow": sh["inflow_share"], "import": sh["import_share"]}
        )
    dependence = pd.concat(parts, names=["province", "sector"])
    return ri.values.astype(float), dependence


def gap_inputs(year: int = YEAR) -> dict[str, Any]:
    """Everything :func:`chainatlas.chains.gaps.chain_gaps` needs for `year` (2017 only).

    Returns
    -------
    dict
        ``firms`` (:func:`firm_table`), ``output`` (province × sector gross output, 10,000
        yuan), ``dependence`` (supply shares), ``L`` (national Leontief inverse, 2017-42).
    """
    from chainatlas.datasets import load

    if year != YEAR:
        from chainatlas.errors import InputError

        raise InputError(
            "the chain templates use the NBS 2017 42-sector scheme",
            received=year,
            fix="use year 2017 (the 2012 and 2002/2007 schemes differ)",
        )
    output, dependence = _provincial(year)
    L = load(f"china-io:{year}-42", progress=False).L
    return {"firms": firm_table(), "output": output, "dependence": dependence, "L": L}


# ----------------------------------------------------------------------------------------------
# analyses
STATUS_COLOUR = {"强链": "#2e7d32", "短链": "#f9a825", "缺链": "#c62828"}
SOURCE_FIRMS = "cn-listed-companies × china-industry-chain-kg (firms as of March 2026, KG 2021)"
SOURCE_IO = "china-provincial-io:2017 (NBS 2017 42-sector scheme)"
UNIT_IO = "LQ and shares: ratio; output: 10,000 yuan (万元)"


def _blocks() -> Any:
    from chainatlas.pipelines import blocks

    return blocks


def province_code(province: str) -> str:
    """The io_code (``SIC``) of a province given by any spelling (raises with suggestions)."""
    from chainatlas.geo import province_lookup

    return str(province_lookup(province)["io_code"])


def _name(code: str) -> str:
    from chainatlas.geo import provinces

    return str(provinces().loc[code, "short_zh"])


def all_gaps(
    year: int = YEAR,
    *,
    thresholds: Any = None,
    exclude: Any = None,
) -> pd.DataFrame:
    """:func:`chainatlas.chains.gaps.chain_gaps` of every province and chain for `year`."""
    from chainatlas.chains.gaps import EXCLUDE_FLAGS, chain_gaps

    inp = gap_inputs(year)
    return chain_gaps(
        firms=inp["firms"],
        output=inp["output"],
        dependence=inp["dependence"],
        thresholds=thresholds,
        exclude=EXCLUDE_FLAGS if exclude is None else exclude,
    )


def completeness(
    year: int = YEAR, *, weak_credit: float = 0.5, thresholds: Any = None
) -> pd.DataFrame:
    """Chain-completeness score, provinces (io_code) × chain ids, in [0, 1] (scorecard breadth).

    Weights: L[link sector, product sector] of ``china-io:2017-42`` (floor 0.01); 强链 counts 1,
    短链 `weak_credit`, 缺链 0 (see :func:`chainatlas.chains.gaps.chain_completeness`).
    """
    from chainatlas.chains.gaps import chain_completeness, link_weights

    inp = gap_inputs(year)
    score = chain_completeness(
        all_gaps(year, thresholds=thresholds), link_weights(inp["L"]), weak_credit=weak_credit
    )
    score.attrs.update({"year": year, "unit": "share of links (0–1)", "source": DATASETS})
    return score


def read_firm_attributes(path: str) -> pd.Series:
    """A user firm-attribute file (CSV or xlsx): a ``ts_code`` column and one numeric column.

    Raises
    ------
    SchemaError
        Wrong columns, non-numeric values, repeated codes.
    """
    from pathlib import Path

    from chainatlas.errors import SchemaError

    p = Path(path)
    try:
        frame = pd.read_excel(p) if p.suffix.lower() in (".xlsx", ".xls") else pd.read_csv(p)
    except (OSError, ValueError) as err:
        raise SchemaError(f"cannot read firm attribute file {path}", received=str(err)) from err
    other = [c for c in frame.columns if c != "ts_code"]
    if "ts_code" not in frame.columns or len(other) != 1:
        raise SchemaError(
            "a firm attribute file needs a ts_code column and exactly one value column",
            received=list(frame.columns),
            fix="e.g. ts_code,revenue with rows like 300750.SZ,4009",
        )
    values = pd.to_numeric(frame[other[0]], errors="coerce")
    bad = frame.loc[values.isna() & frame[other[0]].notna(), other[0]].head(3).tolist()
    if bad:
        raise SchemaError(f"column {other[0]!r} has non-numeric values", received=bad)
    s = pd.Series(values.to_numpy(), index=frame["ts_code"].astype(str), name=str(other[0]))
    if s.index.has_duplicates:
        raise SchemaError(
            "the firm attribute file repeats ts_codes",
            received=s.index[s.index.duplicated()][:5].tolist(),
        )
    return s


def _reason(g: pd.DataFrame, th: dict[str, float]) -> pd.Series:
    """Why each link got its status (short bilingual-neutral text with the numbers)."""
    sf, slq, ssh, plq = th["strong_firms"], th["strong_lq"], th["strong_share"], th["present_lq"]
    n, lq, sh, flq = g["n_firms"], g["lq"], g["output_share"], g["firm_lq"]
    txt = pd.Series("", index=g.index, dtype=object)
    strong = g["status"] == "强链"
    which = np.where(
        lq >= slq, "LQ " + lq.round(2).astype(str) + f" ≥ {slq:g}",
        np.where(sh >= ssh, "share " + (sh * 100).round(1).astype(str) + f"% ≥ {ssh:.0%}",
                 "firm LQ " + flq.round(2).astype(str) + f" ≥ {slq:g}"),
    )  # fmt: skip
    which_s = pd.Series(which, index=g.index, dtype=object)
    txt[strong] = (n.astype(str) + f" firms ≥ {sf:g}; " + which_s.astype(str))[strong]
    miss = g["status"] == "缺链"
    txt[miss] = ("no listed firm; LQ " + lq.round(2).astype(str) + f" < {plq:g}")[miss]
    weak = g["status"] == "短链"
    no_firm = weak & (n == 0)
    txt[no_firm] = (
        "no listed firm; sector present (LQ " + lq.round(2).astype(str) + f" ≥ {plq:g})"
    )[no_firm]
    few = weak & (n > 0) & (n < sf)
    txt[few] = (n.astype(str) + f" firm(s) < {sf:g}")[few]
    rest = weak & (n >= sf)
    txt[rest] = (n.astype(str) + " firms, but LQ, share and firm LQ below the strong thresholds")[
        rest
    ]
    return txt


def _display_links(g: pd.DataFrame) -> pd.DataFrame:
    cols = {
        "chain_zh": "产业链 chain",
        "name_zh": "环节 link",
        "name_en": "link (en)",
        "stage": "阶段 stage",
        "io_sector": "IO部门 sector",
        "n_firms": "上市企业 firms",
        "n_excluded": "剔除ST/退市 excluded",
        "lq": "LQ",
        "output_share": "全国份额 output share",
        "status": "状态 status",
        "reason": "依据 rule",
        "supply_local": "本省供给 local",
        "supply_inflow": "省外调入 inflow",
        "supply_import": "进口 import",
        "shared_sector": "同部门环节数 links in sector",
    }
    return g[list(cols)].rename(columns=cols).reset_index(drop=True)


def _firms_per_link(firms: pd.DataFrame, links: pd.DataFrame, province: str) -> pd.DataFrame:
    x = links[["chain_zh", "link", "name_zh", "kg_industries"]].explode("kg_industries")
    x = x.rename(columns={"kg_industries": "kg_industry"})
    f = firms.loc[firms["province"] == province, ["ts_code", "name", "kg_industry", "flag"]]
    out = x.merge(f, on="kg_industry", how="inner")
    out["flag"] = out["flag"].fillna("")
    return out.sort_values(["chain_zh", "link", "flag", "ts_code"]).reset_index(drop=True)


@validate_params(ranges={"top_partners": Interval(1, None, integer=True)})
def province_chain_gaps(
    province: str,
    *,
    chains: Any = None,
    year: int = YEAR,
    thresholds: Any = None,
    include_flagged: bool = False,
    top_partners: int = 3,
    attributes: pd.Series | None = None,
) -> dict[str, Any]:
    """The chain-gap payload of one province: links with status and sourcing, the lists of
    一图N清单 (missing, weak, inflow-dependent links, partner provinces, firms per link, chain
    leaders) and the province's chain-completeness scores.

    Parameters
    ----------
    province : str
        Any spelling :func:`chainatlas.geo.province_lookup` accepts (四川, Sichuan, SIC, 51).
    chains : str or list, optional
        Chain names (default: the 8 templates).
    year : int
        2017 (the templates' scheme).
    thresholds : GapThresholds, optional
    include_flagged : bool
        Count ST, *ST and delisted firms as present (default: excluded, counted apart).
    top_partners : int
        Candidate partner provinces per link and basis.
    attributes : Series, optional
        Firm attribute (e.g. revenue) by ts_code to re-rank chain-leader candidates.
    """
    from chainatlas.chains.gaps import (
        EXCLUDE_FLAGS,
        GapThresholds,
        chain_completeness,
        chain_gaps,
        link_weights,
        links_table,
        partner_provinces,
        structure_relatedness,
    )

    code = province_code(province)
    th = thresholds or GapThresholds()
    exclude = () if include_flagged else EXCLUDE_FLAGS
    inp = gap_inputs(year)
    g_all = chain_gaps(firms=inp["firms"], output=inp["output"], dependence=inp["dependence"],
                       chains=chains, thresholds=th, exclude=exclude)  # fmt: skip
    g_all["reason"] = _reason(g_all, th.as_dict())
    g = g_all.loc[g_all["province"] == code].reset_index(drop=True)
    rel = structure_relatedness(inp["output"])
    partners = partner_provinces(g_all, rel, province=code, top=top_partners)
    partners.insert(3, "partner_zh", partners["partner"].map(_name))
    names = g.set_index(["chain", "link"])[["chain_zh", "name_zh"]]
    partners = partners.join(names, on=["chain", "link"])
    score = chain_completeness(g_all, link_weights(inp["L"], chains))
    links = links_table(chains)
    return {
        "province": code,
        "province_zh": _name(code),
        "year": year,
        "thresholds": th.as_dict(),
        "exclude": list(exclude),
        "datasets": DATASETS,
        "gaps": g,
        "links": _display_links(g),
        "missing": _display_links(g.loc[g["status"] == "缺链"]),
        "weak": _display_links(g.loc[g["status"] == "短链"]),
        "inflow_dependent": _display_links(g.loc[g["inflow_dependent"]]),
        "partners": partners,
        "firms": _firms_per_link(inp["firms"], links, code),
        "leaders": _leaders(code, chains, inp["firms"], exclude, attributes),
        "completeness": _completeness_frame(score, code),
        "national_leaders": _leaders(None, chains, inp["firms"], exclude, attributes, top=1),
        "stats": inp["firms"].attrs.get("stats", {}),
    }


def _completeness_frame(score: pd.DataFrame, code: str) -> pd.DataFrame:
    from chainatlas.chains.templates import chain_template

    rank = score.rank(ascending=False, method="min")
    return pd.DataFrame(
        {
            "产业链 chain": [chain_template(c).name_zh for c in score.columns],
            "完整度 completeness": score.loc[code].to_numpy(),
            "31省排名 rank of 31": rank.loc[code].astype(int).to_numpy(),
            "全国最高 best": score.max().to_numpy(),
        },
        index=pd.Index(score.columns, name="chain"),
    )


def _leaders(code: str | None, chains: Any, firms: pd.DataFrame, exclude: Any,
             attributes: pd.Series | None, top: int | None = None) -> pd.DataFrame:  # fmt: skip
    from chainatlas.chains.leaders import chain_leader_candidates
    from chainatlas.chains.templates import resolve_chains
    from chainatlas.datasets import load

    up = load("china-industry-chain-kg:upstream", progress=False)
    frames = []
    note = ""
    for t in resolve_chains(chains):
        r = chain_leader_candidates(t, firms=firms, upstream=up, province=code,
                                    exclude=exclude, attributes=attributes)  # fmt: skip
        note = r.attrs.get("note", note)
        if top is not None:
            r = r.loc[r["rank"] <= top]
        r.insert(0, "chain_zh", t.name_zh)
        frames.append(r)
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    out = out.drop(columns=["connected"], errors="ignore")
    out.attrs["note"] = note
    return out


def province_chain_sections(
    province: str, year: int = YEAR, **options: Any
) -> list[dict[str, Any]]:
    """Report sections of one province's chain gaps (see
    :func:`chainatlas.pipelines.chain_gaps_report.province_chain_sections`)."""
    from chainatlas.pipelines import chain_gaps_report

    return chain_gaps_report.province_chain_sections(province, year, **options)


def template_check(chains: Any = None) -> dict[str, Any]:
    """Validate templates (shipped and user) against the KG industries and the 2017-42 sectors
    and report each edge's KG support — what ``chainatlas chains templates`` prints.

    Returns
    -------
    dict
        ``links`` (one row per link), ``edges`` (upstream → link, basis, kg_weight),
        ``kg_omitted`` (KG pairs a template does not follow, with the reason), ``paths``.

    Raises
    ------
    ChainTemplateError
        The first template naming an unknown industry or sector (or any structural error).
    """
    from chainatlas.chains.gaps import links_table
    from chainatlas.chains.templates import kg_edge_support, resolve_chains, validate_template
    from chainatlas.datasets import load

    names = set(load("china-industry-chain-kg:industries", progress=False)["name"])
    sectors = list(load("china-io:2017-42", progress=False).sectors.index)
    up = load("china-industry-chain-kg:upstream", progress=False)
    temps = [validate_template(t, kg_industries=names, io_sectors=sectors)
             for t in resolve_chains(chains)]  # fmt: skip
    edges, omitted = [], []
    for t in temps:
        e = t.edges().merge(kg_edge_support(t, up)[["upstream", "link", "kg_weight"]],
                            on=["upstream", "link"], how="left")  # fmt: skip
        edges.append(e.fillna({"kg_weight": 0}).assign(chain=t.id))
        omitted += [(t.id, u, v, r) for u, v, r in t.kg_omitted]
    links = links_table([t.id for t in temps])
    links["kg_industries"] = links["kg_industries"].map("、".join)
    links["upstream"] = links["upstream"].map(", ".join)
    return {
        "links": links,
        "edges": pd.concat(edges, ignore_index=True)[
            ["chain", "upstream", "link", "basis", "kg_weight"]
        ],
        "kg_omitted": pd.DataFrame(omitted, columns=["chain", "upstream", "link", "reason"]),
        "paths": {t.id: t.path for t in temps},
    }


def national_chain_leaders(*, top_rank: int = 1, chains: Any = None) -> pd.DataFrame:
    """Chain-leader candidates (链主) of every chain nationwide, ranks ≤ `top_rank` (ties kept):
    chain_zh, rank, rank_label, tied, ts_code, name, province, kg_industry, link, stage, n_links;
    ``attrs["note"]`` says that firms of one industry tie (the data hold no firm size)."""
    from chainatlas.chains.gaps import EXCLUDE_FLAGS

    return _leaders(None, chains, firm_table(), EXCLUDE_FLAGS, None, top=top_rank)
