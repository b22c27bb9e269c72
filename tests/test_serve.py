"""tools/_serve.py: the free port and the wait-for-URL loop the classroom tool, benchmarks and browser tests share."""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
import time

import pytest
from support import ROOT

sys.path.insert(0, str(ROOT / "tools"))
from _serve import free_port, wait_for_url  # noqa: E402


def test_wait_for_url_returns_once_a_server_answers():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        wait_for_url(f"http://127.0.0.1:{server.server_port}/", timeout=10)
    finally:
        server.shutdown()
        server.server_close()


def test_wait_for_url_gives_up_after_the_timeout_with_the_servers_output(tmp_path):
    log = tmp_path / "server.log"
    log.write_text("a line\nTraceback: the port is taken\n")
    url = f"http://127.0.0.1:{free_port()}/"
    with pytest.raises(
        RuntimeError, match=r"(?s)no answer from .* within 0.5 s; the server's output ends:\n.*port is taken"
    ):
        wait_for_url(url, timeout=0.5, log=log, every=0.1)


def test_wait_for_url_stops_at_once_when_the_server_exits():
    proc = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    proc.wait()
    start = time.monotonic()
    with pytest.raises(RuntimeError, match=r"the server exited \(code 3\) before http://127.0.0.1:\d+/ answered"):
        wait_for_url(f"http://127.0.0.1:{free_port()}/", timeout=60, proc=proc)
    assert time.monotonic() - start < 10
