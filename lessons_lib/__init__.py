"""lessons_lib: the library behind the course on Leninism, Trotskyism and Stalinism.

One import line serves a notebook::

    from lessons_lib import load, plot_timeline, TimelineExplorer

Names are imported lazily (PEP 562), so ``python -m lessons_lib check`` needs no pandas,
matplotlib or ipywidgets and starts fast.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_MODULES = ("validate", "data", "query", "style", "charts", "apps", "lesson")


def _exports() -> dict[str, str]:
    names = {}
    for module in _MODULES:
        try:
            mod = importlib.import_module(f"lessons_lib.{module}")
        except ModuleNotFoundError as exc:  # a module not written yet
            if exc.name != f"lessons_lib.{module}":
                raise
            continue
        for name in mod.__all__:
            names[name] = module
    return names


_EXPORTS: dict[str, str] | None = None
_KNOWN = {
    "validate": ["DataValidationError", "Problem", "read_descriptor", "read_package", "check_package"],
}


def __getattr__(name: str) -> Any:
    global _EXPORTS
    for module, names in _KNOWN.items():
        if name in names:
            return getattr(importlib.import_module(f"lessons_lib.{module}"), name)
    if name.startswith("_") or name in _MODULES:
        # private names and submodules: let the import system load the submodule itself
        raise AttributeError(f"module 'lessons_lib' has no attribute {name!r}")
    if _EXPORTS is None:
        _EXPORTS = _exports()
    if name not in _EXPORTS:
        import difflib

        close = difflib.get_close_matches(name, list(_EXPORTS), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise AttributeError(f"module 'lessons_lib' has no attribute {name!r}{hint}")
    return getattr(importlib.import_module(f"lessons_lib.{_EXPORTS[name]}"), name)


def __dir__() -> list[str]:
    global _EXPORTS
    if _EXPORTS is None:
        _EXPORTS = _exports()
    return sorted(set(_EXPORTS) | set(_MODULES) | {"__version__"})
