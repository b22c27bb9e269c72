"""Build the student, teacher and classroom editions of every lesson from the one source (a maintainer tool).

    python3 run.py editions                 # all lessons, into build/editions/<edition>/
    python tools/editions.py [NOTEBOOK ...] [--out DIR]

Cells carry their role as a cell tag (the convention is in CONTRIBUTING.md, "Cell roles"):

``teacher``
    for the teacher only: timings, notes, misconceptions, model answers.
``answers``
    shows an answer key (the folded self-check answers).
``learner``
    for a learner working alone: instructions about the notebook itself, answer boxes.
``maintainer``
    for people changing the course: checks and diagnostics. Lessons have none today.
``static``
    a kernel-free copy of the live app just above it (its snapshot or pre-rendered states, and
    the line introducing it), for pages read without a kernel: the course website, nbconvert
    HTML, an untrusted notebook.
``extension``
    beyond the lesson's 45-minute core (homework, a second period, self-study). Every edition
    but ``core`` keeps it, so learners working alone see everything; its heading carries a
    visible "Extension" box.

Untagged cells are for everyone. The editions keep:

=========  ==========================================================================
teacher    every cell, with answers and notes visible
student    everything but ``teacher`` and ``maintainer`` cells (answers stay folded)
classroom  what the class sees on the projector: no ``teacher``, ``maintainer``,
           ``answers``, ``learner`` or ``static`` cells, and no code (inputs hidden)
core       the student edition without the ``extension`` sections: what one 45-minute
           period covers, to print or to hand a class that has one period
=========  ==========================================================================

The classroom view runs every lesson live (Voila), so a ``static`` copy would only repeat the
app above it; leaving it out also spares the page its images and the browser the widgets of
the extra app instance a copy is built from (``benchmarks/README.md``, the classroom section).

The editions are derived files: stored outputs are copied, nothing is executed, so an edition
is always in step with its source lesson (``tests/test_editions.py`` rebuilds and compares).
Standard library only.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
OUT = ROOT / "build" / "editions"

ROLES = ("teacher", "answers", "learner", "maintainer", "static", "extension")
#: The tags each edition leaves out.
DROPS: dict[str, frozenset[str]] = {
    "teacher": frozenset(),
    "student": frozenset({"teacher", "maintainer"}),
    "classroom": frozenset({"teacher", "maintainer", "answers", "learner", "static"}),
    "core": frozenset({"teacher", "maintainer", "extension"}),
}
EDITIONS = tuple(DROPS)


def roles(cell: dict[str, Any]) -> set[str]:
    """Return the role tags of a notebook cell (its tags that name a role)."""
    return {tag for tag in cell.get("metadata", {}).get("tags", []) if tag in ROLES}


def edition(nb: dict[str, Any], name: str) -> dict[str, Any]:
    """Return a copy of the notebook `nb` as edition `name` ("teacher", "student", "classroom" or "core").

    Parameters
    ----------
    nb : dict
        A notebook as parsed JSON (nbformat 4).
    name : str
        The edition: "teacher", "student", "classroom" or "core".

    Returns
    -------
    dict
        The edition's notebook: cells whose roles the edition drops are removed; in the
        classroom edition every code cell's input is hidden (``jupyter.source_hidden`` and the
        ``remove-input`` tag that nbconvert and Sphinx honour).
    """
    if name not in DROPS:
        raise ValueError(f"unknown edition {name!r}; valid: {', '.join(EDITIONS)}")
    out = copy.deepcopy(nb)
    out["cells"] = [cell for cell in out["cells"] if not roles(cell) & DROPS[name]]
    if name == "classroom":
        for cell in out["cells"]:
            if cell["cell_type"] == "code":
                meta = cell.setdefault("metadata", {})
                meta.setdefault("jupyter", {})["source_hidden"] = True
                tags = meta.setdefault("tags", [])
                if "remove-input" not in tags:
                    tags.append("remove-input")
    out.setdefault("metadata", {})["lessons_edition"] = name
    return out


def build(paths: list[Path], out: Path = OUT) -> list[Path]:
    """Write every edition of each notebook in `paths` under `out`; return the files written."""
    written = []
    for path in paths:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for name in EDITIONS:
            target = out / name / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps(edition(nb, name), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
            target.write_text(text, encoding="utf-8")
            written.append(target)
    return written


def lessons() -> list[Path]:
    """Return the course's lesson notebooks in order."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python tools/editions.py", description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    written = build(args.notebooks or lessons(), args.out)
    print(f"wrote {len(written)} notebooks ({', '.join(EDITIONS)}) under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
