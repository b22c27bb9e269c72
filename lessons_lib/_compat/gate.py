"""The one version gate, the plain switch, and looking up each shortcut's private hooks once.

See the package docstring for the shortcuts and their hooks.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from typing import Any

import matplotlib as mpl

#: The lowest and highest matplotlib minor versions the shortcuts were checked against.
CHECKED = ((3, 8), (3, 11))
#: Set this environment variable to 1 to draw every chart the plain matplotlib way.
PLAIN_SWITCH = "LESSONS_PLAIN_CANVAS"
#: What a removed or changed hook raises; a shortcut catches these around its whole fast path.
CAUGHT = (AttributeError, TypeError, ValueError)

_found: dict[str, dict[str, Any] | None] = {}  # shortcut -> its hooks, or None when it is off


def _minor_version(version: str) -> tuple[int, int]:
    major, minor = version.split(".")[:2]
    return int(major), int("".join(c for c in minor if c.isdigit()) or 0)


def _version_unchecked() -> str | None:
    """Why this matplotlib is outside :data:`CHECKED`, or None if it is inside."""
    (low_major, low_minor), (high_major, high_minor) = CHECKED
    if CHECKED[0] <= _minor_version(mpl.__version__) <= CHECKED[1]:
        return None
    checked = f"{low_major}.{low_minor} to {high_major}.{high_minor}"
    return f"matplotlib {mpl.__version__} is not one they were checked against ({checked})"


def plain_switch_on() -> bool:
    """Return whether ``LESSONS_PLAIN_CANVAS=1`` asks for plain matplotlib drawing."""
    return os.environ.get(PLAIN_SWITCH, "").strip() not in ("", "0")


def fall_back(shortcut: str, why: str) -> None:
    """Turn `shortcut` off for the rest of the process, and warn why (once: it is off from now on)."""
    _found[shortcut] = None
    message = f"lessons_lib: {shortcut} is off because {why}; charts are drawn the plain matplotlib way "
    warnings.warn(message + "(the same picture, slower redraws).", RuntimeWarning, stacklevel=3)


def find_hooks(shortcut: str, hooks: dict[str, Callable[[], Any]]) -> dict[str, Any] | None:
    """Look up the private hooks `shortcut` needs, once; None if it must not run.

    Parameters
    ----------
    shortcut
        What the shortcut is called in warnings, e.g. ``"the text cache"``.
    hooks
        Each hook's matplotlib name, and a function that returns it (raising ``AttributeError``
        or ``ImportError`` if this matplotlib lacks it).

    Returns
    -------
    dict or None
        The hooks by name; None when :data:`PLAIN_SWITCH` is on, matplotlib is outside
        :data:`CHECKED`, a hook is missing (warned once) or one failed before.
    """
    if plain_switch_on():
        return None
    if shortcut not in _found:
        unchecked = _version_unchecked()
        if unchecked:
            fall_back(shortcut, unchecked)
            return None
        found = {}
        for name, find in hooks.items():
            try:
                found[name] = find()
            except (*CAUGHT, ImportError) as exc:
                fall_back(shortcut, f"matplotlib {mpl.__version__} has no usable {name} ({exc!r})")
                return None
        _found[shortcut] = found
    return _found[shortcut]


def forget() -> None:
    """Look every hook up again on next use (for tests that remove hooks)."""
    _found.clear()
