"""The real course dataset meets the counts and the integrity rules of the dataset issues."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from lessons_lib.data import event_dates, load

CITING_TABLES = ["ideologies", "eras", "traditions", "positions", "perspectives", "figures", "roles", "events",
                 "policies", "quotes", "glossary", "series", "claims", "questions", "documents"]  # fmt: skip
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
    "articles": 2,
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


# The left-socialist critics wrote on a few questions only; the five main traditions read every dimension.
LEFT_CRITICS_DIMENSIONS = {"political_repression", "party_democracy", "state_dictatorship", "revolution_strategy"}


def test_perspectives_cover_every_dimension_and_tradition():
    perspectives = load("perspectives")
    assert not perspectives.duplicated(["dimension_id", "tradition_id"]).any()
    main = [t for t in load("traditions")["id"] if t != "left_socialist"]
    full = perspectives[perspectives["tradition_id"].isin(main)]
    assert len(full) == len(load("dimensions")) * len(main)
    left = perspectives[perspectives["tradition_id"] == "left_socialist"]
    assert set(left["dimension_id"].astype(str)) == LEFT_CRITICS_DIMENSIONS


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


def _quoted(words: str, text: str) -> bool:
    return " ".join(words.split()).casefold() in " ".join(str(text).split()).casefold()


def test_every_question_agrees_with_the_row_it_rests_on():
    wrong = []
    for q in load("questions").itertuples():
        table, ids = _question_rows(q)
        missing = [i for i in ids if i not in table.index]
        if missing:
            wrong.append((q.id, f"unknown {q.ref_table} ids {missing}"))
            continue
        if q.kind == "multiple_choice" and isinstance(q.evidence, str):
            # a judgement: the evidence is quoted word for word from the row; an option naming a row names that row
            ok = q.answer in q.options and len(ids) == 1 and _quoted(q.evidence, table.loc[ids[0], q.ref_field])
            ok = ok and (q.answer not in table.index or q.answer == ids[0])
        elif q.kind == "multiple_choice":
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
    cited.update(load("emphases")["source"])  # one work per row
    assert sorted(set(load("sources")["id"]) - cited) == []


# ---------------------------------------------------------------------------------------------
# Issue 14, section 1: corrections from the accuracy audit (added by `historians`).
# Each test holds one corrected verdict, date or figure; the sources checked are in sources.csv.
# ---------------------------------------------------------------------------------------------


def _row(table: str, key: str) -> pd.Series:
    frame = load(table)
    return frame.set_index(frame.columns[0]).loc[key]


@pytest.mark.parametrize(
    "claim,verdict",
    [("ls_diverges_state_control", "misleading"), ("ts_stalinism_not_marxism", "false"), ("ls_decentralised", "false")],
)
def test_audited_claims_carry_the_corrected_verdict(claim, verdict):
    assert _row("claims", claim)["verdict"] == verdict


def test_stalinism_not_marxism_correction_names_the_contested_judgement():
    correction = _row("claims", "ts_stalinism_not_marxism")["correction"]
    assert "classification" in correction and "contested" in correction and "betrayed" in correction


def test_extraordinary_measures_date_article_107_to_1928_and_the_ural_siberian_method_to_1929():
    policy = _row("policies", "extraordinary_measures")
    text = policy["description"]
    assert policy["start_year"] == 1928 and policy["end_year"] == 1929
    assert text.index("January 1928") < text.index("Article 107") < text.index("In 1929") < text.index("Ural-Siberian")


def test_fourteenth_congress_has_zinoviev_leading_the_leningrad_delegation():
    text = _row("events", "fourteenth_congress")["description"]
    assert "led by Zinoviev and backed by Kamenev and Krupskaya" in text


def test_revised_soviet_grain_notes_say_same_only_where_the_values_are_the_same():
    grain = load("observations").query("series_id == 'grain_harvest'")
    official = grain.query("variant == 'official'").set_index("year")["value"]
    for row in grain.query("variant == 'revised_soviet'").itertuples():
        same = row.value == official[row.year]
        assert same == (row.year <= 1932), row.year
        assert ("the same as the official" in row.note) == same, row.year
        if not same:
            assert f"{official[row.year] - row.value:.1f} million tonnes below" in row.note, row.year


def test_great_purge_keeps_arrests_and_sentences_apart_and_matches_the_death_sentence_series():
    text = _row("policies", "great_purge")["description"]
    assert "1.5 million people sentenced" not in text
    assert "1.5 million people arrested" in text and "1.34 million sentenced" in text
    deaths = load("observations").query("series_id == 'death_sentences' and year in (1937, 1938)")["value"]
    assert f"{int(deaths.sum()):,} sentenced to death" in text


def test_ukraine_famine_estimates_are_the_checked_reconstructions():
    ukraine = load("observations").query("series_id == 'famine_deaths_1932_33' and category == 'ukraine'")
    values = ukraine.set_index("variant")["value"]
    assert "mesle_pison_vallin" not in values.index
    assert values["vallin_mesle"] == 2.6 and values["rudnytskyi_et_al"] == 3.9


def test_trotskyism_period_ends_in_1940_but_the_movement_does_not():
    assert _row("ideologies", "trotskyism")["end_year"] == 1940
    assert "not with Trotskyism" in _row("ideologies", "trotskyism")["summary"]
    assert "did not end" in _row("questions", "q09_08")["explanation"]


def test_stalinism_and_stalins_rule_conventions_are_stated_together():
    assert _row("ideologies", "stalinism")["start_year"] == 1924
    assert _row("eras", "stalin")["start_year"] == 1929
    for question in ("q01_02", "q03_08", "q09_05"):
        explanation = _row("questions", question)["explanation"]
        assert "1924" in explanation and "1929" in explanation, question


def test_permanent_revolution_is_written_1929_and_published_1930_everywhere():
    assert _row("events", "permanent_revolution_published")["year"] == 1930
    assert _row("sources", "trotsky_1930_permanent_revolution")["year"] == 1930
    quotes = load("quotes")
    for quote in quotes[quotes["work"].str.startswith("The Permanent Revolution")].itertuples():
        assert quote.year == 1929 and "published in 1930" in quote.purpose, quote.id
    assert "published in 1930" in _row("questions", "q07_06")["explanation"]


def test_articles_state_only_the_provenance_their_texts_give():
    articles = load("articles").set_index("id")
    trotskyism, leninism = articles.loc["trotskyism_vs_stalinism"], articles.loc["leninism_vs_stalinism"]
    assert trotskyism["title"] == "Differences Between Trotskyism and Stalinism"
    assert trotskyism["byline"] == "QCity Editorial Stuff"
    assert trotskyism["last_updated"] == pd.Timestamp("2022-03-19")
    assert [url.split("/")[2] for url in trotskyism["references"]] == ["www.bbc.com", "www.newworldencyclopedia.org"]
    assert pd.isna(leninism["byline"]) and pd.isna(leninism["last_updated"]) and leninism["references"] == []
    assert leninism["provenance"] == "Gives no author, no date and no references."


def test_every_article_has_claims_to_check():
    assert set(load("claims")["article"]) == set(load("articles")["id"])


# ---------------------------------------------------------------------------------------------
# Issue 14, section 2: content the specifications expect (added by `content`).
# Events, comparator series, traditions and the curriculum map; sources checked are in sources.csv.
# ---------------------------------------------------------------------------------------------


def _event(event_id: str) -> pd.Series:
    return _row("events", event_id)


def test_stalin_appears_in_the_record_well_before_1917():
    events = load("events")
    stalin_before_1917 = events[events["figures"].map(lambda f: "stalin" in f) & (events["year"] < 1917)]
    assert {"tiflis_robbery", "stalin_co_opted_cc", "pravda_founded", "marxism_national_question",
            "stalin_arrested_1913", "stalin_turukhansk_exile"} <= set(stalin_before_1917["id"])  # fmt: skip


@pytest.mark.parametrize(
    "event_id,date,old_style",
    [
        ("tiflis_robbery", (1907, 6, 26), "1907-06-13"),
        ("pravda_founded", (1912, 5, 5), "1912-04-22"),
        ("stalin_arrested_1913", (1913, 3, 8), "1913-02-23"),
    ],
)
def test_pre_1917_stalin_events_carry_new_and_old_style_dates(event_id, date, old_style):
    event = _event(event_id)
    assert (event["year"], event["month"], event["day"]) == date
    assert str(event["old_style_date"].date()) == old_style


def test_lenin_funeral_is_27_january_1924_and_trotskys_deception_claim_is_marked_contested():
    funeral = _event("lenin_funeral")
    assert (funeral["year"], funeral["month"], funeral["day"]) == (1924, 1, 27)
    assert "contested" in funeral["description"] and "My Life" in funeral["description"]
    assert {"trotsky_1930_my_life", "patenaude_2009"} <= set(funeral["sources"])


def test_succession_struggle_has_the_georgian_affair_the_lenin_enrolment_and_the_right():
    assert _event("georgian_affair")["year"] == 1922
    assert _event("lenin_enrolment")["year"] == 1924
    right = _event("right_deviation_condemned")
    assert (right["year"], right["month"]) == (1929, 4) and "cohen_1973" in right["sources"]


def test_trotskyism_has_a_dated_history_after_trotskys_death():
    events = load("events")
    later = events[events["ideologies"].map(lambda i: "trotskyism" in i) & (events["year"] > 1940)]
    assert {"fi_split_1953", "fi_reunification_1963"} <= set(later["id"])
    assert _event("fi_split_1953")["month"] == 11


def test_famine_measures_specific_to_ukraine_and_the_kuban_sit_beside_the_ussr_wide_law():
    assert (_event("law_of_7_august")["year"], _event("law_of_7_august")["month"]) == (1932, 8)
    assert (_event("blacklists_1932")["year"], _event("blacklists_1932")["month"]) == (1932, 11)
    directive = _event("directive_22_january_1933")
    assert (directive["year"], directive["month"], directive["day"]) == (1933, 1, 22)
    assert "Kuban" in directive["description"]


def test_famine_event_cites_post_archival_work_beside_davies_and_wheatcroft():
    sources = set(_event("famine_1932_33")["sources"])
    assert {"davies_wheatcroft_2004", "applebaum_2017", "snyder_2010", "graziosi_2009",
            "rudnytskyi_2015", "markevich_naumenko_qian_2024"} <= sources  # fmt: skip


COMPARATORS = [
    "japan",
    "italy",
    "spain",
    "uk",
    "usa",
    "germany",
    "france",
    "poland",
    "turkey",
    "brazil",
    "india",
    "china",
]


def _gdp(series_id: str) -> pd.Series:
    observations = load("observations").query("series_id == @series_id")
    return observations.set_index("year")["value"]


def test_every_comparator_country_has_a_maddison_gdp_series_from_1900_or_1913_to_1991():
    series = load("series").set_index("id")
    for country in [*COMPARATORS, "former_ussr"]:
        values = _gdp(f"gdp_per_capita_{country}")
        assert values.index.min() in (1900, 1913) and values.index.max() == 1991, country
        assert series.loc[f"gdp_per_capita_{country}", "unit"] == series.loc["gdp_per_capita", "unit"]
        assert "maddison_2020" in series.loc[f"gdp_per_capita_{country}", "sources"]


@pytest.mark.parametrize(
    "country,year,value",
    [("japan", 1913, 2431), ("japan", 1950, 3062), ("italy", 1913, 4057), ("spain", 1940, 3170),
     ("usa", 1913, 10108), ("usa", 1991, 36464), ("former_ussr", 1940, 3417), ("former_ussr", 1991, 10388)],
)  # fmt: skip
def test_comparator_values_are_the_maddison_2020_figures(country, year, value):
    assert _gdp(f"gdp_per_capita_{country}")[year] == value


def test_long_former_ussr_series_agrees_with_the_course_series_where_they_overlap():
    course, long = _gdp("gdp_per_capita"), _gdp("gdp_per_capita_former_ussr")
    assert (long[course.index] == course).all()
    assert not set(range(1941, 1946)) & set(long.index)


def test_comparator_series_say_which_comparisons_are_fair_and_name_the_industrialisation_debate():
    series = load("series").set_index("id")
    for country in [*COMPARATORS, "former_ussr"]:
        row = series.loc[f"gdp_per_capita_{country}"]
        assert "Fair comparisons" in row["caveats"] and "Less fair" in row["caveats"], country
        assert {"allen_2003", "cheremukhin_2017"} <= set(row["sources"]), country


def _perspective(dimension: str, tradition: str) -> pd.Series:
    frame = load("perspectives")
    return frame[(frame["dimension_id"] == dimension) & (frame["tradition_id"] == tradition)].iloc[0]


def test_post_revisionists_are_their_own_tradition_and_not_filed_as_revisionists():
    traditions = load("traditions").set_index("id")
    assert "post_revisionist" in traditions.index
    for name in ("Kotkin", "Khlevniuk", "Harris", "Getty"):
        assert name in traditions.loc["post_revisionist", "description"], name
    revisionist = load("perspectives").query("tradition_id == 'revisionist'")
    assert not revisionist["proponents"].str.contains("Kotkin|Khlevniuk").any()
    assert "post-archival" not in traditions.loc["revisionist", "name"]


def test_revolution_strategy_readings_answer_whether_socialism_could_be_built_in_one_country():
    readings = load("perspectives").query("dimension_id == 'revolution_strategy'")
    assert len(readings) == len(load("traditions"))
    for row in readings.itertuples():
        assert "one country" in row.reading or "one backward" in row.reading, row.tradition_id
        assert "coup" not in row.reading, row.tradition_id


def test_carr_is_characterised_and_left_critics_and_dissidents_have_a_place():
    assert "necessity" in _row("traditions", "revisionist")["description"]
    proponents = " ".join(load("perspectives")["proponents"])
    for name in ("Rosa Luxemburg", "Karl Kautsky", "Julius Martov", "Roy Medvedev", "Aleksandr Solzhenitsyn"):
        assert name in proponents, name
    assert "martov_1918_death_penalty" in _perspective("political_repression", "left_socialist")["sources"]


def test_left_socialist_critics_are_their_own_tradition_not_filed_with_liberals_or_revisionists():
    perspectives = load("perspectives")
    left = perspectives[perspectives["tradition_id"] == "left_socialist"]
    others = perspectives[perspectives["tradition_id"] != "left_socialist"]
    for name in ("Luxemburg", "Kautsky", "Martov", "Medvedev"):
        assert left["proponents"].str.contains(name).any(), name
        assert not others["proponents"].str.contains(name).any(), name
        assert not others["reading"].str.contains(name).any(), name
        assert name in _row("traditions", "left_socialist")["description"], name
    for tradition in ("liberal_totalitarian", "revisionist"):
        assert not re.search("Luxemburg|Kautsky|Martov|Medvedev", _row("traditions", tradition)["description"])
    assert {"kautsky_1918_dictatorship", "medvedev_1971"} <= set(
        _perspective("state_dictatorship", "left_socialist")["sources"]
    )
    assert "Solzhenitsyn" in _perspective("political_repression", "liberal_totalitarian")["proponents"]


def test_famine_debate_by_date_of_scholarship_sits_in_the_post_archival_reading():
    reading = _perspective("peasantry", "post_revisionist")
    assert {"davies_wheatcroft_2004", "graziosi_2009", "applebaum_2017", "snyder_2010",
            "markevich_naumenko_qian_2024"} <= set(reading["sources"])  # fmt: skip
    industrial = _perspective("industrialisation", "post_revisionist")
    assert {"allen_2003", "cheremukhin_2017"} <= set(industrial["sources"])


def test_curriculum_map_covers_every_lesson_and_every_board_and_paper():
    curriculum = load("curriculum")
    assert sorted(set(curriculum["lesson"])) == list(range(1, 10))
    assert set(curriculum["board"].astype(str)) == {"AQA", "Pearson Edexcel", "OCR", "IB"}
    components = " ".join(curriculum["component"])
    for paper in ("1H", "2N", "Paper 2, world history topic 10", "Paper 3 HL"):
        assert paper in components, paper


def test_curriculum_rows_are_verified_against_a_retrieved_copy_or_say_not_verified():
    for row in load("curriculum").itertuples():
        if pd.isna(row.verified):
            assert row.verification_note.startswith("not verified"), row.id
        else:
            assert not row.verification_note.startswith("not verified"), row.id
    official = load("curriculum").dropna(subset=["verified"])
    assert official["verified"].str.startswith("https://www.aqa.org.uk/").sum() >= 10


def test_famine_estimates_include_post_archival_applebaum_beside_davies_and_wheatcroft():
    famine = load("observations").query("series_id == 'famine_deaths_1932_33'")
    values = famine.set_index(["category", "variant"])["value"]
    assert values[("ussr", "applebaum")] == 5.0 and values[("ukraine", "applebaum")] == 3.9
    assert values[("ussr", "davies_wheatcroft")] == 6.0
    assert "applebaum_2017" in _row("series", "famine_deaths_1932_33")["sources"]


# ---------------------------------------------------------------------------------------------
# Issue 13, section 3: questions that test thinking (added by `questions`).
# Every question names the skill it tests; at least a third test more than recall and chronology;
# no question asks what the course's own verdict or convention is.
# ---------------------------------------------------------------------------------------------

SKILLS = {"recall", "chronology", "sourcing", "contextualisation", "corroboration", "interpretation", "causation",
          "evidence"}  # fmt: skip


def test_every_question_names_one_of_the_eight_skills():
    skills = load("questions").set_index("id")["skill"]
    assert skills.notna().all() and set(skills) <= SKILLS, skills[~skills.isin(SKILLS)].to_dict()


def test_at_least_a_third_of_the_bank_tests_more_than_recall_and_chronology():
    skills = load("questions")["skill"]
    thinking = ~skills.isin(["recall", "chronology"])
    assert thinking.sum() * 3 >= len(skills), f"{thinking.sum()} of {len(skills)}"
    assert set(skills[thinking]) == SKILLS - {"recall", "chronology"}  # every other skill is tested


def test_every_lesson_keeps_at_least_eight_questions_and_some_beyond_recall():
    questions = load("questions")
    per_lesson = questions.groupby("lesson")["skill"].agg(list)
    assert all(len(skills) >= 8 for skills in per_lesson), per_lesson.map(len).to_dict()
    assert all(len(set(skills) - {"recall", "chronology"}) >= 2 for skills in per_lesson)


@pytest.mark.parametrize("phrase", ["this course", "the course give", "the course's", "course associates",
                                    "course records", "course files", "course draws", "course divides"])  # fmt: skip
def test_no_question_asks_for_the_courses_own_verdict_or_convention(phrase):
    prompts = load("questions").set_index("id")["prompt"]
    assert list(prompts[prompts.str.lower().str.contains(phrase)].index) == []


def test_evidence_is_quoted_word_for_word_from_the_row_it_names():
    questions = load("questions")
    judged = questions[questions["evidence"].map(lambda e: isinstance(e, str))]
    assert len(judged) >= 30
    for q in judged.itertuples():
        table = load(q.ref_table).set_index(load(q.ref_table).columns[0])
        assert _quoted(q.evidence, table.loc[q.ref_ids[0], q.ref_field]), q.id


def test_the_checker_rejects_evidence_that_is_not_in_the_row():
    text = "It shows the order, not what was done: we do not learn from it whether the hangings took place"
    assert _quoted("we do not learn  from it whether the hangings\ntook place", text)
    assert not _quoted("we learn from it that the hangings took place", text)


def test_historians_questions_rest_on_the_extracts_author_or_school():
    questions = load("questions")
    documents = load("documents").set_index("id")
    on_extracts = questions[
        questions["ref_ids"].map(lambda ids: all(i.startswith("hist_") for i in ids))
        & (questions.ref_table == "documents")
    ]
    assert len(on_extracts) >= 10
    matched = on_extracts[on_extracts["kind"] == "matching"]
    assert len(matched) >= 3
    for q in matched.itertuples():  # 'which historian would say': extracts matched to their school
        assert q.ref_field == "school" and documents.loc[q.ref_ids, "debate"].nunique() == 1, q.id


def test_explanations_of_questions_beyond_recall_read_at_grade_12_or_below():
    from test_documents import flesch_kincaid_grade

    questions = load("questions")
    thinking = questions[~questions["skill"].isin(["recall", "chronology"])].set_index("id")["explanation"]
    grades = thinking.map(flesch_kincaid_grade)
    assert grades[grades > 12].round(1).to_dict() == {}


# ---------------------------------------------------------------------------------------------
# Issue 14: exam-style questions with level-of-response mark schemes (added by `content`).
# ---------------------------------------------------------------------------------------------


def _bands(level: str) -> tuple[int, int]:
    """The marks a level covers: '(21-25)' in 'Level 5 (21-25): ...', or '1-3' / '4 marks' at the start."""
    label = level.split(":", 1)[0]
    found = re.search(r"\((\d+)-(\d+)\)", label) or re.match(r"(\d+)(?:-(\d+))?", label)
    low, high = found.group(1), found.group(2) or found.group(1)
    return int(low), int(high)


def test_every_lesson_from_2_to_9_has_an_exam_question():
    assert sorted(set(load("exam_questions")["lesson"])) == list(range(2, 10))


def test_exam_mark_schemes_run_from_full_marks_down_without_gaps():
    for q in load("exam_questions").itertuples():
        bands = [_bands(level) for level in q.levels]
        assert bands[0][1] == q.marks, q.id
        steps = zip(bands, bands[1:], strict=False)
        assert all(high == low_above - 1 for (low_above, _), (_, high) in steps), (q.id, bands)
        assert bands[-1][0] in (0, 1), q.id


@pytest.mark.parametrize(
    "paper,marks",
    [("Section B essay", 25), ("Section A sources", 30), ("Section A extracts", 30), ("Paper 2 essay", 15),
     ("Paper 1, question 2", 4)],
)  # fmt: skip
def test_exam_questions_carry_the_marks_of_the_paper_they_imitate(paper, marks):
    rows = load("exam_questions")
    rows = rows[rows["paper"].str.contains(paper, regex=False)]
    assert len(rows) and set(rows["marks"]) == {marks}


def test_exam_questions_say_how_their_format_was_checked_and_cite_works():
    for q in load("exam_questions").itertuples():
        assert re.search(r"https?://\S+", q.format_checked) or q.format_checked.startswith("not verified"), q.id
        assert len(q.sources) and re.search(r"\([A-Z][^()]*\d{4}|[A-Z][a-z]+ \(\d{4}\)", q.indicative), q.id


def test_source_and_extract_questions_name_the_documents_they_are_set_on():
    rows = load("exam_questions")
    on_documents = rows[rows["paper"].str.contains("sources|extracts|Paper 1, question")]
    assert len(on_documents) >= 5 and on_documents["documents"].map(len).gt(0).all()


def test_the_teacher_guides_exam_page_is_generated_from_the_data():
    import importlib.util

    from support import ROOT

    spec = importlib.util.spec_from_file_location("exam_questions_tool", ROOT / "tools" / "exam_questions.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    page = (ROOT / "docs" / "exam_questions.md").read_text(encoding="utf-8")
    assert page == tool.markdown(), "run: python tools/exam_questions.py"
    assert page.count("### ") == len(load("exam_questions"))


def test_ocr_questions_follow_the_verified_y219_two_part_form_and_say_the_bands_are_the_courses_own():
    rows = load("exam_questions").query("board_style == 'OCR'")
    assert len(rows) >= 4
    for q in rows.itertuples():
        assert "Y219 Russia 1894-1941" in q.paper, q.id
        part_a = q.paper.endswith("(a)")
        assert q.marks == (10 if part_a else 20), q.id
        if part_a:
            assert q.question.startswith("Which of these developments was more important in"), q.id
            assert q.question.endswith("Explain your answer with reference to both (i) and (ii)."), q.id
        else:
            assert q.paper.endswith("(b)*") and q.question.startswith("How far"), q.id
        assert "not checked against OCR" in q.format_checked and "vdocuments.site" in q.format_checked, q.id
