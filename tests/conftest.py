"""Shared fixtures: a tiny valid copy of the data package, and figure clean-up."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from support import DATA, MINI, ROOT, write_table  # noqa: F401 (ROOT re-exported)

os.environ.setdefault("MPLBACKEND", "Agg")  # tests draw without a screen; notebooks keep their own backend


@pytest.fixture
def mini_data(tmp_path: Path) -> Path:
    """A small valid data package in a temporary folder, with the real descriptor."""
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(DATA / "datapackage.json", folder)
    names = [r["name"] for r in json.loads((DATA / "datapackage.json").read_text())["resources"]]
    assert sorted(names) == sorted(MINI), "update MINI in tests/support.py when the schema changes"
    for name, rows in MINI.items():
        write_table(folder, name, rows)
    return folder


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the real data folder, safe to break."""
    return Path(shutil.copytree(DATA, tmp_path / "data"))


@pytest.fixture(autouse=True)
def _learner_store(tmp_path_factory, monkeypatch):
    """Learner work (answers, cards, quiz results) goes to a temporary store, never the user's."""
    monkeypatch.setenv("LESSONS_STORE_DIR", str(tmp_path_factory.mktemp("store")))


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


def pytest_collection_modifyitems(config, items):
    """Run the browser tests last.

    Their Playwright session keeps an asyncio event loop running in the main thread until the
    session ends, and code that asks "is an event loop running?" (the learner-work autosave, which
    schedules its saves on a kernel's loop) would see it in every test that followed.
    """
    browser = [item for item in items if "tests/browser/" in item.nodeid.replace("\\", "/")]
    if browser:
        others = [item for item in items if item not in browser]
        items[:] = others + browser
