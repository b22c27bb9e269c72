"""Era shading behind the charts whose x axis is in years."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from lessons_lib.style import (
    _try_load,
    shade_eras,
)


def _eras_table(eras: bool | pd.DataFrame) -> pd.DataFrame | None:
    if isinstance(eras, pd.DataFrame):
        return eras
    return _try_load("eras") if eras else None


def _shade(ax: Axes, eras: bool | pd.DataFrame, xlim: tuple[float, float]) -> list[str]:
    table = _eras_table(eras)
    return [] if table is None else shade_eras(ax, table, xlim=xlim)
