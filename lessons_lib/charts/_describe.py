"""Words about a chart: its source line, display names, year spans and counts for the alt text."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from lessons_lib.style import (
    _try_load,
    source_line_text,
)


def _caption(sources: Iterable[Any]) -> str:
    """Return the source line of a chart: the first two works, then how many more.

    Every work is listed in the sources table; the apps also show them next to the chart.
    """
    return source_line_text(list(sources), max_cited=2)


def _names(table: str, ids: Iterable[str], frame: pd.DataFrame | None = None) -> dict[str, str]:
    """Display names of ids from a lookup table (ids prettified while the data is incomplete)."""
    lookup = frame if frame is not None else _try_load(table)
    known = {} if lookup is None else dict(zip(lookup["id"].astype(str), lookup["name"].astype(str), strict=True))
    return {i: known.get(i, i.replace("_", " ").capitalize()) for i in ids}


def _year_span(values: Iterable[float]) -> str:
    values = list(values)
    first, last = int(np.floor(min(values))), int(np.floor(max(values)))
    return str(first) if first == last else f"{first}-{last}"


def _counts(values: Iterable[str]) -> str:
    counts = pd.Series(list(values)).value_counts(sort=False)
    return ", ".join(f"{k} {v}" for k, v in counts.items())
