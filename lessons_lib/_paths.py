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
            rules = []
            cons = field.get("constraints", {})
            rules.append("required" if cons.get("required") else "optional")
            for key in ("unique", "minimum", "maximum", "maxLength", "pattern"):
                if key in cons:
                    rules.append(key if cons[key] is True else f"{key} `{cons[key]}`")
            if "enum" in cons:
                rules.append("one of " + ", ".join(f"`{v}`" for v in cons["enum"]))
            if "categories" in field:
                rules.append("one of " + ", ".join(f"`{v}`" for v in field["categories"]))
            if "delimiter" in field:
                rules.append(f"items separated by `{field['delimiter']}`")
            for fk in schema.get("foreignKeys", []):
                if fk["fields"] == field["name"]:
                    rules.append(f"refers to `{fk['reference']['resource']}.{fk['reference']['fields']}`")
            out.append(f"| `{field['name']}` | {field['type']} | {'; '.join(rules)} | {field['description']} |")
        rules = res.get("x-rules", [])
        if rules:
            out += ["", "Row rules: " + "; ".join(_describe_rule(r) for r in rules) + "."]
        out.append("")
    return "\n".join(out)


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
