"""The unit tests pass on the lowest versions of pandas, matplotlib, numpy and ipywidgets supported.

The versions are in ``tests/lowest-versions.txt``. The virtual environment is built once (with uv
when it is installed, else venv and pip) under ``build/``, named by a hash of that file and the
Python version, and reused until either changes; the repository is put on its ``PYTHONPATH``.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version
from support import ROOT

REQUIREMENTS = ROOT / "tests" / "lowest-versions.txt"
# The modules that use pandas, matplotlib, numpy or ipywidgets. Left out of the run: the app tests
# again on the plain canvas, the plain-canvas app redraws (the same code, on slower text), and the
# three tests that count the chart's and the text panel's widget messages (one image message, and
# the panel after it; none for an unchanged chart): a speed measure (benchmarks/README.md, click to
# pixels) checked on the locked versions; ipywidgets 8.0.0 sends no widget message without a kernel.
MODULES = ["data", "validate", "query", "style", "charts", "raster", "apps", "lesson"]
DESELECT = ("not app_tests_pass_on_the_plain_path and not (redraws_each_state and plain)"
            " and not sends_the_new_image_in_one_message_before_its_text_panel"
            " and not sends_its_text_panel_a_moment_after_the_image"
            " and not sends_no_image_when_a_change_leaves_the_chart_as_it_was")  # fmt: skip
_BIN = "Scripts" if os.name == "nt" else "bin"


def _pins() -> dict[str, str]:
    lines = REQUIREMENTS.read_text().splitlines()
    return dict(re.fullmatch(r"([\w.-]+)==([\w.]+)", line).groups() for line in lines if "==" in line)


def _lowest_python() -> Path:
    """The cached environment's Python, building the environment first if needed."""
    digest = hashlib.sha256(REQUIREMENTS.read_bytes() + sys.version.encode()).hexdigest()[:12]
    folder = ROOT / "build" / f"lowest-venv-{digest}"
    python = folder / _BIN / ("python.exe" if os.name == "nt" else "python")
    done = folder / ".installed"
    if done.exists():
        return python
    shutil.rmtree(folder, ignore_errors=True)  # a build that stopped half-way
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    if uv:
        subprocess.run([uv, "venv", "-q", "--python", sys.executable, folder], check=True)
        subprocess.run([uv, "pip", "install", "-q", "--python", python, "-r", REQUIREMENTS], check=True)
    else:
        venv.EnvBuilder(with_pip=True).create(folder)
        subprocess.run([python, "-m", "pip", "install", "-q", "-r", REQUIREMENTS], check=True)
    done.write_text(REQUIREMENTS.read_text())
    return python


def test_the_unit_tests_pass_on_the_lowest_supported_versions():
    python = _lowest_python()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    versions = subprocess.run(
        [python, "-c", "import importlib.metadata as m, sys; print(*(f'{n}=={m.version(n)}' for n in sys.argv[1:]))",
         *_pins()],
        env=env, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    assert versions == [f"{name}=={version}" for name, version in _pins().items()]
    tests = [f"tests/test_{name}.py" for name in MODULES]
    run = subprocess.run(
        [python, "-m", "pytest", *tests, "-q", "-x", "-p", "no:cacheprovider", "-o", "addopts=", "-k", DESELECT],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert re.search(r"\d+ passed", run.stdout) and "skipped" not in run.stdout


def test_pyproject_lower_bounds_are_the_versions_tested_here():
    declared = [Requirement(r) for r in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]]
    lower = {r.name: Version(s.version) for r in declared for s in r.specifier if s.operator == ">="}
    assert {name: lower.get(name) for name in _pins()} == {name: Version(v) for name, v in _pins().items()}
