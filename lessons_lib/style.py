"""One visual language for every chart: palette, the look of ideologies and categories, fonts.

Colours come from the Okabe-Ito palette (readable with the common colour-vision deficiencies),
and every colour is paired with a marker so colour is never the only cue. Ideology colours,
markers and line styles are read from the ``ideologies`` table, those of the event and policy
categories from the ``categories`` table. Font sizes in :data:`RC` are chosen to be readable
on a classroom projector. This module draws nothing: the charts (:mod:`lessons_lib.charts`)
draw, era shading and captions included.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import pandas as pd

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

from lessons_lib.data import check_choice, load

__all__ = [
    "OKABE_ITO",
    "ERA_SHADES",
    "RC",
    "use_style",
    "ideology_style",
    "category_style",
    "category_styles",
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

#: Light shading colours for eras, used in era order (they cycle if there are more eras).
ERA_SHADES: tuple[str, ...] = ("#E8F1F8", "#F7EEDC", "#EDEDED", "#E6F4EE")

#: Matplotlib settings for charts readable on a projector (use with :func:`use_style`).
RC: dict[RcKeyType, Any] = {
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

#: Fill of a contested cell of the comparison (chart and table), and of the header cells.
CONTESTED_FILL = "#FBE3D0"
HEADER_FILL = "#E4E4E4"


@contextmanager
def use_style() -> Iterator[dict[RcKeyType, Any]]:
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


def category_styles(categories: pd.DataFrame | None = None) -> dict[str, dict[str, str]]:
    """Return the colour, marker and label of every event and policy category, in key order.

    A category looks the same in every chart, for events and policies alike.

    Parameters
    ----------
    categories : pandas.DataFrame, optional
        Rows of the categories table; ``load("categories")`` by default. Its row order is the
        order of the charts' keys.

    Returns
    -------
    dict
        For each category id, a dict with keys ``color``, ``marker`` and ``label``.

    Examples
    --------
    >>> list(category_styles())[:2]
    ['writing', 'politics']
    """
    table = load("categories") if categories is None else categories
    looks = zip(table["id"], table["color"], table["marker"], table["label"], strict=True)
    return {str(i): {"color": str(c), "marker": str(m), "label": str(lab)} for i, c, m, lab in looks}


def category_style(category: str) -> dict[str, str]:
    """Return the colour, marker and label of an event or policy category.

    Parameters
    ----------
    category : str
        A category id of the categories table (every event and policy category).

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
    styles = category_styles()
    check_choice(category, styles, "category")
    return styles[category]
