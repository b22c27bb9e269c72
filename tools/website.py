"""Build the course website (the web edition) offline into build/site/ (a maintainer tool).

    python3 run.py site                  # build/site/index.html: open it, or publish the folder
    python tools/website.py [--out DIR] [--src DIR]

The website is the student edition of the lessons (``tools/editions.py``: no teacher-only
cells) with their stored outputs, built by Sphinx + myst-nb with sphinx-book-theme
(``docs/site/conf.py``); nothing is executed. Around the lessons it adds the course index as the
home page, a glossary and a bibliography generated from ``data/``, and the teacher guide as a
separate section (``docs/teacher_guide.md`` and any ``docs/teacher/*.md``).

The kernel-free parts come from the notebooks' own outputs (``lessons_lib.static``): toggles,
self-checks and answer boxes work on the page with no kernel. Widget views are dropped (they need
a kernel and a CDN); an app with no kernel-free HTML shows a one-line note instead. Every file a
page loads is inside the built folder.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT))

import editions  # noqa: E402

CONF = ROOT / "docs" / "site"
DOCS = ROOT / "docs"
SRC = ROOT / "build" / "site-src"
OUT = ROOT / "build" / "site"
WIDGET = "application/vnd.jupyter.widget-view+json"
_PUNCT = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~^$&:\"'=%@])")


def md_escape(text: str) -> str:
    """Return `text` with every Markdown-active ASCII punctuation character backslash-escaped."""
    return _PUNCT.sub(r"\\\1", " ".join(str(text).split()))


def _app_note(text: str) -> str:
    """Return the line a widget's output becomes on the website when the app has no kernel-free HTML."""
    text = text.strip().removeprefix("<").removesuffix(">")
    return (
        f"<p class='site-app-note'><span class='site-app-badge'>Needs a running notebook</span> {html.escape(text)}</p>"
    )


_STATIC = "*Static version*"
# What a lesson's note on its static companion says on paper, and what it says on the website, where
# the companion is a working form (see _fill_in)
_SITE_WORDING = {
    "a blank card to print or copy; the document is in the pack above": (
        "the card: type in it here (this browser keeps it) or copy it on paper; the document is in the pack above"
    ),
    "number the events on paper; the order with dates is folded": (
        "choose an event's letter for each place, here or on paper; the order with dates is folded"
    ),
    "give each explanation a weight on paper; the historians' emphases are folded": (
        "give each explanation a weight, here or on paper; the historians' emphases are folded"
    ),
}


def site_note(source: str) -> str:
    """Return a lesson's "*Static version* (...)" note as the website says it ("" to drop the cell).

    On the website every tool is its static version, so the label goes: "*Static version* (the
    first view): " becomes "The first view:", and a bare "*Static version*:" goes altogether.
    Any other Markdown is returned as it is.
    """
    if not source.startswith(_STATIC):
        return source
    rest = source[len(_STATIC) :]
    if rest.startswith(" ("):
        depth, end = 0, len(rest)
        for pos, char in enumerate(rest):
            depth += {"(": 1, ")": -1}.get(char, 0)
            if char == ")" and depth == 0:
                end = pos
                break
        inner = rest[2:end]
        rest = _SITE_WORDING.get(" ".join(inner.split()), inner) + rest[end + 1 :]
    else:
        rest = rest.removeprefix(":").lstrip()
    rest = rest.strip()
    if rest in ("", ":", "."):
        return ""
    return rest[0].upper() + rest[1:]


# Where a lesson's link into docs/ lands on the website (teacher_pages copies those files there)
_DOC_LINKS = {"../docs/teacher_guide.md": "teacher/guide.md", "../docs/exam_questions.md": "teacher/exam_questions.md"}


def site_links(source: str) -> str:
    """Return a lesson's Markdown with its links into ``docs/`` pointed at the website's copies."""
    for path, page in _DOC_LINKS.items():
        source = source.replace(f"]({path})", f"]({page})")
    return re.sub(r"\]\(\.\./docs/teacher/([\w-]+\.md)\)", r"](teacher/\1)", source)


def _has_static_view(cell: dict[str, Any] | None) -> bool:
    """Whether `cell` shows something with no kernel (HTML or a chart image)."""
    outputs = (cell or {}).get("outputs", [])
    return any({"text/html", "image/png"} & set(o.get("data", {})) for o in outputs)


def for_site(nb: dict[str, Any]) -> dict[str, Any]:
    """Return the student edition of `nb` as the website shows it.

    Widget outputs keep their kernel-free HTML if they carry one. A widget with none is dropped
    when the next code cell is its static companion (a snapshot or a pre-rendered toggle);
    otherwise its plain-text form becomes a short note. The lessons' "*Static version*" labels
    become plain captions (:func:`site_note`), and the blank task forms become working ones
    (:func:`_fill_in`). Code sources are hidden by ``docs/site/conf.py``.
    """
    out = editions.edition(nb, "student")
    cells = out["cells"]
    for i, cell in enumerate(cells):
        if cell["cell_type"] == "markdown":
            cell["source"] = site_links(site_note("".join(cell["source"])))
            continue
        following = next((c for c in cells[i + 1 :] if c["cell_type"] == "code"), None)
        kept = []
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET in data:
                del data[WIDGET]
                if "text/html" not in data:
                    if _has_static_view(following):
                        continue
                    data["text/html"] = _app_note("".join(data.get("text/plain", "")))
            if "text/html" in data:
                data["text/html"] = _fill_in("".join(data["text/html"]))
            kept.append(output)
        if "outputs" in cell:
            cell["outputs"] = _described(cell, kept)
    out["cells"] = [c for c in cells if c["cell_type"] != "markdown" or c["source"].strip()]
    return out


_CARD_ROW = re.compile(
    r"(<tr><th[^>]*>(?P<field>[^<]*)</th><td[^>]*>(?P<ask>[^<]*)</td>)"
    r"<td style='min-width:28em;border-bottom:1px solid #999'>&nbsp;</td>"
)
_WEIGH_ROW = re.compile(
    r"(<tr><td[^>]*><b>(?P<name>[^<]*)</b>.*?</td>)<td style='min-width:6em;border-bottom:1px solid #999'>&nbsp;</td>"
)
_ARRANGE = re.compile(
    r"<ul class='lessons-arrange-events'.*?</ul><ol class='lessons-arrange-blank'>(?P<blank>.*?)</ol>", re.S
)
_CLAIM = re.compile(
    r"<div class='lessons-claim' data-claim='(?P<id>[^']*)'>(?P<head>.*?)"
    r"<div style='border-bottom:1px solid #999;min-height:2em'>&nbsp;</div>",
    re.S,
)


def _key(*parts: str) -> str:
    """Return the localStorage key of a field (answers.js keeps every ``data-keep`` field's value)."""
    return html.escape(":".join(re.sub(r"\s+", "_", html.unescape(p).strip().lower()) for p in parts), quote=True)


def _select(key: str, label: str, options: list[str]) -> str:
    choices = "<option value=''>-</option>" + "".join(f"<option>{html.escape(o)}</option>" for o in options)
    return f"<select data-keep='{key}' aria-label='{html.escape(label, quote=True)}'>{choices}</select>"


def _described(cell: dict[str, Any], outputs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give a cell's chart images their text description: as alt text and, folded, below each image.

    The description is the output's ``text/plain`` (the lessons' charts describe themselves there,
    and tasks such as lesson 5's send the reader to it). myst-nb takes an image's alt text from the
    cell's ``mystnb.image.alt`` metadata, one per cell, so a cell with several images gets all
    their descriptions in it.
    """
    texts, out = [], []
    for output in outputs:
        out.append(output)
        data = output.get("data", {})
        text = " ".join("".join(data.get("text/plain", "")).split())
        if "image/png" in data and "text/html" not in data and text:
            texts.append(text)
            shown = f"<details class='site-alt'><summary>Text description</summary><p>{html.escape(text)}</p></details>"
            out.append({"output_type": "display_data", "metadata": {}, "data": {"text/html": shown}})
    if texts:
        cell.setdefault("metadata", {}).setdefault("mystnb", {})["image"] = {"alt": " / ".join(texts)}
    return out


def _editors_card(doc_id: str) -> str:
    """Return the editors' sourcing card for `doc_id`, folded, to open once the reader's card is written.

    The website's version of the notebook's "Submit and compare": the reader fills in the card, then
    opens the editors' card and compares it field by field. Empty for a document without one.
    """
    from lessons_lib import load
    from lessons_lib.work._logic import CARD_FIELDS

    docs = load("documents").set_index("id")
    if doc_id not in docs.index:
        return ""
    doc = docs.loc[doc_id]
    rows = "".join(
        f"<tr><th style='text-align:left;vertical-align:top'>{html.escape(label)}</th>"
        f"<td style='text-align:left'>{html.escape(str(doc[f'card_{name}']))}</td></tr>"
        for name, label, _ in CARD_FIELDS
        if isinstance(doc[f"card_{name}"], str) and doc[f"card_{name}"].strip()
    )
    if not rows:
        return ""
    return (
        "<details class='site-compare'><summary>Written your card? Compare it with the editors' card</summary>"
        "<p>Where does your card differ from the editors'? For each difference, which of you has the better "
        f"evidence from the document?</p><table class='lessons-card-compare'><tbody>{rows}</tbody></table></details>"
    )


def _fill_in(page: str) -> str:
    """Return `page` with the blank task forms of its static views made fields a reader can fill in.

    A sourcing card's blank lines become text areas, followed by the editors' card, folded, to
    compare with once written (the notebook's "Submit and compare"); an ordering task's numbered places become
    letter choices, a weighing table's blank weights become 0-4 choices and each claim of the
    claim checker gets a verdict choice and a reason line. The website's ``answers.js`` keeps what
    is typed in the browser (by ``data-keep``); the folded answers stay folded. Other HTML is
    returned unchanged.
    """
    if "lessons-card-blank" in page:
        cite = re.search(r"cite as <code>\[([^\]]+)\]</code>", page)
        doc = cite.group(1) if cite else "card"
        page = _CARD_ROW.sub(
            lambda m: (
                f"{m.group(1)}<td class='site-field'><textarea rows='2' data-keep='{_key('card', doc, m['field'])}'"
                f" aria-label='{m['field']}'></textarea></td>"
            ),
            page,
        )
        page = page.replace("</table>", f"</table>{_editors_card(doc)}", 1) if "lessons-card-blank" in page else page
    if "lessons-weigh-blank" in page:
        page = _WEIGH_ROW.sub(
            lambda m: (
                f"{m.group(1)}<td>{_select(_key('weigh', m['name']), 'Weight of ' + m['name'], list('01234'))}</td>"
            ),
            page,
        )
    if "lessons-arrange-blank" in page:

        def places(m: re.Match[str]) -> str:
            letters = re.findall(r"<li><b>([A-Z])\.</b>", m.group(0))
            events = m.group(0)[: m.start("blank") - m.start(0)]
            listed = "|".join(re.findall(r"</b> ([^<]*)</li>", events))
            task = "arrange:" + hashlib.sha1(listed.encode("utf-8")).hexdigest()[:12]
            items = "".join(
                f"<li>{_select(f'{task}:{n}', f'Event in place {n}', letters)}</li>" for n in range(1, len(letters) + 1)
            )
            return f"{events}{items}</ol>"

        page = _ARRANGE.sub(places, page).replace(
            "Choose an event for each place, then check.",
            "Choose an event's letter for each place, then open the order below to check.",
        )
    if "lessons-claim'" in page:
        verdicts = ["accurate", "misleading", "false", "contested"]
        page = _CLAIM.sub(
            lambda m: (
                f"<div class='lessons-claim' data-claim='{m['id']}'>{m['head']}<p>"
                f"{_select(_key('claim', m['id'], 'verdict'), 'Verdict', verdicts)} "
                f"<input type='text' size='50' data-keep='{_key('claim', m['id'], 'reason')}' aria-label='Reason'"
                " placeholder='One line: why?'></p>"
            ),
            page,
        )
    return page


def _home(nb: dict[str, Any], pages: list[str]) -> dict[str, Any]:
    """Return the course index with a hidden table of contents (the website's navigation) added."""
    out = for_site(nb)
    lessons = [p for p in pages if p[:2].isdigit()]
    toc = (
        "```{toctree}\n:hidden:\n:caption: Lessons\n\n" + "\n".join(lessons) + "\n```\n\n"
        "```{toctree}\n:hidden:\n:caption: Reference\n\nglossary\nbibliography\n```\n\n"
        "```{toctree}\n:hidden:\n:caption: For teachers\n\nteacher/index\n```\n"
    )
    extra = (
        "## On this website\n\n"
        "Every lesson works here without installing anything: the buttons above the charts switch "
        "between pre-drawn views, the self-check questions say at once whether an answer is right and "
        "why, and the answer boxes keep what you type in this browser. The live apps need the "
        "notebooks themselves (see the course README). Also here: the [glossary](glossary.md), the "
        "[bibliography](bibliography.md) and, for teachers, the [teacher guide](teacher/index.md).\n"
    )
    out["cells"].append({"cell_type": "markdown", "id": "site-about", "metadata": {}, "source": extra})
    out["cells"].append({"cell_type": "markdown", "id": "site-toc", "metadata": {}, "source": toc})
    return out


def glossary_page() -> str:
    """Return the glossary page (MyST Markdown): every term of ``data/glossary.csv``, A to Z."""
    from lessons_lib import format_sources, load

    table = load("glossary").sort_values("term", key=lambda s: s.str.lower())
    lines = ["# Glossary", "", "Every term the lessons define, with the works the definitions rest on.", ""]
    lines += ["```{glossary}"]
    for row in table.itertuples():
        cited = "; ".join(format_sources(row.sources))
        lines += [md_escape(row.term), f"  {md_escape(row.definition)}", "", f"  *Sources:* {md_escape(cited)}", ""]
    lines += ["```", ""]
    return "\n".join(lines)


def bibliography_page() -> str:
    """Return the bibliography page (MyST Markdown): every work of ``data/sources.csv``, by author."""
    from lessons_lib import load

    table = load("sources").sort_values(["author", "year"], key=lambda s: s.astype(str).str.lower())
    lines = ["# Bibliography", "", "Every work the course cites (`data/sources.csv`), by author.", ""]
    for row in table.itertuples():
        text = f"{md_escape(row.author)} ({md_escape(row.year)}). *{md_escape(row.title)}*. {md_escape(row.publisher)}."
        if isinstance(row.pages, str) and row.pages:
            text += f" {md_escape(row.pages)}."
        if isinstance(row.url, str) and row.url:
            text += f" <{row.url}>"
        lines += [f"- {text} <small>(`{row.id}`)</small>"]
    return "\n".join(lines) + "\n"


def teacher_pages(src: Path) -> None:
    """Copy the teacher guide, docs/teacher/*.md and the exam questions into `src`/teacher/ with an index page.

    The guide becomes ``guide.md`` beside ``exam_questions.md`` (so its link to that file holds);
    the other pages' links to ``../teacher_guide.md`` are pointed at ``guide.md``.
    """
    target = src / "teacher"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(DOCS / "teacher_guide.md", target / "guide.md")
    shutil.copy(DOCS / "exam_questions.md", target / "exam_questions.md")
    extra = sorted((DOCS / "teacher").glob("*.md")) if (DOCS / "teacher").is_dir() else []
    for page in extra:
        text = page.read_text(encoding="utf-8").replace("](../teacher_guide.md)", "](guide.md)")
        text = text.replace("](../exam_questions.md)", "](exam_questions.md)")
        (target / page.name).write_text(text, encoding="utf-8")
    names = ["guide", *(p.stem for p in extra), "exam_questions"]
    (target / "index.md").write_text(
        "# For teachers\n\nThe teacher guide: plans, key points, misconceptions, answers and "
        "differentiation for every lesson. The lesson pages of this website are the student edition "
        "(no teacher notes).\n\n```{toctree}\n:maxdepth: 1\n\n" + "\n".join(names) + "\n```\n",
        encoding="utf-8",
    )


def prepare(src: Path = SRC) -> list[str]:
    """Write the website's sources into `src` (emptied first); return the page names."""
    if src.exists():
        shutil.rmtree(src)
    src.mkdir(parents=True)
    pages = [p.stem for p in editions.lessons()]
    for path in editions.lessons():
        nb = json.loads(path.read_text(encoding="utf-8"))
        _write_nb(src / path.name, for_site(nb))
    index = json.loads((editions.NOTEBOOKS / "index.ipynb").read_text(encoding="utf-8"))
    _write_nb(src / "index.ipynb", _home(index, pages))
    (src / "glossary.md").write_text(glossary_page(), encoding="utf-8")
    (src / "bibliography.md").write_text(bibliography_page(), encoding="utf-8")
    teacher_pages(src)
    return ["index", *pages, "glossary", "bibliography", "teacher/index"]


def _write_nb(path: Path, nb: dict[str, Any]) -> None:
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def build(out: Path = OUT, src: Path = SRC, quiet: bool = True) -> float:
    """Build the website into `out` from the sources prepared in `src`; return the seconds taken.

    Raises
    ------
    RuntimeError
        If Sphinx fails (its output is in the message).
    """
    start = time.perf_counter()
    prepare(src)
    if out.exists():
        shutil.rmtree(out)
    args = [sys.executable, "-m", "sphinx", "-b", "html", "-c", str(CONF), "-d", str(src / ".doctrees")]
    done = subprocess.run([*args, *(["-q"] if quiet else []), str(src), str(out)], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"sphinx-build failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    if done.stderr.strip():
        print(done.stderr.strip(), file=sys.stderr)
    (out / ".nojekyll").write_text("", encoding="utf-8")  # GitHub Pages: serve _static/ as is
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python tools/website.py", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--src", type=Path, default=SRC)
    parser.add_argument("--verbose", action="store_true", help="show Sphinx's progress")
    args = parser.parse_args(argv)
    seconds = build(args.out, args.src, quiet=not args.verbose)
    print(f"built the course website in {seconds:.1f} s: open {args.out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
