"""Printable handouts (tools/handouts.py): worksheets and teacher sheets as PDF, through headless Chromium."""

from __future__ import annotations

import importlib.util
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
    handouts.build(LESSONS, out, kinds=("worksheet",), sizes=("a4", "letter"))
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
