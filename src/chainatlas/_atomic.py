"""Atomic file output (原子写入): a temporary file in the same folder, then an atomic rename.

Used by every layer that writes files, so a failed run never leaves a half-written output and an
existing file survives a failure.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path

__all__ = ["write_atomic"]


def write_atomic(path: str | Path, text: str | bytes) -> Path:
    """Write `text` to `path` atomically: a temporary file in the same folder, then rename."""
    path = Path(path)
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
