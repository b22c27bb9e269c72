"""Re-execute lesson notebooks in place so their stored outputs are fresh (a maintainer tool).

    python3 run.py refresh [NOTEBOOK ...]         # all of notebooks/ by default (installs the tools)
    python tools/refresh.py [NOTEBOOK ...]        # the same, in an environment that has them
    python tools/refresh.py --no-execute NB ...   # only tidy: widget state, cell ids (pre-commit)

Each notebook runs top to bottom in a fresh kernel of the current environment, with no timing
metadata and without ``metadata.widgets`` (widget state bloats notebooks and is rewritten on
every run), so a re-run of an unchanged lesson leaves the file unchanged. Cells get ids unique
across the course (``l04-c013``) that later refreshes keep; widget outputs get ids derived from
their cell's id.

Not part of the installed package: it needs the ``maintainer`` extra (nbformat, nbclient,
ipykernel), which ``python3 run.py refresh`` installs.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nbformat import NotebookNode

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
#: A cell id: the two-digit lesson number and a cell number, unique across the course.
CELL_ID = re.compile(r"l(\d{2})-c(\d{3})")


def strip_widget_state(nb: NotebookNode) -> bool:
    """Remove ``metadata.widgets`` from a notebook node; return True if there was any."""
    return nb.metadata.pop("widgets", None) is not None


def refresh(path: Path, timeout: int = 300) -> None:
    """Execute `path` top to bottom in a fresh kernel and write it back with its outputs.

    Parameters
    ----------
    path : Path
        The notebook.
    timeout : int
        Seconds allowed per cell.
    """
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", record_timing=False,
        resources={"metadata": {"path": str(path.parent)}}, store_widget_state=False,
    )  # fmt: skip
    client.execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    tidy(nb, path.name)
    nbformat.write(nb, path)


def tidy(nb: NotebookNode, name: str) -> None:
    """Strip widget state, give cells course ids and derive widget ids from them, in place.

    Parameters
    ----------
    nb : NotebookNode
        The notebook.
    name : str
        Its file name, such as ``04_timeline_1870_1991.ipynb``.
    """
    strip_widget_state(nb)
    course_cell_ids(nb, name)
    stable_widget_ids(nb, name)


def course_cell_ids(nb: NotebookNode, name: str) -> None:
    """Give each cell an id unique across the course, keeping the ids it already has.

    An id is ``l<lesson>-c<number>``, for example ``l04-c013`` in ``04_timeline_1870_1991.ipynb``.
    A cell that already has a valid id of this lesson keeps it, so refreshing never renames
    cells; a new cell (JupyterLab gives it a random id) or a copied one (a duplicate) gets the
    next unused number. Numbers are not renumbered when cells move, so they are not positions.

    Parameters
    ----------
    nb : NotebookNode
        The notebook.
    name : str
        Its file name, which starts with the two-digit lesson number.
    """
    prefix = f"l{name[:2]}-c"
    kept: set[str] = set()
    fresh = []
    for cell in nb.cells:
        if CELL_ID.fullmatch(cell.get("id", "")) and cell.id.startswith(prefix) and cell.id not in kept:
            kept.add(cell.id)
        else:
            fresh.append(cell)
    number = max((int(i[len(prefix) :]) for i in kept), default=-1) + 1
    for cell in fresh:
        cell.id = f"{prefix}{number:03d}"
        number += 1


def stable_widget_ids(nb: NotebookNode, name: str) -> None:
    """Replace the random model ids of widget outputs with ids derived from the cell.

    Without stored widget state the ids point at nothing anyway (a kernel makes new ones), so
    fixed ids only keep a re-run of an unchanged lesson from rewriting the file.
    """
    import hashlib

    for cell in nb.cells:
        for index, output in enumerate(cell.get("outputs", [])):
            view = output.get("data", {}).get("application/vnd.jupyter.widget-view+json")
            if view is not None:
                view["model_id"] = hashlib.md5(f"{name}:{cell.get('id')}:{index}".encode()).hexdigest()


def tidy_file(path: Path) -> bool:
    """Apply :func:`tidy` to the notebook at `path` without executing it; return True if it changed."""
    import copy

    import nbformat

    nb = nbformat.read(path, as_version=4)
    before = copy.deepcopy(nb)
    tidy(nb, path.name)
    if nb == before:
        return False
    nbformat.write(nb, path)
    return True


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python tools/refresh.py", description=__doc__)
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument(
        "--no-execute", "--strip-only", action="store_true",
        help="do not execute: only strip metadata.widgets and fix cell and widget ids",
    )  # fmt: skip
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    for path in paths:
        if args.no_execute:
            if tidy_file(Path(path)):
                print(f"tidied {path} (widget state, cell ids)")
            continue
        print(f"executing {path} ...", flush=True)
        refresh(Path(path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
