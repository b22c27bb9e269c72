"""Build each lesson's slide deck: a self-contained reveal.js page and a RISE notebook (a teacher's tool).

    python3 run.py slides                      # every lesson, into build/slides/
    python tools/slides.py [LESSON ...] [--out DIR]

The source of lesson NN's deck is ``slides/NN.md``, short curated text a teacher can edit
(the format is in ``slides/README.md``):

* a line ``---`` starts a new slide (reveal.js Markdown's separator);
* a line starting ``Note:`` starts the slide's speaker notes (shown to the teacher only);
* ``![](cell:l04-c010)`` shows the chart stored in the output of that lesson cell (cell ids are
  stable), so a re-executed lesson updates its deck; an empty alt text takes the chart's own;
* ``{{central_question}}`` is the lesson's central question from ``data/prompts.csv``.

Each deck becomes:

``build/slides/NN_<lesson>.html``
    reveal.js 6 (from ``node_modules/``, ``python3 run.py setup`` installs it) with its CSS,
    JavaScript, fonts and the charts inlined: it opens from ``file://`` with no server and no
    network. Press S for the speaker view with the notes.
``build/slides/NN_<lesson>.ipynb``
    the same slides as Markdown cells with RISE slideshow metadata (notes as ``notes`` cells,
    charts as cell attachments), for the RISE button in JupyterLab; ``build/slides/rise.css`` gives
    it the HTML deck's projector text sizes.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mistune

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lessons_lib.data import load  # noqa: E402

SOURCES = ROOT / "slides"
NOTEBOOKS = ROOT / "notebooks"
OUT = ROOT / "build" / "slides"
REVEAL = ROOT / "node_modules" / "reveal.js" / "dist"
LESSONS = tuple(range(1, 10))
MAX_WORDS = 80
#: ``![alt](cell:lNN-cNNN)``: a chart from a lesson cell's stored output.
CELL_IMAGE = re.compile(r"!\[([^\]]*)\]\(cell:(l\d\d-c\d{3})\)")
CENTRAL = "{{central_question}}"

CSS = """
.reveal { --r-main-font-size: 34px; --r-heading-font-size: 1em; }
.reveal h1 { font-size: 1.9em; text-transform: none; }
.reveal h2 { font-size: 1.35em; text-transform: none; margin-bottom: 0.5em; }
.reveal h1, .reveal h2, .reveal h3 { line-height: 1.15; }
.reveal .slides section { text-align: left; }
.reveal .slides section > h1, .reveal .slides section > h2 { text-align: left; }
.reveal ul, .reveal ol { display: block; margin-left: 1em; }
.reveal li { margin-bottom: 0.3em; }
.reveal p { margin: 0.4em 0; }
.reveal .slides > section { flex-direction: column; height: 100%; }
.reveal .slides > section > * { flex: 0 0 auto; }
.reveal .slides > section > img.chart { display: block; flex: 1 1 0; min-height: 0; width: 100%; margin: 0.2em 0 0 0;
                                        object-fit: contain; }
.reveal .slides section:first-child h1 + p { font-size: 1.25em; border-left: 8px solid #2a76dd; padding-left: 0.6em; }
.reveal .slides section.has-chart > p:only-of-type { margin: 0; }
.reveal .footer { position: fixed; bottom: 8px; left: 16px; font-size: 18px; color: #555; }
"""


# RISE in JupyterLab loads ``rise.css`` from the deck's folder: the same projector sizes as the HTML deck
# (JupyterLab's own 14 px text is too small for the back of a classroom).
RISE_CSS = """
.reveal .jp-RenderedHTMLCommon { font-size: 30px; line-height: 1.35; }
.reveal .jp-RenderedHTMLCommon h1 { font-size: 1.9em; line-height: 1.15; }
.reveal .jp-RenderedHTMLCommon h2 { font-size: 1.35em; line-height: 1.15; margin-bottom: 0.5em; }
.reveal .jp-RenderedHTMLCommon li { margin-bottom: 0.3em; }
.reveal .jp-RenderedHTMLCommon img { display: block; max-width: 100%; max-height: 520px; width: auto; }
"""
# Named so that JupyterLab starts it without asking: a deck without one opens behind a "Select Kernel" dialog.
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


@dataclass
class Slide:
    """One slide: its Markdown (images resolved to cell ids) and its speaker notes."""

    markdown: str
    notes: str
    images: list[tuple[str, str]] = field(default_factory=list)  # (alt, cell id)


def lesson_path(lesson: int) -> Path:
    """Return the notebook of `lesson` (``notebooks/NN_*.ipynb``)."""
    found = sorted(NOTEBOOKS.glob(f"{lesson:02d}_*.ipynb"))
    if not found:
        raise SystemExit(f"no notebook notebooks/{lesson:02d}_*.ipynb for lesson {lesson}")
    return found[0]


def central_question(lesson: int) -> str:
    """Return the central question of `lesson` from ``data/prompts.csv`` (kind ``central``)."""
    rows = load("prompts")
    rows = rows[(rows["kind"] == "central") & (rows["lesson"].astype(int) == lesson)]
    if rows.empty:
        raise SystemExit(f"data/prompts.csv: no row of kind 'central' for lesson {lesson}.")
    return str(rows.iloc[0]["prompt"])


def parse(text: str, source: str = "slides") -> list[Slide]:
    """Split a deck's Markdown into slides.

    Parameters
    ----------
    text
        The deck: slides separated by lines ``---``, each optionally followed by ``Note:`` and
        the speaker notes. HTML comments (``<!-- ... -->``) are for maintainers and dropped.
    source
        The file name used in error messages.

    Returns
    -------
    list of Slide
    """
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    slides = []
    for number, chunk in enumerate(re.split(r"^---[ \t]*$", text, flags=re.M), start=1):
        mark = re.search(r"^Note:[ \t]*", chunk, flags=re.M)
        body, notes = (chunk[: mark.start()], chunk[mark.end() :]) if mark else (chunk, "")
        if not body.strip():
            raise ValueError(f"{source}: slide {number} is empty (two '---' lines in a row?)")
        images = [(alt, cell) for alt, cell in CELL_IMAGE.findall(body)]
        slides.append(Slide(body.strip(), notes.strip(), images))
    return slides


_HTML_IMG = re.compile(r"<img\b[^>]*>")
_PNG_SRC = re.compile(r"""src=["']data:image/png;base64,([A-Za-z0-9+/=\s]+)["']""")
_ALT = re.compile(r"""alt=(["'])(.*?)\1""", flags=re.S)


def _text(value: str | list[str]) -> str:
    return "".join(value) if isinstance(value, list) else value


def _first_png(data: dict[str, Any]) -> tuple[str, str] | None:
    """Return the PNG of one output: its ``image/png``, else the first ``data:`` PNG of its HTML."""
    if "image/png" in data:
        return _text(data["image/png"]).replace("\n", ""), _text(data.get("text/plain", "")).strip()
    for tag in _HTML_IMG.findall(_text(data.get("text/html", ""))):
        png = _PNG_SRC.search(tag)
        if png:
            alt = _ALT.search(tag)
            return re.sub(r"\s", "", png.group(1)), html.unescape(alt.group(2)) if alt else ""
    return None


def stored_images(notebook: Path) -> dict[str, tuple[str, str]]:
    """Return ``{cell id: (PNG as base64, alt text)}`` for every cell of `notebook` with a stored chart.

    A chart is a PNG output, or the first PNG inlined in an HTML output (the default state of
    ``render_states``), so a snapshot turned into pre-rendered states keeps its slide.
    """
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    found = {}
    for cell in cells:
        for output in cell.get("outputs", []):
            png = _first_png(output.get("data", {}))
            if png:
                found[cell["id"]] = png
                break
    return found


def _resolve(slide: Slide, images: dict[str, tuple[str, str]], where: str) -> None:
    for _, cell in slide.images:
        if cell not in images:
            known = ", ".join(sorted(images)) or "none"
            raise SystemExit(f"{where}: cell {cell} has no stored chart (PNG output); cells with one: {known}")


def words(text: str) -> int:
    """Count the words a viewer reads in `text` (HTML or Markdown; tags, marks and image alt text ignored)."""
    text = re.sub(r"<aside.*?</aside>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", text)
    return len([w for w in html.unescape(text).split() if re.search(r"\w", w)])


_MARKDOWN = mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])


def _slide_html(slide: Slide, images: dict[str, tuple[str, str]]) -> str:
    def image(match: re.Match[str]) -> str:
        png, own_alt = images[match.group(2)]
        alt = match.group(1) or own_alt
        return f'<img class="chart" alt="{html.escape(alt)}" src="data:image/png;base64,{png}">'

    body = CELL_IMAGE.sub("CELLIMAGE", slide.markdown)
    rendered = _MARKDOWN(body).replace("<p>CELLIMAGE</p>", "CELLIMAGE")  # a chart is a flex item of its own
    for match in CELL_IMAGE.finditer(slide.markdown):
        rendered = rendered.replace("CELLIMAGE", image(match), 1)
    notes = f'<aside class="notes">{_MARKDOWN(slide.notes)}</aside>' if slide.notes else ""
    kind = ' class="has-chart"' if slide.images else ""
    return f"<section{kind}>{rendered}{notes}</section>"


def _script(path: Path) -> str:
    return path.read_text(encoding="utf-8").replace("</script", "<\\/script")


def deck(lesson: int) -> tuple[str, list[Slide], dict[str, tuple[str, str]]]:
    """Return the slides of `lesson` (central question filled in) with the charts of its notebook.

    Returns
    -------
    tuple
        The lesson's title line, its slides and ``stored_images`` of its notebook.
    """
    source = SOURCES / f"{lesson:02d}.md"
    if not source.exists():
        raise SystemExit(f"{source.relative_to(ROOT)} is missing: every lesson needs its deck's source")
    text = source.read_text(encoding="utf-8").replace(CENTRAL, central_question(lesson))
    slides = parse(text, str(source.relative_to(ROOT)))
    images = stored_images(lesson_path(lesson))
    for number, slide in enumerate(slides, start=1):
        _resolve(slide, images, f"{source.relative_to(ROOT)}, slide {number}")
    title = re.sub(r"^#\s*", "", slides[0].markdown.splitlines()[0]).strip()
    return f"Lesson {lesson}: {title}", slides, images


def deck_html(lesson: int) -> str:
    """Return the self-contained reveal.js page of `lesson`'s deck."""
    if not (REVEAL / "reveal.js").exists():
        raise SystemExit(f"{REVEAL} is missing: run `python3 run.py setup` (it installs reveal.js with npm ci)")
    title, slides, images = deck(lesson)
    sections = "\n".join(_slide_html(slide, images) for slide in slides)
    styles = "".join((REVEAL / name).read_text(encoding="utf-8") for name in ("reset.css", "reveal.css",
                                                                               "theme/white.css"))  # fmt: skip
    config = {"hash": True, "width": 1280, "height": 720, "margin": 0.04, "slideNumber": "c/t", "controls": True,
              "progress": True, "center": False, "display": "flex", "transition": "none",
              "showNotes": False}  # fmt: skip
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<style>{styles}</style><style>{CSS}</style></head><body>"
            f'<div class="reveal"><div class="slides">\n{sections}\n</div></div>'
            f"<script>{_script(REVEAL / 'reveal.js')}</script>"
            f"<script>{_script(REVEAL / 'plugin' / 'notes.js')}</script>"
            f"<script>Reveal.initialize(Object.assign({json.dumps(config)}, {{plugins: [RevealNotes]}}));</script>"
            "</body></html>")  # fmt: skip


def deck_notebook(lesson: int) -> dict[str, Any]:
    """Return `lesson`'s deck as a RISE notebook: one Markdown cell per slide and one ``notes`` cell per notes."""
    title, slides, images = deck(lesson)
    cells = []
    for number, slide in enumerate(slides, start=1):
        attachments = {}

        def attach(match: re.Match[str], attachments: dict[str, Any] = attachments) -> str:
            png, own_alt = images[match.group(2)]
            name = f"{match.group(2)}.png"
            attachments[name] = {"image/png": png}
            return f"![{match.group(1) or own_alt}](attachment:{name})"

        cell = _markdown_cell(f"s{number:02d}", CELL_IMAGE.sub(attach, slide.markdown), "slide")
        if attachments:
            cell["attachments"] = attachments
        cells.append(cell)
        if slide.notes:
            cells.append(_markdown_cell(f"s{number:02d}-notes", slide.notes, "notes"))
    return {"cells": cells, "nbformat": 4, "nbformat_minor": 5,
            "metadata": {"title": title, "rise": {"width": 1280, "height": 720, "scroll": True, "theme": "white",
                                                  "transition": "none", "enable_chalkboard": False},
                         "kernelspec": KERNELSPEC, "lessons_edition": "slides"}}  # fmt: skip


def _markdown_cell(cell_id: str, text: str, slide_type: str) -> dict[str, Any]:
    return {"cell_type": "markdown", "id": cell_id, "metadata": {"slideshow": {"slide_type": slide_type}},
            "source": text.splitlines(keepends=True)}  # fmt: skip


def build(lessons: list[int] | tuple[int, ...] = LESSONS, out: Path = OUT) -> list[Path]:
    """Write each lesson's deck as HTML and as a RISE notebook into `out`; return the files written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for lesson in lessons:
        stem = lesson_path(lesson).stem
        page, notebook = out / f"{stem}.html", out / f"{stem}.ipynb"
        page.write_text(deck_html(lesson), encoding="utf-8")
        notebook.write_text(json.dumps(deck_notebook(lesson), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        written += [page, notebook]
    if lessons:
        (out / "rise.css").write_text(RISE_CSS.lstrip(), encoding="utf-8")
        written.append(out / "rise.css")
    return written


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, build the decks and print where they are."""
    parser = argparse.ArgumentParser(prog="python tools/slides.py", description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", type=int, help="lesson numbers (default: 1-9)")
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default: build/slides)")
    args = parser.parse_args(argv)
    wrong = [n for n in args.lessons if n not in LESSONS]
    if wrong:
        parser.error(f"no deck for lesson(s) {wrong}: choose from {list(LESSONS)}")
    written = build(args.lessons or LESSONS, args.out)
    print(f"slides: wrote {len(written) // 2} decks (HTML and RISE notebook, with rise.css) into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
