"""How ids are shown to a learner: row labels and the labels of matching answers."""

from __future__ import annotations

import pytest

from lessons_lib.data import load
from lessons_lib.labels import row_labels, value_label


def test_row_labels_use_the_first_readable_column():
    assert row_labels("ideologies")["leninism"] == "Leninism"
    assert row_labels("events")["lenin_born"] == load("events").set_index("id").loc["lenin_born", "title"]
    assert row_labels("glossary")[load("glossary")["id"].iloc[0]] == load("glossary")["term"].iloc[0]


@pytest.mark.parametrize(
    ("value", "shown"),
    [("trotsky", "Leon Trotsky"), ("stalinism", "Stalinism"), ("misleading", "Misleading"), ("1929", "1929")],
    ids=["figure name", "ideology name", "verdict word", "year as written"],
)
def test_a_matching_answer_is_shown_in_words(value, shown):
    assert value_label(value) == shown


def test_a_value_of_no_known_vocabulary_is_shown_as_written():
    assert value_label("war_communism") == "war_communism"
