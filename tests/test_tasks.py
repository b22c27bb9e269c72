"""Task widgets: a learner predicts, orders, weighs and judges; the widget answers and keeps the work.

Each test drives a widget the way a learner does (setting control values, clicking buttons), reads
the feedback text it shows, and opens a new instance on the same store to find the work again.
"""

from __future__ import annotations

import html

import pytest

from lessons_lib.apps import ArrangeEvents, ClaimChecker, ComparisonExplorer, WeighFactors
from lessons_lib.apps.tasks import compare_weights, placements
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


def test_a_damaged_saved_prediction_is_ignored_not_a_crash(store):
    store.save("task", 3, "predict.stalinism.peasantry", {"choice": "<b>nonsense</b>", "text": 42, "revealed": "yes"})
    app = predictor(store)
    assert app.choice_control.value is None and app.text_control.value == ""
    assert app.revealed is False


def test_prediction_rejects_an_unknown_ideology(store):
    with pytest.raises(UnknownNameError, match="did you mean 'stalinism'"):
        ComparisonExplorer(predict="stalinsm", store=store)


def test_explorer_without_a_task_writes_nothing(store):
    app = ComparisonExplorer(dimension="peasantry", store=store)
    app.toggles["trotskyism"].value = False
    assert store.records() == []
    assert app.prediction_box.children == ()


def test_static_form_is_the_same_whatever_the_learner_saved(store):
    before = predictor(store).snapshot_html()
    app = predictor(store)
    app.text_control.value = "My own words."
    app.reveal_button.click()
    assert predictor(store).snapshot_html() == before
    assert "My own words." not in predictor(store).snapshot_html()


# --- Arrange the events ------------------------------------------------------------------------


def test_placements_mark_each_event_in_or_out_of_place():
    result = placements(["b", "a", "c"], ["a", "b", "c"])
    assert [(p.event, p.given, p.right, p.in_place) for p in result] == [
        ("b", 1, 2, False), ("a", 2, 1, False), ("c", 3, 3, True)
    ]  # fmt: skip
    with pytest.raises(ValueError, match="each event exactly once"):
        placements(["a", "a", "c"], ["a", "b", "c"])


def test_arrange_picks_the_same_events_in_the_same_order_every_time(store):
    first, second = ArrangeEvents(store=store), ArrangeEvents(store=store)
    assert first.listed == second.listed and len(first.listed) == 6
    assert first.listed != first.correct
    events = load("events").set_index("id").loc[first.correct]
    dates = list(zip(events["year"], events["month"], events["day"], strict=True))
    assert dates == sorted(dates) and len(set(dates)) == 6
    assert all(1922 <= y <= 1929 for y in events["year"])
    assert ArrangeEvents(seed=5, store=store).listed != first.listed


def test_arrange_hides_the_dates_until_checked(store):
    task = ArrangeEvents(store=store)
    row = load("events").set_index("id").loc[task.correct[0]]
    date = f"{row.day} "  # e.g. '23 December 1922'
    assert html.escape(row.title) in task.events_html.value
    assert str(row.year) not in task.events_html.value and date not in task.feedback.value


def test_arrange_check_with_empty_places_says_which(store):
    task = ArrangeEvents(store=store)
    task.slots[0].value = task.listed[0]
    task.check_button.click()
    assert "Choose an event for every place first (empty: 2nd, 3rd, 4th, 5th, 6th)" in task.feedback.value


def test_arrange_check_with_an_event_twice_names_it_and_the_one_left_out(store):
    task = ArrangeEvents(store=store)
    for slot, event in zip(task.slots, task.listed, strict=True):
        slot.value = event
    task.slots[1].value = task.listed[0]
    task.check_button.click()
    title = load("events").set_index("id").at[task.listed[0], "title"]
    assert f"you chose A. {html.escape(title)} more than once, and not B." in task.feedback.value


def test_arrange_check_marks_the_events_out_of_place_and_reveals_their_dates(store):
    task = ArrangeEvents(store=store)
    wrong = task.correct[1:] + task.correct[:1]  # every event one place off
    for slot, event in zip(task.slots, wrong, strict=True):
        slot.value = event
    task.check_button.click()
    page = task.feedback.value
    assert "In the right place: 0 of 6 events" in page
    assert page.count("<td>✗</td>") == 6 and "belongs 1st" in page
    events = load("events").set_index("id")
    first = events.loc[task.correct[0]]
    assert f"{first.day} " in page and str(first.year) in page  # the dates, now
    assert "The order, with dates" in page


def test_arrange_right_order_is_confirmed(store):
    task = ArrangeEvents(store=store)
    for slot, event in zip(task.slots, task.correct, strict=True):
        slot.value = event
    task.check_button.click()
    assert "All 6 events are in the right order." in task.feedback.value
    assert "✗" not in task.feedback.value


def test_arrange_order_and_check_are_restored_in_a_new_instance(store):
    task = ArrangeEvents(store=store)
    for slot, event in zip(task.slots, task.correct, strict=True):
        slot.value = event
    again = ArrangeEvents(store=store)
    assert again.order == task.correct
    assert "right order" not in again.feedback.value  # not checked yet
    again.check_button.click()
    third = ArrangeEvents(store=store)
    assert "All 6 events are in the right order." in third.feedback.value
    task.slots[0].value = task.correct[1]  # a change after checking needs a new check
    assert "right order" not in ArrangeEvents(store=store).feedback.value


def test_arrange_own_events_and_bad_ids(store):
    task = ArrangeEvents(["lenin_died", "stalin_general_secretary", "trotsky_deported_turkey"], store=store)
    assert task.correct == ["stalin_general_secretary", "lenin_died", "trotsky_deported_turkey"]
    with pytest.raises(UnknownNameError, match="did you mean 'lenin_died'"):
        ArrangeEvents(["lenin_dyed", "stalin_general_secretary"], store=store)
    with pytest.raises(ValueError, match="share a date"):
        ArrangeEvents(["trotsky_alma_ata", "stalin_siberia_trip"], store=store)
    with pytest.raises(ValueError, match="2 to 12 different events"):
        ArrangeEvents(["lenin_died"], store=store)
    with pytest.raises(ValueError, match="ask for fewer"):
        ArrangeEvents(years=(1922, 1922), n=12, store=store)


def test_arrange_static_form_lists_the_events_with_blanks_and_folds_the_answer(store):
    task = ArrangeEvents(store=store)
    page = task.snapshot_html()
    assert page.count("<li>&nbsp;</li>") == 6
    assert "<details><summary>The order, with dates</summary>" in page
    for slot, event in zip(task.slots, task.correct, strict=True):
        slot.value = event
    task.check()
    assert ArrangeEvents(store=store).snapshot_html() == page
    assert repr(task).startswith("<ArrangeEvents: put 6 events of 1922-1929 in date order: A. ")


# --- ClaimChecker: a verdict and a reason, then the editors' judgement --------------------------


def test_claim_checker_shows_what_each_article_says_of_itself(store):
    checker = ClaimChecker(store=store)
    page = checker.provenance.value
    assert "QCity Editorial Stuff" in page and "19 March 2022" in page
    assert "https://www.bbc.com/news/uk-politics-37025649" in page
    assert " title=" not in page
    checker.article_control.value = "leninism_vs_stalinism"
    page = checker.provenance.value
    assert "<b>Author line:</b> none" in page and "none given" in page
    assert "Gives no author, no date and no references." in page


def test_claim_checker_switches_between_the_two_articles(store):
    checker = ClaimChecker(store=store)
    claims = load("claims")
    assert set(checker.claims["article"]) == {"trotskyism_vs_stalinism"}
    checker.next()
    checker.article_control.value = "leninism_vs_stalinism"
    assert set(checker.claims["article"]) == {"leninism_vs_stalinism"}
    assert len(checker.claims) == (claims["article"] == "leninism_vs_stalinism").sum()
    assert checker.index == 0
    assert html.escape(checker.claim.quote) in checker.claim_html.value


def test_claim_checker_needs_a_verdict_and_a_reason_before_it_shows_the_judgement(store):
    checker = ClaimChecker(store=store)
    checker.check_button.click()
    assert "Choose a verdict first" in checker.feedback.value
    checker.verdict_control.value = "false"
    checker.reason_control.value = "   "
    checker.check_button.click()
    assert "Write a one-line reason for your verdict first" in checker.feedback.value
    assert "editors" not in checker.feedback.value
    checker.reason_control.value = "He never used the phrase."
    checker.check_button.click()
    assert "The editors' judgement" in checker.feedback.value
    assert "He never used the phrase." in checker.feedback.value


def test_claim_checker_corroborates_against_named_works_and_does_not_score_agreement(store):
    checker = ClaimChecker(store=store)
    checker.judge(str(checker.claim.verdict), "Because.")
    page = checker.feedback.value
    sources = load("sources").set_index("id")
    for source_id in checker.claim.sources:
        assert html.escape(str(sources.at[source_id, "title"])) in page
    assert "not this course's tables" in page
    for word in ("agree", "score", "/1", "Correct"):
        assert word not in page + checker.progress.value


def test_claim_checker_verdicts_and_reasons_are_restored_in_a_new_instance(store):
    checker = ClaimChecker(store=store)
    checker.judge("contested", "Historians differ on this.")
    checker.next()
    checker.verdict_control.value = "accurate"  # chosen, not checked yet
    checker.reason_control.value = "Half a thought"
    again = ClaimChecker(store=store)
    assert again.verdict_control.value == "contested" and again.reason_control.value == "Historians differ on this."
    assert "Historians differ on this." in again.feedback.value
    assert "you have judged 1 of them" in again.progress.value
    again.next()
    assert again.verdict_control.value == "accurate" and again.reason_control.value == "Half a thought"
    assert again.feedback.value == ""


def test_claim_checker_long_reasons_and_markup_are_kept_and_shown_as_text(store):
    checker = ClaimChecker(store=store)
    checker.judge("false", MARKUP + LONG)
    assert html.escape(MARKUP) in checker.feedback.value and "<script>" not in checker.feedback.value
    assert "characters long. It is all kept" in checker.status.value
    assert ClaimChecker(store=store).reason_control.value == MARKUP + LONG


def test_claim_checker_bad_input_gets_a_clear_message(store):
    with pytest.raises(UnknownNameError, match="unknown verdict 'flase'; did you mean 'false'"):
        ClaimChecker(store=store).judge("flase", "why")
    with pytest.raises(UnknownNameError, match="did you mean 'leninism_vs_stalinism'"):
        ClaimChecker(article="leninism_vs_stalinsm", store=store)


def test_claim_checker_static_form_folds_the_judgement_and_shows_no_saved_work(store):
    checker = ClaimChecker(store=store)
    page = checker.snapshot_html()
    assert "<details><summary>The editors' judgement</summary>" in page
    assert "QCity Editorial Stuff" in page and "Claim 1 of 38" in page
    checker.judge("false", "My private reason.")
    assert ClaimChecker(store=store).snapshot_html() == page
    assert repr(checker).startswith("<ClaimChecker: 38 claims of the popular web article ")


# --- Weigh the factors: the historians' emphases are data with sources --------------------------


def test_every_emphasis_names_a_real_work_a_factor_and_says_what_the_work_says():
    emphases, sources = load("emphases"), load("sources").set_index("id")
    factors = set(load("factors")["id"])
    assert len(set(emphases["source"])) >= 6
    for row in emphases.itertuples():
        assert row.source in sources.index and row.factor in factors
        assert len(row.note.split()) >= 12, row.id
        assert row.id.startswith(row.source.split("_")[0]), row.id
        year = str(sources.at[row.source, "year"])
        assert year in row.historian, f"{row.id}: the name the learner reads gives the work's year"
    checked = emphases[emphases["checked"].fillna("").str.strip() != ""]
    assert len(checked) >= 4
    for row in checked.itertuples():  # a quotation in a note is checked where 'checked' says
        assert "http" in row.checked or "documents table" in row.checked, row.id


def test_a_note_that_quotes_a_verified_extract_quotes_it_word_for_word():
    documents = load("documents").set_index("id")
    emphases = load("emphases").set_index("id")
    for row_id, doc_id in [("heller_nekrich_1986_apparatus", "hist_heller_nekrich_1986_appointments"),
                           ("kotkin_2014_apparatus", "hist_kotkin_2014_remove_stalin")]:  # fmt: skip
        note = emphases.at[row_id, "note"]
        assert doc_id in emphases.at[row_id, "checked"]
        quoted = note.split('"')[1::2]
        assert quoted
        for words in quoted:
            assert words.lower() in documents.at[doc_id, "text"].lower(), words


def test_an_emphasis_checked_only_in_reviews_says_that_reviewers_read_it_so():
    emphases = load("emphases")
    from_reviews = emphases[emphases["checked"].fillna("").str.contains("not the book itself")]
    assert {"deutscher_1959_apparatus", "service_2009_trotsky_errors"} <= set(from_reviews["id"])
    for row in from_reviews.itertuples():
        assert "reviewers" in row.note.lower(), row.id
        assert '"' not in row.note, f"{row.id}: a reviewer's words are not the work's own"


def test_compare_weights_agrees_partly_agrees_and_differs():
    emphases = load("emphases")
    matches = {m.source: m for m in compare_weights({"apparatus": 4, "trotsky_errors": 4}, emphases)}
    assert matches["heller_nekrich_1986"].rows == [("apparatus", "main", 4, "agree")]
    assert matches["trotsky_1935_how_stalin_defeated"].rows == [("trotsky_errors", "played_down", 4, "differ")]
    assert matches["heller_nekrich_1986"].closeness == 1.0
    assert matches["trotsky_1935_how_stalin_defeated"].closeness == 0.0
    middle = {m.source: m for m in compare_weights({"apparatus": 2}, emphases)}
    assert middle["kotkin_2014"].rows == [("apparatus", "main", 2, "partly")]
    assert "cohen_1973" not in middle  # no position on the factors weighed: left out


def test_weigh_all_equal_weights_asks_for_a_choice(store):
    task = WeighFactors(store=store)
    task.compare_button.click()
    assert "Your weights are all the same" in task.result.value
    assert store.records() == []


def test_weigh_compare_names_the_closest_historians_and_what_each_work_says(store):
    task = WeighFactors(store=store)
    task.sliders["apparatus"].value = 4
    task.sliders["trotsky_errors"].value = 0
    task.compare_button.click()
    page = task.result.value
    assert "You weigh most heavily: Control of the party apparatus (4 of 4)" in page
    assert "Closest to your weighting: Trotsky (1936), Trotsky (1935), Heller and Nekrich (1986)" in page
    assert "<h4>Service (2009)</h4><ul><li><b>Trotsky&#x27;s political misjudgements</b>: main explanation; " in page
    assert "so <b>you differ</b>" in page
    for note in load("emphases")["note"]:
        assert html.escape(note) in page
    assert "Not checked against the text" in page and "Checked: https://www.marxists.org/" in page


def test_weigh_weights_and_comparison_are_restored_and_a_change_needs_a_new_comparison(store):
    task = WeighFactors(store=store)
    task.sliders["alliances"].value = 4
    again = WeighFactors(store=store)
    assert again.weights["alliances"] == 4 and again.result.value == ""
    again.compare()
    third = WeighFactors(store=store)
    assert "Closest to your weighting" in third.result.value or "None of the historians" in third.result.value
    third.sliders["alliances"].value = 3
    assert WeighFactors(store=store).result.value == ""


def test_weigh_a_damaged_saved_weight_falls_back_to_the_middle(store):
    store.save("task", 4, "weigh.stalin_won", {"weights": {"apparatus": "<b>9</b>", "alliances": 99}, "compared": 1})
    task = WeighFactors(store=store)
    assert task.weights["apparatus"] == 2 and task.weights["alliances"] == 2
    assert task.result.value == ""


def test_weigh_static_form_has_a_blank_weight_column_and_the_emphases_folded(store):
    task = WeighFactors(store=store)
    page = task.snapshot_html()
    assert page.count("<td style='min-width:6em;border-bottom:1px solid #999'>&nbsp;</td>") == len(load("factors"))
    assert "<details><summary>What named historians emphasise</summary>" in page
    task.sliders["apparatus"].value = 4
    task.compare()
    assert WeighFactors(store=store).snapshot_html() == page
    assert repr(task).startswith("<WeighFactors: weigh 5 explanations of Stalin's victory (Control of the party")
