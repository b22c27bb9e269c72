"""Text from the data reaches the learner escaped: markup written into every free-text column of a copy
of ``data/`` never appears as markup in any HTML an app or a lesson helper shows.

Widget labels (button and toggle descriptions, menu entries, tooltips) are drawn as text by
ipywidgets and a chart's alt text is plain text in its ``text/plain`` form; what is HTML is the
value of every ``HTML`` widget, each app's ``snapshot_html()``, ``render_states`` pages, the lesson
helpers and ``ChartImage.to_html()`` (the alt text in an attribute). Those are what is checked here.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import ipywidgets as widgets
import pytest
from support import DATA

from lessons_lib import _paths, charts, data
from lessons_lib.apps import (
    ArrangeEvents,
    ClaimChecker,
    ComparisonExplorer,
    PolicyExplorer,
    Quiz,
    SeriesExplorer,
    TimelineExplorer,
    WeighFactors,
    render_states,
)
from lessons_lib.html import comparison_html
from lessons_lib.lesson import bibliography, chart, glossary, self_check, table, who_is_who
from lessons_lib.store import Store
from lessons_lib.work import Answer, SourcingCard

HOSTILE = "<img src=x onerror=alert(1)><b>bold</b> "
RAW = ("<img src=x", "<b>bold</b>")  # what must never reach the page unescaped
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;&lt;b&gt;bold&lt;/b&gt;"
# Strings that are keys rather than text, although the descriptor gives them no enum, pattern or key:
ID_LIKE = {
    ("observations", "category"),  # sub-series ids ('all', 'cattle'), made readable by the chart
    ("observations", "variant"),  # variant ids ('target', 'result', an author's id)
    ("questions", "answer"),  # an option, ids in order, or id=value pairs (multiple choice: see below)
    ("questions", "ref_field"),  # a column name
}


def _names(fields: str | list[str]) -> list[str]:
    return [fields] if isinstance(fields, str) else list(fields)


def _keys(resource: dict) -> set[str]:
    """Columns that name rows: foreign keys, and a primary key of one column (one of several may be text)."""
    schema = resource["schema"]
    keys = {name for fk in schema.get("foreignKeys", []) for name in _names(fk["fields"])}
    primary = _names(schema.get("primaryKey", []))
    return keys | (set(primary) if len(primary) == 1 else set())


def free_text_fields(resource: dict) -> list[str]:
    """The string columns of a table that hold text: no enum, pattern, categories or key of any kind."""
    return [
        f["name"]
        for f in resource["schema"]["fields"]
        if f["type"] == "string"
        and not {"enum", "pattern"} & set(f.get("constraints", {}))
        and "categories" not in f
        and f["name"] not in _keys(resource)
        and (resource["name"], f["name"]) not in ID_LIKE
    ]


def patterned_fields(resource: dict) -> dict[str, str]:
    """String columns with a pattern that is not a key (e.g. ``sources.url``): column -> pattern."""
    return {
        f["name"]: f["constraints"]["pattern"]
        for f in resource["schema"]["fields"]
        if f["type"] == "string" and "pattern" in f.get("constraints", {}) and f["name"] not in _keys(resource)
    }


def write_hostile_copy(folder: Path) -> dict[str, list[str]]:
    """Write markup into every text cell of the copy in `folder`; return the columns changed, by table.

    A free-text cell gets the markup in front. A cell whose column has a pattern gets ``<b>bold</b>``
    appended where the pattern still holds (``https://...<b>bold</b>`` is a valid ``url``), so the
    pattern is the only protection tested away. The options and answer of multiple-choice questions
    are text too and get the same prefix, so the answer is still one of the options. Length limits in
    the copy's descriptor grow by the prefix.
    """
    path = folder / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    changed = {}
    for resource in descriptor["resources"]:
        columns = free_text_fields(resource)
        for field in resource["schema"]["fields"]:
            limits = field.get("constraints", {})
            if field["name"] in columns and "maxLength" in limits:
                limits["maxLength"] += len(HOSTILE)
        for rule in resource.get("x-rules", []):
            if rule["rule"] == "max_words":
                rule["max"] += len(HOSTILE.split())
        table = folder / resource["path"]
        with table.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        patterned = set()
        for row in rows:
            for column in columns:
                if row[column]:
                    row[column] = HOSTILE + row[column]
            for column, pattern in patterned_fields(resource).items():
                if row[column] and re.fullmatch(pattern, row[column] + RAW[1]):
                    row[column] += RAW[1]
                    patterned.add(column)
            if resource["name"] == "questions" and row["kind"] == "multiple_choice":
                row["options"] = "|".join(HOSTILE + o for o in row["options"].split("|"))
                row["answer"] = HOSTILE + row["answer"]
        with table.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        changed[resource["name"]] = columns + sorted(patterned)
    path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    return changed


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """Point the library at a copy of the data with markup in every free-text column."""
    folder = Path(shutil.copytree(DATA, tmp_path_factory.mktemp("hostile") / "data"))
    changed = write_hostile_copy(folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_paths, "data_dir", lambda: folder)
        data.clear_cache()
        yield changed
    data.clear_cache()


def html_shown(app: widgets.Widget) -> list[str]:
    """Every piece of HTML the app shows now: its HTML widgets (at any depth) and its snapshot."""
    found, todo = [], [app]
    while todo:
        widget = todo.pop()
        if isinstance(widget, widgets.HTML | widgets.HTMLMath):
            found.append(widget.value)
        todo.extend(getattr(widget, "children", ()))
    return [*found, app.snapshot_html()]


def assert_escaped(pages: list[str]) -> None:
    page = "\n".join(pages)
    assert ESCAPED in page, "the markup from the data did not reach this page at all"
    for raw in RAW:
        assert raw not in page, f"unescaped {raw!r} near: {page[max(0, page.find(raw) - 200) : page.find(raw) + 80]!r}"


def test_every_table_has_markup_in_each_of_its_text_columns(hostile):
    assert sum(len(c) for c in hostile.values()) >= 40
    assert "url" in hostile["sources"]  # a descriptor change that hides text columns shows here
    for name, columns in hostile.items():
        table = data.load(name)
        for column in columns:
            assert table[column].astype(str).str.contains(RAW[1], regex=False).any(), f"{name}.{column}"


def test_comparison_explorer_escapes_cards_tables_sources_and_readings(hostile):
    app = ComparisonExplorer()
    pages = []
    for view in ("cards", "table"):
        for sources in (False, True):
            for readings in (False, True):
                with app.hold_trait_notifications():
                    app.view_control.value, app.sources_control.value = view, sources
                    app.perspectives_control.value = readings
                app._update()
                pages += html_shown(app)
    dimensions = [v for _, v in app.dimension_control.options][1:3]
    pages.append(render_states(app, app.dimension_control, dimensions).data)
    assert_escaped(pages)


def test_comparison_prediction_escapes_the_hidden_card_the_readings_and_the_learners_prediction(hostile, tmp_path):
    pages = []
    for ideology in data.load("ideologies")["id"]:
        app = ComparisonExplorer(dimension="peasantry", predict=ideology, store=Store(tmp_path))
        pages += html_shown(app)  # hidden, with the static fold
        app.choice_control.value = app.choice_control.options[0][1]
        app.text_control.value = HOSTILE + "My prediction."
        app.reveal()
        pages += html_shown(app)
    assert_escaped(pages)


def test_arrange_events_escapes_the_events_their_dates_descriptions_and_sources(hostile, tmp_path):
    task = ArrangeEvents(store=Store(tmp_path))
    pages = html_shown(task)
    for order in (task.correct[::-1], task.correct):
        for slot, event in zip(task.slots, order, strict=True):
            slot.value = event
        task.check()
        pages += html_shown(task)
    assert_escaped(pages)


def test_weigh_factors_escapes_the_explanations_and_every_historians_note(hostile, tmp_path):
    task = WeighFactors(store=Store(tmp_path))
    pages = html_shown(task)
    task.sliders[next(iter(task.sliders))].value = 4
    task.compare()
    pages += html_shown(task)
    assert_escaped(pages)


def test_timeline_explorer_escapes_the_event_list_and_the_alt_text(hostile):
    app = TimelineExplorer()
    pages = html_shown(app)  # every event is listed at the start
    for category in [v for _, v in app.category_control.options][1:]:
        app.category_control.value = category
        pages += html_shown(app)
    app.category_control.value = "all"
    app.figure_control.value = app.figure_control.options[1][1]  # one lane per figure
    pages += html_shown(app)
    pages.append(render_states(app, app.ideology_control, [v for _, v in app.ideology_control.options]).data)
    assert_escaped(pages)


def test_policy_explorer_escapes_the_details_of_every_policy(hostile):
    app = PolicyExplorer()
    pages = []
    for group in ("era", "ideology"):
        app.group_control.value = group
        for choice in [v for _, v in app.choice_control.options]:
            app.choice_control.value = choice
            for _, policy in app.policy_control.options:
                app.policy_control.value = policy
                pages += html_shown(app)
    assert_escaped(pages)


def test_series_explorer_escapes_what_each_series_counts_and_its_caveats(hostile):
    app = SeriesExplorer()
    pages = []
    for _, series in app.series_control.options:
        app.series_control.value = series
        pages += html_shown(app)
    assert_escaped(pages)


def _wrong_and_right(question) -> tuple[list[str], list[str]]:
    if question.kind == "multiple_choice":
        return [next(o for o in question.options if o != question.answer)], [question.answer]
    if question.kind == "ordering":
        right = question.answer.split("|")
        return right[::-1], right
    pairs = dict(p.split("=", 1) for p in question.answer.split("|"))
    right = [pairs[o] for o in question.options]
    return right[1:] + right[:1], right


def test_quiz_escapes_every_question_its_choices_and_its_feedback(hostile):
    quiz = Quiz()
    pages = []
    for _ in range(len(quiz.questions)):
        pages += html_shown(quiz)
        quiz.check()  # nothing chosen yet
        for response in _wrong_and_right(quiz.question):
            quiz.answer(response if len(response) > 1 else response[0])
            quiz.check()
            pages += html_shown(quiz)
        quiz.next()
    assert_escaped(pages)


def test_claim_checker_escapes_every_claim_its_article_the_judgement_and_the_learners_reason(hostile, tmp_path):
    checker = ClaimChecker(store=Store(tmp_path))
    pages = []
    for article in [v for _, v in checker.article_control.options]:
        checker.article_control.value = article
        for _ in range(len(checker.claims)):
            pages += html_shown(checker)
            for verdict in checker.verdicts:
                checker.judge(verdict, HOSTILE + "My reason.")
                pages += html_shown(checker)
            checker.next()
    assert_escaped(pages)


def test_lesson_helpers_escape_glossary_sources_self_checks_and_who_is_who(hostile):
    pages = [
        glossary(data.load("glossary")["id"]).data,
        bibliography(data.load("sources")["id"]).data,
        who_is_who().data,
        *(self_check(lesson, limit=100).data for lesson in sorted(set(data.load("questions")["lesson"]))),
        comparison_html(show_sources=True),
        *(table(data.load(name)).data for name in data.dataset_names()),
    ]
    assert_escaped(pages)


def test_sourcing_cards_escape_each_document_in_both_versions_and_the_editors_card(hostile, tmp_path):
    pages = []
    for doc in data.load("documents").itertuples():
        if not len(doc.lessons):
            continue  # no lesson shows it, so it has no card
        card = SourcingCard(doc.id, store=Store(tmp_path))
        for version in [v for _, v in card.version.options]:
            card.version.value = version
            pages += html_shown(card)
        for box in card.inputs.values():
            box.value = HOSTILE + "My note."  # what a learner types is shown escaped too
        card.submit()
        pages += html_shown(card)
    assert_escaped(pages)


def test_answers_escape_each_prompt_and_what_a_strong_answer_includes(hostile, tmp_path):
    pages = []
    documents = list(data.load("documents")["id"])
    for prompt_id in data.load("prompts")["id"]:
        answer = Answer(prompt_id, store=Store(tmp_path))
        answer.box.value = f"{HOSTILE}Stalin won because of the apparatus [{documents[0]}] [not_a_document]."
        answer.reveal()
        pages += html_shown(answer)
    assert_escaped(pages)


@pytest.mark.parametrize(
    "plot,kwargs",
    [
        (charts.plot_timeline, {}),
        (charts.plot_timeline, {"lanes": "figure", "figures": ["trotsky", "stalin"], "years": (1917, 1940)}),
        (charts.plot_policies, {}),
        (charts.plot_comparison, {}),
        (charts.plot_lifelines, {}),
        *((charts.plot_series, {"series_id": s}) for s in data.load("series")["id"]),
    ],
    ids=lambda v: v.__name__ if callable(v) else "-".join(str(x) for x in v.values()) or "default",
)
def test_a_lesson_chart_puts_its_alt_text_into_html_escaped(hostile, plot, kwargs):
    image = chart(plot, **kwargs)
    assert HOSTILE.strip() in image.alt  # the alt text names things from the data
    assert_escaped([image.to_html()])
