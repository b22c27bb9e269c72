"""The comparison explorer: the ideologies side by side, dimension by dimension, as cards or a table.

With ``predict=`` it is a task: one ideology's card is hidden, the learner predicts its position on
the dimension (chooses how it compares with the others, or writes a sentence, or both), and then
reveals it with the historians' competing readings shown as text. The prediction is saved in the
learner's store and shown again when the lesson is run again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import ipywidgets as widgets
import pandas as pd

from lessons_lib import query, style
from lessons_lib.apps._base import ALL, _App, _esc, _message, _options, _sources_html
from lessons_lib.apps._saved import TaskWork, long_text_note
from lessons_lib.data import check_choice, check_ideologies, ideology_ids, load
from lessons_lib.html import comparison_html
from lessons_lib.labels import row_labels
from lessons_lib.store import Store

__all__ = ["ComparisonExplorer"]


class ComparisonExplorer(_App):
    """Compare the ideologies dimension by dimension, as cards or a table.

    Parameters
    ----------
    ideologies : iterable of str, optional
        Ideologies selected at start (all by default).
    dimension : str, optional
        A dimension id, or ``"all"`` (default).
    view : {"cards", "table"}
        How positions are laid out.
    predict : str, optional
        An ideology whose card is hidden until the learner has predicted its position on the
        dimension shown (predict, then reveal). The prediction is saved.
    lesson : int
        The lesson the predictions belong to (in the learner's store).
    store : Store, optional
        Where predictions are saved; the learner's store by default.

    Examples
    --------
    >>> app = ComparisonExplorer(["leninism", "stalinism"], dimension="peasantry")
    >>> app.ideologies
    ['leninism', 'stalinism']
    """

    css_class = "lessons-comparison"

    def __init__(
        self,
        ideologies: Iterable[str] | None = None,
        dimension: str = ALL,
        view: str = "cards",
        predict: str | None = None,
        lesson: int = 3,
        store: Store | None = None,
    ):
        chosen = check_ideologies(ideologies)
        names = load("ideologies").set_index("id")["name"]
        self.hidden = None if predict is None else check_choice(predict, ideology_ids(), "ideology")
        self._names = {str(k): str(v) for k, v in names.items()}
        self._lesson = lesson
        self._store = store
        self._works: dict[str, TaskWork] = {}
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
        controls = [
            widgets.HBox(list(self.toggles.values())),
            widgets.HBox([self.dimension_control, self.view_control]),
            widgets.HBox([self.sources_control, self.perspectives_control]),
        ]
        self.prediction_box = widgets.VBox()
        if self.hidden is not None:
            self._build_prediction()
        super().__init__([*controls, self.content, self.prediction_box], message=self.content)
        self._watch(controls)  # a problem replaces the page; the prediction controls are watched apart
        self._update()

    def __repr__(self) -> str:
        shown = ", ".join(self.ideologies) or "nothing"
        task = f"; predict {self._names[self.hidden]}'s position first" if self.hidden else ""
        return f"<ComparisonExplorer: {shown} on {self.dimension}{task}. Run the notebook to use the controls.>"

    # --- predict, then reveal ---------------------------------------------------------------

    def _build_prediction(self) -> None:
        hidden = self._names[str(self.hidden)]
        self.choice_control = widgets.RadioButtons(
            options=prediction_options(str(self.hidden), self._names),
            value=None,
            description="I predict:",
            layout=widgets.Layout(width="auto"),
        )
        self.text_control = widgets.Textarea(
            placeholder=f"In one or two sentences: what will {hidden}'s position be here, and why?",
            layout=widgets.Layout(width="98%", height="4em"),
        )
        self.reveal_button = widgets.Button(description=f"Reveal {hidden}", button_style="primary")
        self.prediction_status = widgets.HTML()
        self.reveal_html = widgets.HTML()
        self.prediction_box.children = [
            widgets.HTML(f"<h4>Predict, then reveal: {_esc(hidden)}</h4>"),
            self.choice_control, self.text_control, self.reveal_button, self.prediction_status, self.reveal_html,
        ]  # fmt: skip
        self.choice_control.observe(lambda _: self._safely(self._predicted), names="value")
        self.text_control.observe(lambda _: self._safely(self._predicted), names="value")
        self._on_click(self.reveal_button, self.reveal)
        self._loading = False

    def _work(self) -> TaskWork | None:
        """Return the saved prediction for the dimension shown (None without a task or on all dimensions)."""
        if self.hidden is None or self.dimension == ALL:
            return None
        if self.dimension not in self._works:
            item = f"predict.{self.hidden}.{self.dimension}"
            self._works[self.dimension] = TaskWork(
                self._lesson, item, {"choice": None, "text": "", "revealed": False}, self._store
            )
        return self._works[self.dimension]

    @property
    def revealed(self) -> bool:
        """Whether the hidden card of the dimension shown has been revealed."""
        work = self._work()
        return self.hidden is None or (work is not None and bool(work.value["revealed"]))

    def _predicted(self) -> None:
        work = self._work()
        if work is None or self._loading:
            return
        work.set(choice=self.choice_control.value, text=self.text_control.value)
        self._prediction_status()

    def reveal(self) -> bool:
        """Reveal the hidden card once a prediction is made; return whether it was revealed."""
        work = self._work()
        if work is None:
            self.prediction_status.value = _message("Choose one dimension to make a prediction.", "info")
            return False
        if self.choice_control.value is None and not self.text_control.value.strip():
            self.prediction_status.value = _message(
                "Make your prediction first: choose an option or write a sentence.", "error"
            )
            return False
        work.set(choice=self.choice_control.value, text=self.text_control.value, revealed=True)
        work.save()
        self._update()
        return True

    def _prediction_status(self) -> None:
        work = self._work()
        if work is None:
            self.prediction_status.value = _message("Choose one dimension to make a prediction.", "info")
            return
        kind, text = work.status_text()
        note = long_text_note(self.text_control.value)
        self.prediction_status.value = _message(text, kind) + (_message(note, "info") if note else "")

    def _show_prediction(self) -> None:
        work = self._work()
        choices = [v for _, v in self.choice_control.options]
        self._loading = True
        try:  # a saved choice that is no longer an option (a damaged file) is not restored
            self.choice_control.value = work.value["choice"] if work and work.value["choice"] in choices else None
            self.text_control.value = "" if work is None else work.value["text"]
        finally:
            self._loading = False
        disabled = work is None
        self.choice_control.disabled = self.text_control.disabled = self.reveal_button.disabled = disabled
        self.reveal_html.value = self._reveal_page(work) if work is not None and work.value["revealed"] else ""
        self._prediction_status()

    def _reveal_page(self, work: TaskWork) -> str:
        labels = dict((v, k) for k, v in self.choice_control.options)
        choice = work.value["choice"]
        said = [f"<b>{_esc(labels[choice])}</b>"] if choice in labels else []
        if work.value["text"].strip():
            said.append(f"&ldquo;{_esc(work.value['text'])}&rdquo;")
        return (
            f"<div class='lessons-prediction'><p><b>Your prediction:</b> {'; '.join(said)}</p>"
            f"{_revealed_html(str(self.hidden), self.dimension)}"
            "<p><i>Compare: where was your prediction right, what surprised you, and which reading do you find "
            "most convincing?</i></p></div>"
        )

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

    def snapshot_html(self) -> str:
        """Return the HTML now shown; with a prediction task, the hidden card folded under a prompt.

        The task's form never shows the learner's saved prediction, so a lesson's stored output is the
        same for everyone.
        """
        if self.hidden is None or self.ideologies == [] or self.dimension == ALL:
            return self.html
        hidden = self._names[self.hidden]
        return (
            f"{self._page(self.hidden)}<div class='lessons-prediction'><p><b>Predict, then reveal.</b> "
            "Before you open the fold, "
            f"write down what you expect {_esc(hidden)}'s position to be, and why.</p>"
            f"<details><summary>Reveal {_esc(hidden)}</summary>{_revealed_html(self.hidden, self.dimension)}"
            "</details></div>"
        )

    def _key(self) -> tuple[Any, ...]:
        return (tuple(self.ideologies), self.dimension, self.view_control.value, self.sources_control.value,
                self.perspectives_control.value, self.revealed)  # fmt: skip

    def _show(self, page: str) -> None:
        self.content.value = page
        if self.hidden is not None:
            self._show_prediction()

    def _render(self) -> str:
        return self._page(None if self.revealed else self.hidden)

    def _page(self, hide: str | None) -> str:
        """Return the page of the current controls, with the card of `hide` (if any) hidden."""
        if not self.ideologies:
            return _message("Select at least one ideology to compare.", "error")
        dims = None if self.dimension == ALL else [self.dimension]
        hide = hide if hide in self.ideologies else None
        if self.view_control.value == "table":
            shown = [i for i in self.ideologies if i != hide]
            body = (
                comparison_html(ideologies=shown, dimensions=dims, show_sources=self.sources_control.value)
                if shown
                else ""
            )
            if hide:
                body += f"<p><i>{_esc(self._names[hide])} is hidden until you make your prediction.</i></p>"
        else:
            body = self._cards(query.comparison_table(ideologies=self.ideologies, dimensions=dims), hide)
        if self.perspectives_control.value:
            body += (
                "<p><i>How historians read it is shown when you reveal the hidden card.</i></p>"
                if hide
                else self._perspectives(dims)
            )
        return body

    def _cards(self, table: pd.DataFrame, hide: str | None = None) -> str:
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
                if str(row.ideology_id) == hide:
                    cards.append(_hidden_card(names[hide], look))
                    continue
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


def prediction_options(hidden: str, names: dict[str, str]) -> list[tuple[str, str]]:
    """Return the choices of a prediction about `hidden`'s position, as ``(label, value)`` pairs.

    Parameters
    ----------
    hidden : str
        The ideology whose position is predicted.
    names : dict of str to str
        Every ideology's name by id, in canonical order.

    Returns
    -------
    list of (str, str)
        ``like_<id>`` for each other ideology, then ``between`` and ``unlike``.
    """
    others = {i: name for i, name in names.items() if i != hidden}
    options = [(f"Close to {name}'s position", f"like_{i}") for i, name in others.items()]
    return options + [(f"Between {' and '.join(others.values())}", "between"), ("Unlike either", "unlike")]


def _hidden_card(name: str, look: dict[str, Any]) -> str:
    return (
        f"<div class='card lessons-hidden-card' style='flex:1;min-width:220px;border-top:6px dashed "
        f"{look['color']};padding:8px;margin:4px;background:#eee'><h4>{_esc(name)}</h4>"
        "<p><b>Hidden.</b> Predict this position first (below), then reveal it.</p></div>"
    )


def _revealed_html(ideology: str, dimension: str) -> str:
    """Return the hidden card in full, with the competing readings as visible text (no tooltips)."""
    row = query.comparison_table(ideologies=[ideology], dimensions=[dimension]).iloc[0]
    name = row_labels("ideologies")[ideology]
    parts = [
        f"<div class='lessons-revealed'><h4>{_esc(name)}: its position</h4><p><b>{_esc(row.summary)}</b></p>"
        f"<p>{_esc(row.explanation)}</p>"
    ]
    if row.contested:
        parts.append(f"<p class='contested'><b>Historians disagree:</b> {_esc(row.contested_note)}</p>")
    traditions = load("traditions").set_index("id")["name"]
    readings = load("perspectives")
    readings = readings[readings["dimension_id"] == dimension].sort_values("tradition_id")
    items = "".join(
        f"<li><b>{_esc(traditions[r.tradition_id])}</b> ({_esc(r.proponents)}): {_esc(r.reading)}</li>"
        for r in readings.itertuples()
    )
    if items:
        parts.append(f"<p><b>Competing readings of this dimension</b></p><ul class='lessons-readings'>{items}</ul>")
    parts.append(f"<p><b>Sources</b></p>{_sources_html(row.sources)}</div>")
    return "".join(parts)


def _css_line(look: dict[str, Any]) -> str:
    return {"-": "solid", "--": "dashed", ":": "dotted", "-.": "double"}.get(look.get("linestyle", "-"), "solid")
