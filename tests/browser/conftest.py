"""Fixtures for browser tests: one JupyterLab and one Voila server per session, headless Chromium.

Chromium comes from the system (Debian's package ``chromium``); Playwright never downloads a
browser here. Without Chromium the browser tests are skipped with a message saying how to install
it. On a failure, a screenshot and the page's console log are saved in ``test-artifacts/``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from browser_support import ROOT, TOKEN, free_port, start_server, stop_server

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str | None:
    """Return the system Chromium, if there is one."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def pytest_collection_modifyitems(config, items):
    if chromium_path() is None:
        skip = pytest.mark.skip(
            reason="no Chromium found: install it (Debian/Ubuntu: sudo apt-get install chromium) "
            "or set CHROMIUM=/path/to/chromium"
        )
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


def _start(args: list[str], url: str, tmp: Path, log_name: str) -> subprocess.Popen:
    store = {"LESSONS_STORE_DIR": str(tmp / "store")}  # a fresh learner store: no work saved by an earlier run
    return start_server(args, url, tmp, log_name, store, cwd=ROOT)


@pytest.fixture(scope="session")
def lab_url(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lab")
    port = free_port()
    root = ["--allow-root"] if os.geteuid() == 0 else []
    args = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
        f"--IdentityProvider.token={TOKEN}", "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=None",
        "--ServerApp.open_browser=False", *root,
    ]  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    proc = _start(args, f"{base}/api/status?token={TOKEN}", tmp, "jupyterlab.log")
    yield base
    stop_server(proc)


@pytest.fixture(scope="session")
def voila_url(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("voila")
    port = free_port()
    args = [
        sys.executable, "-m", "voila", "notebooks", "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
        "--strip_sources=True",
    ]  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    proc = _start(args, f"{base}/", tmp, "voila.log")
    yield base
    stop_server(proc)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.stash.setdefault(_FAILED, report.failed)


_FAILED = pytest.StashKey[bool]()


@pytest.fixture
def page(browser, request):
    """A fresh page; on failure its screenshot and console log go to test-artifacts/."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    console: list[str] = []
    errors: list[str] = []
    page.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.page_errors = errors
    yield page
    if request.node.stash.get(_FAILED, False):
        ARTIFACTS.mkdir(exist_ok=True)
        name = request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        except Exception as exc:  # the page may be gone
            console.append(f"screenshot failed: {exc}")
        (ARTIFACTS / f"{name}.console.log").write_text("\n".join(console + ["-- page errors --"] + errors))
    context.close()
