"""Slide decks (tools/slides.py, slides/NN.md): projector-sized slides, in sync with their lessons."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
#: A Markdown line a renderer turns into an ordered-list item: digits, then "." or ")", then a space
#: or the end of the line. Lists in the lessons number their items 1-99; a number of three or more
#: digits at the start of a line is a year wrapped onto a new line ("1921) and give" -> "BUW.").
_LIST_MARKER = re.compile(r"^\s*(\d+)[.)](\s|$)")


def _tool():
    spec = importlib.util.spec_from_file_location("slides", ROOT / "tools" / "slides.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["slides"] = module  # its dataclass looks its module up
    spec.loader.exec_module(module)
    return module


slides = _tool()
LESSONS = slides.LESSONS


def _sections(page: str) -> list[str]:
    return re.findall(r"<section[^>]*>(.*?)</section>", page, flags=re.S)


def _class_view(section: str) -> str:
    """What the class sees of a slide: everything but the speaker notes."""
    return re.sub(r'<aside class="notes">.*?</aside>', "", section, flags=re.S)


def _plain(text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


@pytest.fixture(scope="module")
def pages() -> dict[int, str]:
    return {lesson: slides.deck_html(lesson) for lesson in LESSONS}


def test_every_lesson_has_a_deck_source() -> None:
    missing = [n for n in LESSONS if not (slides.SOURCES / f"{n:02d}.md").exists()]
    assert not missing, f"lessons without slides/NN.md: {missing}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_slide_has_at_most_80_words(pages: dict[int, str], lesson: int) -> None:
    counts = [slides.words(_class_view(section)) for section in _sections(pages[lesson])]
    assert len(counts) >= 5, f"lesson {lesson}: only {len(counts)} slides"
    too_long = {number: n for number, n in enumerate(counts, start=1) if n > slides.MAX_WORDS}
    assert not too_long, f"lesson {lesson}: slides over {slides.MAX_WORDS} words (slide: words): {too_long}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_first_slide_asks_the_central_question_from_the_data(pages: dict[int, str], lesson: int) -> None:
    first = _plain(_class_view(_sections(pages[lesson])[0]))
    assert " ".join(slides.central_question(lesson).split()) in first


def _lesson_summary(lesson: int) -> str:
    cells = json.loads(slides.lesson_path(lesson).read_text(encoding="utf-8"))["cells"]
    found = [c for c in cells if c["cell_type"] == "markdown" and "".join(c["source"]).startswith("## Summary")]
    assert len(found) == 1, f"lesson {lesson} needs one '## Summary' cell"
    return " ".join("".join(found[0]["source"]).split())


@pytest.mark.parametrize("lesson", LESSONS)
def test_last_slide_is_the_summary_and_its_bold_terms_come_from_the_lessons_summary(lesson: int) -> None:
    last = slides.deck(lesson)[1][-1].markdown
    assert last.startswith("## Summary"), f"lesson {lesson}: the last slide starts {last[:40]!r}"
    terms = re.findall(r"\*\*(.+?)\*\*", last)
    assert terms, f"lesson {lesson}: the summary slide marks no key terms in bold"
    summary = _lesson_summary(lesson)
    strays = [t for t in terms if t.rstrip(":").lower() not in summary.lower() and not t.startswith("Next")]
    assert not strays, f"lesson {lesson}: summary-slide terms not in the lesson's summary: {strays}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_slide_has_speaker_notes_that_stay_out_of_the_class_view(pages: dict[int, str], lesson: int) -> None:
    sections = _sections(pages[lesson])
    without = [n for n, s in enumerate(sections, start=1) if '<aside class="notes">' not in s]
    assert not without, f"lesson {lesson}: slides without speaker notes: {without}"
    for deck_slide, section in zip(slides.deck(lesson)[1], sections, strict=True):
        note_words = _plain(slides._MARKDOWN(deck_slide.notes))[:60]
        assert note_words and note_words not in _plain(_class_view(section))


@pytest.mark.parametrize("lesson", LESSONS)
def test_no_code_reaches_the_slides(pages: dict[int, str], lesson: int) -> None:
    page = pages[lesson]
    body = _class_view(page[page.index("<body>") : page.index("<script>")])
    assert "<pre" not in body and "<code" not in body, f"lesson {lesson}: code shown on a slide"
    cells = json.loads(slides.lesson_path(lesson).read_text(encoding="utf-8"))["cells"]
    lines = {line.strip() for c in cells if c["cell_type"] == "code" for line in c["source"] if len(line.strip()) > 12}
    text = _plain(body)
    shown = [line for line in lines if line in text]
    assert not shown, f"lesson {lesson}: lines of its code cells on the slides: {shown}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_charts_come_from_the_lessons_stored_outputs_and_are_inlined(pages: dict[int, str], lesson: int) -> None:
    _, deck_slides, images = slides.deck(lesson)
    cells = [cell for s in deck_slides for _, cell in s.images]
    for cell in cells:
        assert images[cell][0][:200] in pages[lesson]
    assert pages[lesson].count('<img class="chart"') == len(cells)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", pages[lesson]), "the deck loads something from the web"


def test_deck_is_self_contained_reveal_js() -> None:
    page = slides.deck_html(4)
    assert "Reveal.initialize" in page and "RevealNotes" in page
    assert "<script src" not in page and "<link" not in page
    assert page.count("</script") == 3, "an inlined script ends its <script> element early"


@pytest.mark.parametrize("lesson", LESSONS)
def test_rise_notebook_has_one_slide_cell_per_slide_and_notes_cells(lesson: int) -> None:
    nb = slides.deck_notebook(lesson)
    nbformat.validate(nbformat.from_dict(nb))
    kinds = [c["metadata"]["slideshow"]["slide_type"] for c in nb["cells"]]
    deck_slides = slides.deck(lesson)[1]
    assert kinds.count("slide") == len(deck_slides) and kinds[0] == "slide"
    assert kinds.count("notes") == sum(bool(s.notes) for s in deck_slides)
    assert {c["cell_type"] for c in nb["cells"]} == {"markdown"}
    for cell in nb["cells"]:
        for name in re.findall(r"\(attachment:([^)]+)\)", "".join(cell["source"])):
            assert "image/png" in cell["attachments"][name]


def test_parse_splits_slides_and_notes() -> None:
    deck_slides = slides.parse("# A\n\ntext\n\nNote:\nsay this\n---\n## B\n![](cell:l04-c010)\n")
    assert [s.markdown for s in deck_slides] == ["# A\n\ntext", "## B\n![](cell:l04-c010)"]
    assert deck_slides[0].notes == "say this" and deck_slides[1].notes == ""
    assert deck_slides[1].images == [("", "l04-c010")]


def test_parse_rejects_an_empty_slide() -> None:
    with pytest.raises(ValueError, match=r"slides/09.md: slide 2 is empty"):
        slides.parse("# A\n---\n\n---\n## C\n", "slides/09.md")


def test_a_chart_cell_without_a_stored_image_is_named_in_the_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real = slides.parse
    monkeypatch.setattr(slides, "parse", lambda text, source: real(text + "\n---\n![](cell:l04-c999)\n", source))
    with pytest.raises(SystemExit, match=r"slides/04.md, slide \d+: cell l04-c999 has no stored chart"):
        slides.deck(4)


def test_words_ignores_tags_marks_and_image_alt_text() -> None:
    assert slides.words("<h2>Two words</h2><p><strong>three</strong> – ![long alt text](cell:l04-c010)</p>") == 3


def _markdown_sources() -> list[tuple[str, str]]:
    found = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "markdown":
                found.append((f"{path.name} cell {cell.get('id')}", "".join(cell["source"])))
    found += [(str(p.relative_to(ROOT)), p.read_text(encoding="utf-8")) for p in sorted(slides.SOURCES.glob("*.md"))]
    return found


def _numbered_lines(label: str, text: str) -> list[str]:
    bad, fenced = [], False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        marker = _LIST_MARKER.match(line)
        if not fenced and marker and len(marker.group(1)) >= 3:
            bad.append(f"{label}, line {number}: {line.strip()[:60]!r}")
    return bad


def test_no_lesson_markdown_line_starts_with_a_number_and_a_list_marker() -> None:
    bad = [hit for label, text in _markdown_sources() for hit in _numbered_lines(label, text)]
    assert not bad, (
        "these lines start with a number and '.' or ')', which Markdown renders as a numbered list "
        '("1921)" became "BUW."); rewrap so the number is not first on its line:\n' + "\n".join(bad)
    )


def test_the_list_marker_check_catches_a_wrapped_year() -> None:
    text = "1. name three things (one-party rule after\n   1921) and give evidence;\n2. explain\n"
    assert _numbered_lines("x", text) == ["x, line 2: '1921) and give evidence;'"]
    assert _numbered_lines("x", "murdered in\n1940. **Stalin**") == ["x, line 2: '1940. **Stalin**'"]
    assert _numbered_lines("x", "after 1921) and\n1936). Under") == []


def test_a_chart_is_found_in_a_png_output_or_in_the_first_image_of_an_html_output(tmp_path: Path) -> None:
    png = "iVBORw0KGgo="
    html_states = f'<h4>All</h4><img style="x" alt="Chart &amp; more" src="data:image/png;base64,{png}"><img src="data:image/png;base64,AAAA">'
    cells = [
        {"id": "l09-c001", "cell_type": "code", "outputs": [{"data": {"image/png": png, "text/plain": "A chart"}}]},
        {"id": "l09-c002", "cell_type": "code", "outputs": [{"data": {"text/html": [html_states]}}]},
        {"id": "l09-c003", "cell_type": "code", "outputs": [{"data": {"text/html": "<p>no chart</p>"}}]},
    ]
    path = tmp_path / "09_x.ipynb"
    path.write_text(json.dumps({"cells": cells}), encoding="utf-8")
    assert slides.stored_images(path) == {"l09-c001": (png, "A chart"), "l09-c002": (png, "Chart & more")}
