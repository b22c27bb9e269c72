"""Task widgets: a learner predicts, orders, weighs and judges; the widget answers and keeps the work.

Each test drives a widget the way a learner does (setting control values, clicking buttons), reads
the feedback text it shows, and opens a new instance on the same store to find the work again.
"""

from __future__ import annotations

import html

import pytest

from lessons_lib.apps import ComparisonExplorer
from lessons_lib.data import UnknownNameError, load
from lessons_lib.store import Store

MARKUP = "<script>alert(1)</script><b>bold</b>"
LONG = "x" * 20_000 + "y"


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "work")


# --- ComparisonExplorer: predict, then reveal --------------------------------------------------


def predictor(store, dimension="peasantry", **kwargs) -> ComparisonExplorer:
    return ComparisonExplorer(dimension=dimension, predict="stalinism", store=store, **kwargs)


def test_prediction_hides_the_card_until_revealed(store):
    app = predictor(store)
    stalinism = load("positions").query("ideology_id == 'stalinism' and dimension_id == 'peasantry'").iloc[0]
    assert html.escape(stalinism.summary) not in app.html
    assert "Hidden." in app.html and "Leninism" in app.html
    assert app.revealed is False


def test_reveal_without_a_prediction_asks_for_one_and_keeps_the_card_hidden(store):
    app = predictor(store)
    app.text_control.value = "   "
    app.reveal_button.click()
    assert "Make your prediction first" in app.prediction_status.value
    assert app.revealed is False and app.reveal_html.value == ""


def test_reveal_shows_the_card_the_prediction_and_the_competing_readings_as_visible_text(store):
    app = predictor(store)
    app.choice_control.value = "like_leninism"
    app.text_control.value = "Forced collectivisation."
    app.reveal_button.click()
    stalinism = load("positions").query("ideology_id == 'stalinism' and dimension_id == 'peasantry'").iloc[0]
    page = app.reveal_html.value
    assert html.escape(stalinism.summary) in page
    assert "Close to Leninism&#x27;s position" in page and "Forced collectivisation." in page
    readings = load("perspectives").query("dimension_id == 'peasantry'")
    assert len(readings) >= 2
    for reading in readings["reading"]:
        assert html.escape(reading) in page  # visible text ...
    assert " title=" not in page  # ... not a tooltip
    assert html.escape(stalinism.summary) in app.html  # the card itself is back in the grid
    assert "Hidden." not in app.html


def test_a_prediction_is_saved_and_restored_in_a_new_instance(store):
    app = predictor(store)
    app.text_control.value = "They will force the peasants into collective farms."
    app.choice_control.value = "unlike"
    again = predictor(store)
    assert again.text_control.value == "They will force the peasants into collective farms."
    assert again.choice_control.value == "unlike"
    assert again.revealed is False
    again.reveal_button.click()
    assert predictor(store).revealed is True
    record = store.load("task", 3, "predict.stalinism.peasantry")
    assert record is not None and record.value["revealed"] is True


def test_predictions_are_kept_per_dimension(store):
    app = predictor(store)
    app.text_control.value = "On the peasants."
    app.dimension_control.value = "bureaucracy"
    assert app.text_control.value == ""
    app.text_control.value = "On the bureaucracy."
    app.dimension_control.value = "peasantry"
    assert app.text_control.value == "On the peasants."


def test_all_dimensions_hide_every_card_and_ask_for_one_dimension(store):
    app = predictor(store, dimension="all")
    assert app.html.count("Hidden.") == len(load("dimensions"))
    assert app.choice_control.disabled
    assert "Choose one dimension" in app.prediction_status.value
    assert app.reveal() is False


def test_table_view_and_readings_do_not_give_the_hidden_position_away(store):
    app = predictor(store)
    app.view_control.value = "table"
    app.perspectives_control.value = True
    stalinism = load("positions").query("ideology_id == 'stalinism' and dimension_id == 'peasantry'").iloc[0]
    assert html.escape(stalinism.summary) not in app.html
    assert "hidden until you make your prediction" in app.html
    assert "shown when you reveal" in app.html


def test_prediction_markup_and_long_text_are_shown_escaped_and_kept(store):
    app = predictor(store)
    app.text_control.value = MARKUP + LONG
    assert "characters long. It is all kept" in app.prediction_status.value
    app.reveal_button.click()
    assert html.escape(MARKUP) in app.reveal_html.value and "<script>" not in app.reveal_html.value
    assert predictor(store).text_control.value == MARKUP + LONG


def test_static_form_folds_the_hidden_card_under_a_prompt(store):
    app = predictor(store)
    page = app.snapshot_html()
    assert "<details><summary>Reveal Stalinism</summary>" in page
    assert "Predict, then reveal" in page
    assert "predict Stalinism&#x27;s position first" not in page
    assert "predict Stalinism's position first" in repr(app)


def test_prediction_rejects_an_unknown_ideology(store):
    with pytest.raises(UnknownNameError, match="did you mean 'stalinism'"):
        ComparisonExplorer(predict="stalinsm", store=store)


def test_explorer_without_a_task_writes_nothing(store):
    app = ComparisonExplorer(dimension="peasantry", store=store)
    app.toggles["trotskyism"].value = False
    assert store.records() == []
    assert app.prediction_box.children == ()
