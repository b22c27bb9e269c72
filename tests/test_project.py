"""The project around the library: dependency lists, packaging, offline use, housekeeping."""

from __future__ import annotations

import importlib.util
import re
import socket
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path
from types import ModuleType

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
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


def _run_py() -> ModuleType:
    """run.py (the stdlib bootstrap at the repository root), imported as a module."""
    spec = importlib.util.spec_from_file_location("run_py", ROOT / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pins(lock: Path) -> dict[str, set[str]]:
    """Package name -> the versions a lock pins (one per marker branch, e.g. per Python version)."""
    pins: dict[str, set[str]] = {}
    for line in lock.read_text().splitlines():
        if line and not line.startswith((" ", "#")):
            requirement = Requirement(line)
            pins.setdefault(canonicalize_name(requirement.name), set()).add(str(requirement.specifier)[2:])
    return pins


def _declared(extras: list[str]) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [
        Requirement(r)
        for r in project["dependencies"] + [r for e in extras for r in project["optional-dependencies"][e]]
    ]


@pytest.mark.parametrize("profile", ["run", "dev"])
def test_lock_was_resolved_from_this_pyproject(profile):
    run = _run_py()
    first = run.LOCKS[profile].read_text().splitlines()[0]
    assert first == run.INPUTS_LINE + run.lock_inputs_digest(), (
        "pyproject.toml's dependencies changed since the lock was made; run: python3 run.py lock"
    )


def test_lock_digest_changes_with_any_dependency_edit(tmp_path):
    run = _run_py()
    text = (ROOT / "pyproject.toml").read_text()
    edited = tmp_path / "pyproject.toml"
    edited.write_text(text.replace('"pandas>=', '"pandas>=9'))
    assert edited.read_text() != text
    assert run.lock_inputs_digest(edited) != run.lock_inputs_digest()


@pytest.mark.parametrize(("profile", "extras"), [("run", []), ("dev", ["test", "maintainer"])])
def test_lock_pins_every_declared_dependency_within_its_range(profile, extras):
    pins = _pins(_run_py().LOCKS[profile])
    for requirement in _declared(extras):
        versions = pins.get(canonicalize_name(requirement.name))
        assert versions, f"{requirement.name} is declared but not locked; run: python3 run.py lock"
        outside = [v for v in versions if v not in requirement.specifier]
        assert outside == [], f"{requirement}: the lock pins {outside}; run: python3 run.py lock"


def test_learner_lock_pins_the_dev_versions_without_the_test_tools():
    run = _run_py()
    learner, dev = _pins(run.LOCKS["run"]), _pins(run.LOCKS["dev"])
    assert {name: dev.get(name) for name in learner} == learner
    runtime = {canonicalize_name(r.name) for r in _declared([])}
    test_tools = (
        {canonicalize_name(r.name) for r in _declared(["test"])} - runtime - {"packaging"}
    )  # all have packaging
    assert {"pytest", "playwright", "nbval", "ruff", "mypy"} <= test_tools <= set(dev)
    assert sorted(test_tools & set(learner)) == []


@pytest.mark.parametrize(
    ("command", "profile"),
    [
        ("lab", "run"),
        ("classroom", "run"),
        ("editions", "run"),
        ("test", "dev"),
        ("refresh", "dev"),
        ("bench", "dev"),
        ("setup", "dev"),
    ],
)
def test_learner_commands_install_only_the_learner_lock(monkeypatch, command, profile):
    run = _run_py()
    installed = []
    monkeypatch.setattr(run, "setup", installed.append)
    monkeypatch.setattr(run, "_exec", lambda args: 0)
    assert run.main([command]) == 0
    assert installed == [profile]


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


def test_library_type_checks_with_mypy():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    assert config["files"] == ["lessons_lib"]
    result = subprocess.run([sys.executable, "-m", "mypy"], capture_output=True, text=True, cwd=ROOT)
    report = "\n".join(line[:300] for line in result.stdout.splitlines())
    assert result.returncode == 0, f"run: .venv/bin/mypy (configured in pyproject.toml)\n{report}"


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


def test_every_test_module_has_a_unique_file_name():
    """pytest imports test modules by base name (tests/ has no packages): two of a name stop collection."""
    names = [path.name for path in (ROOT / "tests").rglob("test_*.py")]
    assert sorted(name for name in set(names) if names.count(name) > 1) == []


@pytest.mark.parametrize("folder", ["tools", "benchmarks", "deploy"])
def test_no_script_is_named_like_a_standard_library_module(folder):
    # a script's folder comes first on sys.path when it runs, so tools/site.py hid the module ``site``
    clashes = sorted(p.name for p in (ROOT / folder).glob("*.py") if p.stem in sys.stdlib_module_names)
    assert clashes == [], f"rename {clashes} in {folder}/ (e.g. site.py -> website.py)"
