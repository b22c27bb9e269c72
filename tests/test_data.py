"""Loaders (dtypes, caching, helpful errors) and the integrity of the real course data."""

from __future__ import annotations

import time

import pandas as pd
import pytest

from lessons_lib import data
from lessons_lib.data import UnknownNameError, check_ideologies, dataset_names, load

NAMES = dataset_names()


@pytest.mark.parametrize("name", NAMES)
def test_every_dataset_loads_as_a_non_empty_dataframe(name):
    frame = load(name)
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) > 0


def test_load_suggests_the_closest_dataset_name():
    with pytest.raises(UnknownNameError, match=r"unknown dataset 'event'; did you mean 'events'\? Valid: sources, "):
        load("event")


def test_unknown_ideology_gets_did_you_mean():
    with pytest.raises(UnknownNameError, match=r"unknown ideology 'stalinsm'; did you mean 'stalinism'\?"):
        check_ideologies("stalinsm")


def test_empty_ideology_selection_is_refused():
    with pytest.raises(ValueError, match="select at least one ideology"):
        check_ideologies([])


def test_ideology_selection_comes_back_in_canonical_order():
    assert check_ideologies(["stalinism", "leninism"]) == ["leninism", "stalinism"]


def test_ids_are_ordered_categoricals_in_canonical_order():
    positions = load("positions")
    assert positions["ideology_id"].dtype == pd.CategoricalDtype(["leninism", "trotskyism", "stalinism"], ordered=True)
    assert list(positions["dimension_id"].cat.categories) == data.dimension_ids()
    assert positions["dimension_id"].cat.ordered


def test_years_are_integers_and_month_day_nullable():
    events = load("events")
    assert events["year"].dtype == "int64"
    assert events["month"].dtype == "Int64"
    assert events["day"].dtype == "Int64"
    assert load("figures")["born"].dtype.kind == "M"


def test_list_columns_are_python_lists():
    events = load("events")
    assert all(isinstance(v, list) for v in events["sources"])


def test_repeat_load_is_cached_and_returns_a_copy():
    load("events")
    start = time.perf_counter()
    first = load("events")
    assert time.perf_counter() - start < 0.05
    first.loc[0, "title"] = "changed"
    assert load("events").loc[0, "title"] != "changed"


def test_load_from_another_folder(mini_data):
    assert len(load("events", data_dir=mini_data)) == 2


def test_load_raises_data_validation_error_for_a_broken_folder(mini_data):
    from lessons_lib.validate import DataValidationError

    (mini_data / "events.csv").write_text("id\n")
    with pytest.raises(DataValidationError, match=r"events.csv, row 1, column 'year': required column is missing"):
        load("events", data_dir=mini_data)


def test_format_sources_gives_author_year_title():
    ref = load("sources").iloc[0]
    assert data.format_sources([ref["id"]]) == [f"{ref['author']} ({ref['year']}), {ref['title']}"]


def test_unknown_source_id_is_refused_with_a_suggestion():
    ref = load("sources").iloc[0]["id"]
    with pytest.raises(UnknownNameError, match="did you mean"):
        data.sources_for([ref + "x"])
