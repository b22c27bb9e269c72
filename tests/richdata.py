"""A small but varied valid data package for the query, style and chart tests.

``write_rich_package(folder)`` overwrites some tables of the ``mini_data`` package (see
conftest.py) with a few rows each: three ideologies, four figures with offices and factions,
three dimensions with contested cells, events in every category, policies with and without
months, and three series (a trend with a range, plan targets against results, livestock in two
years). The rows only exercise the code: they are not course content.
"""

from __future__ import annotations

import csv
from pathlib import Path

S = "service_2000"

# One table row per line, as in the CSV files.
# fmt: off
TABLES: dict[str, list[list[str]]] = {
    "sources": [
        ["id", "kind", "author", "title", "year", "publisher", "url", "pages", "note"],
        [S, "scholarly", "Robert Service", "Lenin: A Biography", "2000", "Macmillan", "", "", ""],
        ["kotkin_2014", "scholarly", "Stephen Kotkin", "Stalin, Volume I", "2014", "Penguin Press", "", "", ""],
        ["davies_1994", "scholarly", "R. W. Davies et al.", "The Economic Transformation", "1994", "CUP", "", "", ""],
    ],
    "ideologies": [
        ["id", "name", "figure_id", "start_year", "end_year", "summary", "color", "marker", "linestyle", "sources"],
        ["leninism", "Leninism", "lenin", "1902", "1924", "L.", "#D55E00", "o", "-", S],
        ["trotskyism", "Trotskyism", "trotsky", "1923", "1940", "T.", "#0072B2", "s", "--", S],
        ["stalinism", "Stalinism", "stalin", "1924", "1953", "S.", "#009E73", "^", ":", "kotkin_2014"],
    ],
    "figures": [
        ["id", "name", "full_name", "born", "died", "summary", "alignment", "sources"],
        ["lenin", "Vladimir Lenin", "", "1870-04-22", "1924-01-21", "Leader.", "", S],
        ["trotsky", "Leon Trotsky", "", "1879-11-07", "1940-08-21", "Leader.", "Left Opposition", S],
        ["stalin", "Joseph Stalin", "", "1878-12-18", "1953-03-05", "Leader.", "", "kotkin_2014"],
        ["bukharin", "Nikolai Bukharin", "", "1888-10-09", "1938-03-15", "Theorist.", "Right", "kotkin_2014"],
    ],
    "roles": [
        ["figure_id", "kind", "role", "faction", "start_year", "end_year", "sources"],
        ["lenin", "office", "Chairman of Sovnarkom", "", "1917", "1924", S],
        ["trotsky", "office", "War Commissar", "", "1918", "1925", S],
        ["stalin", "office", "General Secretary", "", "1922", "1952", "kotkin_2014"],
        ["trotsky", "faction", "Left Opposition", "Left Opposition", "1923", "1927", S],
        ["bukharin", "faction", "Right Opposition", "Right Opposition", "1928", "1929", "kotkin_2014"],
        ["stalin", "faction", "Stalin's majority", "Stalin's majority", "1924", "1929", "kotkin_2014"],
        ["lenin", "faction", "Leader of the Bolshevik faction", "Bolsheviks", "1903", "1917", S],
        ["trotsky", "faction", "Joined the Bolsheviks", "Bolsheviks", "1917", "1917", S],
    ],
    "dimensions": [
        ["id", "name", "question", "in_article"],
        ["foundational_ideology", "Foundational ideology", "Q?", "true"],
        ["economic_policy", "Economic policy", "Q?", "true"],
        ["political_repression", "Political repression", "Q?", "true"],
    ],
    "eras": [
        ["id", "name", "start_year", "end_year", "description", "sources"],
        ["lenin", "Lenin's leadership", "1917", "1924", "D.", S],
        ["succession", "The succession struggle", "1924", "1929", "D.", S],
        ["stalin", "Stalin's rule", "1929", "1953", "D.", "kotkin_2014"],
    ],
    "positions": [
        ["ideology_id", "dimension_id", "summary", "explanation", "contested", "contested_note", "sources"],
        ["leninism", "foundational_ideology", "A vanguard party leads the workers.", "E.", "false", "", S],
        ["trotskyism", "foundational_ideology", "Permanent revolution, spreading abroad.", "E.", "false", "", S],
        ["stalinism", "foundational_ideology", "Socialism in one country.", "E.", "true", "Continuity or break?",
         "kotkin_2014"],
        ["leninism", "economic_policy", "War communism, then the NEP.", "E.", "false", "", S],
        ["trotskyism", "economic_policy", "Planned industrialisation, voluntary collectives.", "E.", "false", "", S],
        ["stalinism", "economic_policy", "Forced collectivisation and five-year plans.", "E.", "false", "",
         "davies_1994"],
        ["leninism", "political_repression", "Cheka and Red Terror.", "E.", "true", "How far did it lead on?", S],
        ["stalinism", "political_repression", "Mass terror of 1937-38.", "E.", "false", "", "kotkin_2014"],
    ],
    "events": [
        ["id", "year", "month", "day", "precision", "old_style_date", "title", "description", "category",
         "figures", "ideologies", "sources"],
        ["lenin_born", "1870", "4", "22", "day", "1870-04-10", "Lenin is born", "D.", "biography", "lenin",
         "leninism", S],
        ["what_is_to_be_done", "1902", "", "", "year", "", "What Is to Be Done?", "D.", "writing", "lenin",
         "leninism", S],
        ["october", "1917", "11", "7", "day", "1917-10-25", "October Revolution", "D.", "politics",
         "lenin;trotsky", "leninism;trotskyism", S],
        ["cheka", "1917", "12", "20", "day", "1917-12-07", "Cheka founded", "D.", "repression", "lenin",
         "leninism", S],
        ["nep", "1921", "3", "", "month", "", "NEP adopted", "D.", "economy", "lenin", "leninism", S],
        ["lenin_dies", "1924", "1", "21", "day", "", "Lenin dies", "D.", "biography", "lenin", "", S],
        ["sioc", "1924", "12", "", "month", "", "Socialism in one country", "D.", "writing", "stalin;bukharin",
         "stalinism", "kotkin_2014"],
        ["trotsky_expelled", "1927", "11", "", "month", "", "Trotsky expelled from the party", "D.", "politics",
         "trotsky;stalin", "trotskyism;stalinism", "kotkin_2014"],
        ["fyp", "1928", "10", "1", "day", "", "First Five-Year Plan", "D.", "economy", "stalin", "stalinism",
         "davies_1994"],
        ["trotsky_deported", "1929", "2", "", "month", "", "Trotsky deported to Turkey", "D.", "international",
         "trotsky", "trotskyism", S],
        ["terror", "1937", "", "", "year", "", "Great Terror", "D.", "repression", "stalin;bukharin",
         "stalinism", "kotkin_2014"],
    ],
    "policies": [
        ["id", "name", "start_year", "start_month", "end_year", "end_month", "era", "category", "leader_id",
         "ideologies", "description", "sources"],
        ["war_communism", "War Communism", "1918", "6", "1921", "3", "lenin", "economy", "lenin", "leninism",
         "D.", S],
        ["red_terror", "Red Terror", "1918", "9", "1922", "", "lenin", "repression", "lenin", "leninism", "D.", S],
        ["nep", "New Economic Policy", "1921", "3", "1928", "", "lenin", "economy", "lenin", "leninism", "D.", S],
        ["sioc", "Socialism in one country", "1924", "", "1953", "", "succession", "international", "stalin",
         "stalinism", "D.", "kotkin_2014"],
        ["collectivisation", "Forced collectivisation", "1929", "11", "1937", "", "stalin", "economy", "stalin",
         "stalinism", "D.", "davies_1994"],
        ["ban_factions", "Ban on factions", "1921", "3", "1921", "3", "lenin", "politics", "lenin", "", "D.", S],
    ],
    "series": [
        ["id", "title", "unit", "counts", "excludes", "caveats", "sources", "gaps"],
        ["gdp", "GDP per head", "1990 dollars", "GDP per head", "nothing", "estimates", "davies_1994", ""],
        ["fyp_targets", "First Five-Year Plan: targets and results", "million tonnes", "output", "n", "c",
         "davies_1994", ""],
        ["livestock", "Livestock, 1929 and 1934", "million head", "animals", "n", "c", "davies_1994", ""],
    ],
    "observations": [
        ["series_id", "year", "category", "variant", "category_label", "variant_label", "value", "low", "high",
         "source_id", "note"],
        ["gdp", "1913", "all", "estimate", "All", "Estimate", "1488", "", "", "davies_1994", ""],
        ["gdp", "1920", "all", "estimate", "All", "Estimate", "", "800", "1000", "davies_1994", ""],
        ["gdp", "1928", "all", "estimate", "All", "Estimate", "1370", "", "", "davies_1994", ""],
        ["gdp", "1932", "all", "estimate", "All", "Estimate", "1440", "", "", "davies_1994", ""],
        ["gdp", "1937", "all", "estimate", "All", "Estimate", "1990", "", "", "davies_1994", ""],
        ["fyp_targets", "1932", "coal", "target", "Coal", "Target", "75", "", "", "davies_1994", ""],
        ["fyp_targets", "1932", "coal", "result", "Coal", "Result", "64", "", "", "davies_1994", ""],
        ["fyp_targets", "1932", "steel", "target", "Steel", "Target", "10", "", "", "davies_1994", ""],
        ["fyp_targets", "1932", "steel", "result", "Steel", "Result", "", "5.5", "6.2", "davies_1994", ""],
        ["livestock", "1929", "cattle", "estimate", "Cattle", "Estimate", "67", "", "", "davies_1994", ""],
        ["livestock", "1934", "cattle", "estimate", "Cattle", "Estimate", "42", "", "", "davies_1994", ""],
        ["livestock", "1929", "pigs", "estimate", "Pigs", "Estimate", "20", "", "", "davies_1994", ""],
        ["livestock", "1934", "pigs", "estimate", "Pigs", "Estimate", "11", "", "", "davies_1994", ""],
    ],
    "traditions": [
        ["id", "name", "description", "sources"],
        ["liberal_totalitarian", "Totalitarian school", "D.", S],
        ["revisionist", "Revisionist", "D.", S],
        ["trotskyist", "Trotskyist", "D.", S],
    ],
    "perspectives": [
        ["dimension_id", "tradition_id", "reading", "proponents", "sources"],
        ["political_repression", "revisionist", "Pressures from below.", "Getty", S],
        ["political_repression", "liberal_totalitarian", "Terror was the system.", "Conquest", S],
        ["economic_policy", "trotskyist", "Betrayed revolution.", "Deutscher", S],
    ],
}
# fmt: on


def write_rich_package(folder: Path) -> Path:
    """Overwrite tables of a ``mini_data`` folder with the rows above; return the folder."""
    for name, rows in TABLES.items():
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh, lineterminator="\n").writerows(rows)
    return folder
