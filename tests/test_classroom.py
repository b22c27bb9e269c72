"""The classroom view: its edition, its Voila set-up and stylesheet, and lessons whose live apps stay as shown.

The view itself is opened in a browser in ``tests/browser/test_classroom_in_browser.py``.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CSS = ROOT / "tools" / "voila" / "templates" / "classroom" / "classroom.css"
#: Methods of an app that only read what it shows.
READ_ONLY = {"snapshot", "snapshot_html"}


def classroom_tool() -> ModuleType:
    sys.path.insert(0, str(ROOT / "tools"))
    spec = importlib.util.spec_from_file_location("classroom_tool", ROOT / "tools" / "classroom.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _root(node: ast.AST) -> str | None:
    """The name an attribute or subscript chain starts from (``a`` in ``a.b["c"].d``)."""
    while isinstance(node, ast.Attribute | ast.Subscript):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _displayed(tree: ast.Module) -> set[str]:
    """Names a cell assigns and then displays as its result (``app = App()`` then ``app``)."""
    assigned = {t.id for s in tree.body if isinstance(s, ast.Assign) for t in s.targets if isinstance(t, ast.Name)}
    last = tree.body[-1] if tree.body else None
    if isinstance(last, ast.Expr):
        value = last.value
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "display":
            value = value.args[0] if value.args else None
        if isinstance(value, ast.Name) and value.id in assigned:
            return {value.id}
    return set()


def _changes(tree: ast.Module, name: str) -> list[str]:
    """What in a cell may change the object `name` (set an attribute, call a method, hand it or a control on)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found += [ast.unparse(t) for t in targets if not isinstance(t, ast.Name) and _root(t) == name]
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and _root(func) == name and func.attr not in READ_ONLY:
                found.append(ast.unparse(node))
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                is_app = isinstance(arg, ast.Name) and arg.id == name
                is_control = isinstance(arg, ast.Attribute) and _root(arg) == name and arg.attr != "html"
                if is_app or is_control:
                    found.append(ast.unparse(node))
    return found


def displayed_apps_changed_later(sources: list[str]) -> list[str]:
    """Return, for cells' code given in order, each later change to an object an earlier cell displayed.

    An app shown by one cell (``explorer = ComparisonExplorer()`` then ``explorer``) must keep the
    state it was shown in: the text around it describes that state, and in the classroom view
    (Voila) every cell runs before the class sees the page.
    """
    shown: dict[str, int] = {}
    problems = []
    for number, source in enumerate(sources):
        tree = ast.parse(source)
        for statement in tree.body:
            for name, where in shown.items():
                changes = _changes(ast.Module(body=[statement], type_ignores=[]), name)
                problems += [f"cell {number} changes {name!r} shown by cell {where}: {c}" for c in changes]
            if isinstance(statement, ast.Assign):  # a name bound anew is another object
                shown = {
                    n: w
                    for n, w in shown.items()
                    if n not in {_root(t) for t in statement.targets if isinstance(t, ast.Name)}
                }
        shown.update(dict.fromkeys(_displayed(tree), number))
    return problems


def code_sources(path: Path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) if c["cell_type"] == "code" else "" for c in cells]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_cell_changes_an_app_shown_above_it(path):
    assert displayed_apps_changed_later(code_sources(path)) == []


@pytest.mark.parametrize(
    "later",
    [
        "timeline.years_control.value = (1922, 1929)\ntimeline.snapshot()",
        'explorer.toggles["trotskyism"].value = False',
        "render_states(explorer, explorer.dimension_control, ['a'])",
        "render_states(other, explorer.dimension_control, ['a'])",
        "explorer._update()",
    ],
)
def test_a_later_cell_changing_a_shown_app_is_reported(later):
    name = "explorer" if "explorer" in later else "timeline"
    problems = displayed_apps_changed_later([f"{name} = App()\n{name}", later])
    assert problems and f"changes {name!r} shown by cell 0" in problems[0]


@pytest.mark.parametrize(
    "later",
    [
        "timeline.snapshot()",
        "HTML(timeline.html)",
        "other = App()\nother.years_control.value = (1922, 1929)\nother.snapshot()",
        "timeline = App(years=(1922, 1929))\ntimeline.years_control.value = (1, 2)",
    ],
)
def test_reading_a_shown_app_or_changing_an_own_instance_is_allowed(later):
    assert displayed_apps_changed_later(["timeline = App()\ntimeline", later]) == []


def test_classroom_edition_holds_the_index_and_every_lesson_and_is_rebuilt_only_when_stale(tmp_path):
    tool = classroom_tool()
    written = tool.build_classroom(out=tmp_path)
    assert [p.name for p in written] == ["index.ipynb", *(p.name for p in NOTEBOOKS)]
    assert tool.build_classroom(out=tmp_path) == []
    (tmp_path / "index.ipynb").write_text("{}", encoding="utf-8")
    assert [p.name for p in tool.build_classroom(out=tmp_path)] == ["index.ipynb"]
    lesson = json.loads((tmp_path / NOTEBOOKS[0].name).read_text(encoding="utf-8"))
    assert lesson["metadata"]["lessons_edition"] == "classroom"
    assert all(c["metadata"]["jupyter"]["source_hidden"] for c in lesson["cells"] if c["cell_type"] == "code")


def test_every_link_between_classroom_pages_points_to_a_page_of_the_course(tmp_path):
    classroom_tool().build_classroom(out=tmp_path)
    pages = {p.name for p in tmp_path.glob("*.ipynb")}
    for page in sorted(pages):
        text = "".join("".join(c["source"]) for c in json.loads((tmp_path / page).read_text(encoding="utf-8"))["cells"])
        links = set(re.findall(r"\]\(([^)#]+\.ipynb)\)", text))
        assert links, f"{page} links to no other page"
        assert links <= pages, f"{page} links to {sorted(links - pages)}, not in the classroom edition"


def test_voila_serves_the_edition_with_the_classroom_template_and_preheated_kernels():
    tool = classroom_tool()
    args = tool.voila_args(port=9999)
    assert args[0] == str(tool.OUT)
    assert {"--port=9999", "--template=classroom", "--strip_sources=True"} <= set(args)
    assert {"--VoilaConfiguration.preheat_kernel=True", "--VoilaConfiguration.default_pool_size=1"} <= set(args)
    assert not any("preheat" in a for a in tool.voila_args(preheat=False))
    assert "--MappingKernelManager.kernel_manager_class=tools._kernels.ClassroomKernelManager" in args
    assert (Path(tool.voila_env({})["JUPYTER_PATH"]) / "voila" / "templates" / "classroom" / "conf.json").exists()


def test_classroom_kernels_save_to_a_fresh_store_unless_one_is_given(tmp_path):
    tool = classroom_tool()
    fresh = Path(tool.voila_env({})["LESSONS_STORE_DIR"])
    assert fresh.is_dir() and not any(fresh.iterdir())
    other = Path(tool.voila_env({})["LESSONS_STORE_DIR"])
    assert other != fresh
    assert tool.voila_env({"LESSONS_STORE_DIR": str(tmp_path)})["LESSONS_STORE_DIR"] == str(tmp_path)
    fresh.rmdir()
    other.rmdir()


def test_port_is_read_in_both_spellings():
    tool = classroom_tool()
    assert tool._port(["--port", "9000", "--x"]) == (9000, ["--x"])
    assert tool._port(["--port=9001"]) == (9001, [])
    assert tool._port([]) == (8866, [])


def test_projector_stylesheet_sets_no_text_below_20_px():
    sizes = re.findall(r"(--jp-[\w-]*font-size[\w-]*|font-size)\s*:\s*([^;]+);", CSS.read_text(encoding="utf-8"))
    assert sizes
    for prop, value in sizes:
        for number in re.findall(r"(\d+(?:\.\d+)?)px", value):
            assert float(number) >= 20, f"{prop}: {value} in {CSS.name} is below the 20 px floor"
