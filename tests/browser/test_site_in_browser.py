"""The course website in a real browser: built from the repository, served from a folder, no kernel.

The site is built once (tools/website.py, into a temporary folder) and served on 127.0.0.1 by
Python's own http.server. Every page must load with zero requests outside the site's folder,
zero console errors and no broken image; every kernel-free toggle must change what is visible
when clicked; a self-check question must give feedback; answer boxes keep their text. Screenshots
at 375 px (a phone) and 1366 px (a laptop or projector) go to test-artifacts/site/.

Run alone with ``.venv/bin/pytest tests/browser/test_site_in_browser.py``.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import re
import threading

import pytest
from browser_support import ROOT

pytestmark = pytest.mark.browser

LESSONS = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
PAGES = ["index", *LESSONS, "glossary", "bibliography", "teacher/index", "teacher/guide", "search"]
SHOTS = ROOT / "test-artifacts" / "site"

VISIBLE_PANES = """form => [...form.querySelectorAll(':scope > .lt-panes > .lt-pane')]
  .map(p => getComputedStyle(p).display !== 'none')"""
SHOWN = """form => {
  const pane = [...form.querySelectorAll(':scope > .lt-panes > .lt-pane')]
    .find(p => getComputedStyle(p).display !== 'none');
  if (!pane) return null;
  const img = pane.querySelector('img');
  const seen = img && img.getBoundingClientRect().height > 0 && img.complete && img.naturalWidth > 0;
  return img ? (seen ? img.src.slice(-200) + img.alt : 'invisible image') : pane.innerText;
}"""
BROKEN_IMAGES = (
    "() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src.slice(0, 80))"
)


def _site_tool():
    spec = importlib.util.spec_from_file_location("course_site", ROOT / "tools" / "website.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def toggles_in(lesson: str) -> int:
    """How many kernel-free toggles a lesson shows: one per ``render_states(`` call in its code."""
    import json

    nb = json.loads((ROOT / "notebooks" / f"{lesson}.ipynb").read_text(encoding="utf-8"))
    return sum("".join(c["source"]).count("render_states(") for c in nb["cells"] if c["cell_type"] == "code")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest's output clean
        pass


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory):
    """Build the website into a temporary folder (once per module)."""
    tmp = tmp_path_factory.mktemp("site")
    out = tmp / "site"
    _site_tool().build(out, tmp / "src")
    return out


@pytest.fixture(scope="module")
def site_url(site_dir):
    """Serve the built website on 127.0.0.1 (stopped after the module)."""
    out = site_dir
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def _open(browser, base: str, name: str, width: int, query: str = ""):
    """Open a page at a viewport width; return (page, context, outside requests, problems)."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    outside: list[str] = []
    problems: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(base) or r.url.startswith("data:") else outside.append(r.url))
    page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url}"))
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.goto(f"{base}{name}.html{query}", wait_until="load")
    return page, context, outside, problems


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_from_the_site_folder_alone_without_errors(browser, site_url, name):
    page, context, outside, problems = _open(browser, site_url, name, 1366)
    try:
        page.wait_for_load_state("networkidle")
        assert outside == [], f"{name}: requests outside the site folder: {outside}"
        assert problems == [], f"{name}: {problems}"
        assert page.evaluate(BROKEN_IMAGES) == [], f"{name}: broken images"
        assert page.locator("script[type='application/vnd.jupyter.widget-view+json']").count() == 0
        if name in LESSONS:
            assert "Lesson" in page.title()
            assert page.locator(".prev-next-area a").count() >= 1  # next / previous links
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name.replace('/', '_')}-1366.png"))
    finally:
        context.close()


@pytest.mark.parametrize("name", ["index", *LESSONS, "glossary"])
def test_page_fits_a_phone_without_sideways_scrolling(browser, site_url, name):
    page, context, _, _ = _open(browser, site_url, name, 375)
    try:
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 375 + 1, f"{name} is {width} px wide at 375 px"
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name.replace('/', '_')}-375.png"))
        toggle = page.locator("form.lessons-toggle").first
        if toggle.count():
            toggle.screenshot(path=str(SHOTS / f"{name}-toggle-375.png"))
    finally:
        context.close()


@pytest.mark.parametrize("lesson", [lesson for lesson in LESSONS if toggles_in(lesson)])
def test_every_toggle_changes_the_visible_view_when_clicked(browser, site_url, lesson):
    page, context, outside, problems = _open(browser, site_url, lesson, 1366)
    try:
        forms = page.locator("form.lessons-toggle")
        assert forms.count() == toggles_in(lesson), "one toggle per render_states call (re-run the lesson?)"
        for k in range(forms.count()):
            form = forms.nth(k)
            labels = form.locator(":scope > .lt-tabs > label")
            states = labels.count()
            assert states >= 2
            assert page.evaluate(VISIBLE_PANES, form.element_handle()).count(True) == 1
            seen = [form.evaluate(SHOWN)]
            for i in range(states):
                labels.nth(i).click()
                visible = form.evaluate(VISIBLE_PANES)
                assert visible == [j == i for j in range(states)], f"toggle {k}, state {i}: {visible}"
                seen.append(form.evaluate(SHOWN))
            assert None not in seen and "invisible image" not in seen
            assert len(set(seen[1:])) == states, f"toggle {k}: some states look the same"
            if k == 0:
                SHOTS.mkdir(parents=True, exist_ok=True)
                form.screenshot(path=str(SHOTS / f"{lesson}-toggle-1366.png"))
        assert outside == [] and problems == []
    finally:
        context.close()


def test_a_self_check_question_gives_feedback_without_a_kernel(browser, site_url):
    page, context, _, problems = _open(browser, site_url, LESSONS[0], 1366)
    try:
        question = page.locator("form.lq-form:has(input[type=radio])").first
        right, wrong = question.locator(".lq-right"), question.locator(".lq-wrong")
        assert not right.is_visible() and not wrong.is_visible()
        question.locator("label:has(input.no)").first.click()
        assert wrong.is_visible() and not right.is_visible()
        assert question.locator(".lq-after").is_visible()  # explanation and source
        assert "Source" in question.locator(".lq-after").inner_text()
        question.locator("label:has(input.ok)").click()
        assert right.is_visible() and not wrong.is_visible()
        ordering = page.locator("form.lq-form:has(select)").first
        if ordering.count():
            selects = ordering.locator("select")
            for i in range(selects.count()):
                selects.nth(i).select_option(index=1 + _right_index(selects.nth(i)))
            assert ordering.locator(".lq-right").is_visible()
        question.screenshot(path=str(SHOTS / "self-check-feedback.png"))
        assert problems == []
    finally:
        context.close()


def _right_index(select) -> int:
    classes = select.locator("option").evaluate_all("os => os.slice(1).map(o => o.className)")
    return classes.index("ok")


def test_answer_boxes_keep_their_text_in_the_browser(browser, site_url):
    lesson = next(name for name in LESSONS if "Answer(" in (ROOT / "notebooks" / f"{name}.ipynb").read_text())
    page, context, _, problems = _open(browser, site_url, lesson, 1366)
    try:
        boxes = page.locator("form.lessons-answer-static textarea")
        if not boxes.count():
            pytest.fail(f"{lesson} has no kernel-free answer box (re-run the lesson so its outputs carry one)")
        boxes.first.fill("Stalin won because of the apparatus [doc].")
        assert page.locator("form.lessons-answer-static .la-tools button").first.is_visible()
        page.reload(wait_until="load")
        assert page.locator("form.lessons-answer-static textarea").first.input_value().startswith("Stalin won")
        assert problems == []
    finally:
        context.close()


def test_search_finds_a_glossary_term(browser, site_url):
    page, context, outside, problems = _open(browser, site_url, "search", 1366, query="?q=kulak")
    try:
        page.wait_for_selector("#search-results li", timeout=30_000)
        assert re.search(r"glossary|Lesson 5", page.locator("#search-results").inner_text(), re.I)
        assert outside == [] and problems == []
    finally:
        context.close()


def test_the_built_site_has_no_broken_internal_links(site_dir):
    """Every href and src inside the site names a file of the built folder, and every #fragment an id of its page.

    No browser and no network: the built HTML is parsed (Sphinx's linkcheck would go online). A MyST
    link it could not resolve shows as ``href="#name.md"``, which this catches too. The theme's
    template macros in _static/ are not pages.
    """
    from html.parser import HTMLParser
    from urllib.parse import unquote, urlsplit

    class Links(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.links: list[str] = []
            self.ids: set[str] = set()

        def handle_starttag(self, tag, attrs):
            for key, value in attrs:
                if key in ("href", "src") and value:
                    self.links.append(value)
                if key == "id" and value:
                    self.ids.add(value)

    broken = []
    pages = [p for p in site_dir.rglob("*.html") if "_static" not in p.relative_to(site_dir).parts]
    assert len(pages) >= len(PAGES)
    for page in pages:
        found = Links()
        found.feed(page.read_text(encoding="utf-8"))
        for link in found.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                continue
            if not parts.path:
                if parts.fragment and unquote(parts.fragment) not in found.ids:
                    broken.append((str(page.relative_to(site_dir)), link))
            elif not (page.parent / unquote(parts.path)).exists():
                broken.append((str(page.relative_to(site_dir)), link))
    assert broken == []
