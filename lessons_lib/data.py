"""Load the course dataset as pandas DataFrames, shaped like ``seaborn.load_dataset``.

The dtypes come from the descriptor ``data/datapackage.json``: fields with ``categories`` (and
foreign keys to them) become ordered categoricals in their canonical order, required integers
become ``int64``, optional integers the nullable ``Int64``, dates ``datetime64``, list fields
Python lists. The whole package is validated on the first load and cached for the process.

This module is the one owner of the data: the descriptor (:func:`descriptor`, :func:`choices`)
and the tables (:func:`load`) come from the same cache, which :func:`clear_cache` empties.
Every table handed out is a copy whose list cells are read-only lists, so changing a result
changes nothing else.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lessons_lib import _paths
from lessons_lib.validate import read_package

__all__ = [
    "UnknownNameError",
    "ReadOnlyList",
    "dataset_names",
    "load",
    "describe",
    "descriptor",
    "choices",
    "data_path",
    "clear_cache",
    "ideology_ids",
    "dimension_ids",
    "check_ideologies",
    "check_choice",
    "select_ids",
    "sources_for",
    "format_sources",
    "event_dates",
]


@dataclass(frozen=True)
class _Package:
    """One validated data package: its descriptor and the tables built from it."""

    descriptor: dict[str, Any]
    frames: dict[str, pd.DataFrame]


_CACHE: dict[Path | str, _Package] = {}
_DERIVED: dict[tuple[str, Path], Any] = {}


class ReadOnlyList(list):
    """A list cell of a loaded table: it reads, compares and prints like a list but refuses changes.

    Every :func:`load` of a table shares its list cells, so changing one in place would change
    every later load in the process; ``list(cell)`` or ``cell.copy()`` gives a list of your own.

    Examples
    --------
    >>> cell = ReadOnlyList(["service_2000"])
    >>> cell == ["service_2000"], list(cell) + ["more"]
    (True, ['service_2000', 'more'])
    """

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(
            "a list cell from load() cannot be changed in place, because every later load() shares it;"
            " make a list of your own first: items = list(cell)"
        )

    append = extend = insert = remove = pop = clear = sort = reverse = _refuse
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse

    def __reduce__(self) -> tuple[type, tuple[list[Any]]]:
        return (type(self), (list(self),))


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


def _package(data_dir: Path | str | None) -> _Package:
    folder = data_dir or data_path()
    if folder in _CACHE:  # fast path: the same folder object or string as before
        return _CACHE[folder]
    key = Path(folder).resolve()
    if key not in _CACHE:
        found, tables = read_package(key)
        _CACHE[key] = _Package(found, _frames(found, tables))
    _CACHE[folder] = _CACHE[key]
    return _CACHE[key]


def clear_cache() -> None:
    """Forget every loaded table and descriptor, so the next call reads and validates the files again."""
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
    return list(_package(data_dir).frames)


def descriptor(data_dir: Path | str | None = None) -> dict[str, Any]:
    """Return the data package's descriptor (``datapackage.json``), the one the tables were built from.

    Parameters
    ----------
    data_dir : Path or str, optional
        Folder of a data package; the course data by default.

    Returns
    -------
    dict
        A copy of the parsed descriptor: changing it changes nothing else.

    Examples
    --------
    >>> descriptor()["resources"][0]["name"]
    'sources'
    """
    return copy.deepcopy(_package(data_dir).descriptor)


def choices(resource: str, field: str, data_dir: Path | str | None = None) -> list[str]:
    """Return the valid values of a field with fixed choices, in canonical order.

    Parameters
    ----------
    resource : str
        A table name, e.g. ``"events"``.
    field : str
        A field with ``categories`` or an ``enum`` constraint in the descriptor, e.g.
        ``"category"``.
    data_dir : Path or str, optional
        Folder of a data package; the course data by default.

    Returns
    -------
    list of str

    Raises
    ------
    UnknownNameError
        If the table or the field is unknown.
    ValueError
        If the field has no fixed set of values.

    Examples
    --------
    >>> choices("ideologies", "id")
    ['leninism', 'trotskyism', 'stalinism']
    """
    resources = {r["name"]: r for r in _package(data_dir).descriptor["resources"]}
    check_choice(resource, resources, "dataset")
    fields = {f["name"]: f for f in resources[resource]["schema"]["fields"]}
    check_choice(field, fields, f"field of {resource}")
    spec = fields[field]
    values = spec.get("categories") or spec.get("constraints", {}).get("enum")
    if not values:
        raise ValueError(f"{resource}.{field} has no fixed set of values in the descriptor")
    return list(values)


def load(name: str, data_dir: Path | str | None = None) -> pd.DataFrame:
    """Load one dataset as a DataFrame with analysis-ready dtypes.

    The first call validates the whole package (foreign keys cross tables) and caches it; later
    calls return a copy of the cached table. List cells are :class:`ReadOnlyList` objects, shared
    by every copy: they read and print like lists but refuse changes, so a change to one result
    never reaches another (``list(cell)`` gives a list of your own).

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
    _check_name(name)
    package = _package(data_dir)
    check_choice(name, package.frames, "dataset")
    return package.frames[name].copy()


def _check_name(name: Any) -> None:
    if isinstance(name, pd.DataFrame | pd.Series):
        raise TypeError(
            "load() takes the name of a table, such as load('events'), but was given a table:"
            " you already have the table, so use it directly"
        )
    if not isinstance(name, str):
        raise TypeError(f"load() takes the name of a table, such as load('events'), not {type(name).__name__}")


def describe(name: str, data_dir: Path | str | None = None) -> pd.DataFrame:
    """Describe a table's columns: type, rules and meaning, from the descriptor.

    Parameters
    ----------
    name : str
        A name from :func:`dataset_names`, e.g. ``"events"``.
    data_dir : Path or str, optional
        Folder of a data package; the course data by default.

    Returns
    -------
    pandas.DataFrame
        One row per column of the table, with ``column``, ``type``, ``rules`` and
        ``description``; its ``attrs`` hold the table's ``title``, ``description`` and
        ``license``.

    Examples
    --------
    >>> describe("events").set_index("column").loc["year", "type"]
    'integer'
    """
    _check_name(name)
    found = _package(data_dir).descriptor
    resources = {r["name"]: r for r in found["resources"]}
    check_choice(name, resources, "dataset")
    schema = resources[name]["schema"]
    table = pd.DataFrame(
        [
            (f["name"], f["type"], "; ".join(_paths.field_rules(f, schema, code="")), f.get("description", ""))
            for f in schema["fields"]
        ],
        columns=["column", "type", "rules", "description"],
    )
    licenses = resources[name].get("licenses") or found.get("licenses", [])
    table.attrs = {
        "title": resources[name].get("title", name),
        "description": resources[name].get("description", ""),
        "license": ", ".join(f"{x.get('name', '')} ({x.get('title', x.get('path', ''))})" for x in licenses),
    }
    return table


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
        return pd.Series([ReadOnlyList(v or ()) for v in values], dtype="object")
    return pd.Series(values, dtype="str" if required else "object")


def ideology_ids() -> list[str]:
    """Return the ideology ids in canonical order (``leninism``, ``trotskyism``, ``stalinism``).

    The same as ``choices("ideologies", "id")``.
    """
    return choices("ideologies", "id")


def dimension_ids() -> list[str]:
    """Return the dimension ids in canonical (teaching) order; the same as ``choices("dimensions", "id")``."""
    return choices("dimensions", "id")


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
    return select_ids(ideologies, valid, "ideology") or valid


def select_ids(value: str | Iterable[str] | None, valid: list[str], what: str) -> list[str] | None:
    """Check a one-or-many selection against `valid`; return it in `valid`'s order.

    Parameters
    ----------
    value : str, iterable of str or None
        One name, several names, or None for no selection (everything).
    valid : list of str
        The valid names, in canonical order.
    what : str
        What kind of name it is, used in messages (``"ideology"``, ``"era"`` ...).

    Returns
    -------
    list of str or None
        The chosen names in the order of `valid`; None when `value` is None.

    Raises
    ------
    UnknownNameError
        For an unknown name (``did you mean ...?``).
    ValueError
        For an empty selection.

    Examples
    --------
    >>> select_ids(["stalin", "lenin"], ["lenin", "succession", "stalin"], "era")
    ['lenin', 'stalin']
    """
    if value is None:
        return None
    chosen = [value] if isinstance(value, str) else list(value)
    if not chosen:
        raise ValueError(f"select at least one {what}; valid: {', '.join(valid)}")
    for name in chosen:
        check_choice(name, valid, what)
    return [v for v in valid if v in chosen]


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
    sources = _package(folder).frames["sources"]
    _DERIVED[key] = {
        r.id: f"{r.author} ({r.year}), {r.title}" for r in sources[["id", "author", "year", "title"]].itertuples()
    }
    return _DERIVED[key]


def _column_map(table: str, column: str) -> dict[str, str]:
    """Map the ids of a table of the course data to one of its columns, as text (built once, until clear_cache)."""
    folder = data_path()
    key = (f"{table}.{column}", folder)
    if key not in _DERIVED:
        frame = _package(folder).frames[table]
        _DERIVED[key] = dict(zip(frame["id"].astype(str), frame[column].astype(str), strict=True))
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
