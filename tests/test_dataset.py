"""The real course dataset meets the counts and the integrity rules of the dataset issues."""

from __future__ import annotations

import pandas as pd
import pytest

from lessons_lib.data import event_dates, load

CITING_TABLES = ["ideologies", "eras", "traditions", "positions", "perspectives", "figures", "roles", "events",
                 "policies", "quotes", "glossary", "series", "claims", "questions"]  # fmt: skip
MINIMUM_ROWS = {
    "sources": 30,
    "ideologies": 3,
    "eras": 3,
    "dimensions": 14,
    "traditions": 4,
    "figures": 15,
    "events": 90,
    "policies": 20,
    "quotes": 20,
    "glossary": 50,
    "series": 5,
    "claims": 60,
    "questions": 60,
}


@pytest.mark.parametrize("name,minimum", MINIMUM_ROWS.items())
def test_table_meets_the_count(name, minimum):
    assert len(load(name)) >= minimum


def test_comparison_grid_is_complete():
    positions = load("positions")
    grid = positions.pivot(index="dimension_id", columns="ideology_id", values="summary")
    assert grid.shape == (len(load("dimensions")), len(load("ideologies")))
    assert grid.notna().all().all()


def test_perspectives_cover_every_dimension_and_tradition():
    perspectives = load("perspectives")
    assert len(perspectives) == len(load("dimensions")) * len(load("traditions"))


def test_every_row_cites_a_source():
    for name in CITING_TABLES:
        frame = load(name)
        assert frame["sources"].map(len).gt(0).all(), name


def test_sources_have_the_three_kinds():
    assert set(load("sources")["kind"]) == {"primary", "scholarly", "reference"}


def test_events_span_1870_to_1991():
    events = load("events")
    assert events["year"].min() <= 1870 and events["year"].max() >= 1991


def test_each_event_falls_within_the_lives_of_its_figures():
    figures = load("figures").set_index("id")
    events = load("events")
    bad = []
    for row in events.itertuples():
        when = pd.Timestamp(
            year=row.year,
            month=int(row.month) if pd.notna(row.month) else 1,
            day=int(row.day) if pd.notna(row.day) else 1,
        )
        for fig in row.figures:
            born, died = figures.loc[fig, "born"], figures.loc[fig, "died"]
            if when.year < born.year or when > died:
                bad.append((row.id, fig))
    assert bad == []


def test_old_style_dates_are_twelve_or_thirteen_days_behind():
    events = load("events").dropna(subset=["old_style_date"])
    events = events[events["day"].notna()]
    for row in events.itertuples():
        new = pd.Timestamp(year=row.year, month=int(row.month), day=int(row.day))
        gap = (new - pd.Timestamp(row.old_style_date)).days
        assert gap in (12, 13), row.id


def test_roles_fall_within_lives():
    figures = load("figures").set_index("id")
    for row in load("roles").itertuples():
        assert figures.loc[row.figure_id, "born"].year <= row.start_year
        assert row.end_year <= figures.loc[row.figure_id, "died"].year, (row.figure_id, row.role)


def test_positions_flag_contested_points():
    positions = load("positions")
    assert positions["contested"].sum() >= 5
    assert positions.loc[positions["contested"], "contested_note"].str.len().gt(20).all()


def test_claims_use_every_verdict():
    assert set(load("claims")["verdict"]) == {"accurate", "misleading", "false", "contested"}


def test_series_have_observations_and_famine_estimates_are_ranges():
    series, obs = load("series"), load("observations")
    assert set(series["id"]) <= set(obs["series_id"])
    ranges = obs.dropna(subset=["low"])
    assert (ranges["low"] <= ranges["high"]).all()
    assert len(ranges) >= 2


def _question_rows(q):
    table = load(q.ref_table).set_index(load(q.ref_table).columns[0])
    return table, q.ref_ids


def _same(a, b) -> bool:
    return str(a).strip().casefold() == str(b).strip().casefold()


def test_every_question_agrees_with_the_row_it_rests_on():
    wrong = []
    for q in load("questions").itertuples():
        table, ids = _question_rows(q)
        missing = [i for i in ids if i not in table.index]
        if missing:
            wrong.append((q.id, f"unknown {q.ref_table} ids {missing}"))
            continue
        if q.kind == "multiple_choice":
            ok = q.answer in q.options and len(ids) == 1 and _same(q.answer, table.loc[ids[0], q.ref_field])
        elif q.kind == "ordering":
            order = q.answer.split("|")
            if q.ref_table == "events":
                when = event_dates(table.loc[ids].reset_index())
                when.index = ids
            else:
                when = table.loc[ids, q.ref_field]
            ok = sorted(order) == sorted(q.options) and list(when.loc[order]) == sorted(when)
            ok = ok and when.is_unique
        else:
            pairs = dict(p.split("=", 1) for p in q.answer.split("|"))
            ok = sorted(pairs) == sorted(q.options) and all(
                _same(v, table.loc[k, q.ref_field]) for k, v in pairs.items()
            )
        if not ok:
            wrong.append((q.id, q.answer))
    assert wrong == []


def test_question_bank_has_every_kind_of_question_for_every_lesson():
    questions = load("questions")
    kinds = questions.groupby("lesson")["kind"].agg(lambda k: set(k.astype(str)))
    assert list(kinds.index) == list(range(1, 10))
    assert all(k == {"multiple_choice", "ordering", "matching"} for k in kinds), kinds.to_dict()


def test_every_source_is_cited_somewhere():
    cited = set()
    for name in CITING_TABLES:
        for ids in load(name)["sources"]:
            cited.update(ids)
    cited.update(load("observations")["source_id"])
    assert sorted(set(load("sources")["id"]) - cited) == []
