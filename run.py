#!/usr/bin/env python3
"""Set up the course and run it: the two README commands, and a few for maintainers.

    python3 run.py lab [--no-browser] [--port 8888] [any jupyter lab option]
    python3 run.py test [any pytest option]
    python3 run.py classroom [NOTEBOOK] [--port 8866]   # the course index and lessons (Voila), for projecting
    python3 run.py refresh [NOTEBOOK ...]               # re-execute notebooks in place, keep outputs
    python3 run.py bench                                # run the benchmarks in benchmarks/
    python3 run.py editions [NOTEBOOK ...]              # teacher, student, classroom, core editions in build/
    python3 run.py handouts [LESSON ...]                # printable worksheets + teacher sheets in build/
    python3 run.py slides [LESSON ...]                  # slide decks (reveal.js HTML + RISE) in build/slides
    python3 run.py hub [--students 3] [--port 8000]     # a classroom JupyterHub for a trial (root; deploy/)
    python3 run.py site                                 # the course website, offline, in build/site/
    python3 run.py setup                                # only set up .venv (everything, test tools too)
    python3 run.py lock [--upgrade]                     # re-resolve requirements/lock-*.txt after
                                                        # editing pyproject.toml's dependencies

Needs only Python 3.11+. The first run creates a project-local virtual environment in .venv and
installs the exact versions pinned in requirements/: `lab`, `classroom` and `editions` install what
a learner needs (lock-run.txt; `handouts` too); `test`, `refresh`, `bench`, `site` and `setup` install the test,
browser and maintainer tools too (lock-dev.txt). Later runs skip the install unless pyproject.toml or the lock
changed. It uses a `uv` found on PATH, else installs uv into .venv, else falls back to pip.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
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
#: The two locks: what a learner gets, and that plus the test, browser and maintainer tools.
LOCKS = {"run": ROOT / "requirements" / "lock-run.txt", "dev": ROOT / "requirements" / "lock-dev.txt"}
DEV_EXTRAS = ("test", "maintainer", "site", "hub")
#: Which installed set satisfies which need: the dev set includes the learner's.
COVERS = {"run": ("run", "dev"), "dev": ("dev",)}
INPUTS_LINE = "# pyproject.toml inputs sha256: "


def lock_inputs_digest(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """Hash what the locks are resolved from: requires-python, dependencies and every extra."""
    import tomllib

    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    inputs = {key: project.get(key) for key in ("requires-python", "dependencies", "optional-dependencies")}
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def _fingerprint(profile: str) -> str:
    digest = hashlib.sha256()
    for path in (ROOT / "pyproject.toml", LOCKS[profile]):
        digest.update(path.read_bytes())
    digest.update(sys.version.encode())
    return f"{profile} {digest.hexdigest()}"


def _uv(env: dict[str, str]) -> Path | None:
    """A uv on PATH, else the one in .venv (pip-installed there once), else None."""
    found = shutil.which("uv")
    if found:
        return Path(found)
    local = BIN / ("uv.exe" if os.name == "nt" else "uv")
    if not local.exists():
        subprocess.run([PY, "-m", "pip", "install", "-q", "uv"], env=env, check=False)
    return local if local.exists() else None


def _create_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 (run.py is started by whatever python3 the user has)
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    if not PY.exists():
        print("run.py: creating the virtual environment in .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)


def setup(profile: str = "dev") -> None:
    """Install the locked set `profile` ("run" or "dev") and the course into .venv, unless already there."""
    _create_venv()
    stamp = STAMP.read_text() if STAMP.exists() else ""
    if stamp in {_fingerprint(p) for p in COVERS[profile]}:
        print("run.py: environment up to date (.venv); skipping install.", flush=True)
        return
    what = "what the lessons need" if profile == "run" else "the lessons' and the test tools' dependencies"
    print(f"run.py: installing {what} from {LOCKS[profile].relative_to(ROOT)} (a minute or two the first time) ...")
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
    lock, course = str(LOCKS[profile]), ["--no-deps", "-e", "."]
    uv = _uv(env)
    try:
        if uv is None:
            raise FileNotFoundError("uv")
        # sync: exactly the lock (a package dropped from it is removed; pip and uv stay), then the course
        subprocess.run([uv, "pip", "sync", "--python", PY, lock], cwd=ROOT, check=True, env=env)
        subprocess.run([uv, "pip", "install", "--python", PY, *course], cwd=ROOT, check=True, env=env)
    except (subprocess.CalledProcessError, FileNotFoundError):
        print("run.py: uv failed or is missing; falling back to pip.", flush=True)
        for args in (["-r", lock], course):
            subprocess.run([PY, "-m", "pip", "install", "-q", *args], cwd=ROOT, check=True, env=env)
    STAMP.write_text(_fingerprint(profile))


def npm_tools() -> None:
    """Install the maintainers' node tools (package-lock.json) into node_modules/, unless already there.

    The classroom hub's proxy and the slide decks' reveal.js; a learner never needs them, so a
    missing npm only prints a note (the tests that need them then fail and say so).
    """
    npm, lock_file = shutil.which("npm"), ROOT / "package-lock.json"
    stamp = ROOT / "node_modules" / ".course-npm"
    digest = hashlib.sha256(lock_file.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    if npm is None:
        print("run.py: npm not found; the classroom hub and the slide decks need Node.js 18+ (apt-get install npm).")
        return
    print("run.py: installing the node tools from package-lock.json (npm ci) ...", flush=True)
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=ROOT, check=True)
    stamp.write_text(digest)


def lock(upgrade: bool = False) -> int:
    """Re-resolve both locks from pyproject.toml with uv, for every platform and Python >= 3.11.

    Pins already in a lock are kept unless pyproject.toml needs otherwise (or `upgrade`).
    The learner's lock is resolved within the dev lock, so both pin the same versions.
    """
    _create_venv()
    uv = _uv(dict(os.environ))
    if uv is None:
        sys.exit("run.py lock needs uv (pip install uv).")
    LOCKS["run"].parent.mkdir(exist_ok=True)
    common = ["pip", "compile", "pyproject.toml", "--universal", "--python-version", "3.11", "--quiet",
              "--custom-compile-command", "python3 run.py lock", *(["--upgrade"] if upgrade else [])]  # fmt: skip
    extras = [a for extra in DEV_EXTRAS for a in ("--extra", extra)]
    for profile, args in (("dev", extras), ("run", ["--constraint", str(LOCKS["dev"])])):
        out = LOCKS[profile]
        subprocess.run([uv, *common, *args, "-o", str(out)], cwd=ROOT, check=True)
        lines = out.read_text(encoding="utf-8").splitlines()
        text = "\n".join(line for line in lines if not line.startswith(INPUTS_LINE))
        out.write_text(f"{INPUTS_LINE}{lock_inputs_digest()}\n{text}\n", encoding="utf-8")
        print(f"run.py: wrote {out.relative_to(ROOT)}")
    return 0


def hub_checkout_problem(root: Path = ROOT) -> str | None:
    """Why the classroom hub's students could not reach the checkout `root` (deploy/hub.py's check), or None."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("course_hub", ROOT / "deploy" / "hub.py")
    assert spec is not None and spec.loader is not None
    hub = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hub)
    return hub.checkout_problem([root / "lessons_lib" / "__init__.py"])


def _exec(args: list[str | Path]) -> int:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    return subprocess.run([str(a) for a in args], cwd=ROOT, env=env).returncode


def main(argv: list[str]) -> int:
    """Run one command (see the module docstring) and return its exit code."""
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    command, rest = argv[0], argv[1:]
    known = {"lab", "test", "classroom", "refresh", "bench", "editions", "handouts", "slides", "site", "setup", "lock",
             "hub"}  # fmt: skip
    if command not in known:
        print(f"run.py: unknown command {command!r}.\n{__doc__}")
        return 2
    if command == "lock":
        return lock(upgrade="--upgrade" in rest)
    if command == "hub" and (problem := hub_checkout_problem()):
        print(f"run.py hub: {problem}")  # before the minutes .venv takes; deploy/hub.py checks .venv too
        return 1
    setup("run" if command in {"lab", "classroom", "editions", "handouts"} else "dev")
    if command in {"test", "bench", "setup", "slides", "hub"}:
        npm_tools()
    if command == "setup":
        return 0
    if command == "lab":
        notebook = [FIRST_LESSON] if not any(a.endswith(".ipynb") for a in rest) else []
        root_flag = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
        return _exec([BIN / "jupyter", "lab", *notebook, *root_flag, *rest])
    if command == "test":
        return _exec([PY, "-m", "pytest", *rest])
    if command == "classroom":
        return _exec([PY, "tools/classroom.py", *rest])
    if command == "refresh":
        return _exec([PY, "tools/refresh.py", *rest])
    if command == "editions":
        return _exec([PY, "tools/editions.py", *rest])
    if command == "handouts":
        return _exec([PY, "tools/handouts.py", *rest])
    if command == "slides":
        return _exec([PY, "tools/slides.py", *rest])
    if command == "hub":
        return _exec([PY, "deploy/hub.py", *rest])
    if command == "site":
        return _exec([PY, "tools/website.py", *rest])
    return _exec([PY, "benchmarks/run_benchmarks.py", *rest])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
