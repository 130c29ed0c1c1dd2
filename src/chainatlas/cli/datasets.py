"""``chainatlas datasets list|info|fetch``: the dataset registry (数据集)."""

from __future__ import annotations

from typing import Annotated

import pandas as pd
import typer

from chainatlas.cli._output import Format, console, emit
from chainatlas.datasets import available_specs, fetch, get_dataset, list_datasets, mirror_dir

app = typer.Typer(help="Registered public datasets: list, describe, fetch.", no_args_is_help=True)


@app.command("list")
def list_(
    fmt: Annotated[Format, typer.Option("--format")] = "table",
) -> None:
    """List registered datasets with licence and size."""
    rows = [
        {
            "dataset": d.name,
            "title": d.title,
            "files": len(d.files),
            "MB": round(sum(f.bytes for f in d.files) / 1e6, 2),
            "licence": d.licence,
        }
        for d in list_datasets()
    ]
    emit(pd.DataFrame(rows).set_index("dataset"), fmt, title="chainatlas datasets")


@app.command("info")
def info(
    name: Annotated[str, typer.Argument(help="dataset name, e.g. china-io")],
    fmt: Annotated[Format, typer.Option("--format")] = "table",
) -> None:
    """Describe one dataset: files, pinned URLs, sha256, licence, citation and loadable specs."""
    d = get_dataset(name)
    files = pd.DataFrame(
        [{"file": f.name, "bytes": f.bytes, "sha256": f.sha256, "url": f.url} for f in d.files]
    ).set_index("file")
    payload = {
        "name": d.name,
        "title": d.title,
        "description": d.description,
        "licence": d.licence,
        "non_commercial": d.non_commercial,
        "citation": d.citation,
        "specs": available_specs(d.name),
        "mirror": str(mirror_dir()) if mirror_dir() else None,
        "files": files,
    }
    if fmt == "table":
        console.print(f"[bold]{d.name}[/] — {d.title}\n{d.description}")
        console.print(f"licence: {d.licence}\ncite: {d.citation}")
        specs = payload["specs"]
        if specs:
            console.print("specs: " + ", ".join(specs))
        emit(files.drop(columns=["url"]), "table")
    else:
        emit(payload, fmt, table_key="files")


@app.command("fetch")
def fetch_(name: Annotated[str, typer.Argument(help="dataset name")]) -> None:
    """Download (or verify in the mirror) every file of a dataset, checking sha256."""
    paths = fetch(name)
    for p in paths:
        console.print(f"ok  {p}")
    console.print(f"{len(paths)} file(s) verified for {get_dataset(name).name}")
