"""Widget apps: learners toggle between the ideologies and explore the data.

Every app has one anatomy (see ``STYLE.md``): controls built in ``__init__``, one output area of
fixed height, one ``_update()`` that redraws from the current control values, ``observe`` on each
control, and ``_update()`` called at the end of ``__init__``. An app is itself a widget (a
``VBox``); display it by leaving it as the last expression of a cell.

Chart apps keep one matplotlib ``Figure`` that is not registered with pyplot, so toggling never
leaks figures, and put the PNG into their ``Output`` with ``out.outputs = ()`` followed by
``out.append_display_data(...)`` (stable under nbval). The PNG's text fallback is the chart's
alt text. Text from the data is HTML-escaped wherever it is shown.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable, Iterable
from typing import Any

import ipywidgets as widgets
import pandas as pd
from matplotlib.figure import Figure

from lessons_lib import _raster, charts, query, style
from lessons_lib.data import UnknownNameError, format_sources, ideology_ids, load
from lessons_lib.labels import row_labels, value_label

__all__ = [
    "ChartImage",
    "ComparisonExplorer",
    "TimelineExplorer",
    "PolicyExplorer",
    "SeriesExplorer",
    "Quiz",
    "ClaimChecker",
    "render_states",
]

ALL = "all"
ARTICLES = {
    "trotskyism_vs_stalinism": "on the differences between Trotskyism and Stalinism",
    "leninism_vs_stalinism": "comparing Leninism and Stalinism",
}


class ChartImage:
    """A PNG with alt text; displays as the image, with the alt text as its plain-text form.

    Parameters
    ----------
    png : bytes
        The encoded image.
    alt : str
        A description of the chart for screen readers and text-only views.
    title : str
        The chart's title.
    """

    def __init__(self, png: bytes, alt: str, title: str = ""):
        self.png = png
        self.alt = alt
        self.title = title

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {"image/png": base64.b64encode(self.png).decode("ascii"), "text/plain": self.alt}

    def to_html(self) -> str:
        """Return an ``<img>`` tag with the image inlined and the alt text set."""
        data = base64.b64encode(self.png).decode("ascii")
        return f'<img src="data:image/png;base64,{data}" alt="{html.escape(self.alt)}" style="max-width:100%">'


def _esc(value: Any) -> str:
    return html.escape(str(value))


def _sources_html(ids: Iterable[str]) -> str:
    items = "".join(f"<li>{_esc(s)}</li>" for s in format_sources(ids))
    return f"<ul class='lessons-sources'>{items}</ul>"


def _message(text: str, kind: str = "info") -> str:
    colour = {"info": "#0072B2", "error": "#D55E00", "ok": "#009E73"}[kind]
    return f"<p class='lessons-message lessons-{kind}' style='color:{colour};font-weight:bold'>{_esc(text)}</p>"


def _recall(cache: dict[Any, Any], key: Any, make: Callable[[], Any], size: int) -> Any:
    """Return ``cache[key]``, made with ``make()`` if missing; keep the `size` most recently used."""
    value = cache.pop(key, None) or make()
    cache[key] = value  # most recently used last
    while len(cache) > size:
        cache.pop(next(iter(cache)))
    return value


class _ChartApp(widgets.VBox):
    """Base for apps that draw one matplotlib chart into an Output, with a text panel below it."""

    figsize = (11.0, 5.5)
    dpi = 80
    css_class = "lessons-chart"
    cache_size = 32

    def __init__(self, controls: list[widgets.Widget]):
        self.out = widgets.Output(layout=widgets.Layout(min_height=f"{int(self.figsize[1] * self.dpi) + 10}px"))
        self.details = widgets.HTML()
        self.message = widgets.HTML()
        self.figure = Figure(figsize=self.figsize, dpi=self.dpi)
        _raster.TextCachingCanvas(self.figure)
        with style.use_style():
            self.ax = self.figure.add_axes((0.07, 0.16, 0.9, 0.74))
        self.image: ChartImage | None = None
        self._cache: dict[tuple[Any, ...], ChartImage] = {}
        super().__init__([*controls, self.message, self.out, self.details])
        self.add_class("lessons-app")
        self.add_class(self.css_class)
        for control in controls:
            for child in getattr(control, "children", ()) or (control,):
                if hasattr(child, "value"):
                    child.observe(self._on_change, names="value")

    def _on_change(self, change: dict[str, Any]) -> None:
        self._update()

    def _update(self) -> None:
        """Redraw from the current control values (a state seen before reuses its image)."""
        self.message.value = ""
        try:
            self._select()
        except (UnknownNameError, ValueError) as exc:
            self.message.value = _message(str(exc), "error")
            self._show(self._render(blank=True))
            return
        key = self._key()
        image = _recall(self._cache, key, self._render, self.cache_size)
        self._show(image)

    def _render(self, blank: bool = False) -> ChartImage:
        with style.use_style():
            _raster.reset_axes(self.ax)
            if blank:
                self.ax.set_axis_off()
            else:
                self._plot(self.ax)
            self.figure.canvas.draw()
        title = self.ax.get_title(loc="left") or self.ax.get_title()
        alt = style.alt_text(self.ax) if not blank else "No chart."
        return ChartImage(_raster.png_bytes(self.figure.canvas), alt, title)

    def _show(self, image: ChartImage) -> None:
        self.image = image
        self.out.outputs = ()
        self.out.append_display_data(image)

    def _select(self) -> None:  # pragma: no cover - every app overrides it
        """Pick the data for the current control values and fill the text panel (cheap)."""
        raise NotImplementedError

    def _key(self) -> tuple[Any, ...]:  # pragma: no cover - every app overrides it
        """Return the control values the chart depends on."""
        raise NotImplementedError

    def _plot(self, ax: Any) -> None:  # pragma: no cover - every app overrides it
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.title or 'chart'}. Run the notebook to use the controls.>"

    def snapshot(self) -> ChartImage:
        """Return the current chart as a static image (for pages read without a kernel)."""
        return self.image

    @property
    def title(self) -> str:
        """The title of the chart now shown."""
        return self.image.title if self.image else ""


def _options(frame: pd.DataFrame, label: str, first: tuple[str, str] | None = (("All", ALL))) -> list[tuple[str, str]]:
    pairs = [(str(row[label]), str(row["id"])) for _, row in frame.iterrows()]
    return ([first] if first else []) + pairs


class ComparisonExplorer(widgets.VBox):
    """Compare the ideologies dimension by dimension, as cards or a table.

    Parameters
    ----------
    ideologies : iterable of str, optional
        Ideologies selected at start (all by default).
    dimension : str, optional
        A dimension id, or ``"all"`` (default).
    view : {"cards", "table"}
        How positions are laid out.

    Examples
    --------
    >>> app = ComparisonExplorer(["leninism", "stalinism"], dimension="peasantry")
    >>> app.ideologies
    ['leninism', 'stalinism']
    """

    cache_size = 32  # pages of recent states kept, so going back is instant

    def __init__(self, ideologies: Iterable[str] | None = None, dimension: str = ALL, view: str = "cards"):
        from lessons_lib.data import check_choice, check_ideologies

        chosen = check_ideologies(ideologies)
        names = load("ideologies").set_index("id")["name"]
        self.toggles = {
            i: widgets.ToggleButton(value=i in chosen, description=str(names[i]), tooltip=f"Show {names[i]}")
            for i in ideology_ids()
        }
        dimensions = load("dimensions")
        if dimension != ALL:
            check_choice(dimension, dimensions["id"].astype(str), "dimension")
        self.dimension_control = widgets.Dropdown(
            options=_options(dimensions, "name", ("All dimensions", ALL)), value=dimension, description="Dimension"
        )
        self.view_control = widgets.ToggleButtons(options=[("Cards", "cards"), ("Table", "table")], value=view)
        self.sources_control = widgets.Checkbox(value=False, description="Show sources")
        self.perspectives_control = widgets.Checkbox(value=False, description="How historians read it")
        self.content = widgets.HTML(layout=widgets.Layout(min_height="300px"))
        self._pages: dict[tuple[Any, ...], str] = {}
        controls = [
            widgets.HBox(list(self.toggles.values())),
            widgets.HBox([self.dimension_control, self.view_control]),
            widgets.HBox([self.sources_control, self.perspectives_control]),
        ]
        super().__init__([*controls, self.content])
        self.add_class("lessons-app")
        self.add_class("lessons-comparison")
        for control in [*self.toggles.values(), self.dimension_control, self.view_control]:
            control.observe(self._on_change, names="value")
        for control in [self.sources_control, self.perspectives_control]:
            control.observe(self._on_change, names="value")
        self._update()

    def __repr__(self) -> str:
        shown = ", ".join(self.ideologies) or "nothing"
        return f"<ComparisonExplorer: {shown} on {self.dimension}. Run the notebook to use the controls.>"

    @property
    def ideologies(self) -> list[str]:
        """The ideologies now selected, in canonical order."""
        return [i for i, t in self.toggles.items() if t.value]

    @property
    def dimension(self) -> str:
        """The dimension id now selected, or ``"all"``."""
        return self.dimension_control.value

    @property
    def html(self) -> str:
        """The HTML now shown."""
        return self.content.value

    def snapshot(self) -> Any:
        """Return what the explorer shows now as static HTML (for pages read without a kernel)."""
        from IPython.display import HTML

        return HTML(self.html)

    def _on_change(self, change: dict[str, Any]) -> None:
        self._update()

    def _update(self) -> None:
        """Show the current selection (a state seen before reuses its page)."""
        if not self.ideologies:
            self.content.value = _message("Select at least one ideology to compare.", "error")
            return
        key = (tuple(self.ideologies), self.dimension, self.view_control.value, self.sources_control.value,
               self.perspectives_control.value)  # fmt: skip
        body = _recall(self._pages, key, self._page, self.cache_size)
        self.content.value = body

    def _page(self) -> str:
        dims = None if self.dimension == ALL else [self.dimension]
        if self.view_control.value == "table":
            body = charts.comparison_html(
                ideologies=self.ideologies, dimensions=dims, show_sources=self.sources_control.value
            )
        else:
            body = self._cards(query.comparison_table(ideologies=self.ideologies, dimensions=dims))
        if self.perspectives_control.value:
            body += self._perspectives(dims)
        return body

    def _cards(self, table: pd.DataFrame) -> str:
        dims = load("dimensions").set_index("id")
        names = row_labels("ideologies")
        looks = {i: style.ideology_style(i) for i in ideology_ids()}
        by_dimension: dict[str, list[Any]] = {}
        for row in table.itertuples():
            by_dimension.setdefault(str(row.dimension_id), []).append(row)
        parts = []
        for dim_id, rows in by_dimension.items():
            cards = []
            for row in rows:
                look = looks[str(row.ideology_id)]
                flag = f"<p class='contested'><b>Contested:</b> {_esc(row.contested_note)}</p>" if row.contested else ""
                sources = _sources_html(row.sources) if self.sources_control.value else ""
                cards.append(
                    f"<div class='card' style='flex:1;min-width:220px;border-top:6px {_css_line(look)} "
                    f"{look['color']};padding:8px;margin:4px;background:#fafafa'>"
                    f"<h4>{_esc(names[str(row.ideology_id)])}</h4><p><b>{_esc(row.summary)}</b></p>"
                    f"<p>{_esc(row.explanation)}</p>{flag}{sources}</div>"
                )
            parts.append(
                f"<h3>{_esc(dims.at[dim_id, 'name'])}</h3><p><i>{_esc(dims.at[dim_id, 'question'])}</i></p>"
                f"<div style='display:flex;flex-wrap:wrap'>{''.join(cards)}</div>"
            )
        return "".join(parts)

    def _perspectives(self, dims: list[str] | None) -> str:
        dim_ids = dims or [str(d) for d in load("dimensions")["id"]]
        traditions = load("traditions").set_index("id")["name"]
        dim_names = load("dimensions").set_index("id")["name"]
        readings = load("perspectives").sort_values(["dimension_id", "tradition_id"])  # one pass, canonical order
        by_dimension = {str(d): rows for d, rows in readings.groupby("dimension_id", observed=True)}
        parts = ["<h3>How historians read it</h3>"]
        for dim in dim_ids:
            rows = by_dimension.get(dim, readings.iloc[0:0])
            items = "".join(
                f"<li><b>{_esc(traditions[r.tradition_id])}</b> ({_esc(r.proponents)}): {_esc(r.reading)}"
                + (_sources_html(r.sources) if self.sources_control.value else "")
                + "</li>"
                for r in rows.itertuples()
            )
            parts.append(f"<h4>{_esc(dim_names[dim])}</h4><ul>{items}</ul>")
        return "".join(parts)


def _css_line(look: dict[str, Any]) -> str:
    return {"-": "solid", "--": "dashed", ":": "dotted", "-.": "double"}.get(look.get("linestyle", "-"), "solid")


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
        from lessons_lib.data import check_choice

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
        self._update()

    def _key(self) -> tuple[Any, ...]:
        controls = (self.ideology_control, self.figure_control, self.category_control, self.years_control)
        return tuple(c.value for c in controls)

    def _select(self) -> None:
        pick = {
            "ideologies": None if self.ideology_control.value == ALL else [self.ideology_control.value],
            "figures": None if self.figure_control.value == ALL else [self.figure_control.value],
            "categories": None if self.category_control.value == ALL else [self.category_control.value],
            "years": tuple(self.years_control.value),
        }
        self.visible = query.filter_events(**pick)
        self.details.value = self._event_list()

    def _plot(self, ax: Any) -> None:
        lanes = "ideology" if self.figure_control.value == ALL else "figure"
        charts.plot_timeline(self.visible, years=tuple(self.years_control.value), lanes=lanes, ax=ax)

    def _event_list(self) -> str:
        if self.visible.empty:
            return _message("No events match this selection; widen the years or choose 'All'.")
        items = "".join(self._event_item(row) for row in self.visible.itertuples())
        listing = f"<ol style='max-height:320px;overflow-y:auto'>{items}</ol>"
        return f"<p>{len(self.visible)} events shown.</p>{listing}"

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

    def _plot(self, ax: Any) -> None:
        charts.plot_policies(self.visible, ax=ax)

    def _select(self) -> None:
        choice = None if self.choice_control.value == ALL else [self.choice_control.value]
        pick = {"eras": choice} if self.group_control.value == "era" else {"ideologies": choice}
        categories = None if self.category_control.value == ALL else [self.category_control.value]
        self.visible = query.filter_policies(categories=categories, **pick)
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
        from lessons_lib.data import check_choice

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

    def _plot(self, ax: Any) -> None:
        charts.plot_series(self.series_id, eras=self.eras_control.value, ranges=self.ranges_control.value, ax=ax)

    def _select(self) -> None:
        row = load("series").set_index("id").loc[self.series_id]
        self.details.value = (
            f"<p><b>What it counts:</b> {_esc(row.counts)}</p><p><b>What it leaves out:</b> {_esc(row.excludes)}</p>"
            f"<p><b>Caveats:</b> {_esc(row.caveats)}</p><p><b>Sources</b></p>{_sources_html(row.sources)}"
        )


def render_states(app: widgets.Widget, control: widgets.Widget, values: Iterable[Any]) -> widgets.HTML | Any:
    """Pre-render an app in several states, for lessons read without a kernel.

    Sets `control` to each value in turn and collects what the app shows, then restores it.

    Parameters
    ----------
    app : widget app
        A chart app (with ``snapshot()``) or the ComparisonExplorer (with ``html``).
    control : ipywidgets widget
        The control to step through.
    values : iterable
        The values to show.

    Returns
    -------
    IPython.display.HTML
        One section per state: a heading and the image or table.
    """
    from IPython.display import HTML

    original = control.value
    labels = (
        dict((v, k) for k, v in getattr(control, "options", []) if isinstance(k, str))
        if hasattr(control, "options")
        else {}
    )
    parts = []
    for value in values:
        control.value = value
        shown = app.snapshot().to_html() if isinstance(app, _ChartApp) else app.html
        parts.append(f"<h4>{_esc(labels.get(value, value))}</h4>{shown}")
    control.value = original
    return HTML("".join(parts))


class Quiz(widgets.VBox):
    """Self-check questions from the question bank, with feedback, explanation, source and score.

    Parameters
    ----------
    lessons : int or iterable of int, optional
        Lesson numbers whose questions to ask (all by default).
    kinds : iterable of str, optional
        Question kinds (multiple_choice, ordering, matching).
    limit : int, optional
        Ask at most this many questions.
    """

    def __init__(
        self, lessons: int | Iterable[int] | None = None, kinds: Iterable[str] | None = None, limit: int | None = None
    ):
        bank = load("questions")
        if lessons is not None:
            wanted = {lessons} if isinstance(lessons, int) else set(lessons)
            bank = bank[bank["lesson"].isin(wanted)]
        if kinds is not None:
            from lessons_lib.data import check_choice

            kinds = [check_choice(k, query.choices("questions", "kind"), "question kind") for k in kinds]
            bank = bank[bank["kind"].isin(kinds)]
        if bank.empty:
            raise ValueError("no questions match this selection")
        self.questions = bank.head(limit).reset_index(drop=True) if limit else bank.reset_index(drop=True)
        self.index = 0
        self.score = 0
        self.answered: dict[str, bool] = {}
        self.prompt = widgets.HTML()
        self.answer_box = widgets.VBox()
        self.check_button = widgets.Button(description="Check answer", button_style="primary")
        self.next_button = widgets.Button(description="Next question")
        self.feedback = widgets.HTML()
        self.score_label = widgets.HTML()
        self.check_button.on_click(lambda _: self.check())
        self.next_button.on_click(lambda _: self.next())
        super().__init__(
            [
                self.score_label,
                self.prompt,
                self.answer_box,
                widgets.HBox([self.check_button, self.next_button]),
                self.feedback,
            ]
        )
        self.add_class("lessons-app")
        self.add_class("lessons-quiz")
        self._update()

    def __repr__(self) -> str:
        return f"<Quiz: {len(self.questions)} questions. Run the notebook to answer them.>"

    @property
    def question(self) -> pd.Series:
        """The question now shown."""
        return self.questions.iloc[self.index]

    def _labels(self) -> dict[str, str]:
        q = self.question
        if q.kind == "multiple_choice":
            return {o: o for o in q.options}
        labels = row_labels(q.ref_table)
        return {i: labels[i] for i in q.options}

    def _update(self) -> None:
        q = self.question
        self.score_label.value = (
            f"<b>Question {self.index + 1} of {len(self.questions)}</b> | score {self.score}/{len(self.answered)}"
        )
        self.prompt.value = f"<p style='font-size:1.1em'>{_esc(q.prompt)}</p>"
        self.feedback.value = ""
        labels = self._labels()
        if q.kind == "multiple_choice":
            self.choices = [
                widgets.RadioButtons(options=list(q.options), value=None, layout=widgets.Layout(width="auto"))
            ]
        elif q.kind == "ordering":
            options = [("(choose)", None)] + [(labels[i][:90], i) for i in q.options]
            self.choices = [widgets.Dropdown(options=options, description=f"{n + 1}.") for n in range(len(q.options))]
        else:
            values = sorted({p.split("=", 1)[1] for p in q.answer.split("|")}, key=value_label)
            self.choices = [
                widgets.Dropdown(options=[("(choose)", None)] + [(value_label(v), v) for v in values], description="",
                                 layout=widgets.Layout(width="220px"))
                for _ in q.options
            ]  # fmt: skip
            rows = [
                widgets.HBox([c, widgets.HTML(f"<i>{_esc(labels[i])}</i>")])
                for c, i in zip(self.choices, q.options, strict=True)
            ]
            self.answer_box.children = rows
            return
        self.answer_box.children = self.choices

    def response(self) -> str | None:
        """Return the learner's current answer in the bank's answer format, or None if incomplete."""
        q = self.question
        values = [c.value for c in self.choices]
        if any(v is None for v in values):
            return None
        if q.kind == "multiple_choice":
            return values[0]
        if q.kind == "ordering":
            return "|".join(values)
        return "|".join(f"{i}={v}" for i, v in zip(q.options, values, strict=True))

    def answer(self, response: str | list[str]) -> None:
        """Fill in the controls with `response` (an option, or a list for ordering/matching)."""
        items = [response] if isinstance(response, str) else list(response)
        for control, value in zip(self.choices, items, strict=True):
            control.value = value

    def check(self) -> bool | None:
        """Check the current answer, show feedback and update the score.

        Returns
        -------
        bool or None
            Whether the answer is right, or None when it is incomplete.
        """
        q = self.question
        given = self.response()
        if given is None:
            self.feedback.value = _message("Answer every part first.", "info")
            return None
        if q.kind == "matching":
            right = dict(p.split("=", 1) for p in given.split("|")) == dict(
                p.split("=", 1) for p in q.answer.split("|")
            )
        else:
            right = given == q.answer
        if q.id not in self.answered:
            self.answered[q.id] = right
            self.score += int(right)
        verdict = _message("Correct!" if right else "Not quite.", "ok" if right else "error")
        shown = ""
        if not right:
            labels = self._labels()
            parts = q.answer.split("|")
            if q.kind == "ordering":
                shown = "<p>The right order: " + " &rarr; ".join(_esc(labels[p]) for p in parts) + "</p>"
            else:
                pairs = [p.split("=", 1) for p in parts]
                answer = (
                    q.answer
                    if q.kind == "multiple_choice"
                    else "; ".join(f"{labels[i]}: {value_label(v)}" for i, v in pairs)
                )
                shown = f"<p>The answer: {_esc(answer)}</p>"
        self.feedback.value = (
            f"{verdict}{shown}<p>{_esc(q.explanation)}</p><p><b>Source</b></p>{_sources_html(q.sources)}"
        )
        self.score_label.value = (
            f"<b>Question {self.index + 1} of {len(self.questions)}</b> | score {self.score}/{len(self.answered)}"
        )
        return right

    def next(self) -> None:
        """Go to the next question (back to the first after the last)."""
        self.index = (self.index + 1) % len(self.questions)
        self._update()


class ClaimChecker(widgets.VBox):
    """Judge claims of the popular web articles, then see the verdict, correction and sources.

    Parameters
    ----------
    article : str, optional
        Only claims from this article (``trotskyism_vs_stalinism`` or ``leninism_vs_stalinism``).
    limit : int, optional
        At most this many claims.
    """

    def __init__(self, article: str | None = None, limit: int | None = None):
        claims = load("claims")
        if article is not None:
            from lessons_lib.data import check_choice

            check_choice(article, query.choices("claims", "article"), "article")
            claims = claims[claims["article"] == article]
        self.claims = claims.head(limit).reset_index(drop=True) if limit else claims.reset_index(drop=True)
        self.verdicts = [str(v) for v in query.choices("claims", "verdict")]
        self.index = 0
        self.score = 0
        self.judged: dict[str, str] = {}
        self.claim_html = widgets.HTML()
        self.buttons = [
            widgets.Button(description=v.capitalize(), tooltip=f"I think this claim is {v}") for v in self.verdicts
        ]
        for button, verdict in zip(self.buttons, self.verdicts, strict=True):
            button.on_click(lambda _, v=verdict: self.judge(v))
        self.next_button = widgets.Button(description="Next claim")
        self.next_button.on_click(lambda _: self.next())
        self.feedback = widgets.HTML()
        self.score_label = widgets.HTML()
        super().__init__(
            [self.score_label, self.claim_html, widgets.HBox(self.buttons), self.feedback, self.next_button]
        )
        self.add_class("lessons-app")
        self.add_class("lessons-claims")
        self._update()

    def __repr__(self) -> str:
        return f"<ClaimChecker: {len(self.claims)} claims. Run the notebook to judge them.>"

    @property
    def claim(self) -> pd.Series:
        """The claim now shown."""
        return self.claims.iloc[self.index]

    def _update(self) -> None:
        article = ARTICLES.get(self.claim.article, self.claim.article)
        self.claim_html.value = (
            f"<p>A popular web article {_esc(article)} says:</p>"
            f"<blockquote style='font-size:1.15em'>&ldquo;{_esc(self.claim.quote)}&rdquo;</blockquote>"
            "<p>Is this claim accurate, misleading, false or contested?</p>"
        )
        self.feedback.value = ""
        self._score()

    def _score(self) -> None:
        progress = f"<b>Claim {self.index + 1} of {len(self.claims)}</b>"
        self.score_label.value = f"{progress} | agreed with the verdict on {self.score}/{len(self.judged)}"

    def judge(self, verdict: str) -> bool:
        """Record the learner's verdict on the current claim and reveal the evidence.

        Parameters
        ----------
        verdict : str
            One of accurate, misleading, false, contested.

        Returns
        -------
        bool
            Whether it matches the course's verdict.
        """
        from lessons_lib.data import check_choice

        check_choice(verdict, self.verdicts, "verdict")
        row = self.claim
        right = verdict == str(row.verdict)
        if row.id not in self.judged:
            self.judged[row.id] = verdict
            self.score += int(right)
        head = "You agree with the course's verdict" if right else f"You said {verdict}; the course's verdict differs"
        self.feedback.value = (
            _message(f"{head}: {row.verdict}.", "ok" if right else "error")
            + f"<p><b>What the evidence says:</b> {_esc(row.correction)}</p>"
            + f"<p><b>Sources</b></p>{_sources_html(row.sources)}"
        )
        self._score()
        return right

    def next(self) -> None:
        """Go to the next claim (back to the first after the last)."""
        self.index = (self.index + 1) % len(self.claims)
        self._update()
