"""A learner's work survives in a real browser: typed into a sourcing card and an answer box, it is
still there after a page reload and a kernel restart, in JupyterLab and in Voila; and two notebooks
open at once (two kernels) writing to one store lose nothing.

Each test types the way a learner does (key by key), then waits until the text is in the store on
disk, which only the autosave puts there: nothing in these tests clicks *Save*. The servers run on
127.0.0.1 with their own temporary store (``LESSONS_STORE_DIR``) and test notebooks that use the
real ``SourcingCard`` and ``Answer``; every test module stops the servers it started.

Run alone with ``.venv/bin/pytest tests/browser/test_learner_work_in_browser.py``.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
import pytest
from browser_support import TOKEN, free_port, start_server, stop_server

from lessons_lib.store import Store

pytestmark = pytest.mark.browser

TIMEOUT = 120_000  # ms, for kernel starts and whole-notebook runs on a busy 2-core machine
NOTEBOOKS = {  # name: (document of the sourcing card, its lesson, the prompt of the answer box)
    "lab_work.ipynb": ("jones_press_release_1933", 5, "l05_central"),
    "pair_a.ipynb": ("kronstadt_what_we_fight_for_1921", 6, "l06_central"),
    "pair_b.ipynb": ("kronstadt_what_we_fight_for_1921", 6, "l06_discussion_1"),
    "voila_work.ipynb": ("gapon_workers_petition_1905", 2, "l02_central"),
}
AUTHOR, DOUBT = 0, 6  # positions of the card's boxes (CARD_FIELDS order)
WAIT_KERNEL = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const ctx = w && w.sessionContext;
  const k = ctx && ctx.session && ctx.session.kernel;
  return !!(ctx && ctx.isReady && k && k.connectionStatus === 'connected' && k.status === 'idle');
}"""
ALL_RUN = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const k = w.sessionContext.session.kernel;
  const cells = w.content.widgets.filter(c => c.model.type === 'code' && c.model.sharedModel.getSource().trim());
  return k.status === 'idle' && cells.every(c => c.model.executionCount !== null);
}"""


def _write_notebook(folder: Path, name: str, doc_id: str, lesson: int, prompt_id: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# Test lesson {name}"),
        nbformat.v4.new_code_cell("from lessons_lib.work import Answer, SourcingCard"),
        nbformat.v4.new_code_cell(f'SourcingCard("{doc_id}", lesson={lesson})'),
        nbformat.v4.new_code_cell(f'Answer("{prompt_id}")'),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / name)


@pytest.fixture(scope="module")
def work_dir(tmp_path_factory) -> Path:
    """A folder with the test notebooks and an empty store beside them."""
    folder = tmp_path_factory.mktemp("learner_work")
    for name, spec in NOTEBOOKS.items():
        _write_notebook(folder, name, *spec)
    return folder


@pytest.fixture(scope="module")
def store(work_dir) -> Store:
    return Store(work_dir / "store")


@pytest.fixture(scope="module")
def lab(work_dir, store):
    """JupyterLab serving the test notebooks; its kernels save to the temporary store."""
    port = free_port()
    root = ["--allow-root"] if os.geteuid() == 0 else []
    args = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
        f"--IdentityProvider.token={TOKEN}", "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=None",
        "--ServerApp.open_browser=False", f"--ServerApp.root_dir={work_dir}", *root,
    ]  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    proc = start_server(
        args, f"{base}/api/status?token={TOKEN}", work_dir, "lab.log", {"LESSONS_STORE_DIR": str(store.root)}
    )
    yield base
    stop_server(proc)


@pytest.fixture(scope="module")
def voila(work_dir, store):
    """Voila serving the test notebooks (a new kernel for every page load), saving to the same store."""
    port = free_port()
    args = [
        sys.executable, "-m", "voila", str(work_dir), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
        "--strip_sources=True",
    ]  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    proc = start_server(args, f"{base}/", work_dir, "voila.log", {"LESSONS_STORE_DIR": str(store.root)})
    yield base
    stop_server(proc)


# --- what a learner does ---------------------------------------------------------------------


def new_page(page):
    """A second page in the same browser context, recording its page errors like the fixture's."""
    other = page.context.new_page()
    other.page_errors = []
    other.on("pageerror", lambda exc: other.page_errors.append(str(exc)))
    return other


def card_box(page, n: int):
    return page.locator(".lessons-sourcing-card textarea").nth(n)


def answer_box(page):
    return page.locator(".lessons-answer textarea").first


def type_into(box, text: str) -> None:
    """Type `text` key by key, as a learner does (each key reaches the kernel as it is typed)."""
    box.scroll_into_view_if_needed()
    box.click()
    box.press_sequentially(text, delay=15)


def wait_saved(store: Store, kind: str, lesson: int, item: str, text: str, where: str) -> None:
    """Wait until `text` is in the store on disk (only the autosave writes it); fail saying what is missing."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        record = Store(store.root).load(kind, lesson, item)
        if record is not None and text in str(record.value):
            return
        time.sleep(0.2)
    raise AssertionError(f"{where}: {text!r} was typed but not saved to the store within 30 s (autosave broken?)")


def open_in_lab(page, base: str, name: str) -> None:
    page.goto(f"{base}/lab/tree/{name}?reset&token={TOKEN}", timeout=TIMEOUT)
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget", timeout=TIMEOUT)
    run_all(page)


def run_all(page) -> None:
    """Wait for a connected idle kernel, then run every cell from the top, clearing old outputs."""
    page.wait_for_function(WAIT_KERNEL, timeout=TIMEOUT)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(ALL_RUN, timeout=TIMEOUT)
    page.wait_for_selector(".lessons-answer textarea", timeout=TIMEOUT)
    assert page.locator("[data-mime-type='application/vnd.jupyter.error']").count() == 0, "a cell raised an error"


def restart_kernel(page) -> None:
    page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.restart()")
    page.wait_for_timeout(500)  # the kernel goes busy, then idle again
    run_all(page)


def assert_still_there(page, card_text: str, answer_text: str, after: str) -> None:
    assert card_box(page, AUTHOR).input_value() == card_text, f"the sourcing card lost its text after {after}"
    assert answer_box(page).input_value() == answer_text, f"the answer box lost its text after {after}"
    assert page.get_by_text("Error displaying widget").count() == 0
    assert page.page_errors == []


# --- the tests -------------------------------------------------------------------------------


def test_typed_work_survives_a_reload_and_a_kernel_restart_in_jupyterlab(page, lab, store):
    doc_id, lesson, prompt_id = NOTEBOOKS["lab_work.ipynb"]
    card_text = "Gareth Jones, a Welsh journalist who walked through villages himself"
    answer_text = "The famine was caused by policy, not the weather [jones_press_release_1933]. It's <b>clear</b>."
    open_in_lab(page, lab, "lab_work.ipynb")
    type_into(card_box(page, AUTHOR), card_text)
    type_into(answer_box(page), answer_text)
    wait_saved(store, "card", lesson, doc_id, card_text, "JupyterLab card")
    wait_saved(store, "answer", lesson, prompt_id, answer_text, "JupyterLab answer")
    assert "you cite 1 document" in page.locator(".lessons-answer").inner_text()  # the answer check ran

    page.reload(timeout=TIMEOUT)
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget", timeout=TIMEOUT)
    run_all(page)
    assert_still_there(page, card_text, answer_text, "a page reload")

    restart_kernel(page)
    assert_still_there(page, card_text, answer_text, "a kernel restart")
    assert "<b>clear</b>" in answer_box(page).input_value()  # markup kept as text, not rendered


def test_typed_work_survives_a_reload_and_a_new_kernel_in_voila(page, voila, store):
    doc_id, lesson, prompt_id = NOTEBOOKS["voila_work.ipynb"]
    card_text = "Father Gapon and the workers of St Petersburg"
    answer_text = (
        "Three men led one revolution because 1905 taught them different lessons [gapon_workers_petition_1905]."
    )
    url = f"{voila}/voila/render/voila_work.ipynb"
    page.goto(url, timeout=TIMEOUT)
    page.wait_for_selector(".lessons-answer textarea", timeout=TIMEOUT)
    type_into(card_box(page, AUTHOR), card_text)
    type_into(answer_box(page), answer_text)
    wait_saved(store, "card", lesson, doc_id, card_text, "Voila card")
    wait_saved(store, "answer", lesson, prompt_id, answer_text, "Voila answer")

    page.reload(timeout=TIMEOUT)  # Voila starts a new kernel for the reloaded page: reload and restart in one
    page.wait_for_selector(".lessons-answer textarea", timeout=TIMEOUT)
    assert_still_there(page, card_text, answer_text, "a reload (a new kernel) in Voila")

    fresh = new_page(page)  # another visit later: the old kernel shut down, a new one started
    page.close()
    fresh.goto(url, timeout=TIMEOUT)
    fresh.wait_for_selector(".lessons-answer textarea", timeout=TIMEOUT)
    assert_still_there(fresh, card_text, answer_text, "closing the page and opening it again in Voila")
    fresh.close()


def test_two_notebooks_open_at_once_writing_to_one_store_lose_nothing(page, lab, store):
    doc_id, lesson, prompt_a = NOTEBOOKS["pair_a.ipynb"]
    prompt_b = NOTEBOOKS["pair_b.ipynb"][2]
    other = new_page(page)
    open_in_lab(page, lab, "pair_a.ipynb")
    open_in_lab(other, lab, "pair_b.ipynb")
    author = "The sailors of Kronstadt, March 1921"
    doubt = "Written in the heat of the rising, to win over Petrograd"
    answer_a = "The one-party state was built by 1921 [kronstadt_what_we_fight_for_1921]."
    answer_b = "Kronstadt asked for soviets without Bolsheviks."
    # both kernels change the same card (different fields) and write their answers, interleaved
    type_into(card_box(page, AUTHOR), author)
    type_into(card_box(other, DOUBT), doubt)
    type_into(answer_box(page), answer_a)
    type_into(answer_box(other), answer_b)
    for text in (author, doubt):
        wait_saved(store, "card", lesson, doc_id, text, "the shared sourcing card")
    wait_saved(store, "answer", lesson, prompt_a, answer_a, "notebook A's answer")
    wait_saved(store, "answer", lesson, prompt_b, answer_b, "notebook B's answer")
    fields = Store(store.root).load("card", lesson, doc_id).value["fields"]
    assert fields["author"] == author and fields["doubt"] == doubt, "one kernel overwrote the other's field"

    run_all(page)  # run notebook A again: its card now shows B's field too
    assert card_box(page, DOUBT).input_value() == doubt
    assert card_box(page, AUTHOR).input_value() == author
    assert answer_box(page).input_value() == answer_a
    assert page.page_errors == [] and other.page_errors == []
    other.close()
