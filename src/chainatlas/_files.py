"""File helpers shared by every layer (文件工具): hashing and reading users' files.

* :func:`file_sha256` — the hex sha256 of a file, memoised on path, size and mtime (provenance
  records and the dataset registry both use it).
* :func:`reading` — pandas and its engines (python-calamine, pyarrow) raise their own exception
  types for a missing, empty, non-UTF-8 or corrupted file; :func:`reading` converts them into a
  chainatlas error of the caller's choice that names the file, what went wrong and the fix.

Files are only read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from chainatlas.errors import ChainAtlasError, InputError

__all__ = ["file_sha256", "reading"]

_HASHES: dict[tuple[str, int, int], str] = {}


def file_sha256(path: Path) -> str:
    """Return the hex sha256 of the file at `path` (memoised on path, size and mtime).

    Parameters
    ----------
    path : Path
        An existing file.

    Returns
    -------
    str
        64 lowercase hex digits.

    Raises
    ------
    FileNotFoundError
        If `path` does not exist.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d) / "x.txt"
    ...     _ = p.write_bytes(b"abc")
    ...     file_sha256(p)[:12]
    'ba7816bf8f01'
    """
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key not in _HASHES:
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        _HASHES[key] = digest.hexdigest()
    return _HASHES[key]


@contextmanager
def reading(path: Path, what: str, *, error: type[InputError] = InputError) -> Iterator[None]:
    """Run a file read; re-raise any reader failure as `error` naming `path`.

    Parameters
    ----------
    path : Path
        The file being read (checked to exist and be a file before the block runs).
    what : str
        What the file should be, e.g. ``"a CSV file"`` (used in the message).
    error : type
        The :class:`~chainatlas.errors.InputError` subclass to raise.

    Raises
    ------
    InputError (the `error` subclass)
        Missing path, a folder, an empty file, text that is not UTF-8 (GBK files from Chinese
        Excel are common), or a file the engine cannot parse. chainatlas errors pass through.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d) / "t.csv"
    ...     _ = p.write_bytes("区域".encode("gbk"))
    ...     try:
    ...         with reading(p, "a CSV file"):
    ...             pd.read_csv(p)
    ...     except InputError as err:
    ...         print(err.problem)
    t.csv is not UTF-8 text (GBK/GB18030 files from Chinese Excel are common)
    """
    if not path.exists():
        raise error("file not found", received=str(path), fix="check the path")
    if not path.is_file():
        raise error("not a file", received=str(path), fix=f"give the path of {what}")
    if path.stat().st_size == 0:
        raise error(f"{path.name} is empty (0 bytes)", received=str(path), fix=f"give {what}")
    try:
        yield
    except ChainAtlasError:
        raise
    except UnicodeDecodeError as err:
        raise error(
            f"{path.name} is not UTF-8 text (GBK/GB18030 files from Chinese Excel are common)",
            received=f"{type(err).__name__}: {err}",
            fix="re-save the CSV as UTF-8 (Excel: 'CSV UTF-8'), or save it as .xlsx; "
            "other encodings are not guessed",
        ) from err
    except Exception as err:  # engines raise their own types (EmptyDataError, CalamineError...)
        raise error(
            f"could not read {path.name} as {what}",
            received=f"{type(err).__name__}: {err}",
            fix="check the file format, that it is not corrupted (and the sheet name for Excel)",
        ) from err
