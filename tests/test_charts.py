"""Chart functions: what they draw (artists, legends, titles, captions), empty and one-row input, errors."""

from __future__ import annotations

import html
import itertools

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from richdata import write_rich_package
from support import DATA

from lessons_lib import _paths
from lessons_lib.charts import (
    CHART_RECT,
    NO_DATA,
    alt_text,
    plot_comparison,
    plot_gdp_comparison,
    plot_lifelines,
    plot_policies,
    plot_series,
    plot_timeline,
)
from lessons_lib.data import UnknownNameError, load
from lessons_lib.html import comparison_html
from lessons_lib.labels import row_labels
from lessons_lib.query import filter_events, filter_policies


@pytest.fixture(autouse=True)
def course(mini_data, monkeypatch):
    write_rich_package(mini_data)
    monkeypatch.setattr(_paths, "data_dir", lambda: mini_data)
    return mini_data


def _series_obs(**row):
    base = {
        "series_id": "gdp",
        "year": 1913,
        "category": "all",
        "variant": "estimate",
        "category_label": "All",
        "variant_label": "Estimate",
        "value": float("nan"),
        "low": float("nan"),
        "high": float("nan"),
        "source_id": "davies_1994",
        "note": None,
    }
    return pd.DataFrame([{**base, **row}])


def _gdp_tables(years=range(1913, 1992)):
    """Series and observations tables with GDP per capita of the former USSR and the USA (made-up values)."""
    series = pd.DataFrame(
        {
            "id": ["gdp_per_capita_former_ussr", "gdp_per_capita_usa"],
            "title": ["GDP per capita, Former USSR, 1900-1991", "GDP per capita, United States, 1900-1991"],
            "unit": ["dollars per person"] * 2,
            "sources": [["davies_1994"]] * 2,
        }
    )
    obs = pd.concat(
        [
            _series_obs(series_id=f"gdp_per_capita_{country}", year=year, value=scale * (year - 1900))
            for country, scale in (("former_ussr", 100.0), ("usa", 400.0))
            for year in years
        ],
        ignore_index=True,
    )
    return {"series": series, "observations": obs}


# name -> (default call, empty selection, one-row selection)
CHARTS = {
    "comparison": (
        lambda **kw: plot_comparison(**kw),
        lambda **kw: plot_comparison(load("positions").iloc[:0], **kw),
        lambda **kw: plot_comparison(load("positions").iloc[:1], **kw),
    ),
    "timeline": (
        lambda **kw: plot_timeline(**kw),
        lambda **kw: plot_timeline(years=(1800, 1801), **kw),
        lambda **kw: plot_timeline(load("events").iloc[:1], **kw),
    ),
    "policies": (
        lambda **kw: plot_policies(**kw),
        lambda **kw: plot_policies(load("policies").iloc[:0], **kw),
        lambda **kw: plot_policies(load("policies").iloc[:1], **kw),
    ),
    "lifelines": (
        lambda **kw: plot_lifelines(**kw),
        lambda **kw: plot_lifelines(load("figures").iloc[:0], **kw),
        lambda **kw: plot_lifelines(figure_ids="lenin", **kw),
    ),
    "gdp_comparison": (
        lambda **kw: plot_gdp_comparison("usa", **_gdp_tables(), **kw),
        lambda **kw: plot_gdp_comparison("usa", years=(1800, 1801), **_gdp_tables(), **kw),
        lambda **kw: plot_gdp_comparison("usa", **_gdp_tables(years=[1928]), **kw),
    ),
    "series": (
        lambda **kw: plot_series("gdp", **kw),
        lambda **kw: plot_series("gdp", observations=_series_obs(low=1.0, high=2.0), ranges=False, **kw),
        lambda **kw: plot_series("gdp", observations=_series_obs(value=1488.0), **kw),
    ),
}
NAMES = list(CHARTS)


def _caption(ax):
    return [t.get_text() for t in ax.texts if t.get_gid() == "source-line"]


def _row_names(ax, gid="lane-name"):
    """The names written left of the rows (timeline lanes, policies), top row first."""
    texts = [t for t in ax.texts if t.get_gid() == gid]
    return [t.get_text() for t in sorted(texts, key=lambda t: t.get_position()[1])]


def _key_labels(ax):
    """The labels of the category key that the timeline and policy charts draw beside the axes."""
    return [t.get_text() for t in ax.texts if t.get_gid() == "key-label"]


def _drawn(ax):
    return ax.lines + ax.patches + ax.collections + ax.texts + ax.images


@pytest.mark.parametrize("name", NAMES)
def test_chart_returns_the_given_axes_with_a_title_and_a_source_line(name):
    fig, ax = plt.subplots()
    assert CHARTS[name][0](ax=ax) is ax
    assert ax.get_title(loc="left")
    caption = _caption(ax)
    assert len(caption) == 1 and caption[0].startswith("Source")
    assert "(" in caption[0]  # formatted citations: Author (year), Title


@pytest.mark.parametrize("name", NAMES)
def test_chart_draws_only_on_its_axes_and_creates_no_figure(name):
    fig, (ax, other) = plt.subplots(1, 2)
    figures_before = plt.get_fignums()
    CHARTS[name][0](ax=ax)
    assert plt.get_fignums() == figures_before
    assert not _drawn(other)
    assert other.get_legend() is None and not other.get_title()


@pytest.mark.parametrize("name", NAMES)
def test_chart_uses_the_current_axes_when_none_is_given(name):
    fig, ax = plt.subplots()
    assert CHARTS[name][0]() is ax


@pytest.mark.parametrize("name", NAMES)
def test_chart_of_an_empty_selection_says_so_instead_of_failing(name):
    fig, ax = plt.subplots()
    assert CHARTS[name][1](ax=ax) is ax
    assert [t.get_text() for t in ax.texts] == [NO_DATA]
    assert ax.get_title(loc="left")
    assert NO_DATA.lower() in alt_text(ax)


@pytest.mark.parametrize("name", NAMES)
def test_chart_of_one_row_is_drawn_with_its_source(name):
    fig, ax = plt.subplots()
    CHARTS[name][2](ax=ax)
    assert NO_DATA not in [t.get_text() for t in ax.texts]
    assert _caption(ax)


@pytest.mark.parametrize("name", NAMES)
def test_chart_fits_the_apps_fixed_layout_without_a_tight_bounding_box(name):
    fig = plt.figure(figsize=(11, 5.5), dpi=80)
    ax = fig.add_axes(CHART_RECT)
    CHARTS[name][0](ax=ax)
    fig.canvas.draw()
    box = fig.bbox
    beside = {"source-line", "lane-name", "policy-name", "key-title", "key-label", "key-note", "end-label"}
    parts = [ax.get_legend(), *[t for t in ax.texts if t.get_gid() in beside], *ax.get_yticklabels(), ax.title]
    for artist in [p for p in parts if p is not None and p.get_visible()]:
        extent = artist.get_window_extent()
        assert box.x0 - 1 <= extent.x0 and extent.x1 <= box.x1 + 1, artist
        assert box.y0 - 1 <= extent.y0 and extent.y1 <= box.y1 + 1, artist


@pytest.mark.parametrize("name", NAMES)
def test_chart_records_alt_text_that_ends_with_its_source(name):
    fig, ax = plt.subplots()
    CHARTS[name][0](ax=ax)
    text = alt_text(ax)
    assert len(text) > 40
    assert text.endswith(_caption(ax)[0].replace("\n", " "))


# --- timeline ---


def _markers(ax):
    return sum(len(line.get_xdata()) for line in ax.lines if line.get_gid() == "events")


def _lanes_per_event(events, ideologies=None):
    """How many ideology lanes each event is drawn in (one 'no ideology' lane for none)."""
    shown = None if ideologies is None else set([ideologies] if isinstance(ideologies, str) else ideologies)
    return [max(1, len([i for i in ids if shown is None or i in shown])) for ids in events["ideologies"]]


def _figure_lanes_per_event(events, lanes=6):
    """How many person lanes each event is drawn in: one per lane of the most named figures it names."""
    counts = pd.Series([f for figs in events["figures"] for f in (figs or [])]).value_counts(sort=False)
    top = set(sorted(counts.index, key=lambda f: -counts[f])[:lanes])
    return [max(1, len(set(figs or []) & top)) for figs in events["figures"]]


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"ideologies": "stalinism"},
        {"categories": ["politics", "writing"]},
        {"figures": "trotsky"},
        {"years": (1917, 1929)},
        {"lanes": "figure"},
    ],
)
def test_timeline_draws_a_marker_per_event_in_each_of_its_lanes(kwargs):
    fig, ax = plt.subplots()
    plot_timeline(ax=ax, **kwargs)
    selection = {k: v for k, v in kwargs.items() if k != "lanes"}
    expected = filter_events(**{"years": (1870, 1991), **selection})
    per_event = (
        _figure_lanes_per_event(expected)
        if kwargs.get("lanes") == "figure"
        else _lanes_per_event(expected, kwargs.get("ideologies"))
    )
    assert _markers(ax) == sum(per_event)
    assert f"Timeline of {len(expected)} event" in alt_text(ax)  # the count is in the alt text, not the title
    assert not ax.get_title(loc="left")[0].isdigit()


@pytest.mark.parametrize(
    ("kwargs", "title"),
    [
        ({}, "Events by ideology, 1870-1937"),
        ({"lanes": "figure"}, "Events by person, 1870-1937"),
        ({"ideologies": "stalinism"}, "Events linked to Stalinism, 1924-1937"),
        ({"ideologies": ["leninism", "trotskyism", "stalinism"]}, "Events by ideology, 1870-1937"),
        ({"figures": "trotsky", "years": (1917, 1929)}, "Events in Trotsky's life, 1917-1929"),
        ({"figures": ["lenin", "trotsky"], "lanes": "figure"}, "Events in the lives of Lenin and Trotsky, 1870-1929"),
        ({"categories": "economy"}, "Economic events by ideology, 1921-1928"),
        ({"categories": "economy", "ideologies": "leninism"}, "Economic events linked to Leninism, 1921"),
        ({"title": "Our own title"}, "Our own title"),
    ],
)
def test_timeline_title_says_what_is_shown(kwargs, title):
    fig, ax = plt.subplots()
    plot_timeline(ax=ax, **kwargs)
    assert ax.get_title(loc="left") == title


@pytest.mark.parametrize(
    ("kwargs", "title"),
    [
        ({}, "Policies, 1918-1953"),
        ({"categories": "economy"}, "Economic policies, 1918-1937"),
        ({"eras": "lenin"}, "Policies begun during Lenin's leadership, 1918-1928"),
        ({"eras": "succession"}, "International policies begun during the succession struggle, 1924-1953"),
        ({"ideologies": "stalinism"}, "Policies linked to Stalinism, 1924-1953"),
        ({"title": "Our own title"}, "Our own title"),
    ],
)
def test_policies_title_says_what_is_shown(kwargs, title):
    fig, ax = plt.subplots()
    plot_policies(ax=ax, **kwargs)
    assert ax.get_title(loc="left") == title


def test_policies_of_one_category_have_no_key():
    fig, ax = plt.subplots()
    plot_policies(categories="economy", ax=ax)
    assert _key_labels(ax) == [] and not [t for t in ax.texts if t.get_gid() == "key-title"]
    fig, ax = plt.subplots()
    plot_policies(ax=ax)
    assert _key_labels(ax) == ["Politics (1)", "Economy (3)", "Repression (1)", "International (1)"]


@pytest.mark.parametrize(
    ("figure_ids", "title"),
    [
        (None, "Lives, offices and factions of Lenin, Stalin, Trotsky and Bukharin"),
        ("trotsky", "Life, offices and factions of Trotsky"),
        (["lenin", "trotsky", "stalin"], "Lives, offices and factions of Lenin, Stalin and Trotsky"),
    ],
)
def test_lifelines_title_names_the_people_in_order_of_birth(figure_ids, title):
    fig, ax = plt.subplots()
    plot_lifelines(figure_ids=figure_ids, ax=ax)
    assert ax.get_title(loc="left") == title
    fig, ax = plt.subplots()
    plot_lifelines(figure_ids=figure_ids, title="Who held which office", ax=ax)
    assert ax.get_title(loc="left") == "Who held which office"


def test_people_past_four_are_counted():
    from lessons_lib.charts._describe import _people

    assert _people(["lenin", "stalin", "trotsky", "bukharin"]) == "Lenin, Stalin, Trotsky and Bukharin"
    assert _people(["lenin", "stalin", "trotsky", "bukharin", "lenin"], most=3) == "Lenin, Stalin and 3 others"


@pytest.mark.parametrize(
    ("years", "spans"),
    [
        ([1938, 1939, 1940, 1946, 1947, 1948, 1950, 1951], [(2, "1941-45"), (5, "1949")]),
        ([1946, 1947, 1950, 1951], [(1, "1948-49")]),
        ([1997, 1998, 2002, 2003], [(1, "1999-2001")]),
        ([1998, 1999, 2001, 2002], [(1, "2000")]),
        ([1921, 1922, 1923], []),
        ([1929, 1934], []),  # too few years to be a yearly line
        ([1913, 1928, 1937, 1940], []),  # not yearly: points far apart are joined, not broken
    ],
)
def test_gap_spans_finds_the_breaks_in_a_yearly_series(years, spans):
    from lessons_lib.charts._describe import _gap_spans

    assert _gap_spans(years) == spans


def test_series_line_notes_why_years_are_missing_from_the_series_gaps():
    series = load("series").assign(gaps="none counted in these years")
    obs = pd.concat([_series_obs(year=y, value=float(y - 1900)) for y in (1920, 1921, 1924, 1925)])
    fig, ax = plt.subplots()
    plot_series("gdp", observations=obs, series=series, ax=ax)
    notes = [t.get_text().replace("\n", " ") for t in ax.texts if t.get_gid() == "gap-note"]
    assert notes == ["no figures for 1922-23 (none counted in these years)"]


def test_timeline_of_one_category_has_no_key_but_keeps_its_labelled_note():
    fig, ax = plt.subplots(figsize=(11, 5.5))
    plot_timeline(categories="economy", max_labels=1, ax=ax)
    assert ax.get_title(loc="left").startswith("Economic events")
    assert _key_labels(ax) == [] and not [t for t in ax.texts if t.get_gid() == "key-title"]
    assert [t.get_text() for t in ax.texts if t.get_gid() == "key-note"] == ["1 of 2 events labelled"]
    assert "categories: economy 2" in alt_text(ax)


def _lane_points(ax):
    """{lane label: sorted x of the markers in that lane}."""
    names = _row_names(ax)
    points = {name: [] for name in names}
    for line in ax.lines:
        if line.get_gid() == "events":
            for x, y in zip(line.get_xdata(), line.get_ydata(), strict=True):
                points[names[int(round(y))]].append(round(float(x), 3))
    return {k: sorted(v) for k, v in points.items()}


def test_timeline_draws_an_event_in_every_ideology_lane_it_is_filed_under():
    fig, ax = plt.subplots()
    plot_timeline(ax=ax)
    when = round(float(filter_events().set_index("id").loc["trotsky_expelled", "when"]), 3)
    lanes = _lane_points(ax)
    assert when in lanes["Trotskyism"] and when in lanes["Stalinism"]


def test_timeline_figure_lanes_keep_every_selected_figure_and_repeat_shared_events():
    fig, ax = plt.subplots()
    plot_timeline(figures=["lenin", "stalin", "bukharin"], lanes="figure", years=(1917, 1929), ax=ax)
    lanes = _lane_points(ax)
    assert list(lanes) == ["Vladimir Lenin", "Joseph Stalin", "Nikolai Bukharin"]
    sioc = round(float(filter_events().set_index("id").loc["sioc", "when"]), 3)
    assert sioc in lanes["Joseph Stalin"] and sioc in lanes["Nikolai Bukharin"]
    assert sioc not in lanes["Vladimir Lenin"]
    fig, ax = plt.subplots()
    plot_timeline(figures=["trotsky", "bukharin"], lanes="figure", years=(1917, 1921), ax=ax)
    assert _row_names(ax) == ["Leon Trotsky", "Nikolai Bukharin"]
    assert "in 2 lanes (Leon Trotsky, Nikolai Bukharin)" in alt_text(ax)


def test_timeline_alt_text_says_lane_or_lanes():
    fig, (a, b) = plt.subplots(2)
    plot_timeline(ideologies="stalinism", ax=a)
    assert "in 1 lane (Stalinism)" in alt_text(a)
    plot_timeline(ideologies=["stalinism", "trotskyism"], ax=b)
    assert "in 2 lanes (Trotskyism, Stalinism)" in alt_text(b)


def test_timeline_pads_the_years_so_markers_at_the_ends_are_whole():
    fig, ax = plt.subplots()
    plot_timeline(years=(1917, 1929), ax=ax)
    lo, hi = ax.get_xlim()
    assert lo < 1917 and hi > 1930


def test_timeline_hides_era_names_that_would_be_cut_at_the_edge():
    fig, ax = plt.subplots(figsize=(11, 5.5))
    plot_timeline(years=(1923, 1929), ax=ax)
    fig.canvas.draw()
    box = ax.get_window_extent()
    for label in [t for t in ax.texts if t.get_gid() == "era-label"]:
        extent = label.get_window_extent()
        assert box.x0 <= extent.x0 and extent.x1 <= box.x1


def test_timeline_labels_important_events_first():
    fig, ax = plt.subplots(figsize=(12, 6.75))
    plot_timeline(max_labels=2, ax=ax)
    labels = {t.get_text() for t in ax.texts if t.get_gid() == "event-label"}
    assert "Lenin is born" not in labels
    assert "October Revolution" in labels


def test_timeline_legend_has_one_entry_per_category_shown():
    fig, ax = plt.subplots()
    plot_timeline(categories=["economy", "repression"], ax=ax)
    assert _key_labels(ax) == ["Economy (2)", "Repression (2)"]


def test_timeline_lanes_are_ideologies_or_figures():
    fig, (a, b) = plt.subplots(2)
    plot_timeline(ideologies=["stalinism", "trotskyism"], ax=a)
    assert _row_names(a) == ["Trotskyism", "Stalinism"]
    plot_timeline(figures=["stalin", "trotsky"], lanes="figure", ax=b)
    assert _row_names(b) == ["Joseph Stalin", "Leon Trotsky"]


def test_timeline_shades_eras_unless_asked_not_to():
    fig, (a, b) = plt.subplots(2)
    plot_timeline(years=(1917, 1940), ax=a)
    assert len([p for p in a.patches if str(p.get_gid()).startswith("era-")]) == 3
    plot_timeline(years=(1917, 1940), eras=False, ax=b)
    assert not b.patches


def test_timeline_labels_never_overlap():
    fig, ax = plt.subplots(figsize=(12, 6.75))
    plot_timeline(ax=ax)
    fig.canvas.draw()
    boxes = [t.get_window_extent() for t in ax.texts if t.get_gid() == "event-label"]
    assert len(boxes) >= 5
    for one, two in itertools.combinations(boxes, 2):
        assert not one.overlaps(two)


def test_timeline_caps_the_number_of_labels_and_says_so():
    fig, ax = plt.subplots(figsize=(12, 6.75))
    plot_timeline(max_labels=3, ax=ax)
    assert len([t for t in ax.texts if t.get_gid() == "event-label"]) == 3
    note = [t.get_text() for t in ax.texts if t.get_gid() == "key-note"]
    assert note == [f"3 of {len(load('events'))} events labelled"]


def test_timeline_without_labels_writes_none():
    fig, ax = plt.subplots()
    plot_timeline(labels=False, ax=ax)
    assert not [t for t in ax.texts if t.get_gid() in {"event-label", "key-note"}]


def test_timeline_rejects_an_unknown_lanes_option():
    with pytest.raises(UnknownNameError, match=r"unknown lanes option 'figures'; did you mean 'figure'\?"):
        plot_timeline(lanes="figures")


def test_timeline_passes_on_bad_selections_with_clear_messages():
    with pytest.raises(ValueError, match="start year 1930 is after end year 1920"):
        plot_timeline(years=(1930, 1920))
    with pytest.raises(UnknownNameError, match="did you mean 'stalinism'"):
        plot_timeline(ideologies=["stalinsm"])


# --- policies ---


def test_policies_draw_one_bar_per_policy_from_its_start_to_its_end():
    fig, ax = plt.subplots()
    plot_policies(ax=ax)
    expected = filter_policies()
    boxes = [path.get_extents() for c in ax.collections if c.get_gid() == "policy" for path in c.get_paths()]
    bars = sorted(boxes, key=lambda box: box.y0)
    assert len(bars) == len(expected)
    assert [b.x0 for b in bars] == pytest.approx(list(expected["start"]))
    assert [b.x1 for b in bars] == pytest.approx(list(expected["end"]))
    assert _row_names(ax, "policy-name") == list(expected["name"])


def test_policies_legend_counts_each_category():
    fig, ax = plt.subplots()
    plot_policies(categories=["economy", "repression"], ax=ax)
    assert _key_labels(ax) == ["Economy (3)", "Repression (1)"]


def test_policies_reject_an_unknown_category():
    with pytest.raises(UnknownNameError, match=r"unknown category 'writing'"):
        plot_policies(categories="writing")


# --- lifelines ---


def test_lifelines_draw_a_life_per_figure_and_thicker_offices():
    fig, ax = plt.subplots()
    plot_lifelines(ax=ax)
    lives = [p for p in ax.patches if p.get_gid() == "life"]
    offices = [p for p in ax.patches if p.get_gid() == "office"]
    assert len(lives) == len(load("figures"))
    assert len(offices) == (load("roles")["kind"] == "office").sum()
    assert min(o.get_height() for o in offices) > max(life.get_height() for life in lives)


def test_lifelines_mark_each_faction_with_its_own_hatch_and_a_legend_entry():
    fig, ax = plt.subplots()
    plot_lifelines(ax=ax)
    factions = [p for p in ax.patches if p.get_gid() == "faction"]
    assert len(factions) == 3
    assert len({p.get_hatch() for p in factions}) == 3
    assert len({(p.get_hatch(), tuple(p.get_facecolor())) for p in factions}) == 3
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[:2] == ["Life (birth to death)", "Office held"]
    assert set(legend[2:]) == {"Left Opposition", "Right Opposition", "Stalin's majority"}


def test_lifelines_name_each_faction_once_from_the_faction_column():
    from lessons_lib.charts.lifelines import _faction_look

    fig, ax = plt.subplots()
    plot_lifelines(figure_ids=["lenin", "trotsky"], faction_years=None, ax=ax)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[2:] == ["Bolsheviks", "Left Opposition"]  # two members, one entry; in order of start
    assert len([p for p in ax.patches if p.get_gid() == "faction"]) == 3
    looks = [_faction_look(k) for k in range(20)]
    assert len(set(looks)) == 20


def test_lifelines_legend_sits_below_the_plot_and_fits_the_figure():
    fig = plt.figure(figsize=(11, 7), dpi=80)
    ax = fig.add_axes(CHART_RECT)
    plot_lifelines(ax=ax)
    fig.canvas.draw()
    legend = ax.get_legend().get_window_extent()
    assert legend.y1 <= ax.get_window_extent().y0
    assert legend.x1 <= fig.bbox.x1 and legend.y0 >= fig.bbox.y0


def test_lifelines_alt_text_summarises_instead_of_listing_every_office():
    fig, ax = plt.subplots()
    plot_lifelines(ax=ax)
    text = alt_text(ax)
    assert "3 offices held and 3 factional alignments in 3 factions" in text
    assert "Chairman of Sovnarkom" not in text


def test_lifelines_order_rows_by_birth():
    fig, ax = plt.subplots()
    plot_lifelines(figure_ids=["trotsky", "lenin"], ax=ax)
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Vladimir Lenin (1870\u20131924)",
        "Leon Trotsky (1879\u20131940)",
    ]


def test_lifelines_reject_an_unknown_figure():
    with pytest.raises(UnknownNameError, match=r"unknown figure 'trotksy'; did you mean 'trotsky'\?"):
        plot_lifelines(figure_ids=["trotksy"])


# --- series ---


def test_series_over_years_is_a_line_with_its_range_and_unit():
    fig, ax = plt.subplots()
    plot_series("gdp", ax=ax)
    lines = [line for line in ax.lines if line.get_gid() == "series-line"]
    assert len(lines) == 1 and len(lines[0].get_xdata()) == 4
    assert [c for c in ax.containers if c.get_label() == "Estimate (range)"]
    assert ax.get_ylabel() == "1990 dollars"
    assert ax.get_title(loc="left") == "GDP per head"
    assert "R. W. Davies et al. (1994)" in _caption(ax)[0]


def test_series_without_ranges_draws_only_point_values():
    fig, ax = plt.subplots()
    plot_series("gdp", ranges=False, ax=ax)
    assert not ax.containers
    assert ax.get_legend() is None  # one line: its name goes into the caption instead of a one-entry legend
    assert _caption(ax)[0].replace("\n", " ").endswith("The line shows: Estimate.")


def test_series_of_targets_and_results_is_grouped_bars_with_a_floating_range():
    fig, ax = plt.subplots()
    plot_series("fyp_targets", ax=ax)
    bars = [p for p in ax.patches if p.get_gid() == "series-bar"]
    ranges = [p for p in ax.patches if p.get_gid() == "series-range"]
    assert len(bars) == 3 and len(ranges) == 1
    assert (ranges[0].get_y(), ranges[0].get_y() + ranges[0].get_height()) == pytest.approx((5.5, 6.2))
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Coal", "Steel"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Target", "Result", "Result (range)"]


def test_series_of_two_years_compares_categories_by_year():
    fig, ax = plt.subplots()
    plot_series("livestock", ax=ax)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["1929", "1934"]
    assert len([p for p in ax.patches if p.get_gid() == "series-bar"]) == 4


def test_series_names_categories_and_variants_with_the_labels_in_the_data():
    obs = pd.concat(
        [
            _series_obs(year=1932, category="ussr", variant="kotkin", category_label="USSR", variant_label="Kotkin",
                        value=5.7, source_id="kotkin_2014"),
            _series_obs(year=1932, category="cattle_kz", variant="mvd", category_label="Cattle, Kazakhstan",
                        variant_label="MVD (1953)", value=3.0),
        ]
    )  # fmt: skip
    fig, ax = plt.subplots()
    plot_series("gdp", observations=obs, ax=ax)
    assert [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()] == ["USSR", "Cattle, Kazakhstan"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Kotkin", "MVD (1953)"]


def test_series_line_of_a_category_is_named_by_category_and_variant():
    obs = pd.concat(
        [_series_obs(year=y, category="coal", category_label="Coal", value=1.0) for y in (1928, 1929, 1930)]
    )
    fig, ax = plt.subplots()
    plot_series("gdp", observations=obs, ax=ax)
    assert ax.get_legend() is None
    assert "The line shows: Coal, Estimate." in _caption(ax)[0].replace("\n", " ")


def test_every_series_category_and_variant_has_one_label_in_the_data():
    obs = pd.read_csv(DATA / "observations.csv", dtype=str, keep_default_na=False)
    for column in ("category", "variant"):
        labels = obs.groupby(["series_id", column])[f"{column}_label"].nunique()
        assert (labels == 1).all(), labels[labels != 1]


def test_series_line_breaks_where_yearly_data_are_missing():
    obs = pd.concat([_series_obs(year=y, value=float(y - 1900)) for y in (1945, 1946, 1947, 1950, 1951)])
    fig, ax = plt.subplots()
    plot_series("gdp", observations=obs, ax=ax)
    (line,) = [line for line in ax.lines if line.get_gid() == "series-line"]
    x = list(line.get_xdata())
    assert len(x) == 6 and pd.isna(x[3])
    assert x[:3] == [1945, 1946, 1947] and x[4:] == [1950, 1951]


def test_series_suggests_the_closest_series_id():
    with pytest.raises(UnknownNameError, match=r"unknown series 'gpd'; did you mean 'gdp'\?"):
        plot_series("gpd")


# --- comparison ---


def test_comparison_highlights_and_stars_contested_cells():
    fig, ax = plt.subplots(figsize=(12, 8))
    plot_comparison(ax=ax)
    contested = [p for p in ax.patches if p.get_gid() == "contested-cell"]
    texts = [t.get_text() for t in ax.texts if t.get_gid() == "contested-cell-text"]
    assert len(contested) == int(load("positions")["contested"].sum()) == 2
    assert all(t.endswith("*") for t in texts)
    assert "Contested" in ax.get_legend().get_texts()[0].get_text()


def test_comparison_has_one_cell_per_dimension_and_ideology():
    fig, ax = plt.subplots(figsize=(12, 8))
    plot_comparison(ideologies=["leninism", "stalinism"], dimensions=["economic_policy"], ax=ax)
    cells = [p for p in ax.patches if p.get_gid() in {"cell", "contested-cell"}]
    assert len(cells) == 2
    assert [t.get_text() for t in ax.texts if t.get_gid() == "header-text"] == ["", "Leninism", "Stalinism"]
    assert ax.get_title(loc="left") == "Leninism and Stalinism compared on 1 dimension"


def test_comparison_wraps_long_summaries():
    positions = load("positions")
    positions.loc[0, "summary"] = "word " * 30
    fig, ax = plt.subplots(figsize=(12, 8))
    plot_comparison(positions, ax=ax)
    assert any(t.get_text().count("\n") >= 2 for t in ax.texts if t.get_gid() == "cell-text")


def test_comparison_chart_shows_at_most_max_dimensions_and_points_to_the_html_table():
    fig, ax = plt.subplots(figsize=(12, 8))
    plot_comparison(max_dimensions=2, ax=ax)
    assert [t.get_text().replace("\n", " ") for t in ax.texts if t.get_gid() == "row-header-text"] == [
        "Foundational ideology",
        "Economic policy",
    ]
    assert "1 more dimension not shown: see comparison_html()" in alt_text(ax)
    fig, ax = plt.subplots(figsize=(12, 8))
    plot_comparison(
        max_dimensions=2, dimensions=["foundational_ideology", "economic_policy", "political_repression"], ax=ax
    )
    assert len([t for t in ax.texts if t.get_gid() == "row-header-text"]) == 3


def test_comparison_html_escapes_every_text():
    positions = load("positions")
    positions.loc[0, "summary"] = "<script>alert('x')</script> & more"
    positions.loc[2, "contested_note"] = 'He said "<b>no</b>"'
    page = comparison_html(positions, show_sources=True)
    assert "<script>" not in page and "<b>no</b>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more" in page
    assert "He said &quot;&lt;b&gt;no&lt;/b&gt;&quot;" in page


def test_comparison_html_marks_contested_cells_and_can_show_sources():
    page = comparison_html()
    assert page.count('class="contested"') == 2
    assert "Robert Service" not in page
    assert "<small>Source: Robert Service (2000), Lenin: A Biography</small>" in comparison_html(show_sources=True)


def test_comparison_html_shows_the_competing_readings_as_visible_text_not_a_tooltip():
    positions = load("positions")
    contested = positions[positions["contested"]]
    page = comparison_html()
    assert "title=" not in page and "hover" not in page
    cells, notes = page.split("</table>")
    assert cells.count("Contested, note ") == len(contested) == notes.count("<li>")
    assert "Contested, note 1</strong>" in cells
    ideologies, dimensions = row_labels("ideologies"), row_labels("dimensions")
    for row in contested.itertuples():
        named = f"{ideologies[row.ideology_id]}, {dimensions[row.dimension_id]}"
        assert f"<li><strong>{html.escape(named)}:</strong> {html.escape(row.contested_note)}</li>" in notes
    assert 'class="contested-notes"' in notes


def test_comparison_html_numbers_only_the_contested_cells_it_shows():
    positions = load("positions")
    plain = positions[~positions["contested"]].iloc[0]
    assert "contested" not in comparison_html(ideologies=[plain.ideology_id], dimensions=[plain.dimension_id])


def test_comparison_html_of_an_empty_selection_says_so():
    assert NO_DATA in comparison_html(load("positions").iloc[:0])


def test_comparison_rejects_an_unknown_ideology():
    with pytest.raises(UnknownNameError, match=r"unknown ideology 'trotskism'; did you mean 'trotskyism'\?"):
        comparison_html(ideologies=["trotskism"])


# --- plans: what a chart will draw, decided without drawing ---


def test_timeline_plan_puts_an_event_in_each_chosen_lane_it_names():
    from lessons_lib.charts.timeline import _plan_timeline

    frame = filter_events(years=(1917, 1929))
    plan = _plan_timeline(frame, "ideology", ["trotskyism", "stalinism"], (1917, 1929))
    assert plan.lane_ids == ["trotskyism", "stalinism", "_other"]
    assert plan.lane_names == ["Trotskyism", "Stalinism", "Other events"]
    lanes = dict(zip(frame["id"], plan.rows, strict=True))
    assert lanes["trotsky_expelled"] == [0, 1] and lanes["sioc"] == [1] and lanes["nep"] == [2]
    assert plan.n_markers == len(frame) + 1
    assert plan.title == "Events by ideology, 1917-1929"


def test_timeline_plan_keeps_the_years_asked_for_with_room_for_the_end_markers():
    from lessons_lib.charts.timeline import _plan_timeline

    plan = _plan_timeline(filter_events(years=(1917, 1929)), "ideology", None, (1917, 1929))
    lo, hi = plan.xlim
    assert 1916.5 < lo < 1917 and 1930 < hi < 1930.5


def test_timeline_plan_keys_only_the_categories_present_in_category_order():
    from lessons_lib.charts.timeline import _plan_timeline

    plan = _plan_timeline(filter_events(categories=["repression", "economy"]), "ideology", None, None)
    assert [(c, n) for c, _, n in plan.categories] == [("economy", 2), ("repression", 2)]


def test_policies_plan_shortens_long_names_and_leaves_room_for_the_years():
    from lessons_lib.charts.policies import _plan_policies

    frame = filter_policies()
    plan = _plan_policies(frame)
    assert plan.names[0] == "War Communism" and plan.year_notes
    assert plan.xlim == (frame["start"].min() - 1, frame["end"].max() + 5)
    assert plan.title == "Policies, 1918-1953"


def test_lifelines_plan_orders_figures_by_birth_and_keeps_factions_of_the_years_asked():
    from lessons_lib.charts.lifelines import _plan_lifelines

    plan = _plan_lifelines(load("figures"), load("roles"), (1923, 1929))
    assert list(plan.people["id"]) == ["lenin", "stalin", "trotsky", "bukharin"]
    assert plan.labels[0] == "Vladimir Lenin (1870\u20131924)"
    assert plan.faction_names == ["Left Opposition", "Stalin's majority", "Right Opposition"]
    assert plan.legend_labels[:2] == ["Life (birth to death)", "Office held"]
    assert len(_plan_lifelines(load("figures"), load("roles"), None).faction_names) == 4


def test_series_plan_draws_bars_for_a_comparison_and_lines_for_a_trend():
    from lessons_lib.charts.series import _plan_series, _series_meta
    from lessons_lib.query import series_frame

    for series_id, kind in [("gdp", "Line chart"), ("fyp_targets", "Bar chart")]:
        plan = _plan_series(series_frame(series_id), _series_meta(series_id, None))
        assert plan.kind == kind
        assert plan.caption.startswith("Source")


def test_comparison_plan_leaves_out_dimensions_beyond_the_maximum_and_says_so():
    from lessons_lib.charts.comparison import _plan_comparison

    plan = _plan_comparison(None, None, None, 2)
    assert list(plan.grid.dimension_names) == ["foundational_ideology", "economic_policy"]
    assert plan.hidden == 1 and plan.more.startswith("1 more dimension not shown")
    assert plan.n_contested == 1
    assert plan.rows[1][-1] == "Socialism in one country. *"
    assert _plan_comparison(None, None, ["economic_policy"], 2).hidden == 0


def test_free_slots_place_a_span_on_the_first_row_where_it_clears_the_others_by_the_gap():
    from lessons_lib.charts._layout import FreeSlots

    slots = FreeSlots(gap=1.0)
    assert slots.place((0, 10), rows=["a", "b"]) == "a"
    assert slots.place((10.5, 12), rows=["a", "b"]) == "b"  # within the gap of (0, 10)
    assert slots.place((11.5, 12), rows=["a", "b"]) == "a"
    assert slots.place((5, 6), rows=["a"]) is None


def test_plural_writes_the_count_with_its_noun():
    from lessons_lib.charts._describe import plural

    assert [plural(1, "event"), plural(0, "event"), plural(2, "person", "people")] == [
        "1 event",
        "0 events",
        "2 people",
    ]


def test_a_new_event_category_is_added_in_the_data_alone(course):
    import csv
    import json

    from lessons_lib.data import clear_cache

    descriptor = json.loads((course / "datapackage.json").read_text())
    events = next(r for r in descriptor["resources"] if r["name"] == "events")
    next(f for f in events["schema"]["fields"] if f["name"] == "category")["constraints"]["enum"].append("protest")
    (course / "datapackage.json").write_text(json.dumps(descriptor))
    with (course / "categories.csv").open("a", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(["protest", "Protest", "#56B4E9", "P", "2", "Protest"])
    row = [
        "kronstadt",
        "1921",
        "3",
        "",
        "month",
        "",
        "Kronstadt rising",
        "D.",
        "protest",
        "trotsky",
        "",
        "service_2000",
    ]
    with (course / "events.csv").open("a", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(row)
    clear_cache()
    fig, ax = plt.subplots(figsize=(11, 5.5))  # a lesson's size: room for the label inside the axes
    plot_timeline(ax=ax)
    assert "Protest (1)" in _key_labels(ax)
    assert "Kronstadt rising" in [t.get_text() for t in ax.texts if t.get_gid() == "event-label"]
