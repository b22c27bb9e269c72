"""The classroom server's kernels get their TCP ports from outside the machine's ephemeral range.

Why (checked against jupyter_client 8.10.0, ipykernel 7.4.0 and Voila 0.5.13): Voila preheats one
kernel per lesson, ten at once when the server starts. jupyter_client picks each kernel's five
ports by binding port 0 and closing the socket (``LocalPortCache.find_available_port``), so the
system hands out free ports from its ephemeral range (``/proc/sys/net/ipv4/ip_local_port_range``,
32768-60999 on Linux by default), and the kernel binds them a second or more later, when it has
started. Meanwhile anything that binds port 0 may be given the same port: every ipykernel does so
at start for its IOPub pipe (``ipykernel.iostream.IOPubThread._setup_pipe_in``:
``bind_to_random_port`` without a range), as do other servers and kernels on the machine, and
outgoing connections take their local ports from the same range. A kernel that loses a port dies
("Address already in use"), and its restarts cannot help: with ``cache_ports`` the ports are set
before the connection file is written, so jupyter_client records none of them as random and the
restarts reuse the file while the other process keeps the port. Voila's pool then holds a dead
kernel for that lesson (seen once in a benchmark run on 2026-12-02).

A port outside the ephemeral range is never handed out for port 0 or for an outgoing connection,
so only a process that binds that very number can take it; the numbers are drawn at random from a
range of about 12,000, checked free when drawn, and not drawn twice by one server within
``RESERVE_SECONDS``.

Remove this module when jupyter_client lets a port range be configured for local kernels (not in
8.10) and Voila passes it on.
"""

from __future__ import annotations

import random
import socket
import time
from pathlib import Path
from typing import Any

from jupyter_client.connect import port_names
from jupyter_server.services.kernels.kernelmanager import ServerKernelManager
from traitlets import default

__all__ = ["ClassroomKernelManager", "KERNEL_PORTS", "ephemeral_range", "kernel_ports", "pick_port"]

#: Where kernel ports are drawn from, less any part of it inside the ephemeral range.
KERNEL_PORTS = range(20000, 32768)
#: A port drawn for one kernel is not drawn again for this long (its kernel binds it well before).
RESERVE_SECONDS = 120.0
_drawn: dict[int, float] = {}


def ephemeral_range(path: Path = Path("/proc/sys/net/ipv4/ip_local_port_range")) -> range:
    """Return the ports the system hands out for port 0 and outgoing connections.

    Read from Linux's `path`; elsewhere the IANA range 49152-65535 (macOS, Windows and the BSDs
    use it by default).
    """
    try:
        low, high = (int(part) for part in path.read_text().split())
    except (OSError, ValueError):
        return range(49152, 65536)
    return range(low, high + 1)


def hold_port_zero(count: int) -> list[socket.socket]:
    """Bind `count` sockets to port 0 on 127.0.0.1 and return them (the caller closes them).

    What a busy machine does while kernels start: every starting kernel's IOPub pipe, and other
    servers, are given ports of the ephemeral range this way. The benchmark and the tests of the
    classroom's kernel ports use it to make port clashes likely.
    """
    held = []
    for _ in range(count):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        held.append(sock)
    return held


def kernel_ports(ephemeral: range | None = None) -> list[int]:
    """Return the ports of :data:`KERNEL_PORTS` outside `ephemeral` (default :func:`ephemeral_range`)."""
    ephemeral = ephemeral_range() if ephemeral is None else ephemeral
    return [port for port in KERNEL_PORTS if port not in ephemeral]


def pick_port(ip: str, candidates: list[int], *, tries: int = 200) -> int:
    """Return a port from `candidates` that is free on `ip` now and was not drawn recently.

    Raises
    ------
    RuntimeError
        If `tries` random draws found none (the range is full, or `candidates` is empty).
    """
    now = time.monotonic()
    for port, drawn in list(_drawn.items()):
        if now - drawn > RESERVE_SECONDS:
            del _drawn[port]
    for _ in range(tries if candidates else 0):
        port = random.choice(candidates)
        if port in _drawn:
            continue
        with socket.socket() as sock:
            try:
                sock.bind((ip, port))
            except OSError:
                continue
        _drawn[port] = now
        return port
    raise RuntimeError(
        f"no free port for a kernel among {len(candidates)} outside the ephemeral range "
        f"({KERNEL_PORTS.start}-{KERNEL_PORTS.stop - 1} less {ephemeral_range().start}-{ephemeral_range().stop - 1})"
    )


class ClassroomKernelManager(ServerKernelManager):
    """jupyter_server's kernel manager, with TCP ports drawn by :func:`pick_port` (see the module docstring).

    Ports set in the configuration are kept. When no port is left outside the ephemeral range
    (a system whose ephemeral range starts below 20000), jupyter_client's own choice is used.
    A restart keeps the kernel's ports, as jupyter_client does with its own port cache: Voila's
    page connects to them before the kernel is up, and reconnects when a restarted kernel binds
    them again (with new ports it would wait for the old ones).
    """

    @default("cache_ports")
    def _default_cache_ports(self) -> bool:
        return False  # jupyter_client's cache would pick the ports from the ephemeral range first

    def write_connection_file(self, **kwargs: Any) -> None:
        """Draw the ports not set yet, then write the connection file as jupyter_client does."""
        written = self._connection_file_written and Path(self.connection_file).exists()
        candidates = kernel_ports() if self.transport == "tcp" and not written else []
        for name in port_names if candidates else ():
            if getattr(self, name) <= 0:
                setattr(self, name, pick_port(self.ip, candidates))
        super().write_connection_file(**kwargs)
