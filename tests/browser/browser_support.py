"""Constants and server helpers shared by the browser fixtures and tests."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "lessons-browser-tests"

sys.path.insert(0, str(ROOT / "tools"))
from _serve import free_port, wait_for_url  # noqa: E402 (tools/_serve.py, shared with the tools and benchmarks)

__all__ = ["ROOT", "TOKEN", "free_port", "wait_for_url", "start_server", "stop_server"]


def start_server(args: list[str], url: str, tmp: Path, log_name: str, env: dict[str, str], cwd: Path | None = None):
    """Start a Jupyter or Voila server with extra environment `env` in `cwd` (`tmp` by default); wait until `url` answers.

    Jupyter's settings, workspaces, runtime and config folders go into `tmp` (with the news
    pop-up switched off), and the server's output into ``tmp / log_name``. Returns the process;
    stop it with :func:`stop_server`.
    """
    import json
    import os
    import subprocess

    full_env = dict(
        os.environ,
        JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        JUPYTER_CONFIG_DIR=str(tmp / "config"),
        MPLBACKEND="module://matplotlib_inline.backend_inline",
        **env,
    )
    notify = tmp / "settings" / "@jupyterlab" / "apputils-extension"
    notify.mkdir(parents=True, exist_ok=True)
    (notify / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    log = (tmp / log_name).open("w")
    proc = subprocess.Popen(
        args, cwd=cwd or tmp, env=full_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        wait_for_url(url, 60, proc=proc, log=tmp / log_name)
    except RuntimeError:
        stop_server(proc)
        raise
    return proc


def stop_server(proc) -> None:
    """Stop a server started by :func:`start_server` and everything it started (its kernels)."""
    import os
    import signal
    import subprocess

    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:  # the server and all it started have exited already
        proc.wait()
        return
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=20)
