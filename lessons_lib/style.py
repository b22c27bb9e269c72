"""One visual language for every chart: palette, the look of ideologies and categories, fonts.

Colours come from the Okabe-Ito palette (readable with the common colour-vision deficiencies),
and every colour is paired with a marker so colour is never the only cue. Ideology colours,
markers and line styles are read from the ``ideologies`` table. Font sizes in :data:`RC` are
chosen to be readable on a classroom projector. This module draws nothing: the charts
(:mod:`lessons_lib.charts`) draw, era shading and captions included.
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
    "CATEGORY_STYLES",
    "EVENT_CATEGORIES",
    "POLICY_CATEGORIES",
    "ERA_SHADES",
    "RC",
    "use_style",
    "ideology_style",
    "category_style",
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
