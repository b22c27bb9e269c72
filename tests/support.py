"""Shared test data: the repository root and a tiny valid copy of every table (no fixtures here)."""

from __future__ import annotations

import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"

# One or two valid rows per table: enough to exercise every schema rule without the real data.
# One table row per line, as in the CSV files.
# fmt: off
MINI = {
    "sources": [
        ["id", "kind", "author", "title", "year", "publisher", "url", "pages", "note"],
        ["service_2000", "scholarly", "Robert Service", "Lenin: A Biography", "2000", "Macmillan", "", "", ""],
    ],
    "ideologies": [
        ["id", "name", "figure_id", "start_year", "end_year", "summary", "color", "marker", "linestyle", "sources"],
        ["leninism", "Leninism", "lenin", "1902", "1924", "Lenin's ideas.", "#D55E00", "o", "-", "service_2000"],
        ["stalinism", "Stalinism", "lenin", "1924", "1953", "Stalin's system.", "#009E73", "^", ":", "service_2000"],
    ],
    "dimensions": [
        ["id", "name", "question", "in_article"],
        ["foundational_ideology", "Foundational ideology", "What is the theory?", "true"],
    ],
    "eras": [
        ["id", "name", "start_year", "end_year", "description", "sources"],
        ["lenin", "Lenin's leadership", "1917", "1924", "October to Lenin's death.", "service_2000"],
    ],
    "traditions": [
        ["id", "name", "description", "sources"],
        ["revisionist", "Revisionist", "Social historians.", "service_2000"],
    ],
    "positions": [
        ["ideology_id", "dimension_id", "summary", "explanation", "contested", "contested_note", "sources"],
        ["leninism", "foundational_ideology", "A vanguard party.", "Long text.", "false", "", "service_2000"],
    ],
    "perspectives": [
        ["dimension_id", "tradition_id", "reading", "proponents", "sources"],
        ["foundational_ideology", "revisionist", "A reading.", "Cohen", "service_2000"],
    ],
    "figures": [
        ["id", "name", "full_name", "born", "died", "summary", "alignment", "sources"],
        [
            "lenin",
            "Vladimir Lenin",
            "Vladimir Ilyich Ulyanov",
            "1870-04-22",
            "1924-01-21",
            "Leader.",
            "",
            "service_2000",
        ],
    ],
    "roles": [
        ["figure_id", "kind", "role", "faction", "start_year", "end_year", "sources"],
        ["lenin", "office", "Chairman of Sovnarkom", "", "1917", "1924", "service_2000"],
    ],
    "categories": [
        ["id", "label", "color", "marker", "weight", "adjective"],
        ["writing", "Writing", "#0072B2", "s", "1", "Writing"],
        ["politics", "Politics", "#D55E00", "o", "2", "Political"],
        ["economy", "Economy", "#009E73", "^", "2", "Economic"],
        ["repression", "Repression", "#000000", "X", "2", "Repression"],
        ["international", "International", "#CC79A7", "D", "2", "International"],
        ["biography", "Biography", "#E69F00", "v", "0", "Biographical"],
    ],
    "events": [
        [
            "id",
            "year",
            "month",
            "day",
            "precision",
            "old_style_date",
            "title",
            "description",
            "category",
            "figures",
            "ideologies",
            "sources",
        ],
        [
            "lenin_born",
            "1870",
            "4",
            "22",
            "day",
            "1870-04-10",
            "Lenin is born",
            "Born in Simbirsk.",
            "biography",
            "lenin",
            "leninism",
            "service_2000",
        ],
        [
            "what_is_to_be_done",
            "1902",
            "",
            "",
            "year",
            "",
            "What Is to Be Done?",
            "A pamphlet.",
            "writing",
            "lenin",
            "leninism",
            "service_2000",
        ],
    ],
    "policies": [
        [
            "id",
            "name",
            "start_year",
            "start_month",
            "end_year",
            "end_month",
            "era",
            "category",
            "leader_id",
            "ideologies",
            "description",
            "sources",
        ],
        [
            "nep",
            "New Economic Policy",
            "1921",
            "3",
            "1928",
            "",
            "lenin",
            "economy",
            "lenin",
            "leninism",
            "A retreat.",
            "service_2000",
        ],
    ],
    "quotes": [
        ["id", "figure_id", "ideology_id", "text", "work", "year", "date", "audience", "purpose", "sources"],
        ["q1", "lenin", "leninism", "Short words.", "A work", "1902", "", "Party members", "Persuade", "service_2000"],
    ],
    "glossary": [
        ["id", "term", "definition", "related", "sources"],
        ["nep", "NEP", "A policy.", "", "service_2000"],
    ],
    "series": [
        ["id", "title", "unit", "counts", "excludes", "caveats", "sources", "gaps"],
        ["gdp", "GDP", "dollars", "GDP per head", "nothing", "estimates", "service_2000", ""],
    ],
    "observations": [
        ["series_id", "year", "category", "variant", "category_label", "variant_label", "value", "low", "high",
         "source_id", "note"],
        ["gdp", "1913", "all", "estimate", "All", "Estimate", "2254", "", "", "service_2000", ""],
        ["gdp", "1932", "all", "range", "All", "Range", "", "5", "7", "service_2000", ""],
    ],
    "articles": [
        ["id", "title", "about", "byline", "last_updated", "references", "provenance"],
        ["leninism_vs_stalinism", "Leninism vs Stalinism", "comparing them", "", "", "", "No author."],
    ],
    "claims": [
        ["id", "article", "quote", "dimension_id", "verdict", "correction", "sources"],
        ["c1", "leninism_vs_stalinism", "A claim.", "", "misleading", "A correction.", "service_2000"],
    ],
    "questions": [
        [
            "id",
            "lesson",
            "kind",
            "prompt",
            "options",
            "answer",
            "explanation",
            "ref_table",
            "ref_ids",
            "ref_field",
            "sources",
            "skill",
            "evidence",
            "in_class",
        ],
        [
            "qq1",
            "2",
            "multiple_choice",
            "When?",
            "1870|1902",
            "1870",
            "Because.",
            "events",
            "lenin_born",
            "year",
            "service_2000",
            "chronology",
            "",
            "true",
        ],
    ],
    "documents": [
        [
            "id", "lessons", "kind", "author", "title", "year", "month", "day", "precision", "old_style_date",
            "text", "adapted", "translation", "verified_at", "audience", "purpose", "context", "rights", "sources",
            "card_author", "card_date", "card_audience", "card_purpose", "card_could_know", "card_trust",
            "card_doubt", "task", "debate", "school",
        ],
        [
            "wtbd_extract", "2;3", "primary", "V. I. Lenin", "What Is to Be Done?", "1902", "", "", "year", "",
            "The words as published.", "Plain words.", "", "A retrieved copy, p. 1", "Party members", "Persuade",
            "Exile.", "Public domain", "service_2000", "Lenin", "1902", "Party members", "Persuade", "Much",
            "Own words", "A polemic", "1. Why?", "", "",
        ],
        [
            "service_on_lenin", "2", "historian", "Robert Service", "Lenin: A Biography", "2000", "", "", "year", "",
            "A historian's words.", "", "", "The book, p. 2", "", "", "", "Fair dealing", "service_2000",
            "", "", "", "", "", "", "", "1. How convincing?", "why_lenin_won", "Liberal",
        ],
    ],
    "prompts": [
        ["id", "lesson", "kind", "prompt", "strong_answer", "sources"],
        ["l02_central", "2", "central", "Why *this*?", "A strong answer says why.", "service_2000"],
    ],
    "exemplars": [
        ["id", "prompt_id", "level", "text", "annotations", "sources"],
        ["l02_central_weak", "l02_central", "weak", "Lenin won.", "argument: No thesis.", "service_2000"],
    ],
    "rubric": [
        ["id", "criterion", "weight", "strong", "middle", "weak"],
        ["argument", "Argument", "100", "A clear thesis.", "A thesis that drifts.", "No thesis."],
    ],
    "curriculum": [
        ["id", "lesson", "board", "qualification", "component", "spec_point", "coverage", "verified", "verification_note"],
        ["l03_aqa_1h_ideology", "3", "AQA", "A-level History 7042", "1H (key question)", "How important were ideas and ideology?",
         "main", "https://www.aqa.org.uk/", "Official page retrieved."],
    ],
    "exam_questions": [
        ["id", "lesson", "board_style", "paper", "question", "marks", "levels", "indicative", "documents", "sources",
         "format_checked"],
        ["l02_exam_aqa_lenin", "2", "AQA", "Component 2, Section B essay", "'Lenin mattered most.' Assess the validity of this view.",
         "25", "Level 2 (13-25): argued|Level 1 (1-12): described", "Lenin's April Theses (Service 2000).", "", "service_2000",
         "not verified: a test row."],
    ],
    "factors": [
        ["id", "name", "argument"],
        ["apparatus", "Control of the party apparatus", "Stalin controlled appointments."],
    ],
    "emphases": [
        ["id", "historian", "source", "factor", "emphasis", "note", "locator", "checked"],
        ["service_2000_apparatus", "Service (2000)", "service_2000", "apparatus", "main", "He stresses it.", "", ""],
    ],
}
# fmt: on


def write_table(folder: Path, name: str, rows: list[list[str]]) -> Path:
    path = folder / f"{name}.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return path
