"""One visual language for every chart: palette, category markers, era shading, fonts, captions.

Colours come from the Okabe-Ito palette (readable with the common colour-vision deficiencies),
and every colour is paired with a marker so colour is never the only cue. Ideology colours,
markers and line styles are read from the ``ideologies`` table; era names and years from the
``eras`` table. Font sizes in :data:`RC` are chosen to be readable on a classroom projector.

Chart functions record a plain-language description of what they drew on the Axes
(:func:`set_alt_text`); :func:`alt_text` returns it, so a notebook can attach it to an image.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from lessons_lib.data import check_choice, load
from lessons_lib.validate import DataValidationError

__all__ = [
    "OKABE_ITO",
    "CATEGORY_STYLES",
    "EVENT_CATEGORIES",
    "POLICY_CATEGORIES",
    "ERA_SHADES",
    "RC",
    "use_style",
    "ideology_style",
    "category_style",
    "era_spans",
    "shade_eras",
    "add_source_line",
    "source_line_text",
    "set_alt_text",
    "alt_text",
]

#: The Okabe-Ito palette (Okabe & Ito 2008), by colour name.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: Event categories, in the order of the events table's ``category`` enum.
EVENT_CATEGORIES: tuple[str, ...] = (
    "writing",
    "politics",
    "economy",
    "repression",
    "international",
    "biography",
)

#: Policy categories, in the order of the policies table's ``category`` enum.
POLICY_CATEGORIES: tuple[str, ...] = ("economy", "politics", "repression", "international")

#: Colour and marker of each event and policy category (shared names look the same everywhere).
CATEGORY_STYLES: dict[str, dict[str, str]] = {
    "writing": {"color": OKABE_ITO["blue"], "marker": "s", "label": "Writing"},
    "politics": {"color": OKABE_ITO["vermillion"], "marker": "o", "label": "Politics"},
    "economy": {"color": OKABE_ITO["bluish_green"], "marker": "^", "label": "Economy"},
    "repression": {"color": OKABE_ITO["black"], "marker": "X", "label": "Repression"},
    "international": {"color": OKABE_ITO["reddish_purple"], "marker": "D", "label": "International"},
    "biography": {"color": OKABE_ITO["orange"], "marker": "v", "label": "Biography"},
}

#: Light shading colours for eras, used in era order (they cycle if there are more eras).
ERA_SHADES: tuple[str, ...] = ("#E8F1F8", "#F7EEDC", "#EDEDED", "#E6F4EE")

#: Matplotlib settings for charts readable on a projector (use with :func:`use_style`).
RC: dict[str, Any] = {
    "figure.figsize": (12.0, 6.75),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    # Drawing text dominates redraw time; unhinted glyphs draw about 40% faster and look the same
    # at projector sizes.
    "text.hinting": "no_hinting",
    "font.size": 13,
    "axes.titlesize": 16,
    "axes.titleweight": "bold",
    # A fixed title height: matplotlib otherwise measures the top tick labels at every draw to
    # place the title above them (none of the charts has top tick labels).
    "axes.titley": 1.0,
    "axes.labelsize": 14,
    "xtick.labelsize": 13,
    "ytick.labelsize": 13,
    "legend.fontsize": 12,
    "legend.title_fontsize": 13,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "lines.linewidth": 2.2,
    "lines.markersize": 8,
}

_SOURCE_GID = "source-line"
_ALT_ATTR = "_lessons_alt_text"
_MAX_CITED = 4


@contextmanager
def use_style() -> Iterator[dict[str, Any]]:
    """Apply the course's projector-readable matplotlib settings inside a ``with`` block.

    Yields
    ------
    dict
        The settings applied (:data:`RC`).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> with use_style():
    ...     fig, ax = plt.subplots()
    >>> plt.close(fig)
    """
    with mpl.rc_context(RC):
        yield RC


def _try_load(name: str) -> pd.DataFrame | None:
    """Load a lookup table, or return None while the course data is incomplete."""
    try:
        return load(name)
    except DataValidationError:
        return None


def ideology_style(ideology_id: str, ideologies: pd.DataFrame | None = None) -> dict[str, str]:
    """Return the colour, marker, line style and display name of an ideology.

    Parameters
    ----------
    ideology_id : str
        An ideology id, e.g. ``"stalinism"``.
    ideologies : pandas.DataFrame, optional
        Rows of the ideologies table; ``load("ideologies")`` by default.

    Returns
    -------
    dict
        Keys ``color``, ``marker``, ``linestyle`` and ``label``, ready for ``ax.plot(**style)``.

    Raises
    ------
    UnknownNameError
        If `ideology_id` is not in the table (with a suggestion).

    Examples
    --------
    >>> ideology_style("stalinism")["label"]
    'Stalinism'
    """
    table = load("ideologies") if ideologies is None else ideologies
    ids = [str(i) for i in table["id"]]
    check_choice(ideology_id, ids, "ideology")
    row = table.iloc[ids.index(ideology_id)]
    return {
        "color": str(row["color"]),
        "marker": str(row["marker"]),
        "linestyle": str(row["linestyle"]),
        "label": str(row["name"]),
    }


def category_style(category: str) -> dict[str, str]:
    """Return the colour, marker and label of an event or policy category.

    Parameters
    ----------
    category : str
        One of :data:`EVENT_CATEGORIES` (which include the policy categories).

    Returns
    -------
    dict
        Keys ``color``, ``marker`` and ``label``.

    Raises
    ------
    UnknownNameError
        If `category` is unknown (with a suggestion).

    Examples
    --------
    >>> category_style("economy")["marker"]
    '^'
    """
    check_choice(category, CATEGORY_STYLES, "category")
    return dict(CATEGORY_STYLES[category])


def era_spans(eras: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the eras with a light shading colour each, in era order.

    Parameters
    ----------
    eras : pandas.DataFrame, optional
        Rows of the eras table; ``load("eras")`` by default.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``name``, ``start_year``, ``end_year`` and ``color``.
    """
    return pd.DataFrame(_era_rows(eras), columns=["id", "name", "start_year", "end_year", "color"])


def _era_rows(eras: pd.DataFrame | None) -> list[tuple[str, str, int, int, str]]:
    table = load("eras") if eras is None else eras
    columns = zip(table["id"], table["name"], table["start_year"], table["end_year"], strict=True)
    return [(str(i), str(name), int(start), int(end), ERA_SHADES[k % len(ERA_SHADES)])
            for k, (i, name, start, end) in enumerate(columns)]  # fmt: skip


def shade_eras(
    ax: Axes,
    eras: pd.DataFrame | None = None,
    *,
    xlim: tuple[float, float] | None = None,
    labels: bool = True,
) -> list[str]:
    """Shade the eras behind a chart whose x axis is in years, and name them at the top.

    A name is written inside its band when it fits there (wrapped on two lines if need be);
    otherwise it goes one level lower if that avoids every other name, and is left out when it
    would still overlap a name or run past the edge of the axes. When names are written the y
    axis is extended upwards so they sit above the data.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes to draw on.
    eras : pandas.DataFrame, optional
        Rows of the eras table; ``load("eras")`` by default.
    xlim : tuple of float, optional
        Only eras overlapping this range are drawn, clipped to it; the axes' limits by default.
    labels : bool, default True
        Write each era's name at the top of its band.

    Returns
    -------
    list of str
        The names of the eras drawn.
    """
    lo, hi = xlim if xlim is not None else ax.get_xlim()
    per_px = (hi - lo) / max(ax.get_window_extent().width, 1.0)
    char_px = _CHAR_EM * _ERA_FONTSIZE * ax.figure.dpi / 72
    levels: list[list[tuple[float, float]]] = [[], []]
    drawn = []
    lines_used = [0, 0]
    for era_id, name, first, last, color in _era_rows(eras):
        start, end = max(float(first), lo), min(float(last), hi)
        if end <= start:
            continue
        # A band spanning the axes' height. Added as an artist, not with axvspan: the band lies
        # within the x limits already, so the data limits need no update (which is slow).
        band = Rectangle((start, 0), end - start, 1, transform=ax.get_xaxis_transform(), color=color, zorder=0,
                         lw=0, gid=f"era-{era_id}")  # fmt: skip
        ax.add_artist(band)
        drawn.append(name)
        if labels:
            placed = _label_era(ax, name, (start, end), (lo, hi), per_px, char_px, levels)
            if placed is not None:
                level, n_lines = placed
                lines_used[level] = max(lines_used[level], n_lines)
    if any(lines_used):
        _headroom(ax, 6 + _era_level_pt(lines_used[0]) * (2 if lines_used[1] else 1))
    return drawn


_ERA_FONTSIZE = 11
_CHAR_EM = 0.6  # DejaVu Sans averages a little under 0.6 em per character: a safe width estimate


def _era_level_pt(n_lines: int) -> float:
    return 4 + max(n_lines, 2) * _ERA_FONTSIZE * 1.15


def _headroom(ax: Axes, points: float) -> None:
    """Extend the y axis upwards (whichever way it runs) to leave `points` free at the top."""
    height_pt = ax.get_window_extent().height * 72 / ax.figure.dpi
    frac = min(points / max(height_pt, 1.0), 0.5)
    y0, y1 = ax.get_ylim()
    ax.set_ylim(y0, y0 + (y1 - y0) / (1 - frac))


def _wrap_era_name(name: str, chars: int) -> str:
    """Wrap an era name on at most two lines of about `chars` characters."""
    width = max(chars, max(len(w) for w in name.split()))
    text = textwrap.fill(name, width)
    while text.count("\n") > 1:
        width += 1
        text = textwrap.fill(name, width)
    return text


def _label_era(
    ax: Axes,
    name: str,
    band: tuple[float, float],
    limits: tuple[float, float],
    per_px: float,
    char_px: float,
    levels: list[list[tuple[float, float]]],
) -> tuple[int, int] | None:
    """Name an era at the top of its band; return (level, lines) or None when it does not fit."""
    start, end = band
    middle = (start + end) / 2
    text = _wrap_era_name(name, int((end - start) / per_px / char_px))
    half = (max(len(line) for line in text.splitlines()) * char_px + 4) * per_px / 2
    span = (middle - half, middle + half)
    if span[0] < limits[0] or span[1] > limits[1]:
        return None  # it would be cut at the edge of the axes
    for k, taken in enumerate(levels):
        if all(span[1] < a or span[0] > b for a, b in taken):
            taken.append(span)
            offset = (3 + _era_level_pt(2) * k) / 72 * ax.figure.dpi
            transform = ax.get_xaxis_transform() + mpl.transforms.ScaledTranslation(
                0, -offset / ax.figure.dpi, ax.figure.dpi_scale_trans
            )
            ax.text(
                middle,
                1,
                text,
                transform=transform,
                ha="center",
                va="top",
                fontsize=_ERA_FONTSIZE,
                color="#444444",
                zorder=1,
                gid="era-label",
                linespacing=1.0,
                clip_on=False,
            )
            return k, text.count("\n") + 1
    return None


def source_line_text(source_ids: list[str] | pd.Series, *, max_cited: int = _MAX_CITED) -> str:
    """Turn source ids into a caption: ``Source: Author (year), Title; ...``.

    Parameters
    ----------
    source_ids : list of str, or a Series of lists of str
        Source ids in the order of first use; a list column (e.g. ``events["sources"]``) is
        flattened. Duplicates are dropped.
    max_cited : int, default 4
        At most this many works are written out; the rest are counted (``and 5 more works``).

    Returns
    -------
    str
        The caption, or ``""`` when there are no ids.
    """
    ids: list[str] = []
    for item in source_ids:
        ids.extend([item] if isinstance(item, str) else list(item))
    ids = list(dict.fromkeys(i for i in ids if i))
    if not ids:
        return ""
    shown = ids[:max_cited]
    sources = _try_load("sources")
    if sources is None:  # the course data is being written: cite by id
        cited = shown
    else:
        from lessons_lib.data import format_sources

        cited = format_sources(shown)
    text = "; ".join(cited)
    rest = len(ids) - len(shown)
    if rest:
        text += f"; and {rest} more work{'s' if rest > 1 else ''} (see the sources table)"
    plural = "s" if len(ids) > 1 else ""
    return f"Source{plural}: {text}"


def add_source_line(ax: Axes, text: str, *, offset: float = 42, width: int = 130) -> Any:
    """Write a ``Source: ...`` caption under the axes (replacing an earlier one).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes to caption.
    text : str
        The caption; ``"Source: "`` is added unless it already starts with ``Source``.
    offset : float, default 42
        Distance below the bottom of the axes, in points (room for the tick labels).
    width : int, default 130
        Wrap the caption at this many characters.

    Returns
    -------
    matplotlib.text.Annotation
        The caption artist (its gid is ``"source-line"``).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> add_source_line(ax, "Service (2000), Lenin").get_text()
    'Source: Service (2000), Lenin'
    >>> plt.close(fig)
    """
    for old in [t for t in ax.texts if t.get_gid() == _SOURCE_GID]:
        old.remove()
    if not text.startswith("Source"):
        text = f"Source: {text}"
    return ax.annotate(
        textwrap.fill(text, width),
        xy=(0, 0),
        xycoords="axes fraction",
        xytext=(0, -offset),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=11,
        color="#333333",
        gid=_SOURCE_GID,
        annotation_clip=False,
    )


def set_alt_text(ax: Axes, text: str) -> None:
    """Record a plain-language description of what a chart shows, for :func:`alt_text`.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes drawn on.
    text : str
        One or two sentences: what kind of chart, how many items, which years and groups.
    """
    setattr(ax, _ALT_ATTR, text)


def alt_text(ax: Axes) -> str:
    """Describe a chart in words, for the ``alt`` attribute of its image.

    Chart functions of :mod:`lessons_lib.charts` record a description of what they drew; for
    other axes the description is built from the title, axis labels and artists.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes to describe.

    Returns
    -------
    str
        The description, ending with the source line when there is one.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([1917, 1924], [1, 2]); _ = ax.set_title("Example")
    >>> alt_text(ax)
    "Chart 'Example'; 1 line."
    >>> plt.close(fig)
    """
    text = getattr(ax, _ALT_ATTR, None) or _describe_artists(ax)
    source = [t.get_text().replace("\n", " ") for t in ax.texts if t.get_gid() == _SOURCE_GID]
    if source:
        text = f"{text} {source[0]}"
    return text


def _describe_artists(ax: Axes) -> str:
    parts = [f"Chart {ax.get_title() or ax.get_title(loc='left')!r}"]
    if ax.get_xlabel():
        parts.append(f"x axis: {ax.get_xlabel()}")
    if ax.get_ylabel():
        parts.append(f"y axis: {ax.get_ylabel()}")
    counts = [
        (len(ax.lines), "line", "lines"),
        (len(ax.patches), "bar or band", "bars or bands"),
        (len(ax.collections), "set of points", "sets of points"),
    ]
    parts += [f"{n} {one if n == 1 else many}" for n, one, many in counts if n]
    return "; ".join(parts) + "."
