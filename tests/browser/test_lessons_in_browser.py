"""Every lesson in a real browser: JupyterLab runs it cleanly and each app answers a learner's click.

Run alone with ``.venv/bin/pytest tests/browser`` (or ``-m browser``).
"""

from __future__ import annotations

import json
import re

import pytest
from browser_support import ROOT, TOKEN

pytestmark = pytest.mark.browser

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
APP_CLASSES = ("ComparisonExplorer", "TimelineExplorer", "PolicyExplorer", "SeriesExplorer", "Quiz", "ClaimChecker")
CSS = {
    "ComparisonExplorer": "lessons-comparison",
    "TimelineExplorer": "lessons-timeline",
    "PolicyExplorer": "lessons-policy",
    "SeriesExplorer": "lessons-series",
    "Quiz": "lessons-quiz",
    "ClaimChecker": "lessons-claims",
}
VOILA_LESSONS = ["03_three_ideologies_compared.ipynb", "04_timeline_1870_1991.ipynb"]
TIMEOUT = 120_000  # ms, for whole-notebook runs on a busy 2-core machine


def apps_in(path) -> list[str]:
    """The apps a lesson displays, read from its stored outputs (their text form names the class)."""
    found = []
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "application/vnd.jupyter.widget-view+json" in data:
                match = re.match(r"<(\w+):", "".join(data.get("text/plain", "")))
                if match and match.group(1) in APP_CLASSES:
                    found.append(match.group(1))
    return found


WAIT_KERNEL = """() => {
  const app = window.jupyterapp;
  const w = app && app.shell.currentWidget;
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


def run_in_lab(page, base: str, name: str) -> None:
    page.goto(f"{base}/lab/tree/notebooks/{name}?reset&token={TOKEN}")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget", timeout=TIMEOUT)
    page.wait_for_function(WAIT_KERNEL, timeout=TIMEOUT)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(ALL_RUN, timeout=TIMEOUT)


def assert_clean(page) -> None:
    assert page.locator("[data-mime-type='application/vnd.jupyter.error']").count() == 0, "a cell raised an error"
    assert page.get_by_text("Error displaying widget").count() == 0
    assert page.page_errors == []


CHART = "img.lessons-chart-image"  # a chart app's widgets.Image
IMG_CHANGED = f"([el, src]) => {{ const i = el.querySelector('{CHART}'); return !!i && i.src !== src; }}"


def img_src(app) -> str:
    return app.locator(CHART).first.get_attribute("src") or ""


def img_name(app) -> str:
    """The chart's accessible name: the alt text, in the ``title`` of the widgets.Image's <img>."""
    return app.locator(CHART).first.get_attribute("title") or ""


HTML_TEXT = "el => [...el.querySelectorAll('.widget-html-content')].map(e => e.innerText).join('\\n')"


def html_text(app) -> str:
    return app.evaluate(HTML_TEXT)


def wait_until(page, script: str, arg, what: str) -> None:
    """Wait for a change the learner should see; fail with a sentence saying what did not happen."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(script, arg=arg, timeout=30_000)
    except PlaywrightTimeout:
        raise AssertionError(f"after the click, {what} within 30 s") from None


def apps_shown(page, selector: str, count: int, kind: str) -> None:
    """Wait until `count` apps match `selector`: a kernel idle after the last cell may still be sending widget
    views, which the page renders after it (a lesson's third quiz was once missing when counted at once)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            "([sel, n]) => document.querySelectorAll(sel).length >= n", arg=[selector, count], timeout=30_000
        )
    except PlaywrightTimeout:
        pass  # the count below says how many were rendered
    assert page.locator(selector).count() == count, f"{kind} not rendered"


def exercise(page, kind: str) -> None:
    """Click one control of the first app of `kind` the way a learner would; assert what changed."""
    app = page.locator(f".lessons-app.{CSS[kind]}").first
    app.scroll_into_view_if_needed()
    if kind == "ComparisonExplorer":
        before = html_text(app)
        app.locator(".widget-toggle-button").first.click()
        wait_until(
            page,
            f"([el, before]) => ({HTML_TEXT})(el) !== before",
            [app.element_handle(), before],
            "the comparison text did not change when an ideology toggle was clicked",
        )
    elif kind == "TimelineExplorer":
        before = img_src(app)
        app.locator(".widget-toggle-buttons button").nth(2).click()
        wait_until(
            page,
            IMG_CHANGED,
            [app.element_handle(), before],
            "the timeline chart did not redraw when an ideology toggle was clicked",
        )
        assert "events shown" in app.inner_text() or "No events match" in app.inner_text()
        assert img_name(app).startswith(("Timeline of", "No chart")), f"the chart's accessible name: {img_name(app)!r}"
    elif kind in ("PolicyExplorer", "SeriesExplorer"):
        before = img_src(app)
        select = app.locator("select").first
        values = select.locator("option").evaluate_all("opts => opts.map(o => o.value)")
        current = select.input_value()
        select.select_option(next(v for v in values if v != current))
        wait_until(
            page,
            IMG_CHANGED,
            [app.element_handle(), before],
            f"the {kind} chart did not redraw when a new menu entry was chosen",
        )
    elif kind == "Quiz":
        app.get_by_role("button", name="Check answer").click()
        wait_until(
            page,
            "el => el.innerText.includes('Answer every part first')",
            app.element_handle(),
            "the quiz did not ask for an answer when 'Check answer' was clicked with none",
        )
        radios = app.locator("input[type=radio]")
        if radios.count():
            radios.first.check()
            app.get_by_role("button", name="Check answer").click()
            wait_until(
                page,
                "el => el.innerText.includes('Correct!') || el.innerText.includes('Not quite.')",
                app.element_handle(),
                "the quiz gave no feedback on an answer",
            )
    elif kind == "ClaimChecker":
        app.get_by_role("button", name="False").click()
        app.get_by_role("button", name="Check my judgement").click()
        wait_until(
            page,
            "el => el.innerText.includes('Write a one-line reason')",
            app.element_handle(),
            "the claim checker did not ask for a reason when a verdict was checked without one",
        )
        app.locator("input[type=text]").first.fill("Trotsky was deported to Turkey in 1929.")
        app.get_by_role("button", name="Check my judgement").click()
        wait_until(
            page,
            "el => el.innerText.includes('What the evidence says')",
            app.element_handle(),
            "the claim checker did not reveal the evidence after a verdict and a reason were given",
        )
    assert page.get_by_text("Error displaying widget").count() == 0


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_lesson_runs_in_jupyterlab_and_its_apps_respond(page, lab_url, path):
    run_in_lab(page, lab_url, path.name)
    assert_clean(page)
    expected = apps_in(path)
    for kind in set(expected):
        apps_shown(page, f".lessons-app.{CSS[kind]}", expected.count(kind), kind)
    for kind in dict.fromkeys(expected):
        exercise(page, kind)
    assert_clean(page)


@pytest.mark.parametrize("name", VOILA_LESSONS)
def test_lesson_works_as_a_voila_classroom_view(page, voila_url, name):
    page.goto(f"{voila_url}/voila/render/{name}", timeout=TIMEOUT)
    page.wait_for_selector(".lessons-app", timeout=TIMEOUT)
    page.wait_for_load_state("networkidle", timeout=TIMEOUT)
    assert page.get_by_text("Error displaying widget").count() == 0
    assert page.locator(".jp-InputArea-editor").count() == 0, "the classroom view must not show code"
    assert page.get_by_text("from lessons_lib import").count() == 0, "the classroom view must not show code"
    expected = apps_in(ROOT / "notebooks" / name)
    for kind in dict.fromkeys(expected):
        exercise(page, kind)
    assert page.page_errors == []
