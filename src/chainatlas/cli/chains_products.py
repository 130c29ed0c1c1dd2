"""``chainatlas chains products --economy CHN`` (产品级供应集中度筛查).

Registered on the ``chains`` group by :mod:`chainatlas.cli.chains`; renders
:func:`chainatlas.pipelines.product_screen.product_screen_payload`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from chainatlas.cli._output import Format, emit
from chainatlas.cli.chains import app


@app.command("products")
def products(
    economy: Annotated[
        str, typer.Option("--economy", help="focus economy (ISO3), e.g. CHN")
    ] = "CHN",
    spec: Annotated[str, typer.Option("--data", help="trade dataset")] = "world-trade-hs4-2017",
    hhi: Annotated[
        float, typer.Option("--hhi", help="HHI threshold (EU 2021, CEPII GeoDep)")
    ] = 0.4,
    rca: Annotated[float, typer.Option("--rca", help="focus RCA below this = weak at home")] = 1.0,
    all_products: Annotated[
        bool, typer.Option("--all", help="every product, not only the flagged ones")
    ] = False,
    top: Annotated[
        int | None, typer.Option("--top", min=1, help="show the top N rows only")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="table, json, csv or xlsx")] = "table",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="write to this file")] = None,
) -> None:
    """Products whose world supply outside ECONOMY is concentrated (HHI > 0.4), HS4 2017."""
    from chainatlas.pipelines.product_screen import product_screen_payload

    payload = product_screen_payload(
        spec, economy, hhi_threshold=hhi, rca_threshold=rca, flagged_only=not all_products, top=top
    )
    emit(
        payload,
        fmt,
        out,
        table_key="products",
        title=f"product supply screen — {payload['economy']}",
    )
