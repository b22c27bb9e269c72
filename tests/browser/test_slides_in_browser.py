"""The slide decks (tools/slides.py) in headless Chromium: the exported page opened from file://, offline,
and the RISE notebook in a running JupyterLab, each stepped through.

Each slide is screenshotted at 1280x720 into ``test-artifacts/slides/`` for a person to look at.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path

import pytest
from browser_support import ROOT

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts" / "slides"
LESSONS = tuple(range(1, 10))  # every deck: each slide must fit the 1280x720 projector


def _tool():
    spec = importlib.util.spec_from_file_location("slides", ROOT / "tools" / "slides.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["slides"] = module  # its dataclass looks its module up
    spec.loader.exec_module(module)
    return module


slides = _tool()


@pytest.fixture(scope="module")
def decks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("slides")
    slides.build(LESSONS, out)
    return out


@pytest.mark.parametrize("lesson", LESSONS)
def test_exported_deck_opens_offline_and_steps_through_every_slide(browser, decks: Path, lesson: int) -> None:
    path = decks / f"{slides.lesson_path(lesson).stem}.html"
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(path.as_uri())
        page.wait_for_function("() => window.Reveal && Reveal.isReady()")
        total = page.evaluate("Reveal.getTotalSlides()")
        expected = len(slides.deck(lesson)[1])
        assert total == expected
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.locator(".reveal").click()  # keyboard focus on the deck
        seen = []
        for number in range(1, total + 1):
            state = page.evaluate(
                """() => {
                    const s = Reveal.getCurrentSlide();
                    const notes = s.querySelector('aside.notes');
                    const frame = document.querySelector('.reveal .slides').getBoundingClientRect();
                    const parts = [...s.children].filter(e => !e.matches('aside.notes'));
                    const bottom = Math.max(...parts.map(e => e.getBoundingClientRect().bottom));
                    return {index: Reveal.getIndices().h, text: s.innerText,
                            notesShown: notes ? notes.getBoundingClientRect().height > 0
                                                && getComputedStyle(notes).display !== 'none' : null,
                            hasNotes: !!notes, overflow: Math.round(bottom - frame.bottom),
                            images: [...s.querySelectorAll('img')].map(i => i.complete && i.naturalWidth > 0)};
                }"""
            )
            seen.append(state["index"])
            assert state["hasNotes"], f"slide {number} has no speaker notes"
            assert state["notesShown"] is False, f"slide {number} shows its speaker notes to the class"
            assert all(state["images"]), f"slide {number}: an image did not load"
            assert state["overflow"] <= 0, f"slide {number}'s content runs {state['overflow']} px below the slide"
            page.screenshot(path=str(ARTIFACTS / f"lesson{lesson:02d}_slide{number:02d}.png"))
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(50)
        assert seen == list(range(total))
        first = page.evaluate("document.querySelector('.slides section').innerText")
        assert " ".join(slides.central_question(lesson).split()) in " ".join(first.split())
        assert not errors, errors
        assert [url for url in requests if not url.startswith(("file:", "data:"))] == []
    finally:
        context.close()


RISE_LESSONS = (1, 5)  # a text deck and one with charts (cell attachments); the HTML test above covers all nine


@pytest.fixture(scope="module")
def rise_decks() -> Path:
    # JupyterLab serves files under the repository only, so the decks go into build/ for the test
    out = ROOT / "build" / f"test-rise-{os.getpid()}"
    slides.build(RISE_LESSONS, out)
    yield out
    shutil.rmtree(out, ignore_errors=True)


@pytest.mark.parametrize("lesson", RISE_LESSONS)
def test_rise_deck_opens_in_jupyterlab_without_a_kernel_dialog_and_steps_through(
    browser, lab_url: str, rise_decks: Path, lesson: int
) -> None:
    from browser_support import TOKEN

    path = (rise_decks / f"{slides.lesson_path(lesson).stem}.ipynb").relative_to(ROOT).as_posix()
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    try:
        page.goto(f"{lab_url}/rise/{path}?token={TOKEN}")
        page.wait_for_selector(".reveal .slides > section.present", timeout=90_000)
        page.wait_for_timeout(1500)  # a "Select Kernel" dialog, if any, comes after the first slide
        assert page.locator(".jp-Dialog").count() == 0, "the deck opens behind a dialog"
        total = page.locator(".reveal .slides > section").count()
        assert total == len(slides.deck(lesson)[1])
        first = page.inner_text(".reveal .slides > section.present")
        assert " ".join(slides.central_question(lesson).split()) in " ".join(first.split())
        for number in range(1, total + 1):
            state = page.evaluate(
                """() => {
                    const all = [...document.querySelectorAll('.reveal .slides > section')];
                    const s = document.querySelector('.reveal .slides > section.present');
                    const text = s.querySelector('.jp-RenderedHTMLCommon p, .jp-RenderedHTMLCommon li');
                    return {index: all.indexOf(s), size: text ? parseFloat(getComputedStyle(text).fontSize) : null,
                            images: [...s.querySelectorAll('img')].map(i => i.complete && i.naturalWidth > 0)};
                }"""
            )
            assert state["index"] == number - 1, f"slide {number}: the deck shows slide {state['index'] + 1}"
            assert state["size"] is None or state["size"] >= 20, f"slide {number}: {state['size']} px text (rise.css)"
            assert all(state["images"]), f"slide {number}: an image did not load"
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(150)
    finally:
        context.close()
