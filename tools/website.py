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


def for_site(nb: dict[str, Any]) -> dict[str, Any]:
    """Return the student edition of `nb` as the website shows it.

    Widget outputs keep their kernel-free HTML if they carry one; otherwise their plain-text
    form becomes a short note. Nothing else changes.
    """
    out = editions.edition(nb, "student")
    for cell in out["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET in data:
                del data[WIDGET]
                if "text/html" not in data:
                    data["text/html"] = _app_note("".join(data.get("text/plain", "")))
    return out


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
    """Copy the teacher guide (and docs/teacher/*.md) into `src`/teacher/ with an index page."""
    target = src / "teacher"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(DOCS / "teacher_guide.md", target / "guide.md")
    extra = sorted((DOCS / "teacher").glob("*.md")) if (DOCS / "teacher").is_dir() else []
    for page in extra:
        shutil.copy(page, target / page.name)
    names = ["guide", *(p.stem for p in extra)]
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
