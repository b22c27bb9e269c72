"""The web edition: kernel-free toggles, self-check forms and answer boxes (lessons_lib.static),
render_states, and the website's sources (tools/website.py) without running Sphinx.

The pages themselves are built and clicked in tests/browser/test_site_in_browser.py.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from lessons_lib import apps, load, self_check
from lessons_lib.static import answer_html, quiz_html, toggle_html

ROOT = Path(__file__).resolve().parents[1]

STATES = [("All", "<p>all events</p>"), ("Leninism", "<p>Lenin's events</p>"), ("Stalinism", "<p>Stalin's</p>")]


def _site_tool():
    """tools/website.py, loaded by path like the other tools (tools/ is not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("course_site", ROOT / "tools" / "website.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Visible(HTMLParser):
    """Collect the text and the inputs a reader sees when every <style> is stripped (inline styles kept)."""

    VOID = {"input", "img", "br", "hr", "meta", "link", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []  # hidden, per open element
        self.in_style = False
        self.text: list[str] = []
        self.visible_inputs = 0
        self.hidden_inputs = 0

    def handle_starttag(self, tag, attrs):
        style = (dict(attrs).get("style") or "").replace(" ", "")
        hidden = (bool(self.stack) and self.stack[-1]) or "display:none" in style
        if tag == "style":
            self.in_style = True
        if tag in ("input", "select"):
            if hidden:
                self.hidden_inputs += 1
            else:
                self.visible_inputs += 1
        if tag not in self.VOID:
            self.stack.append(hidden)

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not self.in_style and not (self.stack and self.stack[-1]) and data.strip():
            self.text.append(data.strip())


def _unstyled(page: str) -> _Visible:
    seen = _Visible()
    seen.feed(page)
    return seen


# --- toggle_html -----------------------------------------------------------------------------


def test_toggle_is_deterministic():
    assert toggle_html(STATES, legend="Ideology") == toggle_html(list(STATES), legend="Ideology")


def test_toggle_names_differ_between_toggles_with_different_content():
    first = re.search(r"name='([^']+)'", toggle_html(STATES)).group(1)
    other = re.search(r"name='([^']+)'", toggle_html([*STATES[:2], ("Trotskyism", "<p>T</p>")])).group(1)
    assert first != other


def test_toggle_name_ignores_the_bytes_of_inline_images():
    # nbval compares inline PNGs by its own rules (tests/sanitize.cfg): the name must not depend on them
    one = toggle_html([("A", '<img src="data:image/png;base64,AAAA" alt="x">'), ("B", "<p>b</p>")])
    two = toggle_html([("A", '<img src="data:image/png;base64,BBBB" alt="x">'), ("B", "<p>b</p>")])
    name = re.compile(r"name='([^']+)'")
    assert name.findall(one) == name.findall(two)


def test_toggle_has_one_button_and_one_pane_per_state():
    page = toggle_html(STATES, legend="Ideology")
    assert page.count("type='radio'") == len(STATES)
    assert page.count("class='lt-pane'") == len(STATES)
    for i in range(1, len(STATES) + 1):  # one CSS rule shows pane i when button i is checked
        assert f"label:nth-of-type({i})>input:checked)>.lt-panes>.lt-pane:nth-child({i})" in page
    assert page.count(" checked>") == 1


def test_toggle_is_its_own_form_so_radio_groups_never_mix():
    page = toggle_html(STATES)
    assert page.startswith("<form class='lessons-toggle'") and page.endswith("</form>")
    assert len(set(re.findall(r"name='([^']+)'", page))) == 1


def test_toggle_opens_on_the_selected_state():
    page = toggle_html(STATES, selected=2)
    assert "value='2' checked>" in page and "value='0' checked" not in page


def test_toggle_escapes_labels_and_legend():
    page = toggle_html([("<b>A & B</b>", "<p>x</p>"), ("C'", "<p>y</p>")], legend="<script>")
    assert "<b>A" not in page and "&lt;b&gt;A &amp; B&lt;/b&gt;" in page
    assert "C&#x27;" in page and "<script>" not in page


def test_toggle_falls_back_to_stacked_labelled_states_without_styles():
    seen = _unstyled(toggle_html(STATES, legend="Ideology"))
    assert seen.visible_inputs == 0 and seen.hidden_inputs == len(STATES)  # the buttons stay hidden
    assert seen.text == ["All", "all events", "Leninism", "Lenin's events", "Stalinism", "Stalin's"]


def test_toggle_rejects_no_states_and_a_bad_selection():
    with pytest.raises(ValueError, match="at least one state"):
        toggle_html([])
    with pytest.raises(ValueError, match="selected=3 is not a state; there are 3"):
        toggle_html(STATES, selected=3)


# --- render_states ---------------------------------------------------------------------------


def test_render_states_emits_a_toggle_of_the_apps_images_and_restores_the_control():
    app = apps.TimelineExplorer(years=(1917, 1929))
    page = apps.render_states(app, app.ideology_control, ["all", "leninism", "stalinism"]).data
    assert page.startswith("<form class='lessons-toggle'")
    assert page.count("class='lt-pane'") == 3 and page.count("<img") == 3
    assert ">Leninism</label>" in page and "<h4 class='lt-h'>Stalinism</h4>" in page
    assert "value='0' checked" in page  # opens on the state the app had
    assert app.ideology_control.value == "all"
    assert page == apps.render_states(app, app.ideology_control, ["all", "leninism", "stalinism"]).data


def test_render_states_takes_labels_and_checks_their_number():
    app = apps.ComparisonExplorer(dimension="peasantry")
    page = apps.render_states(app, app.toggles["trotskyism"], [True, False], labels=["All three", "No Trotskyism"])
    assert ">All three</label>" in page.data and ">No Trotskyism</label>" in page.data
    assert app.toggles["trotskyism"].value is True
    with pytest.raises(ValueError, match="1 labels for 2 values"):
        apps.render_states(app, app.toggles["trotskyism"], [True, False], labels=["one"])


# --- quiz_html / self_check ------------------------------------------------------------------


def _bank(lesson: int):
    questions = load("questions")
    return questions[questions["lesson"] == lesson]


def test_quiz_marks_exactly_the_right_choice_of_a_multiple_choice_question():
    q = _bank(1)[_bank(1)["kind"] == "multiple_choice"].head(1)
    page = quiz_html(q)
    row = q.iloc[0]
    assert page.count("class='ok'") == 1 and page.count("class='no'") == len(row.options) - 1
    assert f"value='{row.answer}' class='ok'" in page


def test_quiz_gives_ordering_and_matching_questions_one_select_per_part():
    bank = load("questions")
    for kind in ("ordering", "matching"):
        q = bank[bank["kind"] == kind].head(1)
        page = quiz_html(q)
        parts = len(q.iloc[0].answer.split("|"))
        assert page.count("<select") == parts
        assert page.count("class='ok'") == parts  # one right option in each select
        assert page.count("class='none' selected") == parts


def test_quiz_shows_verdict_explanation_and_source_only_through_css():
    page = quiz_html(_bank(2))
    seen = _unstyled(page)
    assert "Correct!" not in seen.text and "Not quite." not in seen.text
    for q in _bank(2).itertuples():  # the fallback keeps every answer folded under "Show the answer"
        assert q.explanation.replace("'", "&#x27;") in page
    assert page.count("<summary>Show the answer</summary>") == len(_bank(2))
    assert ".lq-form:has(.no:checked) .lq-wrong" in page


def test_quiz_form_names_are_deterministic_and_unique_per_question():
    page = quiz_html(_bank(5))
    names = re.findall(r"<input type='radio' name='([^']+)'", page)
    assert names and page == quiz_html(_bank(5))
    assert len(set(names)) == (_bank(5)["kind"] == "multiple_choice").sum()


def test_self_check_is_the_kernel_free_quiz():
    assert self_check(3).data == quiz_html(_bank(3))


def test_quiz_escapes_question_text():
    q = _bank(1).head(1).copy()
    q["prompt"] = ["<img src=x onerror=alert(1)>"]
    assert "<img src=x" not in quiz_html(q) and "&lt;img src=x" in quiz_html(q)


# --- answer_html -----------------------------------------------------------------------------


def test_answer_box_is_a_text_area_keyed_by_the_prompt_with_the_strong_answer_folded():
    page = answer_html("l02_central", "<p>Why?</p>", "<p>Strong</p>", placeholder="Write <here>")
    assert "data-answer='l02_central'" in page and "<textarea name='l02_central'" in page
    assert "<details><summary>What a strong answer includes</summary><p>Strong</p></details>" in page
    assert "placeholder='Write &lt;here&gt;'" in page
    assert "<script" not in page  # the website's own script adds saving; the page never carries any


# --- tools/website.py ---------------------------------------------------------------------------


def _widget_cell(cell_id: str, plain: str, html_form: str | None = None) -> dict:
    data = {"application/vnd.jupyter.widget-view+json": {"model_id": "x", "version_major": 2, "version_minor": 0},
            "text/plain": plain}  # fmt: skip
    if html_form is not None:
        data["text/html"] = html_form
    output = {"output_type": "execute_result", "metadata": {}, "data": data}
    return {"cell_type": "code", "id": cell_id, "metadata": {}, "source": "app", "outputs": [output]}


def _html_cell(cell_id: str, page: str) -> dict:
    output = {"output_type": "display_data", "metadata": {}, "data": {"text/html": page, "text/plain": "<HTML>"}}
    return {"cell_type": "code", "id": cell_id, "metadata": {}, "source": "app.snapshot()", "outputs": [output]}


def _md(cell_id: str, text: str, tags=()) -> dict:
    return {"cell_type": "markdown", "id": cell_id, "metadata": {"tags": list(tags)} if tags else {}, "source": text}


def test_site_drops_widget_placeholders_beside_a_static_view_and_notes_the_others():
    site = _site_tool()
    nb = {
        "cells": [
            _widget_cell("a", "<TimelineExplorer: 33 events. Run the notebook to use the controls.>"),
            _md("note", "*Static version* (the explorer's first view):"),
            _html_cell("snap", "<p>first view</p>"),
            _widget_cell("b", "box", "<form>kernel-free</form>"),
            _md("c", "notes", tags=["teacher"]),
            _widget_cell("d", "<Quiz: 9 questions. Run it.>"),
        ],
        "metadata": {},
    }
    out = site.for_site(nb)
    assert [c["id"] for c in out["cells"]] == ["a", "note", "snap", "b", "d"]  # the student edition
    first, _, snap, box, last = out["cells"]
    assert first["outputs"] == []  # a placeholder beside its static companion goes
    assert snap["outputs"][0]["data"]["text/html"] == "<p>first view</p>"
    assert box["outputs"][0]["data"]["text/html"] == "<form>kernel-free</form>"
    assert site.WIDGET not in box["outputs"][0]["data"]
    note = last["outputs"][0]["data"]["text/html"]  # no companion: the app's own line stays, escaped
    assert "Quiz: 9 questions. Run it." in note and "&lt;" not in note
    assert out["cells"][1]["source"] == "The explorer's first view:"


def test_site_note_turns_static_version_labels_into_captions():
    site = _site_tool()
    assert site.site_note("*Static version*:") == ""
    assert site.site_note("*Static version*: five claims (with sources):") == "Five claims (with sources):"
    assert (
        site.site_note("*Static version* (the view (1917) as it opens). More:") == "The view (1917) as it opens. More:"
    )
    card = "*Static version* (a blank card to print or copy; the document is in the pack above):"
    assert site.site_note(card).startswith("The card: type in it here")
    assert site.site_note("Plain *Static version* text") == "Plain *Static version* text"


def test_no_lesson_page_shows_code_placeholders_or_static_version_labels(tmp_path):
    site = _site_tool()
    site.prepare(tmp_path)
    conf = (ROOT / "docs" / "site" / "conf.py").read_text()
    assert "nb_remove_code_source = True" in conf  # the site shows outputs, never code
    for path in sorted(tmp_path.glob("[0-9][0-9]_*.ipynb")):
        text = path.read_text()
        assert "Needs a running notebook" not in text, path.name  # every placeholder has its static view
        assert "*Static version*" not in text, path.name


def test_site_footer_licence_matches_license_content():
    conf = (ROOT / "docs" / "site" / "conf.py").read_text()
    licence = (ROOT / "LICENSE-CONTENT.md").read_text()
    assert "(CC BY 4.0)" in licence and "CC BY-SA" not in licence
    assert "CC BY 4.0" in conf and "BY-SA" not in conf
    assert "documents and extracts under their own terms" in conf  # LICENSE-CONTENT.md: documents are not CC BY


def test_site_task_forms_become_fields_the_browser_keeps(tmp_path):
    from lessons_lib import SourcingCard, Store
    from lessons_lib.apps import ArrangeEvents, ClaimChecker, WeighFactors

    site = _site_tool()
    store = Store(tmp_path)
    card = site._fill_in(SourcingCard("gapon_workers_petition_1905", lesson=2, store=store).snapshot_html())
    assert card.count("<textarea") == 7 and "data-keep='card:gapon_workers_petition_1905:author'" in card
    assert "min-width:28em" not in card  # the prompt column is no longer squeezed
    compare = card[card.index("<details class='site-compare'>") :]  # after the reader's card, folded
    assert card.index("<textarea") < card.index("site-compare") and "the editors' card" in compare
    assert "the Tsar for justice" in compare and compare.count("<tr>") == 7
    order = site._fill_in(ArrangeEvents(years=(1922, 1929), n=6, seed=4, store=store).snapshot_html())
    assert order.count("<select") == 6 and order.count("<option>F</option>") == 6
    assert "open the order below to check" in order and "<details><summary>The order, with dates" in order
    weigh = site._fill_in(WeighFactors(store=store).snapshot_html())
    assert weigh.count("<select") == weigh.count("<tr>") - 1 and "<option>4</option>" in weigh
    checker = ClaimChecker(store=store)
    claims = site._fill_in(checker.snapshot_html())
    assert claims.count("<select") == len(checker.claims) == claims.count("<input type='text'")
    assert f"Claim {len(checker.claims)} of {len(checker.claims)}" in claims
    keys = re.findall(r"data-keep='([^']+)'", card + order + weigh + claims)
    assert len(keys) == len(set(keys))
    assert site._fill_in("<p>other</p>") == "<p>other</p>"
    js = (ROOT / "docs" / "site" / "_static" / "answers.js").read_text()
    assert "[data-keep]" in js and "localStorage" in js


def test_site_images_carry_their_text_description_as_alt_text():
    site = _site_tool()
    image = {"output_type": "display_data", "metadata": {},
             "data": {"image/png": "iVBORw0KGgo=", "text/plain": "Shares of  workers, 1928 and 1989 <&>"}}  # fmt: skip
    cell = {"cell_type": "code", "id": "a", "metadata": {}, "source": "chart()", "outputs": [image]}
    out = site.for_site({"cells": [cell], "metadata": {}})["cells"][0]
    assert out["metadata"]["mystnb"]["image"]["alt"] == "Shares of workers, 1928 and 1989 <&>"
    shown = out["outputs"][1]["data"]["text/html"]
    assert "<summary>Text description</summary>" in shown and "1928 and 1989 &lt;&amp;&gt;" in shown
    nb = json.loads((ROOT / "notebooks" / "05_economy.ipynb").read_text())
    charts = [c for c in site.for_site(nb)["cells"] if "mystnb" in c.get("metadata", {})]
    assert charts and all(c["metadata"]["mystnb"]["image"]["alt"] for c in charts)


def test_lesson_links_into_docs_point_at_the_sites_teacher_pages(tmp_path):
    site = _site_tool()
    assert site.site_links("See the [teacher guide](../docs/teacher_guide.md).") == (
        "See the [teacher guide](teacher/guide.md)."
    )
    assert site.site_links("[run](../docs/teacher/running_a_lesson.md)") == "[run](teacher/running_a_lesson.md)"
    site.teacher_pages(tmp_path)
    assert (tmp_path / "teacher" / "exam_questions.md").exists()  # the guide links it beside itself
    for page in (tmp_path / "teacher").glob("*.md"):
        for target in re.findall(r"\]\(([^)#:]+\.md)\)", page.read_text()):
            assert (page.parent / target).exists(), (page.name, target)


def test_site_sources_have_every_lesson_the_reference_pages_and_the_teacher_section(tmp_path):
    site = _site_tool()
    pages = site.prepare(tmp_path)
    lessons = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert pages == ["index", *lessons, "glossary", "bibliography", "teacher/index"]
    home = json.loads((tmp_path / "index.ipynb").read_text())
    toc = "".join(home["cells"][-1]["source"])
    assert all(lesson in toc for lesson in lessons) and "teacher/index" in toc and "glossary" in toc
    assert (tmp_path / "teacher" / "guide.md").read_text() == (ROOT / "docs" / "teacher_guide.md").read_text()
    for lesson in lessons:
        nb = json.loads((tmp_path / f"{lesson}.ipynb").read_text())
        tags = {t for c in nb["cells"] for t in c.get("metadata", {}).get("tags", [])}
        assert "teacher" not in tags


def test_glossary_and_bibliography_pages_list_every_row_escaped():
    site = _site_tool()
    glossary, bibliography = site.glossary_page(), site.bibliography_page()
    for term in load("glossary")["term"]:
        assert site.md_escape(term) in glossary
    assert bibliography.count("\n- ") == len(load("sources"))
    assert site.md_escape("a*b_[c](d)") == r"a\*b\_\[c\]\(d\)"


def test_an_answer_box_carries_its_kernel_free_form_beside_the_widget_view(tmp_path):
    from lessons_lib import Answer, Store

    box = Answer("l02_central", store=Store(tmp_path))
    bundle = box._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/html"].startswith("<form class='lessons-answer-static' data-answer='l02_central'>")
    assert "What a strong answer includes" in bundle["text/html"]


def test_chart_apps_store_no_kernel_free_html_in_their_widget_output():
    bundle = apps.TimelineExplorer(years=(1917, 1929))._repr_mimebundle_()
    assert "text/html" not in bundle and "application/vnd.jupyter.widget-view+json" in bundle
