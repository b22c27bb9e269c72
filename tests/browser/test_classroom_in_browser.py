"""The classroom view as a teacher uses it: `python3 run.py classroom` (tools/classroom.py), in Chromium at 1280x720.

One server for the module (preheated, so it takes a minute or two to get ready on 2 cores). The
test opens the server's home page (the course index), follows the "next" link through every
lesson, and on each page checks what the class must not see (teacher notes, answer keys, code),
the time until the first widget shows, what a projector needs (text size, chart width,
tables), and that no page asks for a file from outside the server (the view must work offline).
Screenshots of a few lessons go to ``test-artifacts/classroom/`` to look at.
"""

from __future__ import annotations

import socket
import sys
import time
from urllib.parse import urlsplit

import pytest
from browser_support import ROOT

pytestmark = pytest.mark.browser

LESSONS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# Seconds from following a link to the lesson's first widget: measured here and printed, but the 3 s
# budget is judged in the benchmarks (`run.py bench --only classroom`), not by a timed test; this test
# only fails when a page never shows its widgets.
WORKS_WITHIN = 120.0  # s: a page that shows no widget by then fails
FIRST_WIDGET = ".jupyter-widgets >> visible=true"  # a hidden widget (an empty progress box) does not count
SHOTS = ROOT / "test-artifacts" / "classroom"
SCREENSHOT_LESSONS = {"01_start_here.ipynb", "04_timeline_1870_1991.ipynb", "05_economy.ipynb", "08_reading_sources_critically.ipynb"}  # fmt: skip
#: Text only the teacher edition has: a teacher note, the folded answer keys, the code.
NOT_FOR_THE_CLASS = ("Teacher notes", "Show the answer", "from lessons_lib import", "'0.1.0'")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tool():
    sys.path.insert(0, str(ROOT / "tools"))
    import classroom

    return classroom


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    """`python3 run.py classroom` on a free port, preheated; yields its base URL."""
    tool = _tool()
    port = _free_port()
    with tool.serving(port, tmp_path_factory.mktemp("classroom") / "classroom.log") as proc:
        waited = tool.wait_until_preheated(proc.pid, lessons=len(LESSONS))
        print(f"classroom server ran {len(LESSONS)} lessons ahead in {waited:.0f} s")
        yield f"http://127.0.0.1:{port}"


def _off_the_server(url: str) -> bool:
    """Whether a request for `url` leaves the machine (data: and blob: URLs stay in the page)."""
    parts = urlsplit(url)
    return parts.scheme not in {"data", "blob", "about"} and parts.hostname not in {"127.0.0.1", "localhost"}


def follow(page, link_name: str) -> float:
    """Click the link named `link_name`; return the seconds until the new page's first widget is shown."""
    link = page.get_by_role("link", name=link_name).first
    target = link.evaluate("a => a.href")
    assert "/voila/render/" in target, f"the link {link_name!r} leaves the classroom view: {target}"
    start = time.perf_counter()
    link.click()
    page.wait_for_url(target, wait_until="commit", timeout=60_000)
    page.wait_for_selector(FIRST_WIDGET, state="visible", timeout=WORKS_WITHIN * 1000)
    return time.perf_counter() - start


def next_link_name(page) -> str:
    """The accessible name of the page's 'next lesson' link (the one ending in an arrow)."""
    return page.locator(".lessons-nav a", has_text="→").first.inner_text()


PROJECTOR_CHECKS = """() => {
  const small = [...document.querySelectorAll('#rendered_cells p, #rendered_cells li, #rendered_cells td, .widget-html-content')]
    .filter(e => e.offsetParent !== null && e.innerText.trim())
    .map(e => [parseFloat(getComputedStyle(e).fontSize), e.innerText.trim().slice(0, 60)])
    .filter(([size]) => size < 20);
  const page = document.querySelector('#rendered_cells').getBoundingClientRect().width;
  const charts = [...document.querySelectorAll('.jp-RenderedImage img, img.lessons-chart-image')]
    .filter(i => i.naturalWidth > 600)
    .map(i => i.getBoundingClientRect().width / page);
  const tables = [...document.querySelectorAll('#rendered_cells table')].filter(t => t.offsetParent !== null);
  const centred = tables.filter(t => t.getBoundingClientRect().left - document.querySelector('#rendered_cells').getBoundingClientRect().left > 80).length;
  const cells = [...document.querySelectorAll('#rendered_cells td, #rendered_cells th')];
  const notLeft = cells.filter(c => !['left', 'start'].includes(getComputedStyle(c).textAlign)).length;
  const headers = cells.filter(c => c.tagName === 'TH').map(c => c.innerText.trim().toLowerCase());
  return {small: small.slice(0, 5), charts, centred, notLeft, headers};
}"""


def test_classroom_index_steps_through_every_lesson_fast_and_shows_the_class_only_its_view(classroom, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    console: list[str] = []  # the browser's own errors, to say why a widget was not shown
    page.on(
        "console",
        lambda m: console.append(f"{page.url.rsplit('/', 1)[-1]}: {m.text[:300]}") if m.type == "error" else None,
    )
    outside: list[str] = []  # the view works offline: no font, script or style from a CDN
    page.on("request", lambda request: outside.append(request.url) if _off_the_server(request.url) else None)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(classroom, timeout=120_000)  # the home page opens the course index
    page.wait_for_url("**/voila/render/index.ipynb", wait_until="commit", timeout=60_000)
    page.wait_for_selector("text=Nine lessons", timeout=120_000)
    page.screenshot(path=str(SHOTS / "index.png"))
    seconds = {LESSONS[0]: follow(page, "Lesson 1: Start here")}
    for number, name in enumerate(LESSONS):
        assert page.url.endswith(f"/voila/render/{name}"), f"expected {name}, the browser is at {page.url}"
        page.wait_for_load_state("networkidle", timeout=120_000)
        text = page.locator("body").inner_text()
        for forbidden in NOT_FOR_THE_CLASS:
            assert forbidden not in text, f"{name} shows the class {forbidden!r}"
        assert page.locator(".jp-InputArea-editor").count() == 0, f"{name} shows code"
        assert page.locator(".lessons-self-check").count() == 0, f"{name} shows an answer key"
        broken = page.get_by_text("Error displaying widget")
        assert broken.count() == 0, f"{name}: {broken.all_inner_texts()[:3]} x{broken.count()}; console: {console[-8:]}"
        checks = page.evaluate(PROJECTOR_CHECKS)
        assert checks["small"] == [], f"{name}: text below 20 px on the projector: {checks['small']}"
        assert all(width > 0.95 for width in checks["charts"]), f"{name}: charts not the page's width: {checks}"
        assert checks["centred"] == 0 and checks["notLeft"] == 0, f"{name}: tables not left-aligned: {checks}"
        assert not {"id", "ids", "source id"} & set(checks["headers"]), f"{name}: a table shows ids: {checks}"
        if name in SCREENSHOT_LESSONS:
            page.screenshot(path=str(SHOTS / f"{name[:-6]}.png"))
            charts = page.locator(".jp-RenderedImage img, img.lessons-chart-image")
            if charts.count():
                charts.first.scroll_into_view_if_needed()
                page.screenshot(path=str(SHOTS / f"{name[:-6]}-chart.png"))
        if number + 1 < len(LESSONS):
            seconds[LESSONS[number + 1]] = follow(page, next_link_name(page))
    seconds["back to " + LESSONS[-2]] = follow(page, page.locator(".lessons-nav a", has_text="←").first.inner_text())
    assert page.url.endswith(f"/voila/render/{LESSONS[-2]}")
    context.close()
    assert errors == []
    assert outside == [], f"the classroom pages requested files from outside the server: {sorted(set(outside))}"
    timings = ", ".join(f"{n[:2]} {s:.1f} s" for n, s in seconds.items())
    print(f"first widget after following a link: {timings}")
    assert len(seconds) == len(LESSONS) + 1, f"not every page showed a widget: {timings}"


def test_leaving_a_page_shuts_its_kernel_down(tmp_path, browser):
    """A page left is followed by its kernel's shutdown at once, not after the idle cull (IDLE_CULL).

    Voila's beacon to /voila/api/shutdown/ carries the ``_xsrf`` cookie's value, which the classroom
    template sets (without it every shutdown was refused with 403). Its own server without
    preheating, so only the index's kernels run: a light test.
    """
    tool = _tool()
    port = _free_port()
    log = tmp_path / "classroom.log"
    with tool.serving(port, log, preheat=False) as proc:
        context = browser.new_context()
        page = context.new_page()
        for _ in range(2):  # opening the index again leaves the first one
            page.goto(f"http://127.0.0.1:{port}/voila/render/index.ipynb", timeout=120_000)
            page.wait_for_selector("text=Nine lessons", timeout=120_000)
            page.wait_for_load_state("networkidle", timeout=120_000)
        page.goto("about:blank")
        deadline = time.monotonic() + 30
        while tool.kernel_processes(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.5)
        left = len(tool.kernel_processes(proc.pid))
        context.close()
    refused = log.read_text().count("403 POST /voila/api/shutdown")
    assert (left, refused) == (0, 0), f"{left} kernels still running after their pages were left; {refused} refused"
