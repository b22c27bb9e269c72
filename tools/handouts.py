"""Build the printable handouts of lessons 2-9 as PDF, offline (a teacher's tool).

    python3 run.py handouts                       # every lesson, into build/handouts/
    python tools/handouts.py [LESSON ...] [--out DIR]

Per lesson, in A4 and in US Letter:

``lessonNN_worksheet_<size>.pdf``
    one per student: the central question; each of the lesson's documents in its adapted version
    (a historian's extract in its short summary) with its task; a blank sourcing card per primary
    document; the lesson's activities (below); a writing frame for the central question.
``lessonNN_pack_<size>.pdf``
    the document pack, one per table: every document of the lesson in its original wording, with
    its translator and sources, in the order of the worksheet.
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

The documents are exactly the ones the lesson shows: the ids its notebook passes to
``documents([...])`` (``lesson_documents``). The text comes from ``data/documents.csv`` and
``data/prompts.csv`` (through ``lessons_lib``);
the HTML has print CSS and Debian's headless Chromium (``/usr/bin/chromium``) prints it.
"""

from __future__ import annotations

import argparse
import ast
import html
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lessons_lib.data import format_sources, load  # noqa: E402
from lessons_lib.work import CARD_FIELDS  # noqa: E402

OUT = ROOT / "build" / "handouts"
CHROMIUM = Path("/usr/bin/chromium")
LESSONS = tuple(range(2, 10))
#: Paper name used in file names -> CSS ``@page size``.
SIZES = {"a4": "210mm 297mm", "letter": "8.5in 11in"}
LANDSCAPE = {"a4": "297mm 210mm", "letter": "11in 8.5in"}
KINDS = ("worksheet", "pack", "teacher")
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
.doc { margin: 0 0 10pt 0; break-inside: avoid; page-break-inside: avoid; }
.pack .doc { break-inside: auto; page-break-inside: auto; }
.version { border-left: 2pt solid #777; padding-left: 8pt; margin: 4pt 0 6pt 0; }
.label { font-weight: bold; font-size: 10pt; text-transform: uppercase; letter-spacing: 0.5pt; }
.task { border: 1pt dashed #000; padding: 4pt 8pt; break-inside: avoid; page-break-inside: avoid; }
.docbody { display: grid; grid-template-columns: 3fr 2fr; column-gap: 10pt; align-items: start; }
.docbody .version { margin: 0; font-size: 10pt; line-height: 1.3; }
.docbody .task { font-size: 9.5pt; line-height: 1.3; }
.doc h3 { font-size: 11pt; margin-top: 6pt; } .doc .meta { font-size: 9pt; margin-bottom: 3pt; }
.frame { break-inside: avoid; page-break-inside: avoid; }
.teacher-card { border: 1pt solid #000; padding: 6pt 8pt; margin: 0 0 8pt 0; break-inside: avoid;
       page-break-inside: avoid; }
.card, .frame-part { border: 1pt solid #000; padding: 6pt 8pt; margin: 0 0 8pt 0;
       break-inside: avoid; page-break-inside: avoid; }
.card h3 { margin-top: 0; font-size: 11pt; }
.card .fields { display: grid; grid-template-columns: repeat(6, 1fr); column-gap: 10pt; }
.card .field { grid-column: span 3; } .card .field:nth-child(-n+3) { grid-column: span 2; }
.field { margin: 0 0 6pt 0; break-inside: avoid; page-break-inside: avoid; }
.card .field { margin: 0 0 3pt 0; }
.card .field b { font-size: 10pt; }
.card .field .q { display: block; font-size: 8pt; line-height: 1.2; }
.card .field .line { height: 17pt; }
table.grid { width: 100%%; border-collapse: collapse; table-layout: fixed; margin: 4pt 0 8pt 0; }
table.grid th, table.grid td { border: 0.8pt solid #000; padding: 3pt 5pt; vertical-align: top; text-align: left; }
table.grid th { font-size: 10pt; background: #eee; }
table.grid td.blank { height: 50pt; } table.grid td.date { height: 19pt; }
.unit { break-inside: avoid; page-break-inside: avoid; }
table.grid.split, .unit:has(table.split) { break-inside: auto; page-break-inside: auto; }
table.grid tr { break-inside: avoid; page-break-inside: avoid; }
.small { font-size: 9.5pt; }
.cards { display: grid; grid-template-columns: 1fr 1fr; gap: 0; }
.cut { border: 1pt dashed #000; padding: 6pt 8pt; min-height: 18mm; font-size: 12.5pt; display: flex;
       align-items: center; break-inside: avoid; page-break-inside: avoid; }
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


def _questions(text: Any) -> str:
    """Return a task as paragraphs, each numbered question ("1. ... 2. ...") on its own line."""
    return _paragraphs(re.sub(r"\s+(?=\d\.\s)", "\n", str(text)))


def _date_text(doc: dict[str, Any]) -> str:
    text = str(doc["year"])
    if not _blank(doc.get("month")):
        month = _MONTHS[int(doc["month"]) - 1]
        text = f"{int(doc['day'])} {month} {text}" if not _blank(doc.get("day")) else f"{month} {text}"
    return text


def _lines(n: int) -> str:
    return '<div class="line"></div>' * n


def notebook_path(lesson: int) -> Path:
    """Return the notebook of `lesson` (``notebooks/NN_*.ipynb``)."""
    paths = sorted((ROOT / "notebooks").glob(f"{lesson:02d}_*.ipynb"))
    if not paths:
        raise SystemExit(f"no notebook notebooks/{lesson:02d}_*.ipynb for lesson {lesson}")
    return paths[0]


def _cells(lesson: int) -> list[dict[str, Any]]:
    cells: list[dict[str, Any]] = json.loads(notebook_path(lesson).read_text(encoding="utf-8")).get("cells", [])
    return cells


def lesson_title(lesson: int) -> str:
    """Return the lesson's title: the first ``# `` heading of its notebook, or ``Lesson N``."""
    for cell in _cells(lesson):
        if cell.get("cell_type") != "markdown":
            continue
        for line in "".join(cell.get("source", [])).splitlines():
            if line.startswith("# "):
                return re.sub(r"^Lesson \d+\s*[:.\-\u2013\u2014]\s*", "", line[2:].strip())
    return f"Lesson {lesson}"


def lesson_document_ids(lesson: int) -> list[str]:
    """Return the ids of the documents `lesson` shows, in the notebook's order.

    They are the ids its code cells pass to ``documents([...])``: the lesson's document pack as the
    learner sees it, so a worksheet holds the same documents as its lesson, no more and no fewer.
    """
    ids: list[str] = []
    for cell in _cells(lesson):
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell.get("source", []))
        if "documents(" not in source:
            continue
        calls = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call)]
        for call in sorted(calls, key=lambda n: (n.lineno, n.col_offset)):
            if not (isinstance(call.func, ast.Name) and call.func.id == "documents" and call.args):
                continue
            arg = call.args[0]
            if not isinstance(arg, (ast.List, ast.Tuple)) or not all(
                isinstance(e, ast.Constant) and isinstance(e.value, str) for e in arg.elts
            ):
                raise SystemExit(
                    f"{notebook_path(lesson).name}: documents(...) at line {call.lineno} of a cell needs a list "
                    "of document ids written out, so that the handouts can read it"
                )
            ids += [str(e.value) for e in arg.elts if isinstance(e, ast.Constant)]
    return list(dict.fromkeys(ids))


def lesson_documents(lesson: int) -> list[dict[str, Any]]:
    """Return the rows of ``documents`` that `lesson`'s notebook shows (``lesson_document_ids``), in its order."""
    ids = lesson_document_ids(lesson)
    if not ids:
        raise SystemExit(f"{notebook_path(lesson).name} shows no documents (no documents([...]) call)")
    return _rows("documents", tuple(ids))


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


def _doc_head(doc: dict[str, Any]) -> str:
    kind = _KIND_LABEL.get(doc["kind"], doc["kind"])
    return (f'<h3>[{_esc(doc["id"])}] {_esc(doc["title"])}</h3>'
            f'<p class="meta">{_esc(kind)} - {_esc(doc["author"])}, {_esc(_date_text(doc))}</p>')  # fmt: skip


def _document_html(doc: dict[str, Any]) -> str:
    """Return one document of the worksheet as HTML, kept on one page with its task.

    A primary document in its adapted version, a historian's extract in its short summary (the
    original wording of both is in the document pack, ``pack_html``); then the task.
    """
    label = "Adapted version" if doc["kind"] == "primary" else "In short"
    task = "" if _blank(doc.get("task")) else doc["task"]
    task_box = f'<div class="task"><p class="label">Task</p>{_questions(task)}{_lines(4)}</div>'
    return (f'<section class="doc">{_doc_head(doc)}<div class="docbody">'
            f'<div class="version adapted"><p class="label">{label}</p>{_paragraphs(doc["adapted"])}</div>'
            f"{task_box}</div></section>")  # fmt: skip


def _original_html(doc: dict[str, Any]) -> str:
    """Return one document of the document pack: its original wording, translator and sources."""
    label = "Original wording" if doc["kind"] == "primary" else "Extract"
    parts = [f'<section class="doc">{_doc_head(doc)}',
             f'<div class="version"><p class="label">{label}</p>{_paragraphs(doc["text"])}</div>']  # fmt: skip
    if not _blank(doc.get("translation")):
        parts.append(f'<p class="meta">{_esc(doc["translation"])}</p>')
    sources = "; ".join(format_sources(doc["sources"]))
    parts.append(f'<p class="meta">Sources: {_esc(sources)}</p></section>')
    return "".join(parts)


def _blank_card_html(doc: dict[str, Any]) -> str:
    fields = "".join(
        f'<div class="field"><b>{_esc(label)}</b> <span class="q">{_esc(question)}</span>{_lines(2)}</div>'
        for _, label, question in CARD_FIELDS
    )
    title = f"Sourcing card: [{_esc(doc['id'])}]"  # the id the worksheet and the pack print; the author is a field
    return f'<div class="card"><h3>{title}</h3><div class="fields">{fields}</div></div>'


def _frame_html(prompt: dict[str, Any]) -> str:
    parts = (
        ("Claim", "Your answer to the question in one or two sentences.", 3),
        ("Evidence", "Two or three pieces of evidence, each with its document id in [brackets], e.g. [doc_id].", 7),
        ("Counter-argument", "The strongest point against your claim, with its evidence.", 4),
        ("Judgement", "Weigh the two: which is more convincing, and why?", 4),
    )
    boxes = [
        f'<div class="frame-part"><b>{_esc(name)}</b> <span class="q">{_esc(hint)}</span>{_lines(n)}</div>'
        for name, hint, n in parts
    ]
    # The heading, the question and the first box stay together; a page may break between boxes.
    head = f'<h2>Writing frame</h2><div class="question">{_esc(prompt["prompt"])}</div>{boxes[0]}'
    return f'<div class="frame">{head}</div>{"".join(boxes[1:])}'


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
    year, month, day = (0 if _blank(row.get(k)) else int(row[k]) for k in ("year", "month", "day"))
    return year, month, day


def _events_in_order(ids: tuple[str, ...]) -> list[dict[str, Any]]:
    return sorted(_rows("events", ids), key=_event_key)


def _table(
    headers: tuple[str, ...], rows: Sequence[Sequence[str]], widths: tuple[int, ...] | None = None, split: bool = False
) -> str:
    """Return a table, kept on one page, or (`split`, for one longer than a page) broken between rows."""
    cols = "".join(f'<col style="width:{w}%">' for w in widths) if widths else ""
    head = "".join(f"<th>{_esc(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(c if c.startswith("<td") else f"<td>{c}</td>" for c in row) + "</tr>" for row in rows
    )
    table = f'<table class="{"grid split" if split else "grid"}"><colgroup>{cols}</colgroup>'
    return f"{table}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_BLANK = '<td class="blank"></td>'
_DATE = '<td class="date"></td>'


def strip_html(ids: tuple[str, ...], answers: bool = False) -> str:
    """Return a timeline strip: the events in order, their dates left blank (filled in with `answers`)."""
    rows = [(_esc(_date_text(e)) if answers else _DATE, f"<b>{_esc(e['title'])}</b>") for e in _events_in_order(ids)]
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
        + _table(("Dimension", "Leninism", "Trotskyism", "Stalinism"), rows, (31, 23, 23, 23), split=True)
    )


def _factors_html(key: str, answers: bool) -> str:
    question, factors = FACTORS[key]
    if answers:
        rows: list[tuple[str, ...]] = [(f"<b>{_esc(f)}</b>", _esc(who)) for f, who in factors]
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
        rows: list[tuple[str, ...]] = [
            (f"<b>{_esc(r['title'])}</b>", _esc(r["counts"]), _esc(r["excludes"])) for r in series
        ]
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


def activities_html(lesson: int, answers: bool = False, sort: bool = True) -> str:
    """Return the activities of `lesson` (``ACTIVITIES``), blank or with their answers for the teacher sheet.

    Each is kept on one page where it fits. The card sort comes last (without it for ``sort=False``:
    the worksheet prints it after the writing frame, on a page of its own, since it is cut up).
    """
    spec = ACTIVITIES.get(lesson, {})
    parts = [strip_html(spec["strip"], answers)] if "strip" in spec else []
    parts += [organiser_html(spec[k], answers) for k in ("organiser", "second") if k in spec]
    out = "".join(f'<div class="unit">{part}</div>' for part in parts if part)
    if sort and "sort" in spec:
        out += sort_html(spec["sort"], answers)
    return out


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
           f"{_esc(prompt['prompt'])}</div>", "<h2>Documents</h2>",
           '<p class="meta">Each document is given here in the editors\' plain words (an adapted version, or '
           "a short summary of a historian's extract), not as a quotation. Its original wording is in the document "
           "pack on your table, under the same [id]: quote from there.</p>", *map(_document_html, docs)]  # fmt: skip
    if primaries:
        out += ["<h2>Sourcing cards</h2>", *map(_blank_card_html, primaries)]
    out += [activities_html(lesson, sort=False), _frame_html(prompt)]
    if "sort" in ACTIVITIES.get(lesson, {}):
        out.append(sort_html(ACTIVITIES[lesson]["sort"]))
    out.append("</body></html>")
    return "".join(out)


def pack_html(lesson: int, size: str = "A4") -> str:
    """Return the document pack of `lesson`: its documents in their original wording, one copy per table."""
    prompt = central_prompt(lesson)
    out = [_head(lesson, "document pack", size, name_line=False).replace("<body>", '<body class="pack">'),
           '<p class="meta">One copy per table: please do not write on it, and hand it back after the lesson. '
           "Each document is here in its original wording (in English translation where it was written in another "
           "language); the worksheet has its plain version and the tasks. Words in square brackets are as printed in "
           "the copy checked; [...] marks a cut.</p>",
           f'<p class="label">Central question</p><div class="question">{_esc(prompt["prompt"])}</div>',
           *map(_original_html, lesson_documents(lesson)), "</body></html>"]  # fmt: skip
    return "".join(out)


def task_answers(lesson: int) -> dict[str, str]:
    """Return, per document id of `lesson`, what a strong answer to its task includes (where ``prompts`` has it).

    A prompt of kind ``interpretation`` of the lesson answers a document's task when its wording is the task's.
    """
    rows = [
        r for r in load("prompts").to_dict("records") if r["kind"] == "interpretation" and int(r["lesson"]) == lesson
    ]
    by_prompt = {_words(r["prompt"]): r["strong_answer"] for r in rows}
    return {
        d["id"]: by_prompt[_words(d["task"])]
        for d in lesson_documents(lesson)
        if not _blank(d.get("task")) and _words(d["task"]) in by_prompt
    }


def _words(text: Any) -> str:
    return " ".join(str(text).split())


def teacher_html(lesson: int, size: str = "A4") -> str:
    """Return the teacher sheet of `lesson`: the strong answer's points, the editors' cards, the answers."""
    prompt = central_prompt(lesson)
    model = task_answers(lesson)
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
    if model:
        out.append("<h2>The historians' extracts: what a strong answer to the task includes</h2>")
        out += [
            f'<div class="unit"><h3 class="answer">[{_esc(doc["id"])}]</h3><p><em>{_esc(doc["task"])}</em></p>'
            f"<p>{_esc(model[doc['id']])}</p></div>"
            for doc in lesson_documents(lesson)
            if doc["id"] in model
        ]
    answers = activities_html(lesson, answers=True)
    if answers:
        out += ["<h2>Answers to the activities</h2>", answers]
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


_PAGES = {"worksheet": worksheet_html, "pack": pack_html, "teacher": teacher_html}


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
        ``"worksheet"``, ``"pack"`` and/or ``"teacher"``.
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
                page = _PAGES[kind](lesson, SIZES[name])
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
