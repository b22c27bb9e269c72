"""Where the data lives, and the column documentation generated from the descriptor (stdlib only)."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import Any


@functools.cache
def data_dir() -> Path:
    """Return the folder of the course data.

    In an installed wheel the data ships inside the package (``lessons_lib/data``); in a clone
    (editable install) it is the repository's ``data/`` folder beside the package.
    """
    packaged = resources.files("lessons_lib") / "data"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(str(resources.files("lessons_lib"))).parent / "data"


def schema_markdown(descriptor: dict[str, Any]) -> str:
    """Render the descriptor as Markdown: one section per table, one row per column."""
    out = [
        "# Data dictionary",
        "",
        "Generated from `data/datapackage.json` by `python -m lessons_lib schema-docs docs/data_dictionary.md`;"
        " do not edit by hand.",
        "",
    ]
    for res in descriptor["resources"]:
        schema = res["schema"]
        pk = schema.get("primaryKey", [])
        out += [f"## `{res['name']}`: {res['title']}", "", res["description"], ""]
        out += [f"File `{res['path']}`; primary key: {', '.join(f'`{k}`' for k in pk)}.", ""]
        out += ["| column | type | rules | description |", "|---|---|---|---|"]
        for field in schema["fields"]:
            rules = "; ".join(field_rules(field, schema))
            out.append(f"| `{field['name']}` | {field['type']} | {rules} | {field['description']} |")
        rules = res.get("x-rules", [])
        if rules:
            out += ["", "Row rules: " + "; ".join(_describe_rule(r) for r in rules) + "."]
        out.append("")
    return "\n".join(out)


def field_rules(field: dict[str, Any], schema: dict[str, Any], code: str = "`") -> list[str]:
    """Return a field's rules in words (``required``, ``maximum `12```, ``refers to `sources.id```).

    Parameters
    ----------
    field : dict
        One field of `schema`.
    schema : dict
        The resource's schema (for its foreign keys).
    code : str, default "`"
        The mark put around names and values (Markdown code); ``""`` for plain text.
    """
    rules = []
    cons = field.get("constraints", {})
    rules.append("required" if cons.get("required") else "optional")
    for key in ("unique", "minimum", "maximum", "minLength", "maxLength", "pattern"):
        if key in cons:
            rules.append(key if cons[key] is True else f"{key} {code}{cons[key]}{code}")
    values = cons.get("enum") or field.get("categories")
    if values:
        rules.append("one of " + ", ".join(f"{code}{v}{code}" for v in values))
    if "delimiter" in field:
        rules.append(f"items separated by {code}{field['delimiter']}{code}")
    for fk in schema.get("foreignKeys", []):
        if fk["fields"] == field["name"]:
            rules.append(f"refers to {code}{fk['reference']['resource']}.{fk['reference']['fields']}{code}")
    return rules


def _describe_rule(rule: dict[str, Any]) -> str:
    kind = rule["rule"]
    if kind == "ordered":
        return f"`{rule['end']}` is not before `{rule['start']}`"
    if kind == "required_if":
        cond = "is given" if rule.get("present") else f"is {rule.get('equals')}"
        return f"`{rule['field']}` is required when `{rule['if_field']}` {cond}"
    if kind == "date_parts":
        return "year, month and day form a real date and match `precision`"
    if kind == "max_words":
        return f"`{rule['field']}` has at most {rule['max']} words"
    return f"at least one of {', '.join(rule['fields'])} is given"
