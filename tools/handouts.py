"""Build the printable handouts of lessons 2-9 as PDF, offline (a teacher's tool).

    python3 run.py handouts                       # every lesson, into build/handouts/
    python tools/handouts.py [LESSON ...] [--out DIR]

Per lesson, in A4 and in US Letter:

``lessonNN_worksheet_<size>.pdf``
    the central question; the lesson's documents (a primary document in its original wording,
    with the adapted version beside it where the original is hard to read, above Flesch-Kincaid
    grade 10; a historian's extract with its summary and task); a blank sourcing card per primary
    document; a writing frame for the central question.
``lessonNN_teacher_<size>.pdf``
    the editors' sourcing cards, what a strong answer to the central question includes, and the
    answers to the lesson's activities (dates, the card sort's order, the claims' verdicts).
``glossary_<size>.pdf``
    every term of ``data/glossary.csv``.
``timeline_<size>.pdf``
    the whole period, 1870-1991, on one landscape page: the events chart with the three eras.

Each worksheet also has the activity the teacher guide calls for (``ACTIVITIES``): a timeline
strip or a card sort of events from ``data/events.csv``, and the organiser the lesson uses (a
comparison grid, a continuity organiser, a factor-weighing table, a counts-and-hides frame or a
claim-checking table).

The text comes from ``data/documents.csv`` and ``data/prompts.csv`` (through ``lessons_lib``);
the HTML has print CSS and Debian's headless Chromium (``/usr/bin/chromium``) prints it.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lessons_lib.data import load  # noqa: E402
from lessons_lib.work import CARD_FIELDS  # noqa: E402

OUT = ROOT / "build" / "handouts"
CHROMIUM = Path("/usr/bin/chromium")
LESSONS = tuple(range(2, 10))
#: Paper name used in file names -> CSS ``@page size``.
SIZES = {"a4": "210mm 297mm", "letter": "8.5in 11in"}
LANDSCAPE = {"a4": "297mm 210mm", "letter": "11in 8.5in"}
KINDS = ("worksheet", "teacher")
COURSE = ("glossary", "timeline")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip
_KIND_LABEL = {"primary": "Primary document", "historian": "Historian's extract"}

CSS = """
@page { size: %(size)s; margin: 12mm 13mm 12mm 13mm; }
* { box-sizing: border-box; }
html { font-family: "DejaVu Serif", "Liberation Serif", Georgia, serif; font-size: 10.5pt; line-height: 1.35;
       color: #000; }
body { margin: 0; overflow-wrap: anywhere; }
h1 { font-size: 18pt; margin: 0 0 4pt 0; }
h2 { font-size: 14pt; margin: 14pt 0 6pt 0; border-bottom: 1pt solid #000; break-after: avoid; }
h3 { font-size: 12pt; margin: 10pt 0 4pt 0; break-after: avoid; }
p { margin: 0 0 5pt 0; orphans: 3; widows: 3; }
.meta { font-size: 10pt; color: #333; }
.question { border: 1.5pt solid #000; padding: 6pt 8pt; font-size: 13pt; margin: 8pt 0; break-inside: avoid; }
.doc { margin: 0 0 10pt 0; }
.version { border-left: 2pt solid #777; padding-left: 8pt; margin: 4pt 0 6pt 0; }
.pair { display: grid; grid-template-columns: 3fr 2fr; column-gap: 10pt; align-items: start; }
.pair .version { margin: 2pt 0 4pt 0; }
.pair .adapted { font-size: 10pt; }
.label { font-weight: bold; font-size: 10pt; text-transform: uppercase; letter-spacing: 0.5pt; }
.task { border: 1pt dashed #000; padding: 4pt 8pt; break-inside: avoid; page-break-inside: avoid; }
.teacher-card { border: 1pt solid #000; padding: 6pt 8pt; margin: 0 0 8pt 0; }
.card, .frame-part { border: 1pt solid #000; padding: 6pt 8pt; margin: 0 0 8pt 0;
       break-inside: avoid; page-break-inside: avoid; }
.card h3 { margin-top: 0; }
.card .fields { display: grid; grid-template-columns: 1fr 1fr; column-gap: 10pt; }
.field { margin: 0 0 6pt 0; break-inside: avoid; page-break-inside: avoid; }
.card .field { margin: 0 0 3pt 0; }
.card .field b { font-size: 10pt; }
.card .field .q { display: block; font-size: 8pt; line-height: 1.2; }
.card .field .line { height: 13pt; }
table.grid { width: 100%%; border-collapse: collapse; table-layout: fixed; margin: 4pt 0 8pt 0; }
table.grid th, table.grid td { border: 0.8pt solid #000; padding: 3pt 5pt; vertical-align: top; text-align: left; }
table.grid th { font-size: 10pt; background: #eee; }
table.grid td.blank { height: 50pt; }
table.grid tr { break-inside: avoid; page-break-inside: avoid; }
.small { font-size: 9.5pt; }
.cards { display: grid; grid-template-columns: 1fr 1fr; gap: 0; }
.cut { border: 1pt dashed #000; padding: 8pt; min-height: 24mm; font-size: 14pt; display: flex; align-items: center;
       break-inside: avoid; page-break-inside: avoid; }
.terms { columns: 2; column-gap: 12pt; }
.terms dt { break-after: avoid; } .terms dd { break-inside: avoid; margin-bottom: 4pt; font-size: 10pt; }
.chart svg { width: 100%%; height: auto; display: block; }
.field .q { font-size: 10pt; color: #333; }
.line { border-bottom: 0.6pt solid #666; height: 18pt; }
.newpage { break-before: page; page-break-before: always; }
.question, .frame-part, table.grid { break-inside: avoid; page-break-inside: avoid; }
h2 + p, h2 + .question { break-after: avoid; page-break-after: avoid; }
dl { margin: 0; } dt { font-weight: bold; margin-top: 3pt; break-after: avoid; } dd { margin: 0 0 0 12pt; }
"""


def _esc(value: Any) -> str:
    return html.escape(str(value))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value) or str(value).strip() in {"", "<NA>", "nan"}


def _inline(text: Any) -> str:
    """Escape `text`, then render the data's *italic* and **bold** marks."""
    out = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", _esc(text))
    return re.sub(r"\*(.+?)\*", r"<em>\1</em>", out)


def _paragraphs(text: Any) -> str:
    return "".join(f"<p>{_inline(p)}</p>" for p in str(text).splitlines() if p.strip())


def _date_text(doc: dict[str, Any]) -> str:
    text = str(doc["year"])
    if not _blank(doc.get("month")):
        month = _MONTHS[int(doc["month"]) - 1]
        text = f"{int(doc['day'])} {month} {text}" if not _blank(doc.get("day")) else f"{month} {text}"
    return text


def _lines(n: int) -> str:
    return '<div class="line"></div>' * n


def lesson_title(lesson: int) -> str:
    """Return the lesson's title: the first ``# `` heading of its notebook, or ``Lesson N``."""
    for path in sorted((ROOT / "notebooks").glob(f"{lesson:02d}_*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        for cell in cells:
            if cell.get("cell_type") != "markdown":
                continue
            for line in "".join(cell.get("source", [])).splitlines():
                if line.startswith("# "):
                    return re.sub(r"^Lesson \d+\s*[:.\-\u2013\u2014]\s*", "", line[2:].strip())
    return f"Lesson {lesson}"


def lesson_documents(lesson: int) -> list[dict[str, Any]]:
    """Return the rows of ``documents`` whose ``lessons`` include `lesson`, primary documents first."""
    rows = load("documents").to_dict("records")
    mine = [r for r in rows if lesson in [int(x) for x in r["lessons"]]]
    return sorted(mine, key=lambda r: r["kind"] != "primary")


def central_prompt(lesson: int) -> dict[str, Any]:
    """Return the ``prompts`` row of kind ``central`` for `lesson`."""
    rows = [r for r in load("prompts").to_dict("records") if r["kind"] == "central" and int(r["lesson"]) == lesson]
    if not rows:
        raise SystemExit(f"data/prompts.csv: no row of kind 'central' for lesson {lesson}.")
    return rows[0]


def _head(lesson: int, what: str, size: str, name_line: bool = True) -> str:
    title = f"Lesson {lesson}: {lesson_title(lesson)} - {what}"
    head = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{_esc(title)}</title>'
            f"<style>{CSS % {'size': size}}</style></head><body>"
            f"<h1>{_esc(title)}</h1>")  # fmt: skip
    if name_line:
        head += '<p class="meta">Name: ______________________ &nbsp; Class: ________ &nbsp; Date: ____________</p>'
    return head


#: A primary document's adapted version is printed beside its original only when the original reads
#: above this Flesch-Kincaid grade (the grade the course holds its own prose to, issue #14).
ADAPT_ABOVE = 10.0


def _syllables(word: str) -> int:
    """Count the syllables of an English `word` roughly: groups of vowels, less a silent final e."""
    word = word.lower()
    groups = len(re.findall(r"[aeiouy]+", word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and groups > 1:
        groups -= 1
    return max(1, groups)


def reading_grade(text: str) -> float:
    """Return the Flesch-Kincaid grade of `text`, from a rough syllable count (standard library only).

    For the course's documents it is close to textstat's figures (which the readability tests use)
    where it matters, near grade 10 (within 0.6), and further off only for texts that are hard by
    both counts (up to 7 grades, on long lists and ellipses).
    """
    words = re.findall(r"[A-Za-z]+(?:'[a-z]+)?", text)
    sentences = max(1, len(re.findall(r"[.!?]+(?:\s|$)", text)))
    if not words:
        return 0.0
    syllables = sum(_syllables(w) for w in words)
    return 0.39 * len(words) / sentences + 11.8 * syllables / len(words) - 15.59


def needs_adapted(doc: dict[str, Any]) -> bool:
    """Whether the worksheet prints the adapted version of primary document `doc` (its original is hard)."""
    return doc["kind"] == "primary" and not _blank(doc.get("adapted")) and reading_grade(str(doc["text"])) > ADAPT_ABOVE


def _document_html(doc: dict[str, Any]) -> str:
    """Return one document as HTML.

    A primary document's original wording, with its adapted version beside it when the original is
    hard (``needs_adapted``); a historian's extract with its summary under it; then the task.
    """
    kind = _KIND_LABEL.get(doc["kind"], doc["kind"])
    parts = [f'<section class="doc"><h3>[{_esc(doc["id"])}] {_esc(doc["title"])}</h3>',
             f'<p class="meta">{_esc(kind)} - {_esc(doc["author"])}, {_esc(_date_text(doc))}</p>']  # fmt: skip
    if doc["kind"] == "primary":
        original = f'<div class="version"><p class="label">Original wording</p>{_paragraphs(doc["text"])}'
        if not _blank(doc.get("translation")):
            original += f'<p class="meta">{_esc(doc["translation"])}</p>'
        original += "</div>"
        if needs_adapted(doc):
            adapted = (
                f'<div class="version adapted"><p class="label">Adapted version</p>{_paragraphs(doc["adapted"])}</div>'
            )
            parts.append(f'<div class="pair">{original}{adapted}</div>')
        else:
            parts.append(original)
    else:
        parts.append(f'<div class="version"><p class="label">Extract</p>{_paragraphs(doc["text"])}</div>')
        parts.append(f'<div class="version"><p class="label">In short</p>{_paragraphs(doc["adapted"])}</div>')
    if not _blank(doc.get("task")):
        parts.append(f'<div class="task"><p class="label">Task</p>{_paragraphs(doc["task"])}{_lines(3)}</div>')
    parts.append("</section>")
    return "".join(parts)


def _blank_card_html(doc: dict[str, Any]) -> str:
    fields = "".join(
        f'<div class="field"><b>{_esc(label)}</b> <span class="q">{_esc(question)}</span>{_lines(3)}</div>'
        for _, label, question in CARD_FIELDS
    )
    title = f"Sourcing card: [{_esc(doc['id'])}] {_esc(doc['author'])}"
    return f'<div class="card"><h3>{title}</h3><div class="fields">{fields}</div></div>'


def _frame_html(prompt: dict[str, Any]) -> str:
    parts = (
        ("Claim", "Your answer to the question in one or two sentences.", 3),
        ("Evidence", "Two or three pieces of evidence, each with its document id in [brackets], e.g. [doc_id].", 7),
        ("Counter-argument", "The strongest point against your claim, with its evidence.", 4),
        ("Judgement", "Weigh the two: which is more convincing, and why?", 4),
    )
    body = "".join(
        f'<div class="frame-part"><b>{_esc(name)}</b> <span class="q">{_esc(hint)}</span>{_lines(n)}</div>'
        for name, hint, n in parts
    )
    return f'<h2>Writing frame</h2><div class="question">{_esc(prompt["prompt"])}</div>{body}'


# --- Activities: what the teacher guide's "Support" notes call for, per lesson ------------------------

#: Per lesson: the events of a timeline strip (dates to fill in) or of a card sort (cut out, put in
#: order), ids of ``data/events.csv``; and the organiser (a key of ``_ORGANISERS``).
ACTIVITIES: dict[int, dict[str, Any]] = {
    2: {
        "strip": (
            "lenin_born",
            "stalin_born",
            "trotsky_born",
            "emancipation_of_labour",
            "rsdlp_first_congress",
            "what_is_to_be_done",
            "second_congress_split",
            "bloody_sunday",
            "petersburg_soviet_formed",
            "results_and_prospects",
            "zimmerwald",
            "february_revolution",
            "april_theses",
            "trotsky_joins_bolsheviks",
            "october_revolution",
        ),
        "organiser": "lives",
    },
    3: {"organiser": "grid"},
    4: {
        "sort": (
            "stalin_general_secretary",
            "letter_to_congress",
            "testament_postscript",
            "platform_of_46",
            "lenin_died",
            "thirteenth_congress",
            "socialism_in_one_country_stated",
            "fourteenth_congress",
            "trotsky_expelled_party",
            "trotsky_deported_turkey",
        ),
        "organiser": "why_stalin_won",
    },
    5: {"organiser": "counts_hides"},
    6: {
        "sort": (
            "cheka_founded",
            "red_terror_decree",
            "kronstadt_rising",
            "stalin_general_secretary",
            "kirov_murdered",
            "first_moscow_trial",
            "order_00447",
            "third_moscow_trial",
        ),
        "organiser": "continuity",
    },
    7: {
        "strip": (
            "trotsky_expelled_party",
            "trotsky_alma_ata",
            "trotsky_deported_turkey",
            "trotsky_to_france",
            "trotsky_to_norway",
            "trotsky_arrives_mexico",
            "fourth_international_founded",
            "trotsky_died",
        ),
        "organiser": "two_answers",
    },
    8: {"organiser": "claims"},
    9: {"organiser": "continuity", "second": "why_nep_ended"},
}

#: Factor-weighing tables: the question, then each factor with the historians the lesson names for it.
FACTORS = {
    "why_stalin_won": (
        "Why did Stalin, not Trotsky, win the struggle to succeed Lenin?",
        (
            ("Control of the party apparatus", "Trotsky (1936), Deutscher (1959), Daniels (1960)"),
            ("Trotsky's political misjudgements", "Service (2009), Kotkin (2014)"),
            ("The appeal of socialism in one country", "Cohen (1973)"),
            ("Shifting alliances", "Cohen (1973), Kotkin (2014)"),
        ),
    ),
    "why_nep_ended": (
        "Why did the NEP end?",
        (
            ("Crisis and improvisation (the grain procurement crisis of 1928)", "Lewin, Nove"),
            ("Ideology and conviction (the NEP as a tactical pause)", "Pipes, Malia, Kotkin"),
            ("A road not taken (a Bukharinist NEP was viable)", "Cohen (1973)"),
            ("The fulfilment of Lenin's plan (the official Soviet view)", "CPSU (1938)"),
        ),
    ),
}
#: Rows of the continuity organiser: features of the party-state to date under Lenin and under Stalin.
CONTINUITY = (
    "A political police",
    "Terror against opponents",
    "Other parties",
    "Factions inside the party",
    "Trials of leading Bolsheviks",
    "The scale of death sentences",
)
#: Claims of lesson 8's checking table (ids of ``data/claims.csv``): two of each verdict but contested.
CLAIMS = (
    "ts_expelled_1934_mexico",
    "ts_nobel_prize",
    "ls_stalin_introduced_repression",
    "ts_democratic_socialism",
    "ts_both_marxist",
    "ls_collective_vs_dictatorial",
)
#: Series of lesson 5's counts-and-hides frame (ids of ``data/series.csv``).
SERIES = ("gdp_per_capita", "grain_harvest", "famine_deaths_1932_33")


def _rows(table: str, ids: tuple[str, ...]) -> list[dict[str, Any]]:
    """Return the rows of `table` with `ids`, in that order; an unknown id names the table and the id."""
    rows = {r["id"]: r for r in load(table).to_dict("records")}
    unknown = [i for i in ids if i not in rows]
    if unknown:
        raise SystemExit(f"tools/handouts.py: no row {unknown} in data/{table}.csv")
    return [rows[i] for i in ids]


def _event_key(row: dict[str, Any]) -> tuple[int, int, int]:
    return tuple(0 if _blank(row.get(k)) else int(row[k]) for k in ("year", "month", "day"))


def _events_in_order(ids: tuple[str, ...]) -> list[dict[str, Any]]:
    return sorted(_rows("events", ids), key=_event_key)


def _table(headers: tuple[str, ...], rows: list[tuple[str, ...]], widths: tuple[int, ...] | None = None) -> str:
    cols = "".join(f'<col style="width:{w}%">' for w in widths) if widths else ""
    head = "".join(f"<th>{_esc(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(c if c.startswith("<td") else f"<td>{c}</td>" for c in row) + "</tr>" for row in rows
    )
    return f'<table class="grid"><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


_BLANK = '<td class="blank"></td>'


def strip_html(ids: tuple[str, ...], answers: bool = False) -> str:
    """Return a timeline strip: the events in order, their dates left blank (filled in with `answers`)."""
    rows = [(_esc(_date_text(e)) if answers else _BLANK, f"<b>{_esc(e['title'])}</b>") for e in _events_in_order(ids)]
    intro = (
        ""
        if answers
        else (
            "<p>Write the date of each event (year, and month where you can). Dates in Russia "
            "before February 1918: add 13 days to the Old Style date.</p>"
        )
    )
    return f"<h2>Timeline strip</h2>{intro}" + _table(("Date", "Event"), rows, (25, 75))


def sort_html(ids: tuple[str, ...], answers: bool = False) -> str:
    """Return a card sort: one card per event to cut out and put in order (the order, with dates, for `answers`)."""
    if answers:
        rows = [(str(n), _esc(_date_text(e)), _esc(e["title"])) for n, e in enumerate(_events_in_order(ids), 1)]
        return "<h2>Card sort: the order</h2>" + _table(("", "Date", "Event"), rows, (6, 24, 70))
    cards = sorted(_rows("events", ids), key=lambda e: e["title"])  # alphabetical: the order gives nothing away
    body = "".join(f'<div class="cut"><b>{_esc(e["title"])}</b></div>' for e in cards)
    return (
        '<h2 class="newpage">Card sort</h2><p>Cut out the cards along the dashed lines and put the events in '
        f'order. Then say which were turning points, and why.</p><div class="cards">{body}</div>'
    )


def _grid_html(answers: bool) -> str:
    if answers:
        return ""
    dims = load("dimensions").to_dict("records")
    rows = [
        (f"<b>{_esc(d['name'])}</b><br><span class='small'>{_esc(d['question'])}</span>", _BLANK, _BLANK, _BLANK)
        for d in dims
    ]
    return (
        "<h2>Comparison grid</h2><p>For each dimension, write each ideology&rsquo;s position in a "
        "few words; mark a contested position with a C.</p>"
        + _table(("Dimension", "Leninism", "Trotskyism", "Stalinism"), rows, (31, 23, 23, 23))
    )


def _factors_html(key: str, answers: bool) -> str:
    question, factors = FACTORS[key]
    if answers:
        rows = [(f"<b>{_esc(f)}</b>", _esc(who)) for f, who in factors]
        return f"<h2>Factor-weighing: who argues each</h2><p>{_esc(question)}</p>" + _table(
            ("Factor", "Historians"), rows
        )
    rows = [(f"<b>{_esc(f)}</b>", _BLANK, _BLANK, _BLANK) for f, _ in factors]
    return (
        f'<h2>Factor-weighing table</h2><div class="question">{_esc(question)}</div>'
        "<p>For each factor, give dated evidence with its source, weigh it from 1 (weak) to 5 (decisive) "
        "and rank the factors.</p>"
        + _table(("Factor", "Evidence (date, source)", "Weight 1-5", "Rank"), rows, (30, 50, 10, 10))
    )


def _continuity_html(answers: bool) -> str:
    if answers:
        return ""
    rows = [(f"<b>{_esc(f)}</b>", _BLANK, _BLANK, _BLANK) for f in CONTINUITY]
    return (
        "<h2>Continuity organiser</h2><p>Date each feature under Lenin and under Stalin (use "
        "the documents and the events you sorted), then judge: continuity, break, or both?</p>"
        + _table(
            ("Feature", "Under Lenin (1917-1924)", "Under Stalin (1929-1953)", "Continuity or break?"),
            rows,
            (22, 28, 28, 22),
        )
    )


def _counts_html(answers: bool) -> str:
    series = _rows("series", SERIES)
    if answers:
        rows = [(f"<b>{_esc(r['title'])}</b>", _esc(r["counts"]), _esc(r["excludes"])) for r in series]
        return "<h2>What each series counts and leaves out</h2>" + _table(("Series", "Counts", "Leaves out"), rows)
    rows = [(f"<b>{_esc(r['title'])}</b>", _BLANK, _BLANK, _BLANK) for r in series]
    return (
        "<h2>Counts and hides</h2><p>For each series: what does it count, what does it hide, "
        "and what does it tell us about the human cost?</p>"
        + _table(("Series", "What it counts", "What it hides", "The human cost"), rows, (25, 25, 25, 25))
    )


def _two_answers_html(answers: bool) -> str:
    if answers:
        return ""
    rows = [
        (f"<b>{q}</b>", _BLANK, _BLANK)
        for q in (
            "Who argued it, and when?",
            "The claim in one sentence",
            "What it meant for communists abroad",
            "A piece of evidence for it",
            "A piece of evidence against it",
        )
    ]
    return "<h2>Comparison grid: two answers</h2>" + _table(
        ("", "Permanent revolution", "Socialism in one country"), rows, (30, 35, 35)
    )


def _claims_html(answers: bool) -> str:
    claims = _rows("claims", CLAIMS)
    if answers:
        rows = [
            (f"&ldquo;{_esc(c['quote'])}&rdquo;", f"<b>{_esc(c['verdict'])}</b>", _esc(c["correction"])) for c in claims
        ]
        return "<h2>The claims: verdicts</h2>" + _table(("Claim", "Verdict", "Correction"), rows, (35, 13, 52))
    rows = [(f"&ldquo;{_esc(c['quote'])}&rdquo;", _BLANK, _BLANK) for c in claims]
    return (
        "<h2>Checking claims</h2><p>Verdict: accurate, misleading, false or contested. Give "
        "the evidence (a date, a source) for each verdict.</p>"
        + _table(("Claim", "Verdict", "Evidence (date, source)"), rows, (42, 16, 42))
    )


def _lives_html(answers: bool) -> str:
    if answers:
        return ""
    rows = [
        (f"<b>{q}</b>", _BLANK, _BLANK, _BLANK)
        for q in ("Born (where, family)", "Before 1903", "1903: which side?", "1905", "1917")
    ]
    return "<h2>Three lives</h2>" + _table(("", "Lenin", "Trotsky", "Stalin"), rows, (22, 26, 26, 26))


_ORGANISERS = {
    "grid": _grid_html,
    "continuity": _continuity_html,
    "counts_hides": _counts_html,
    "two_answers": _two_answers_html,
    "claims": _claims_html,
    "lives": _lives_html,
}


def organiser_html(key: str, answers: bool = False) -> str:
    """Return the organiser `key` of ``ACTIVITIES`` blank for the worksheet, or its answers (may be empty)."""
    if key in FACTORS:
        return _factors_html(key, answers)
    return _ORGANISERS[key](answers)


def activities_html(lesson: int, answers: bool = False) -> str:
    """Return the activities of `lesson` (``ACTIVITIES``), blank or with their answers for the teacher sheet."""
    spec = ACTIVITIES.get(lesson, {})
    parts = []
    if "strip" in spec:
        parts.append(strip_html(spec["strip"], answers))
    if "sort" in spec:
        parts.append(sort_html(spec["sort"], answers))
    parts += [organiser_html(spec[k], answers) for k in ("organiser", "second") if k in spec]
    return "".join(parts)


# --- Course sheets: the printed glossary and the printed timeline ------------------------------------


def _course_head(title: str, size: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{_esc(title)}</title>'
        f"<style>{CSS % {'size': size}}</style></head><body><h1>{_esc(title)}</h1>"
    )


def glossary_html(size: str = SIZES["a4"]) -> str:
    """Return the printed glossary: every term of ``data/glossary.csv`` in alphabetical order."""
    terms = sorted(load("glossary").to_dict("records"), key=lambda r: str(r["term"]).lower())
    body = "".join(f"<dt>{_esc(t['term'])}</dt><dd>{_inline(t['definition'])}</dd>" for t in terms)
    return (
        _course_head("Leninism, Trotskyism and Stalinism: glossary", size)
        + f'<dl class="terms">{body}</dl></body></html>'
    )


_PERIODS = (
    ("Before the revolution", 1870, 1916),
    ("Lenin's leadership", 1917, 1923),
    ("The succession struggle", 1924, 1928),
    ("Stalin's rule", 1929, 1953),
    ("After Stalin", 1954, 1991),
)


def timeline_html(size: str = LANDSCAPE["a4"]) -> str:
    """Return the printed timeline: every event of 1870-1991 in date order, by era, on one landscape page."""
    events = sorted(load("events").to_dict("records"), key=_event_key)
    parts = []
    for name, start, end in _PERIODS:
        rows = [e for e in events if start <= int(e["year"]) <= end]
        items = "".join(f"<li><b>{_esc(_short_date(e))}</b> {_esc(e['title'])}</li>" for e in rows)
        parts.append(f"<h3>{_esc(name)}, {start}-{end}</h3><ul>{items}</ul>")
    css = CSS % {"size": size} + _TIMELINE_CSS
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Timeline 1870-1991</title>'
            f"<style>{css}</style></head><body><h1>Leninism, Trotskyism and Stalinism: timeline 1870-1991</h1>"
            f'<p class="meta">Every event of the course (data/events.csv), New Style dates. The eras of the course: '
            f"Lenin's leadership 1917-1924, the succession struggle 1924-1929, Stalin's rule 1929-1953.</p>"
            f'<div class="timeline">{"".join(parts)}</div></body></html>')  # fmt: skip


_TIMELINE_CSS = """
@page { margin: 8mm 10mm; }
h1 { font-size: 13pt; } .meta { font-size: 8pt; margin-bottom: 3pt; }
.timeline { columns: 4; column-gap: 8pt; font-size: 6.6pt; line-height: 1.2; }
.timeline h3 { font-size: 8pt; margin: 2pt 0 1pt 0; border-bottom: 0.5pt solid #000; }
.timeline ul { list-style: none; margin: 0 0 3pt 0; padding: 0; }
.timeline li { break-inside: avoid; padding-left: 3.2em; text-indent: -3.2em; }
"""


def _short_date(event: dict[str, Any]) -> str:
    month = "" if _blank(event.get("month")) else f" {_MONTHS[int(event['month']) - 1][:3]}"
    return f"{int(event['year'])}{month}"


def worksheet_html(lesson: int, size: str = "A4") -> str:
    """Return the worksheet of `lesson` as a printable HTML page for paper `size` ("A4" or "letter")."""
    prompt = central_prompt(lesson)
    docs = lesson_documents(lesson)
    primaries = [d for d in docs if d["kind"] == "primary"]
    out = [_head(lesson, "worksheet", size), f'<p class="label">Central question</p><div class="question">'
           f"{_esc(prompt['prompt'])}</div>", "<h2>Documents</h2>", *map(_document_html, docs)]  # fmt: skip
    if primaries:
        out += ['<h2 class="newpage">Sourcing cards</h2>', *map(_blank_card_html, primaries)]
    out += [activities_html(lesson), _frame_html(prompt), "</body></html>"]
    return "".join(out)


def teacher_html(lesson: int, size: str = "A4") -> str:
    """Return the teacher sheet of `lesson`: editors' sourcing cards and the strong answer's points."""
    prompt = central_prompt(lesson)
    out = [_head(lesson, "teacher sheet", size, name_line=False),
           f'<p class="label">Central question</p><div class="question">{_esc(prompt["prompt"])}</div>',
           "<h2>What a strong answer includes</h2>", _paragraphs(prompt["strong_answer"]),
           "<h2>The editors' sourcing cards</h2>"]  # fmt: skip
    for doc in lesson_documents(lesson):
        rows = "".join(
            f"<dt>{_esc(label)}</dt><dd>{_esc(doc.get('card_' + name, ''))}</dd>"
            for name, label, _ in CARD_FIELDS
            if not _blank(doc.get("card_" + name))
        )
        out.append(f'<div class="teacher-card"><h3>[{_esc(doc["id"])}] {_esc(doc["title"])}</h3><dl>{rows}</dl></div>')
    answers = activities_html(lesson, answers=True)
    if answers:
        out += ['<h2 class="newpage">Answers to the activities</h2>', answers]
    out.append("</body></html>")
    return "".join(out)


def print_pdf(html_path: Path, pdf_path: Path) -> None:
    """Print `html_path` to `pdf_path` with headless Chromium (offline; its page size comes from the CSS)."""
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium).")
    with tempfile.TemporaryDirectory(prefix="handouts-chromium-") as profile:
        args = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={pdf_path}",
                html_path.resolve().as_uri()]  # fmt: skip
        done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if done.returncode != 0 or not pdf_path.exists():
        raise SystemExit(f"chromium could not print {html_path} (exit {done.returncode}): {done.stderr[-2000:]}")


def build(
    lessons: list[int] | tuple[int, ...] = LESSONS,
    out: Path = OUT,
    kinds: tuple[str, ...] = KINDS,
    sizes: tuple[str, ...] = tuple(SIZES),
    course: tuple[str, ...] = COURSE,
) -> list[Path]:
    """Write the handouts of each lesson, and the course's glossary and timeline, as PDF into `out`.

    Parameters
    ----------
    lessons
        Lesson numbers (2-9).
    out
        Output folder; the HTML each PDF is printed from is kept next to it.
    kinds
        ``"worksheet"`` and/or ``"teacher"``.
    sizes
        Paper names from ``SIZES`` (``"a4"``, ``"letter"``).
    course
        ``"glossary"`` and/or ``"timeline"``: the course-wide sheets (none with ``()``).

    Returns
    -------
    list of Path
        The PDFs written.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    jobs = []
    for lesson in lessons:
        for kind in kinds:
            for name in sizes:
                page = (worksheet_html if kind == "worksheet" else teacher_html)(lesson, SIZES[name])
                html_path = out / f"lesson{lesson:02d}_{kind}_{name}.html"
                html_path.write_text(page, encoding="utf-8")
                jobs.append((html_path, html_path.with_suffix(".pdf")))
    for sheet in course:
        for name in sizes:
            page = glossary_html(SIZES[name]) if sheet == "glossary" else timeline_html(LANDSCAPE[name])
            html_path = out / f"{sheet}_{name}.html"
            html_path.write_text(page, encoding="utf-8")
            jobs.append((html_path, html_path.with_suffix(".pdf")))
    with ThreadPoolExecutor(max_workers=4) as pool:  # Chromium mostly waits on start-up, not on the CPU
        list(pool.map(lambda job: print_pdf(*job), jobs))
    return [pdf for _, pdf in jobs]


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, build the handouts and print where they are."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", type=int, help="lesson numbers (default: 2-9)")
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default: build/handouts)")
    args = parser.parse_args(argv)
    wrong = [n for n in args.lessons if n not in LESSONS]
    if wrong:
        parser.error(f"no handouts for lesson(s) {wrong}: choose from {list(LESSONS)}")
    paths = build(args.lessons or LESSONS, args.out)
    print(f"handouts: wrote {len(paths)} PDFs into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
