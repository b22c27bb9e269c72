"""Starting a local server for a tool, a benchmark or a browser test: a free port, and waiting until it answers.

Standard library only, and no part of ``lessons_lib``: the classroom tool, the benchmarks and
the browser tests import it. A script in ``tools/`` imports it as ``_serve`` (its folder is on
``sys.path``); others put ``tools/`` on ``sys.path`` first::

    sys.path.insert(0, str(ROOT / "tools"))
    from _serve import free_port, wait_for_url
"""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

__all__ = ["free_port", "wait_for_url"]


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_url(
    url: str,
    timeout: float = 60,
    *,
    proc: subprocess.Popen[Any] | None = None,
    log: Path | None = None,
    every: float = 0.3,
) -> None:
    """Wait until a GET of `url` succeeds (a 2xx or 3xx answer).

    Parameters
    ----------
    url : str
        What to ask for, e.g. ``http://127.0.0.1:8888/api/status``.
    timeout : float
        Seconds to wait at the most.
    proc : subprocess.Popen, optional
        The server; if it exits, waiting stops at once.
    log : Path, optional
        The server's output; its last 3,000 characters go into the error.
    every : float
        Seconds between tries.

    Raises
    ------
    RuntimeError
        If `url` does not answer within `timeout` seconds, or `proc` exits first.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            pass
        if proc is not None and proc.poll() is not None:
            why = f"the server exited (code {proc.returncode}) before {url} answered"
            break
        if time.monotonic() > deadline:
            why = f"no answer from {url} within {timeout:g} s"
            break
        time.sleep(every)
    tail = log.read_text(errors="replace")[-3000:] if log is not None and log.exists() else ""
    raise RuntimeError(f"{why}" + (f"; the server's output ends:\n{tail}" if tail else ""))
