"""A fast reader for ``.rda`` files that hold plain data frames (R serialisation, XDR format).

``rdata`` builds a Python object per R string and needs ~17 s for the 233,432-row
``world_trade_2017.rda``; this reader handles exactly what such files contain — data frames of
character, double, integer, logical and factor columns — in well under a second, and raises
:class:`UnsupportedRda` for anything else, so callers fall back to ``rdata``.
``tests/test_world_trade_hs4.py`` checks it against ``rdata`` on real files.

Format: R Internals, "Serialization formats" (version 2 and 3, XDR). NA strings become ``None``;
NA doubles stay NaN; NA integers become NaN (float column).
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import struct
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["UnsupportedRda", "read_rda_frames"]

NILVALUE, REFSXP, LISTSXP, SYMSXP, CHARSXP = 254, 255, 2, 1, 9
LGLSXP, INTSXP, REALSXP, STRSXP, VECSXP = 10, 13, 14, 16, 19
_SIMPLE_SPECIALS = {
    242,
    241,
    253,
    252,
    251,
    250,
}  # empty/base/global env, unbound, missing, base ns
NA_INT = -(2**31)


class UnsupportedRda(Exception):  # noqa: N818  (internal signal, not a user-facing error)
    """The file holds something this reader does not handle (callers fall back to rdata)."""


class _Reader:
    def __init__(self, buf: bytes) -> None:
        self.buf = buf
        self.pos = 0
        self.refs: list[Any] = []

    def i32(self) -> int:
        (v,) = struct.unpack_from(">i", self.buf, self.pos)
        self.pos += 4
        return int(v)

    def length(self) -> int:
        n = self.i32()
        if n == -1:
            hi, lo = self.i32(), self.i32()
            n = (hi << 32) + lo
        return n

    def item(self) -> Any:
        flags = self.i32()
        kind = flags & 0xFF
        has_attr, has_tag = bool(flags & (1 << 9)), bool(flags & (1 << 10))
        if kind == NILVALUE or kind in _SIMPLE_SPECIALS:
            return None
        if kind == REFSXP:
            idx = flags >> 8 or self.i32()
            return self.refs[idx - 1]
        if kind == SYMSXP:
            name = self.item()
            self.refs.append(("sym", name))
            return ("sym", name)
        if kind == LISTSXP:
            return self._pairlist(has_attr, has_tag)
        if kind == CHARSXP:
            return self._charsxp()
        if kind in (LGLSXP, INTSXP, REALSXP, STRSXP, VECSXP):
            value = self._vector(kind)
            attrs = self.item() if has_attr else {}
            return ("vec", kind, value, attrs or {})
        raise UnsupportedRda(f"R type {kind}")

    def _pairlist(self, has_attr: bool, has_tag: bool) -> dict[str, Any]:
        out: dict[str, Any] = {}
        while True:
            if has_attr:
                self.item()
            tag = self.item() if has_tag else None
            out[str(tag[1]) if tag else f"_{len(out)}"] = self.item()
            flags = self.i32()
            kind = flags & 0xFF
            if kind == NILVALUE:
                return out
            if kind != LISTSXP:
                raise UnsupportedRda("dotted pairlist")
            has_attr, has_tag = bool(flags & (1 << 9)), bool(flags & (1 << 10))

    def _charsxp(self) -> str | None:
        n = self.i32()
        if n == -1:
            return None
        s = self.buf[self.pos : self.pos + n].decode("utf-8")
        self.pos += n
        return s

    def _vector(self, kind: int) -> Any:
        n = self.length()
        if kind == REALSXP:
            arr = np.frombuffer(self.buf, dtype=">f8", count=n, offset=self.pos).astype(np.float64)
            self.pos += 8 * n
            return arr
        if kind in (INTSXP, LGLSXP):
            arr = np.frombuffer(self.buf, dtype=">i4", count=n, offset=self.pos).astype(np.int64)
            self.pos += 4 * n
            return arr
        if kind == STRSXP:
            return self._strings(n)
        return [self.item() for _ in range(n)]

    def _strings(self, n: int) -> list[str | None]:
        buf, pos = self.buf, self.pos
        unpack = struct.Struct(">ii").unpack_from
        out: list[str | None] = [None] * n
        for i in range(n):
            flags, size = unpack(buf, pos)
            if flags & 0xFF != CHARSXP:
                raise UnsupportedRda("string vector element is not a CHARSXP")
            pos += 8
            if size >= 0:
                out[i] = buf[pos : pos + size].decode("utf-8")
                pos += size
        self.pos = pos
        return out


def _decompress(raw: bytes) -> bytes:
    if raw[:2] == b"\x1f\x8b":
        return gzip.decompress(raw)
    if raw[:6] == b"\xfd7zXZ\x00":
        return lzma.decompress(raw)
    if raw[:3] == b"BZh":
        return bz2.decompress(raw)
    return raw


def _column(vec: Any) -> Any:
    _, kind, value, attrs = vec
    classes = _strings_of(attrs.get("class"))
    if kind == INTSXP and "factor" in classes:
        levels = _strings_of(attrs.get("levels"))
        codes = np.asarray(value)
        return pd.Series([levels[c - 1] if c != NA_INT else None for c in codes], dtype=object)
    if kind in (INTSXP, LGLSXP):
        arr = np.asarray(value)
        if (arr == NA_INT).any():
            return np.where(arr == NA_INT, np.nan, arr.astype(np.float64))
        return arr.astype(bool) if kind == LGLSXP else arr
    if kind in (REALSXP, STRSXP):
        return value
    raise UnsupportedRda("list column")


def _strings_of(vec: Any) -> list[str]:
    if vec is None:
        return []
    if not (isinstance(vec, tuple) and vec[0] == "vec" and vec[1] == STRSXP):
        raise UnsupportedRda("expected a character attribute")
    return [str(s) for s in vec[2]]


def read_rda_frames(path: str | Path) -> dict[str, pd.DataFrame]:
    """Read every object of an ``.rda`` file as a pandas DataFrame (plain data frames only).

    Raises
    ------
    UnsupportedRda
        The file is not an XDR ``.rda`` of plain data frames.
    """
    buf = _decompress(Path(path).read_bytes())
    if buf[:5] not in (b"RDX2\n", b"RDX3\n") or buf[5:7] != b"X\n":
        raise UnsupportedRda("not an XDR .rda file")
    r = _Reader(buf)
    r.pos = 7
    version = r.i32()
    r.i32(), r.i32()  # writer version, minimal reader version
    if version == 3:
        n_enc = r.i32()
        r.pos += n_enc  # native encoding name
    top = r.item()
    if not isinstance(top, dict):
        raise UnsupportedRda("top level is not a pairlist")
    out: dict[str, pd.DataFrame] = {}
    for name, obj in top.items():
        if not (isinstance(obj, tuple) and obj[0] == "vec" and obj[1] == VECSXP):
            raise UnsupportedRda(f"{name} is not a list")
        attrs = obj[3]
        if "data.frame" not in _strings_of(attrs.get("class")):
            raise UnsupportedRda(f"{name} is not a data frame")
        cols = _strings_of(attrs.get("names"))
        out[name] = pd.DataFrame({c: _column(v) for c, v in zip(cols, obj[2], strict=True)})
    return out
