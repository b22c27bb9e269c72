"""Learner work: sourcing cards, written answers, saving as typed, portfolio and progress."""

from __future__ import annotations

import asyncio
import html
from pathlib import Path

import pytest

from lessons_lib import work
from lessons_lib.data import UnknownNameError, load
from lessons_lib.store import Store, StoreWarning
from lessons_lib.work import (
    CARD_FIELDS,
    Answer,
    AnswerWork,
    CardWork,
    SourcingCard,
    check_answer,
    cited_ids,
    portfolio,
    portfolio_html,
    progress,
    progress_rows,
)

DOC = "lenin_penza_telegram_1918"  # lesson 6
TWO_LESSONS = "soviet_1957_notes_on_testament"  # lessons 4 and 8
UNSHOWN = "litvinov_letter_izvestia_1932"  # in the data, shown in no lesson
PROMPT = "l04_central"
MARKUP = "<script>alert('x')</script><b>bold</b> & </textarea>"
LONG = "word " * 4_000  # 20,000 characters


@pytest.fixture(autouse=True)
def store(tmp_path: Path, monkeypatch) -> Store:
    """Every test writes to its own store, never to the user's data directory."""
    monkeypatch.setenv("LESSONS_STORE_DIR", str(tmp_path / "work"))
    return Store()


def _doc(doc_id: str = DOC) -> dict:
    return load("documents").set_index("id").loc[doc_id].to_dict()


# --- citations and the answer check ---------------------------------------------------------


def test_cited_ids_finds_bracketed_ids_in_order_once():
    text = "See [b_doc] and [a_doc; b_doc], [C_Doc] and [x, y]; not (paren) or a bare a_doc."
    assert cited_ids(text) == ["b_doc", "a_doc", "c_doc", "x", "y"]


@pytest.mark.parametrize("text", ["", "   ", None])
def test_an_empty_answer_is_invited_not_scolded(text):
    check = check_answer(text)
    assert (check.words, check.cited, check.unknown) == (0, [], {})
    assert check.messages == [("info", "Write your answer in the box. It is saved as you type.")]


def test_an_answer_without_citations_is_nudged_with_a_document_of_its_lesson():
    check = check_answer("Stalin controlled the appointments.", lesson=6)
    (kind, text), *_ = check.messages
    assert kind == "info" and text.startswith("Cite at least one document as [document_id], for example [")
    suggested = text.split("for example [")[1].split("]")[0]
    assert 6 in [int(x) for x in _doc(suggested)["lessons"]]


def test_an_answer_citing_documents_counts_them():
    check = check_answer(f"Lenin ordered hangings [{DOC}] and the ban [tenth_congress_on_party_unity_1921].")
    assert check.cited == [DOC, "tenth_congress_on_party_unity_1921"]
    assert check.messages[0] == ("ok", f"8 words; you cite 2 documents: {DOC}, tenth_congress_on_party_unity_1921.")


def test_an_unknown_document_id_gets_did_you_mean():
    check = check_answer("As Lenin wrote [lenin_penza_telegram_1981].")
    assert check.unknown == {"lenin_penza_telegram_1981": DOC}
    assert ("error", f"[lenin_penza_telegram_1981] is not a document id; did you mean [{DOC}]?") in check.messages


def test_an_unknown_id_with_no_close_match_says_where_ids_are():
    check = check_answer("[zzz]")
    assert check.messages[-1] == ("error", "[zzz] is not a document id; document ids are listed under each document.")


def test_a_twenty_thousand_character_answer_is_kept_with_a_note():
    check = check_answer(LONG + "x")
    assert check.characters == 20_001
    assert check.messages[-1][1].startswith("Your answer is 20,001 characters long. It is all kept")


def test_markup_in_an_answer_is_just_text():
    check = check_answer(MARKUP)
    assert check.words == 3 and check.cited == [] and check.unknown == {}


# --- the sourcing card's logic --------------------------------------------------------------


def test_a_card_is_saved_and_loaded_back_by_a_new_card(store):
    card = CardWork(DOC)
    card.set("author", "Lenin, head of the government")
    card.set("doubt", MARKUP)
    again = CardWork(DOC)
    assert again.fields["author"] == "Lenin, head of the government"
    assert again.fields["doubt"] == MARKUP
    assert store.load("card", 6, DOC).value["fields"]["author"] == "Lenin, head of the government"


def test_a_card_is_kept_under_the_lesson_it_is_filled_in(store):
    CardWork(TWO_LESSONS, lesson=8).set("author", "in lesson 8")
    assert store.load("card", 8, TWO_LESSONS).value["fields"]["author"] == "in lesson 8"
    assert CardWork(TWO_LESSONS).fields["author"] == ""  # lesson 4's card is another card


def test_a_card_for_a_lesson_that_does_not_use_the_document_is_refused():
    with pytest.raises(
        ValueError, match=r"document 'lenin_penza_telegram_1918' is used in lessons \[6\], not in lesson 2"
    ):
        CardWork(DOC, lesson=2)


def test_a_card_for_a_document_no_lesson_shows_is_refused():
    with pytest.raises(ValueError, match=f"document '{UNSHOWN}' is shown in no lesson yet; show it in a lesson"):
        CardWork(UNSHOWN)


def test_an_unknown_document_id_gets_did_you_mean_from_the_card():
    with pytest.raises(UnknownNameError, match=f"unknown document id 'lenin_penza_telegram'; did you mean '{DOC}'"):
        CardWork("lenin_penza_telegram")


def test_an_unknown_card_field_gets_did_you_mean():
    with pytest.raises(UnknownNameError, match="unknown card field 'purpse'; did you mean 'purpose'"):
        CardWork(DOC).set("purpse", "x")


def test_submitting_a_card_says_which_fields_are_empty_and_is_remembered(store):
    card = CardWork(DOC)
    card.set("author", "Lenin")
    message = card.submit()
    assert message.startswith("Submitted. Compare your card with the editors'. You left empty: Date, Audience")
    assert CardWork(DOC).submitted is True


def test_the_editors_card_is_the_documents_card_columns():
    editors = CardWork(DOC).editors_card()
    doc = _doc()
    assert editors == {name: doc[f"card_{name}"] for name, _, _ in CARD_FIELDS}


# --- the answer's logic ---------------------------------------------------------------------


def test_an_answer_is_saved_and_loaded_back(store):
    AnswerWork(PROMPT).set_text(LONG)
    assert AnswerWork(PROMPT).text == LONG
    assert store.load("answer", 4, PROMPT).value == {"text": LONG, "revealed": False}


def test_the_strong_answer_is_revealed_only_after_writing():
    answer = AnswerWork(PROMPT)
    assert answer.reveal() is None and answer.revealed is False
    answer.set_text("Because of the apparatus.")
    assert answer.reveal() == load("prompts").set_index("id").loc[PROMPT, "strong_answer"]
    assert AnswerWork(PROMPT).revealed is True


def test_an_unknown_prompt_gets_did_you_mean():
    with pytest.raises(UnknownNameError, match="unknown prompt id 'l04_centrl'; did you mean 'l04_central'"):
        AnswerWork("l04_centrl")


# --- saving while typing --------------------------------------------------------------------


def test_typing_outside_a_kernel_saves_at_once():
    saves = []
    throttle = work._Throttle(lambda: saves.append(1), delay=10)
    throttle.touch()
    throttle.touch()
    assert saves == [1, 1] and not throttle.pending


def test_typing_in_a_kernel_saves_at_most_every_interval_and_the_last_change_too():
    async def typing():
        saves = []
        throttle = work._Throttle(lambda: saves.append(len(saves)), delay=0.05)
        for _ in range(20):
            throttle.touch()
        assert saves == [] and throttle.pending
        await asyncio.sleep(0.15)
        assert saves == [0] and not throttle.pending
        throttle.touch()
        throttle.flush()  # Save, Submit, portfolio() and kernel exit save at once
        return saves

    assert asyncio.run(typing()) == [0, 1]


def test_the_last_words_typed_in_a_kernel_are_saved_within_the_interval(store):
    async def typing():
        card = CardWork(DOC)
        card._throttle.delay = 0.05
        for text in ("L", "Le", "Len", "Lenin"):
            card.set("author", text)
        await asyncio.sleep(0.15)

    asyncio.run(typing())
    assert store.load("card", 6, DOC).value["fields"]["author"] == "Lenin"


def test_pending_changes_are_saved_when_the_kernel_exits(store):
    async def typing():
        answer = AnswerWork(PROMPT)
        answer._throttle.delay = 60
        answer.set_text("typed just before the kernel stopped")

    asyncio.run(typing())
    assert store.load("answer", 4, PROMPT) is None
    work._flush_all()
    assert store.load("answer", 4, PROMPT).value["text"] == "typed just before the kernel stopped"


# --- the SourcingCard widget ----------------------------------------------------------------


def test_the_card_widget_shows_the_document_and_saves_what_is_typed(store):
    card = SourcingCard(DOC)
    assert "The uprising by the five kulak volosts" in card.document_html.value
    card.inputs["purpose"].value = "To crush the rising by terror"
    assert store.load("card", 6, DOC).value["fields"]["purpose"] == "To crush the rising by terror"
    assert "Saved at" in card.status.value


def test_the_card_widget_fills_itself_in_again_when_the_lesson_is_rerun():
    SourcingCard(DOC).inputs["trust"].value = "An internal order"
    again = SourcingCard(DOC)
    assert again.inputs["trust"].value == "An internal order"


def test_the_card_widget_switches_between_original_and_adapted():
    card = SourcingCard(DOC)
    card.version.value = "adapted"
    assert html.escape(_doc()["adapted"].splitlines()[0]) in card.document_html.value
    assert "Adapted version: the editors' plain-language retelling" in card.document_html.value
    card.version.value = "original"
    assert "kulak volosts" in card.document_html.value


def test_after_submitting_the_learner_sees_the_editors_card_beside_their_own():
    card = SourcingCard(DOC)
    card.inputs["author"].value = MARKUP
    assert card.comparison.value == ""
    card.submit_button.click()
    assert html.escape(MARKUP) in card.comparison.value and MARKUP not in card.comparison.value
    assert html.escape(_doc()["card_trust"]) in card.comparison.value
    assert "You left empty: Date" in card.status.value
    assert html.escape(_doc()["card_trust"]) in SourcingCard(DOC).comparison.value  # still there after a re-run


def test_a_twenty_thousand_character_card_field_is_kept(store):
    SourcingCard(DOC).inputs["could_know"].value = LONG
    assert SourcingCard(DOC).inputs["could_know"].value == LONG


def test_a_store_that_cannot_be_written_is_explained_and_the_text_stays(tmp_path, monkeypatch):
    (tmp_path / "blocked").write_text("a file, not a folder", encoding="utf-8")
    monkeypatch.setenv("LESSONS_STORE_DIR", str(tmp_path / "blocked"))
    card = SourcingCard(DOC)
    card.inputs["author"].value = "Lenin"
    assert "Cannot save to" in card.status.value and "Your text is still in the box" in card.status.value
    assert card.inputs["author"].value == "Lenin"
    card.save_button.click()
    assert "LESSONS_STORE_DIR" in card.status.value


def test_the_card_snapshot_names_the_document_without_repeating_it_and_shows_a_blank_card():
    card = SourcingCard(DOC)
    card.inputs["author"].value = "my private note"
    snapshot = card.snapshot_html()
    doc = _doc(DOC)
    assert html.escape(doc["title"]) in snapshot and f"href='#doc-{DOC}'" in snapshot
    assert "kulak volosts" not in snapshot and "lessons-document-text" not in snapshot  # the pack prints it
    assert "Sourcing card" in snapshot and all(html.escape(q) in snapshot for _, _, q in CARD_FIELDS)
    assert "my private note" not in snapshot


@pytest.mark.parametrize("doc_id", [d.id for d in load("documents").itertuples() if len(d.lessons)])
def test_every_document_a_lesson_shows_makes_a_card_whose_snapshot_names_it_escaped(doc_id):
    card = SourcingCard(doc_id)
    doc = _doc(doc_id)
    assert html.escape(doc["title"]) in card.snapshot_html()
    assert f"[{doc_id}]" in card.snapshot_html()
    opening = doc["text"].splitlines()[0].split("[")[0]  # up to any bracket, which is marked up
    assert html.escape(opening) in card.document_html.value  # the live card shows it


def test_the_card_widget_does_not_display_itself_and_says_what_it_is():
    doc = load("documents").set_index("id").loc[DOC]
    shown = repr(SourcingCard(DOC))
    assert shown == f"Sourcing card for {doc['title']} ({doc['author']}). Run the notebook to fill it in here."
    assert DOC not in shown


# --- the Answer widget ----------------------------------------------------------------------


def test_the_answer_widget_says_in_words_what_it_is_for():
    prompt = load("prompts").set_index("id").loc["l04_central", "prompt"]
    shown = repr(Answer("l04_central"))
    assert shown.startswith(f"Answer box for: {prompt}") and "l04_central" not in shown


def test_the_answer_widget_counts_citations_as_the_learner_types(store):
    answer = Answer(PROMPT)
    assert "Write your answer in the box" in answer.feedback.value
    answer.box.value = "Stalin controlled appointments."
    assert "Cite at least one document" in answer.feedback.value
    answer.box.value = (
        "The ban on factions [tenth_congress_on_party_unity_1921] and [tenth_congres_on_party_unity_1921]."
    )
    assert "you cite 1 document: tenth_congress_on_party_unity_1921" in answer.feedback.value
    assert "did you mean [tenth_congress_on_party_unity_1921]?" in answer.feedback.value
    assert store.load("answer", 4, PROMPT).value["text"].startswith("The ban on factions")


def test_the_answer_widget_reveals_the_strong_answer_only_after_writing():
    answer = Answer(PROMPT)
    answer.reveal_button.click()
    assert answer.strong.value == "" and "Write your answer first" in answer.status.value
    answer.box.value = "Appointments [tenth_congress_on_party_unity_1921]."
    answer.reveal_button.click()
    assert "What a strong answer includes" in answer.strong.value
    assert "General Secretary in April 1922" in answer.strong.value


def test_the_answer_widget_shows_markup_as_text_and_keeps_it():
    answer = Answer(PROMPT)
    answer.box.value = MARKUP
    assert MARKUP not in answer.feedback.value
    assert Answer(PROMPT).box.value == MARKUP


def test_the_answer_widget_comes_back_with_text_and_revealed_strong_answer():
    first = Answer(PROMPT)
    first.box.value = "Written in the first session."
    first.reveal_button.click()
    again = Answer(PROMPT)
    assert again.box.value == "Written in the first session."
    assert "What a strong answer includes" in again.strong.value


def test_the_answer_snapshot_shows_the_prompt_and_an_empty_answer_space():
    answer = Answer("l01_discussion_2")
    answer.box.value = "private"
    snapshot = answer.snapshot_html()
    assert "What is the difference between a <em>primary</em> source" in snapshot
    assert "Your answer" in snapshot and "private" not in snapshot


@pytest.mark.parametrize("prompt_id", list(load("prompts")["id"]))
def test_every_prompt_makes_an_answer_box(prompt_id):
    assert "lessons-prompt" in Answer(prompt_id).snapshot_html()


@pytest.mark.parametrize("lesson", range(1, 10))
def test_every_lesson_has_a_central_question_prompt_with_a_strong_answer(lesson):
    prompts = load("prompts")
    central = prompts[(prompts["lesson"] == lesson) & (prompts["kind"] == "central")]
    assert len(central) == 1 and central["strong_answer"].str.len().gt(100).all()


# --- portfolio and progress -----------------------------------------------------------------


def test_the_portfolio_holds_every_answer_and_card_with_the_documents_cited(tmp_path):
    card = SourcingCard(DOC)
    card.inputs["doubt"].value = "It shows the order, not what was done."
    Answer(PROMPT).box.value = f"Appointments [tenth_congress_on_party_unity_1921] {MARKUP}"
    path = portfolio(tmp_path / "hand_in.html")
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "Lesson 4" in page and "Lesson 6" in page
    assert "Why did Stalin, not Trotsky, win the struggle to succeed Lenin?" in page
    assert "It shows the order, not what was done." in page
    assert html.escape(MARKUP) in page and "<script>" not in page
    cited = page.split("<h2>Documents cited</h2>")[1]
    assert "[tenth_congress_on_party_unity_1921]" in cited and f"[{DOC}]" in cited
    assert "Wording checked:" in cited


def test_an_empty_portfolio_says_so():
    assert "Nothing written yet" in portfolio_html()


def _take_quiz(lesson: int, right: int, store: Store | None = None):
    """Answer a lesson's whole quiz, the first `right` questions rightly and the rest wrongly."""
    from lessons_lib.apps import Quiz

    quiz = Quiz(lessons=lesson, store=store)
    for n in range(len(quiz.questions)):
        quiz.answer(quiz._parts(quiz.question.answer) if n < right else _wrong_answer(quiz))
        quiz.check()
        quiz.next()
    return quiz


def _wrong_answer(quiz) -> list[str]:
    q = quiz.question
    if q.kind == "multiple_choice":
        return [next(o for o in q.options if o != q.answer)]
    right = quiz._parts(q.answer)
    return right[1:] + right[:1]  # every part moved one place on: wrong for two or more parts


def test_progress_counts_cards_answers_and_shows_latest_and_best_quiz_scores(store):
    CardWork(DOC).submit()
    CardWork(TWO_LESSONS, lesson=8).set("author", "draft")
    AnswerWork(PROMPT).set_text("written")
    AnswerWork("l04_discussion_1").set_text("   ")  # an empty answer is not work
    first = _take_quiz(4, right=3)
    second = _take_quiz(4, right=1)
    n = len(second.questions)
    rows = {row["lesson"]: row for row in progress_rows()}
    assert rows[4]["answers"] == 1 and rows[4]["cards"] == 0 and first.score == 3
    assert rows[4]["quiz"] == {"latest": 1, "best": 3, "answered": n, "questions": n, "attempts": 2}
    assert rows[6]["submitted"] == 1 and rows[8]["cards"] == 1 and rows[8]["submitted"] == 0
    assert rows[1]["answers"] == 0 and rows[1]["quiz"] is None
    table = progress().data
    assert (
        f"<td>Lesson 4</td><td><strong>done</strong></td><td>&ndash;</td><td>1</td><td>&ndash;</td>"
        f"<td>lesson quiz: latest 1 of {n}, best 3</td>" in table
    )
    assert "<td>Lesson 2</td><td>not started</td><td>&ndash;</td><td>0</td><td>&ndash;</td><td>&ndash;</td>" in table


def test_a_lesson_is_done_when_its_quiz_is_finished_and_its_central_question_answered():
    _take_quiz(4, right=2)
    assert not progress_rows()[3]["done"]  # the central question has no answer yet
    AnswerWork(PROMPT).set_text("Stalin controlled appointments [tenth_congress_on_party_unity_1921].")
    assert progress_rows()[3]["done"]
    assert "<td>Lesson 4</td><td><strong>done</strong></td>" in progress().data
    _take_quiz(1, right=0)
    assert progress_rows()[0]["done"]  # lesson 1 has no answer box: its quiz is enough


def test_a_quiz_stopped_halfway_is_not_done_and_says_how_many_were_answered():
    from lessons_lib.apps import Quiz

    AnswerWork(PROMPT).set_text("written")
    quiz = Quiz(lessons=4)
    quiz.answer(quiz._parts(quiz.question.answer))
    quiz.check()
    row = progress_rows()[3]
    assert row["quiz"]["answered"] == 1 and not row["done"]
    assert f"latest 1 of {len(quiz.questions)} (1 answered), best 1" in progress().data


def test_quiz_answers_are_saved_as_checked_and_read_back_by_another_kernel(store):
    quiz = _take_quiz(3, right=2)
    saved = Store(store.root).load("quiz", 3, "quiz").value  # a fresh Store: what another kernel reads
    assert saved["latest"] == {"score": 2, "answered": len(quiz.questions), "questions": len(quiz.questions)}
    assert set(saved["answers"]) == set(quiz.questions["id"])
    first = quiz.questions.iloc[0]
    assert saved["answers"][first.id] == {"given": first.answer, "correct": True}


def test_a_quiz_whose_store_cannot_be_written_says_so_and_still_gives_feedback(tmp_path):
    from lessons_lib.apps import Quiz

    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    quiz = Quiz(lessons=2, store=Store(blocked))
    quiz.answer(quiz._parts(quiz.question.answer))
    assert quiz.check() is True
    assert "Correct!" in quiz.feedback.value and "Your quiz result is not saved" in quiz.feedback.value
    assert quiz.problem and str(blocked) in quiz.problem


def test_the_review_quizzes_of_lesson_9_are_saved_apart_from_its_lesson_quiz():
    from lessons_lib.apps import Quiz

    review = Quiz(lessons=range(1, 10), sample=18)
    ordering = Quiz(kinds=["ordering"])
    for quiz in (review, ordering):
        quiz.answer(quiz._parts(quiz.question.answer))
        quiz.check()
    row = progress_rows()[8]
    assert (review.lesson, review.item, ordering.item) == (9, "review", "review_ordering")
    assert row["quiz"] is None and sorted(row["reviews"]) == ["review", "review_ordering"]
    assert "whole-course review: latest 1 of 18 (1 answered), best 1" in progress().data


def test_the_portfolio_lists_quiz_scores_and_the_answers_chosen_in_words():
    quiz = _take_quiz(2, right=1)
    page = portfolio_html()
    section = page.split("<h2>Quiz results</h2>")[1]
    assert f"latest 1 of {len(quiz.questions)}, best 1 (1 attempt)" in section
    first = quiz.questions.iloc[0]
    assert html.escape(first.prompt) in section
    labels = __import__("lessons_lib.labels", fromlist=["x"]).question_labels(first)
    shown = [labels[p.split("=")[-1]] for p in first.answer.split("|")]
    assert all(html.escape(label) in section for label in shown)
    assert section.count(">right</td>") == 1 and section.count(">not right</td>") == len(quiz.questions) - 1
    assert "Nothing written yet" not in page


def test_work_names_are_exported_from_the_package():
    import lessons_lib

    assert all(getattr(lessons_lib, name) is getattr(work, name) for name in work.__all__)


# --- the lead: document packs and interpretation prompts ------------------------------------------


def test_documents_shows_each_text_with_its_adapted_version_folded():
    from lessons_lib.work import documents

    shown = documents(["tenth_congress_on_party_unity_1921", "hist_kotkin_2014_remove_stalin"]).data
    docs = load("documents").set_index("id")
    assert shown.index("doc-tenth_congress_on_party_unity_1921") < shown.index("doc-hist_kotkin_2014_remove_stalin")
    assert "<summary>Plain-language version</summary>" in shown and shown.count("lessons-adapted") == 1
    assert "School of interpretation" in shown
    first_words = docs.loc["tenth_congress_on_party_unity_1921", "text"].split()[:6]
    assert " ".join(first_words) in shown


def test_the_plain_language_version_sits_folded_with_the_document_before_the_task():
    from lessons_lib.work import documents

    for doc_id in load("documents").query("kind == 'primary'")["id"]:
        shown = documents([doc_id]).data
        doc = _doc(doc_id)
        text_at = shown.index("lessons-document-text")
        task_at = shown.index("lessons-task") if "lessons-task" in shown else len(shown)
        adapted_at = shown.index("<details class='lessons-adapted'>")
        assert text_at < adapted_at < task_at, doc_id
        assert shown.index("Where the wording was checked") < task_at
        assert html.escape(doc["adapted"].splitlines()[0]) in shown


def test_the_live_card_switches_versions_without_folding_a_second_copy():
    card = SourcingCard("jones_press_release_1933")
    assert "lessons-adapted" not in card.document_html.value
    card.version.value = "adapted"
    shown = card.document_html.value
    assert "Adapted version" in shown and html.escape(_doc("jones_press_release_1933")["adapted"].split()[0]) in shown


@pytest.mark.parametrize("doc_id", list(load("documents")["id"]))
def test_translation_is_labelled_only_for_translated_texts(doc_id):
    from lessons_lib.work import documents

    shown = documents([doc_id]).data
    note = _doc(doc_id)["translation"]
    english = not isinstance(note, str) or note.lower().startswith("written in english")
    assert ("Translation:" in shown) is (not english), doc_id
    if isinstance(note, str):
        assert html.escape(note) in shown  # the edition used is still named


def test_english_originals_are_not_labelled_as_translations():
    from lessons_lib.work import documents

    for doc_id in ("reed_ten_days_preface_1919", "russell_practice_theory_bolshevism_1920", "jones_press_release_1933"):
        assert "Translation:" not in documents([doc_id]).data
    assert "Translation: Translated by Daniel Field" in documents(["gapon_workers_petition_1905"]).data


def test_document_texts_hold_no_editors_notes_only_cuts_and_bracketed_words_of_the_copy():
    import re

    allowed = {  # square brackets printed in the copy named in verified_at (checked 2026-12-02)
        ("gapon_workers_petition_1905", "[but]"),  # the translator's insertion on the Kimball page
        ("hist_davies_wheatcroft_2006_reply", "[Davies and Wheatcroft (2004)]"),  # in the authors' abstract
        ("peasant_letter_pravda_kaluga_1930", "[collective farms]"),  # the Yale edition's gloss
    }
    for row in load("documents").itertuples():
        for found in re.findall(r"\[[^\]]*\]", row.text):
            assert found == "[...]" or (row.id, found) in allowed, f"{row.id}: {found}"
        assert not re.search(r"\[\d+\]|\(sic\)|\beds?\. note|footnote", row.text, re.IGNORECASE), row.id


def test_bracketed_words_are_marked_and_explained_but_cuts_are_not():
    from lessons_lib.work import documents

    shown = documents(["gapon_workers_petition_1905"]).data
    assert "<span class='lessons-editorial' title='in square brackets in the copy checked'>[but]</span>" in shown
    assert "Words in square brackets are printed so in the copy checked" in shown
    cut_only = documents(["lenin_what_is_to_be_done_1902"]).data
    assert "[...]" in cut_only and "lessons-editorial" not in cut_only and "Words in square brackets" not in cut_only


def test_documents_rejects_an_unknown_id_with_a_suggestion():
    from lessons_lib.data import UnknownNameError
    from lessons_lib.work import documents

    with pytest.raises(UnknownNameError, match=r"did you mean 'tenth_congress_on_party_unity_1921'\?"):
        documents(["tenth_congress_on_party_unity_192"])


def test_every_historians_extract_has_an_interpretation_prompt_with_its_task():
    docs = load("documents")
    prompts = load("prompts").set_index("id")
    for _, doc in docs[docs["kind"] == "historian"].iterrows():
        pid = f"l{int(doc['lessons'][0]):02d}_interp_{doc['id'].removeprefix('hist_')}"
        assert pid in prompts.index, pid
        assert prompts.loc[pid, "kind"] == "interpretation" and prompts.loc[pid, "prompt"] == doc["task"]
        assert set(doc["sources"]) <= set(prompts.loc[pid, "sources"])


def test_a_damaged_saved_card_is_kept_aside_and_the_learner_told_where(store):
    path = store.path("card", 6, DOC)
    path.parent.mkdir(parents=True)
    path.write_text("{half a card", encoding="utf-8")
    with pytest.warns(StoreWarning):
        card = SourcingCard(DOC)
    assert "could not be read" in card.status.value and "nothing was overwritten" in card.status.value
    card.inputs["author"].value = "Lenin"
    assert "Saved at" in card.status.value and "could not be read" in card.status.value
    (aside,) = path.parent.glob(f"{DOC}.json.corrupt-*")
    assert aside.read_text(encoding="utf-8") == "{half a card"


def test_save_while_a_change_waits_saves_once_and_cancels_the_wait(store):
    async def typing():
        answer = AnswerWork(PROMPT)
        answer._throttle.delay = 0.05
        answer.set_text("first")
        assert answer._throttle.pending
        answer.save()
        assert not answer._throttle.pending
        await asyncio.sleep(0.1)
        return answer.saved_at

    saved_at = asyncio.run(typing())
    assert store.load("answer", 4, PROMPT).saved_at == saved_at  # the cancelled wait did not save again


def test_every_document_and_prompt_a_lesson_names_exists():
    import json
    import re

    from support import ROOT

    docs, prompts = set(load("documents")["id"]), set(load("prompts")["id"])
    missing, seen = [], 0
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "code":
                continue
            code = "".join(cell["source"])
            named = re.findall(r"SourcingCard\(\s*\"([^\"]+)\"", code)
            for pack in re.findall(r"documents\(\s*\[([^\]]*)\]", code):
                named += re.findall(r"\"([^\"]+)\"", pack)
            answers = re.findall(r"Answer\(\s*\"([^\"]+)\"", code)
            seen += len(named) + len(answers)
            missing += [(path.name, d) for d in named if d not in docs]
            missing += [(path.name, p) for p in answers if p not in prompts]
    assert seen >= 30  # the lessons do use the widgets (the search is not vacuous)
    assert missing == []


def test_one_card_open_in_two_kernels_keeps_the_fields_typed_in_each(store):
    here, there = CardWork(DOC), CardWork(DOC)  # the same lesson run in two notebooks
    here.set("author", "Lenin")
    there.set("doubt", "It shows the order, not what was done")
    here.set("trust", "An internal order")
    saved = store.load("card", 6, DOC).value["fields"]
    assert (saved["author"], saved["doubt"], saved["trust"]) == (
        "Lenin", "It shows the order, not what was done", "An internal order",
    )  # fmt: skip
    assert here.fields["doubt"] == "It shows the order, not what was done"  # taken from the other kernel's save


def test_the_portfolio_lists_the_extract_an_interpretation_answer_judges():
    Answer("l04_interp_kotkin_2014_remove_stalin").box.value = "Convincing in part, without citing anything."
    cited = portfolio_html().split("<h2>Documents cited</h2>")[1]
    assert "[hist_kotkin_2014_remove_stalin]" in cited and "Stephen Kotkin" in cited


def test_lesson_9_has_the_six_essay_questions_with_the_marking_criteria():
    prompts = load("prompts")
    essays = prompts[prompts["kind"] == "essay"]
    assert list(essays["id"]) == [f"l09_essay_{n}" for n in range(1, 7)]
    assert essays["strong_answer"].str.contains("Historiography (20%)", regex=False).all()
    shown = Answer("l09_essay_1").snapshot_html()
    assert "Lesson 9, Essay." in shown and "Stalin fulfilled rather than betrayed" in shown


# --- lesson 9: the rubric and the annotated exemplars -----------------------------------------


def _exemplars() -> list[dict]:
    return load("exemplars").to_dict("records")


def test_the_rubric_is_the_teacher_guides_marking_criteria_and_its_weights_add_up_to_100():
    rubric = load("rubric")
    guide = (Path(__file__).resolve().parents[1] / "docs" / "teacher_guide.md").read_text(encoding="utf-8")
    assert rubric["weight"].sum() == 100
    for row in rubric.itertuples():
        line = next(line for line in guide.splitlines() if line.startswith(f"| {row.criterion} |"))
        for level in (row.strong, row.middle, row.weak):
            assert level.rstrip(".") in line, (row.id, level)


def test_every_prompt_with_exemplars_has_one_weak_one_middle_and_one_strong_each_longer_than_the_last():
    from lessons_lib.work.exemplars import exemplar_rows

    prompts = sorted({row["prompt_id"] for row in _exemplars()})
    assert "l09_essay_1" in prompts
    for prompt_id in prompts:
        rows = exemplar_rows(prompt_id)
        assert [row["level"] for row in rows] == ["weak", "middle", "strong"], prompt_id
        words = [len(row["text"].split()) for row in rows]
        assert words == sorted(words) and words[-1] >= 300, (prompt_id, words)


def test_each_exemplar_is_annotated_on_every_rubric_criterion_and_on_nothing_else():
    criteria = set(load("rubric")["id"])
    for row in _exemplars():
        keys = [line.split(":", 1)[0] for line in row["annotations"].splitlines() if line.strip()]
        assert sorted(keys) == sorted(criteria), row["id"]


def test_exemplars_cite_real_documents_the_strong_one_several_the_weak_one_none():
    docs = set(load("documents")["id"])
    for row in _exemplars():
        cited = cited_ids(row["text"]) + cited_ids(row["annotations"])
        assert set(cited) <= docs, (row["id"], set(cited) - docs)
    by_level = {row["level"]: row for row in _exemplars() if row["prompt_id"] == "l09_essay_1"}
    assert cited_ids(by_level["weak"]["text"]) == []
    assert len(cited_ids(by_level["strong"]["text"])) >= 6


def test_every_lesson_9_essay_has_exemplars_and_no_weak_exemplar_cites_a_document():
    prompts = load("prompts")
    essays = set(prompts[(prompts["lesson"] == 9) & (prompts["kind"] == "essay")]["id"])
    rows = _exemplars()
    assert len(essays) == 6 and essays == {row["prompt_id"] for row in rows}
    for row in rows:
        if row["level"] == "weak":
            assert cited_ids(row["text"]) == [], row["id"]


def test_words_quoted_next_to_a_citation_are_the_cited_documents_own():
    import re

    docs = load("documents").set_index("id")["text"].to_dict()
    straight = str.maketrans({"“": '"', "”": '"', "’": "'", "‘": "'"})
    checked = 0
    for row in _exemplars():
        for sentence in re.split(r"(?<=[.!?])\s+", row["text"]):
            cited = [d for d in cited_ids(sentence) if d in docs]
            for quote in re.findall(r'"([^"]+)"', sentence) if cited else []:
                assert any(quote.translate(straight) in docs[d].translate(straight) for d in cited), (row["id"], quote)
                checked += 1
    assert checked >= 4


def test_death_sentence_figures_in_the_exemplars_match_the_course_series():
    import re

    obs = load("observations")
    series = obs[obs["series_id"] == "death_sentences"].set_index("year")["value"].to_dict()
    found = 0
    for row in _exemplars():
        for number, year in re.findall(
            r"(\d{1,3}(?:,\d{3})+) (?:death sentences )?in (\d{4})", row["text"] + row["annotations"]
        ):
            assert series[int(year)] == int(number.replace(",", "")), (row["id"], number, year)
            found += 1
    assert found >= 5


def test_the_essay_answer_reveals_the_rubric_and_exemplars_only_after_something_is_written():
    answer = Answer("l09_essay_1")
    assert "three exemplars" in answer.reveal_button.description
    answer.reveal_button.click()
    assert answer.strong.value == "" and "Write your answer first" in answer.status.value
    answer.box.value = f"Stalin fulfilled it [tenth_congress_on_party_unity_1921]. {MARKUP}"
    answer.reveal_button.click()
    shown = answer.strong.value
    assert "What a strong answer includes" in shown and "How essays are marked" in shown
    assert shown.index("A weak answer") < shown.index("A middle answer") < shown.index("A strong answer")
    strong = load("exemplars").set_index("id").loc["l09_essay_1_strong", "text"]
    assert html.escape(strong.splitlines()[0]) in shown
    assert "Argument.</strong>" in shown and "Counter-argument.</strong>" in shown
    assert AnswerWork("l09_essay_1").revealed  # saved: the next run shows them again
    assert "three exemplars" not in Answer("l09_central").reveal_button.description


def test_exemplars_and_rubric_show_without_a_kernel_and_reject_a_prompt_without_exemplars():
    from lessons_lib.data import UnknownNameError
    from lessons_lib.work import exemplars, rubric

    shown = exemplars("l09_essay_1").data
    assert shown.count("<details class='lessons-exemplar") == 3 and "<script>" not in shown
    assert "Written by the course editors for practice, not a quotation." in shown
    assert rubric().data.count("<tr><th style") == len(load("rubric"))
    with pytest.raises(UnknownNameError, match=r"unknown prompt with exemplars 'l09_central'.*Valid: l09_essay_1"):
        exemplars("l09_central")
    with pytest.raises(UnknownNameError, match="did you mean 'l09_essay_1'"):
        exemplars("l09_esay_1")


# --- task work in the portfolio and the progress view ------------------------------------


def _do_every_task() -> dict:
    """Do each task widget's task once in the learner's store; return what a reader should find."""
    from lessons_lib.apps import ArrangeEvents, ClaimChecker, ComparisonExplorer, WeighFactors

    explorer = ComparisonExplorer(dimension="peasantry", predict="stalinism")
    explorer.choice_control.value = "like_leninism"
    explorer.text_control.value = MARKUP
    assert explorer.reveal()
    arrange = ArrangeEvents(["lenin_died", "stalin_general_secretary"])
    for slot, event in zip(arrange.slots, ["lenin_died", "stalin_general_secretary"], strict=True):
        slot.value = event  # the wrong way round
    assert arrange.check() is not None
    weigh = WeighFactors()
    weigh.sliders["apparatus"].value = 4
    weigh.sliders["trotsky_errors"].value = 0
    assert weigh.compare()
    checker = ClaimChecker(article="trotskyism_vs_stalinism")
    assert checker.judge("accurate", f"A reason {MARKUP}")
    ClaimChecker(article="trotskyism_vs_stalinism").next()  # opening a claim saves nothing
    return {"claim": checker.claim, "article": checker.articles.at[checker.article, "title"]}


def test_the_portfolio_lists_every_task_by_name_with_what_was_chosen_and_the_feedback():
    done = _do_every_task()
    page = portfolio_html()
    lesson3 = page.split("<h2>Lesson 3</h2>")[1].split("<h2>")[0]
    position = load("positions").set_index(["ideology_id", "dimension_id"]).loc[("stalinism", "peasantry")]
    assert "Predict, then reveal: Stalinism on" in lesson3
    assert "Close to Leninism&#x27;s position" in lesson3 and html.escape(MARKUP) in lesson3
    assert html.escape(position["summary"]) in lesson3  # the position revealed to the learner
    lesson4 = page.split("<h2>Lesson 4</h2>")[1].split("<h2>")[0]
    assert "Arrange the events: 2 events of 1922-1924 in date order" in lesson4
    events = load("events").set_index("id")
    assert html.escape(events.at["lenin_died", "title"]) in lesson4 and "✗ belongs 2nd" in lesson4
    assert "In the right place:</b> 0 of 2 events" in lesson4
    assert "Weigh the factors: why did Stalin win?" in lesson4
    assert "<td>Control of the party apparatus</td><td>4 of 4</td>" in lesson4
    assert "Closest to your weighting:</b> Trotsky (1936)" in lesson4
    lesson8 = page.split("<h2>Lesson 8</h2>")[1].split("<h2>")[0]
    assert f"Claim checker: <i>{html.escape(done['article'])}</i>" in lesson8
    assert html.escape(done["claim"].quote) in lesson8
    assert "Your verdict:</b> accurate" in lesson8 and f"A reason {html.escape(MARKUP)}" in lesson8
    assert f"The editors' judgement:</b> {done['claim'].verdict} (not the same as yours)" in lesson8
    assert lesson8.count("Claim checker:") == 1  # a claim only looked at is not work
    assert "<script>" not in page
    for item in ("predict.stalinism", "arrange.", "weigh.stalin_won", "claim.", "like_leninism"):
        assert item not in page  # names, not ids


def test_task_work_not_yet_checked_says_so_and_shows_no_feedback(store):
    store.save("task", 4, "weigh.stalin_won", {"weights": {"apparatus": 3}, "compared": False})
    store.save("task", 3, "predict.stalinism.peasantry", {"choice": "unlike", "text": "", "revealed": False})
    store.save("task", 8, "claim.ts_democratic_socialism", {"verdict": None, "reason": "Because", "checked": False})
    page = portfolio_html()
    assert "<td>Control of the party apparatus</td><td>3 of 4</td>" in page
    assert "Not compared with the historians yet." in page and "Closest to your weighting" not in page
    assert "Unlike either" in page and "Not revealed yet." in page
    assert "Your verdict:</b> <em>(empty)</em>" in page and "Not checked yet." in page
    assert "The editors' judgement" not in page


def test_a_damaged_or_unknown_task_record_is_shown_as_unreadable_not_a_crash(store):
    store.save("task", 8, "claim.no_such_claim", {"verdict": "accurate", "reason": MARKUP, "checked": True})
    store.save("task", 4, "arrange.0123456789ab", {"order": ["lenin_died", 7, None], "checked": True})
    store.save("task", 4, "weigh.stalin_won", {"weights": "<b>4</b>", "compared": 1})  # nothing usable: not work
    page = portfolio_html()
    assert "A task [claim.no_such_claim]" in page and "cannot show it" in page and MARKUP not in page
    assert html.escape(load("events").set_index("id").at["lenin_died", "title"]) in page
    assert "Not checked yet." in page  # an order with empty places cannot have been checked
    assert "Weigh the factors" not in page
    assert progress_rows()[3]["tasks"] == 1


def test_progress_counts_the_tasks_done_and_checked_in_each_lesson(store):
    _do_every_task()
    store.save("task", 4, "predict.trotskyism.peasantry", {"choice": None, "text": "A guess", "revealed": False})
    rows = {row["lesson"]: row for row in progress_rows()}
    assert (rows[3]["tasks"], rows[3]["checked"]) == (1, 1)
    assert (rows[4]["tasks"], rows[4]["checked"]) == (3, 2)
    assert (rows[8]["tasks"], rows[8]["checked"]) == (1, 1)
    assert (rows[2]["tasks"], rows[2]["checked"]) == (0, 0)
    table = progress().data
    assert "<th>Tasks (checked of started)</th>" in table
    assert "<td>Lesson 4</td><td>started</td><td>&ndash;</td><td>0</td><td>2 of 3</td><td>&ndash;</td>" in table
    assert "<td>Lesson 3</td><td>started</td><td>&ndash;</td><td>0</td><td>1 of 1</td>" in table


def test_the_question_bank_is_saved_apart_and_the_in_class_quiz_marks_a_lesson_done():
    from lessons_lib.apps import Quiz

    in_class, bank = Quiz(lessons=2, in_class=True), Quiz(lessons=2, in_class=False)
    for quiz in (in_class, bank):
        quiz.answer(quiz._parts(quiz.question.answer))
        quiz.check()
    row = progress_rows()[1]
    assert row["quiz"]["questions"] == len(in_class.questions) and sorted(row["reviews"]) == ["bank"]
    assert f"question bank: latest 1 of {len(bank.questions)}" in progress().data
