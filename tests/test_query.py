"""Filtering and shaping functions: selections, validation messages, order and shape of the result."""

from __future__ import annotations

import pandas as pd
import pytest
from richdata import write_rich_package

from lessons_lib import _paths
from lessons_lib.data import UnknownNameError, load
from lessons_lib.query import (
    choices,
    comparison_pivot,
    comparison_table,
    filter_events,
    filter_policies,
    perspectives_for,
    series_frame,
)


@pytest.fixture(autouse=True)
def course(mini_data, monkeypatch):
    """The default loaders read a small varied package instead of the (unfinished) course data."""
    write_rich_package(mini_data)
    monkeypatch.setattr(_paths, "data_dir", lambda: mini_data)
    return mini_data


def test_filter_events_defaults_to_every_event_in_date_order():
    events = filter_events()
    assert len(events) == len(load("events"))
    assert events["when"].is_monotonic_increasing
    assert events["when"].dtype == "float64"


def test_filter_events_keeps_events_sharing_any_selected_ideology():
    events = filter_events(ideologies="trotskyism")
    assert set(events["id"]) == {"october", "trotsky_expelled", "trotsky_deported"}
    assert all("trotskyism" in ideologies for ideologies in events["ideologies"])


def test_filter_events_combines_figures_categories_and_inclusive_years():
    events = filter_events(figures=["stalin"], categories=["economy", "repression"], years=(1928, 1937))
    assert list(events["id"]) == ["fyp", "terror"]


def test_filter_events_accepts_an_open_ended_year_range():
    assert filter_events(years=(1929, None))["year"].min() == 1929


def test_filter_events_accepts_a_frame_given_by_hand():
    frame = pd.DataFrame(
        {
            "id": ["b", "a"],
            "year": [1924, 1917],
            "month": pd.array([None, 11], dtype="Int64"),
            "day": pd.array([None, 7], dtype="Int64"),
            "category": ["writing", "politics"],
            "figures": [["stalin"], ["lenin"]],
            "ideologies": [["stalinism"], ["leninism"]],
            "sources": [["x"], ["x"]],
        }
    )
    assert list(filter_events(frame)["id"]) == ["a", "b"]


def test_filter_events_can_return_an_empty_frame():
    events = filter_events(years=(1800, 1801))
    assert events.empty
    assert "when" in events.columns


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"ideologies": "stalinsm"}, r"unknown ideology 'stalinsm'; did you mean 'stalinism'\?"),
        ({"figures": "stallin"}, r"unknown figure 'stallin'; did you mean 'stalin'\?"),
        ({"categories": ["economi"]}, r"unknown category 'economi'; did you mean 'economy'\?"),
    ],
)
def test_filter_events_rejects_unknown_names_with_a_suggestion(kwargs, message):
    with pytest.raises(UnknownNameError, match=message):
        filter_events(**kwargs)


def test_filter_events_rejects_an_inverted_year_range():
    with pytest.raises(ValueError, match="start year 1930 is after end year 1920"):
        filter_events(years=(1930, 1920))


def test_filter_events_rejects_years_that_are_not_a_pair():
    with pytest.raises(ValueError, match=r"years must be a \(start, end\) pair"):
        filter_events(years=1917)


def test_filter_events_rejects_an_empty_selection():
    with pytest.raises(ValueError, match="select at least one ideology; valid: leninism, trotskyism, stalinism"):
        filter_events(ideologies=[])


def test_filter_policies_uses_months_for_start_and_end():
    policies = filter_policies().set_index("id")
    assert policies.loc["war_communism", "start"] == pytest.approx(1918 + 5 / 12)
    assert policies.loc["war_communism", "end"] == pytest.approx(1921 + 3 / 12)
    assert policies.loc["red_terror", "end"] == 1922.5  # no month: the middle of the year
    assert policies.loc["sioc", "start"] == 1924.5
    assert policies.loc["sioc", "end"] == 1953.5


def test_filter_policies_never_end_a_policy_before_it_starts():
    frame = load("policies").iloc[:1].assign(start_year=1918, start_month=9, end_year=1918)
    frame["end_month"] = pd.array([None], dtype="Int64")
    (row,) = filter_policies(frame).itertuples()
    assert row.start == pytest.approx(1918 + 8 / 12)
    assert row.end == pytest.approx(1918 + 9 / 12)


def test_filter_policies_selects_by_era_ideology_and_category():
    assert list(filter_policies(eras="lenin", categories="economy")["id"]) == ["war_communism", "nep"]
    assert list(filter_policies(ideologies="stalinism")["id"]) == ["sioc", "collectivisation"]


def test_filter_policies_are_sorted_by_start():
    assert filter_policies()["start"].is_monotonic_increasing


def test_filter_policies_rejects_an_unknown_era():
    with pytest.raises(UnknownNameError, match=r"unknown era 'lenim'; did you mean 'lenin'\?"):
        filter_policies(eras="lenim")


def test_comparison_table_is_tidy_and_in_canonical_order():
    table = comparison_table(
        ideologies=["stalinism", "leninism"], dimensions=["political_repression", "economic_policy"]
    )
    assert list(zip(table["dimension_id"].astype(str), table["ideology_id"].astype(str), strict=True)) == [
        ("economic_policy", "leninism"),
        ("economic_policy", "stalinism"),
        ("political_repression", "leninism"),
        ("political_repression", "stalinism"),
    ]
    assert table["contested"].dtype == bool


def test_comparison_pivot_gives_dimensions_by_ideologies_and_marks_contested_cells():
    table = comparison_table()
    texts = comparison_pivot(table)
    contested = comparison_pivot(table, "contested")
    assert list(texts.columns) == ["leninism", "trotskyism", "stalinism"]
    assert list(texts.index) == ["foundational_ideology", "economic_policy", "political_repression"]
    assert texts.loc["political_repression", "trotskyism"] == ""  # no row: an empty cell
    assert contested.loc["political_repression", "leninism"]
    assert int(contested.to_numpy().sum()) == 2


def test_comparison_pivot_rejects_an_unknown_column():
    with pytest.raises(UnknownNameError, match="unknown column 'summry'; did you mean 'summary'"):
        comparison_pivot(comparison_table(), "summry")


def test_comparison_table_rejects_an_unknown_dimension():
    with pytest.raises(UnknownNameError, match=r"unknown dimension 'economics'; did you mean 'economic_policy'\?"):
        comparison_table(dimensions="economics")


def test_perspectives_for_lists_traditions_in_canonical_order():
    readings = perspectives_for("political_repression")
    assert list(readings["tradition_id"].astype(str)) == ["liberal_totalitarian", "revisionist"]
    assert list(perspectives_for("political_repression", "revisionist")["proponents"]) == ["Getty"]


def test_perspectives_for_rejects_an_unknown_tradition():
    with pytest.raises(UnknownNameError, match="unknown tradition 'revisionists'; did you mean 'revisionist'"):
        perspectives_for("political_repression", ["revisionists"])


def test_series_frame_returns_one_series_grouped_by_category_and_variant():
    obs = series_frame("livestock")
    assert set(obs["series_id"]) == {"livestock"}
    assert list(zip(obs["category"], obs["year"], strict=True)) == [
        ("cattle", 1929),
        ("cattle", 1934),
        ("pigs", 1929),
        ("pigs", 1934),
    ]


def test_series_frame_suggests_the_closest_series():
    with pytest.raises(UnknownNameError, match=r"unknown series 'livestok'; did you mean 'livestock'\?"):
        series_frame("livestok")


def test_choices_reads_categories_and_enums_from_the_descriptor():
    assert choices("eras", "id") == ["lenin", "succession", "stalin"]
    assert "biography" in choices("events", "category")
    with pytest.raises(ValueError, match="events.title has no fixed set of values"):
        choices("events", "title")
