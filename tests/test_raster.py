"""The apps' fast redraw: each shortcut must give the picture the plain matplotlib route gives."""

from __future__ import annotations

import io

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from lessons_lib import _raster, charts, style
from lessons_lib.apps import PolicyExplorer, SeriesExplorer, TimelineExplorer
from lessons_lib.data import load


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


def _timeline_figure(canvas_class, chart=charts.plot_timeline):
    with style.use_style():
        fig = Figure(figsize=(11, 5.5), dpi=80)
        canvas_class(fig)
        ax = fig.add_axes((0.07, 0.16, 0.9, 0.74))
        chart(ax=ax)
        fig.canvas.draw()
    return fig


@pytest.mark.parametrize(
    "chart", [charts.plot_timeline, lambda ax: charts.plot_series("death_sentences", ax=ax)], ids=["timeline", "series"]
)  # the series chart has a y label turned 90 degrees
def test_cached_text_looks_like_matplotlibs_own_text(chart):
    plain = np.asarray(_timeline_figure(FigureCanvasAgg, chart).canvas.buffer_rgba(), dtype=int)
    cached = np.asarray(_timeline_figure(_raster.TextCachingCanvas, chart).canvas.buffer_rgba(), dtype=int)
    assert _raster.CAN_CACHE_TEXT
    assert plain.shape == cached.shape
    # Glyphs may sit a pixel apart (whole strings vs glyph by glyph); nothing else differs.
    assert np.abs(plain - cached).mean() < 8
    assert (np.abs(plain - cached).max(axis=2) > 128).mean() < 0.03


def test_a_cached_text_image_is_drawn_again_unchanged():
    fig = _timeline_figure(_raster.TextCachingCanvas)
    first = np.array(fig.canvas.buffer_rgba())
    assert fig.canvas.get_renderer()._text_images  # the strings were cached on the first draw
    with style.use_style():
        fig.canvas.draw()
    assert np.array_equal(first, np.asarray(fig.canvas.buffer_rgba()))


def test_png_bytes_decode_to_the_canvas_pixels():
    fig = _timeline_figure(_raster.TextCachingCanvas)
    png = _raster.png_bytes(fig.canvas)
    decoded = np.asarray(Image.open(io.BytesIO(png)))
    assert decoded.shape == (440, 880, 4)
    assert np.array_equal(decoded, np.asarray(fig.canvas.buffer_rgba()))


def _tick_look(axis):
    tick = axis.get_major_ticks()[0]
    return tick.label1.get_fontsize(), tick.tick1line.get_markersize(), tick.label1.get_rotation()


def test_reset_axes_restores_tick_parameters_a_chart_changed():
    with style.use_style():
        fig = Figure()
        ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
        _raster.reset_axes(ax)
        before = (_tick_look(ax.xaxis), _tick_look(ax.yaxis), ax.yaxis.get_tick_params())
        ax.tick_params(axis="x", labelsize=7, length=0)
        ax.tick_params(axis="y", labelrotation=30)  # not one of the usual ones: the y axis is rebuilt
        ax.set_xticks([1, 2], ["a", "b"])
        ax.plot([1, 2], [3, 4])
        ax.set_title("old")
        _raster.reset_axes(ax)
        after = (_tick_look(ax.xaxis), _tick_look(ax.yaxis), ax.yaxis.get_tick_params())
    assert after == before
    assert not ax.lines and not ax.get_title()
    assert ax.get_xlim() == (0, 1) and ax.get_autoscalex_on()


# States are given as constructor arguments: a new app draws its first state on a cleared axes.
SEQUENCES = {
    TimelineExplorer: [{"ideology": "stalinism"}, {"figure": "trotsky"}, {"category": "repression"},
                       {"years": (1920, 1940)}, {"ideology": "trotskyism", "years": (1925, 1935)}, {}],
    PolicyExplorer: [{"category": "economy"}, {"group": "ideology"}, {"category": "repression"}, {}],
    SeriesExplorer: [{"series_id": s} for s in load("series")["id"]]
                    + [{"series_id": "gdp_per_capita", "eras": False}, {"series_id": "gdp_per_capita", "ranges": False}],
}  # fmt: skip
CONTROLS = {"ideology": "ideology_control", "figure": "figure_control", "category": "category_control",
            "years": "years_control", "group": "group_control", "series_id": "series_control", "eras": "eras_control",
            "ranges": "ranges_control"}  # fmt: skip


@pytest.mark.parametrize("factory", list(SEQUENCES))
def test_an_app_redraws_each_state_as_a_new_app_would_draw_it(factory):
    app = factory()
    defaults = {name: getattr(app, control).value for name, control in CONTROLS.items() if hasattr(app, control)}
    for state in SEQUENCES[factory]:
        wanted = {**defaults, **state}
        with app.hold_trait_notifications():
            for name, value in wanted.items():
                getattr(app, CONTROLS[name]).value = value
        app._cache.clear()
        app._update()
        fresh = factory(**state)
        assert np.array_equal(_pixels(app.image.png), _pixels(fresh.image.png)), state
        assert app.image.alt == fresh.image.alt


def test_the_text_image_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(_raster, "_MAX_TEXTS", 5)
    fig = _timeline_figure(_raster.TextCachingCanvas)  # draws dozens of distinct strings
    assert 0 < len(fig.canvas.get_renderer()._text_images) <= 5
