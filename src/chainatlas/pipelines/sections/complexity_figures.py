"""Figures of the height section (plotly figure builders; no computation of metrics)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from chainatlas.complexity import ProductSpace, opportunities
from chainatlas.pipelines.complexity import TradeComplexity

__all__ = ["product_space_figure", "strategy_figure", "feasibility_figure"]

FOCUS = "chn"


def product_space_figure(space: ProductSpace | dict[str, Any], *, title: str = "") -> Any:
    """A plotly figure of the product space; nodes coloured by ``rca`` when present."""
    import plotly.graph_objects as go

    nodes = space.nodes if isinstance(space, ProductSpace) else space["nodes"]
    edges = space.edges if isinstance(space, ProductSpace) else space["edges"]
    pos = nodes[["x", "y"]]
    xs = np.full(len(edges) * 3, np.nan)
    ys = np.full(len(edges) * 3, np.nan)
    xs[0::3] = pos["x"].reindex(edges["source"]).to_numpy()
    xs[1::3] = pos["x"].reindex(edges["target"]).to_numpy()
    ys[0::3] = pos["y"].reindex(edges["source"]).to_numpy()
    ys[1::3] = pos["y"].reindex(edges["target"]).to_numpy()
    fig = go.Figure()
    fig.add_trace(
        go.Scattergl(
            x=xs,
            y=ys,
            mode="lines",
            line={"width": 0.5, "color": "rgba(120,120,120,0.5)"},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    names = nodes["name"].fillna("") if "name" in nodes else pd.Series("", index=nodes.index)
    text = [f"{p} {n}" for p, n in zip(nodes.index.astype(str), names, strict=True)]
    marker: dict[str, Any] = {"size": 6}
    if "rca" in nodes:
        rca = nodes["rca"].to_numpy(dtype=float)
        marker.update(
            color=np.log10(np.clip(rca, 1e-3, 1e3)),
            colorscale="RdBu_r",
            cmin=-2,
            cmax=2,
            colorbar={"title": "log₁₀ RCA"},
            line={"width": [1.2 if v >= 1 else 0 for v in rca], "color": "black"},
        )
        text = [f"{t}<br>RCA {v:.2f}" for t, v in zip(text, rca, strict=True)]
    fig.add_trace(
        go.Scattergl(
            x=pos["x"],
            y=pos["y"],
            mode="markers",
            marker=marker,
            text=text,
            hoverinfo="text",
            showlegend=False,
        )
    )
    fig.update_layout(
        title=title,
        xaxis={"visible": False},
        yaxis={"visible": False},
        height=650,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        plot_bgcolor="white",
    )
    return fig


def strategy_figure(payload: dict[str, Any], focus: str = FOCUS) -> Any:
    """Scatter of ECI controlled for GDP per capita (x) against COI (y), four labelled quadrants."""
    import plotly.graph_objects as go

    from chainatlas.complexity.strategy import APPROACHES

    t = payload["table"]
    fig = go.Figure()
    for key, (en, zh) in APPROACHES.items():
        sub = t[t["approach"] == key]
        fig.add_trace(
            go.Scatter(
                x=sub["eci_controlled"],
                y=sub["coi"],
                mode="markers",
                name=f"{zh} {en}",
                text=[f"{a} {b}" for a, b in zip(sub["name_zh"], sub["name_en"], strict=True)],
                hoverinfo="text+x+y",
            )
        )
    if focus in t.index:
        row = t.loc[focus]
        fig.add_annotation(x=row["eci_controlled"], y=row["coi"], text=str(row["name_zh"]))
    fig.add_hline(y=0, line_dash="dot")
    fig.add_vline(x=0, line_dash="dot")
    fig.update_layout(
        xaxis_title="ECI controlled for ln GDP per capita (ECI*, 2017)",
        yaxis_title="COI (complexity outlook, 2017)",
        height=520,
    )
    return fig


def feasibility_figure(tc: TradeComplexity, economy: str = FOCUS) -> Any:
    """Feasibility (density) against attractiveness (PCI) of every product not yet exported.

    Marker colour is COG; products below the economy's ECI (not "new tracks") are grey.
    """
    import plotly.graph_objects as go

    r = tc.result
    allp = opportunities(r, economy, pci_floor=None, names=tc.names)
    floor = float(r.eci[economy])
    above = allp[allp["pci"] >= floor]
    below = allp[allp["pci"] < floor]
    fig = go.Figure()
    fig.add_trace(
        go.Scattergl(
            x=below["density"],
            y=below["pci"],
            mode="markers",
            marker={"color": "lightgrey", "size": 5},
            name="PCI < ECI",
            text=below["name"],
            hoverinfo="text",
        )
    )
    fig.add_trace(
        go.Scattergl(
            x=above["density"],
            y=above["pci"],
            mode="markers",
            marker={
                "color": above["cog"],
                "colorscale": "Viridis",
                "size": 6,
                "colorbar": {"title": "COG"},
            },
            name="新赛道 new tracks (PCI ≥ ECI)",
            text=above["name"],
            hoverinfo="text",
        )
    )
    fig.add_hline(y=floor, line_dash="dot", annotation_text=f"ECI {floor:.2f}")
    fig.update_layout(
        xaxis_title="可行性 feasibility: density 密度 (2017)",
        yaxis_title="吸引力 attractiveness: PCI (2017)",
        height=520,
    )
    return fig
