"""Task widgets for lesson 4: put events in order, and weigh the explanations of Stalin's victory.

:class:`ArrangeEvents` asks the learner to put a few dated events in order; *Check* says which are
out of place and only then shows the dates. :class:`WeighFactors` asks the learner to weigh the
explanations (the ``factors`` table) and compares the weighting with what named works emphasise
(the ``emphases`` table, each row with a note on what the work says and where it was checked). The
logic is in the plain functions :func:`placements` and :func:`compare_weights`. Both widgets save
the learner's work in the learner's store (kind ``"task"``) and restore it.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import pandas as pd

from lessons_lib import query
from lessons_lib.apps._base import _App, _esc, _message, _sources_html
from lessons_lib.apps._saved import TaskWork
from lessons_lib.data import check_choice, load
from lessons_lib.store import Store

__all__ = ["ArrangeEvents", "WeighFactors", "Placement", "placements", "Match", "compare_weights"]

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip
_ORDINAL = {1: "1st", 2: "2nd", 3: "3rd"}


def _ordinal(n: int) -> str:
    return _ORDINAL.get(n, f"{n}th")


def _date(row: Any) -> str:
    """Return an event's date as a reader writes it: '3 April 1922', 'April 1924' or '1924'."""
    if pd.isna(row.month):
        return str(row.year)
    month = _MONTHS[int(row.month) - 1]
    return f"{month} {row.year}" if pd.isna(row.day) else f"{int(row.day)} {month} {row.year}"


@dataclass(frozen=True)
class Placement:
    """Where the learner put one event, and where it belongs.

    Attributes
    ----------
    event : str
        The event id.
    given : int
        The place the learner gave it (1 = earliest).
    right : int
        Its place in date order.
    """

    event: str
    given: int
    right: int

    @property
    def in_place(self) -> bool:
        """Whether the learner put the event in its place."""
        return self.given == self.right


def placements(order: list[str], correct: list[str]) -> list[Placement]:
    """Compare the learner's order of events with the date order.

    Parameters
    ----------
    order : list of str
        Event ids in the learner's order, earliest first; each event once.
    correct : list of str
        The same ids in date order.

    Returns
    -------
    list of Placement
        One per event, in the learner's order.

    Raises
    ------
    ValueError
        If `order` is not the events of `correct`, each once.

    Examples
    --------
    >>> [p.in_place for p in placements(["b", "a", "c"], ["a", "b", "c"])]
    [False, False, True]
    """
    if sorted(order) != sorted(correct):
        raise ValueError("the order must name each event exactly once")
    rank = {event: n for n, event in enumerate(correct, start=1)}
    return [Placement(event, n, rank[event]) for n, event in enumerate(order, start=1)]


def _pick(years: tuple[int, int], n: int, seed: int) -> list[str]:
    """Pick `n` events of `years` dated to the day, each on a different day (seeded)."""
    events = query.filter_events(years=years)
    events = events[events["precision"] == "day"].drop_duplicates(["year", "month", "day"], keep=False)
    if len(events) < n:
        raise ValueError(f"only {len(events)} events of {years[0]}-{years[1]} are dated to the day; ask for fewer")
    return sorted(random.Random(seed).sample(list(events["id"]), n))


class ArrangeEvents(_App):
    """Put events in date order, then check: which are out of place, with the dates shown after checking.

    Parameters
    ----------
    events : iterable of str, optional
        Event ids to order (2-12, each on a different date). By default `n` events of `years` that
        are dated to the day, picked with `seed` (the same every time the lesson is run).
    years : tuple of int
        The years the events are picked from when `events` is not given.
    n : int
        How many events are picked.
    seed : int
        Seed of the pick and of the order in which the events are listed.
    lesson : int
        The lesson the task belongs to (in the learner's store).
    store : Store, optional
        Where the learner's order is saved; the learner's store by default.

    Raises
    ------
    UnknownNameError
        For an event id that is not in the events table (with a suggestion).
    ValueError
        For fewer than 2 or more than 12 events, or two events on the same date.

    Examples
    --------
    >>> task = ArrangeEvents(["lenin_died", "stalin_general_secretary"])
    >>> task.correct
    ['stalin_general_secretary', 'lenin_died']
    """

    css_class = "lessons-arrange"

    def __init__(
        self,
        events: Iterable[str] | None = None,
        *,
        years: tuple[int, int] = (1922, 1929),
        n: int = 6,
        seed: int = 4,
        lesson: int = 4,
        store: Store | None = None,
    ):
        table = load("events").set_index("id", drop=False)
        ids = _pick(years, n, seed) if events is None else [check_choice(e, table.index, "event id") for e in events]
        if not 2 <= len(set(ids)) == len(ids) <= 12:
            raise ValueError(f"give 2 to 12 different events to put in order, not {len(ids)}: {ids}")
        rows = table.loc[ids]
        keys = list(zip(rows["year"], rows["month"].fillna(0), rows["day"].fillna(0), strict=True))
        if len(set(keys)) < len(keys):
            same = [i for i, k in zip(ids, keys, strict=True) if keys.count(k) > 1]
            raise ValueError(f"these events share a date, so their order cannot be checked: {', '.join(same)}")
        self.rows = rows
        self.correct = [i for _, i in sorted(zip(keys, ids, strict=True))]
        listed = list(ids)
        random.Random(seed).shuffle(listed)
        if listed == self.correct:  # never start in the right order
            listed = listed[1:] + listed[:1]
        self.listed = listed
        self.years = (int(rows["year"].min()), int(rows["year"].max()))
        item = "arrange." + hashlib.sha1("|".join(sorted(ids)).encode()).hexdigest()[:12]
        self.work = TaskWork(lesson, item, {"order": [None] * len(ids), "checked": False, "checks": 0}, store)
        self.letters = {event: chr(ord("A") + n) for n, event in enumerate(self.listed)}
        self.events_html = widgets.HTML(self._events_html())
        options = [("(choose)", None)] + [(f"{self.letters[e]}. {rows.at[e, 'title']}"[:90], e) for e in self.listed]
        self.slots = [
            widgets.Dropdown(options=options, description=f"{_ordinal(k)}:", layout=widgets.Layout(width="36em"))
            for k in range(1, len(ids) + 1)
        ]
        self.check_button = widgets.Button(description="Check the order", button_style="primary")
        self.feedback = widgets.HTML()
        self.status = widgets.HTML()
        for slot, saved in zip(self.slots, self._saved_order(), strict=True):
            slot.value = saved  # before the slots are watched: restoring is not a change
        children = [self.events_html, widgets.VBox(self.slots), self.check_button, self.feedback, self.status]
        super().__init__(children, message=self.feedback)
        self._watch(self.slots)
        self._on_click(self.check_button, self.check)
        self._update()

    def __repr__(self) -> str:
        titles = "; ".join(f"{self.letters[e]}. {self.rows.at[e, 'title']}" for e in self.listed)
        return (
            f"<ArrangeEvents: put {len(self.listed)} events of {self.years[0]}-{self.years[1]} in date order: "
            f"{titles}. Run the notebook to check your order.>"
        )

    def _saved_order(self) -> list[str | None]:
        saved = self.work.value["order"]
        if not isinstance(saved, list) or len(saved) != len(self.slots):
            return [None] * len(self.slots)
        return [e if e in self.letters else None for e in saved]

    @property
    def order(self) -> list[str | None]:
        """The learner's order now: one event id (or None) per place, earliest first."""
        return [slot.value for slot in self.slots]

    def _events_html(self) -> str:
        items = "".join(f"<li><b>{self.letters[e]}.</b> {_esc(self.rows.at[e, 'title'])}</li>" for e in self.listed)
        return (
            f"<p><b>Put these {len(self.listed)} events in the order they happened</b> (earliest first). "
            f"Choose an event for each place, then check.</p><ul class='lessons-arrange-events' "
            f"style='list-style:none'>{items}</ul>"
        )

    def _on_change(self, change: dict[str, Any]) -> None:
        self.work.set(order=self.order, checked=False)
        self._update()

    def _render(self) -> str:
        if self.work.value["checked"] and None not in self.order:
            return self._feedback()
        placed = sum(e is not None for e in self.order)
        return _message(f"{placed} of {len(self.slots)} places filled.", "info") if placed else ""

    def _show(self, view: str) -> None:
        self.feedback.value = view
        kind, text = self.work.status_text()
        self.status.value = _message(text, kind)

    def check(self) -> list[Placement] | None:
        """Check the order: say which events are out of place and show the dates.

        Returns
        -------
        list of Placement or None
            One per event, or None when a place is empty or an event is used twice (the message
            says which).
        """
        if None in self.order:
            empty = [_ordinal(k) for k, e in enumerate(self.order, start=1) if e is None]
            self.feedback.value = _message(
                f"Choose an event for every place first (empty: {', '.join(empty)}).", "error"
            )
            return None
        order = [str(e) for e in self.order]
        twice = sorted({e for e in order if order.count(e) > 1}, key=self.listed.index)
        if twice:
            names = ", ".join(f"{self.letters[e]}. {self.rows.at[e, 'title']}" for e in twice)
            missing = ", ".join(self.letters[e] for e in self.listed if e not in order)
            self.feedback.value = _message(
                f"Each event goes in one place: you chose {names} more than once, and not {missing}.", "error"
            )
            return None
        self.work.set(order=order, checked=True, checks=int(self.work.value["checks"]) + 1)
        self.work.save()
        self._update()
        return placements(order, self.correct)

    def _feedback(self) -> str:
        result = placements([str(e) for e in self.order], self.correct)
        right = sum(p.in_place for p in result)
        if right == len(result):
            head = _message(f"All {right} events are in the right order.", "ok")
        else:
            head = _message(
                f"In the right place: {right} of {len(result)} events. The ones marked ✗ are out of place; "
                "their dates show where they belong.",
                "error",
            )
        rows = "".join(
            f"<tr><td>{_ordinal(p.given)}</td><td>{'✓' if p.in_place else '✗'}</td>"
            f"<td>{self.letters[p.event]}. {_esc(self.rows.at[p.event, 'title'])}</td>"
            f"<td>{_esc(_date(self.rows.loc[p.event]))}</td>"
            f"<td>{'' if p.in_place else f'belongs {_ordinal(p.right)}'}</td></tr>"
            for p in result
        )
        table = (
            "<table class='lessons-arrange-result'><thead><tr><th>Place</th><th></th><th>Your event</th>"
            f"<th>Date</th><th></th></tr></thead><tbody>{rows}</tbody></table>"
        )
        return head + table + self._answer_html(with_heading=right < len(result))

    def _answer_html(self, with_heading: bool = True) -> str:
        items = "".join(
            f"<li><b>{_esc(_date(self.rows.loc[e]))}</b>: {_esc(self.rows.at[e, 'title'])}. "
            f"{_esc(self.rows.at[e, 'description'])}</li>"
            for e in self.correct
        )
        sources = [s for e in self.correct for s in self.rows.at[e, "sources"]]
        heading = "<p><b>The order, with dates</b></p>" if with_heading else ""
        return (
            f"{heading}<ol class='lessons-arrange-answer'>{items}</ol>"
            f"<p><b>Sources</b></p>{_sources_html(dict.fromkeys(sources))}"
        )

    def snapshot_html(self) -> str:
        """Return the events to order with numbered blanks, and the order with dates folded below.

        It never shows the learner's saved work, so a lesson's stored output is the same for everyone.
        """
        blanks = "".join("<li>&nbsp;</li>" for _ in self.listed)
        return (
            f"<div class='lessons-arrange'>{self._events_html()}<ol class='lessons-arrange-blank'>{blanks}</ol>"
            f"<details><summary>The order, with dates</summary>{self._answer_html(False)}</details></div>"
        )


# --- Weigh the factors -------------------------------------------------------------------------

MAX_WEIGHT = 4
_EXPECTED = {"main": MAX_WEIGHT, "contributing": 2, "played_down": 0}  # the weight each emphasis stands for
_EMPHASIS = {"main": "main explanation", "contributing": "one cause among others", "played_down": "plays it down"}


@dataclass(frozen=True)
class Match:
    """How the learner's weighting compares with one work's emphases.

    Attributes
    ----------
    historian : str
        The work as the learner sees it named, e.g. ``"Kotkin (2014)"``.
    source : str
        The work's source id.
    rows : list of (str, str, int, str)
        Per factor the work takes a position on: factor id, its emphasis, the learner's weight and
        ``"agree"``, ``"partly"`` or ``"differ"``.
    closeness : float
        From 0 (the opposite weighting) to 1 (the same), averaged over the work's factors.
    """

    historian: str
    source: str
    rows: list[tuple[str, str, int, str]]
    closeness: float


def compare_weights(weights: dict[str, int], emphases: pd.DataFrame) -> list[Match]:
    """Compare a weighting of the factors with each work's emphases, closest first.

    A ``main`` explanation stands for the top weight, ``contributing`` for the middle one and
    ``played_down`` for none; the learner agrees with a work on a factor when the weight is within
    one step of that, and differs when it is three or more steps away. A factor the work takes no
    position on is left out.

    Parameters
    ----------
    weights : dict of str to int
        The learner's weight (0-4) for each factor id.
    emphases : pandas.DataFrame
        Rows of the ``emphases`` table.

    Returns
    -------
    list of Match
        One per work, closest first (ties in the table's order).

    Examples
    --------
    >>> from lessons_lib.data import load
    >>> matches = compare_weights({"apparatus": 4, "trotsky_errors": 0}, load("emphases"))
    >>> matches[0].closeness
    1.0
    """
    matches = []
    for source, rows in emphases.groupby("source", sort=False, observed=True):
        compared = []
        for row in rows.itertuples():
            if str(row.factor) not in weights:
                continue
            weight = int(weights[str(row.factor)])
            distance = abs(weight - _EXPECTED[str(row.emphasis)])
            word = "agree" if distance <= 1 else "partly" if distance == 2 else "differ"
            compared.append((str(row.factor), str(row.emphasis), weight, word))
        if compared:
            closeness = sum(1 - abs(w - _EXPECTED[e]) / MAX_WEIGHT for _, e, w, _ in compared) / len(compared)
            matches.append(Match(str(rows["historian"].iloc[0]), str(source), compared, round(closeness, 3)))
    return sorted(matches, key=lambda m: -m.closeness)


class WeighFactors(_App):
    """Weigh the explanations of Stalin's victory, then compare the weighting with named historians' emphases.

    Parameters
    ----------
    lesson : int
        The lesson the task belongs to (in the learner's store).
    store : Store, optional
        Where the weighting is saved; the learner's store by default.

    Examples
    --------
    >>> task = WeighFactors()
    >>> task.compare()  # all weights equal: the learner is asked to choose
    []
    """

    css_class = "lessons-weigh"

    def __init__(self, lesson: int = 4, store: Store | None = None):
        self.factors = load("factors").set_index("id", drop=False)
        self.emphases = load("emphases")
        ids = [str(i) for i in self.factors["id"]]
        self.work = TaskWork(lesson, "weigh.stalin_won", {"weights": {}, "compared": False}, store)
        saved = self.work.value["weights"]
        self.sliders = {
            f: widgets.IntSlider(
                value=_weight(saved.get(f)), min=0, max=MAX_WEIGHT, description="", readout=True,
                layout=widgets.Layout(width="16em"),
            )
            for f in ids
        }  # fmt: skip
        rows = [
            widgets.HBox(
                [self.sliders[f], widgets.HTML(self._factor_html(f))], layout=widgets.Layout(align_items="center")
            )
            for f in ids
        ]
        self.compare_button = widgets.Button(description="Compare with the historians", button_style="primary")
        self.result = widgets.HTML()
        self.status = widgets.HTML()
        intro = widgets.HTML(
            "<p><b>How much does each explanation weigh?</b> Set each slider from 0 (it did not matter) to "
            f"{MAX_WEIGHT} (the main reason), then compare your weighting with what named historians emphasise.</p>"
        )
        super().__init__([intro, *rows, self.compare_button, self.result, self.status], message=self.result)
        self._watch(self.sliders.values())
        self._on_click(self.compare_button, self.compare)
        self._update()

    def __repr__(self) -> str:
        names = "; ".join(str(n) for n in self.factors["name"])
        return (
            f"<WeighFactors: weigh {len(self.factors)} explanations of Stalin's victory ({names}) and compare "
            "with named historians. Run the notebook to set the weights.>"
        )

    def _factor_html(self, factor: str) -> str:
        row = self.factors.loc[factor]
        return f"<b>{_esc(row['name'])}</b><br><small>{_esc(row['argument'])}</small>"

    @property
    def weights(self) -> dict[str, int]:
        """The learner's weight (0-4) for each factor id."""
        return {f: int(s.value) for f, s in self.sliders.items()}

    def _on_change(self, change: dict[str, Any]) -> None:
        self.work.set(weights=self.weights, compared=False)
        self._update()

    def _render(self) -> str:
        return self._comparison_html() if self.work.value["compared"] else ""

    def _show(self, view: str) -> None:
        self.result.value = view
        kind, text = self.work.status_text()
        self.status.value = _message(text, kind)

    def compare(self) -> list[Match]:
        """Compare the weighting with each historian's emphases and show it.

        Returns
        -------
        list of Match
            Closest first; empty when every weight is the same (the message asks for a choice).
        """
        if len(set(self.weights.values())) == 1:
            self.result.value = _message(
                "Your weights are all the same. Move the sliders to say which explanations matter more.", "error"
            )
            return []
        self.work.set(weights=self.weights, compared=True)
        self.work.save()
        self._update()
        return compare_weights(self.weights, self.emphases)

    def _comparison_html(self) -> str:
        matches = compare_weights(self.weights, self.emphases)
        names = self.factors["name"]
        heaviest = max(self.weights.values())
        top = [str(names[f]) for f, w in self.weights.items() if w == heaviest]
        close = [m.historian for m in matches if m.closeness >= 0.75]
        closest = (
            f"Closest to your weighting: {', '.join(close)}."
            if close
            else "None of the historians here weighs the explanations as you do: can you argue your case?"
        )
        words = {"agree": "you agree", "partly": "you partly agree", "differ": "you differ"}
        parts = [_message(f"You weigh most heavily: {'; '.join(top)} ({heaviest} of {MAX_WEIGHT}). {closest}", "info")]
        for match in matches:
            items = "".join(
                f"<li><b>{_esc(names[f])}</b>: {_EMPHASIS[e]}; your weight {w} of {MAX_WEIGHT}, so "
                f"<b>{words[word]}</b>.</li>"
                for f, e, w, word in match.rows
            )
            parts.append(f"<h4>{_esc(match.historian)}</h4><ul>{items}</ul>")
        parts.append(self._emphases_html())
        return "".join(parts)

    def _emphases_html(self) -> str:
        names = self.factors["name"]
        items = []
        for row in self.emphases.itertuples():
            where = f" ({_esc(row.locator)})" if isinstance(row.locator, str) and row.locator.strip() else ""
            checked = (
                f"Checked: {_esc(row.checked)}."
                if isinstance(row.checked, str) and row.checked.strip()
                else "Not checked against the text: a summary of the work's argument."
            )
            items.append(
                f"<li><b>{_esc(row.historian)}</b> on <i>{_esc(names[row.factor])}</i>: {_EMPHASIS[row.emphasis]}. "
                f"{_esc(row.note)}{where} <small>{checked}</small>{_sources_html([row.source])}</li>"
            )
        return (
            "<p><b>What each work says</b> (a work with no line on an explanation takes no position on it "
            f"here; historians combine causes, so read the notes, not only the labels)</p><ul>{''.join(items)}</ul>"
        )

    def snapshot_html(self) -> str:
        """Return the explanations with a blank weight column, and the historians' emphases folded below.

        It never shows the learner's saved work, so a lesson's stored output is the same for everyone.
        """
        rows = "".join(
            f"<tr><td style='text-align:left'>{self._factor_html(f)}</td>"
            "<td style='min-width:6em;border-bottom:1px solid #999'>&nbsp;</td></tr>"
            for f in self.sliders
        )
        return (
            "<div class='lessons-weigh'><p><b>How much does each explanation weigh?</b> Give each a weight from 0 "
            f"(it did not matter) to {MAX_WEIGHT} (the main reason).</p><table class='lessons-weigh-blank'><thead>"
            f"<tr><th style='text-align:left'>Explanation</th><th>Your weight (0-{MAX_WEIGHT})</th></tr></thead>"
            f"<tbody>{rows}</tbody></table><details><summary>What named historians emphasise</summary>"
            f"{self._emphases_html()}</details></div>"
        )


def _weight(value: Any) -> int:
    """Return a saved weight if it is a whole number from 0 to 4, else the middle weight."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_WEIGHT:
        return value
    return MAX_WEIGHT // 2
