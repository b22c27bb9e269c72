"""Cell roles and the editions built from each lesson (tools/editions.py)."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
KNOWN_TAGS = {
    "teacher",
    "answers",
    "learner",
    "maintainer",
    "static",
    "extension",
    "nbval-ignore-output",
    "nbval-skip",
    "raises-exception",
}


def _tool():
    spec = importlib.util.spec_from_file_location("editions", ROOT / "tools" / "editions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


editions = _tool()


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _text(cell: dict) -> str:
    return "".join(cell["source"])


def _is_teacher_note(cell: dict) -> bool:
    slide = cell["metadata"].get("slideshow", {}).get("slide_type")
    return slide == "notes" or _text(cell).startswith("**Teacher")


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_teacher_note_is_tagged_teacher(path):
    untagged = [c["id"] for c in _cells(path) if _is_teacher_note(c) and "teacher" not in editions.roles(c)]
    assert not untagged, f"{path.name}: teacher notes without the 'teacher' tag: {untagged}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_answer_key_is_tagged_answers(path):
    untagged = [
        c["id"]
        for c in _cells(path)
        if c["cell_type"] == "code" and "self_check(" in _text(c) and "answers" not in editions.roles(c)
    ]
    assert not untagged, f"{path.name}: self-check cells (answer keys) without the 'answers' tag: {untagged}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_cells_use_only_the_documented_tags(path):
    unknown = {(c["id"], t) for c in _cells(path) for t in c["metadata"].get("tags", []) if t not in KNOWN_TAGS}
    assert not unknown, f"{path.name}: tags outside the convention in CONTRIBUTING.md: {sorted(unknown)}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_no_lesson_prints_the_library_version(path):
    assert not [c["id"] for c in _cells(path) if "__version__" in _text(c)]


def test_student_edition_drops_teacher_cells_and_keeps_the_rest_in_order(tmp_path):
    path = LESSONS[3]
    editions.build([path], tmp_path)
    source = _cells(path)
    student = _cells(tmp_path / "student" / path.name)
    assert [c["id"] for c in student] == [c["id"] for c in source if not editions.roles(c) & {"teacher", "maintainer"}]
    assert len(student) < len(source)
    assert not any(_is_teacher_note(c) for c in student)


def test_teacher_edition_is_the_whole_lesson(tmp_path):
    path = LESSONS[4]
    editions.build([path], tmp_path)
    teacher = json.loads((tmp_path / "teacher" / path.name).read_text(encoding="utf-8"))
    assert teacher["cells"] == _cells(path)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_classroom_edition_has_no_teacher_text_answer_key_or_visible_code(tmp_path, path):
    editions.build([path], tmp_path)
    cells = _cells(tmp_path / "classroom" / path.name)
    assert not [c["id"] for c in cells if editions.roles(c) & {"teacher", "answers", "learner", "maintainer"}]
    assert not any("Teacher notes" in _text(c) or "Show the answer" in _text(c) for c in cells)
    code = [c for c in cells if c["cell_type"] == "code"]
    assert code and all(
        c["metadata"]["jupyter"]["source_hidden"] and "remove-input" in c["metadata"]["tags"] for c in code
    )


def test_static_copies_of_live_apps_are_left_out_of_the_classroom_edition_only():
    live = {"cell_type": "code", "metadata": {}, "source": ["app = App()\n", "app"], "outputs": []}
    intro = {"cell_type": "markdown", "metadata": {"tags": ["static"]}, "source": ["*Static version*:"]}
    copy = {"cell_type": "code", "metadata": {"tags": ["static"]}, "source": ["app.snapshot()"], "outputs": []}
    nb = {"cells": [live, intro, copy], "metadata": {}}
    assert editions.roles(copy) == {"static"}
    assert [c["source"] for c in editions.edition(nb, "classroom")["cells"]] == [live["source"]]
    for name in ("student", "teacher"):
        assert len(editions.edition(nb, name)["cells"]) == 3


def test_built_editions_keep_the_stored_outputs(tmp_path):
    path = LESSONS[1]
    editions.build([path], tmp_path)
    source = {c["id"]: c.get("outputs") for c in _cells(path)}
    for name in editions.EDITIONS:
        for cell in _cells(tmp_path / name / path.name):
            assert cell.get("outputs") == source[cell["id"]]


def test_unknown_edition_is_refused_with_the_valid_names():
    with pytest.raises(ValueError, match=r"unknown edition 'pupil'; valid: teacher, student, classroom, core"):
        editions.edition({"cells": []}, "pupil")


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _shows_a_live_app(cell: dict) -> bool:
    return any(WIDGET_VIEW in output.get("data", {}) for output in cell.get("outputs", []))


def _live_names(cells: list[dict]) -> set[str]:
    """Names of apps a lesson shows live (a cell ending in the name, with a widget view stored)."""
    return {
        _text(c).strip().splitlines()[-1].strip() for c in cells if c["cell_type"] == "code" and _shows_a_live_app(c)
    }


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_static_copy_of_a_live_app_is_tagged_static(path):
    cells = _cells(path)
    names = "|".join(re.escape(n) for n in _live_names(cells) if n.isidentifier())
    copy = re.compile(rf"(HTML\((?:{names})\.html\)|(?:{names})\.snapshot\(\))")
    untagged = [c["id"] for c in cells if c["cell_type"] == "code" and copy.fullmatch(_text(c).strip())]
    untagged += [  # the line introducing a static copy goes with it
        c["id"]
        for c, after in zip(cells, cells[1:], strict=False)
        if _text(c).startswith("*Static version*") and "static" in editions.roles(after)
    ]
    untagged = [i for i in untagged if "static" not in editions.roles(next(c for c in cells if c["id"] == i))]
    assert not untagged, f"{path.name}: static copies of a live app without the 'static' tag: {untagged}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_a_static_cell_copies_a_live_app_shown_before_it(path):
    """The classroom edition leaves static cells out: each must repeat a live app, never be the only view."""
    cells = _cells(path)
    for i, cell in enumerate(cells):
        if "static" not in editions.roles(cell):
            continue
        if cell["cell_type"] == "markdown":
            after = next((c for c in cells[i + 1 :] if c["cell_type"] == "code"), None)
            left_out = after is not None and editions.roles(after) & editions.DROPS["classroom"]
            assert left_out, f"{path.name} {cell['id']}: introduces a cell the classroom view shows"
            continue
        before = [c for c in cells[:i] if c["cell_type"] == "code" and "static" not in editions.roles(c)]
        assert before and _shows_a_live_app(before[-1]), f"{path.name} {cell['id']}: no live app just before it"


def test_every_edition_keeps_the_extension_sections():
    heading = {"cell_type": "markdown", "metadata": {"tags": ["extension"]}, "source": ["### More questions"]}
    bank = {"cell_type": "code", "metadata": {"tags": ["extension"]}, "source": ["Quiz(lessons=2, in_class=False)"],
            "outputs": []}  # fmt: skip
    nb = {"cells": [heading, bank], "metadata": {}}
    assert editions.roles(bank) == {"extension"}
    for name in ("teacher", "student", "classroom"):
        assert len(editions.edition(nb, name)["cells"]) == 2
    assert editions.edition(nb, "core")["cells"] == []


def test_the_core_edition_is_the_student_edition_without_the_extension_sections(tmp_path):
    path = LESSONS[4]
    editions.build([path], tmp_path)
    student, core = (_cells(tmp_path / name / path.name) for name in ("student", "core"))
    assert [c["id"] for c in core] == [c["id"] for c in student if "extension" not in editions.roles(c)]
    assert any("## Central question" in _text(c) for c in core)
