"""Lifelines: one line per life, offices as thick segments, factional alignments hatched.

:func:`plot_lifelines` plans what to draw (:class:`LifelinesPlan`, no drawing), draws it, then
describes it in words for the alt text.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

if TYPE_CHECKING:
    from matplotlib.figure import Figure

from lessons_lib.charts._artists import _color, _finish, _no_data, _target
from lessons_lib.charts._describe import _caption, _people, _year_span, plural
from lessons_lib.charts._eras import _shade
from lessons_lib.charts._layout import FreeSlots, _axes_pt, _fit_axes, _legend_columns, _text_px, _ylabels_pt
from lessons_lib.data import check_choice, load

_FACTION_COLORS = ("#E69F00", "#56B4E9", "#CC79A7", "#009E73", "#D55E00", "#F0E442", "#AAAAAA")
_FACTION_HATCHES = ("//", "\\\\", "xx", "..", "++", "oo", "--")
_LIFE = "Life (birth to death)"
_OFFICE_FONTSIZE = 11
_OFFICE_LANE_PT = 3.2 * _OFFICE_FONTSIZE  # lanes narrower than this get no office names
_OFFICE_BAND = 0.34  # the height of a row's office bars (shared by offices held at the same time)


@dataclass(frozen=True)
class LifelinesPlan:
    """What a lifelines chart shows, decided before drawing (from the data alone, no axes)."""

    people: pd.DataFrame  #: the figures from the top, by date of birth (``_born``, ``_died`` in years)
    row_of: dict[str, int]  #: the row of each figure id
    posts: pd.DataFrame  #: their roles shown (factional alignments only within the faction years)
    offices: pd.DataFrame  #: the offices they held
    factions: pd.DataFrame  #: their factional alignments (``_faction``: the faction's name)
    faction_names: list[str]  #: the factions, in order of their first alignment
    labels: list[str]  #: the name and years written left of each row
    legend_labels: list[str]  #: the entries of the legend below the chart
    caption: str  #: the source line
    xlim: tuple[float, float]  #: the years shown

    @property
    def title(self) -> str:
        """The chart's title."""
        ids = list(self.people["id"].astype(str))
        return f"{'Life' if len(ids) == 1 else 'Lives'}, offices and factions of {_people(ids)}"


def plot_lifelines(
    figures: pd.DataFrame | None = None,
    roles: pd.DataFrame | None = None,
    *,
    figure_ids: str | Iterable[str] | None = None,
    faction_years: tuple[int, int] | None = (1923, 1929),
    eras: bool | pd.DataFrame = True,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Draw one line per life (birth to death), offices as thick segments, factions hatched.

    Factional alignments are grouped by a short name of the faction (the role without its
    parenthesis, without what follows "with", "against" or ";", and every bloc called a
    majority named "Stalin's majority"); each faction has its own colour and hatch. The legend
    sits below the chart in a few columns: give the figure about 7 inches of height for all the
    figures.

    Parameters
    ----------
    figures : pandas.DataFrame, optional
        Rows of the figures table; ``load("figures")`` by default.
    roles : pandas.DataFrame, optional
        Rows of the roles table (offices and factional alignments); ``load("roles")`` by default.
    figure_ids : str or list of str, optional
        Figure ids to show; all by default. Rows are ordered by date of birth.
    faction_years : tuple of int or None, default (1923, 1929)
        Only factional alignments overlapping these years (the succession struggle) are drawn;
        None draws them all.
    eras : bool or pandas.DataFrame, default True
        Shade the eras of the eras table (or of the table given).
    title : str, optional
        The chart's title; by default ``"Lives, offices and factions of Lenin, Stalin and Trotsky"``
        (surnames, in order of birth; past four people the rest are counted).
    ax : matplotlib.axes.Axes, optional
        The axes to draw on; the current axes by default.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    UnknownNameError
        For an unknown figure id.

    Examples
    --------
    >>> ax = plot_lifelines(figure_ids=["lenin", "trotsky", "stalin"])
    """
    ax = _target(ax)
    people = load("figures") if figures is None else figures.copy()
    posts = load("roles") if roles is None else roles.copy()
    if figure_ids is not None:
        ids = list(people["id"].astype(str))
        chosen = [figure_ids] if isinstance(figure_ids, str) else list(figure_ids)
        for fid in chosen:
            check_choice(fid, ids, "figure")
        people = people[people["id"].astype(str).isin(chosen)]
    if people.empty:
        return _no_data(ax, title or "Lives, offices and factions")
    plan = _plan_lifelines(people, posts, faction_years)
    era_names, legend_pt = _draw_lifelines(ax, plan, eras)
    return _finish(ax, title or plan.title, plan.caption, _describe_lifelines(plan, era_names), offset=28 + legend_pt)


def _fractional(dates: pd.Series) -> pd.Series:
    dates = pd.to_datetime(dates)
    return dates.dt.year + (dates.dt.day_of_year - 1) / 365.25


def _plan_lifelines(people: pd.DataFrame, posts: pd.DataFrame, faction_years: tuple[int, int] | None) -> LifelinesPlan:
    """Decide the rows, roles, legend and years shown of the lifelines of `people` (not empty)."""
    people = people.assign(_born=_fractional(people["born"]), _died=_fractional(people["died"]))
    people = people.sort_values("_born").reset_index(drop=True)
    row_of = {fid: y for y, fid in enumerate(people["id"].astype(str))}
    posts = posts[posts["figure_id"].astype(str).isin(row_of)].copy()
    if faction_years is not None:
        outside = (posts["end_year"] < faction_years[0]) | (posts["start_year"] > faction_years[1])
        posts = posts[(posts["kind"].astype(str) != "faction") | ~outside]
    offices = posts[posts["kind"].astype(str) == "office"]
    factions = posts[posts["kind"].astype(str) == "faction"].sort_values("start_year", kind="stable")
    factions = factions.assign(_faction=factions["faction"].astype(str))
    faction_names = list(dict.fromkeys(factions["_faction"]))
    return LifelinesPlan(
        people=people,
        row_of=row_of,
        posts=posts,
        offices=offices,
        factions=factions,
        faction_names=faction_names,
        labels=[f"{r.name} ({r.born.year}\u2013{r.died.year})" for r in people.itertuples()],
        legend_labels=[_LIFE, *(["Office held"] if len(offices) else []), *faction_names],
        caption=_caption(list(people["sources"]) + list(posts["sources"])),
        xlim=(people["_born"].min() - 2, people["_died"].max() + 2),
    )


def _draw_lifelines(ax: Axes, plan: LifelinesPlan, eras: bool | pd.DataFrame) -> tuple[list[str], float]:
    """Draw the plan; return the names of the eras shaded and the height of the legend in points."""
    people = plan.people
    label_size = float(np.clip(0.62 * _axes_pt(ax)[1] / (len(people) + 1.2), 8, 12))
    left = _ylabels_pt(plan.labels, label_size)
    ncol = _legend_columns(plan.legend_labels, cast("Figure", ax.figure).get_size_inches()[0] * 72 - left - 10, 11)
    legend_pt = -(-len(plan.legend_labels) // ncol) * 11 * 1.75 + 8
    _fit_axes(ax, left=left, below=28 + legend_pt, caption=plan.caption)
    ys = np.arange(len(people))
    ax.barh(
        ys,
        people["_died"] - people["_born"],
        left=people["_born"],
        height=0.14,
        color="#9A9A9A",
        gid="life",
        zorder=2,
        label=_LIFE,
    )
    ax.set_xlim(*plan.xlim)
    ax.set_ylim(len(people) - 0.5, -0.7)
    handles = _draw_roles(ax, plan.offices, plan.factions, plan.faction_names, plan.row_of)
    ax.set_yticks(ys, plan.labels)
    ax.tick_params(axis="y", length=0, labelsize=label_size)
    era_names = _shade(ax, eras, plan.xlim)
    life = Line2D([], [], color="#9A9A9A", lw=4, label=_LIFE)
    _, height_pt = _axes_pt(ax)
    ax.legend(
        handles=[life, *handles],
        loc="upper left",
        bbox_to_anchor=(0, -26 / height_pt),
        ncol=ncol,
        frameon=False,
        fontsize=11,
        columnspacing=1.2,
        handlelength=1.8,
        borderaxespad=0,
    )
    return era_names, legend_pt


def _draw_roles(
    ax: Axes, offices: pd.DataFrame, factions: pd.DataFrame, names: list[str], row_of: dict[str, int]
) -> list[Any]:
    """Draw offices (thick blue segments) and factions (hatched, a colour and hatch each); return legend handles."""
    handles: list[Any] = []
    if len(offices):
        y = offices["figure_id"].astype(str).map(row_of).to_numpy(dtype=float)
        centre, height = _office_tracks(offices, y)
        width = np.maximum(offices["end_year"] - offices["start_year"], 0.5)
        ax.barh(centre, width, left=offices["start_year"], height=height, color=_color("blue"), gid="office", zorder=3)
        handles.append(Patch(color=_color("blue"), label="Office held"))
        _label_offices(ax, offices, y)
    for k, name in enumerate(names):
        rows = factions[factions["_faction"] == name]
        color, hatch = _faction_look(k)
        y = rows["figure_id"].astype(str).map(row_of).to_numpy() - 0.33
        width = np.maximum(rows["end_year"] - rows["start_year"], 0.5)
        ax.barh(
            y,
            width,
            left=rows["start_year"],
            height=0.24,
            facecolor=color,
            edgecolor="#333333",
            hatch=hatch,
            lw=0.6,
            gid="faction",
            zorder=3,
        )
        handles.append(Patch(facecolor=color, edgecolor="#333333", hatch=hatch, label=name))
    return handles


def _faction_look(k: int) -> tuple[str, str]:
    """Colour and hatch of the k-th faction: no two of the first 49 factions look the same."""
    n = len(_FACTION_COLORS)
    return _FACTION_COLORS[k % n], _FACTION_HATCHES[(k + k // n) % len(_FACTION_HATCHES)]


def _office_tracks(offices: pd.DataFrame, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Give offices held at the same time their own track inside the office band; return bar centres and heights.

    Each office of a figure takes the first track free over its years, so overlapping offices
    (Stalin's Commissariat of Nationalities, 1917-1923, beside his seat on the Politburo) are
    separate bars, each ending where the office ended.
    """
    slots: FreeSlots[tuple[float, int]] = FreeSlots(gap=0.05)
    track: list[int] = []
    for y, row in zip(ys.tolist(), offices.itertuples(), strict=True):
        span = (float(row.start_year), float(max(row.end_year, row.start_year + 0.5)))
        spot = slots.place(span, ((y, k) for k in itertools.count()))
        assert spot is not None  # a new track is always free
        track.append(spot[1])
    count: dict[float, int] = {}
    for y, k in zip(ys.tolist(), track, strict=True):
        count[y] = max(count.get(y, 0), k + 1)
    pitch = _OFFICE_BAND / np.asarray([count[y] for y in ys.tolist()], dtype=np.float64)
    return ys - _OFFICE_BAND / 2 + pitch * (np.asarray(track, dtype=np.float64) + 0.5), 0.8 * pitch


def _office_name(role: str) -> str:
    """Return an office's name without its parenthesis ("Chairman of the Council of People's Commissars")."""
    return role.split(" (")[0].strip()


def _label_offices(ax: Axes, offices: pd.DataFrame, ys: np.ndarray) -> None:
    """Name offices under their bars, in full, on free label lines; skip a name that finds no room.

    The longest-held offices are named first, so a crowded row names what mattered most (Stalin's
    General Secretaryship, not a two-year commissariat).
    """
    lane_pt = ax.get_window_extent().height * 72 / ax.figure.dpi / abs(np.subtract(*ax.get_ylim()))
    if lane_pt < _OFFICE_LANE_PT:  # too crowded: the legend and the alt text still list the offices
        return
    line = 1.25 * _OFFICE_FONTSIZE / lane_pt  # one line of names, in row units
    n_lines = max(1, int((0.5 + 0.05 - _OFFICE_BAND / 2) // line))
    lo, hi = ax.get_xlim()
    per_px = (hi - lo) / max(ax.get_window_extent().width, 1.0)
    slots: FreeSlots[tuple[float, int]] = FreeSlots(gap=4 * per_px)
    order = np.argsort(-(offices["end_year"] - offices["start_year"]).to_numpy(dtype=float), kind="stable")
    for y, row in zip(ys[order], offices.iloc[order].itertuples(), strict=True):
        text = _office_name(str(row.role))
        width = _text_px(text, _OFFICE_FONTSIZE, ax.figure.dpi) * per_px
        start, end = float(row.start_year), float(max(row.end_year, row.start_year + 0.5))
        right = start + width > hi
        span = (end - width, end) if right else (start, start + width)
        if span[0] < lo:
            continue
        spot = slots.place(span, [(float(y), k) for k in range(n_lines)])
        if spot is None:
            continue
        ax.text(
            end if right else start,
            y + _OFFICE_BAND / 2 + 0.02 + spot[1] * line,
            text,
            ha="right" if right else "left",
            va="top",
            fontsize=_OFFICE_FONTSIZE,
            color=_color("blue"),
            gid="office-label",
            zorder=4,
        )


def _describe_lifelines(plan: LifelinesPlan, era_names: list[str]) -> str:
    """Describe a lifelines chart for its alt text: lives, the busiest figures, offices, factions and eras."""
    people, names = plan.people, plan.faction_names
    holders = plan.posts["figure_id"].astype(str).value_counts()
    busiest = [people.loc[plan.row_of[f], "name"] for f in holders.index[:3]]
    n_people = len(people)
    return (
        f"Lifelines of {plural(n_people, 'person', 'people')}, born "
        f"{_year_span(people['_born'])}, died {_year_span(people['_died'])}"
        + (f" (with the most roles: {', '.join(busiest)})" if busiest else "")
        + f"; {plural(len(plan.offices), 'office')} held"
        + f" and {plural(len(plan.factions), 'factional alignment')}"
        + (f" in {plural(len(names), 'faction')} ({', '.join(names)})" if names else "")
        + (f"; shaded eras: {', '.join(era_names)}." if era_names else ".")
    )
