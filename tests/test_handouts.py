"""Printable handouts (tools/handouts.py): worksheets and teacher sheets as PDF, through headless Chromium."""

from __future__ import annotations

import importlib.util
import math
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from lessons_lib.data import load
from lessons_lib.work import CARD_FIELDS

ROOT = Path(__file__).resolve().parent.parent
LESSONS = (4, 7)


def _tool():
    spec = importlib.util.spec_from_file_location("handouts", ROOT / "tools" / "handouts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


handouts = _tool()


def _words(text: str) -> str:
    """Collapse whitespace (pdftotext breaks lines and may hyphenate nothing, but wraps everywhere)."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not handouts.CHROMIUM.exists():
        pytest.fail(f"{handouts.CHROMIUM} is missing: the handouts need Debian's chromium (bash .ci/run installs it)")
    for tool in ("pdftotext", "pdfinfo"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing: install poppler-utils (bash .ci/run installs it)")
    out = tmp_path_factory.mktemp("handouts")
    handouts.build(LESSONS, out, kinds=("worksheet",), sizes=("a4", "letter"), course=("glossary", "timeline"))
    handouts.build((4,), out, kinds=("teacher",), sizes=("a4",), course=())
    return out


def _text(path: Path) -> str:
    return _words(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout)


@pytest.mark.parametrize("lesson", LESSONS)
def test_worksheet_pdf_has_the_central_question_document_titles_and_blank_card_fields(pdfs: Path, lesson: int) -> None:
    text = _text(pdfs / f"lesson{lesson:02d}_worksheet_a4.pdf")
    central = handouts.central_prompt(lesson)["prompt"]
    assert _words(central) in text
    docs = handouts.lesson_documents(lesson)
    assert docs, f"lesson {lesson} has no documents"
    missing = [d["id"] for d in docs if _words(d["title"]) not in text]
    assert not missing, f"document titles missing from the worksheet: {missing}"
    for _, label, question in CARD_FIELDS:
        assert label in text and _words(question) in text
    assert "Claim" in text and "Counter-argument" in text and "Judgement" in text
    primaries = [d for d in docs if d["kind"] == "primary"]
    assert text.count("Sourcing card:") == len(primaries)


def test_worksheet_pdf_has_both_original_and_adapted_wording(pdfs: Path) -> None:
    text = _text(pdfs / "lesson04_worksheet_a4.pdf")
    doc = next(d for d in handouts.lesson_documents(4) if d["kind"] == "primary")
    first_original = _words(doc["text"].splitlines()[0])[:60]
    first_adapted = _words(doc["adapted"].splitlines()[0])[:60]
    assert first_original in text and first_adapted in text


def test_a4_and_letter_pdfs_have_their_own_page_size(pdfs: Path) -> None:
    sizes = {}
    for name in ("a4", "letter"):
        info = subprocess.run(["pdfinfo", str(pdfs / f"lesson04_worksheet_{name}.pdf")], capture_output=True,
                              text=True, check=True).stdout  # fmt: skip
        sizes[name] = next(line for line in info.splitlines() if line.startswith("Page size:"))
    assert "(A4)" in sizes["a4"] and "(letter)" in sizes["letter"]


def test_teacher_sheet_has_the_editors_cards_and_the_strong_answer() -> None:
    page = handouts.teacher_html(4)
    strong = handouts.central_prompt(4)["strong_answer"]
    assert handouts._inline(strong.splitlines()[0]) in page
    for doc in handouts.lesson_documents(4):
        assert handouts._esc(doc["card_purpose"]) in page


def test_data_text_is_escaped_in_the_handout_html(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = handouts.lesson_documents(4)
    docs[0] = dict(docs[0], title="<script>alert(1)</script>", card_purpose="<b>x</b>")
    monkeypatch.setattr(handouts, "lesson_documents", lambda lesson: docs)
    for page in (handouts.worksheet_html(4), handouts.teacher_html(4)):
        assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_every_lesson_2_to_9_has_a_central_question_and_documents() -> None:
    prompts = load("prompts")
    for lesson in handouts.LESSONS:
        assert handouts.central_prompt(lesson)["prompt"]
        assert handouts.lesson_documents(lesson), f"lesson {lesson} has no documents"
    assert len(prompts)


def _pages(path: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, flags=re.M).group(1))
    return [
        _words(subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"], capture_output=True,
                              text=True, check=True).stdout)
        for n in range(1, count + 1)
    ]  # fmt: skip


@pytest.mark.parametrize("size", ["a4", "letter"])
@pytest.mark.parametrize("lesson", LESSONS)
def test_blank_sourcing_cards_print_two_to_a_page(pdfs: Path, lesson: int, size: str) -> None:
    pages = _pages(pdfs / f"lesson{lesson:02d}_worksheet_{size}.pdf")
    per_page = [page.count("Sourcing card:") for page in pages if "Sourcing card:" in page]
    cards = len([d for d in handouts.lesson_documents(lesson) if d["kind"] == "primary"])
    assert sum(per_page) == cards
    assert max(per_page) <= 2 and len(per_page) == math.ceil(cards / 2), f"cards per page: {per_page}"


def test_lesson_4_worksheet_has_the_card_sort_and_the_factor_weighing_table(pdfs: Path) -> None:
    text = _text(pdfs / "lesson04_worksheet_a4.pdf")
    assert "Card sort" in text and "Factor-weighing table" in text
    titles = [e["title"] for e in handouts._rows("events", handouts.ACTIVITIES[4]["sort"])]
    assert [t for t in titles if _words(t) not in text] == []
    assert all(_words(factor) in text for factor, _ in handouts.FACTORS["why_stalin_won"][1])


def test_lesson_7_worksheet_has_the_exile_timeline_strip_and_the_two_answers_grid(pdfs: Path) -> None:
    text = _text(pdfs / "lesson07_worksheet_a4.pdf")
    assert "Timeline strip" in text and "Permanent revolution" in text and "Socialism in one country" in text
    titles = [e["title"] for e in handouts._rows("events", handouts.ACTIVITIES[7]["strip"])]
    assert [t for t in titles if _words(t) not in text] == []


def test_teacher_sheet_pdf_gives_the_card_sorts_order_with_dates(pdfs: Path) -> None:
    text = _text(pdfs / "lesson04_teacher_a4.pdf")
    events = handouts._events_in_order(handouts.ACTIVITIES[4]["sort"])
    positions = [text.index(_words(e["title"])) for e in events]
    assert positions == sorted(positions)
    assert all(_words(handouts._date_text(e)) in text for e in events)


def test_card_sort_cards_do_not_give_the_order_away() -> None:
    ids = handouts.ACTIVITIES[4]["sort"]
    page = handouts.sort_html(ids)
    events = handouts._rows("events", ids)
    assert not [e["id"] for e in events if str(e["year"]) in page]
    shown = [page.index(handouts._esc(e["title"])) for e in handouts._events_in_order(ids)]
    assert shown != sorted(shown), "the cards are printed in chronological order"


def test_printed_timeline_is_one_landscape_page_with_every_event(pdfs: Path) -> None:
    for size in ("a4", "letter"):
        path = pdfs / f"timeline_{size}.pdf"
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
        assert "Pages:           1" in info and width > height, info
    text = _text(pdfs / "timeline_a4.pdf")
    missing = [e["id"] for e in load("events").to_dict("records") if _words(e["title"]) not in text]
    assert not missing, f"events missing from the printed timeline: {missing}"


def test_printed_glossary_has_every_term_and_definition(pdfs: Path) -> None:
    text = _text(pdfs / "glossary_a4.pdf")
    terms = load("glossary").to_dict("records")
    assert [t["term"] for t in terms if _words(t["term"]) not in text] == []
    assert all(_words(str(t["definition"]))[:50] in text for t in terms)


@pytest.mark.parametrize("lesson", handouts.LESSONS)
def test_every_lesson_has_an_activity_and_no_widget_or_code_text(lesson: int) -> None:
    page = handouts.worksheet_html(lesson)
    assert '<table class="grid">' in page or 'class="cut"' in page
    for leftover in ("Output(", "Widget(", "load(", "from lessons_lib", "<pre", "<code"):
        assert leftover not in page, f"lesson {lesson}'s worksheet shows {leftover!r}"


def test_an_unknown_event_id_in_an_activity_names_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(handouts.ACTIVITIES, 4, {"sort": ("stalin_general_secretary", "no_such_event")})
    with pytest.raises(SystemExit, match=r"no row \['no_such_event'\] in data/events.csv"):
        handouts.worksheet_html(4)


def test_adapted_version_is_printed_only_where_the_original_is_hard_to_read() -> None:
    docs = [d for d in handouts.lesson_documents(5) if d["kind"] == "primary"]
    hard = [d for d in docs if handouts.reading_grade(d["text"]) > handouts.ADAPT_ABOVE]
    plain = [d for d in docs if d not in hard]
    assert hard and plain, "lesson 5 has both hard and plain originals"
    page = handouts.worksheet_html(5)
    for doc in docs:
        assert handouts._paragraphs(doc["text"]) in page
        assert (handouts._paragraphs(doc["adapted"]) in page) == (doc in hard), doc["id"]
    assert handouts.reading_grade("The cat sat. The dog ran.") < 3 < handouts.reading_grade(docs[0]["text"])
