#!/usr/bin/env python3
"""Set up the course and run it: the two README commands, and a few for maintainers.

    python3 run.py lab [--no-browser] [--port 8888] [any jupyter lab option]
    python3 run.py test [any pytest option]
    python3 run.py classroom [NOTEBOOK] [--port 8866]   # a lesson as an app (Voila), for projecting
    python3 run.py refresh [NOTEBOOK ...]               # re-execute notebooks in place, keep outputs
    python3 run.py bench                                # run the benchmarks in benchmarks/

Needs only Python 3.11+. The first run creates a project-local virtual environment in .venv and
installs the package (editable) with its test extras; later runs skip the install unless
pyproject.toml or this file changed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".course-setup"
FIRST_LESSON = "notebooks/01_start_here.ipynb"


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for name in ("pyproject.toml", "run.py"):
        digest.update((ROOT / name).read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def setup() -> None:
    """Create .venv and install the course into it, unless nothing changed since the last run."""
    if sys.version_info < (3, 11):  # noqa: UP036 (run.py is started by whatever python3 the user has)
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    fingerprint = _fingerprint()
    if PY.exists() and STAMP.exists() and STAMP.read_text() == fingerprint:
        print("run.py: environment up to date (.venv); skipping install.", flush=True)
        return
    if not PY.exists():
        print("run.py: creating the virtual environment in .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("run.py: installing the course and its dependencies (a minute or two the first time) ...", flush=True)
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
    subprocess.run([PY, "-m", "pip", "install", "-q", "uv"], check=True, env=env)
    extras = ".[test,maintainer]"
    try:
        subprocess.run([BIN / "uv", "pip", "install", "--python", PY, "-e", extras], cwd=ROOT, check=True, env=env)
    except (subprocess.CalledProcessError, FileNotFoundError):
        print("run.py: uv failed; falling back to pip.", flush=True)
        subprocess.run([PY, "-m", "pip", "install", "-q", "-e", extras], cwd=ROOT, check=True, env=env)
    STAMP.write_text(fingerprint)


def _exec(args: list[str | Path]) -> int:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    return subprocess.run([str(a) for a in args], cwd=ROOT, env=env).returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    command, rest = argv[0], argv[1:]
    if command not in {"lab", "test", "classroom", "refresh", "bench", "setup"}:
        print(f"run.py: unknown command {command!r}.\n{__doc__}")
        return 2
    setup()
    if command == "setup":
        return 0
    if command == "lab":
        notebook = [FIRST_LESSON] if not any(a.endswith(".ipynb") for a in rest) else []
        root_flag = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
        return _exec([BIN / "jupyter", "lab", *notebook, *root_flag, *rest])
    if command == "test":
        return _exec([PY, "-m", "pytest", *rest])
    if command == "classroom":
        notebook = [a for a in rest if a.endswith(".ipynb")] or ["notebooks/03_three_ideologies_compared.ipynb"]
        others = [a for a in rest if not a.endswith(".ipynb")]
        return _exec([BIN / "voila", notebook[0], "--strip_sources=True", *others])
    if command == "refresh":
        return _exec([PY, "tools/refresh.py", *rest])
    return _exec([PY, "benchmarks/run_benchmarks.py", *rest])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
