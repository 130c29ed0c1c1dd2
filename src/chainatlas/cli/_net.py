"""Network helpers of the CLI's servers: refuse a port that is already taken, clearly."""

from __future__ import annotations

import errno
import socket

from chainatlas.errors import InputError

__all__ = ["check_port_free"]


def check_port_free(host: str, port: int) -> None:
    """Raise a clear error when ``host:port`` cannot be bound (in use, or not an address here).

    Raises
    ------
    InputError
        The port is in use, or the host is not an address of this machine.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError as err:
            if err.errno == errno.EADDRINUSE:
                raise InputError(
                    f"port {port} on {host} is already in use",
                    received=f"{host}:{port}",
                    fix="stop the other server, or pass another --port",
                ) from err
            raise InputError(
                f"cannot listen on {host}:{port}",
                received=str(err),
                fix="pass --host 127.0.0.1 (or an address of this machine) and a free --port",
            ) from err
