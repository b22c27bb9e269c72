"""Check the descriptor ``datapackage.json`` itself, before any data is read against it (stdlib only).

A typo in the descriptor (``"requried": true``, ``"type": "interger"``, ``"rule": "orderd"``, a
foreign key to a table that does not exist) would otherwise pass silently or crash the check.
Every finding names where it is (``resource 'events', field 'title', constraints``), the value
and what is known there, with a suggestion for a near miss.

:func:`check_descriptor` returns findings as ``(where, value, message)``; ``validate`` turns them
into :class:`~lessons_lib.validate.Problem` objects for the file ``datapackage.json``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Collection, Mapping
from typing import Any

Finding = tuple[str, "str | None", str]

PACKAGE_KEYS = ("$schema", "profile", "name", "id", "title", "description", "version", "homepage", "keywords",
                "licenses", "sources", "contributors", "created", "image", "resources")  # fmt: skip
RESOURCE_KEYS = ("name", "path", "profile", "title", "description", "format", "mediatype", "encoding", "schema",
                 "sources", "licenses", "homepage", "x-rules")  # fmt: skip
SCHEMA_KEYS = ("fields", "primaryKey", "foreignKeys")
FIELD_KEYS = ("name", "title", "description", "example", "type", "constraints", "categories", "categoriesOrdered",
              "delimiter", "itemType")  # fmt: skip
FOREIGN_KEY_KEYS = ("fields", "reference")
REFERENCE_KEYS = ("resource", "fields")

_ANY = None
#: Each constraint and the field types it applies to (None: every type).
CONSTRAINT_TYPES: dict[str, tuple[str, ...] | None] = {
    "required": _ANY,
    "unique": _ANY,
    "enum": _ANY,
    "minimum": ("integer", "number", "date"),
    "maximum": ("integer", "number", "date"),
    "minLength": ("string", "list"),
    "maxLength": ("string", "list"),
    "pattern": ("string", "list"),
}


def _hint(value: Any, known: Collection[str]) -> str:
    close = difflib.get_close_matches(str(value), list(known), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _unknown(what: str, value: Any, known: Collection[str]) -> str:
    return f"unknown {what}{_hint(value, known)} (known: {', '.join(known)})"


def _check_keys(where: str, spec: Any, known: Collection[str], found: list[Finding]) -> bool:
    """Report keys of `spec` that are not in `known`; False when `spec` is not an object at all."""
    if not isinstance(spec, dict):
        found.append((where, None, f"expected an object {{...}}, not {type(spec).__name__}"))
        return False
    found.extend((where, key, _unknown("key", key, known)) for key in spec if key not in known)
    return True


def check_descriptor(
    descriptor: Any, field_types: Collection[str], rules: Mapping[str, Mapping[str, str]]
) -> list[Finding]:
    """Return every problem of the descriptor itself, as ``(where, value, message)``.

    Parameters
    ----------
    descriptor : dict
        The parsed ``datapackage.json``.
    field_types : collection of str
        The field types the validator can read (``string``, ``integer`` ...).
    rules : mapping
        Each row rule's name and its parameters: parameter name to ``"field"`` (a field name),
        ``"fields"`` (a list of field names), ``"count"`` (a whole number) or ``"optional"``.

    Returns
    -------
    list of tuple
        Empty when the descriptor is sound.
    """
    found: list[Finding] = []
    if not _check_keys("package", descriptor, PACKAGE_KEYS, found):
        return found
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        return [*found, ("package", None, "'resources' must be a non-empty list of tables")]
    schemas = _resource_fields(resources, found)
    for resource in resources:
        if isinstance(resource, dict) and resource.get("name") in schemas:
            _check_resource(resource, schemas, field_types, rules, found)
    return found


def _resource_fields(resources: list[Any], found: list[Finding]) -> dict[str, list[str]]:
    """Map each well-formed resource's name to its field names; report the malformed ones."""
    schemas: dict[str, list[str]] = {}
    for number, resource in enumerate(resources, start=1):
        name = resource.get("name") if isinstance(resource, dict) else None
        where = f"resource {name!r}" if isinstance(name, str) and name else f"resource {number}"
        if not _check_keys(where, resource, RESOURCE_KEYS, found):
            continue
        if not isinstance(name, str) or not name:
            found.append((where, None, "missing key 'name'"))
            continue
        if name in schemas:
            found.append((where, name, f"duplicate resource name (resource {number})"))
            continue
        found.extend((where, None, f"missing key {key!r}") for key in ("path", "schema") if key not in resource)
        if "schema" not in resource:
            continue
        schema = resource["schema"]
        if not _check_keys(f"{where}, schema", schema, SCHEMA_KEYS, found):
            continue
        fields = schema.get("fields")
        if not isinstance(fields, list) or not fields:
            found.append((f"{where}, schema", None, "'fields' must be a non-empty list"))
            continue
        schemas[name] = [str(f.get("name")) for f in fields if isinstance(f, dict)]
    return schemas


def _check_resource(
    resource: dict[str, Any],
    schemas: dict[str, list[str]],
    field_types: Collection[str],
    rules: Mapping[str, Mapping[str, str]],
    found: list[Finding],
) -> None:
    where = f"resource {resource['name']!r}"
    seen: set[Any] = set()
    for number, field in enumerate(resource["schema"]["fields"], start=1):
        name = field.get("name") if isinstance(field, dict) else None
        if name in seen:
            found.append((f"{where}, field {name!r}", name, "duplicate field name"))
        seen.add(name)
        _check_field(f"{where}, field {name!r}" if name else f"{where}, field {number}", field, field_types, found)
    fields = schemas[resource["name"]]
    _check_primary_key(where, resource["schema"].get("primaryKey", []), fields, found)
    for number, fk in enumerate(resource["schema"].get("foreignKeys", [])):
        _check_foreign_key(f"{where}, foreignKeys[{number}]", fk, resource["name"], schemas, found)
    for number, rule in enumerate(resource.get("x-rules", [])):
        _check_rule(f"{where}, x-rules[{number}]", rule, fields, rules, found)


def _check_field(where: str, field: Any, field_types: Collection[str], found: list[Finding]) -> None:
    if not _check_keys(where, field, FIELD_KEYS, found):
        return
    for key in ("name", "type"):
        if key not in field:
            found.append((where, None, f"missing key {key!r}"))
    kind = field.get("type")
    if "type" in field and kind not in field_types:
        found.append((where, str(kind), _unknown("field type", kind, field_types)))
        return
    if kind != "list":
        found.extend(
            (where, key, "only a field of type 'list' has this key")
            for key in ("delimiter", "itemType")
            if key in field
        )
    elif field.get("itemType", "string") != "string":
        found.append((where, str(field["itemType"]), "itemType must be 'string' (list items are read as text)"))
    categories = field.get("categories")
    if categories is not None and (not isinstance(categories, list) or not all(isinstance(c, str) for c in categories)):
        found.append((where, None, "'categories' must be a list of strings"))
    if "categoriesOrdered" in field and not isinstance(field["categoriesOrdered"], bool):
        found.append((where, str(field["categoriesOrdered"]), "'categoriesOrdered' must be true or false"))
    constraints = field.get("constraints", {})
    if _check_keys(f"{where}, constraints", constraints, CONSTRAINT_TYPES, found):
        for key, value in constraints.items():
            message = _constraint_problem(key, value, kind)
            if message:
                found.append((f"{where}, constraints", key, message))


def _constraint_problem(key: str, value: Any, kind: str) -> str | None:
    """Return what is wrong with one constraint of a field of type `kind` (None: nothing)."""
    if key not in CONSTRAINT_TYPES:
        return None  # reported as an unknown key already
    types = CONSTRAINT_TYPES[key]
    if types is not None and kind not in types:
        return f"not a constraint for type {kind!r} (it applies to {', '.join(types)})"
    if key in ("required", "unique") and not isinstance(value, bool):
        return f"must be true or false, not {value!r}"
    if key in ("minLength", "maxLength") and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        return f"must be a whole number of characters, not {value!r}"
    if key == "enum" and (not isinstance(value, list) or not value):
        return "must be a non-empty list of the allowed values"
    if key == "pattern":
        return _pattern_problem(value)
    if key in ("minimum", "maximum"):
        return _bound_problem(value, kind)
    return None


def _pattern_problem(value: Any) -> str | None:
    try:
        re.compile(value)
    except (re.error, TypeError) as exc:
        return f"not a valid regular expression ({exc})"
    return None


def _bound_problem(value: Any, kind: str) -> str | None:
    if kind == "date":
        try:
            dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            return f"must be a date written YYYY-MM-DD, not {value!r}"
        return None
    if not isinstance(value, int | float) or isinstance(value, bool):
        return f"must be a number, not {value!r}"
    return None


def _check_primary_key(where: str, spec: Any, fields: list[str], found: list[Finding]) -> None:
    names = [spec] if isinstance(spec, str) else spec if isinstance(spec, list) else [None]
    for name in names:
        if name not in fields:
            found.append((f"{where}, primaryKey", str(name), f"not a field of this resource{_hint(name, fields)}"))


def _check_foreign_key(where: str, fk: Any, own: str, schemas: dict[str, list[str]], found: list[Finding]) -> None:
    if not _check_keys(where, fk, FOREIGN_KEY_KEYS, found):
        return
    missing = [key for key in FOREIGN_KEY_KEYS if key not in fk]
    if missing:
        found.append((where, None, f"missing key {missing[0]!r}"))
        return
    reference = fk["reference"]
    if not _check_keys(f"{where}, reference", reference, REFERENCE_KEYS, found):
        return
    target = reference.get("resource") or own  # "" refers to the resource itself
    if target not in schemas:
        found.append((f"{where}, reference", str(target), f"no such resource{_hint(target, schemas)}"))
        return
    _check_key_field(where, fk["fields"], own, schemas[own], found)
    _check_key_field(f"{where}, reference", reference.get("fields"), target, schemas[target], found)


def _check_key_field(where: str, name: Any, table: str, fields: list[str], found: list[Finding]) -> None:
    if not isinstance(name, str):
        found.append((where, str(name), "give one field name (only single-field foreign keys are supported)"))
    elif name not in fields:
        found.append((where, name, f"no field {name!r} in resource {table!r}{_hint(name, fields)}"))


def _check_rule(
    where: str, rule: Any, fields: list[str], rules: Mapping[str, Mapping[str, str]], found: list[Finding]
) -> None:
    if not isinstance(rule, dict) or "rule" not in rule:
        found.append((where, None, "a row rule must be an object with a key 'rule'"))
        return
    kind = rule["rule"]
    if kind not in rules:
        found.append((where, str(kind), _unknown("rule", kind, rules)))
        return
    params = rules[kind]
    where = f"{where} ({kind})"
    _check_keys(where, rule, ["rule", *params], found)
    for key, expects in params.items():
        if key not in rule:
            if expects != "optional":
                found.append((where, None, f"missing key {key!r}"))
            continue
        problem = _rule_parameter_problem(rule[key], expects, fields)
        if problem:
            found.append((f"{where}, {key}", *problem))


def _rule_parameter_problem(value: Any, expects: str, fields: list[str]) -> tuple[str, str] | None:
    """Return the value to show and what is wrong with one parameter of a row rule (None: nothing)."""
    if expects == "count":
        if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
            return None
        return str(value), "must be a whole number of at least 1"
    if expects == "fields" and (not isinstance(value, list) or not value):
        return str(value), "must be a non-empty list of field names"
    names = value if expects == "fields" else [value] if expects == "field" else []
    for name in names:
        if name not in fields:
            return str(name), f"not a field of this resource{_hint(name, fields)}"
    return None
