"""``chainatlas sme``: SME digital maturity (中小企业数字化水平评测) — score, aggregate, report, serve."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from chainatlas._atomic import safe_filename
from chainatlas.cli._net import check_port_free
from chainatlas.cli._output import Format, console, emit, emit_context
from chainatlas.errors import InputError

app = typer.Typer(
    help="SME digital maturity: frameworks, batch scoring, regional picture, reports, service.",
    no_args_is_help=True,
)

FrameworkOpt = Annotated[
    str,
    typer.Option(
        "--framework", "-f", help="framework id, alias or YAML path (e.g. miit-2024, eu-dma)"
    ),
]
FormatOpt = Annotated[Format, typer.Option("--format", help="table, json, csv or xlsx")]
OutOpt = Annotated[Path | None, typer.Option("--out", "-o", help="write to this file (atomically)")]
EncodingOpt = Annotated[
    str | None,
    typer.Option("--encoding", help="CSV text encoding (default: detect UTF-8 or GBK/GB18030)"),
]
SheetOpt = Annotated[
    str | None, typer.Option("--sheet", help="XLSX sheet name (default: the first)")
]
ParamOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--param", help="framework parameter NAME=VALUE, e.g. planned_investment_weight=1"
    ),
]
RulesOpt = Annotated[
    bool,
    typer.Option(
        "--ignore-unverified-rules", help="do not apply level rules marked verified: false"
    ),
]


def _params(items: list[str] | None) -> dict[str, float]:
    out: dict[str, float] = {}
    for it in items or []:
        name, sep, value = it.partition("=")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep:
            raise InputError(
                f"bad --param {it!r}",
                fix="write NAME=VALUE, e.g. --param planned_investment_weight=1",
            )
    return out


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


def _score_file(
    path: Path,
    framework: str,
    *,
    encoding: str | None,
    sheet: str | None,
    params: dict[str, float],
    ignore_unverified: bool,
    chunk: int = 100_000,
):  # type: ignore[no-untyped-def]
    from chainatlas.sme.answers import DuplicateFirmError, encode_answers, read_answers
    from chainatlas.sme.schema import load_framework
    from chainatlas.sme.scoring import concat_scores, score_assessments

    fw = load_framework(framework)
    fw.require_complete()
    with _progress() as bar:
        task = bar.add_task(f"reading {path.name}", total=None)
        frame, info = read_answers(path, encoding=encoding, sheet=sheet)
        n = len(frame)
        if n == 0:
            raise InputError(f"{path.name} holds no firms", fix="add one row per firm")
        ids = frame["firm_id"] if "firm_id" in frame.columns else None
        if ids is not None and ids.duplicated().any():
            dup = ids[ids.duplicated(keep=False)].unique()[:5].tolist()
            raise DuplicateFirmError(
                f"duplicate firm ids in the batch: {', '.join(map(str, dup))}",
                fix="keep one row per firm",
            )
        bar.update(
            task, description=f"scoring {n:,} firms ({info['encoding']})", total=n, completed=0
        )
        parts = []
        for start in range(0, n, chunk):
            part = frame.iloc[start : start + chunk]
            enc = encode_answers(part, fw, source=f"{path.name} ({info['encoding']})")
            parts.append(
                score_assessments(
                    enc,
                    fw,
                    params=params,
                    unverified_rules="ignore" if ignore_unverified else "apply",
                )
            )
            bar.update(task, advance=len(part))
    return concat_scores(parts) if len(parts) > 1 else parts[0]


@app.command("frameworks")
def frameworks(fmt: FormatOpt = "table", out: OutOpt = None) -> None:
    """List the frameworks (shipped and from CHAINATLAS_SME_FRAMEWORKS folders)."""
    from chainatlas.sme.schema import list_frameworks

    table = list_frameworks()
    emit(
        table if fmt != "table" else table.drop(columns=["path", "title_zh"]),
        fmt,
        out,
        title="SME frameworks 评测框架",
    )


@app.command("score")
def score(
    answers: Annotated[
        Path,
        typer.Argument(
            help="answers file (.csv or .xlsx): firm_id, meta columns, one column per item"
        ),
    ],
    framework: FrameworkOpt = "miit-2024",
    fmt: FormatOpt = "table",
    out: OutOpt = None,
    encoding: EncodingOpt = None,
    sheet: SheetOpt = None,
    param: ParamOpt = None,
    ignore_unverified_rules: RulesOpt = False,
) -> None:
    """Score every firm of ANSWERS: total, level (一级–四级) with reason, dimension profile."""
    s = _score_file(
        answers,
        framework,
        encoding=encoding,
        sheet=sheet,
        params=_params(param),
        ignore_unverified=ignore_unverified_rules,
    )
    table = s.to_frame()
    payload = {
        "framework": {"id": s.framework.id, "version": s.framework.version},
        "params": s.params,
        "rules_applied": [{"id": r.id, "verified": r.verified} for r in s.applied_rules],
        "level_counts": s.levels.value_counts().sort_index(),
        "firms": table,
        "provenance": s.provenance.to_dict() if s.provenance else {},
    }
    emit(payload, fmt, out, table_key="firms", title=f"{s.framework.title.zh} · {s.n:,} firms")


@app.command("aggregate")
def aggregate(
    answers: Annotated[
        Path,
        typer.Argument(help="answers file (.csv or .xlsx) with province / industry / size columns"),
    ],
    framework: FrameworkOpt = "miit-2024",
    by: Annotated[
        Literal["province", "region", "division", "size"], typer.Option("--by", help="grouping")
    ] = "region",
    k: Annotated[
        int, typer.Option("--k", min=2, help="suppress cells with fewer than k firms")
    ] = 5,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
    encoding: EncodingOpt = None,
    sheet: SheetOpt = None,
    param: ParamOpt = None,
    ignore_unverified_rules: RulesOpt = False,
) -> None:
    """Regional picture: level distribution, mean profile, scene heat map, weakest dimension (k-suppressed)."""
    from chainatlas.sme.aggregate import maturity_summary

    s = _score_file(
        answers,
        framework,
        encoding=encoding,
        sheet=sheet,
        params=_params(param),
        ignore_unverified=ignore_unverified_rules,
    )
    from chainatlas.pipelines.sme import division_names

    summ = maturity_summary(s, by=by, k=k, division_names=division_names())
    payload = {**summ.to_dict(), "table": summ.table()}
    emit(payload, fmt, out, table_key="table", title=f"by {by} (k={k})")


@app.command("report")
def report(
    answers: Annotated[Path, typer.Argument(help="answers file (.csv or .xlsx)")],
    firm: Annotated[
        str | None, typer.Option("--firm", help="firm id: write the firm report")
    ] = None,
    region: Annotated[
        str | None,
        typer.Option("--region", help="all, 东部/中部/西部/东北 (East/...), or a province"),
    ] = None,
    before: Annotated[
        Path | None,
        typer.Option("--before", help="answers of an earlier wave (firm report: T0 → T1)"),
    ] = None,
    by: Annotated[
        Literal["province", "region", "division", "size"],
        typer.Option("--by", help="grouping inside the region"),
    ] = "province",
    k: Annotated[
        int, typer.Option("--k", min=2, help="suppress cells with fewer than k firms")
    ] = 5,
    framework: FrameworkOpt = "miit-2024",
    out: OutOpt = None,
    fmt: Annotated[
        Literal["html", "json", "xlsx"],
        typer.Option("--format", help="html, json or xlsx (default: from the --out extension)"),
    ] = "html",
    encoding: EncodingOpt = None,
    sheet: SheetOpt = None,
    param: ParamOpt = None,
    ignore_unverified_rules: RulesOpt = False,
) -> None:
    """Write the HTML report of one firm (--firm) or one region (--region)."""
    from chainatlas.pipelines.sections.sme import firm_report_context, region_report_context

    if (firm is None) == (region is None):
        raise InputError(
            "give exactly one of --firm or --region", fix="e.g. --firm F001 or --region 西部"
        )
    opts = {
        "encoding": encoding,
        "sheet": sheet,
        "params": _params(param),
        "ignore_unverified": ignore_unverified_rules,
    }
    s = _score_file(answers, framework, **opts)  # type: ignore[arg-type]
    if firm is not None:
        t0 = _score_file(before, framework, **opts) if before else None  # type: ignore[arg-type]
        ctx = firm_report_context(s, firm, before=t0)
        default = Path(f"sme-firm-{safe_filename(firm)}.html")
    else:
        assert region is not None
        ctx = region_report_context(s, region, by=by, k=k)
        default = Path(f"sme-region-{safe_filename(region)}.html")
    emit_context(ctx, fmt, out, default)


@app.command("serve")
def serve(
    db: Annotated[
        str,
        typer.Option(
            "--db", help="SQLAlchemy URL: sqlite:///sme.db (default) or postgresql+psycopg://..."
        ),
    ] = "sqlite:///sme.db",
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8765,
    k: Annotated[
        int, typer.Option("--k", min=2, help="minimum firms per published aggregate cell")
    ] = 5,
    admin_key_file: Annotated[
        Path | None,
        typer.Option("--admin-key-file", help="read the bootstrap admin key from this file"),
    ] = None,
) -> None:
    """Run the assessment service (OpenAPI docs at /docs). Prints a new admin key on first start."""
    import uvicorn

    from chainatlas.service import Store, create_app

    admin = _read_admin_key(admin_key_file) if admin_key_file else None
    if admin is None:
        store = Store(db)
        if not store.has_admin():
            _, secret = store.create_key("admin", label="first start")
            console.print(f"[bold]admin key (shown once, keep it safe):[/] {secret}")
        store.dispose()
    application = create_app(db, k=k, admin_key=admin)
    check_port_free(host, port)
    console.print(f"SME service on http://{host}:{port} — API docs at http://{host}:{port}/docs")
    uvicorn.run(application, host=host, port=port)


def _read_admin_key(path: Path) -> str:
    """The bootstrap admin key from a file: refused when empty or shorter than the minimum."""
    from chainatlas.service.app import MIN_ADMIN_KEY

    try:
        secret = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(
            f"cannot read --admin-key-file {path}", received=str(err), fix="check the path"
        ) from err
    if len(secret) < MIN_ADMIN_KEY:
        raise InputError(
            "--admin-key-file holds no usable admin key"
            if not secret
            else "the admin key in --admin-key-file is too short",
            received=f"{path} ({len(secret)} characters)",
            fix=f"write a random secret of at least {MIN_ADMIN_KEY} characters into the file, "
            "or leave out --admin-key-file to have a key generated on first start",
        )
    return secret
