"""The project around the library: dependency lists, packaging, offline use, housekeeping."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import tomllib
import zipfile

import pytest
from support import ROOT


def _norm(requirement: str) -> tuple[str, str]:
    match = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", requirement)
    name, spec = match.group(1), match.group(2)
    return re.sub(r"[-_.]+", "-", name).lower(), spec.replace(" ", "")


def test_environment_yml_and_pyproject_declare_the_same_packages():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + [r for extra in project["optional-dependencies"].values() for r in extra]
    pyproject = dict(_norm(r) for r in declared)
    conda = {}
    text = (ROOT / "environment.yml").read_text()
    for line in text.split("dependencies:", 1)[1].splitlines():
        item = re.match(r"^\s+- ([A-Za-z][^:]*)$", line)  # conda and pip entries alike
        if item and not item.group(1).startswith(("python", "pip")):
            name, spec = _norm(item.group(1))
            conda[name] = spec
    assert conda == pyproject


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    command = "python3 run.py test"
    assert command in readme
    assert ci.strip().splitlines()[-1] == command


def test_package_data_is_found_from_an_installed_wheel(tmp_path):
    pytest.importorskip("hatchling")
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(ROOT)],
        check=True,
    )
    wheel = next(dist.glob("lessons_lib-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "lessons_lib/data/datapackage.json" in names
    assert "lessons_lib/data/events.csv" in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import lessons_lib, lessons_lib.data as d; "
        "print(lessons_lib.__file__); print(d.data_path()); print(len(d.load('events')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        check=True,
    ).stdout.splitlines()
    assert out[0].startswith(str(site))
    assert out[1] == str(site / "lessons_lib" / "data")
    assert int(out[2]) > 0


def test_loaders_work_with_the_network_blocked(monkeypatch):
    from lessons_lib import data

    def refuse(*args, **kwargs):
        raise OSError("network access attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    data.clear_cache()
    for name in data.dataset_names():
        assert len(data.load(name)) > 0


def test_data_dictionary_is_up_to_date():
    from lessons_lib import _paths, validate

    expected = _paths.schema_markdown(validate.read_descriptor(ROOT / "data"))
    assert (ROOT / "docs" / "data_dictionary.md").read_text() == expected, (
        "run: python -m lessons_lib schema-docs docs/data_dictionary.md"
    )


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_library_is_ruff_clean(command):
    result = subprocess.run(
        [sys.executable, "-m", "ruff", *command, "lessons_lib", "tests", "benchmarks", "tools", "run.py"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, f"run: ruff {' '.join(command)} (without --check to fix)\n{result.stdout}"


@pytest.mark.parametrize(
    "name",
    [
        "LICENSE",
        "LICENSE-CONTENT.md",
        "CITATION.cff",
        "CONTRIBUTING.md",
        ".pre-commit-config.yaml",
        "environment.yml",
        "data/README.md",
    ],
)
def test_project_file_exists(name):
    assert (ROOT / name).stat().st_size > 100
