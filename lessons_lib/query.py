"""Filter and shape the course tables for charts, tables and apps (no widgets, no drawing).

Every function takes the table as its first argument (the course data by default), checks its
selection arguments and says what to do when one is wrong, and returns a new DataFrame.
Valid ideology, dimension, tradition, era and category names are read from the data package's
descriptor (:func:`lessons_lib.data.choices`, which this module re-exports as ``query.choices``);
valid figure and series ids from the data given.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from lessons_lib.data import check_choice, choices, event_dates, load, select_ids

__all__ = [
    "filter_events",
    "filter_policies",
    "comparison_table",
    "comparison_pivot",
    "perspectives_for",
    "series_frame",
]


def _years(years: tuple[int | None, int | None] | None) -> tuple[float, float] | None:
    if years is None:
        return None
    try:
        first, last = years
    except (TypeError, ValueError):
        raise ValueError(f"years must be a (start, end) pair such as (1917, 1929), not {years!r}") from None
    start: float = float("-inf") if first is None else first
    end: float = float("inf") if last is None else last
    if start > end:
        raise ValueError(f"start year {start} is after end year {end}; give years as (start, end)")
    return start, end


def _any_in(lists: pd.Series, wanted: list[str]) -> pd.Series:
    wanted_set = set(wanted)
    return lists.map(lambda items: bool(wanted_set.intersection(items or [])))


def _list_values(lists: pd.Series) -> list[str]:
    return sorted({str(v) for items in lists for v in (items or [])})


def filter_events(
    events: pd.DataFrame | None = None,
    *,
    ideologies: str | Iterable[str] | None = None,
    figures: str | Iterable[str] | None = None,
    categories: str | Iterable[str] | None = None,
    years: tuple[int | None, int | None] | None = None,
) -> pd.DataFrame:
    """Select events by ideology, figure, category and years, in date order.

    Parameters
    ----------
    events : pandas.DataFrame, optional
        Rows of the events table; ``load("events")`` by default.
    ideologies : str or list of str, optional
        Keep events that matter to at least one of these ideologies; all events by default.
    figures : str or list of str, optional
        Keep events involving at least one of these figures (ids from the events' ``figures``).
    categories : str or list of str, optional
        Keep events of these categories (``writing``, ``politics`` ...).
    years : tuple of int, optional
        Inclusive ``(start, end)`` years; either end may be None (open).

    Returns
    -------
    pandas.DataFrame
        The matching events, sorted by date, with a float column ``when`` (fractional year; an
        input that already has ``when``, such as an earlier result, keeps its values).

    Raises
    ------
    UnknownNameError
        For an unknown ideology, figure or category (``did you mean ...?``).
    ValueError
        For an empty selection, or a start year after the end year.

    Examples
    --------
    >>> early = filter_events(ideologies="leninism", years=(1917, 1924))
    >>> bool(early["year"].between(1917, 1924).all())
    True
    """
    frame = load("events") if events is None else events
    ideology_sel = select_ids(ideologies, choices("ideologies", "id"), "ideology")
    figure_sel = None if figures is None else select_ids(figures, _list_values(frame["figures"]), "figure")
    category_sel = select_ids(categories, choices("events", "category"), "category")
    span = _years(years)
    keep = np.ones(len(frame), dtype=bool)
    if ideology_sel is not None:
        keep &= _any_in(frame["ideologies"], ideology_sel).to_numpy(dtype=bool)
    if figure_sel is not None:
        keep &= _any_in(frame["figures"], figure_sel).to_numpy(dtype=bool)
    if category_sel is not None:
        keep &= frame["category"].astype(str).isin(category_sel).to_numpy(dtype=bool)
    if span is not None:
        keep &= frame["year"].between(*span).to_numpy(dtype=bool)
    when = (frame["when"] if "when" in frame else event_dates(frame)).to_numpy(dtype="float64")
    rows = np.flatnonzero(keep)
    rows = rows[np.argsort(when[rows], kind="stable")]
    # one take of the rows kept, in date order (a frame's take copies every column: it is most of the cost)
    out = frame if len(rows) == len(frame) and (rows == np.arange(len(frame))).all() else frame.iloc[rows]
    return out.assign(when=when[rows]).reset_index(drop=True)


def _month_fraction(year: pd.Series, month: pd.Series, *, end: bool) -> pd.Series:
    """Return a year and month as a fractional year: the start or the end of the month.

    A year without a month stands for the middle of that year (``year + 0.5``), for starts and
    ends alike, so a date known only to the year is never stretched to either end of it.
    """
    months = month.to_numpy(dtype="float64", na_value=np.nan)
    frac = np.nan_to_num((months / 12) if end else ((months - 1) / 12), nan=0.5)
    return pd.Series(year.to_numpy(dtype="float64") + frac, index=year.index, dtype="float64")


def filter_policies(
    policies: pd.DataFrame | None = None,
    *,
    eras: str | Iterable[str] | None = None,
    ideologies: str | Iterable[str] | None = None,
    categories: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Select policies by era, ideology and category, in order of their start.

    Parameters
    ----------
    policies : pandas.DataFrame, optional
        Rows of the policies table; ``load("policies")`` by default.
    eras : str or list of str, optional
        Keep policies that began in these eras (``lenin``, ``succession``, ``stalin``).
    ideologies : str or list of str, optional
        Keep policies associated with at least one of these ideologies.
    categories : str or list of str, optional
        Keep policies of these categories (``economy``, ``politics`` ...).

    Returns
    -------
    pandas.DataFrame
        The matching policies with float columns ``start`` and ``end`` (fractional years: the
        start of the first month and the end of the last; a year given without a month counts
        as the middle of that year, and an end in the same year as a later start month is put
        at the end of that month), sorted by ``start``. An input that already has ``start`` and
        ``end``, such as an earlier result, keeps them.

    Raises
    ------
    UnknownNameError
        For an unknown era, ideology or category.
    ValueError
        For an empty selection.

    Examples
    --------
    >>> list(filter_policies(categories="economy")["category"].unique())
    ['economy']
    """
    frame = load("policies") if policies is None else policies
    era_sel = select_ids(eras, choices("eras", "id"), "era")
    ideology_sel = select_ids(ideologies, choices("ideologies", "id"), "ideology")
    category_sel = select_ids(categories, choices("policies", "category"), "category")
    keep = np.ones(len(frame), dtype=bool)
    if era_sel is not None:
        keep &= frame["era"].astype(str).isin(era_sel).to_numpy(dtype=bool)
    if ideology_sel is not None:
        keep &= _any_in(frame["ideologies"], ideology_sel).to_numpy(dtype=bool)
    if category_sel is not None:
        keep &= frame["category"].astype(str).isin(category_sel).to_numpy(dtype=bool)
    out = frame[keep] if not keep.all() else frame
    if "start" in out and "end" in out:  # an earlier result: its dates are already worked out
        start, end = out["start"].to_numpy(dtype="float64"), out["end"].to_numpy(dtype="float64")
    else:
        start = _month_fraction(out["start_year"], out["start_month"], end=False).to_numpy()
        end = _month_fraction(out["end_year"], out["end_month"], end=True).to_numpy()
        end = np.where(end > start, end, start + 1 / 12)
    order = np.lexsort((end, start))  # by start, then end; stable
    out = out.assign(start=start, end=end)
    if (order != np.arange(len(order))).any():
        out = out.iloc[order]
    return out.reset_index(drop=True)


def comparison_table(
    positions: pd.DataFrame | None = None,
    *,
    ideologies: str | Iterable[str] | None = None,
    dimensions: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Select the positions to compare, one row per (dimension, ideology), in canonical order.

    Parameters
    ----------
    positions : pandas.DataFrame, optional
        Rows of the positions table; ``load("positions")`` by default.
    ideologies : str or list of str, optional
        Ideology ids to compare; all by default.
    dimensions : str or list of str, optional
        Dimension ids to compare on; all by default.

    Returns
    -------
    pandas.DataFrame
        Tidy: columns ``dimension_id``, ``ideology_id`` (ordered categoricals), ``summary``,
        ``contested``, ``contested_note``, ``explanation`` and ``sources``, sorted by dimension
        then ideology. Use :func:`comparison_pivot` for the dimensions x ideologies grid.

    Raises
    ------
    UnknownNameError
        For an unknown ideology or dimension.
    ValueError
        For an empty selection.

    Examples
    --------
    >>> table = comparison_table(ideologies=["leninism", "stalinism"])
    >>> list(table["ideology_id"].cat.categories)
    ['leninism', 'stalinism']
    """
    frame = load("positions") if positions is None else positions.copy()
    all_ideologies = choices("ideologies", "id")
    all_dimensions = choices("dimensions", "id")
    ideology_sel = select_ids(ideologies, all_ideologies, "ideology") or all_ideologies
    dimension_sel = select_ids(dimensions, all_dimensions, "dimension") or all_dimensions
    frame = frame[
        frame["ideology_id"].astype(str).isin(ideology_sel) & frame["dimension_id"].astype(str).isin(dimension_sel)
    ].copy()
    present = set(frame["dimension_id"].astype(str))
    frame["ideology_id"] = pd.Categorical(frame["ideology_id"].astype(str), ideology_sel, ordered=True)
    frame["dimension_id"] = pd.Categorical(
        frame["dimension_id"].astype(str), [d for d in dimension_sel if d in present], ordered=True
    )
    frame["contested"] = frame["contested"].fillna(False).astype(bool)
    columns = ["dimension_id", "ideology_id", "summary", "contested", "contested_note", "explanation", "sources"]
    frame = frame[[c for c in columns if c in frame.columns]]
    return frame.sort_values(["dimension_id", "ideology_id"]).reset_index(drop=True)


def comparison_pivot(table: pd.DataFrame, values: str = "summary") -> pd.DataFrame:
    """Reshape a :func:`comparison_table` into a dimensions x ideologies grid.

    Parameters
    ----------
    table : pandas.DataFrame
        The tidy table from :func:`comparison_table`.
    values : str, default "summary"
        The column to spread: ``"summary"`` for the texts, ``"contested"`` for a boolean grid
        telling which cells historians dispute.

    Returns
    -------
    pandas.DataFrame
        Index: dimension ids; columns: ideology ids, both in canonical order. Missing cells are
        empty strings (or False for ``contested``).

    Examples
    --------
    >>> grid = comparison_pivot(comparison_table(), "contested")
    >>> grid.dtypes.unique().tolist()
    [dtype('bool')]
    """
    check_choice(values, table.columns, "column")
    grid = table.pivot(index="dimension_id", columns="ideology_id", values=values)
    grid = grid.reindex(index=table["dimension_id"].cat.categories, columns=table["ideology_id"].cat.categories)
    grid.index.name, grid.columns.name = "dimension_id", "ideology_id"
    grid.index, grid.columns = grid.index.astype(str), grid.columns.astype(str)
    grid = grid.astype(object)
    if values == "contested":
        return grid.where(grid.notna(), False).astype(bool)
    return grid.where(grid.notna(), "")


def perspectives_for(
    dimension: str,
    traditions: str | Iterable[str] | None = None,
    perspectives: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return how each historiographical tradition reads one dimension, in canonical order.

    Parameters
    ----------
    dimension : str
        A dimension id, e.g. ``"political_repression"``.
    traditions : str or list of str, optional
        Tradition ids to keep; all by default.
    perspectives : pandas.DataFrame, optional
        Rows of the perspectives table; ``load("perspectives")`` by default.

    Returns
    -------
    pandas.DataFrame
        One row per tradition with a reading of `dimension`.

    Raises
    ------
    UnknownNameError
        For an unknown dimension or tradition.

    Examples
    --------
    >>> perspectives_for("political_repression")["dimension_id"].nunique() <= 1
    True
    """
    check_choice(dimension, choices("dimensions", "id"), "dimension")
    all_traditions = choices("traditions", "id")
    tradition_sel = select_ids(traditions, all_traditions, "tradition") or all_traditions
    frame = load("perspectives") if perspectives is None else perspectives.copy()
    frame = frame[
        (frame["dimension_id"].astype(str) == dimension) & frame["tradition_id"].astype(str).isin(tradition_sel)
    ].copy()
    frame["tradition_id"] = pd.Categorical(frame["tradition_id"].astype(str), tradition_sel, ordered=True)
    return frame.sort_values("tradition_id").reset_index(drop=True)


def series_frame(series_id: str, observations: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the observations of one statistical series, sorted by category, variant and year.

    Parameters
    ----------
    series_id : str
        A series id present in `observations`.
    observations : pandas.DataFrame, optional
        Rows of the observations table; ``load("observations")`` by default.

    Returns
    -------
    pandas.DataFrame
        The series' rows, in their order of appearance by (category, variant), then by year.

    Raises
    ------
    UnknownNameError
        If no observation belongs to `series_id` (with a suggestion).

    Examples
    --------
    >>> obs = series_frame(load("series")["id"].iloc[0])
    >>> obs["series_id"].nunique()
    1
    """
    frame = load("observations") if observations is None else observations.copy()
    ids = list(dict.fromkeys(frame["series_id"].astype(str)))
    check_choice(series_id, ids, "series")
    out = frame[frame["series_id"].astype(str) == series_id].copy()
    for col in ("category", "variant"):
        out[col] = pd.Categorical(out[col].astype(str), list(dict.fromkeys(out[col].astype(str))), ordered=True)
    out = out.sort_values(["category", "variant", "year"], kind="stable").reset_index(drop=True)
    for col in ("category", "variant"):
        out[col] = out[col].astype(str)
    return out
