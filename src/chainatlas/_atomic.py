"""Atomic file output (原子写入): a temporary file in the same folder, then an atomic rename.

Used by every layer that writes files, so a failed run never leaves a half-written output and an
existing file survives a failure. Outputs never destroy inputs: a file this process has read (see
:func:`register_input`) is never overwritten, and only regular files are replaced — a device
node, FIFO or socket given as ``--out`` is refused rather than replaced by a regular file.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
import unicodedata
from pathlib import Path

from chainatlas.errors import InputError

__all__ = ["write_atomic", "register_input", "reset_inputs", "safe_filename", "OutputError"]

#: real path → (st_dev, st_ino) of every input file read by this process (or CLI run)
_INPUTS: dict[str, tuple[int, int]] = {}


class OutputError(InputError):
    """The output path would destroy an input or is not a regular file."""


def register_input(path: str | Path) -> None:
    """Remember that this process read `path`, so no output of this run can overwrite it."""
    try:
        st = os.stat(path)
    except OSError:
        return
    _INPUTS[os.path.realpath(path)] = (st.st_dev, st.st_ino)


def reset_inputs() -> None:
    """Forget the registered inputs (the CLI calls it at the start of every run)."""
    _INPUTS.clear()


def safe_filename(text: str, *, limit: int = 80) -> str:
    """A file-name component made from data (a firm id, a region): no separators, no ``..``.

    Examples
    --------
    >>> safe_filename("../../etc/passwd")
    'etc_passwd'
    >>> safe_filename("四川 / Sichuan")
    '四川_Sichuan'
    """
    norm = unicodedata.normalize("NFKC", str(text))
    clean = re.sub(r"[^\w.-]+", "_", norm, flags=re.UNICODE).strip("._")
    clean = re.sub(r"\.{2,}", ".", clean)
    return clean[:limit] or "unnamed"


def _check_target(path: Path) -> None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return
    except OSError:
        return
    if stat.S_ISDIR(st.st_mode):
        return
    if not stat.S_ISREG(st.st_mode):
        raise OutputError(
            "the output path is not a regular file (a device, FIFO or socket)",
            received=str(path),
            fix="give the path of a regular file, or of a file that does not exist yet",
        )
    if _INPUTS.get(os.path.realpath(path)) == (st.st_dev, st.st_ino):
        raise OutputError(
            "the output path is one of this command's input files; writing would destroy it",
            received=str(path),
            fix="write the output to another file name",
        )


def write_atomic(path: str | Path, text: str | bytes) -> Path:
    """Write `text` to `path` atomically: a temporary file in the same folder, then rename.

    Raises
    ------
    OutputError
        `path` is a file this process read as input, or exists and is not a regular file.
    IsADirectoryError, NotADirectoryError
        `path` is a folder, or one of its parents is a file.
    """
    path = Path(path)
    _check_target(path)
    if path.is_dir():
        raise IsADirectoryError(
            errno.EISDIR, "the output path is a folder; give a file name", str(path)
        )
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise NotADirectoryError(
                    errno.ENOTDIR,
                    "a parent of the output path is a file, not a folder",
                    str(parent),
                )
            break
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:  # keep an existing file's mode; new files get 0666 minus the umask, like open()
        mode: int | None = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = None
    try:
        while True:  # a unique temporary name in the same folder (rename stays atomic)
            tmp = str(path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp")
            try:
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
                break
            except FileExistsError:
                continue
    except OSError as err:  # name the target, not the temporary file
        raise type(err)(
            err.errno, f"cannot write into the folder ({err.strerror})", str(path)
        ) from err
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path
