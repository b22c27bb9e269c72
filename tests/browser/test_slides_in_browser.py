"""An exported slide deck (tools/slides.py) in headless Chromium: opened from file://, offline, stepped through.

Each slide is screenshotted at 1280x720 into ``test-artifacts/slides/`` for a person to look at.
"""

from __future__ import annotations

import importlib.util
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
