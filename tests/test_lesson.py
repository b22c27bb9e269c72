"""Lesson helpers: what a learner reads in a lesson without a kernel (self-check, glossary, sources, charts)."""

from __future__ import annotations

import re
import struct

import pytest

from lessons_lib.charts import plot_timeline
from lessons_lib.data import UnknownNameError, load
from lessons_lib.lesson import bibliography, chart, exam_questions, glossary, self_check, who_is_who


def test_self_check_folds_each_answer_away_with_its_explanation():
    shown = self_check(1, limit=10).data
    questions = load("questions")
    for q in questions[questions["lesson"] == 1].itertuples():
        assert q.prompt.replace("'", "&#x27;") in shown
    assert shown.count("<details>") == (questions["lesson"] == 1).sum()


def test_self_check_shows_names_not_ids_in_ordering_and_matching_answers():
    shown = self_check(1, limit=10).data
    assert "Leninism: Vladimir Lenin; Trotskyism: Leon Trotsky; Stalinism: Joseph Stalin" in shown
    assert "Lenin&#x27;s leadership &rarr; The succession struggle &rarr; Stalin&#x27;s rule" in shown
    assert not re.search(r"\b(lenin|succession)\b &rarr;", shown)


def test_self_check_for_a_lesson_without_questions_says_so():
    with pytest.raises(ValueError, match="no questions for lesson 42"):
        self_check(42)


def test_glossary_defines_each_term_in_order_and_suggests_a_fix_for_a_typo():
    shown = glossary(["nep", "vanguard_party"]).data
    terms = load("glossary").set_index("id")
    assert shown.index(terms.loc["nep", "term"]) < shown.index(terms.loc["vanguard_party", "term"])
    with pytest.raises(UnknownNameError, match="did you mean 'vanguard_party'"):
        glossary(["vangard_party"])


def test_bibliography_gives_author_year_title_and_a_link_when_there_is_one():
    sources = load("sources").set_index("id")
    linked = sources[sources["url"].notna()].index[0]
    shown = bibliography(["service_2000", linked]).data
    assert "Robert Service (2000). <i>Lenin: A Biography</i>. Macmillan." in shown
    assert f'href="{sources.loc[linked, "url"]}"' in shown
    with pytest.raises(UnknownNameError):
        bibliography(["service_2001"])


def test_who_is_who_lists_the_figures_asked_for_in_that_order():
    shown = who_is_who(["trotsky", "lenin"]).data
    assert shown.index("Leon Trotsky") < shown.index("Vladimir Lenin")
    assert "1879&ndash;1940" in shown
    with pytest.raises(UnknownNameError, match="did you mean 'trotsky'"):
        who_is_who(["trotksy"])


def test_chart_gives_a_png_with_the_charts_alt_text():
    image = chart(plot_timeline, years=(1917, 1929))
    assert image.png.startswith(b"\x89PNG")
    assert image.alt.startswith("Timeline of ")
    assert image._repr_mimebundle_()["text/plain"] == image.alt
    width, height = struct.unpack(">II", image.png[16:24])  # the IHDR chunk
    wide, high = struct.unpack(">II", chart(plot_timeline, years=(1917, 1929), figsize=(12, 7)).png[16:24])
    assert (width / wide, height / high) == pytest.approx((11 / 12, 5.5 / 7), abs=0.002)  # 11 x 5.5 in by default


def test_lesson_helpers_import_neither_the_apps_nor_ipywidgets():
    import subprocess
    import sys

    code = "import sys, lessons_lib.lesson; print(sorted(m for m in sys.modules if m.startswith(('ipywidgets', 'lessons_lib.apps'))))"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert shown.strip() == "[]"


# --- lesson.table: the course's plain HTML table (the lead) ---------------------------------------


def test_table_shows_names_not_ids_and_citations_not_source_ids():
    from lessons_lib.lesson import table
    from lessons_lib.query import perspectives_for

    shown = table(
        perspectives_for("political_repression"), {"tradition_id": "Tradition", "proponents": "Historians"}
    ).data
    assert "Tradition</th>" in shown and "<td" in shown
    traditions = load("traditions")
    assert sum(name in shown for name in traditions["name"]) >= 3 and "text-align:left" in shown
    assert not any(f">{tid}<" in shown for tid in traditions["id"])


def test_table_writes_a_dash_for_missing_values_and_joins_lists():
    import pandas as pd

    from lessons_lib.lesson import table

    shown = table(pd.DataFrame({"a": [None], "b": [["x", "y"]]})).data
    assert ">\u2013<" in shown and ">x, y<" in shown


def test_table_escapes_markup_and_never_truncates():
    import pandas as pd

    from lessons_lib.lesson import table

    long = "word " * 400 + "<img src=x onerror=alert(1)>"
    shown = table(pd.DataFrame({"text": [long]})).data
    assert "<img" not in shown and "&lt;img" in shown and shown.count("word") == 400


def test_table_rejects_an_unknown_column_with_a_suggestion():
    from lessons_lib.data import UnknownNameError
    from lessons_lib.lesson import table

    with pytest.raises(UnknownNameError, match=r"did you mean 'name'\?"):
        table(load("eras"), ["nmae"])


# ---------------------------------------------------------------------------------------------
# Issue 13, section 3: the static self-check shows the whole bank, or says how much (added by `questions`).
# ---------------------------------------------------------------------------------------------


def test_self_check_shows_the_whole_bank_of_a_lesson():
    questions = load("questions")
    for lesson in (5, 9):
        shown = self_check(lesson).data
        assert shown.count("<details>") == (questions["lesson"] == lesson).sum() > 8
        assert "<p>The first" not in shown  # no note that only some are shown


def test_self_check_with_a_limit_says_how_many_of_how_many_it_shows():
    total = (load("questions")["lesson"] == 5).sum()
    shown = self_check(5, limit=4).data
    assert shown.count("<details>") == 4
    assert (
        f"The first 4 of the lesson&#x27;s {total} questions." in shown
        or f"The first 4 of the lesson's {total}" in shown
    )


def test_self_check_shows_multiple_choice_options_by_name():
    shown = self_check(1).data + self_check(3).data  # figures in lesson 1, schools of historians in lesson 3
    for name in (
        "Vladimir Lenin",
        "Leon Trotsky",
        "Joseph Stalin",
        "Nikolai Bukharin",
        "Liberal / totalitarian school",
    ):
        assert f"> {name}</label>" in shown  # a radio button labelled with the name
    assert "lenin / trotsky" not in shown


def test_exam_questions_show_the_question_and_its_marks_with_the_mark_scheme_folded_away():
    import html

    shown = exam_questions(4).data
    question = load("exam_questions").set_index("id").loc["l04_exam_aqa_apparatus"]
    assert html.escape(question.question) in shown and "[25 marks]" in shown
    assert shown.index("<details>") < shown.index("Level 5 (21-25)") < shown.index("Indicative content")
    assert "Daniels" in shown and "Format checked" in shown


def test_exam_questions_name_the_documents_an_extract_question_is_set_on():
    title = load("documents").set_index("id").loc["hist_kotkin_2014_remove_stalin", "title"]
    assert "Set on: " in exam_questions(4).data and title.split(":")[0] in exam_questions(4).data


def test_exam_questions_reject_a_lesson_without_questions_and_say_which_have_some():
    with pytest.raises(ValueError, match=r"no exam questions for lesson 1; lessons with exam questions: 2, 3, "):
        exam_questions(1)


def test_table_writes_dates_and_months_as_a_reader_does_not_as_timestamps():
    from lessons_lib.lesson import table

    events = load("events").set_index("id")
    rows = events.loc[["february_revolution", "iskra_founded", "emancipation_of_labour"]]
    html_text = table(rows, {"title": "Event", "date": "Date", "month": "Month", "old_style_date": "Old Style"}).data
    assert "00:00:00" not in html_text and "1917-02-23" not in html_text
    assert ">8 Mar 1917<" in html_text and ">23 Feb 1917<" in html_text  # New and Old Style
    assert ">Dec 1900<" in html_text and ">1883<" in html_text  # only as much of a date as is known
    assert ">Mar<" in html_text  # the month by name, not 3


def test_table_shows_lists_of_ids_by_name():
    from lessons_lib.lesson import table

    positions = load("positions")
    contested = positions[positions["contested"]].groupby("dimension_id", observed=True)["ideology_id"].apply(list)
    html_text = table(contested.reset_index(), {"dimension_id": "Dimension", "ideology_id": "Contested for"}).data
    names = set(load("ideologies")["name"])
    assert any(name in html_text for name in names)
    assert "leninism" not in html_text and "stalinism" not in html_text
