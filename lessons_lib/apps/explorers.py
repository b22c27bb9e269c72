"""The chart apps: a matplotlib chart redrawn from the controls, with a text panel below it.

Each keeps one ``Figure`` that is not registered with pyplot, so toggling never leaks figures, and
shows the PNG in one ``widgets.Image`` (:class:`_ChartView`): a redraw sends the new PNG as one binary
widget message (no base64, no JSON around it) and the browser swaps the source of the same ``<img>``,
where an ``Output`` re-rendered its output area for every image (``benchmarks/README.md``, click to
pixels). The image's accessible name is the chart's alt text. Text from the data is HTML-escaped
wherever it is shown.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Hashable, Sequence
from contextlib import AbstractContextManager
from typing import Any, Literal

import ipywidgets as widgets
import pandas as pd
from matplotlib.figure import Figure
from traitlets import Unicode

from lessons_lib import _compat, _png, charts, query, style
from lessons_lib._display import ChartImage
from lessons_lib.apps._base import ALL, LOG, _App, _esc, _message, _options, _recall, _sources_html
from lessons_lib.charts import CHART_FIGSIZE, CHART_RECT
from lessons_lib.charts.policies import _policies_title
from lessons_lib.charts.timeline import _timeline_title
from lessons_lib.data import check_choice, format_sources, load

__all__ = ["TimelineExplorer", "PolicyExplorer", "SeriesExplorer"]


PANEL_DELAY = 0.2  #: seconds between a chart app's new image and its text panel reaching the browser (see _update)
LOOKAHEAD_DELAY = 0.25  #: seconds the kernel stays idle after a redraw before the states one click away are drawn
LOOKAHEAD_SWITCH = "LESSONS_LOOKAHEAD"  #: ``LESSONS_LOOKAHEAD=0`` in the environment: draw only what is asked for


def _lookahead_on() -> bool:
    """Return whether apps draw the states one click away while the kernel is idle (on unless switched off)."""
    return os.environ.get(LOOKAHEAD_SWITCH, "1").strip() not in ("0", "", "off", "false", "no")


def _one_click_away(key: tuple[Any, ...], at: int, values: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Return `key` with position `at` set to each other value of `values`, nearest first, right before left."""
    here = values.index(key[at]) if key[at] in values else 0
    order = sorted((i for i in range(len(values)) if i != here), key=lambda i: (abs(i - here), i < here))
    return [(*key[:at], values[i], *key[at + 1 :]) for i in order]


def _release_later(held: AbstractContextManager[Any], fill: Callable[[], None]) -> None:
    """Run `fill` and leave `held` (a widget's ``hold_sync()``: it then sends what it held) PANEL_DELAY s later.

    Later only on a running event loop (a kernel); in a script or the tests, at once.
    """

    def release() -> None:
        try:
            fill()
        finally:
            held.__exit__(None, None, None)

    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # no kernel event loop (a script, the tests): send now
        release()
    else:
        loop.call_later(PANEL_DELAY, release)


class _ChartView(widgets.Image):
    """The ``<img>`` a chart app shows its chart in: the PNG and, as its accessible name, the alt text.

    ``widgets.Image`` has no ``alt``. The alt text is the widget's ``tooltip``, which the front end
    writes into the ``<img>``'s ``title`` attribute: the image's accessible name when it has no
    ``alt`` (screen readers read it; a pointer resting on the chart shows it). The front end sets
    the title only for a widget whose ``description`` is empty and fails on one that has none, so
    the (always empty) ``description`` is synced here too. ``width`` and ``height`` are the PNG's
    size, so the page keeps the chart's place before the first image is decoded; CSS still scales
    it to the page (``max-width: 100%``, height by the aspect ratio).
    """

    description = Unicode("", help="Always empty; the front end reads it before showing the tooltip.").tag(sync=True)

    def show(self, png: bytes, alt: str) -> None:
        """Show `png` with the alt text `alt`, in one widget message (none if both are unchanged)."""
        with self.hold_sync():
            self.value = png
            self.tooltip = alt


class _ChartApp(_App):
    """Base for apps that draw one matplotlib chart into a :class:`_ChartView`, with a text panel below it.

    A subclass overrides ``_select()`` (pick the rows for the current control values and fill
    ``details``), ``_key()`` (the control values the chart depends on), ``_plot(ax, key)`` (draw
    the chart of `key`, from the key alone: not from the controls, which may show another state)
    and ``_neighbours(key)`` (the states one click away on its buttons and checkboxes).

    **Look-ahead.** A new state costs a full draw (most of a learner's wait: ``benchmarks/README.md``,
    click to pixels). When the kernel has been idle for :data:`LOOKAHEAD_DELAY` seconds after a
    redraw, an app draws the states one click away that it has not kept yet, one per turn of the
    event loop (a click that arrives meanwhile waits for one draw at most, and the rest is dropped),
    and keeps them with the states seen before. Only in a kernel (a running event loop); off with
    ``LESSONS_LOOKAHEAD=0`` (the classroom hub sets it: there CPU is shared by the whole class).
    """

    figsize = CHART_FIGSIZE
    dpi = 80
    css_class = "lessons-chart"

    def __init__(self, controls: list[widgets.Widget]):
        self.details = widgets.HTML()
        message = widgets.HTML()
        self.figure = Figure(figsize=self.figsize, dpi=self.dpi)
        self.canvas = _compat.TextCachingCanvas(self.figure)
        with style.use_style():
            self.ax = self.figure.add_axes(CHART_RECT)
        width, height = self.canvas.get_width_height()
        self.picture = _ChartView(format="png", width=str(width), height=str(height))
        self.picture.add_class("lessons-chart-image")
        self.image: ChartImage | None = None
        self._lookahead = _lookahead_on()
        self._shown = 0  # counts redraws; a look-ahead planned before the latest one is dropped
        super().__init__([*controls, message, self.picture, self.details], message=message)
        self._watch(controls)

    def _update(self) -> None:
        """Redraw from the current control values (a state seen before reuses its image).

        The text panel is sent to the browser :data:`PANEL_DELAY` seconds after the chart (when a
        kernel's event loop runs; at once otherwise), so the browser paints the new chart before it
        lays out the panel (``benchmarks/README.md``, click to pixels: in JupyterLab, a panel sent
        40 ms after the chart still arrived while the image was decoding and held its paint back by
        100-200 ms on a busy machine). A panel that costs time to write (the timeline's event list)
        is written then too (:meth:`_fill_details`), after the image has gone.
        """
        self.message.value = ""
        held = self.details.hold_sync()
        held.__enter__()
        try:
            super()._update()
        finally:
            _release_later(held, self._fill_details)
        self._plan_lookahead()

    def _fill_details(self) -> None:
        """Write the text panel of the state shown, if ``_select()`` left it to be written later."""

    def _plan_lookahead(self) -> None:
        self._shown += 1
        if not self._lookahead:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no kernel event loop (a script, the tests): no idle time to use
            return
        loop.call_later(LOOKAHEAD_DELAY, self._look_ahead, self._shown)

    def _look_ahead(self, planned: int, todo: list[Hashable] | None = None) -> None:
        """Draw one state one click away that is not kept yet, then plan the next (until a redraw)."""
        if planned != self._shown or self.image is None:
            return  # the learner has moved on: a newer plan follows the newer state
        todo = self._neighbours(self._key()) if todo is None else todo
        while todo:
            key = todo.pop(0)
            if key in self._cache:
                continue
            try:
                image = self._draw(key)
            except Exception:  # e.g. no rows for that state: it is drawn (or explained) if it is chosen
                LOG.debug("%s: no look-ahead image for %r", type(self).__name__, key, exc_info=True)
            else:
                self._cache[key] = image  # kept like a state seen before (most recently used last)
                while len(self._cache) > self.cache_size:
                    self._cache.pop(next(iter(self._cache)))
            asyncio.get_running_loop().call_soon(self._look_ahead, planned, todo)
            return

    def _neighbours(self, key: Any) -> list[Hashable]:
        """Return the states one click away from `key` (none by default)."""
        return []

    def _render(self) -> ChartImage:
        return self._draw(self._key())

    def _draw(self, key: Any, blank: bool = False) -> ChartImage:
        with style.use_style():
            _compat.reset_axes(self.ax)
            if blank:
                self.ax.set_axis_off()
            else:
                self._plot(self.ax, key)
            self.canvas.draw()
        title = self.ax.get_title(loc="left") or self.ax.get_title()
        alt = charts.alt_text(self.ax) if not blank else "No chart."
        return ChartImage(_png.png_bytes(self.canvas), alt, title)

    def _show(self, image: ChartImage) -> None:
        self.image = image
        self.picture.show(image.png, image.alt)

    def _clear(self) -> None:
        self._show(self._draw(None, blank=True))

    def _plot(self, ax: Any, key: Any) -> None:  # pragma: no cover - every app overrides it
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.title or 'chart'}. Run the notebook to use the controls.>"

    def snapshot(self) -> ChartImage:
        """Return the current chart as a static image (for pages read without a kernel)."""
        assert self.image is not None, "an app draws its first chart in __init__"
        return self.image

    def snapshot_html(self) -> str:
        """Return the current chart as an ``<img>`` tag with its alt text."""
        return self.snapshot().to_html()

    @property
    def title(self) -> str:
        """The title of the chart now shown."""
        return self.image.title if self.image else ""


class TimelineExplorer(_ChartApp):
    """Events 1870-1991 on a timeline, filtered by ideology or figure, category and years.

    Parameters
    ----------
    ideology : str
        ``"all"`` or an ideology id.
    figure : str
        ``"all"`` or a figure id.
    category : str
        ``"all"`` or an event category.
    years : tuple of int
        Inclusive year range.
    """

    css_class = "lessons-timeline"

    def __init__(
        self, ideology: str = ALL, figure: str = ALL, category: str = ALL, years: tuple[int, int] = (1870, 1991)
    ):
        events = load("events")
        ideologies = load("ideologies")
        check_choice(ideology, [ALL, *ideologies["id"].astype(str)], "ideology")
        check_choice(figure, [ALL, *load("figures")["id"]], "figure")
        check_choice(category, [ALL, *query.choices("events", "category")], "category")
        named = sorted({f for figs in events["figures"] for f in figs})
        figures = load("figures").set_index("id").loc[named].reset_index().sort_values("born")
        categories = list(query.choices("events", "category"))
        self.ideology_control = widgets.ToggleButtons(options=_options(ideologies, "name"), value=ideology)
        self.figure_control = widgets.Dropdown(
            options=_options(figures, "name", ("Anyone", ALL)), value=figure, description="Figure"
        )
        self.category_control = widgets.Dropdown(
            options=[("All", ALL)] + [(c.capitalize(), c) for c in categories], value=category, description="Category"
        )
        low, high = int(events["year"].min()), int(events["year"].max())
        self.years_control = widgets.IntRangeSlider(
            value=years, min=low, max=high, description="Years", continuous_update=False,
            layout=widgets.Layout(width="70%"),
        )  # fmt: skip
        controls = [
            self.ideology_control,
            widgets.HBox([self.figure_control, self.category_control]),
            self.years_control,
        ]
        super().__init__(controls)
        self.visible = pd.DataFrame()
        self._items: dict[str, str] = {}
        # by _key(), like the images: the events of a state, and their list once it has been written
        self._selections: dict[Any, list[Any]] = {}
        self._listed: tuple[Any, ...] | None = None  # the state whose list the panel waits for
        self._update()

    def _key(self) -> tuple[Any, ...]:
        controls = (self.ideology_control, self.figure_control, self.category_control, self.years_control)
        return tuple(c.value for c in controls)

    def _select(self) -> None:
        """Pick the events; their list is written after the chart is sent (:meth:`_fill_details`).

        A state seen before reuses both (a third of a revisit's time).
        """
        key = self._key()
        self.visible = self._picked(key)[0]
        self._listed = key

    def _fill_details(self) -> None:
        """Write the event list of the state shown (kept with its events, so a revisit reuses it)."""
        key, self._listed = self._listed, None
        if key is None:
            return
        picked = self._picked(key)
        if picked[1] is None:
            picked[1] = self._event_list(picked[0])
        self.details.value = picked[1]

    def _picked(self, key: tuple[Any, ...]) -> list[Any]:
        """Return ``[events, list or None]`` of the state `key`, kept like the images (a look-ahead fills it)."""
        return _recall(self._selections, key, lambda: [self._selection(key), None], self.cache_size)

    def _selection(self, key: tuple[Any, ...]) -> pd.DataFrame:
        ideology, figure, category, years = key
        return query.filter_events(
            ideologies=None if ideology == ALL else [ideology],
            figures=None if figure == ALL else [figure],
            categories=None if category == ALL else [category],
            years=tuple(years),
        )

    def _plot(self, ax: Any, key: tuple[Any, ...]) -> None:
        ideology, figure, category, years = key
        lanes: Literal["ideology", "figure"] = "ideology" if figure == ALL else "figure"
        events = self._picked(key)[0]
        chosen = [None if value == ALL else value for value in (ideology, figure, category)]
        title = _timeline_title(events, ideologies=chosen[0], figures=chosen[1], categories=chosen[2], lanes=lanes)
        charts.plot_timeline(events, years=tuple(years), lanes=lanes, title=title, ax=ax)

    def _neighbours(self, key: tuple[Any, ...]) -> list[Hashable]:
        """Return the states of the other ideology buttons (a menu or the slider takes more than one click)."""
        return list(_one_click_away(key, 0, [value for _, value in self.ideology_control.options]))

    def _event_list(self, visible: pd.DataFrame) -> str:
        if visible.empty:
            return _message("No events match this selection; widen the years or choose 'All'.")
        items = "".join(self._event_item(row) for row in visible.itertuples())
        listing = f"<ol style='max-height:320px;overflow-y:auto'>{items}</ol>"
        return f"<p>{len(visible)} events shown.</p>{listing}"

    def _event_item(self, row: Any) -> str:
        """One event as a list item, written once per event and reused (the list is rebuilt at every click)."""
        if row.id not in self._items:
            date = "-".join(
                str(int(p)) if i == 0 else f"{int(p):02d}"
                for i, p in enumerate([row.year, row.month, row.day])
                if pd.notna(p)
            )
            cite = "; ".join(format_sources(row.sources))
            self._items[row.id] = (
                f"<li><b>{_esc(date)}: {_esc(row.title)}</b>. {_esc(row.description)} "
                f"<span style='color:#555'><i>Sources: {_esc(cite)}</i></span></li>"
            )
        return self._items[row.id]


class PolicyExplorer(_ChartApp):
    """Policies as a Gantt chart, by era or ideology and category, with details of one policy.

    Parameters
    ----------
    group : {"era", "ideology"}
        Filter by era or by ideology.
    category : str
        ``"all"`` or a policy category.
    """

    css_class = "lessons-policy"

    figsize = (11.0, 6.5)

    def __init__(self, group: str = "era", category: str = ALL):
        self.group_control = widgets.ToggleButtons(
            options=[("By era", "era"), ("By ideology", "ideology")], value=group
        )
        self.choice_control = widgets.Dropdown(description="Show")
        self.category_control = widgets.Dropdown(
            options=[("All", ALL)] + [(c.capitalize(), c) for c in query.choices("policies", "category")],
            value=category, description="Category",
        )  # fmt: skip
        self.policy_control = widgets.Dropdown(description="Details of")
        self._fill_choices()
        controls = [self.group_control, widgets.HBox([self.choice_control, self.category_control]), self.policy_control]
        super().__init__(controls)
        self.visible = pd.DataFrame()
        self._update()

    def _fill_choices(self) -> None:
        frame = load("eras") if self.group_control.value == "era" else load("ideologies")
        self.choice_control.options = _options(frame, "name")
        self.choice_control.value = ALL

    def _on_change(self, change: dict[str, Any]) -> None:
        if change["owner"] is self.group_control:
            with self.hold_trait_notifications():
                self._fill_choices()
        if change["owner"] is not self.policy_control:
            self._update()
        else:
            self.details.value = self._policy_details()

    def _key(self) -> tuple[Any, ...]:
        return (self.group_control.value, self.choice_control.value, self.category_control.value)

    def _plot(self, ax: Any, key: tuple[Any, ...]) -> None:
        group, choice, _ = key
        rows = self._rows(key)
        picked = None if choice == ALL else choice
        title = _policies_title(rows, **({"eras": picked} if group == "era" else {"ideologies": picked}))
        charts.plot_policies(rows, title=title, ax=ax)

    def _neighbours(self, key: tuple[Any, ...]) -> list[Hashable]:
        """Return the state of the other grouping button (it shows every era or ideology: the choice is 'All')."""
        group, _, category = key
        return [(other, ALL, category) for other in ("era", "ideology") if other != group]

    @staticmethod
    def _rows(key: tuple[Any, ...]) -> pd.DataFrame:
        group, choice, category = key
        picked = None if choice == ALL else [choice]
        pick = {"eras": picked} if group == "era" else {"ideologies": picked}
        return query.filter_policies(categories=None if category == ALL else [category], **pick)

    def _select(self) -> None:
        self.visible = self._rows(self._key())
        options = [(str(n), str(i)) for n, i in zip(self.visible["name"], self.visible["id"], strict=True)]
        current = self.policy_control.value
        self.policy_control.options = options
        if options:
            self.policy_control.value = current if current in dict(options).values() else options[0][1]
        self.details.value = self._policy_details()

    def _policy_details(self) -> str:
        if self.visible.empty or self.policy_control.value is None:
            return _message("No policies match this selection.")
        row = self.visible.set_index("id").loc[self.policy_control.value]
        start = f"{row.start_year}" + (f"-{int(row.start_month):02d}" if pd.notna(row.start_month) else "")
        end = f"{row.end_year}" + (f"-{int(row.end_month):02d}" if pd.notna(row.end_month) else "")
        return (
            f"<h4>{_esc(row['name'])} ({_esc(start)} to {_esc(end)})</h4><p>{_esc(row.description)}</p>"
            f"<p><b>Sources</b></p>{_sources_html(row.sources)}"
        )


class SeriesExplorer(_ChartApp):
    """A numeric series with era shading and estimate ranges, and its caveats.

    Parameters
    ----------
    series_id : str, optional
        Series shown first (the first series by default).
    eras : bool
        Shade the eras.
    ranges : bool
        Draw ranges where estimates disagree.
    """

    css_class = "lessons-series"

    def __init__(self, series_id: str | None = None, eras: bool = True, ranges: bool = True):
        series = load("series")
        first = series_id or str(series["id"].iloc[0])
        check_choice(first, series["id"], "series")
        self.series_control = widgets.Dropdown(
            options=_options(series, "title", None), value=first, description="Series"
        )
        self.series_control.layout.width = "60%"
        self.eras_control = widgets.Checkbox(value=eras, description="Shade eras")
        self.ranges_control = widgets.Checkbox(value=ranges, description="Show ranges")
        super().__init__([self.series_control, widgets.HBox([self.eras_control, self.ranges_control])])
        self._update()

    @property
    def series_id(self) -> str:
        """The series now shown."""
        return self.series_control.value

    def _key(self) -> tuple[Any, ...]:
        return (self.series_id, self.eras_control.value, self.ranges_control.value)

    def _plot(self, ax: Any, key: tuple[Any, ...]) -> None:
        series_id, eras, ranges = key
        charts.plot_series(series_id, eras=eras, ranges=ranges, ax=ax)

    def _neighbours(self, key: tuple[Any, ...]) -> list[Hashable]:
        """Return the states with one checkbox ticked or cleared (a menu takes two clicks)."""
        series_id, eras, ranges = key
        return [(series_id, not eras, ranges), (series_id, eras, not ranges)]

    def _select(self) -> None:
        row = load("series").set_index("id").loc[self.series_id]
        self.details.value = (
            f"<p><b>What it counts:</b> {_esc(row.counts)}</p><p><b>What it leaves out:</b> {_esc(row.excludes)}</p>"
            f"<p><b>Caveats:</b> {_esc(row.caveats)}</p><p><b>Sources</b></p>{_sources_html(row.sources)}"
        )
