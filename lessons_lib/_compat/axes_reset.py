"""The light axes reset: empty an Axes for the next chart but keep its tick objects.

Public matplotlib API only; see the package docstring for why it is here and when it can go.
"""

from __future__ import annotations

from typing import Any, cast

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.ticker import AutoLocator, NullFormatter, NullLocator, ScalarFormatter

from lessons_lib._compat.gate import find_hooks

LIGHT_RESET = "the light axes reset"
_BASE_TICKS = "_lessons_base_tick_params"
_UNSET = object()
_TICK_RC = {"length": "{}tick.major.size", "labelsize": "{}tick.labelsize", "width": "{}tick.major.width",
            "pad": "{}tick.major.pad"}  # fmt: skip


def reset_axes(ax: Axes) -> None:
    """Empty `ax` for the next chart like ``ax.clear()``, but keep its tick objects.

    The first call on an Axes clears it and records its tick parameters. Later calls remove every
    artist, the legend, titles and axis labels, and restore default locators, formatters, limits,
    autoscaling and the recorded tick parameters (which ``ax.clear()`` would leave as the last
    chart set them). On the plain path (see the package docstring) every call clears `ax` and
    restores the recorded tick parameters.

    Parameters
    ----------
    ax
        The axes a chart drew on, or a new one.
    """
    base = getattr(ax, _BASE_TICKS, None)
    if base is None:
        ax.clear()
        setattr(ax, _BASE_TICKS, {"x": ax.xaxis.get_tick_params(), "y": ax.yaxis.get_tick_params()})
    elif find_hooks(LIGHT_RESET, {}) is None:
        ax.clear()
        ax.xaxis.set_tick_params(reset=True, **base["x"])
        ax.yaxis.set_tick_params(reset=True, **base["y"])
    else:
        _empty(ax, base)


def _empty(ax: Axes, base: dict[str, dict[str, Any]]) -> None:
    """Remove what a chart drew on `ax` and undo what it changed, keeping the ticks."""
    for container in list(ax.containers):
        container.remove()  # with its artists
    legend = ax.get_legend()
    if legend is not None:
        legend.remove()
    for artist in [*ax.lines, *ax.patches, *ax.texts, *ax.collections, *ax.images, *ax.artists, *ax.tables]:
        artist.remove()
    for loc in ("left", "center", "right"):
        ax.set_title("", loc=loc)
    ax.set_xlabel("")
    ax.set_ylabel("")
    for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
        axis.set_major_locator(AutoLocator())
        axis.set_major_formatter(ScalarFormatter())
        axis.set_minor_locator(NullLocator())
        axis.set_minor_formatter(NullFormatter())
        changed = {k for k, v in axis.get_tick_params().items() if base[name].get(k, _UNSET) != v}
        if changed <= set(_TICK_RC):  # put the usual ones back on the existing ticks (cheap)
            usual = {k: base[name].get(k, mpl.rcParams[cast(Any, _TICK_RC[k].format(name))]) for k in changed}
            axis.set_tick_params(**usual)
        else:
            axis.set_tick_params(reset=True, **base[name])
    ax.relim()  # no artists left: empty data limits, the next chart's data sets them afresh
    ax.set_axis_on()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_autoscale_on(True)
