"""Load the course dataset as pandas DataFrames, shaped like ``seaborn.load_dataset``.

The dtypes come from the descriptor ``data/datapackage.json``: fields with ``categories`` (and
foreign keys to them) become ordered categoricals in their canonical order, required integers
become ``int64``, optional integers the nullable ``Int64``, dates ``datetime64``, list fields
Python lists. The whole package is validated on the first load and cached for the process.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lessons_lib import _paths
from lessons_lib.validate import read_package

__all__ = [
    "UnknownNameError",
    "dataset_names",
    "load",
    "data_path",
    "clear_cache",
    "ideology_ids",
    "dimension_ids",
    "check_ideologies",
    "check_choice",
    "sources_for",
    "format_sources",
    "event_dates",
]

_CACHE: dict[Path | str, tuple[dict[str, Any], dict[str, pd.DataFrame]]] = {}
_DERIVED: dict[tuple[str, Path], Any] = {}


class UnknownNameError(ValueError):
    """An unknown name (dataset, ideology, dimension ...) with the valid choices and a suggestion."""


def check_choice(value: str, choices: Iterable[str], what: str) -> str:
    """Return `value` if it is one of `choices`, else raise a helpful :class:`UnknownNameError`.

    Parameters
    ----------
    value : str
        The name given.
    choices : iterable of str
        The valid names.
    what : str
        What kind of name it is, used in the message (``"dataset"``, ``"ideology"`` ...).

    Returns
    -------
    str
        `value`, unchanged.

    Raises
    ------
    UnknownNameError
        ``unknown ideology 'stalinsm'; did you mean 'stalinism'? Valid: leninism, ...``

    Examples
    --------
    >>> check_choice("leninism", ["leninism", "stalinism"], "ideology")
    'leninism'
    """
    pool = choices if isinstance(choices, dict | set | frozenset | pd.Index) else [str(c) for c in choices]
    if value in pool:
        return value
    choices = [str(c) for c in pool]
    close = difflib.get_close_matches(str(value).lower(), choices, n=1, cutoff=0.5)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise UnknownNameError(f"unknown {what} {value!r}{hint} Valid: {', '.join(choices)}")


def data_path() -> Path:
    """Return the folder the course data is read from.

    Returns
    -------
    Path
        ``lessons_lib/data`` inside an installed wheel, the repository's ``data/`` in a clone.
    """
    return _paths.data_dir()


def _package(data_dir: Path | str | None) -> tuple[dict[str, Any], dict[str, pd.DataFrame]]:
    folder = data_dir or data_path()
    if folder in _CACHE:  # fast path: the same folder object or string as before
        return _CACHE[folder]
    key = Path(folder).resolve()
    if key not in _CACHE:
        descriptor, tables = read_package(key)
        _CACHE[key] = (descriptor, _frames(descriptor, tables))
    _CACHE[folder] = _CACHE[key]
    return _CACHE[key]


def clear_cache() -> None:
    """Forget every loaded table, so the next :func:`load` reads and validates the files again."""
    _CACHE.clear()
    _DERIVED.clear()


def dataset_names(data_dir: Path | str | None = None) -> list[str]:
    """List the names of the datasets, in the order of the descriptor.

    Parameters
    ----------
    data_dir : Path or str, optional
        Folder of a data package; the course data by default.

    Returns
    -------
    list of str

    Examples
    --------
    >>> "events" in dataset_names()
    True
    """
    from lessons_lib.validate import read_descriptor

    return [r["name"] for r in read_descriptor(Path(data_dir or data_path()))["resources"]]


def load(name: str, data_dir: Path | str | None = None) -> pd.DataFrame:
    """Load one dataset as a DataFrame with analysis-ready dtypes.

    The first call validates the whole package (foreign keys cross tables) and caches it; later
    calls return a copy of the cached table.

    Parameters
    ----------
    name : str
        A name from :func:`dataset_names`, e.g. ``"events"``.
    data_dir : Path or str, optional
        Folder of a data package; the course data by default.

    Returns
    -------
    pandas.DataFrame
        One row per data row; ideology and dimension ids are ordered categoricals.

    Raises
    ------
    UnknownNameError
        If `name` is not a dataset (with a suggestion).
    DataValidationError
        If the data package has problems (every problem is listed).

    Examples
    --------
    >>> events = load("events")
    >>> events["year"].dtype
    dtype('int64')
    """
    descriptor, frames = _package(data_dir)
    check_choice(name, frames, "dataset")
    return frames[name].copy()


def _frames(descriptor: dict[str, Any], tables: dict[str, list[dict[str, Any]]]) -> dict[str, pd.DataFrame]:
    categories = _categories(descriptor)
    frames = {}
    for res in descriptor["resources"]:
        fields = res["schema"]["fields"]
        rows = tables[res["name"]]
        columns = {}
        for field in fields:
            col = field["name"]
            values = [row[col] for row in rows]
            columns[col] = _series(values, field, categories.get((res["name"], col)))
        frames[res["name"]] = pd.DataFrame(columns)
    return frames


def _categories(descriptor: dict[str, Any]) -> dict[tuple[str, str], list[str]]:
    """Map (resource, field) to category order, following foreign keys to categorical fields."""
    found = {}
    for res in descriptor["resources"]:
        for field in res["schema"]["fields"]:
            if field.get("categories") and field.get("categoriesOrdered"):
                found[(res["name"], field["name"])] = field["categories"]
    for res in descriptor["resources"]:
        for fk in res["schema"].get("foreignKeys", []):
            target = (fk["reference"]["resource"], fk["reference"]["fields"])
            field = next(f for f in res["schema"]["fields"] if f["name"] == fk["fields"])
            if target in found and field["type"] != "list":
                found[(res["name"], fk["fields"])] = found[target]
    return found


def _series(values: list[Any], field: dict[str, Any], categories: list[str] | None) -> pd.Series:
    kind = field["type"]
    required = field.get("constraints", {}).get("required", False)
    if categories is not None:
        return pd.Series(pd.Categorical(values, categories=categories, ordered=True))
    if kind == "integer":
        return pd.Series(values, dtype="int64" if required else "Int64")
    if kind == "number":
        return pd.Series(values, dtype="float64")
    if kind == "boolean":
        return pd.Series(values, dtype="bool" if required else "boolean")
    if kind == "date":
        return pd.Series(pd.to_datetime(values))
    if kind == "list":
        return pd.Series([v if v is not None else [] for v in values], dtype="object")
    return pd.Series(values, dtype="str" if required else "object")


def ideology_ids() -> list[str]:
    """Return the ideology ids in canonical order (``leninism``, ``trotskyism``, ``stalinism``)."""
    return list(load("ideologies")["id"].cat.categories)


def dimension_ids() -> list[str]:
    """Return the dimension ids in canonical (teaching) order."""
    return list(load("dimensions")["id"].cat.categories)


def check_ideologies(ideologies: str | Iterable[str] | None) -> list[str]:
    """Normalise an ideology selection to a list of valid ids in canonical order.

    Parameters
    ----------
    ideologies : str, iterable of str or None
        One id, several ids, or None for all of them.

    Returns
    -------
    list of str
        The selected ids, in canonical order.

    Raises
    ------
    UnknownNameError
        For an unknown id (``did you mean ...?``).
    ValueError
        For an empty selection.

    Examples
    --------
    >>> check_ideologies(["stalinism", "leninism"])
    ['leninism', 'stalinism']
    """
    valid = ideology_ids()
    return _selection(ideologies, valid, "ideology") or valid


def _selection(value: str | Iterable[str] | None, valid: list[str], what: str) -> list[str] | None:
    """Check a one-or-many selection against `valid`, in `valid`'s order; None means everything."""
    if value is None:
        return None
    chosen = [value] if isinstance(value, str) else list(value)
    if not chosen:
        raise ValueError(f"select at least one {what}; valid: {', '.join(valid)}")
    for name in chosen:
        check_choice(name, valid, what)
    return [v for v in valid if v in chosen]


def _row_labels(table_name: str) -> dict[str, str]:
    """Map a table's ids (first column) to a readable label (title, text, name, term or quote)."""
    table = load(table_name)
    label = next(c for c in ("title", "text", "name", "term", "quote") if c in table.columns)
    return dict(zip(table.iloc[:, 0].astype(str), table[label].astype(str), strict=True))


def _value_label(value: str) -> str:
    """How a matching answer is shown: a figure's or ideology's name, a verdict in words, a year as is."""
    for table in ("figures", "ideologies"):
        names = _row_labels(table)
        if value in names:
            return names[value]
    return value.replace("_", " ").capitalize() if value.replace("_", "").isalpha() else value


def sources_for(ids: Iterable[str]) -> pd.DataFrame:
    """Return the rows of the sources table for `ids`, in the order given.

    Parameters
    ----------
    ids : iterable of str
        Source ids.

    Returns
    -------
    pandas.DataFrame
    """
    sources = load("sources").set_index("id")
    ids = list(dict.fromkeys(ids))
    for sid in ids:
        check_choice(sid, sources.index, "source")
    return sources.loc[ids].reset_index()


def format_sources(ids: Iterable[str]) -> list[str]:
    """Format source ids as short citations: ``Author (year), Title``.

    Parameters
    ----------
    ids : iterable of str
        Source ids.

    Returns
    -------
    list of str
        One plain-text citation per id.

    Raises
    ------
    UnknownNameError
        For an unknown source id (with a suggestion).
    """
    citations = _citations(data_path())
    return [citations[check_choice(sid, citations, "source")] for sid in ids]


def _citations(folder: Path) -> dict[str, str]:
    key = ("citations", folder)
    if key in _DERIVED:
        return _DERIVED[key]
    descriptor, frames = _package(folder)
    if key not in _DERIVED:
        sources = frames["sources"]
        _DERIVED[key] = {
            r.id: f"{r.author} ({r.year}), {r.title}" for r in sources[["id", "author", "year", "title"]].itertuples()
        }
    return _DERIVED[key]


def event_dates(events: pd.DataFrame) -> pd.Series:
    """Return each event's date as a fractional year (mid-month or mid-year when less precise).

    Parameters
    ----------
    events : pandas.DataFrame
        Rows of the events table.

    Returns
    -------
    pandas.Series of float
    """
    month = events["month"].to_numpy(dtype="float64", na_value=np.nan)
    day = np.nan_to_num(events["day"].to_numpy(dtype="float64", na_value=np.nan), nan=15.0)
    frac = np.where(np.isnan(month), 0.5, ((month - 1) * 30.44 + day) / 365.25)
    return pd.Series(events["year"].to_numpy(dtype="float64") + frac, index=events.index, dtype="float64")
