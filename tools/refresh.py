"""Re-execute lesson notebooks in place so their stored outputs are fresh (a maintainer tool).

    python3 run.py refresh [NOTEBOOK ...]         # all of notebooks/ by default (installs the tools)
    python tools/refresh.py [NOTEBOOK ...]        # the same, in an environment that has them
    python tools/refresh.py --strip-only NB ...   # only drop metadata.widgets (pre-commit)

Each notebook runs top to bottom in a fresh kernel of the current environment, with no timing
metadata and without ``metadata.widgets`` (widget state bloats notebooks and is rewritten on
every run), so a re-run of an unchanged lesson leaves the file unchanged.

Not part of the installed package: it needs the ``maintainer`` extra (nbformat, nbclient,
ipykernel), which ``python3 run.py refresh`` installs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nbformat import NotebookNode

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


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
    strip_widget_state(nb)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    stable_widget_ids(nb, path.name)
    nbformat.write(nb, path)


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


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python tools/refresh.py", description=__doc__)
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--strip-only", action="store_true", help="only remove metadata.widgets")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    for path in paths:
        if args.strip_only:
            import nbformat

            nb = nbformat.read(path, as_version=4)
            if strip_widget_state(nb):
                nbformat.write(nb, path)
                print(f"stripped metadata.widgets from {path}")
            continue
        print(f"executing {path} ...", flush=True)
        refresh(Path(path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
