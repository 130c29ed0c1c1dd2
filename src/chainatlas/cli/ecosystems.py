"""``chainatlas ecosystems ...``: communities, their evolution, hubs and chain leaders (生态群落).

Sources: an IO dataset spec (``wiod-2013:2011``, ``china-io:2020-42``), ``china-industry-chain-kg``
or an edge file (CSV/Parquet with ``source,target,weight``). ``evolution`` takes ``wiod-2013``
(all years) or a records file (supplier, customer, value, date). The JSON is the dict the atlas
report shows (:mod:`chainatlas.pipelines.sections.ecosystems`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from chainatlas.cli._output import Format, console, emit
from chainatlas.pipelines.sections import ecosystems as secs

app = typer.Typer(
    help="Ecosystems (生态群落): Leiden communities, Greene evolution events, hubs, chain leaders, "
    "Apple supplier geography.",
    no_args_is_help=True,
)

SourceArg = Annotated[
    str,
    typer.Argument(
        help="IO spec (wiod-2013:2011), china-industry-chain-kg, or an edge file (.csv/.parquet)"
    ),
]
FmtOpt = Annotated[Format, typer.Option("--format", help="table, json, csv or xlsx")]
OutOpt = Annotated[Path | None, typer.Option("--out", "-o", help="write to this file")]
BackboneOpt = Annotated[
    Literal["disparity", "flow-share", "none"],
    typer.Option("--backbone", help="IO tables: disparity, flow-share or none"),
]
AlphaOpt = Annotated[float, typer.Option("--alpha", help="disparity-filter significance level")]
LevelOpt = Annotated[
    Literal["industry", "company"],
    typer.Option("--level", help="chain KG: industry or company (derived)"),
]


def _status(msg: str) -> None:
    console.print(f"[dim]{msg}[/]")


@app.command("communities")
def communities_cmd(
    source: SourceArg,
    quality: Annotated[
        Literal["modularity", "cpm"], typer.Option("--quality", help="modularity or cpm")
    ] = "modularity",
    resolution: Annotated[
        float, typer.Option("--resolution", help="γ (modularity) or CPM density")
    ] = 1.0,
    direction: Annotated[
        Literal["undirected", "directed"],
        typer.Option("--direction", help="undirected or directed"),
    ] = "undirected",
    seed: Annotated[int, typer.Option("--seed")] = 42,
    backbone: BackboneOpt = "disparity",
    alpha: AlphaOpt = 0.05,
    level: LevelOpt = "industry",
    fmt: FmtOpt = "table",
    out: OutOpt = None,
) -> None:
    """Leiden communities with hubs and each community's dependence on its top hub."""
    from chainatlas.ecosystems.communities import communities
    from chainatlas.ecosystems.hubs import community_hubs, hub_dependence
    from chainatlas.pipelines.ecosystems import network_for

    with console.status("building the network and finding communities"):
        net = network_for(source, backbone_method=backbone, alpha=alpha, level=level)
        m = communities(
            net,
            quality=quality,
            resolution=resolution,
            direction=direction,
            seed=seed,  # type: ignore[arg-type]
        )
        summary = hub_dependence(net, m)
        hubs = (
            community_hubs(net, m, top=3)
            .groupby(level="community")["node"]
            .agg(lambda h: "; ".join(map(str, h)))
        )
        summary["hubs"] = hubs.reindex(summary.index)
    payload = secs.communities_payload(net, m, summary, source)
    emit(payload, fmt, out, table_key="communities", title=f"communities 群落 — {source}")


@app.command("evolution")
def evolution_cmd(
    source: Annotated[str, typer.Argument(help="wiod-2013 (1995–2011) or a records file")],
    theta: Annotated[float, typer.Option("--theta", help="Jaccard threshold θ")] = 0.3,
    death_after: Annotated[
        int, typer.Option("--death-after", help="steps unmatched before death")
    ] = 3,
    start: Annotated[
        str | None, typer.Option("--start", help="records: first day, e.g. 2020-01-01")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--end", help="records: day after the last period")
    ] = None,
    freq: Annotated[
        Literal["year", "quarter", "month"],
        typer.Option("--freq", help="records: year, quarter or month"),
    ] = "year",
    engine: Annotated[
        Literal["duckdb", "spark"], typer.Option("--engine", help="records: duckdb or spark")
    ] = "duckdb",
    outside: Annotated[
        Literal["raise", "drop"],
        typer.Option("--outside", help="records outside periods: raise or drop"),
    ] = "raise",
    seed: Annotated[int, typer.Option("--seed")] = 42,
    fmt: FmtOpt = "table",
    out: OutOpt = None,
) -> None:
    """Greene et al. (2010) community evolution: birth, death, merge, split, expansion, ..."""
    from chainatlas.errors import InputError

    if source == "wiod-2013":
        from chainatlas.pipelines.ecosystems import wiod_blocs

        blocs = wiod_blocs(theta=theta, death_after=death_after, seed=seed, step=_status)
        payload = secs.wiod_payload(blocs)
        payload["events"] = secs.events_frame(blocs.evolution.events)
        emit(payload, fmt, out, table_key="events", title="evolution 演化 — WIOD 1995–2011")
        return
    if start is None or end is None:
        raise InputError(
            "a records file needs --start and --end",
            received=source,
            fix="e.g. --start 2020-01-01 --end 2023-01-01 --freq year",
        )
    from chainatlas.ecosystems.communities import communities
    from chainatlas.ecosystems.evolution import track_communities
    from chainatlas.ecosystems.records import make_periods, snapshot_records

    periods = make_periods(start, end, freq=freq)
    _status(f"aggregating records with {engine}")
    snaps = snapshot_records(source, periods=periods, engine=engine, outside=outside)
    memberships = {}
    for label in snaps.labels:
        net = snaps.network(label)
        if net.n_edges == 0:
            import pandas as pd

            memberships[label] = pd.Series([], dtype="int64")
            continue
        _status(f"communities of {label}")
        memberships[label] = communities(net, seed=seed)
    evo = track_communities(memberships, theta=theta, death_after=death_after)
    payload = secs.evolution_payload(evo, source)
    payload["notes"] = list(snaps.notes)
    emit(payload, fmt, out, table_key="events", title=f"evolution 演化 — {source}")


@app.command("leaders")
def leaders_cmd(
    source: SourceArg,
    method: Annotated[
        Literal["reverse-pagerank", "flow-reach"],
        typer.Option("--method", help="reverse-pagerank or flow-reach"),
    ] = "reverse-pagerank",
    top: Annotated[int, typer.Option("--top", min=1, help="leaders to list")] = 20,
    level: LevelOpt = "industry",
    backbone: BackboneOpt = "none",
    alpha: AlphaOpt = 0.05,
    fmt: FmtOpt = "table",
    out: OutOpt = None,
) -> None:
    """Downstream-reach centrality (reverse PageRank or flow reach) of a network's nodes.

    Not chain leaders in the policy sense: for 链主 (integrator firms of a strategic chain) use
    `chainatlas chains gaps SPEC --province P --view leaders`.
    """
    from chainatlas.ecosystems.leaders import chain_leaders
    from chainatlas.pipelines.ecosystems import network_for

    with console.status("ranking chain leaders"):
        if source.split(":")[0] == "china-industry-chain-kg":
            from chainatlas.pipelines.ecosystems import chain_kg_ecosystem

            eco = chain_kg_ecosystem(method=method, top=top)
            lead = eco.company_leaders if level == "company" else eco.industry_leaders
        else:
            net = network_for(source, backbone_method=backbone, alpha=alpha, level=level)
            lead = chain_leaders(net, method=method, top=top)
    emit(
        secs.leaders_payload(lead, source, method),
        fmt,
        out,
        table_key="leaders",
        title=f"chain leaders 链主 — {source}",
    )


@app.command("suppliers")
def suppliers_cmd(
    view: Annotated[
        Literal["concentration", "churn", "merges"],
        typer.Option("--view", help="concentration (HHI by year), churn or merges"),
    ] = "concentration",
    fmt: FmtOpt = "table",
    out: OutOpt = None,
) -> None:
    """Apple supplier geography 2012–2022: country HHI, entries/exits, name-merge decisions."""
    from chainatlas.pipelines.ecosystems import apple_geography

    payload = secs.apple_payload(apple_geography())
    emit(payload, fmt, out, table_key=view, title=f"Apple suppliers — {view}")
