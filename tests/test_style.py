"""The visual language: palette, ideology and category styles, eras, fonts, captions, alt text."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from richdata import write_rich_package
from support import DATA

from lessons_lib import _paths
from lessons_lib.charts import add_source_line, alt_text, era_spans, set_alt_text, shade_eras
from lessons_lib.data import UnknownNameError, load
from lessons_lib.html import source_line_text
from lessons_lib.style import OKABE_ITO, RC, category_style, category_styles, ideology_style, use_style
from lessons_lib.validate import read_descriptor


@pytest.fixture(autouse=True)
def course(mini_data, monkeypatch):
    write_rich_package(mini_data)
    monkeypatch.setattr(_paths, "data_dir", lambda: mini_data)
    return mini_data


def _real(table):
    """A table of the course data itself (the tests otherwise read a small copy)."""
    return pd.read_csv(DATA / f"{table}.csv", dtype=str, keep_default_na=False)


def test_every_event_and_policy_category_of_the_descriptor_has_a_look_in_the_categories_table():
    descriptor = read_descriptor(DATA)
    enums = {
        category
        for resource in descriptor["resources"]
        if resource["name"] in ("events", "policies")
        for field in resource["schema"]["fields"]
        if field["name"] == "category"
        for category in field["constraints"]["enum"]
    }
    assert enums == set(_real("categories")["id"])


def test_every_category_and_ideology_has_an_okabe_ito_colour_and_categories_have_their_own_marker():
    categories = _real("categories")
    assert set(categories["color"]) | set(_real("ideologies")["color"]) <= set(OKABE_ITO.values())
    assert categories["marker"].is_unique and categories["color"].is_unique


def test_category_styles_follow_the_categories_table_in_its_order():
    assert list(category_styles()) == list(load("categories")["id"])
    assert category_style("economy") == {"color": "#009E73", "marker": "^", "label": "Economy"}


def test_category_style_rejects_an_unknown_category():
    with pytest.raises(UnknownNameError, match=r"unknown category 'ecnomy'; did you mean 'economy'\?"):
        category_style("ecnomy")


def test_ideology_style_is_read_from_the_ideologies_table():
    row = load("ideologies").set_index("id").loc["trotskyism"]
    assert ideology_style("trotskyism") == {
        "color": row["color"],
        "marker": row["marker"],
        "linestyle": row["linestyle"],
        "label": "Trotskyism",
    }


def test_ideology_style_suggests_the_closest_ideology():
    with pytest.raises(UnknownNameError, match=r"unknown ideology 'leninsm'; did you mean 'leninism'\?"):
        ideology_style("leninsm")


def test_era_spans_give_each_era_a_distinct_light_colour():
    spans = era_spans()
    assert list(spans["id"]) == ["lenin", "succession", "stalin"]
    assert spans["color"].is_unique
    assert all(mpl.colors.rgb_to_hsv(mpl.colors.to_rgb(c))[2] > 0.85 for c in spans["color"])


def test_shade_eras_draws_one_band_per_era_in_range_and_names_it():
    fig, ax = plt.subplots()
    ax.set_xlim(1920, 1940)
    names = shade_eras(ax)
    assert names == ["Lenin's leadership", "The succession struggle", "Stalin's rule"]
    assert len([p for p in ax.patches if str(p.get_gid()).startswith("era-")]) == 3
    assert len([t for t in ax.texts if t.get_gid() == "era-label"]) == 3


def test_shade_eras_skips_eras_outside_the_range():
    fig, ax = plt.subplots()
    assert shade_eras(ax, xlim=(1870, 1910)) == []
    assert not ax.patches


def test_rc_is_readable_on_a_projector():
    assert RC["xtick.labelsize"] >= 12 and RC["ytick.labelsize"] >= 12
    assert RC["axes.titlesize"] >= 14


def test_shade_eras_leaves_out_names_that_would_run_past_the_axes():
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.set_xlim(1923.5, 1935)
    shade_eras(ax)
    fig.canvas.draw()
    box = ax.get_window_extent()
    labels = [t for t in ax.texts if t.get_gid() == "era-label"]
    assert "Lenin's\nleadership" not in [t.get_text() for t in labels]
    for label in labels:
        extent = label.get_window_extent()
        assert box.x0 <= extent.x0 and extent.x1 <= box.x1


def test_use_style_applies_rc_only_inside_the_block():
    before = mpl.rcParams["axes.titlesize"]
    with use_style():
        assert mpl.rcParams["axes.titlesize"] == RC["axes.titlesize"]
    assert mpl.rcParams["axes.titlesize"] == before


def test_add_source_line_writes_one_caption_under_the_axes():
    fig, ax = plt.subplots()
    add_source_line(ax, "first")
    caption = add_source_line(ax, "Source: second")
    captions = [t for t in ax.texts if t.get_gid() == "source-line"]
    assert captions == [caption]
    assert caption.get_text() == "Source: second"
    assert caption.xyann[1] < 0  # below the axes


def test_source_line_text_formats_cites_and_counts_the_rest():
    text = source_line_text([["service_2000", "kotkin_2014"], ["service_2000"], ["davies_1994"]], max_cited=2)
    assert text == (
        "Sources: Robert Service (2000), Lenin: A Biography; Stephen Kotkin (2014), Stalin, Volume I; "
        "and 1 more work (see the sources table)"
    )
    assert source_line_text([]) == ""


def test_alt_text_prefers_the_description_a_chart_recorded():
    fig, ax = plt.subplots()
    set_alt_text(ax, "Timeline of 3 events.")
    add_source_line(ax, "Service (2000)")
    assert alt_text(ax) == "Timeline of 3 events. Source: Service (2000)"


def test_alt_text_describes_a_plain_axes_from_its_artists():
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    ax.bar([1, 2], [3, 4])
    ax.set_title("Output")
    ax.set_ylabel("tonnes")
    assert alt_text(ax) == "Chart 'Output'; y axis: tonnes; 1 line; 2 bars or bands."
