"""Loaders (dtypes, caching, helpful errors) and the integrity of the real course data."""

from __future__ import annotations

import copy
import json
import pickle
import time

import pandas as pd
import pytest

from lessons_lib import data
from lessons_lib.data import UnknownNameError, check_ideologies, dataset_names, describe, load
from lessons_lib.query import choices

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
    with pytest.raises(TypeError):
        first.loc[0, "sources"].append("changed")
    again = load("events")
    assert again.loc[0, "title"] != "changed"
    assert "changed" not in again.loc[0, "sources"]


CHANGES_IN_PLACE = {
    "append": lambda cell: cell.append("MUTATED"),
    "extend": lambda cell: cell.extend(["MUTATED"]),
    "insert": lambda cell: cell.insert(0, "MUTATED"),
    "item assignment": lambda cell: cell.__setitem__(0, "MUTATED"),
    "slice deletion": lambda cell: cell.__delitem__(slice(None)),
    "+=": lambda cell: cell.__iadd__(["MUTATED"]),
    "sort": lambda cell: cell.sort(reverse=True),
    "clear": lambda cell: cell.clear(),
    "pop": lambda cell: cell.pop(),
}
LIST_TABLES = [
    r["name"] for r in data.descriptor()["resources"] if any(f["type"] == "list" for f in r["schema"]["fields"])
]


def _first_list_cell(table: pd.DataFrame) -> tuple[str, list[str]]:
    column = next(c for c in table.columns if isinstance(table[c].iloc[0], list))
    return column, table[column].iloc[0]


@pytest.mark.parametrize("change", CHANGES_IN_PLACE.values(), ids=CHANGES_IN_PLACE.keys())
def test_a_list_cell_cannot_be_changed_in_place_so_later_loads_stay_intact(change):
    column, cell = _first_list_cell(load("events"))
    before = list(cell)
    with pytest.raises(TypeError, match=r"make a list of your own first: items = list\(cell\)"):
        change(cell)
    assert load("events")[column].iloc[0] == before


@pytest.mark.parametrize("name", LIST_TABLES)
def test_every_table_hands_out_read_only_list_cells(name):
    column, cell = _first_list_cell(load(name))
    before = list(cell)
    with pytest.raises(TypeError, match="cannot be changed in place"):
        cell.append("MUTATED")
    assert load(name)[column].iloc[0] == before


def test_a_list_cell_reads_prints_and_copies_like_a_list():
    cell = load("events").loc[0, "sources"]
    assert isinstance(cell, list)
    assert repr(cell) == repr(list(cell))
    assert cell == list(cell)
    mine = cell.copy()
    mine.append("mine")
    assert type(mine) is list
    assert pickle.loads(pickle.dumps(cell)) == cell
    assert copy.deepcopy(cell) == cell


def test_a_table_with_list_cells_prints_as_with_plain_lists():
    events = load("events")
    plain = events.copy()
    for column in ("figures", "ideologies", "sources"):
        plain[column] = [list(items) for items in plain[column]]
    assert repr(events) == repr(plain)
    assert events.to_html() == plain.to_html()


def test_clear_cache_also_forgets_the_descriptor_behind_choices(data_copy, monkeypatch):
    from lessons_lib import _paths

    monkeypatch.setattr(_paths, "data_dir", lambda: data_copy)
    data.clear_cache()
    assert list(load("eras")["id"].cat.categories) == choices("eras", "id") == ["lenin", "succession", "stalin"]
    path = data_copy / "datapackage.json"
    descriptor = json.loads(path.read_text())
    eras = next(r for r in descriptor["resources"] if r["name"] == "eras")
    field = next(f for f in eras["schema"]["fields"] if f["name"] == "id")
    field["categories"].reverse()
    path.write_text(json.dumps(descriptor))
    data.clear_cache()
    try:
        assert list(load("eras")["id"].cat.categories) == ["stalin", "succession", "lenin"]
        assert choices("eras", "id") == ["stalin", "succession", "lenin"]
        assert dataset_names() == [r["name"] for r in descriptor["resources"]]
    finally:
        data.clear_cache()


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


def test_query_re_exports_the_one_choices_of_the_data_layer():
    from lessons_lib import query

    assert query.choices is data.choices


def test_descriptor_is_a_copy_that_cannot_change_choices():
    found = data.descriptor()
    eras = next(r for r in found["resources"] if r["name"] == "eras")
    eras["schema"]["fields"][0]["categories"].reverse()
    assert choices("eras", "id") == ["lenin", "succession", "stalin"]


def test_ideology_ids_are_the_descriptor_choices_and_the_loaded_categories():
    assert data.ideology_ids() == choices("ideologies", "id") == list(load("ideologies")["id"].cat.categories)


def test_load_given_a_table_says_you_already_have_it():
    events = load("events")
    with pytest.raises(TypeError, match=r"but was given a table: you already have the table, so use it directly"):
        load(events)


def test_load_given_something_else_than_a_name_says_what_it_takes():
    with pytest.raises(TypeError, match=r"load\(\) takes the name of a table, such as load\('events'\), not int"):
        load(3)


def test_describe_lists_every_column_with_its_type_rules_and_meaning():
    table = describe("events")
    assert list(table["column"]) == list(load("events").columns)
    year = table.set_index("column").loc["year"]
    assert (year["type"], year["rules"]) == ("integer", "required; minimum 1840; maximum 2026")
    assert "refers to sources.id" in table.set_index("column").loc["sources", "rules"]
    assert table.attrs["title"] == "Events"
    assert table.attrs["license"] == "CC-BY-4.0 (Creative Commons Attribution 4.0)"


def test_describe_suggests_the_closest_table_name():
    with pytest.raises(UnknownNameError, match=r"unknown dataset 'event'; did you mean 'events'\?"):
        describe("event")


def test_famine_estimates_are_labelled_with_their_sources_year_so_the_chart_shows_how_they_changed():
    observations, sources = load("observations"), load("sources").set_index("id")
    famine = observations[observations["series_id"] == "famine_deaths_1932_33"]
    assert len(famine) >= 5
    for label, source in zip(famine["variant_label"], famine["source_id"], strict=True):
        assert label.endswith(f"({int(sources.loc[source, 'year'])})"), label
    assert "Mesle" not in " ".join(famine["variant_label"])  # France Meslé, as the source writes her name


def test_death_sentence_figures_are_labelled_in_plain_words():
    observations = load("observations")
    labels = set(observations.loc[observations["series_id"] == "death_sentences", "variant_label"])
    assert labels == {"Interior Ministry (MVD) tally of 1953"}  # was "MVD 1953": whose tally, and what 1953 means


def test_grain_estimates_say_who_revised_them():
    observations = load("observations")
    labels = set(observations.loc[observations["series_id"] == "grain_harvest", "variant_label"])
    # from the series' description: revised_soviet = later Soviet recalculation; revised = Wheatcroft and Davies (1994)
    assert {"Wheatcroft & Davies (1994) estimate", "Later Soviet recalculation (barn yield)"} <= labels
    assert not labels & {"Revised", "Revised Soviet"}
