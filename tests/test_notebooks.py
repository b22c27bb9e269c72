"""Lesson notebooks: structure, size, no widget state; nbval itself runs them (see pyproject)."""

from __future__ import annotations

import ast
import importlib.util
import json
import re
from types import ModuleType

import pytest
from support import ROOT

from lessons_lib.data import load

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
REQUIRED = [
    "## Central question",
    "## Learning objectives",
    "## Time and prerequisites",
    "## Check your understanding",
    "## Discussion",
    "## Summary",
    "## Sources",
]
CONTENT_NOTE_LESSONS = {"05", "06"}


def refresh_tool() -> ModuleType:
    """tools/refresh.py (a maintainer script outside the package), imported as a module."""
    spec = importlib.util.spec_from_file_location("refresh", ROOT / "tools" / "refresh.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def source(cell) -> str:
    return "".join(cell["source"])


def test_there_are_nine_lessons_in_teaching_order():
    assert [p.name[:2] for p in NOTEBOOKS] == [f"{i:02d}" for i in range(1, 10)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_lesson_has_the_required_sections_in_order(path):
    markdown = "\n".join(source(c) for c in cells(path) if c["cell_type"] == "markdown")
    assert markdown.startswith(f"# Lesson {int(path.name[:2])}: ")
    positions = [markdown.find(h) for h in REQUIRED]
    assert all(p > 0 for p in positions), [h for h, p in zip(REQUIRED, positions, strict=True) if p < 0]
    assert positions == sorted(positions)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_objectives_and_time_are_stated(path):
    markdown = "\n".join(source(c) for c in cells(path) if c["cell_type"] == "markdown")
    objectives = markdown.split("## Learning objectives")[1].split("\n## ")[0]
    assert len(re.findall(r"^\s*(?:\d+\.|-)\s", objectives, re.M)) >= 2
    assert re.search(r"\*\*Time:\*\* .*\d+ minutes", markdown)
    assert "**Prerequisites:**" in markdown


def _statements(code: str) -> int:
    """Statements in a cell, nested ones included: a list formatted one item per line counts once."""
    return sum(isinstance(node, ast.stmt) for node in ast.walk(ast.parse(code)))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_code_cells_are_short(path):
    long = [source(c) for c in cells(path) if c["cell_type"] == "code" and _statements(source(c)) > 15]
    assert long == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_with_outputs_and_without_widget_state(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert "widgets" not in nb["metadata"]
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    displays = [c for c in code if _ends_with_expression(source(c))]
    assert all(c["outputs"] for c in displays), "re-execute: python3 run.py refresh"
    assert not any(o.get("output_type") == "error" for c in code for o in c["outputs"])


def _ends_with_expression(code: str) -> bool:
    body = ast.parse(code).body
    return bool(body) and isinstance(body[-1], ast.Expr) and not code.rstrip().endswith(";")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_under_2_mb(path):
    assert path.stat().st_size < 2_000_000


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_cell_has_slide_metadata(path):
    assert all("slide_type" in c["metadata"].get("slideshow", {}) for c in cells(path))
    assert cells(path)[0]["metadata"]["slideshow"]["slide_type"] == "slide"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_famine_and_terror_lessons_open_with_a_content_note(path):
    first = "\n".join(source(c) for c in cells(path)[:3])
    if path.name[:2] in CONTENT_NOTE_LESSONS:
        assert "**Content note:**" in first
    assert ("**Content note:**" in first) == (path.name[:2] in CONTENT_NOTE_LESSONS)


def _calls(path, function):
    """The ids in the first argument of every call of `function` in the lesson's code cells."""
    for cell in cells(path):
        if cell["cell_type"] != "code":
            continue
        for node in ast.walk(ast.parse(source(cell))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == function:
                yield from ast.literal_eval(node.args[0])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_glossary_terms_a_lesson_defines_exist(path):
    terms = list(_calls(path, "glossary"))
    assert terms, "each lesson defines its key terms with glossary([...])"
    assert set(terms) <= set(load("glossary")["id"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_lesson_cites_sources_that_exist(path):
    ids = set(_calls(path, "bibliography"))
    assert ids
    assert ids <= set(load("sources")["id"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_tidy_with_course_cell_ids_and_stable_widget_ids(path):
    import copy

    import nbformat

    nb = nbformat.read(path, as_version=4)
    expected = copy.deepcopy(nb)
    refresh_tool().tidy(expected, path.name)
    assert nb == expected, "run: python tools/refresh.py --no-execute (or python3 run.py refresh)"


def test_cell_ids_are_unique_across_the_course_and_name_their_lesson():
    ids = [(path.name[:2], c["id"]) for path in NOTEBOOKS for c in cells(path)]
    assert all(re.fullmatch(rf"l{lesson}-c\d{{3}}", cell_id) for lesson, cell_id in ids), ids
    all_ids = [cell_id for _, cell_id in ids]
    assert len(set(all_ids)) == len(all_ids)


def _notebook(*ids):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(f"cell {i}") for i in range(len(ids))]
    for cell, cell_id in zip(nb.cells, ids, strict=True):
        cell.id = cell_id
    return nb


def test_refresh_keeps_existing_cell_ids_and_numbers_new_cells_after_the_highest():
    # a lesson after editing: a new cell from JupyterLab (random id) between two kept ones,
    # a copied cell (duplicate id), and a cell pasted from lesson 3
    nb = _notebook("l04-c000", "3f2a9c1e-77aa-4b51-9d0e-1c2b3a4d5e6f", "l04-c007", "l04-c007", "l03-c002")
    refresh_tool().course_cell_ids(nb, "04_timeline.ipynb")
    assert [c.id for c in nb.cells] == ["l04-c000", "l04-c008", "l04-c007", "l04-c009", "l04-c010"]
    refresh_tool().course_cell_ids(nb, "04_timeline.ipynb")
    assert [c.id for c in nb.cells] == ["l04-c000", "l04-c008", "l04-c007", "l04-c009", "l04-c010"]


def test_widget_ids_follow_the_cell_id():
    import nbformat

    mime = "application/vnd.jupyter.widget-view+json"
    output = nbformat.v4.new_output("display_data", {mime: {"model_id": "random", "version_major": 2}})
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("app", id="l04-c000", outputs=[output])])
    refresh_tool().stable_widget_ids(nb, "04_timeline.ipynb")
    first = output.data[mime]["model_id"]
    nb.cells[0].id = "l04-c001"
    refresh_tool().stable_widget_ids(nb, "04_timeline.ipynb")
    assert first != "random"
    assert output.data[mime]["model_id"] != first


# --- core and extension (a lesson's core fits a 45-minute period; CONTRIBUTING.md, "Cell roles") -----------
EXTENSION_BANNER = "> **Extension**: for homework, a second lesson or study on your own."
PERIOD = 45


def _tags(cell) -> set[str]:
    return set(cell["metadata"].get("tags", []))


def _extension_runs(cells_):
    """Each run of consecutive cells tagged `extension`, as a list of cells."""
    runs, run = [], []
    for cell in cells_:
        if "extension" in _tags(cell):
            run.append(cell)
        elif run:
            runs.append(run)
            run = []
    return runs + ([run] if run else [])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_extension_section_opens_with_a_heading_and_the_banner(path):
    runs = _extension_runs(cells(path))
    assert runs, "each lesson marks what goes beyond its 45-minute core as Extension"
    for run in runs:
        first = source(run[0])
        assert run[0]["cell_type"] == "markdown" and first.startswith("#"), run[0]["id"]
        assert first.split("\n\n")[1].startswith(EXTENSION_BANNER), run[0]["id"]
    banners = [c for c in cells(path) if EXTENSION_BANNER in source(c)]
    assert all("extension" in _tags(c) and source(c).startswith("#") for c in banners), "a banner without the tag"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_core_keeps_the_central_question_one_sourcing_card_and_the_written_answer(path):
    core = [source(c) for c in cells(path) if "extension" not in _tags(c)]
    assert any(s.startswith("## Central question") for s in core)
    assert any(s.startswith("## Discussion") for s in core)
    assert sum(s.startswith('Answer("l') and s.rstrip().endswith('_central")') for s in core) == (path.name[:2] != "01")
    assert sum("SourcingCard(" in s for s in core) == (path.name[:2] != "01")


def _core_timing(path) -> tuple[int, list[int]]:
    """The minutes the teacher's timing note gives the core, and its steps' minutes."""
    notes = [source(c) for c in cells(path) if source(c).startswith("**Teacher notes (timing).**")]
    assert len(notes) == 1, "one teacher note on timing, '**Teacher notes (timing).** The core lesson, N minutes:'"
    total = re.match(r"\*\*Teacher notes \(timing\)\.\*\* The core lesson, (\d+) minutes:", notes[0])
    assert total, notes[0][:80]
    return int(total.group(1)), [int(m) for m in re.findall(r"^- (\d+) min: ", notes[0], re.M)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_cores_stated_timings_add_up_to_one_45_minute_period(path):
    total, steps = _core_timing(path)
    assert len(steps) >= 3 and sum(steps) == total <= PERIOD, steps
    markdown = "\n".join(source(c) for c in cells(path) if c["cell_type"] == "markdown" and "teacher" not in _tags(c))
    stated = re.search(r"\*\*Time:\*\* (\d+) minutes in class", markdown)
    assert stated and int(stated.group(1)) == total
    assert "class period" not in markdown


def _quiz_calls(path, core: bool):
    for cell in cells(path):
        if cell["cell_type"] == "code" and ("extension" in _tags(cell)) != core:
            for node in ast.walk(ast.parse(source(cell))):
                if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Quiz":
                    yield node


def _asked(call) -> int:
    from lessons_lib.apps import Quiz

    return len(eval(compile(ast.Expression(call), "<quiz>", "eval"), {"Quiz": Quiz, "range": range}).questions)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_in_class_quiz_asks_at_most_eight_questions_and_the_rest_stay_in_the_extension(path):
    core = [_asked(call) for call in _quiz_calls(path, core=True)]
    assert core and sum(core) <= 8, core
    if path.name[:2] != "09":  # lesson 9's core quiz is its ordering review; its own questions are extension
        banks = [ast.unparse(call) for call in _quiz_calls(path, core=False)]
        assert f"Quiz(lessons={int(path.name[:2])}, in_class=False)" in banks


GUIDE = ROOT / "docs" / "teacher_guide.md"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_teacher_guides_plan_is_the_lessons_core_step_by_step(path):
    lesson = int(path.name[:2])
    section = GUIDE.read_text(encoding="utf-8").split(f"\n## Lesson {lesson}: ")[1].split("\n## ")[0]
    assert f"### Plan ({PERIOD} minutes)" in section
    rows = re.findall(r"^\| (\d+)–(\d+) \|", section, re.M)
    assert rows and rows[0][0] == "0" and all(a[1] == b[0] for a, b in zip(rows, rows[1:], strict=False))
    assert [int(end) - int(start) for start, end in rows] == _core_timing(path)[1]


@pytest.mark.parametrize("path", NOTEBOOKS[1:], ids=lambda p: p.stem)
def test_the_slides_speaker_notes_give_the_cores_minutes(path):
    deck = (ROOT / "slides" / f"{path.name[:2]}.md").read_text(encoding="utf-8")
    note = re.search(r"Timing of the 45-minute core: (.*?)\. The sections marked Extension", " ".join(deck.split()))
    assert note, "slides/NN.md: 'Timing of the 45-minute core: <step> N min; ...'"
    assert [int(m) for m in re.findall(r"(\d+) min\b", note.group(1))] == _core_timing(path)[1]
