"""Validate the course's data package against its descriptor, with messages a person can act on.

The descriptor ``datapackage.json`` is a Frictionless Tabular Data Package. This module reads it
with the standard library only (no pandas), so ``python -m lessons_lib check`` starts fast.
Besides the Frictionless v1 field types and constraints it understands three extensions, all
declared in the descriptor itself:

* ``"type": "list"`` fields with a ``"delimiter"`` (as in Data Package v2); a foreign key on a list
  field requires every item to resolve;
* ``"categories"`` with ``"categoriesOrdered"`` (Data Package v2): the allowed values and their
  canonical order;
* ``"x-rules"`` on a resource: row rules across columns (``ordered``, ``required_if``,
  ``date_parts``, ``max_words``, ``one_of``).

The descriptor itself is checked first (:mod:`lessons_lib._descriptor`): an unknown key, field
type, constraint or rule, or a key pointing at a table or field that does not exist, is a
problem of ``datapackage.json`` that says where it is, and the data is read only once the
descriptor is sound. Row rules live in :mod:`lessons_lib._rules`.

Every problem names the file, the row as a spreadsheet counts it (the header is row 1), the
column, the bad value and what was expected. All problems are collected before anything is
raised. A cell with a problem counts as missing for the checks that follow (uniqueness, foreign
keys, row rules), so one mistake gives one message.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lessons_lib._descriptor import check_descriptor
from lessons_lib._rules import RULES, rule_fields

__all__ = ["DataValidationError", "Problem", "read_descriptor", "read_package", "check_package"]

DESCRIPTOR = "datapackage.json"
TRUE_VALUES = {"true", "True", "TRUE", "1"}
FALSE_VALUES = {"false", "False", "FALSE", "0"}


@dataclass(frozen=True)
class Problem:
    """One problem in a data file.

    Attributes
    ----------
    file : str
        File name, e.g. ``events.csv``.
    row : int or None
        Row as a spreadsheet user counts it (the header is row 1), or None for the whole file.
    column : str or None
        Column name, or None when the problem concerns the row or the file.
    value : str or None
        The offending value as written in the file.
    message : str
        What is wrong and what was expected.
    where : str or None
        For a problem in the descriptor itself: where in it (``resource 'events', field 'title',
        constraints``); None for a problem in a data file.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    where: str | None = None

    def __str__(self) -> str:
        where = self.file if self.where is None else f"{self.file}, {self.where}"
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'"
        value = "" if self.value is None else f" value {self.value!r}:"
        return f"{where}:{value} {self.message}"


class DataValidationError(ValueError):
    """Raised when the data package has problems; lists every one of them.

    Attributes
    ----------
    problems : list of Problem
        Every problem found, in file order.
    """

    def __init__(self, problems: list[Problem], data_dir: Path | str = "data"):
        self.problems = list(problems)
        self.data_dir = str(data_dir)
        lines = [f"{len(self.problems)} problem(s) in the data package at {self.data_dir}:"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))


def read_descriptor(data_dir: Path) -> dict[str, Any]:
    """Read ``datapackage.json`` from `data_dir`.

    Parameters
    ----------
    data_dir : Path
        Folder holding the descriptor and the CSV files.

    Returns
    -------
    dict
        The parsed descriptor.

    Raises
    ------
    DataValidationError
        If the descriptor is missing or is not valid JSON.
    """
    path = Path(data_dir) / DESCRIPTOR
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problem = Problem(DESCRIPTOR, None, None, None, f"file not found in {data_dir}")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        problem = Problem(DESCRIPTOR, None, None, None, f"not valid JSON ({exc})")
    raise DataValidationError([problem], data_dir)


def _did_you_mean(value: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _read_rows(path: Path, problems: list[Problem]) -> list[list[str]] | None:
    """Read a CSV file into rows of strings; report decoding and quoting problems."""
    name = path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(name, None, None, None, f"file not found in {path.parent}"))
        return None
    try:
        text = raw.decode("utf-8-sig")  # a BOM, as spreadsheets save it, is fine
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        context = raw[max(line_start, exc.start - 20) : exc.start + 20].split(b"\n")[0]
        problems.append(
            Problem(
                name,
                line,
                None,
                context.decode("utf-8", "backslashreplace"),
                f"is not UTF-8 text (byte {raw[exc.start]:#04x} at offset {exc.start}); save the file as 'CSV UTF-8'",
            )
        )
        return None
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as exc:
        problems.append(
            Problem(
                name,
                len(rows) + 1,
                None,
                None,
                f"broken quoting near line {reader.line_num} ({exc}); a field that contains a "
                "comma, a quote or a line break must be wrapped in double quotes, and a quote "
                'inside it doubled ("")',
            )
        )
        return None
    return rows


def _cast_string(value: str, field: dict[str, Any]) -> str:
    return value


def _cast_integer(value: str, field: dict[str, Any]) -> int:
    if not re.fullmatch(r"[+-]?\d+", value.strip()):
        raise ValueError("expected a whole number")
    return int(value)


def _cast_number(value: str, field: dict[str, Any]) -> float:
    try:
        return float(value)
    except ValueError:
        raise ValueError("expected a number") from None


def _cast_boolean(value: str, field: dict[str, Any]) -> bool:
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ValueError("expected true or false")


def _cast_date(value: str, field: dict[str, Any]) -> dt.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("expected a date written YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"not a real date ({exc})") from None


def _cast_list(value: str, field: dict[str, Any]) -> list[str]:
    delimiter = field.get("delimiter", ",")
    items = [item.strip() for item in value.split(delimiter)]
    if any(not item for item in items):
        raise ValueError(f"empty item in a list separated by {delimiter!r}")
    return items


#: How a cell of each field type is read; a cast raises ValueError saying what was expected.
_CASTERS: dict[str, Callable[[str, dict[str, Any]], Any]] = {
    "string": _cast_string,
    "integer": _cast_integer,
    "number": _cast_number,
    "boolean": _cast_boolean,
    "date": _cast_date,
    "list": _cast_list,
}


def _check_constraints(value: Any, field: dict[str, Any]) -> str | None:
    cons = field.get("constraints", {})
    items = value if isinstance(value, list) else [value]
    for item in items:
        if "enum" in cons and item not in cons["enum"]:
            valid = ", ".join(map(str, cons["enum"]))
            return f"not one of the allowed values ({valid}){_did_you_mean(str(item), cons['enum'])}"
        if "categories" in field and item not in field["categories"]:
            valid = ", ".join(field["categories"])
            hint = _did_you_mean(str(item), field["categories"])
            return f"not one of the allowed values ({valid}){hint}"
        if "minimum" in cons and item < _bound(cons["minimum"], field):
            return f"below the minimum {cons['minimum']}"
        if "maximum" in cons and item > _bound(cons["maximum"], field):
            return f"above the maximum {cons['maximum']}"
        if "pattern" in cons and not re.fullmatch(cons["pattern"], str(item)):
            return f"does not match the pattern {cons['pattern']}"
        if "maxLength" in cons and len(str(item)) > cons["maxLength"]:
            return f"is {len(str(item))} characters long; at most {cons['maxLength']} allowed"
        if "minLength" in cons and len(str(item)) < cons["minLength"]:
            return f"is shorter than {cons['minLength']} characters"
    return None


def _bound(bound: Any, field: dict[str, Any]) -> Any:
    return dt.date.fromisoformat(bound) if field.get("type") == "date" else bound


def _check_header(name: str, header: list[str], fields: list[str], problems: list[Problem]) -> bool:
    header = [h.strip() for h in header]
    if header == fields:
        return True
    missing = [f for f in fields if f not in header]
    extra = [h for h in header if h not in fields]
    for col in extra:
        hint = _did_you_mean(col, missing)
        msg = f"column is not in the schema{hint}" if hint else "column is not in the schema"
        problems.append(Problem(name, 1, col, None, f"{msg} (expected columns: {', '.join(fields)})"))
    for col in missing:
        problems.append(Problem(name, 1, col, None, "required column is missing from the header"))
    if not missing and not extra:
        problems.append(Problem(name, 1, None, None, f"columns are out of order; expected: {', '.join(fields)}"))
    return False


def _parse_resource(data_dir: Path, resource: dict[str, Any], problems: list[Problem]) -> list[dict[str, Any]] | None:
    """Parse one resource into typed rows (dicts); None when the file cannot be read at all."""
    name = resource["path"]
    fields = resource["schema"]["fields"]
    rows = _read_rows(data_dir / name, problems)
    if rows is None:
        return None
    if not rows:
        problems.append(Problem(name, None, None, None, "file is empty; expected a header row"))
        return None
    if not _check_header(name, rows[0], [f["name"] for f in fields], problems):
        return None
    seen: dict[str, dict[Any, int]] = {f["name"]: {} for f in fields if _unique(f)}
    typed = []
    for index, raw in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue  # blank line at the end of a file saved by a spreadsheet
        if len(raw) != len(fields):
            problems.append(
                Problem(
                    name,
                    index,
                    None,
                    None,
                    f"has {len(raw)} cells but the header has {len(fields)} columns (a missing or "
                    "extra comma, or a field with a comma that is not quoted)",
                )
            )
            continue
        typed.append(_parse_row(name, index, fields, raw, seen, problems))
    return typed


def _parse_row(
    name: str,
    index: int,
    fields: list[dict[str, Any]],
    raw: list[str],
    seen: dict[str, dict[Any, int]],
    problems: list[Problem],
) -> dict[str, Any]:
    """Type one row; a cell with a problem is stored as None and its column listed in ``row["_invalid"]``."""
    row: dict[str, Any] = {"_row": index}
    for field, cell in zip(fields, raw, strict=True):
        col = field["name"]
        value, message = _parse_cell(cell, field)
        if message:
            problems.append(Problem(name, index, col, cell if cell.strip() else "", message))
            row.setdefault("_invalid", set()).add(col)
        elif col in seen and value is not None:
            if value in seen[col]:
                problems.append(Problem(name, index, col, cell, f"duplicate; already used in row {seen[col][value]}"))
            else:
                seen[col][value] = index
        row[col] = value
    return row


def _parse_cell(cell: str, field: dict[str, Any]) -> tuple[Any, str | None]:
    """Return a cell's value and what is wrong with it; the value is None when something is."""
    if cell.strip() == "":
        return None, "required value is empty" if field.get("constraints", {}).get("required") else None
    try:
        value = _CASTERS[field.get("type", "string")](cell, field)
    except ValueError as exc:
        return None, str(exc)
    message = _check_constraints(value, field)
    return (None, message) if message else (value, None)


def _unique(field: dict[str, Any]) -> bool:
    return bool(field.get("constraints", {}).get("unique"))


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _fields_list(spec: str | list[str]) -> list[str]:
    return [spec] if isinstance(spec, str) else list(spec)


def _check_primary_key(name: str, rows: list[dict[str, Any]], pk: list[str], problems: list[Problem]) -> None:
    if len(pk) < 2:
        return  # single-column keys are checked as unique columns
    seen: dict[tuple[Any, ...], int] = {}
    for row in rows:
        key = tuple(row.get(c) for c in pk)
        if None in key:
            continue
        if key in seen:
            shown = ", ".join(f"{c}={v}" for c, v in zip(pk, key, strict=True))
            problems.append(
                Problem(name, row["_row"], None, shown, f"duplicate primary key; already used in row {seen[key]}")
            )
        else:
            seen[key] = row["_row"]


def _check_foreign_keys(
    resource: dict[str, Any], tables: dict[str, list[dict[str, Any]] | None], problems: list[Problem]
) -> None:
    name = resource["path"]
    rows = tables.get(resource["name"]) or []
    for fk in resource["schema"].get("foreignKeys", []):
        (col,) = _fields_list(fk["fields"])
        target = fk["reference"]["resource"] or resource["name"]
        (target_col,) = _fields_list(fk["reference"]["fields"])
        target_rows = tables.get(target)
        if target_rows is None:
            continue  # the referenced table has its own problem already
        valid = {r[target_col] for r in target_rows if r.get(target_col) is not None}
        choices = sorted(map(str, valid))
        for row in rows:
            for item in _as_list(row.get(col)):
                if item not in valid:
                    hint = _did_you_mean(str(item), choices)
                    problems.append(
                        Problem(name, row["_row"], col, str(item), f"unknown id in {target}.{target_col}{hint}")
                    )


def _check_rules(resource: dict[str, Any], rows: list[dict[str, Any]], problems: list[Problem]) -> None:
    name = resource["path"]
    for rule in resource.get("x-rules", []):
        check = RULES[rule["rule"]][0]
        used = rule_fields(rule)
        for row in rows:
            if "_invalid" in row and used & row["_invalid"]:
                continue  # a cell it reads has its own problem already
            message = check(rule, row)
            if message:
                col, value, text = message
                problems.append(Problem(name, row["_row"], col, value, text))


def read_package(data_dir: Path | str) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """Parse and validate every table of the data package.

    Parameters
    ----------
    data_dir : Path or str
        Folder holding ``datapackage.json`` and the CSV files.

    Returns
    -------
    descriptor : dict
        The parsed descriptor.
    tables : dict of str to list of dict
        Typed rows per resource name (each row also has ``_row``, its spreadsheet row number).

    Raises
    ------
    DataValidationError
        Listing every problem found, if there is any.
    """
    data_dir = Path(data_dir)
    descriptor = read_descriptor(data_dir)
    findings = check_descriptor(descriptor, _CASTERS, {kind: params for kind, (_, params) in RULES.items()})
    if findings:
        raise DataValidationError([Problem(DESCRIPTOR, None, None, v, m, where=w) for w, v, m in findings], data_dir)
    problems: list[Problem] = []
    tables: dict[str, list[dict[str, Any]] | None] = {}
    for resource in descriptor["resources"]:
        tables[resource["name"]] = _parse_resource(data_dir, resource, problems)
    for resource in descriptor["resources"]:
        rows = tables[resource["name"]]
        if rows is None:
            continue
        _check_primary_key(resource["path"], rows, _fields_list(resource["schema"].get("primaryKey", [])), problems)
        _check_foreign_keys(resource, tables, problems)
        _check_rules(resource, rows, problems)
    if problems:
        raise DataValidationError(problems, data_dir)
    return descriptor, {k: v for k, v in tables.items() if v is not None}


def check_package(data_dir: Path | str) -> list[Problem]:
    """Return every problem in the data package at `data_dir` (an empty list when it is valid).

    Parameters
    ----------
    data_dir : Path or str
        Folder holding ``datapackage.json`` and the CSV files.

    Returns
    -------
    list of Problem
    """
    try:
        read_package(data_dir)
    except DataValidationError as exc:
        return exc.problems
    return []
