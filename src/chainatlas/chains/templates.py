"""Chain templates as data (产业链模板): links, stages, KG industries, IO sectors, upstream links.

A template is a versioned bilingual YAML file (``chainatlas/chains/templates/*.yaml``; layout in
``docs/chains.md``). Each link names

* ``name`` (``zh``/``en``) and ``stage`` (上游 / 中游 / 下游);
* ``kg_industries``: Shenwan-2021 level-3 industries of ``china-industry-chain-kg`` (exact names);
* ``io_sector``: its sector code in the NBS 2017 42-sector scheme (``io_scheme: nbs-2017-42``,
  the scheme of ``china-io:2017-42`` and of the provincial 2017 tables);
* ``upstream``: ``{link id: basis}`` with basis ``kg`` (the KG's ``industry_up`` supports the
  edge; see :func:`kg_edge_support`) or ``manual`` (our choice, explained in the link's ``note``).

Users add or override templates with YAML files in the folders listed in the environment variable
``CHAINATLAS_CHAIN_TEMPLATES`` (``os.pathsep``-separated); a user file whose ``id`` equals a shipped
id replaces it. :func:`chain_template` resolves an id, the Chinese or English name or an alias.

Structural checks (on reading): required keys, stages, unique link ids, upstream links that exist,
no cycle in the upstream links. Data checks (:func:`validate_template`, needs the KG industry
names and the IO sector codes, which the pipeline loads): unknown KG industry or IO sector.

Examples
--------
>>> t = chain_template("集成电路")
>>> t.id, len(t.links) > 5
('integrated-circuits', True)
>>> t.link("packaging").stage
'中游'
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import yaml

from chainatlas.errors import InputError, suggest

__all__ = [
    "STAGES",
    "ENV_VAR",
    "ChainLink",
    "ChainTemplate",
    "ChainTemplateError",
    "UnknownChainError",
    "template_paths",
    "chain_templates",
    "chain_template",
    "validate_template",
    "kg_edge_support",
]

#: stages in their left-to-right order
STAGES: tuple[str, ...] = ("上游", "中游", "下游")
STAGE_EN: dict[str, str] = {"上游": "upstream", "中游": "midstream", "下游": "downstream"}
#: environment variable naming folders of user templates
ENV_VAR = "CHAINATLAS_CHAIN_TEMPLATES"
IO_SCHEMES: tuple[str, ...] = ("nbs-2017-42",)
#: why a KG upstream pair between two links is not a template edge
OMIT_REASONS: tuple[str, ...] = ("reverse", "cycle", "outside", "noise")
Basis = Literal["kg", "manual"]


class ChainTemplateError(InputError):
    """An invalid chain template (layout, unknown industry or sector, cycle)."""


class UnknownChainError(ChainTemplateError, KeyError):
    """An unknown chain name."""

    def __str__(self) -> str:
        return Exception.__str__(self)


@dataclass(frozen=True)
class ChainLink:
    """One link (环节) of a chain template."""

    id: str
    name_zh: str
    name_en: str
    stage: str
    kg_industries: tuple[str, ...]
    io_sector: str
    upstream: dict[str, str] = field(default_factory=dict)
    note: str = ""
    integrator: bool = False


@dataclass(frozen=True)
class ChainTemplate:
    """A chain template: links in file order plus metadata (see module notes)."""

    id: str
    version: str
    name_zh: str
    name_en: str
    aliases: tuple[str, ...]
    io_scheme: str
    product_sector: str
    links: tuple[ChainLink, ...]
    note: str = ""
    path: str = ""
    kg_omitted: tuple[tuple[str, str, str], ...] = ()

    def link(self, link_id: str) -> ChainLink:
        """The link with id `link_id` (raises :class:`ChainTemplateError` with suggestions)."""
        for ln in self.links:
            if ln.id == link_id:
                return ln
        ids = [ln.id for ln in self.links]
        raise ChainTemplateError(
            f"chain {self.id!r} has no link {link_id!r}",
            received=link_id,
            fix=suggest(link_id, ids),
        )

    def links_frame(self) -> pd.DataFrame:
        """One row per link: chain, link, name_zh, name_en, stage, stage_en, order, io_sector,
        kg_industries (tuple), upstream (tuple of link ids), shared_sector (links of this chain
        in the same IO sector)."""
        rows = [
            {
                "chain": self.id,
                "link": ln.id,
                "name_zh": ln.name_zh,
                "name_en": ln.name_en,
                "stage": ln.stage,
                "stage_en": STAGE_EN[ln.stage],
                "order": i,
                "io_sector": ln.io_sector,
                "kg_industries": ln.kg_industries,
                "upstream": tuple(ln.upstream),
                "integrator": ln.integrator,
            }
            for i, ln in enumerate(self.links)
        ]
        out = pd.DataFrame(rows)
        out["shared_sector"] = out.groupby("io_sector")["link"].transform("size").astype(int)
        return out

    def edges(self) -> pd.DataFrame:
        """Upstream edges: ``upstream`` → ``link`` with ``basis`` (kg / manual)."""
        rows = [(u, ln.id, b) for ln in self.links for u, b in ln.upstream.items()]
        return pd.DataFrame(rows, columns=["upstream", "link", "basis"])


# ----------------------------------------------------------------------------------------------
def _bad(path: str, problem: str, fix: str, received: Any = None) -> ChainTemplateError:
    return ChainTemplateError(f"chain template {path}: {problem}", received=received, fix=fix)


def _text(d: dict[str, Any], key: str, path: str) -> str:
    v = d.get(key)
    if not isinstance(v, str) or not v.strip():
        raise _bad(path, f"{key!r} must be a non-empty string", f"set {key}: ...", received=v)
    return v.strip()


def _names(d: dict[str, Any], path: str, where: str) -> tuple[str, str]:
    n = d.get("name")
    if not isinstance(n, dict) or not all(isinstance(n.get(k), str) for k in ("zh", "en")):
        raise _bad(path, f"{where}: name needs zh and en", "write name: {zh: ..., en: ...}", n)
    return n["zh"].strip(), n["en"].strip()


def _upstream(raw: Any, path: str, lid: str) -> dict[str, str]:
    if raw in (None, {}):
        return {}
    if isinstance(raw, list):  # a plain list means "manual" for every edge
        raw = dict.fromkeys(raw, "manual")
    if not isinstance(raw, dict):
        raise _bad(path, f"link {lid!r}: upstream must map link ids to kg/manual", "see docs", raw)
    out = {}
    for k, v in raw.items():
        if v not in ("kg", "manual"):
            raise _bad(
                path, f"link {lid!r}: upstream basis of {k!r} must be kg or manual", "fix", v
            )
        out[str(k)] = str(v)
    return out


def _link(d: Any, path: str) -> ChainLink:
    if not isinstance(d, dict):
        raise _bad(path, "every link must be a mapping", "see docs/chains.md", d)
    lid = _text(d, "id", path)
    zh, en = _names(d, path, f"link {lid!r}")
    stage = d.get("stage")
    if stage not in STAGES:
        raise _bad(path, f"link {lid!r}: unknown stage", f"use one of {list(STAGES)}", stage)
    kg = d.get("kg_industries")
    if not isinstance(kg, list) or not kg or not all(isinstance(k, str) for k in kg):
        raise _bad(path, f"link {lid!r}: kg_industries must be a non-empty list", "list names", kg)
    sector = str(d.get("io_sector", "")).strip()
    if not sector:
        raise _bad(path, f"link {lid!r}: io_sector missing", 'set io_sector: "20"')
    return ChainLink(
        id=lid,
        name_zh=zh,
        name_en=en,
        stage=str(stage),
        kg_industries=tuple(kg),
        io_sector=sector.zfill(2),
        upstream=_upstream(d.get("upstream"), path, lid),
        note=str(d.get("note") or "").strip(),
        integrator=bool(d.get("integrator", False)),
    )


def _check_links(links: list[ChainLink], path: str) -> None:
    ids = [ln.id for ln in links]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise _bad(path, "duplicate link ids", "make link ids unique", dup)
    for ln in links:
        unknown = [u for u in ln.upstream if u not in ids]
        if unknown:
            raise _bad(
                path,
                f"link {ln.id!r} names unknown upstream links",
                suggest(unknown[0], ids),
                unknown,
            )
    cycle = _find_cycle({ln.id: list(ln.upstream) for ln in links})
    if cycle:
        raise _bad(
            path,
            "the upstream links form a cycle: " + " → ".join(cycle),
            "remove one of these upstream entries (a chain runs one way)",
            cycle,
        )


def _find_cycle(graph: dict[str, list[str]]) -> list[str]:
    """A cycle of `graph` (node → its upstream nodes) as a closed path, or [] (iterative DFS)."""
    colour = dict.fromkeys(graph, 0)  # 0 new, 1 on the stack, 2 done
    for root in graph:
        if colour[root]:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        colour[root] = 1
        while stack:
            node, i = stack[-1]
            nxt = graph[node]
            if i < len(nxt):
                stack[-1] = (node, i + 1)
                child = nxt[i]
                if colour[child] == 1:
                    path = [n for n, _ in stack]
                    return path[path.index(child) :] + [child]
                if colour[child] == 0:
                    colour[child] = 1
                    stack.append((child, 0))
            else:
                colour[node] = 2
                stack.pop()
    return []


def _omitted(raw: Any, ids: list[str], path: str) -> tuple[tuple[str, str, str], ...]:
    out = []
    for d in raw or ():
        if not isinstance(d, dict) or d.get("reason") not in OMIT_REASONS:
            raise _bad(path, "kg_omitted entries need upstream, link, reason", str(OMIT_REASONS), d)
        pair = (str(d.get("upstream")), str(d.get("link")))
        unknown = [x for x in pair if x not in ids]
        if unknown:
            raise _bad(path, "kg_omitted names unknown links", suggest(unknown[0], ids), unknown)
        out.append((*pair, str(d["reason"])))
    return tuple(out)


def parse_template(data: Any, path: str = "<dict>") -> ChainTemplate:
    """Build a :class:`ChainTemplate` from a parsed YAML mapping (structural checks only).

    Raises
    ------
    ChainTemplateError
        Missing keys, unknown stage, duplicate or unknown link ids, a cycle in the upstream links.
    """
    if not isinstance(data, dict):
        raise _bad(path, "not a YAML mapping", "see docs/chains.md for the layout", type(data))
    tid = _text(data, "id", path)
    zh, en = _names(data, path, "chain")
    scheme = data.get("io_scheme")
    if scheme not in IO_SCHEMES:
        raise _bad(path, "unknown io_scheme", f"use one of {list(IO_SCHEMES)}", scheme)
    raw_links = data.get("links")
    if not isinstance(raw_links, list) or not raw_links:
        raise _bad(path, "a template needs a non-empty list of links", "add links: [...]")
    links = [_link(d, path) for d in raw_links]
    _check_links(links, path)
    return ChainTemplate(
        id=tid,
        version=str(data.get("version", "")),
        name_zh=zh,
        name_en=en,
        aliases=tuple(str(a) for a in data.get("aliases") or ()),
        io_scheme=str(scheme),
        product_sector=str(data.get("product_sector", "")).strip().zfill(2),
        links=tuple(links),
        note=str(data.get("note") or "").strip(),
        path=path,
        kg_omitted=_omitted(data.get("kg_omitted"), [ln.id for ln in links], path),
    )


def _read(path: Path) -> ChainTemplate:
    from chainatlas._yaml import YAMLInputError, load_yaml

    try:
        data = load_yaml(path.read_text(encoding="utf-8"), source=str(path))
    except (OSError, yaml.YAMLError, UnicodeDecodeError, YAMLInputError) as err:
        raise ChainTemplateError(
            f"cannot read chain template {path}", received=str(err), fix="check the YAML syntax"
        ) from err
    return parse_template(data, str(path))


def template_paths() -> list[Path]:
    """Template files: the shipped ones, then ``*.yaml``/``*.yml`` in ``$CHAINATLAS_CHAIN_TEMPLATES``.

    Raises
    ------
    ChainTemplateError
        A folder named in the variable does not exist.
    """
    root = resources.files("chainatlas.chains").joinpath("templates")
    paths = sorted(Path(str(p)) for p in root.iterdir() if p.name.endswith(".yaml"))
    for folder in filter(None, os.environ.get(ENV_VAR, "").split(os.pathsep)):
        if not Path(folder).is_dir():
            raise ChainTemplateError(
                f"{ENV_VAR} names a folder that does not exist",
                received=folder,
                fix="create it or fix the variable",
            )
        paths += sorted(p for p in Path(folder).iterdir() if p.suffix in (".yaml", ".yml"))
    return paths


@cache
def _cached(key: tuple[tuple[str, float], ...]) -> dict[str, ChainTemplate]:
    out: dict[str, ChainTemplate] = {}
    for p, _mtime in key:
        t = _read(Path(p))
        out[t.id] = t  # later files (user folders) override shipped ids
    return out


def chain_templates() -> dict[str, ChainTemplate]:
    """Every template by id (shipped, then user overrides), in file order."""
    key = tuple((str(p), p.stat().st_mtime) for p in template_paths())
    return dict(_cached(key))


def chain_template(name: str | ChainTemplate) -> ChainTemplate:
    """Resolve a chain by id, Chinese or English name, or alias (case-insensitive).

    Raises
    ------
    UnknownChainError
        No template matches; the message suggests close names and lists the chains.
    """
    if isinstance(name, ChainTemplate):
        return name
    temps = chain_templates()
    lookup: dict[str, str] = {}
    for t in temps.values():
        for key in (t.id, t.name_zh, t.name_en, *t.aliases):
            lookup.setdefault(key.casefold(), t.id)
    hit = lookup.get(str(name).strip().casefold())
    if hit is None:
        names = [f"{t.id} ({t.name_zh})" for t in temps.values()]
        choices = [t.id for t in temps.values()] + [t.name_zh for t in temps.values()]
        raise UnknownChainError(
            f"unknown chain {name!r}",
            received=name,
            fix=f"{suggest(str(name), choices)} Chains: {', '.join(names)}; or add a YAML "
            f"template to a folder named in {ENV_VAR}",
        )
    return temps[hit]


def resolve_chains(chains: str | Iterable[str] | None) -> list[ChainTemplate]:
    """Templates for `chains` (one name, several, or None for all)."""
    if chains is None:
        return list(chain_templates().values())
    if isinstance(chains, str | ChainTemplate):
        chains = [chains]  # type: ignore[list-item]
    return [chain_template(c) for c in chains]


def validate_template(
    template: ChainTemplate, *, kg_industries: Collection[str], io_sectors: Collection[str]
) -> ChainTemplate:
    """Check a template's KG industries and IO sectors against the data.

    Parameters
    ----------
    template : ChainTemplate
    kg_industries : collection of str
        Shenwan-2021 industry names of ``china-industry-chain-kg`` (``industry.json``).
    io_sectors : collection of str
        Sector codes of the template's IO scheme (``01`` … ``42``).

    Returns
    -------
    ChainTemplate
        The same template (for chaining).

    Raises
    ------
    ChainTemplateError
        A link names an industry or sector that does not exist; the message suggests names.
    """
    kg = set(kg_industries)
    sectors = {str(s) for s in io_sectors}
    for ln in template.links:
        for ind in ln.kg_industries:
            if ind not in kg:
                raise ChainTemplateError(
                    f"chain {template.id!r}, link {ln.id!r}: unknown KG industry {ind!r}",
                    received=ind,
                    fix=f"{suggest(ind, sorted(kg))} Use Shenwan-2021 names exactly as in "
                    "china-industry-chain-kg (industry.json).",
                )
        if ln.io_sector not in sectors:
            raise ChainTemplateError(
                f"chain {template.id!r}, link {ln.id!r}: unknown IO sector {ln.io_sector!r} "
                f"in scheme {template.io_scheme}",
                received=ln.io_sector,
                fix=f"use a sector code among {sorted(sectors)[:3]} … {sorted(sectors)[-1]}",
            )
    if template.product_sector not in sectors:
        raise ChainTemplateError(
            f"chain {template.id!r}: unknown product_sector {template.product_sector!r}",
            received=template.product_sector,
            fix="name the IO sector of the chain's downstream product",
        )
    return template


def kg_edge_support(template: ChainTemplate, upstream: pd.DataFrame) -> pd.DataFrame:
    """KG support of every ordered pair of links: the summed ``industry_up`` weight from any of
    the upstream link's industries to any of the downstream link's industries.

    Parameters
    ----------
    template : ChainTemplate
    upstream : DataFrame
        The KG's upstream relations with columns ``industry``, ``upstream``, ``weight``
        (``china-industry-chain-kg:upstream``).

    Returns
    -------
    DataFrame
        ``upstream``, ``link``, ``kg_weight`` (> 0 only), ``in_template`` (the template has the
        edge), ``basis`` (the template's basis or NaN).
    """
    where = {ind: ln.id for ln in template.links for ind in ln.kg_industries}
    u = upstream.loc[upstream["industry"].isin(where) & upstream["upstream"].isin(where)]
    pairs = pd.DataFrame(
        {
            "upstream": u["upstream"].map(where),
            "link": u["industry"].map(where),
            "kg_weight": u["weight"].astype(int),
        }
    )
    pairs = pairs.loc[pairs["upstream"] != pairs["link"]]
    agg = pairs.groupby(["upstream", "link"], as_index=False)["kg_weight"].sum()
    edges = template.edges()
    out = agg.merge(edges, on=["upstream", "link"], how="left")
    out["in_template"] = out["basis"].notna()
    return out[["upstream", "link", "kg_weight", "in_template", "basis"]]
