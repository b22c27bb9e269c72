"""Every class of bad input gets a message naming file, row, column, value and what was expected."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from support import MINI, ROOT, write_table

from lessons_lib.validate import DataValidationError, check_package, read_package


def edit(folder: Path, table: str, row: int, column: str, value: str) -> None:
    """Set one cell; `row` counts like a spreadsheet (the header is row 1)."""
    rows = [list(r) for r in MINI[table]]
    rows[row - 1][rows[0].index(column)] = value
    write_table(folder, table, rows)


def messages(folder: Path) -> list[str]:
    return [str(p) for p in check_package(folder)]


def test_mini_package_is_valid(mini_data):
    descriptor, tables = read_package(mini_data)
    assert len(tables["events"]) == 2


def test_missing_file_is_named(mini_data):
    (mini_data / "events.csv").unlink()
    assert any(m.startswith("events.csv: file not found") for m in messages(mini_data))


def test_missing_descriptor_is_named(mini_data):
    (mini_data / "datapackage.json").unlink()
    with pytest.raises(DataValidationError, match=r"datapackage.json: file not found"):
        read_package(mini_data)


def test_missing_column_is_named(mini_data):
    rows = [r[:-1] for r in MINI["glossary"]]  # drop 'sources'
    write_table(mini_data, "glossary", rows)
    assert "glossary.csv, row 1, column 'sources': required column is missing from the header" in messages(mini_data)


def test_extra_column_is_named(mini_data):
    rows = [r + ["x"] for r in MINI["glossary"]]
    rows[0][-1] = "comment"
    write_table(mini_data, "glossary", rows)
    assert any(
        m.startswith("glossary.csv, row 1, column 'comment': column is not in the schema (expected columns")
        for m in messages(mini_data)
    )


def test_renamed_column_suggests_the_schema_name(mini_data):
    edit(mini_data, "events", 1, "year", "yaer")
    found = messages(mini_data)
    assert any("column 'yaer': column is not in the schema; did you mean 'year'?" in m for m in found)


def test_wrong_type_in_a_year_names_row_column_and_value(mini_data):
    edit(mini_data, "events", 2, "year", "19l7")
    assert "events.csv, row 2, column 'year': value '19l7': expected a whole number" in messages(mini_data)


def test_value_out_of_range_is_the_only_problem_of_its_row(mini_data):
    edit(mini_data, "events", 2, "month", "13")
    assert messages(mini_data) == ["events.csv, row 2, column 'month': value '13': above the maximum 12"]


def test_value_not_in_enum_suggests_the_closest(mini_data):
    edit(mini_data, "events", 2, "category", "biografy")
    found = messages(mini_data)
    assert any(
        m.startswith("events.csv, row 2, column 'category': value 'biografy': not one of the allowed values")
        and "did you mean 'biography'?" in m
        for m in found
    )


def test_unknown_ideology_category_suggests_the_closest(mini_data):
    edit(mini_data, "ideologies", 3, "id", "stalinsm")
    assert any(
        "value 'stalinsm': not one of the allowed values" in m and "'stalinism'" in m for m in messages(mini_data)
    )


def test_empty_required_cell(mini_data):
    edit(mini_data, "figures", 2, "name", "")
    assert "figures.csv, row 2, column 'name': value '': required value is empty" in messages(mini_data)


def test_duplicate_primary_key(mini_data):
    rows = MINI["events"] + [MINI["events"][1]]
    write_table(mini_data, "events", rows)
    assert "events.csv, row 4, column 'id': value 'lenin_born': duplicate; already used in row 2" in messages(mini_data)


def test_duplicate_composite_primary_key(mini_data):
    write_table(mini_data, "positions", MINI["positions"] + [MINI["positions"][1]])
    assert any(
        m.startswith("positions.csv, row 3: value 'ideology_id=leninism, dimension_id=foundational_ideology'")
        and "duplicate primary key; already used in row 2" in m
        for m in messages(mini_data)
    )


def test_dangling_source_id(mini_data):
    edit(mini_data, "events", 2, "sources", "service_2000;servise_2000x")
    assert any(
        m.startswith("events.csv, row 2, column 'sources': value 'servise_2000x': unknown id in sources.id")
        for m in messages(mini_data)
    )


def test_claim_of_an_unknown_article(mini_data):
    edit(mini_data, "claims", 2, "article", "leninism_vs_stalinsm")
    assert (
        "claims.csv, row 2, column 'article': value 'leninism_vs_stalinsm': unknown id in articles.id;"
        " did you mean 'leninism_vs_stalinism'?" in messages(mini_data)
    )


def test_dangling_ideology_id(mini_data):
    edit(mini_data, "events", 2, "ideologies", "leninsm")
    assert any(
        m.startswith("events.csv, row 2, column 'ideologies': value 'leninsm'") and "did you mean 'leninism'?" in m
        for m in messages(mini_data)
    )


def test_impossible_date_month_13(mini_data):
    edit(mini_data, "figures", 2, "born", "1870-13-22")
    assert any(
        m.startswith("figures.csv, row 2, column 'born': value '1870-13-22': not a real date")
        for m in messages(mini_data)
    )


def test_impossible_date_31_february(mini_data):
    edit_rows = [list(r) for r in MINI["events"]]
    edit_rows[1][2], edit_rows[1][3] = "2", "31"
    write_table(mini_data, "events", edit_rows)
    assert "events.csv, row 2, column 'day': value '31': 1870-02-31 is not a real date" in messages(mini_data)


# name: (table, row, column edited, bad value, column named in the message, message)
CELL_MESSAGES = {
    "number": ("observations", 2, "value", "about 2254", "value", "expected a number"),
    "boolean": ("dimensions", 2, "in_article", "yes", "in_article", "expected true or false"),
    "date format": ("figures", 2, "born", "22/04/1870", "born", "expected a date written YYYY-MM-DD"),
    "empty list item": ("events", 2, "sources", "service_2000;", "sources", "empty item in a list separated by ';'"),
    "below minimum": ("events", 2, "year", "1770", "year", "below the minimum 1840"),
    "pattern": ("events", 2, "id", "Lenin born", "id", "does not match the pattern ^[a-z][a-z0-9_]*$"),
    "day without month": ("events", 3, "day", "5", "month", "a day is given but no month"),
    "one of": ("observations", 2, "value", "", "value", "give at least one of: value, low"),
}


@pytest.mark.parametrize(
    ("table", "row", "column", "value", "named", "message"), CELL_MESSAGES.values(), ids=CELL_MESSAGES.keys()
)
def test_every_kind_of_bad_cell_is_named_with_file_row_column_and_what_was_expected(
    mini_data, table, row, column, value, named, message
):
    edit(mini_data, table, row, column, value)
    shown = "" if named != column else value
    line = f"{table}.csv, row {row}, column '{named}': value {shown!r}: {message}"
    with pytest.raises(DataValidationError, match=re.escape(line)) as info:
        read_package(mini_data)
    assert len(info.value.problems) == 1, info.value


def test_string_shorter_than_min_length(mini_data):
    edit_descriptor(mini_data, lambda d: _field(d, "events", "title")["constraints"].update(minLength=20))
    with pytest.raises(
        DataValidationError, match=re.escape("column 'title': value 'Lenin is born': is shorter than 20 characters")
    ):
        read_package(mini_data)


def test_columns_out_of_order(mini_data):
    write_table(mini_data, "glossary", [[r[1], r[0], *r[2:]] for r in MINI["glossary"]])
    with pytest.raises(
        DataValidationError, match=r"glossary.csv, row 1: columns are out of order; expected: id, term, "
    ):
        read_package(mini_data)


def test_empty_file(mini_data):
    (mini_data / "glossary.csv").write_text("")
    with pytest.raises(DataValidationError, match=r"glossary.csv: file is empty; expected a header row"):
        read_package(mini_data)


def test_descriptor_that_is_not_json(mini_data):
    (mini_data / "datapackage.json").write_text('{"resources": [')
    with pytest.raises(DataValidationError, match=r"datapackage.json: not valid JSON \(Expecting value: line 1"):
        read_package(mini_data)


def test_precision_must_match_the_date(mini_data):
    edit(mini_data, "events", 3, "precision", "day")
    assert any(
        m.startswith("events.csv, row 3, column 'precision': value 'day': does not match") for m in messages(mini_data)
    )


def test_end_before_start(mini_data):
    edit(mini_data, "policies", 2, "end_year", "1920")
    assert any(
        m.startswith("policies.csv, row 2, column 'end_year': value '1920': is before start_year (1921)")
        for m in messages(mini_data)
    )


def test_death_before_birth(mini_data):
    edit(mini_data, "figures", 2, "died", "1860-01-01")
    assert any("column 'died'" in m and "an end cannot come before its start" in m for m in messages(mini_data))


def test_contested_needs_a_note(mini_data):
    edit(mini_data, "positions", 2, "contested", "true")
    assert "positions.csv, row 2, column 'contested_note': value '': required when contested is True" in messages(
        mini_data
    )


def test_faction_role_needs_a_faction_name(mini_data):
    edit(mini_data, "roles", 2, "kind", "faction")
    assert "roles.csv, row 2, column 'faction': value '': required when kind is faction" in messages(mini_data)


def test_summary_too_long(mini_data):
    edit(mini_data, "positions", 2, "summary", "x" * 161)
    assert any("is 161 characters long; at most 160 allowed" in m for m in messages(mini_data))


def test_quote_over_fifty_words(mini_data):
    edit(mini_data, "quotes", 2, "text", " ".join(["word"] * 51))
    assert any(
        "quotes.csv, row 2, column 'text'" in m and "has 51 words; at most 50 allowed" in m for m in messages(mini_data)
    )


def test_ragged_row(mini_data):
    rows = [list(r) for r in MINI["glossary"]]
    rows[1] = rows[1] + ["extra"]
    write_table(mini_data, "glossary", rows)
    assert any(
        m.startswith("glossary.csv, row 2: has 6 cells but the header has 5 columns") for m in messages(mini_data)
    )


def test_broken_quoting(mini_data):
    path = mini_data / "glossary.csv"
    path.write_text(path.read_text() + 'war_communism,"War Communism" x,A policy.,,service_2000\n')
    assert any(m.startswith("glossary.csv, row 3: broken quoting") for m in messages(mini_data))


def test_non_utf8_bytes(mini_data):
    path = mini_data / "glossary.csv"
    path.write_bytes(path.read_bytes().replace(b"A policy.", "Une politique \u00e9conomique".encode("cp1252")))
    assert any(
        m.startswith("glossary.csv, row 2: value ")
        and "politique \\\\xe9conomique" in m
        and "is not UTF-8 text" in m
        and "CSV UTF-8" in m
        for m in messages(mini_data)
    )


def test_bom_and_windows_line_endings_are_accepted(mini_data):
    path = mini_data / "events.csv"
    text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert messages(mini_data) == []


def test_every_problem_is_listed_at_once(mini_data):
    edit(mini_data, "figures", 2, "name", "")
    edit(mini_data, "events", 2, "year", "19l7")
    (mini_data / "claims.csv").unlink()
    with pytest.raises(DataValidationError) as info:
        read_package(mini_data)
    assert len(info.value.problems) == 3
    assert str(info.value).startswith("3 problem(s) in the data package at")


def test_check_command_on_broken_copy_exits_1_and_names_file_row_column(mini_data):
    edit(mini_data, "events", 2, "year", "19l7")
    result = subprocess.run(
        [sys.executable, "-m", "lessons_lib", "check", str(mini_data)], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 1
    assert "events.csv (1):" in result.stdout
    assert "row 2, column 'year': value '19l7': expected a whole number" in result.stdout


def test_check_command_on_the_course_data_exits_0():
    result = subprocess.run([sys.executable, "-m", "lessons_lib", "check"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout
    assert re.search(r"\d+ tables, \d+ rows. No problems found.", result.stdout)


def test_check_command_does_not_import_pandas_or_matplotlib():
    code = "import sys, runpy; sys.argv=['x','check']\ntry: runpy.run_module('lessons_lib', run_name='__main__')\nexcept SystemExit: pass\nprint(sorted(m for m in ('pandas','matplotlib','ipywidgets') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip().endswith("[]"), result.stdout + result.stderr


def test_csv_module_writes_what_the_validator_reads(mini_data):
    with (mini_data / "glossary.csv").open("a", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerow(
            ["kulak", 'Kulak, "fist"', "A richer\npeasant.", "nep", "service_2000"]
        )
    descriptor, tables = read_package(mini_data)
    assert tables["glossary"][-1]["definition"] == "A richer\npeasant."
    assert tables["glossary"][-1]["related"] == ["nep"]


# -- the descriptor itself ------------------------------------------------------------------------


def _resource(descriptor: dict, name: str) -> dict:
    return next(r for r in descriptor["resources"] if r["name"] == name)


def _field(descriptor: dict, resource: str, name: str) -> dict:
    return next(f for f in _resource(descriptor, resource)["schema"]["fields"] if f["name"] == name)


def _rename(spec: dict, old: str, new: str) -> None:
    spec[new] = spec.pop(old)


def edit_descriptor(folder: Path, change) -> None:
    path = folder / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    change(descriptor)
    path.write_text(json.dumps(descriptor), encoding="utf-8")


DESCRIPTOR_TYPOS = {
    "constraint key": (
        lambda d: _rename(_field(d, "events", "title")["constraints"], "required", "requried"),
        "datapackage.json, resource 'events', field 'title', constraints: value 'requried': unknown key;"
        " did you mean 'required'?",
    ),
    "constraint maxLength": (
        lambda d: _rename(_field(d, "positions", "summary")["constraints"], "maxLength", "maxLenght"),
        "resource 'positions', field 'summary', constraints: value 'maxLenght': unknown key; did you mean 'maxLength'?",
    ),
    "field type": (
        lambda d: _field(d, "events", "year").update(type="interger"),
        "resource 'events', field 'year': value 'interger': unknown field type; did you mean 'integer'?",
    ),
    "field key": (
        lambda d: _rename(_field(d, "ideologies", "id"), "categoriesOrdered", "categoriesOrderd"),
        "resource 'ideologies', field 'id': value 'categoriesOrderd': unknown key; did you mean 'categoriesOrdered'?",
    ),
    "resource key": (
        lambda d: _rename(_resource(d, "events"), "description", "descripton"),
        "resource 'events': value 'descripton': unknown key; did you mean 'description'?",
    ),
    "schema key": (
        lambda d: _rename(_resource(d, "events")["schema"], "primaryKey", "primarykey"),
        "resource 'events', schema: value 'primarykey': unknown key; did you mean 'primaryKey'?",
    ),
    "package key": (
        lambda d: _rename(d, "licenses", "licences"),
        "datapackage.json, package: value 'licences': unknown key; did you mean 'licenses'?",
    ),
    "rule name": (
        lambda d: _resource(d, "eras")["x-rules"][0].update(rule="orderd"),
        "resource 'eras', x-rules[0]: value 'orderd': unknown rule; did you mean 'ordered'?",
    ),
    "rule field": (
        lambda d: _resource(d, "eras")["x-rules"][0].update(start="strat_year"),
        "resource 'eras', x-rules[0] (ordered), start: value 'strat_year': not a field of this resource;"
        " did you mean 'start_year'?",
    ),
    "rule without a key": (
        lambda d: _resource(d, "quotes")["x-rules"][0].pop("max"),
        "resource 'quotes', x-rules[0] (max_words): missing key 'max'",
    ),
    "foreign key to a missing table": (
        lambda d: _resource(d, "claims")["schema"]["foreignKeys"][0]["reference"].update(resource="articels"),
        "resource 'claims', foreignKeys[0], reference: value 'articels': no such resource; did you mean 'articles'?",
    ),
    "foreign key to a missing field": (
        lambda d: _resource(d, "claims")["schema"]["foreignKeys"][0]["reference"].update(fields="idd"),
        "resource 'claims', foreignKeys[0], reference: value 'idd': no field 'idd' in resource 'articles';"
        " did you mean 'id'?",
    ),
    "foreign key from a missing field": (
        lambda d: _resource(d, "claims")["schema"]["foreignKeys"][0].update(fields="articel"),
        "resource 'claims', foreignKeys[0]: value 'articel': no field 'articel' in resource 'claims';"
        " did you mean 'article'?",
    ),
    "primary key field": (
        lambda d: _resource(d, "events")["schema"].update(primaryKey=["idd"]),
        "resource 'events', primaryKey: value 'idd': not a field of this resource; did you mean 'id'?",
    ),
    "constraint for another type": (
        lambda d: _field(d, "events", "title")["constraints"].update(minimum=3),
        "resource 'events', field 'title', constraints: value 'minimum': not a constraint for type 'string'"
        " (it applies to integer, number, date)",
    ),
    "constraint value": (
        lambda d: _field(d, "events", "title")["constraints"].update(required="yes"),
        "resource 'events', field 'title', constraints: value 'required': must be true or false, not 'yes'",
    ),
    "broken pattern": (
        lambda d: _field(d, "claims", "id")["constraints"].update(pattern="^[a-z"),
        "resource 'claims', field 'id', constraints: value 'pattern': not a valid regular expression",
    ),
    "duplicate field": (
        lambda d: _resource(d, "eras")["schema"]["fields"].append(dict(_field(d, "eras", "name"))),
        "resource 'eras', field 'name': value 'name': duplicate field name",
    ),
    "field without a type": (
        lambda d: _field(d, "eras", "name").pop("type"),
        "resource 'eras', field 'name': missing key 'type'",
    ),
    "delimiter on a text field": (
        lambda d: _field(d, "eras", "name").update(delimiter=";"),
        "resource 'eras', field 'name': value 'delimiter': only a field of type 'list' has this key",
    ),
    "empty enum": (
        lambda d: _field(d, "events", "category")["constraints"].update(enum=[]),
        "resource 'events', field 'category', constraints: value 'enum': must be a non-empty list of the allowed values",
    ),
    "bound that is not a number": (
        lambda d: _field(d, "events", "year")["constraints"].update(maximum="2026"),
        "resource 'events', field 'year', constraints: value 'maximum': must be a number, not '2026'",
    ),
    "composite foreign key": (
        lambda d: _resource(d, "claims")["schema"]["foreignKeys"][0].update(fields=["article", "id"]),
        "resource 'claims', foreignKeys[0]: value \"['article', 'id']\": give one field name (only single-field",
    ),
    "rule count": (
        lambda d: _resource(d, "quotes")["x-rules"][0].update(max="fifty"),
        "resource 'quotes', x-rules[0] (max_words), max: value 'fifty': must be a whole number of at least 1",
    ),
    "rule key typo": (
        lambda d: _resource(d, "quotes")["x-rules"][0].update(maxi=40),
        "resource 'quotes', x-rules[0] (max_words): value 'maxi': unknown key; did you mean 'max'?",
    ),
    "duplicate resource": (
        lambda d: d["resources"].append(dict(_resource(d, "eras"))),
        "datapackage.json, resource 'eras': value 'eras': duplicate resource name (resource ",
    ),
    "resource without a path": (
        lambda d: _resource(d, "eras").pop("path"),
        "datapackage.json, resource 'eras': missing key 'path'",
    ),
}


@pytest.mark.parametrize(("change", "message"), DESCRIPTOR_TYPOS.values(), ids=DESCRIPTOR_TYPOS.keys())
def test_a_descriptor_typo_is_named_with_where_it_is_and_a_suggestion(mini_data, change, message):
    edit_descriptor(mini_data, change)
    with pytest.raises(DataValidationError, match=re.escape(message)) as info:
        read_package(mini_data)
    assert len(info.value.problems) == 1, info.value


def test_descriptor_problems_are_listed_by_the_check_command(mini_data):
    edit_descriptor(mini_data, DESCRIPTOR_TYPOS["rule name"][0])
    result = subprocess.run(
        [sys.executable, "-m", "lessons_lib", "check", str(mini_data)], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 1, result.stderr
    assert "datapackage.json (1):\n  - resource 'eras', x-rules[0]: value 'orderd': unknown rule" in result.stdout
    assert "Traceback" not in result.stderr
