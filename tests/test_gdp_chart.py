"""The GDP comparison chart: the former USSR beside other countries (lessons_lib.charts.gdp)."""

import matplotlib.pyplot as plt
import pytest

from lessons_lib import UnknownNameError, alt_text, load, plot_gdp_comparison
from lessons_lib.charts.gdp import GDP_COUNTRIES, _spread


def _lines(ax):
    return [line for line in ax.lines if line.get_gid() == "series-line"]


def _end_labels(ax):
    return [t for t in ax.texts if t.get_gid() == "end-label"]


def _gdp(country, year):
    obs = load("observations")
    rows = obs[(obs["series_id"] == f"gdp_per_capita_{country}") & (obs["year"] == year)]
    return float(rows["value"].iloc[0])


def test_gdp_comparison_draws_one_line_per_series_the_former_ussr_first():
    fig, ax = plt.subplots()
    plot_gdp_comparison(["usa", "japan", "italy"], ax=ax)
    lines = _lines(ax)
    assert [line.get_label() for line in lines] == ["Former USSR", "United States", "Japan", "Italy"]
    assert len({line.get_color() for line in lines}) == 4
    gap = lines[0].get_xdata()  # no estimates for 1941-1945: the line breaks there
    assert any(x != x for x in gap) and not {1941, 1942, 1943, 1944, 1945} & set(gap)


def test_gdp_comparison_lines_are_told_apart_by_colour_and_dash_pattern():
    fig, ax = plt.subplots()
    plot_gdp_comparison(ax=ax)
    lines = _lines(ax)
    assert len(lines) == 1 + len(GDP_COUNTRIES)
    assert len({line.get_color() for line in lines}) == len(lines)
    assert len({str(line._unscaled_dash_pattern) for line in lines}) == len(lines)


def test_gdp_comparison_names_each_line_at_its_end_instead_of_a_legend():
    fig, ax = plt.subplots()
    plot_gdp_comparison(["usa", "turkey"], ax=ax)
    labels = _end_labels(ax)
    assert [t.get_text() for t in labels] == ["Former USSR", "United States", "Turkey"]
    assert ax.get_legend() is None
    for text, line in zip(labels, _lines(ax), strict=True):
        assert text.get_color() == line.get_color()
        assert text.xy[0] == 1991  # the last year drawn


def test_gdp_comparison_end_labels_do_not_overlap():
    fig = plt.figure(figsize=(11, 5.5), dpi=80)
    ax = fig.add_axes((0.07, 0.16, 0.9, 0.74))
    plot_gdp_comparison(["usa", "turkey", "poland", "spain"], ax=ax)  # USSR, Turkey and Poland end close together
    fig.canvas.draw()
    boxes = sorted((t.get_window_extent() for t in _end_labels(ax)), key=lambda b: b.y0)
    assert all(low.y1 <= high.y0 + 1 for low, high in zip(boxes, boxes[1:], strict=False))


def test_spread_keeps_the_order_and_moves_close_labels_apart():
    assert _spread([10.0, 0.0, 10.5], 2.0) == [10.0, 0.0, 12.0]


def test_gdp_comparison_alt_text_states_the_ussr_share_of_each_level_from_the_data():
    fig, ax = plt.subplots()
    plot_gdp_comparison(["usa", "japan"], ax=ax)
    text = alt_text(ax)
    usa = [_gdp("former_ussr", y) / _gdp("usa", y) for y in (1928, 1989)]
    japan = [_gdp("former_ussr", y) / _gdp("japan", y) for y in (1928, 1989)]
    assert f"United States {usa[0]:.0%}, Japan {japan[0]:.0%} in 1928" in text
    assert f"United States {usa[1]:.0%}, Japan {japan[1]:.0%} in 1989" in text
    assert "United States 19%, Japan 61% in 1928; United States 31%, Japan 40% in 1989" in text
    assert f"Former USSR: {_gdp('former_ussr', 1928):,.0f} in 1928, {_gdp('former_ussr', 1989):,.0f} in 1989" in text
    assert "linear scale" in text and "2011 US dollars" in text


def test_gdp_comparison_alt_text_follows_the_chosen_years():
    fig, ax = plt.subplots()
    plot_gdp_comparison("usa", share_years=(1913, 1950), ax=ax)
    assert f"United States {_gdp('former_ussr', 1913) / _gdp('usa', 1913):.0%} in 1913" in alt_text(ax)


def test_gdp_comparison_uses_one_unit_on_a_linear_y_axis_and_shades_the_eras():
    fig, ax = plt.subplots()
    plot_gdp_comparison(ax=ax)
    assert ax.get_yscale() == "linear" and ax.get_ylim()[0] == 0
    assert "2011 US dollars" in ax.get_ylabel().replace("\n", " ")
    assert "Shaded eras: Lenin's leadership" in alt_text(ax)
    assert ax.get_xlim()[0] <= 1913 and ax.get_xlim()[1] >= 1991


def test_gdp_comparison_rejects_an_unknown_country_with_a_suggestion():
    with pytest.raises(UnknownNameError, match=r"unknown country 'japn'; did you mean 'japan'\?"):
        plot_gdp_comparison(["usa", "japn"])


def test_gdp_comparison_rejects_series_in_different_units():
    series = load("series")
    series.loc[series["id"] == "gdp_per_capita_usa", "unit"] = "1990 dollars"
    with pytest.raises(ValueError, match="different units"):
        plot_gdp_comparison("usa", series=series)


def test_gdp_chart_says_where_the_ussr_has_no_estimates():
    from matplotlib.figure import Figure

    from lessons_lib.charts import CHART_FIGSIZE, CHART_RECT, plot_gdp_comparison

    fig = Figure(figsize=CHART_FIGSIZE, dpi=80)
    fig.canvas  # noqa: B018 (attaches an Agg canvas)
    ax = fig.add_axes(CHART_RECT)
    plot_gdp_comparison(["usa", "japan", "italy", "turkey"], ax=ax)
    notes = [t.get_text().replace("\n", " ") for t in ax.texts if t.get_gid() == "gap-note"]
    assert notes == ["no figures for 1941-45 (war years: no Maddison Project estimates)"]  # the series' gaps


def test_series_line_says_which_years_have_no_figures():
    from matplotlib.figure import Figure

    from lessons_lib.charts import CHART_FIGSIZE, CHART_RECT, plot_series

    fig = Figure(figsize=CHART_FIGSIZE, dpi=80)
    fig.canvas  # noqa: B018 (attaches an Agg canvas)
    ax = fig.add_axes(CHART_RECT)
    plot_series("death_sentences", ax=ax)
    notes = [t.get_text().replace("\n", " ") for t in ax.texts if t.get_gid() == "gap-note"]
    assert notes == ["no figures for 1948-49 (death penalty abolished in peacetime, 26 May 1947 to 12 January 1950)"]
    assert "bsb_1000dokumente_1947" in load("series").set_index("id").loc["death_sentences", "sources"]
