"""Build the printable handouts of lessons 2-9 as PDF, offline (a teacher's tool).

    python3 run.py handouts                       # every lesson, into build/handouts/
    python tools/handouts.py [LESSON ...] [--out DIR]

Per lesson, in A4 and in US Letter:

``lessonNN_worksheet_<size>.pdf``
    the central question; the lesson's documents (a primary document in its original wording
    and in the adapted version, a historian's extract with its task); a blank sourcing card per
    primary document; a writing frame for the central question.
``lessonNN_teacher_<size>.pdf``
    the editors' sourcing cards and what a strong answer to the central question includes.

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
KINDS = ("worksheet", "teacher")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip
_KIND_LABEL = {"primary": "Primary document", "historian": "Historian's extract"}

CSS = """
@page { size: %(size)s; margin: 18mm 16mm 18mm 16mm; }
* { box-sizing: border-box; }
html { font-family: "DejaVu Serif", "Liberation Serif", Georgia, serif; font-size: 11.5pt; line-height: 1.4;
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
.label { font-weight: bold; font-size: 10pt; text-transform: uppercase; letter-spacing: 0.5pt; }
.task { border: 1pt dashed #000; padding: 4pt 8pt; break-inside: avoid; page-break-inside: avoid; }
.teacher-card { border: 1pt solid #000; padding: 6pt 8pt; margin: 0 0 8pt 0; }
.card, .frame-part { border: 1pt solid #000; padding: 6pt 8pt; margin: 0 0 8pt 0;
       break-inside: avoid; page-break-inside: avoid; }
.field { margin: 0 0 6pt 0; break-inside: avoid; page-break-inside: avoid; }
.field .q { font-size: 10pt; color: #333; }
.line { border-bottom: 0.6pt solid #666; height: 18pt; }
.newpage { break-before: page; page-break-before: always; }
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


def _document_html(doc: dict[str, Any]) -> str:
    kind = _KIND_LABEL.get(doc["kind"], doc["kind"])
    parts = [f'<section class="doc"><h3>[{_esc(doc["id"])}] {_esc(doc["title"])}</h3>',
             f'<p class="meta">{_esc(kind)} - {_esc(doc["author"])}, {_esc(_date_text(doc))}</p>']  # fmt: skip
    if doc["kind"] == "primary":
        parts.append(f'<div class="version"><p class="label">Original wording</p>{_paragraphs(doc["text"])}')
        if not _blank(doc.get("translation")):
            parts.append(f'<p class="meta">{_esc(doc["translation"])}</p>')
        parts.append("</div>")
        parts.append(f'<div class="version"><p class="label">Adapted version</p>{_paragraphs(doc["adapted"])}</div>')
    else:
        parts.append(f'<div class="version"><p class="label">Extract</p>{_paragraphs(doc["text"])}</div>')
        parts.append(f'<div class="version"><p class="label">In short</p>{_paragraphs(doc["adapted"])}</div>')
    if not _blank(doc.get("task")):
        parts.append(f'<div class="task"><p class="label">Task</p>{_paragraphs(doc["task"])}{_lines(4)}</div>')
    parts.append("</section>")
    return "".join(parts)


def _blank_card_html(doc: dict[str, Any]) -> str:
    fields = "".join(
        f'<div class="field"><b>{_esc(label)}</b> <span class="q">{_esc(question)}</span>{_lines(3)}</div>'
        for _, label, question in CARD_FIELDS
    )
    return f'<div class="card"><h3>Sourcing card: [{_esc(doc["id"])}] {_esc(doc["author"])}</h3>{fields}</div>'


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
    return f'<h2 class="newpage">Writing frame</h2><div class="question">{_esc(prompt["prompt"])}</div>{body}'


def worksheet_html(lesson: int, size: str = "A4") -> str:
    """Return the worksheet of `lesson` as a printable HTML page for paper `size` ("A4" or "letter")."""
    prompt = central_prompt(lesson)
    docs = lesson_documents(lesson)
    primaries = [d for d in docs if d["kind"] == "primary"]
    out = [_head(lesson, "worksheet", size), f'<p class="label">Central question</p><div class="question">'
           f"{_esc(prompt['prompt'])}</div>", "<h2>Documents</h2>", *map(_document_html, docs)]  # fmt: skip
    if primaries:
        out += ['<h2 class="newpage">Sourcing cards</h2>', *map(_blank_card_html, primaries)]
    out += [_frame_html(prompt), "</body></html>"]
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
) -> list[Path]:
    """Write the handouts of each lesson as PDF into `out` and return their paths.

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
