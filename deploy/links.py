"""Make the link a teacher sends to a class: it copies the course into each student's hub and opens a lesson.

    python3 deploy/links.py --hub https://hub.example.school --repo https://github.com/example/course 04

prints an nbgitpuller link. A student who clicks it logs in to the hub; nbgitpuller then clones
the course into their home folder the first time (``course/`` by default), or merges the new
version into their copy later without overwriting their own changes, and JupyterLab opens the lesson.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path
from urllib.parse import urlencode, urlsplit

__all__ = ["lesson_link", "lesson_file", "lessons"]

ROOT = Path(__file__).resolve().parents[1]
INTERFACES = {"lab": "lab/tree", "notebook": "tree", "voila": "voila/render"}


def lessons(notebooks: Path = ROOT / "notebooks") -> list[str]:
    """Return the lesson notebooks' file names, in order.

    Parameters
    ----------
    notebooks : Path
        The course's notebook folder.

    Returns
    -------
    list of str
    """
    return sorted(p.name for p in notebooks.glob("[0-9][0-9]_*.ipynb"))


def lesson_file(lesson: str, notebooks: Path = ROOT / "notebooks") -> str:
    """Return the notebook file name of a lesson given by number ("4", "04") or name ("04_timeline...").

    Parameters
    ----------
    lesson : str
        A lesson number, or the start of its file name (with or without ``.ipynb``).
    notebooks : Path
        The course's notebook folder.

    Returns
    -------
    str
        E.g. ``"04_timeline_1870_1991.ipynb"``.

    Raises
    ------
    ValueError
        If no lesson matches (the message lists the lessons and suggests the closest).
    """
    names = lessons(notebooks)
    wanted = lesson.strip().removesuffix(".ipynb")
    if wanted.isdigit():
        wanted = f"{int(wanted):02d}_"
    found = [name for name in names if name.startswith(wanted)]
    if len(found) == 1:
        return found[0]
    stems = {name.removesuffix(".ipynb"): name for name in names}
    stems.update({stem[3:]: name for stem, name in list(stems.items())})  # "timeline_1870_1991" too
    close = difflib.get_close_matches(wanted, list(stems), n=1, cutoff=0.5)
    hint = f"did you mean {stems[close[0]].removesuffix('.ipynb')!r}? " if close else ""
    what = "matches several lessons" if found else "is not a lesson"
    raise ValueError(f"{lesson!r} {what}; {hint}Valid: a number 1-{len(names)} or one of {', '.join(names)}")


def lesson_link(
    hub: str,
    repo: str,
    lesson: str,
    *,
    branch: str = "main",
    folder: str = "",
    interface: str = "lab",
    notebooks: Path = ROOT / "notebooks",
) -> str:
    """Return an nbgitpuller link that puts the course in a student's hub folder and opens one lesson.

    Parameters
    ----------
    hub : str
        The hub's address, e.g. ``https://hub.example.school``.
    repo : str
        Where the course's git repository is (an https URL, or a path the hub's server can read).
    lesson : str
        The lesson: a number (``"4"``) or the start of its file name (see :func:`lesson_file`).
    branch : str
        The branch to pull.
    folder : str
        The folder in each student's home that receives the course; by default the
        repository's name (what nbgitpuller itself would choose).
    interface : str
        ``"lab"`` (JupyterLab), ``"notebook"`` (the classic view) or ``"voila"`` (the lesson as an app).
    notebooks : Path
        The course's notebook folder here, to check the lesson's file name.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        For an unknown lesson or interface, or a hub address that is not http(s).

    Examples
    --------
    >>> lesson_link("https://hub.example.school", "https://github.com/example/course", "4")  # doctest: +ELLIPSIS
    'https://hub.example.school/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fexample%2Fcourse&...'
    """
    if interface not in INTERFACES:
        raise ValueError(f"unknown interface {interface!r}; valid: {', '.join(INTERFACES)}")
    if urlsplit(hub).scheme not in {"http", "https"}:
        raise ValueError(f"the hub address {hub!r} must start with https:// (or http:// for a trial)")
    name = lesson_file(lesson, notebooks)
    target = folder or repo.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
    query = {
        "repo": repo,
        "branch": branch,
        "targetpath": target,
        "urlpath": f"{INTERFACES[interface]}/{target}/notebooks/{name}",
    }
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{urlencode(query)}"


def main(argv: list[str] | None = None) -> int:
    """Print the link for each lesson asked for (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lessons", nargs="*", default=["1"], help="lesson numbers or names (default: 1)")
    parser.add_argument("--hub", required=True, help="the hub's address, e.g. https://hub.example.school")
    parser.add_argument("--repo", required=True, help="the course's git repository (https URL)")
    parser.add_argument("--branch", default="main")
    parser.add_argument("--folder", default="", help="folder in each student's home (default: the repo's name)")
    parser.add_argument("--interface", default="lab", choices=sorted(INTERFACES))
    args = parser.parse_args(argv)
    try:
        for lesson in args.lessons:
            link = lesson_link(args.hub, args.repo, lesson, branch=args.branch, folder=args.folder,
                               interface=args.interface)  # fmt: skip
            print(f"{lesson_file(lesson)}: {link}")
    except ValueError as exc:
        print(f"links.py: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
