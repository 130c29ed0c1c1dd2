"""Answers (答卷): validation by item type, batch encoding to arrays, CSV/XLSX readers.

Two entry points share one set of rules:

* :func:`validate_assessment` checks one firm's answers (a dict) with a pydantic model built from the
  framework: numeric bands (a number in range), single-choice ordinal (an option id), additive
  multi-select (a list of option ids, or ``[]``/``"none"``), three-way trend
  (``worse``/``flat``/``better``), scene level (1–4) and a 0–5 scale.
* :func:`encode_answers` checks a whole batch (a wide table: ``firm_id``, optional meta columns
  ``province``, ``industry``, ``size``, ``wave``, ``name``, then one column per item) column by
  column with numpy/pandas and returns one array per item, ready for vectorised scoring.

Every error names the item, what was received (with example firm ids) and the allowed values.
Multi-select cells hold option ids joined by ``;`` (or ``|``); ``none`` means nothing selected; a
blank cell is a *missing* answer.

Examples
--------
>>> from chainatlas.sme.schema import load_framework
>>> fw = load_framework("eu-dma")
>>> frame = pd.DataFrame({"firm_id": ["A"], **{it.id: ["0"] for it in fw.items if it.type == "scale_0_5"}})
>>> sorted(missing_items(frame, fw))[:2]
['basic_technologies_used', 'data_practices_used']
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model, field_validator

from chainatlas._files import reading
from chainatlas.errors import InputError, LabelError, SchemaError, check_option, suggest
from chainatlas.provenance import Provenance
from chainatlas.sme.schema import TREND_ANSWERS, Framework, Item
from chainatlas.validation import validate_params

__all__ = [
    "META_COLUMNS",
    "SIZE_CLASSES",
    "AnswerError",
    "DuplicateFirmError",
    "AnswerFileError",
    "Assessment",
    "EncodedAnswers",
    "answer_model",
    "validate_assessment",
    "assessments_frame",
    "encode_answers",
    "missing_items",
    "read_answers",
]

#: non-item columns of a batch table
META_COLUMNS: tuple[str, ...] = ("firm_id", "province", "industry", "size", "wave", "name")
#: size classes (企业规模) and accepted spellings
SIZE_CLASSES: dict[str, str] = {
    "medium": "medium",
    "small": "small",
    "micro": "micro",
    "中型": "medium",
    "小型": "small",
    "微型": "micro",
}
_SEP = r"\s*[;|]\s*"
#: longest firm id and firm name accepted (characters)
MAX_ID, MAX_LABEL = 128, 200
#: a firm id: printable, no leading or trailing blanks
ID_PATTERN = _ID_PATTERN = r"^[^\s\x00-\x1f\x7f](?:[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f])?$"
#: a wave id such as T0, T1, 2025H1: letters, digits, '.', '_' or '-', no blanks
_WAVE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"


class AnswerError(InputError):
    """An answer that breaks its item's rules (missing, out of range, unknown option or item)."""


class DuplicateFirmError(AnswerError, LabelError):
    """The same firm id appears more than once in one batch."""


class AnswerFileError(SchemaError):
    """An answers file that cannot be read as a table (encoding, merged header cells, layout)."""


def _examples(ids: pd.Series | np.ndarray, limit: int = 5) -> list[str]:
    vals = list(pd.unique(np.asarray(ids, dtype=object)))
    return [str(v) for v in vals[:limit]] + (["..."] if len(vals) > limit else [])


# ----------------------------------------------------------------------------------------------
# single assessments (pydantic)
# ----------------------------------------------------------------------------------------------
def _field_type(it: Item) -> Any:
    if it.type == "numeric_band":
        lo, hi = it.range or (it.bands[0].min, it.bands[-1].max)
        # strict: a JSON true/false is not a number (a JSON integer still is)
        return Annotated[float, Field(ge=lo, le=hi, allow_inf_nan=False, strict=True)]
    if it.type == "single_choice":
        return Literal[tuple(o.id for o in it.options)]
    if it.type == "multi_select":
        return list[Literal[(*(o.id for o in it.options), "none")]]
    if it.type == "trend":
        return Literal[tuple(TREND_ANSWERS)]
    if it.type == "scene_level":
        return Annotated[int, Field(ge=1, le=4, strict=True)]
    return Annotated[int, Field(ge=0, le=5, strict=True)]


@cache
def answer_model(framework: Framework) -> type[BaseModel]:
    """The pydantic model of one firm's answers to `framework` (one required field per item)."""
    fields: dict[str, Any] = {it.id: (_field_type(it), ...) for it in framework.items}
    return create_model(  # type: ignore[call-overload,no-any-return]
        f"Answers_{framework.id.replace('-', '_')}",
        __config__=ConfigDict(extra="forbid", frozen=True),
        **fields,
    )


def validate_assessment(answers: dict[str, Any], framework: Framework) -> dict[str, Any]:
    """Validate one firm's answers; return them cleaned (multi-select as sorted lists).

    Parameters
    ----------
    answers : dict
        Item id → answer (see the module docstring for each type).
    framework : Framework
        A complete framework.

    Returns
    -------
    dict
        The validated answers.

    Raises
    ------
    AnswerError
        Missing answers, unknown item ids, out-of-range values or unknown options; the message
        names every offending item and its allowed values.

    Examples
    --------
    >>> from chainatlas.sme.schema import load_framework
    >>> fw = load_framework("miit-2024")
    >>> validate_assessment({"system_coverage": "several"}, fw)
    Traceback (most recent call last):
    ...
    chainatlas.sme.answers.AnswerError: missing answers for 30 items: network_buildout (allowed: a JSON list of option ids from {office_lan, shopfloor_network, wireless_5g, external_link} such as ["office_lan"], or [] for none); ...
    """
    framework.require_complete()
    try:
        model = answer_model(framework).model_validate(answers)
    except ValidationError as err:
        raise _translate(err, framework) from None
    out = model.model_dump()
    for it in framework.items:
        if it.type == "multi_select":
            sel = set(out[it.id])
            if len(sel) < len(out[it.id]):
                raise AnswerError(
                    f"item {it.id!r}: an option is listed more than once",
                    received=out[it.id],
                    fix=f"list each option once; allowed: {it.allowed('json')}",
                )
            if "none" in sel and len(sel) > 1:
                raise AnswerError(
                    f"item {it.id!r}: 'none' cannot be combined with other options",
                    received=out[it.id],
                    fix=f"allowed: {it.allowed('json')}",
                )
            out[it.id] = sorted(sel - {"none"})
    return out


def _clip(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _translate(err: ValidationError, fw: Framework) -> AnswerError:
    missing, unknown, bad = [], [], []
    for e in err.errors():
        name = str(e["loc"][0]) if e["loc"] else "?"
        if e["type"] == "missing":
            missing.append(name)
        elif e["type"] == "extra_forbidden":
            unknown.append(name)
        else:
            bad.append((name, e.get("input"), e["msg"]))
    idx = fw.item_index
    if unknown:
        hints = "; ".join(f"{u!r}: {suggest(u, idx)}" for u in unknown[:5])
        more = f" ... ({len(unknown)} in all)" if len(unknown) > 10 else ""
        return AnswerError(
            f"unknown item ids for framework {fw.id!r}: {', '.join(map(repr, unknown[:10]))}{more}",
            received=unknown[:10],
            fix=hints,
        )
    if bad:
        parts = [
            f"item {n!r} got {_clip(v)} ({m}); allowed: {idx[n].allowed('json')}"
            for n, v, m in bad[:5]
        ]
        return AnswerError("invalid answers: " + " | ".join(parts), fix="correct these answers")
    listing = "; ".join(f"{m} (allowed: {idx[m].allowed('json')})" for m in missing[:6])
    return AnswerError(
        f"missing answers for {len(missing)} items: {listing}"
        + ("; ..." if len(missing) > 6 else ""),
        fix="answer every item of the framework",
    )


class Assessment(BaseModel):
    """One submitted assessment: a firm, its context and its answers.

    ``province`` is any spelling :func:`chainatlas.geo.province_lookup` accepts; ``industry`` a
    GB/T 4754-2017 code (division ``"39"``, with section ``"C39"`` or deeper ``"3911"``); ``size``
    one of medium / small / micro (中型 / 小型 / 微型).
    """

    model_config = ConfigDict(extra="forbid")

    firm_id: Annotated[str, Field(min_length=1, max_length=MAX_ID, pattern=_ID_PATTERN)]
    framework: Annotated[str, Field(min_length=1, max_length=128)] = "miit-2024-manufacturing"
    wave: Annotated[str, Field(min_length=1, max_length=32, pattern=_WAVE_PATTERN)] = "T0"
    province: Annotated[str, Field(max_length=64)] | None = None
    industry: Annotated[str, Field(max_length=16)] | None = None
    size: Annotated[str, Field(max_length=16)] | None = None
    name: Annotated[str, Field(max_length=MAX_LABEL)] | None = None
    answers: dict[str, Any]

    @field_validator("size")
    @classmethod
    def _size(cls, v: str | None) -> str | None:
        if v is not None and v not in SIZE_CLASSES:
            raise ValueError(f"size must be one of {sorted(SIZE_CLASSES)}")
        return None if v is None else SIZE_CLASSES[v]


def assessments_frame(assessments: list[dict[str, Any]]) -> pd.DataFrame:
    """A batch table (the layout :func:`encode_answers` reads) from validated assessments."""
    rows = []
    for a in assessments:
        row = {k: a.get(k) for k in META_COLUMNS if k != "name"}
        for k, v in a["answers"].items():
            if isinstance(v, (list, tuple)):
                row[k] = ";".join(v) if v else "none"
            else:
                row[k] = v
        rows.append(row)
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------------------------
# batches (vectorised)
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EncodedAnswers:
    """A validated batch: one array per item, aligned on ``firm_ids``.

    ``values[item]`` is float64 for numeric bands, int8 option/answer codes for single-choice
    (option position), trend (0 worse, 1 flat, 2 better), scene levels (1–4) and 0–5 scales, and a
    uint64 bit mask (bit k = option k) for multi-select items.
    """

    framework: Framework
    firm_ids: pd.Index
    meta: pd.DataFrame
    values: dict[str, np.ndarray]
    provenance: Provenance = field(default_factory=lambda: Provenance(source="answers"))

    @property
    def n(self) -> int:
        """Number of firms."""
        return len(self.firm_ids)


def missing_items(frame: pd.DataFrame, framework: Framework) -> list[str]:
    """Item ids of `framework` that have no column in `frame`."""
    return [it.id for it in framework.items if it.id not in frame.columns]


def _fail_cells(
    item: Item, mask: np.ndarray, frame: pd.DataFrame, problem: str, col: pd.Series
) -> None:
    if not mask.any():
        return
    firms = frame["firm_id"].to_numpy()[mask]
    got = _examples(col.to_numpy()[mask], 3)
    raise AnswerError(
        f"{problem} for item {item.id!r} in {int(mask.sum())} firms (e.g. {', '.join(_examples(firms))})",
        received=got,
        fix=f"allowed: {item.allowed()}",
    )


def _as_str(col: pd.Series) -> pd.Series:
    s = col.astype("string").str.strip()
    return s.mask(s == "")


def _encode_item(item: Item, col: pd.Series, frame: pd.DataFrame) -> np.ndarray:
    """Encode one item's column; every check is vectorised, text is parsed once per distinct value."""
    t = item.type
    numeric = t in ("numeric_band", "scene_level", "scale_0_5")
    if numeric and pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        num = col.to_numpy(dtype=np.float64, na_value=np.nan)
        _fail_cells(item, np.isnan(num), frame, "missing answers", col)
    else:
        codes, uniq = pd.factorize(col)
        text = np.array([str(u).strip() for u in uniq] + [""], dtype=object)  # code -1 → ""
        codes = np.where(codes < 0, len(uniq), codes)
        _fail_cells(item, (text == "")[codes], frame, "missing answers", col)
        if numeric:
            num = pd.to_numeric(pd.Series(text), errors="coerce").to_numpy(dtype=np.float64)[codes]
    if numeric:
        _fail_cells(item, ~np.isfinite(num), frame, "non-numeric answers", col)
        if t == "numeric_band":
            lo, hi = item.range or (item.bands[0].min, item.bands[-1].max)
        else:
            lo, hi = (1.0, 4.0) if t == "scene_level" else (0.0, 5.0)
        _fail_cells(item, (num < lo) | (num > hi), frame, "out-of-range values", col)
        if t == "numeric_band":
            return num
        _fail_cells(item, num != np.round(num), frame, "non-integer values", col)
        return num.astype(np.int8)
    if t in ("single_choice", "trend"):
        cats = [o.id for o in item.options] if t == "single_choice" else list(TREND_ANSWERS)
        out = pd.Index(cats).get_indexer(text)[codes]
        _fail_cells(item, out < 0, frame, "unknown options", col)
        return out.astype(np.int8)
    # multi_select → bit mask, parsed once per distinct answer string (not per firm)
    ids = [o.id for o in item.options]
    bit = {oid: 1 << k for k, oid in enumerate(ids)}
    masks = np.zeros(len(text), dtype=np.uint64)
    bad_u = np.zeros(len(text), dtype=bool)
    mixed_u = np.zeros(len(text), dtype=bool)
    empty_u = np.zeros(len(text), dtype=bool)
    unknown: list[str] = []
    for j, cell in enumerate(text):
        toks = [tok for tok in re.split(_SEP, cell) if tok]
        m = 0
        for tok in toks:
            if tok in bit:
                m |= bit[tok]
            elif tok != "none":
                bad_u[j] = True
                unknown.append(tok)
        mixed_u[j] = "none" in toks and len(toks) > 1
        empty_u[j] = not toks
        masks[j] = m
    if bad_u.any():
        rows = bad_u[codes]
        firms = frame["firm_id"].to_numpy()[rows]
        shown = _examples(np.asarray(unknown, dtype=object), 5)
        raise AnswerError(
            f"unknown options {shown} for item {item.id!r} in {int(rows.sum())} firms "
            f"(e.g. {', '.join(_examples(firms))})",
            received=shown,
            fix=f"allowed: {item.allowed()}",
        )
    _fail_cells(item, mixed_u[codes], frame, "'none' combined with other options", col)
    _fail_cells(
        item, empty_u[codes], frame, "separators without any option (write 'none' for none)", col
    )
    return masks[codes]


def _check_lengths(ids: pd.Series, frame: pd.DataFrame) -> None:
    """Refuse oversized firm ids and names, and wave ids that are not plain tokens."""
    checks = [("firm_id", ids, MAX_ID)]
    if "name" in frame.columns:
        checks.append(("name", _as_str(frame["name"]), MAX_LABEL))
    for col, values, limit in checks:
        long = (values.str.len() > limit).fillna(False).to_numpy(dtype=bool)
        if long.any():
            rows = np.flatnonzero(long)[:5] + 1
            raise AnswerError(
                f"{int(long.sum())} {col} values are longer than {limit} characters",
                received=f"rows {rows.tolist()}",
                fix=f"shorten {col} to at most {limit} characters",
            )
    if "wave" in frame.columns:
        waves = _as_str(frame["wave"])
        bad = waves.notna() & ~waves.fillna("").str.fullmatch(_WAVE_PATTERN)
        if bad.any():
            raise AnswerError(
                "wave ids must be plain tokens such as T0, T1 or 2025H1",
                received=_examples(waves[bad].to_numpy()),
                fix="use letters, digits, '.', '_' or '-' only",
            )


@validate_params
def encode_answers(
    frame: pd.DataFrame,
    framework: Framework,
    *,
    extra_columns: Literal["error", "ignore"] = "error",
    source: str = "answers",
) -> EncodedAnswers:
    """Validate a batch table and encode it to one array per item (vectorised over firms).

    Parameters
    ----------
    frame : DataFrame, shape (n_firms, n_columns)
        ``firm_id``, optional meta columns (``province``, ``industry``, ``size``, ``wave``,
        ``name``) and one column per item id. Not modified.
    framework : Framework
        A complete framework.
    extra_columns : {"error", "ignore"}
        What to do with columns that are neither meta columns nor item ids.
    source : str
        Description of where the answers came from (for provenance).

    Returns
    -------
    EncodedAnswers

    Raises
    ------
    AnswerError
        Missing item columns or blank cells, unknown item ids, out-of-range or non-integer values,
        unknown options; the message names the item, example firms and the allowed values.
    DuplicateFirmError
        A firm id appears twice.
    """
    check_option("extra_columns", extra_columns, ("error", "ignore"))
    framework.require_complete()
    if "firm_id" not in frame.columns:
        raise AnswerError(
            "the answers table has no 'firm_id' column",
            received=list(frame.columns[:8]),
            fix="add a firm_id column with one unique id per firm",
        )
    idx = framework.item_index
    unknown = [c for c in frame.columns if c not in idx and c not in META_COLUMNS]
    if unknown and extra_columns == "error":
        hints = "; ".join(f"{u!r}: {suggest(str(u), idx)}" for u in unknown[:5])
        raise AnswerError(
            f"unknown item ids for framework {framework.id!r}: {', '.join(map(repr, unknown[:10]))}",
            received=unknown[:10],
            fix=f"{hints} Meta columns allowed: {', '.join(META_COLUMNS)}; or pass extra_columns='ignore'",
        )
    miss = missing_items(frame, framework)
    if miss:
        listing = "; ".join(f"{m} (allowed: {idx[m].allowed()})" for m in miss[:6])
        raise AnswerError(
            f"missing answers: no column for {len(miss)} items: {listing}"
            + ("; ..." if len(miss) > 6 else ""),
            fix="add one column per item id of the framework",
        )
    ids = (
        _as_str(frame["firm_id"])
        if not pd.api.types.is_numeric_dtype(frame["firm_id"])
        else frame["firm_id"].astype("string")
    )
    if ids.isna().any():
        rows = np.flatnonzero(ids.isna().to_numpy())[:5] + 1
        raise AnswerError(
            "blank firm ids", received=f"rows {rows.tolist()}", fix="give every row a firm_id"
        )
    _check_lengths(ids, frame)
    dup = ids.duplicated(keep=False).to_numpy()
    if dup.any():
        raise DuplicateFirmError(
            f"duplicate firm ids in the batch: {', '.join(_examples(ids.to_numpy()[dup]))}",
            received=int(dup.sum()),
            fix="keep one row per firm (put other waves in another file and compare them)",
        )
    work = frame.assign(firm_id=ids)
    values = {it.id: _encode_item(it, work[it.id], work) for it in framework.items}
    meta_cols = [c for c in META_COLUMNS[1:] if c in frame.columns]
    meta = pd.DataFrame(
        {c: _as_str(frame[c]).to_numpy() for c in meta_cols},
        index=pd.Index(ids.to_numpy(dtype=object), name="firm_id"),
    )
    return EncodedAnswers(
        framework=framework,
        firm_ids=meta.index,
        meta=meta,
        values=values,
        provenance=Provenance(source=source).with_step(
            f"validated against {framework.id} ({framework.version})"
        ),
    )


# ----------------------------------------------------------------------------------------------
# files
# ----------------------------------------------------------------------------------------------
def _looks_big5(head: bytes) -> bool:
    """Whether bytes that decode as both GB18030 and Big5 are more likely Big5."""
    try:
        head.decode("big5")
    except UnicodeDecodeError:
        return False
    from charset_normalizer import from_bytes

    best = from_bytes(head[: 1 << 16]).best()
    return best is not None and best.encoding in ("big5", "cp950", "big5hkscs")


def _detect_encoding(path: Path) -> str:
    with path.open("rb") as fh:
        head = fh.read(1 << 20)
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as err:
        if err.start > len(head) - 4:  # a multibyte char cut by the 1 MiB window
            return "utf-8"
    try:
        head.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        if _looks_big5(head):
            raise AnswerFileError(
                f"{path.name} looks like Big5 (traditional Chinese), which also decodes as "
                "GB18030 but with garbled names",
                fix="pass --encoding big5 if it is Big5, or --encoding gb18030 if it is GBK/GB18030",
            )
        return "gb18030"
    try:
        head.decode("big5")
        return "big5"
    except UnicodeDecodeError:
        raise AnswerFileError(
            f"cannot tell the text encoding of {path.name}: neither UTF-8, GBK/GB18030 nor Big5",
            fix="save the file as UTF-8, or pass --encoding (e.g. --encoding big5)",
        ) from None


def _check_merged_header(path: Path, sheet: str | int | None) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=False)
    try:
        ws = wb[sheet] if isinstance(sheet, str) else wb.worksheets[sheet or 0]
        merged = [str(r) for r in ws.merged_cells.ranges if r.min_row <= 1]
        if merged:
            heads = [ws.cell(row=1, column=_col(r)).value for r in merged[:3]]
            raise AnswerFileError(
                f"sheet {ws.title!r} of {path.name} has merged header cells {merged[:5]} (headers {heads})",
                received=merged[:5],
                fix="unmerge the header cells so that row 1 holds exactly one item id per column",
            )
    finally:
        wb.close()


def _col(ref: str) -> int:
    from openpyxl.utils.cell import range_boundaries

    return range_boundaries(ref)[0]


def read_answers(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    sheet: str | int | None = None,
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Read a batch answers file (CSV or XLSX) as strings, without modifying it.

    Parameters
    ----------
    path : path
        ``.csv`` (UTF-8, or GBK/GB18030 — detected) or ``.xlsx``.
    encoding : str, optional
        Text encoding of a CSV; detected when omitted.
    sheet : str or int, optional
        XLSX sheet (default: the first).

    Returns
    -------
    (DataFrame, dict)
        The table (all cells as strings; blanks as missing) and ``{"file", "encoding"}``.

    Raises
    ------
    AnswerFileError
        Unknown suffix, undecodable text, or an XLSX sheet with merged header cells.
    """
    p = Path(path)
    if not p.exists():
        raise AnswerFileError(f"answers file {str(p)!r} does not exist", fix="check the path")
    suffix = p.suffix.lower()
    if suffix == ".csv":
        enc = encoding or (_detect_encoding(p) if p.is_file() else "utf-8")
        try:
            with reading(p, "an answers CSV (firm_id, meta columns, items)", error=AnswerFileError):
                df = pd.read_csv(p, dtype=str, encoding=enc, keep_default_na=False, na_values=[""])
        except AnswerFileError as err:
            if not isinstance(err.__cause__, UnicodeDecodeError | LookupError):
                raise
            raise AnswerFileError(
                f"cannot decode {p.name} as {enc}",
                received=str(err.__cause__)[:120],
                fix="pass the right --encoding (utf-8, gbk, gb18030...)",
            ) from err.__cause__
        return df, {"file": str(p), "encoding": enc}
    if suffix in (".xlsx", ".xlsm"):
        with reading(p, "an answers workbook (.xlsx)", error=AnswerFileError):
            _check_merged_header(p, sheet)
            df = pd.read_excel(p, sheet_name=sheet or 0, dtype=str, engine="calamine")
        df.columns = [str(c).strip() for c in df.columns]
        unnamed = [c for c in df.columns if c.startswith("Unnamed:")]
        if unnamed:
            raise AnswerFileError(
                f"{p.name}: header cells without a name: {unnamed[:5]}",
                fix="put an item id in every header cell of row 1",
            )
        return df, {"file": str(p), "encoding": "xlsx"}
    raise AnswerFileError(
        f"unsupported answers file type {suffix!r}", received=p.name, fix="use .csv or .xlsx"
    )
