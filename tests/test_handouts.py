"""Printable handouts (tools/handouts.py): worksheets and teacher sheets as PDF, through headless Chromium."""

from __future__ import annotations

import importlib.util
import json
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
    handouts.build(LESSONS, out, kinds=("worksheet", "pack"), sizes=("a4", "letter"), course=("glossary", "timeline"))
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


def _opening(text: str) -> str:
    return _words(text.splitlines()[0])[:60]


@pytest.mark.parametrize("lesson", LESSONS)
def test_worksheet_pdf_has_the_adapted_versions_and_the_pack_the_original_wording(pdfs: Path, lesson: int) -> None:
    sheet = _text(pdfs / f"lesson{lesson:02d}_worksheet_a4.pdf")
    pack = _text(pdfs / f"lesson{lesson:02d}_pack_a4.pdf")
    for doc in handouts.lesson_documents(lesson):
        assert _opening(doc["adapted"]) in sheet and _opening(doc["adapted"]) not in pack, doc["id"]
        assert _opening(doc["text"]) in pack and _opening(doc["text"]) not in sheet, doc["id"]
        assert _words(doc["title"]) in pack, doc["id"]
    assert "Sourcing card:" not in pack and "Task" not in pack and "Name:" not in pack


def _shown_in_notebook(lesson: int) -> list[str]:
    """The documents the executed lesson shows: the ids in its stored outputs (written by ``documents``)."""
    cells = json.loads(handouts.notebook_path(lesson).read_text(encoding="utf-8"))["cells"]
    html = "".join(
        "".join(out.get("data", {}).get("text/html", "")) for cell in cells for out in cell.get("outputs", [])
    )
    return list(dict.fromkeys(re.findall(r"class='lessons-document' id='doc-([a-z0-9_]+)'", html)))


@pytest.mark.parametrize("lesson", handouts.LESSONS)
def test_worksheet_pack_and_teacher_sheet_hold_exactly_the_documents_the_lesson_shows(lesson: int) -> None:
    shown = _shown_in_notebook(lesson)
    assert shown, f"lesson {lesson}'s notebook shows no documents"
    assert handouts.lesson_document_ids(lesson) == shown
    for make in (handouts.worksheet_html, handouts.pack_html, handouts.teacher_html):
        printed = re.findall(r"<h3>\[([a-z0-9_]+)\]", make(lesson))
        assert printed == shown, f"{make.__name__}({lesson}) prints {printed}, the lesson shows {shown}"


def test_lesson_documents_needs_the_ids_written_out(monkeypatch: pytest.MonkeyPatch) -> None:
    cells = [{"cell_type": "code", "source": "ids = pick()\ndocuments(ids)"}]
    monkeypatch.setattr(handouts, "_cells", lambda lesson: cells)
    with pytest.raises(SystemExit, match=r"documents\(\.\.\.\) at line 2 of a cell needs a list of document ids"):
        handouts.lesson_documents(4)
    cells[0]["source"] = "x = 1"
    with pytest.raises(SystemExit, match=r"shows no documents \(no documents\(\[\.\.\.\]\) call\)"):
        handouts.lesson_documents(4)


@pytest.mark.parametrize("lesson", handouts.LESSONS)
def test_worksheet_has_every_adapted_version_and_the_pack_every_original(lesson: int) -> None:
    sheet, pack = handouts.worksheet_html(lesson), handouts.pack_html(lesson)
    for doc in handouts.lesson_documents(lesson):
        assert handouts._paragraphs(doc["adapted"]) in sheet and handouts._paragraphs(doc["text"]) not in sheet
        assert handouts._paragraphs(doc["text"]) in pack and handouts._paragraphs(doc["adapted"]) not in pack


@pytest.mark.parametrize("lesson", handouts.LESSONS)
def test_a_document_a_task_cites_is_in_the_pack_or_the_task_names_its_lesson(lesson: int) -> None:
    ids = set(handouts.lesson_document_ids(lesson))
    for doc in handouts.lesson_documents(lesson):
        for cited in re.findall(r"\[([a-z][a-z0-9_]+)\]( \(lesson \d\))?", str(doc["task"])):
            assert cited[0] in ids or cited[1], f"{doc['id']}'s task cites [{cited[0]}], not in lesson {lesson}'s pack"


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


def test_teacher_sheet_gives_what_a_strong_answer_to_each_historians_task_includes() -> None:
    page = handouts.teacher_html(5)
    historians = [d for d in handouts.lesson_documents(5) if d["kind"] == "historian"]
    answers = handouts.task_answers(5)
    assert sorted(answers) == sorted(d["id"] for d in historians)
    assert all(handouts._esc(answer) in page for answer in answers.values())


def test_data_text_is_escaped_in_the_handout_html(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = handouts.lesson_documents(4)
    docs[0] = dict(docs[0], title="<script>alert(1)</script>", card_purpose="<b>x</b>")
    monkeypatch.setattr(handouts, "lesson_documents", lambda lesson: docs)
    for page in (handouts.worksheet_html(4), handouts.pack_html(4), handouts.teacher_html(4)):
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


def _page_of(pages: list[str], text: str) -> int:
    hits = [n for n, page in enumerate(pages) if _words(text) in page]
    assert len(hits) == 1, f"{text[:50]!r} is on pages {hits}"
    return hits[0]


@pytest.mark.parametrize("size", ["a4", "letter"])
@pytest.mark.parametrize("lesson", LESSONS)
def test_worksheet_keeps_each_document_with_its_task_and_each_card_on_one_page(
    pdfs: Path, lesson: int, size: str
) -> None:
    pages = _pages(pdfs / f"lesson{lesson:02d}_worksheet_{size}.pdf")
    for doc in handouts.lesson_documents(lesson):
        task = _words(doc["task"])
        top = _page_of(pages, f"[{doc['id']}] {doc['title']}")
        assert top == _page_of(pages, task[:40]) == _page_of(pages, task[-40:]), doc["id"]
    last_field = CARD_FIELDS[-1][2]
    per_page = [(page.count("Sourcing card:"), page.count(last_field)) for page in pages]
    assert all(cards == ends for cards, ends in per_page), f"a sourcing card is split: {per_page}"
    cards = len([d for d in handouts.lesson_documents(lesson) if d["kind"] == "primary"])
    assert sum(n for n, _ in per_page) == cards


def _blank_below(path: Path, tmp: Path) -> list[float]:
    """Per page, the share of its height below the last ink (pixels: what only pixels can show)."""
    subprocess.run(["pdftoppm", "-r", "20", "-gray", str(path), str(tmp / "p")], check=True)
    shares = []
    for image in sorted(tmp.glob("p*.pgm")):
        magic, width, height, _, pixels = image.read_bytes().split(maxsplit=4)
        w, h = int(width), int(height)
        inked = [y for y in range(h) if min(pixels[y * w : (y + 1) * w]) < 200]
        shares.append(1 - (max(inked, default=0) + 1) / h)
    return shares


@pytest.mark.parametrize("size", ["a4", "letter"])
@pytest.mark.parametrize("lesson", LESSONS)
def test_worksheet_is_short_and_leaves_no_large_blank_area(pdfs: Path, lesson: int, size: str, tmp_path: Path) -> None:
    path = pdfs / f"lesson{lesson:02d}_worksheet_{size}.pdf"
    pages = _pages(path)
    assert len(pages) <= 8, f"{path.name} has {len(pages)} pages"
    # A page may end early only where the worksheet ends or a part must start a new page (the card sort).
    ends = {len(pages) - 1} | {n - 1 for n, page in enumerate(pages) if page.startswith("Card sort")}
    blank = _blank_below(path, tmp_path)
    assert [n + 1 for n, share in enumerate(blank) if share > 0.45 and n not in ends] == [], blank


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
def test_every_lesson_has_an_activity_and_no_widget_code_or_screen_only_text(lesson: int) -> None:
    assert 'class="grid' in handouts.worksheet_html(lesson) or 'class="cut"' in handouts.worksheet_html(lesson)
    for make in (handouts.worksheet_html, handouts.pack_html, handouts.teacher_html):
        page = make(lesson)
        for leftover in ("Output(", "Widget(", "load(", "from lessons_lib", "<pre", "<code"):
            assert leftover not in page, f"{make.__name__}({lesson}) shows {leftover!r}"
        text = re.sub(r"<[^>]+>", " ", page)
        screen = re.findall(r"(?i)\b(click\w*|button|run (?:the|this) cell|widget|scroll|drag|toggle|folded)\b", text)
        assert not screen, f"{make.__name__}({lesson}) refers to the screen: {screen}"


def test_an_unknown_event_id_in_an_activity_names_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(handouts.ACTIVITIES, 4, {"sort": ("stalin_general_secretary", "no_such_event")})
    with pytest.raises(SystemExit, match=r"no row \['no_such_event'\] in data/events.csv"):
        handouts.worksheet_html(4)
