"""Widget apps: setting controls changes the state, the chart and the text the learner sees."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from lessons_lib import apps
from lessons_lib.apps import ClaimChecker, ComparisonExplorer, PolicyExplorer, Quiz, SeriesExplorer, TimelineExplorer
from lessons_lib.data import UnknownNameError, load

CHART_APPS = [TimelineExplorer, PolicyExplorer, SeriesExplorer]


def png(app) -> bytes:
    (output,) = app.out.outputs
    return output["data"]["image/png"]


@pytest.mark.parametrize("factory", CHART_APPS)
def test_chart_app_shows_one_png_with_alt_text(factory):
    app = factory()
    assert len(app.out.outputs) == 1
    data = app.out.outputs[0]["data"]
    assert data["image/png"]
    assert len(data["text/plain"]) > 20


@pytest.mark.parametrize("factory", CHART_APPS + [ComparisonExplorer, Quiz, ClaimChecker])
def test_app_is_itself_a_widget(factory):
    import ipywidgets

    assert isinstance(factory(), ipywidgets.Widget)


@pytest.mark.parametrize("factory", CHART_APPS)
def test_toggling_100_times_keeps_no_pyplot_figures(factory):
    before = plt.get_fignums()
    app = factory()
    control = app.children[0]
    options = [v for _, v in control.options] if hasattr(control, "options") else None
    for i in range(100 if factory is not PolicyExplorer else 20):
        if options:
            control.value = options[i % len(options)]
    assert plt.get_fignums() == before
    factory()
    assert plt.get_fignums() == before


def test_timeline_ideology_toggle_redraws_and_filters():
    app = TimelineExplorer()
    all_events, first = len(app.visible), png(app)
    app.ideology_control.value = "trotskyism"
    assert 0 < len(app.visible) < all_events
    assert all("trotskyism" in ids for ids in app.visible["ideologies"])
    assert png(app) != first
    assert f"{len(app.visible)} events shown" in app.details.value


def test_timeline_year_slider_limits_the_events_listed():
    app = TimelineExplorer()
    app.years_control.value = (1917, 1924)
    assert app.visible["year"].between(1917, 1924).all()
    assert len(app.visible) > 0


def test_timeline_category_and_figure_filters():
    app = TimelineExplorer()
    app.category_control.value = "repression"
    assert set(app.visible["category"]) == {"repression"}
    app.category_control.value = "all"
    app.figure_control.value = "trotsky"
    assert all("trotsky" in f for f in app.visible["figures"])


def test_timeline_empty_selection_says_so():
    app = TimelineExplorer()
    app.years_control.value = (1870, 1870)
    app.category_control.value = "international"
    assert app.visible.empty
    assert "No events match" in app.details.value


def test_timeline_rejects_unknown_ideology_with_suggestion():
    with pytest.raises(Exception, match="stalinism"):
        TimelineExplorer(ideology="stalinsm")


def test_policy_explorer_era_filter_and_details():
    app = PolicyExplorer()
    app.choice_control.value = "lenin"
    assert set(app.visible["era"]) == {"lenin"}
    chosen = app.policy_control.options[-1][1]
    app.policy_control.value = chosen
    name = app.visible.set_index("id").loc[chosen, "name"]
    assert name in app.details.value or name.replace("'", "&#x27;") in app.details.value
    assert "Sources" in app.details.value


def test_policy_explorer_switches_to_ideologies():
    app = PolicyExplorer()
    app.group_control.value = "ideology"
    assert [v for _, v in app.choice_control.options][1:] == ["leninism", "trotskyism", "stalinism"]
    app.choice_control.value = "stalinism"
    assert all("stalinism" in i for i in app.visible["ideologies"])


def test_series_explorer_switches_series_and_ranges():
    app = SeriesExplorer()
    first_title, first = app.title, png(app)
    other = app.series_control.options[-1][1]
    app.series_control.value = other
    assert app.series_id == other
    assert app.title != first_title
    assert png(app) != first
    assert "Caveats" in app.details.value
    before = png(app)
    app.ranges_control.value = not app.ranges_control.value
    app.eras_control.value = not app.eras_control.value
    assert png(app) != before


def test_comparison_toggles_choose_the_columns():
    app = ComparisonExplorer()
    assert app.ideologies == ["leninism", "trotskyism", "stalinism"]
    app.toggles["trotskyism"].value = False
    assert app.ideologies == ["leninism", "stalinism"]
    assert "Trotskyism" not in app.html
    app.dimension_control.value = "peasantry"
    assert app.html.count("<h3>") == 1


def test_comparison_table_view_sources_and_perspectives():
    app = ComparisonExplorer(dimension="revolution_strategy")
    app.view_control.value = "table"
    assert "<table" in app.html
    app.sources_control.value = True
    app.perspectives_control.value = True
    assert "How historians read it" in app.html
    traditions = load("traditions")["name"]
    assert all(t in app.html for t in traditions)


def test_comparison_with_nothing_selected_shows_a_message():
    app = ComparisonExplorer()
    for toggle in app.toggles.values():
        toggle.value = False
    assert "Select at least one ideology" in app.html


def test_comparison_rejects_unknown_ideology():
    with pytest.raises(UnknownNameError, match="did you mean 'stalinism'"):
        ComparisonExplorer(["stalinsm"])


def _answer_of(quiz):
    q = quiz.question
    if q.kind == "multiple_choice":
        return q.answer
    if q.kind == "ordering":
        return q.answer.split("|")
    pairs = dict(p.split("=", 1) for p in q.answer.split("|"))
    return [pairs[o] for o in q.options]


def test_quiz_gives_feedback_and_scores_each_kind():
    for kind in ["multiple_choice", "ordering", "matching"]:
        quiz = Quiz(kinds=[kind])
        quiz.answer(_answer_of(quiz))
        assert quiz.check() is True
        assert "Correct!" in quiz.feedback.value
        assert "Source" in quiz.feedback.value
        assert quiz.score == 1


def test_quiz_wrong_answer_shows_the_right_one():
    quiz = Quiz(kinds=["multiple_choice"])
    wrong = next(o for o in quiz.question.options if o != quiz.question.answer)
    quiz.answer(wrong)
    assert quiz.check() is False
    assert "Not quite." in quiz.feedback.value
    assert quiz.score == 0 and len(quiz.answered) == 1


def test_quiz_matching_choices_and_answer_show_names_not_ids():
    quiz = Quiz(kinds=["matching"])
    while quiz.question.id != "q01_03":  # match each ideology with the figure it is named after
        quiz.next()
    shown = {label for label, value in quiz.choices[0].options if value is not None}
    assert shown == {"Vladimir Lenin", "Leon Trotsky", "Joseph Stalin"}
    quiz.answer(["stalin", "lenin", "trotsky"])
    assert quiz.check() is False
    assert "Leninism: Vladimir Lenin; Trotskyism: Leon Trotsky; Stalinism: Joseph Stalin" in quiz.feedback.value


def test_quiz_incomplete_answer_asks_for_more():
    quiz = Quiz(kinds=["ordering"])
    assert quiz.check() is None
    assert "Answer every part first" in quiz.feedback.value


def test_quiz_next_moves_on_and_wraps():
    quiz = Quiz(limit=2)
    first = quiz.question.id
    quiz.next()
    assert quiz.question.id != first
    quiz.next()
    assert quiz.question.id == first


def test_quiz_for_a_lesson_only_asks_its_questions():
    quiz = Quiz(lessons=5)
    assert set(quiz.questions["lesson"]) == {5}


def test_claim_checker_reveals_verdict_and_correction():
    checker = ClaimChecker()
    claim = checker.claim
    assert checker.judge(str(claim.verdict)) is True
    assert "You agree with the course&#x27;s verdict" in checker.feedback.value
    checker.next()
    wrong = next(v for v in checker.verdicts if v != str(checker.claim.verdict))
    assert checker.judge(wrong) is False
    assert checker.score == 1 and len(checker.judged) == 2


def test_claim_checker_button_click_judges():
    checker = ClaimChecker()
    checker.buttons[0].click()
    assert checker.feedback.value


def test_claim_checker_rejects_unknown_article():
    with pytest.raises(UnknownNameError, match="did you mean"):
        ClaimChecker(article="trotskyism_vs_stalinsm")


HOSTILE = "<script>alert(1)</script><b>x</b> "
HOSTILE_COLUMNS = ("explanation", "description", "correction", "counts", "prompt", "reading")


@pytest.fixture
def hostile_data(data_copy, monkeypatch):
    """Point the library at a copy of the data whose long text columns all start with markup."""
    import csv

    from lessons_lib import _paths, data

    for path in data_copy.glob("*.csv"):
        rows = list(csv.reader(path.open(encoding="utf-8")))
        cols = [i for i, name in enumerate(rows[0]) if name in HOSTILE_COLUMNS]
        for row in rows[1:]:
            for i in cols:
                row[i] = HOSTILE + row[i]
        with path.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh, lineterminator="\n").writerows(rows)
    monkeypatch.setattr(_paths, "data_dir", lambda: data_copy)
    data.clear_cache()
    yield
    data.clear_cache()


@pytest.mark.parametrize(
    "make,text",
    [
        (lambda: ComparisonExplorer(), lambda a: a.html),
        (lambda: TimelineExplorer(), lambda a: a.details.value),
        (lambda: PolicyExplorer(), lambda a: a.details.value),
        (lambda: SeriesExplorer(), lambda a: a.details.value),
        (lambda: ClaimChecker(), lambda a: (a.judge("false"), a.feedback.value)[1]),
        (lambda: Quiz(kinds=["multiple_choice"]), lambda a: a.prompt.value),
    ],
)
def test_text_from_the_data_is_escaped(hostile_data, make, text):
    shown = text(make())
    assert "&lt;script&gt;" in shown
    assert "<script>" not in shown


def test_render_states_shows_every_state():
    app = TimelineExplorer()
    page = apps.render_states(app, app.ideology_control, ["leninism", "stalinism"])
    assert page.data.count("<img") == 2
    assert "Leninism" in page.data and "Stalinism" in page.data
    assert app.ideology_control.value == "all"


def test_snapshot_is_the_current_image():
    app = SeriesExplorer()
    assert app.snapshot().png == bytes(__import__("base64").b64decode(png(app)))


def test_visible_events_are_a_dataframe():
    assert isinstance(TimelineExplorer().visible, pd.DataFrame)


def test_revisiting_a_state_reuses_its_image_and_the_cache_is_bounded():
    app = TimelineExplorer()
    first = app.snapshot()
    app.ideology_control.value = "leninism"
    assert app.snapshot() is not first
    app.ideology_control.value = "all"
    assert app.snapshot() is first
    app.cache_size = 4
    for year in range(1880, 1880 + 2 * app.cache_size):
        app.years_control.value = (1870, year)
    assert len(app._cache) == app.cache_size


def test_comparison_explorer_reuses_the_page_of_a_state_seen_before_and_keeps_few():
    app = ComparisonExplorer()
    first = app.html
    app.toggles["trotskyism"].value = False
    assert app.html != first
    app.toggles["trotskyism"].value = True
    assert app.html is first
    app.cache_size = 3
    for dimension in list(load("dimensions")["id"])[:6]:
        app.dimension_control.value = dimension
    assert len(app._pages) == 3


def test_chart_title_follows_the_state():
    app = SeriesExplorer(series_id="gdp_per_capita")
    gdp = app.title
    app.series_control.value = "death_sentences"
    assert app.title != gdp
    app.series_control.value = "gdp_per_capita"
    assert app.title == gdp


def test_render_states_works_for_the_comparison_explorer():
    app = ComparisonExplorer()
    page = apps.render_states(app, app.dimension_control, ["peasantry", "bureaucracy"])
    assert page.data.count("<h3>") == 2
    assert app.dimension == "all"
