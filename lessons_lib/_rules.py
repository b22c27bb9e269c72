"""Row rules across columns (``x-rules`` in the descriptor), read by :mod:`lessons_lib.validate`.

Each rule is a function ``(rule, row) -> (column, value, message) | None`` registered in
:data:`RULES` with the parameters it takes, so the descriptor check knows every rule's keys.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

Check = Callable[[dict[str, Any], dict[str, Any]], "tuple[str, str, str] | None"]


def rule_fields(rule: dict[str, Any]) -> set[str]:
    """Return the fields a row rule reads (its parameters that name fields).

    Parameters
    ----------
    rule : dict
        One entry of a resource's ``x-rules``, already checked against :data:`RULES`.

    Returns
    -------
    set of str
    """
    used: set[str] = set()
    for key, expects in RULES[rule["rule"]][1].items():
        if expects == "field":
            used.add(rule[key])
        elif expects == "fields":
            used.update(rule[key])
    return used


def _rule_ordered(rule: dict[str, Any], row: dict[str, Any]) -> tuple[str, str, str] | None:
    start, end = row.get(rule["start"]), row.get(rule["end"])
    if start is not None and end is not None and end < start:
        return rule["end"], str(end), f"is before {rule['start']} ({start}); an end cannot come before its start"
    return None


def _rule_required_if(rule: dict[str, Any], row: dict[str, Any]) -> tuple[str, str, str] | None:
    other = row.get(rule["if_field"])
    triggered = other is not None if rule.get("present") else other == rule.get("equals")
    if triggered and row.get(rule["field"]) is None:
        return rule["field"], "", f"required when {rule['if_field']} is {other}"
    return None


def _rule_date_parts(rule: dict[str, Any], row: dict[str, Any]) -> tuple[str, str, str] | None:
    year, month, day = row.get(rule["year"]), row.get(rule["month"]), row.get(rule["day"])
    if year is None:
        return None
    if day is not None and month is None:
        return rule["month"], "", "a day is given but no month"
    if month is not None and day is not None:
        try:
            dt.date(year, month, day)
        except ValueError:
            return rule["day"], str(day), f"{year}-{month:02d}-{day:02d} is not a real date"
    precision = row.get(rule["precision"])
    expected = "day" if day is not None else "month" if month is not None else "year"
    if precision is not None and precision != expected:
        return rule["precision"], precision, f"does not match the date given; expected {expected!r}"
    return None


def _rule_max_words(rule: dict[str, Any], row: dict[str, Any]) -> tuple[str, str, str] | None:
    text = row.get(rule["field"]) or ""
    words = len(text.split())
    if words > rule["max"]:
        return rule["field"], text[:40] + "...", f"has {words} words; at most {rule['max']} allowed"
    return None


def _rule_one_of(rule: dict[str, Any], row: dict[str, Any]) -> tuple[str, str, str] | None:
    if all(row.get(col) is None for col in rule["fields"]):
        return rule["fields"][0], "", f"give at least one of: {', '.join(rule['fields'])}"
    return None


#: Each row rule: its check, and its parameters (a field name, a list of them, a count, or optional).
RULES: dict[str, tuple[Check, dict[str, str]]] = {
    "ordered": (_rule_ordered, {"start": "field", "end": "field"}),
    "required_if": (
        _rule_required_if,
        {"field": "field", "if_field": "field", "present": "optional", "equals": "optional"},
    ),
    "date_parts": (_rule_date_parts, {"year": "field", "month": "field", "day": "field", "precision": "field"}),
    "max_words": (_rule_max_words, {"field": "field", "max": "count"}),
    "one_of": (_rule_one_of, {"fields": "fields"}),
}
