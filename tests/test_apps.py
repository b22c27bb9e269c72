"""Widget apps: setting controls changes the state, the chart and the text the learner sees."""

from __future__ import annotations

import html
import logging

import matplotlib.pyplot as plt
import pytest

from lessons_lib import apps, query
from lessons_lib.apps import (
    ArrangeEvents,
    ClaimChecker,
    ComparisonExplorer,
    PolicyExplorer,
    Quiz,
    SeriesExplorer,
    TimelineExplorer,
)
from lessons_lib.data import UnknownNameError, descriptor, load

CHART_APPS = [TimelineExplorer, PolicyExplorer, SeriesExplorer]
NAME = lambda factory: factory.__name__  # noqa: E731 (test ids)


def png(app) -> bytes:
    return bytes(app.picture.value)  # the Image keeps a memoryview of the PNG


@pytest.mark.parametrize("factory", CHART_APPS, ids=NAME)
def test_chart_app_shows_one_png_with_alt_text_as_the_images_accessible_name(factory):
    app = factory()
    assert png(app).startswith(b"\x89PNG") and app.picture.format == "png"
    assert png(app) == app.image.png
    assert app.picture.tooltip == app.image.alt and len(app.image.alt) > 20
    state = app.picture.get_state()
    assert state["description"] == ""  # the front end shows the tooltip (the title) only then
    assert (state["width"], state["height"]) == tuple(str(n) for n in app.canvas.get_width_height())
    assert "lessons-chart-image" in app.picture._dom_classes


def _record_sends(widgets) -> list[tuple[str, set]]:
    """Record each state message the widgets send (the widget's class and the names it carries)."""
    sent = []
    for widget in widgets:
        original = widget._send
        widget._send = lambda msg, buffers=None, widget=widget, original=original: (
            sent.append((type(widget).__name__, set(msg["state"]) | {path[0] for path in msg["buffer_paths"]})),
            original(msg, buffers=buffers),
        )
    return sent


@pytest.mark.parametrize("factory", CHART_APPS, ids=NAME)
def test_chart_app_sends_the_new_image_in_one_message_before_its_text_panel(factory):
    """Click to pixels: one Image message per redraw (the PNG and its alt text), chart before the panel."""
    app = factory()
    sent = _record_sends([app.picture, app.details])
    control, value = {TimelineExplorer: ("ideology_control", "stalinism"), PolicyExplorer: ("category_control", "economy"),
                      SeriesExplorer: ("series_control", "grain_harvest")}[factory]  # fmt: skip
    getattr(app, control).value = value
    assert sent[0] == ("_ChartView", {"value", "tooltip"})  # the PNG as a binary buffer, beside its alt text
    assert [name for name, _ in sent].count("_ChartView") == 1
    assert png(app) == app.image.png and app.picture.tooltip == app.image.alt


def test_chart_app_sends_no_image_when_a_change_leaves_the_chart_as_it_was():
    app = SeriesExplorer()
    app.series_control.value = "grain_harvest"
    sent = _record_sends([app.picture])
    app.eras_control.value = not app.eras_control.value
    app.eras_control.value = not app.eras_control.value  # back: the kept image, the same bytes as shown before
    assert len(sent) == 2
    app._cache.clear()
    app._update()  # drawn again, pixel for pixel the chart shown: nothing to send
    assert len(sent) == 2


def test_chart_app_in_a_kernel_sends_its_text_panel_a_moment_after_the_image():
    import asyncio

    from lessons_lib.apps import explorers

    app = TimelineExplorer()
    sent = _record_sends([app.picture, app.details])

    async def click():  # a kernel runs an event loop, as here
        before = app.details.value
        app.ideology_control.value = "stalinism"
        assert [name for name, _ in sent] == ["_ChartView"]
        assert app.details.value == before  # the event list is written when it is sent, after the image
        await asyncio.sleep(explorers.PANEL_DELAY * 3)
        assert [name for name, _ in sent] == ["_ChartView", "HTML"]
        assert f"{len(app.visible)} events shown" in app.details.value and app.details.value != before

    asyncio.run(click())


def _all_widgets(app) -> list:
    found, todo = [], [app]
    while todo:
        widget = todo.pop()
        found.append(widget)
        todo += list(getattr(widget, "children", ()))
    return found


def _in_a_kernel(app, change, pause: float, sent: list | None = None) -> int:
    """Make `change` to `app` inside a running event loop, as a kernel does, then leave the kernel idle.

    Returns how many messages `sent` (see ``_record_sends``) held when the change was handled.
    """
    import asyncio

    from lessons_lib.apps import explorers

    async def session():
        change()
        await asyncio.sleep(explorers.PANEL_DELAY * 2)  # the text panel follows the chart
        count = len(sent or [])
        await asyncio.sleep(pause)
        return count

    return asyncio.run(session())


NEIGHBOURS = {TimelineExplorer: ("ideology_control", "stalinism", ["all", "leninism", "trotskyism"]),
              PolicyExplorer: ("group_control", "ideology", ["era"]),
              SeriesExplorer: ("ranges_control", False, [True])}  # fmt: skip


@pytest.mark.parametrize("factory", CHART_APPS, ids=NAME)
def test_chart_app_in_an_idle_kernel_draws_the_states_one_click_away_without_telling_the_browser(factory):
    from lessons_lib.apps import explorers

    app = factory()
    name, value, others = NEIGHBOURS[factory]
    control = getattr(app, name)
    app._cache.clear()
    sent = _record_sends(_all_widgets(app))
    handled = _in_a_kernel(app, lambda: setattr(control, "value", value), explorers.LOOKAHEAD_DELAY + 3, sent)
    assert len(sent) == handled  # what the look-ahead draws stays in the kernel until it is asked for
    position = list(app._key()).index(value)
    ahead = {key[position] for key in app._cache} - {value}
    assert ahead == set(others)
    shown = {key: image.png for key, image in app._cache.items()}
    drawn = []
    original = app._draw
    app._draw = lambda *args, **kwargs: drawn.append(args) or original(*args, **kwargs)
    for other in others:
        control.value = other  # a new state for the learner, drawn while they looked at the last one
        assert png(app) == shown[app._key()]
    assert drawn == []


@pytest.mark.parametrize("factory", CHART_APPS, ids=NAME)
def test_a_chart_drawn_ahead_is_the_chart_drawn_when_asked_for(factory):
    from lessons_lib.apps import explorers

    app = factory()
    name, value, others = NEIGHBOURS[factory]
    _in_a_kernel(app, lambda: setattr(getattr(app, name), "value", value), explorers.LOOKAHEAD_DELAY + 3)
    for other in others:
        getattr(app, name).value = other
        ahead = app.image
        app._cache.clear()
        app._update()
        assert app.image is not ahead and app.image.png == ahead.png and app.image.alt == ahead.alt


def test_a_click_during_the_look_ahead_stops_it_and_the_switch_turns_it_off(monkeypatch):
    import asyncio

    from lessons_lib.apps import explorers

    app = TimelineExplorer()
    app._cache.clear()
    drawn = []
    original = app._draw
    app._draw = lambda key, blank=False: drawn.append(key) or original(key, blank)

    async def session():
        app.ideology_control.value = "stalinism"
        await asyncio.sleep(explorers.LOOKAHEAD_DELAY)
        while len(drawn) < 2:  # the state asked for, then the first state ahead
            await asyncio.sleep(0)
        clicked = len(drawn)
        app.category_control.value = "politics"  # the learner clicks on: the old plan is dropped
        await asyncio.sleep(explorers.LOOKAHEAD_DELAY + 3)
        return clicked

    clicked = asyncio.run(session())
    assert drawn[0][0] == "stalinism" and clicked < 4  # not every state ahead of the old one was drawn
    assert [key[2] for key in drawn[clicked:]] == ["politics"] * 4  # the new state, then the 3 ahead of it

    monkeypatch.setenv("LESSONS_LOOKAHEAD", "0")
    quiet = TimelineExplorer()
    _in_a_kernel(quiet, lambda: setattr(quiet.ideology_control, "value", "stalinism"), explorers.LOOKAHEAD_DELAY + 1)
    assert len(quiet._cache) == 2  # the state it opened on and the state asked for


def test_timeline_explorer_shows_a_state_seen_before_without_filtering_the_events_again(monkeypatch):
    app = TimelineExplorer()
    app.ideology_control.value = "stalinism"
    first = (app.visible.copy(), app.details.value, png(app))
    app.ideology_control.value = "all"
    calls = []
    original = query.filter_events
    monkeypatch.setattr(query, "filter_events", lambda **pick: calls.append(pick) or original(**pick))
    app.ideology_control.value = "stalinism"
    assert calls == []
    assert app.visible.equals(first[0]) and app.details.value == first[1] and png(app) == first[2]
    app.category_control.value = "politics"  # a new state picks its events afresh
    assert len(calls) == 1


CSS = {TimelineExplorer: "lessons-timeline", PolicyExplorer: "lessons-policy", SeriesExplorer: "lessons-series",
       ComparisonExplorer: "lessons-comparison", Quiz: "lessons-quiz", ClaimChecker: "lessons-claims",
       ArrangeEvents: "lessons-arrange"}  # fmt: skip


@pytest.mark.parametrize("factory", list(CSS), ids=NAME)
def test_app_displays_as_a_widget_named_in_its_text_form_with_the_css_classes_pages_look_for(factory):
    app = factory()
    shown = app._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in shown
    assert shown["text/plain"].startswith(f"<{factory.__name__}: ")  # the browser tests read the class from it
    assert {"lessons-app", CSS[factory]} <= set(app._dom_classes)


@pytest.mark.parametrize("factory", CHART_APPS, ids=NAME)
def test_toggling_keeps_no_pyplot_figures(factory):
    before = plt.get_fignums()
    app = factory()
    control = app.children[0]
    options = [v for _, v in control.options]
    for i in range(1, 4):
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
    with pytest.raises(UnknownNameError, match=r"did you mean 'stalinism'\?"):
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


def test_timeline_explorer_title_follows_the_controls():
    app = TimelineExplorer(years=(1870, 1917))
    assert app.title == "Events by ideology, 1870-1917"
    app.figure_control.value = "lenin"
    assert app.title == "Events in Lenin's life, 1870-1917"
    app.figure_control.value = "all"
    app.ideology_control.value = "stalinism"
    app.category_control.value = "repression"
    assert app.title.startswith("Repression events linked to Stalinism, ")
    assert app.image.alt.startswith("Timeline of ")  # the alt text keeps the counts


def test_policy_explorer_title_follows_the_controls():
    app = PolicyExplorer(category="economy")
    assert app.title == "Economic policies, 1918-1941"
    app.choice_control.value = "stalin"
    assert app.title.startswith("Economic policies begun during Stalin's rule, ")
    app.group_control.value = "ideology"
    app.choice_control.value = "leninism"
    assert app.title.startswith("Economic policies linked to Leninism, ")


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


def test_claim_checker_reveals_the_editors_judgement_after_a_verdict_and_a_reason():
    checker = ClaimChecker()
    claim = checker.claim
    assert checker.judge(str(claim.verdict), "Deutscher says otherwise.") is True
    assert f"<b>The editors' judgement:</b> {claim.verdict}." in checker.feedback.value
    assert html.escape(claim.correction) in checker.feedback.value
    checker.next()
    wrong = next(v for v in checker.verdicts if v != str(checker.claim.verdict))
    assert checker.judge(wrong, "A guess.") is True
    assert "The editors reached a different verdict" in checker.feedback.value
    assert len(checker.judged) == 2
    assert "agreed" not in checker.progress.value and "score" not in checker.progress.value


def test_claim_checker_click_without_a_reason_asks_for_one():
    checker = ClaimChecker()
    checker.verdict_control.value = checker.verdicts[0]
    checker.check_button.click()
    assert "Write a one-line reason for your verdict first" in checker.feedback.value
    assert "editors" not in checker.feedback.value
    assert checker.judged == {}


def test_claim_checker_rejects_unknown_article():
    with pytest.raises(UnknownNameError, match="did you mean"):
        ClaimChecker(article="trotskyism_vs_stalinsm")


def test_render_states_shows_every_state():
    app = TimelineExplorer()
    page = apps.render_states(app, app.ideology_control, ["leninism", "stalinism"])
    assert page.data.count("<img") == 2
    assert "Leninism" in page.data and "Stalinism" in page.data
    assert app.ideology_control.value == "all"


def test_snapshot_is_the_current_image():
    app = SeriesExplorer()
    assert app.snapshot().png == png(app)
    assert app.snapshot()._repr_mimebundle_()["text/plain"] == app.picture.tooltip  # the text form: the alt text


def test_visible_events_are_the_selection_and_each_is_listed():
    app = TimelineExplorer(ideology="trotskyism", years=(1917, 1940))
    wanted = query.filter_events(ideologies=["trotskyism"], years=(1917, 1940))
    assert list(app.visible["id"]) == list(wanted["id"]) and len(wanted) > 0
    assert all(html.escape(title) in app.details.value for title in wanted["title"])


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
    assert len(app._cache) == 3


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


def _wrong(question):
    return next(o for o in question.options if o != question.answer)


def _arrange(task):
    for slot, event in zip(task.slots, task.correct, strict=True):
        slot.value = event


def _fail(*args, **kwargs):
    raise RuntimeError("a redraw failed at <b>x</b>")


# (app, the step that is made to fail, a learner's action that runs it from a callback)
BROKEN = {
    "timeline": (TimelineExplorer, "_plot", lambda a: setattr(a.ideology_control, "value", "leninism")),
    "policy": (PolicyExplorer, "_plot", lambda a: setattr(a.category_control, "value", "economy")),
    "series": (SeriesExplorer, "_plot", lambda a: setattr(a.series_control, "value", "death_sentences")),
    "comparison": (ComparisonExplorer, "_cards", lambda a: setattr(a.toggles["trotskyism"], "value", False)),
    "quiz": (Quiz, "_render", lambda a: a.next_button.click()),
    "quiz-check": (Quiz, "_right_answer", lambda a: (a.answer(_wrong(a.question)), a.check_button.click())),
    "claims": (ClaimChecker, "_render", lambda a: a.next_button.click()),
    "claims-judge": (
        ClaimChecker,
        "_feedback",
        lambda a: (
            a.verdict_control.set_trait("value", "false"),
            a.reason_control.set_trait("value", "why"),
            a.check_button.click(),
        ),
    ),
    "arrange": (ArrangeEvents, "_render", lambda a: setattr(a.slots[0], "value", a.listed[0])),
    "arrange-check": (ArrangeEvents, "_feedback", lambda a: (_arrange(a), a.check_button.click())),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_an_error_in_a_callback_is_shown_in_the_app_as_a_short_message_and_logged(name, monkeypatch, caplog):
    factory, step, act = BROKEN[name]
    app = factory(kinds=["multiple_choice"]) if factory is Quiz else factory()
    monkeypatch.setattr(app, step, _fail)
    with caplog.at_level(logging.ERROR, logger="lessons_lib.apps"):
        act(app)  # the callback does not raise: the learner's click goes on working
    shown = app.message.value
    assert "Sorry, this app could not update (RuntimeError: a redraw failed at " in shown
    assert "Traceback" not in shown and "_fail" not in shown
    assert "at &lt;b&gt;x&lt;/b&gt;)" in shown  # the exception's text is escaped too
    (record,) = caplog.records
    assert record.exc_info[0] is RuntimeError
    assert f"{factory.__name__} could not update" in record.getMessage()


def test_after_a_failed_redraw_the_chart_is_blank_and_the_next_change_draws_again(monkeypatch):
    app = TimelineExplorer()
    monkeypatch.setattr(app, "_plot", _fail)
    app.ideology_control.value = "leninism"
    assert app.image.alt == "No chart."
    monkeypatch.undo()
    app.ideology_control.value = "stalinism"
    assert app.message.value == ""
    assert app.image.alt.startswith("Timeline of ")


def test_a_direct_call_raises_so_a_broken_lesson_fails_when_run(monkeypatch):
    app = TimelineExplorer()
    monkeypatch.setattr(app, "_plot", _fail)
    app._cache.clear()
    with pytest.raises(RuntimeError, match="a redraw failed"):
        app._update()


def test_a_selection_the_data_cannot_show_says_why_and_blanks_the_chart(monkeypatch):
    app = TimelineExplorer()

    def no_events(**pick):
        raise ValueError("no events in these years")

    monkeypatch.setattr(query, "filter_events", no_events)
    app.years_control.value = (1900, 1910)
    assert "no events in these years" in app.message.value
    assert app.image.alt == "No chart."


def test_a_cached_view_that_is_falsy_is_not_built_again():
    from lessons_lib.apps._base import _recall

    built = []
    cache: dict = {}
    for _ in range(3):
        assert _recall(cache, "empty page", lambda: built.append(1) or "", size=4) == ""
    assert len(built) == 1


# ---------------------------------------------------------------------------------------------
# Issue 13, section 3: the quiz shows names, never ids (added by `questions`).
# ---------------------------------------------------------------------------------------------


def _every_id() -> set[str]:
    ids: set[str] = set()
    for resource in descriptor()["resources"]:
        ids.update(load(resource["name"]).iloc[:, 0].astype(str))
    return ids


def _shown_labels(quiz) -> list[str]:
    """Every choice label and row label the learner sees for the current question."""
    shown = [label for control in quiz.choices for label, value in control.options if value is not None]
    shown += [row.children[1].value for row in quiz.answer_box.children if isinstance(row, apps.quiz.widgets.HBox)]
    return [html.unescape(label.removeprefix("<i>").removesuffix("</i>")) for label in shown]


def test_no_quiz_question_shows_an_id_as_an_option():
    ids = _every_id()
    quiz = Quiz()
    raw = []
    for _ in range(len(quiz.questions)):
        raw += [(quiz.question.id, label) for label in _shown_labels(quiz) if label in ids]
        quiz.next()
    assert raw == []


def test_multiple_choice_options_name_figures_schools_and_documents():
    quiz = Quiz(kinds=["multiple_choice"])
    seen = {}
    for _ in range(len(quiz.questions)):
        seen[quiz.question.id] = dict((value, label) for label, value in quiz.choices[0].options)
        quiz.next()
    assert seen["q01_01"]["trotsky"] == "Leon Trotsky"
    assert seen["q01_08"]["liberal_totalitarian"] == "Liberal / totalitarian school"
    assert seen["q05_19"]["litvinov_letter_izvestia_1932"].startswith(
        "I. Litvinov, a worker and Komsomol member: Letter"
    )
    assert seen["q08_06"]["false"] == "False"


# ---------------------------------------------------------------------------------------------
# Issue 13, section 3: the quiz shuffles (seeded), goes back, and samples across lessons (added by `questions`).
# ---------------------------------------------------------------------------------------------


def _ids(quiz) -> list[str]:
    return list(quiz.questions["id"])


def test_quiz_shuffles_a_lessons_questions_the_same_way_every_time():
    bank = load("questions").query("lesson == 5")["id"].tolist()
    shuffled = _ids(Quiz(lessons=5))
    assert sorted(shuffled) == sorted(bank) and shuffled != bank
    assert _ids(Quiz(lessons=5)) == shuffled
    assert _ids(Quiz(lessons=5, shuffle=False)) == bank
    assert _ids(Quiz(lessons=5, seed=1)) != shuffled


def test_quiz_order_is_the_same_in_a_new_process_so_stored_outputs_stay_stable():
    import os
    import subprocess
    import sys

    code = "from lessons_lib.apps import Quiz; print(' '.join(Quiz(lessons=[4, 5]).questions['id']))"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout
    assert out.split() == _ids(Quiz(lessons=[4, 5]))


def test_previous_goes_back_to_the_question_with_the_answer_given_and_its_feedback():
    quiz = Quiz(lessons=1)
    first = quiz.question
    quiz.answer(_answer_of(quiz))
    assert quiz.check() is True
    quiz.next()
    assert quiz.question.id != first.id and quiz.feedback.value == ""
    quiz.previous()
    assert quiz.question.id == first.id
    assert quiz.response() == first.answer
    assert "Correct!" in quiz.feedback.value
    assert quiz.check() is True and quiz.score == 1 and len(quiz.answered) == 1  # not counted twice


def test_previous_from_the_first_question_goes_to_the_last():
    quiz = Quiz(lessons=2)
    quiz.previous()
    assert quiz.index == len(quiz.questions) - 1
    assert quiz.question.id == quiz.questions["id"].iloc[-1]


def test_the_previous_button_is_beside_check_and_next():
    quiz = Quiz(lessons=3)
    quiz.next()
    quiz.previous_button.click()
    assert quiz.index == 0
    buttons = next(c for c in quiz.children if isinstance(c, apps.quiz.widgets.HBox)).children
    assert [b.description for b in buttons] == ["Previous question", "Check answer", "Next question"]


def test_whole_course_review_samples_evenly_across_the_lessons():
    review = Quiz(lessons=range(1, 10), sample=18)
    assert sorted(review.questions["lesson"]) == [n for n in range(1, 10) for _ in range(2)]
    assert _ids(Quiz(lessons=range(1, 10), sample=18)) == _ids(review)
    assert len(Quiz(lessons=range(1, 10), sample=1000).questions) == len(load("questions"))
    with pytest.raises(ValueError, match="sample must be at least 1"):
        Quiz(lessons=range(1, 10), sample=0)


@pytest.mark.parametrize("lesson", range(1, 9))
def test_a_lessons_in_class_quiz_asks_at_most_eight_and_its_bank_the_rest(lesson):
    in_class, bank = Quiz(lessons=lesson, in_class=True), Quiz(lessons=lesson, in_class=False)
    assert 5 <= len(in_class.questions) <= 8
    assert not set(_ids(in_class)) & set(_ids(bank))
    assert sorted(_ids(in_class) + _ids(bank)) == sorted(_ids(Quiz(lessons=lesson)))
    assert (in_class.item, bank.item) == ("quiz", "bank")


def test_the_question_bank_of_a_review_is_saved_apart_from_the_review():
    assert Quiz(lessons=range(1, 10), in_class=False, sample=9).item == "review_bank"


def test_an_in_class_quiz_of_a_lesson_without_one_says_no_questions_match():
    with pytest.raises(ValueError, match="no questions match this selection"):
        Quiz(lessons=9, in_class=True)
