"""``chainatlas clusters ...``: cluster strength, definitions and digital clusters (产业集群).

Thin: each command loads data, calls the payload builders shared with the atlas report
(:mod:`chainatlas.pipelines.sections.clusters`) and prints a rich table, JSON or CSV.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from chainatlas.cli._output import Format, console, emit
from chainatlas.errors import InputError
from chainatlas.pipelines.sections import clusters as secs

app = typer.Typer(
    help="Clusters (产业集群): LQ, US Cluster Mapping flags, European stars, cluster definitions "
    "from IO linkages, digital-economy clusters and the flying-geese typology.",
    no_args_is_help=True,
)

FmtOpt = Annotated[Format, typer.Option("--format", help="table, json, csv or xlsx")]
OutOpt = Annotated[Path | None, typer.Option("--out", "-o", help="write to this file")]
ZeroOpt = Annotated[
    Literal["raise", "drop"],
    typer.Option("--zero-totals", help="zero-total regions/industries: raise or drop (listed)"),
]


def _region_industry(dataset: str, measure: str | None) -> tuple[Any, str]:
    from chainatlas.clusters.regional import RegionIndustry

    path = Path(dataset)
    if path.suffix.lower() in {".csv", ".xlsx", ".xls", ".parquet"}:
        ri = RegionIndustry.read(path, measure=measure or "value", unit="")
        return ri, str(path)
    from chainatlas.datasets import load

    spec = dataset if ":" in dataset or not measure else f"{dataset}:{measure}"
    obj = load(spec, progress=True)
    if not isinstance(obj, RegionIndustry):
        raise InputError(
            f"{spec} is not a region × industry table",
            received=type(obj).__name__,
            fix="use e.g. china-provincial-io:2017, us-state-industry --measure "
            "employment, cn-listed-companies:shenwan, or a long-form file (region, industry, "
            "value)",
        )
    return obj, spec


YearOpt = Annotated[
    int | None,
    typer.Option(
        "--year", help="provincial IO year (2002, 2007, 2012, 2017): china-provincial-io:YEAR"
    ),
]
GroupOpt = Annotated[
    str | None,
    typer.Option(
        "--group",
        help="show only a regional group: 东部 中部 西部 东北 西南 西北 中西部 (or English names); "
        "thresholds still compare all provinces",
    ),
]


def _dataset(dataset: str | None, year: int | None) -> str:
    """The dataset argument, or china-provincial-io:YEAR (default 2017) when none is given."""
    if dataset is not None and year is not None:
        raise InputError(
            "give a dataset or --year, not both",
            received=(dataset, year),
            fix=f"e.g. `--year {year}` alone, or the spec china-provincial-io:{year}",
        )
    return dataset or (f"china-provincial-io:{year}" if year is not None else secs.PROVINCIAL)


def _in_group(frame: Any, group: str | None) -> Any:
    """Rows of `frame` (indexed by io_code) in the group; unknown groups raise with suggestions."""
    if group is None:
        return frame
    from chainatlas.regions.groups import group_members

    members = group_members(group)
    return frame[frame.index.isin(members)]


@app.command("strength")
def strength_cmd(
    dataset: Annotated[
        str | None,
        typer.Argument(
            help="spec (e.g. us-state-industry) or long-form file (region,industry,value); "
            "default china-provincial-io:2017"
        ),
    ] = None,
    year: YearOpt = None,
    group: GroupOpt = None,
    rules: Annotated[
        Literal["cmp", "chainatlas"],
        typer.Option(help="CMP code rules (default) or chainatlas' earlier variant"),
    ] = "cmp",
    measure: Annotated[
        str | None,
        typer.Option("--measure", help="key of the dataset, e.g. employment, output, shenwan"),
    ] = None,
    strong_pct: Annotated[float, typer.Option(help="CMP strong percentile")] = 75.0,
    top_pct: Annotated[float, typer.Option(help="CMP top percentile")] = 90.0,
    min_lq: Annotated[float, typer.Option(help="CMP LQ floor")] = 1.0,
    min_size: Annotated[float, typer.Option(help="size floor (flags and stars)")] = 0.0,
    zero_totals: ZeroOpt = "raise",
    fmt: FmtOpt = "table",
    out: OutOpt = None,
) -> None:
    """CMP strength flags (strong / top 10 %) and European stars for every region × industry.

    For Chinese provinces gross output takes the place of employment (the CMP's size measure).
    """
    ri, spec = _region_industry(_dataset(dataset, year), measure)
    payload = secs.strength_payload(
        ri,
        spec,
        rules=rules,
        strong_pct=strong_pct,
        top_pct=top_pct,
        min_lq=min_lq,
        min_size=min_size,
        zero_totals=zero_totals,
    )
    if payload["dropped"] and any(payload["dropped"].values()):
        console.print(f"dropped (zero totals): {payload['dropped']}")
    if group is not None:
        payload["regions"] = _in_group(payload["regions"], group)
        cells = payload["strength"]
        payload["strength"] = cells[cells["region"].isin(payload["regions"].index)]
    key = "strength" if fmt == "csv" else "regions"
    emit(payload, fmt, out, table_key=key, title=f"cluster strength 集群强度 — {spec}")


@app.command("lq")
def lq_cmd(
    dataset: Annotated[str, typer.Argument(help="spec or long-form file")],
    measure: Annotated[str | None, typer.Option("--measure", help="key of the dataset")] = None,
    zero_totals: ZeroOpt = "raise",
    fmt: FmtOpt = "table",
    out: OutOpt = None,
) -> None:
    """Location quotients LQ = (e_ri/e_r)/(e_i/e), regions × industries."""
    from chainatlas.clusters import location_quotient

    ri, spec = _region_industry(dataset, measure)
    lq = location_quotient(ri, zero_totals=zero_totals)
    payload = {
        "dataset": spec,
        "measure": ri.measure,
        "dropped": lq.attrs.get("dropped", {}),
        "lq": lq,
    }
    emit(payload, fmt, out, table_key="lq", title=f"LQ 区位商 — {spec}")


@app.command("define")
def define_cmd(
    dataset: Annotated[str, typer.Argument(help="bea-io:2017-detail")] = "bea-io:2017-detail",
    industries: Annotated[
        Literal["traded", "all"], typer.Option(help="cluster traded industries or all")
    ] = "traded",
    n_clusters: Annotated[int | None, typer.Option(min=1, help="number of clusters")] = None,
    seed: Annotated[int, typer.Option(help="Leiden seed")] = 0,
    fmt: FmtOpt = "table",
    out: OutOpt = None,
) -> None:
    """Cluster definitions from BEA linkages (DPS 2016), validated against the CMP clusters."""
    if dataset != "bea-io:2017-detail":
        raise InputError(
            "cluster definitions are built from the BEA detail 2017 table",
            received=dataset,
            fix="use bea-io:2017-detail",
        )
    from chainatlas.datasets.loaders.cluster_mapping import definition_inputs

    payload = secs.define_payload(
        definition_inputs(progress=True), industries=industries, n_clusters=n_clusters, seed=seed
    )
    key = "assignments" if fmt == "csv" else "validation"
    emit(payload, fmt, out, table_key=key, title="cluster definitions 集群划分 — BEA 2017")


@app.command("digital")
def digital_cmd(
    dataset: Annotated[
        str | None, typer.Argument(help="province × sector spec; default china-provincial-io:2017")
    ] = None,
    year: YearOpt = None,
    group: GroupOpt = None,
    include: Annotated[
        Literal["full", "full+partial"],
        typer.Option(help="count sectors wholly in the core (lower bound) or partial ones too"),
    ] = "full",
    listed: Annotated[bool, typer.Option(help="add listed digital firms")] = True,
    fmt: FmtOpt = "table",
    out: OutOpt = None,
) -> None:
    """Digital-economy core by province: share, LQ, flags, stars, listed firms, 雁阵 types."""
    from chainatlas.datasets import load

    ri, spec = _region_industry(_dataset(dataset, year), None)
    firms = load("cn-listed-companies:table", progress=True) if listed else None
    payload = secs.digital_payload(ri, spec, firms=firms, include=include)
    payload["summary"] = _in_group(payload["summary"], group)
    emit(payload, fmt, out, table_key="summary", title=f"digital clusters 数字产业集群 — {spec}")


@app.command("geese")
def geese_cmd(
    years: Annotated[
        str, typer.Option("--years", help="comma-separated provincial IO years")
    ] = "2007,2012,2017",
    group: GroupOpt = None,
    include: Annotated[
        Literal["full", "full+partial"],
        typer.Option(help="count sectors wholly in the core (lower bound) or partial ones too"),
    ] = "full",
    fmt: FmtOpt = "table",
    out: OutOpt = None,
) -> None:
    """Flying geese over time (雁阵演变): each province's type per year, moves, national shares."""
    from chainatlas.datasets import load
    from chainatlas.geo import provinces
    from chainatlas.regions import digital_over_time, geese_transitions

    try:
        ys = sorted({int(y) for y in years.split(",") if y.strip()})
    except ValueError:
        raise InputError(
            "--years must be comma-separated years", received=years, fix="e.g. --years 2007,2017"
        ) from None
    if len(ys) < 2:
        raise InputError("give at least two years", received=years, fix="e.g. --years 2007,2017")
    specs = [f"china-provincial-io:{y}" for y in ys]
    panel = digital_over_time({y: load(s, progress=True) for y, s in zip(ys, specs, strict=True)},
                              include=include)  # fmt: skip
    tr = geese_transitions(panel)
    tr.insert(0, "name_zh", provinces()["short_zh"].reindex(tr.index))
    payload = {
        "datasets": specs,
        "unit": "share (0–1); share_change in percentage points",
        "include": include,
        "share_total": panel.attrs["share_total"],
        "transitions": _in_group(tr, group),
        "panel": panel,
    }
    emit(
        payload,
        fmt,
        out,
        table_key="transitions",
        title="flying geese 雁阵演变 — " + ", ".join(specs),
    )
