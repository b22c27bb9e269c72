"""lessons_lib: the library behind the course on Leninism, Trotskyism and Stalinism.

One import line serves a notebook::

    from lessons_lib import load, plot_timeline, TimelineExplorer

Names are imported lazily (PEP 562): ``from lessons_lib import load`` imports only the data
layer (no matplotlib.pyplot, no ipywidgets), and ``python -m lessons_lib check`` needs no pandas.
The table below says which module defines each name; ``tests/test_init.py`` checks that it
equals the union of the modules' ``__all__``.
"""

from __future__ import annotations

import difflib
import importlib
import sys
from types import FrameType
from typing import Any

__version__ = "0.1.0"

#: Every public name and the module (``lessons_lib.<module>``) that defines it.
_EXPORTS: dict[str, str] = {
    # validate: checks data/ against data/datapackage.json (standard library only)
    "DataValidationError": "validate",
    "Problem": "validate",
    "read_descriptor": "validate",
    "read_package": "validate",
    "check_package": "validate",
    # data: loads the tables (the one owner of the descriptor and the cache)
    "UnknownNameError": "data",
    "ReadOnlyList": "data",
    "dataset_names": "data",
    "load": "data",
    "describe": "data",
    "descriptor": "data",
    "choices": "data",
    "data_path": "data",
    "clear_cache": "data",
    "ideology_ids": "data",
    "dimension_ids": "data",
    "check_ideologies": "data",
    "check_choice": "data",
    "select_ids": "data",
    "sources_for": "data",
    "format_sources": "data",
    "event_dates": "data",
    # labels: how rows and values are named in quizzes and answers
    "question_labels": "labels",
    "row_labels": "labels",
    "value_label": "labels",
    # query: selections and reshapes of the tables
    "filter_events": "query",
    "filter_policies": "query",
    "comparison_table": "query",
    "comparison_pivot": "query",
    "perspectives_for": "query",
    "series_frame": "query",
    # style: colours, the look of ideologies and categories, fonts
    "OKABE_ITO": "style",
    "ERA_SHADES": "style",
    "RC": "style",
    "use_style": "style",
    "ideology_style": "style",
    "category_style": "style",
    "category_styles": "style",
    # charts: matplotlib charts drawn from the data, with their captions, era shading and alt text
    "plot_comparison": "charts",
    "plot_timeline": "charts",
    "plot_policies": "charts",
    "plot_lifelines": "charts",
    "plot_series": "charts",
    "plot_gdp_comparison": "charts",
    "NO_DATA": "charts",
    "shade_eras": "charts",
    "era_spans": "charts",
    "add_source_line": "charts",
    "set_alt_text": "charts",
    "alt_text": "charts",
    # html: text and HTML built from the data (source lines, the comparison table)
    "comparison_html": "html",
    "source_line_text": "html",
    # apps: the widget apps
    "ChartImage": "apps",
    "ComparisonExplorer": "apps",
    "TimelineExplorer": "apps",
    "PolicyExplorer": "apps",
    "SeriesExplorer": "apps",
    "Quiz": "apps",
    "ClaimChecker": "apps",
    "ArrangeEvents": "apps",
    "WeighFactors": "apps",
    "render_states": "apps",
    # lesson: the helpers a lesson calls (glossary, sources, self-checks, static charts)
    "glossary": "lesson",
    "bibliography": "lesson",
    "self_check": "lesson",
    "exam_questions": "lesson",
    "who_is_who": "lesson",
    "table": "lesson",
    "chart": "lesson",
    # static: kernel-free HTML (CSS-only toggles over pre-rendered states, self-check forms, answer boxes)
    "toggle_html": "static",
    "quiz_html": "static",
    "answer_html": "static",
    # store: where a learner's written work is kept between sessions (standard library only)
    "Store": "store",
    "Record": "store",
    "StoreError": "store",
    "StoreWarning": "store",
    "default_store_dir": "store",
    "KINDS": "store",
    # work: what a learner does and keeps (sourcing cards, written answers, portfolio, progress)
    "documents": "work",
    "SourcingCard": "work",
    "Answer": "work",
    "portfolio": "work",
    "progress": "work",
    "exemplars": "work",
    "rubric": "work",
    "CardWork": "work",
    "AnswerWork": "work",
    "check_answer": "work",
    "cited_ids": "work",
    "CARD_FIELDS": "work",
}

#: The public submodules, also reachable as attributes (``lessons_lib.charts``).
_SUBMODULES = (
    "validate",
    "data",
    "labels",
    "query",
    "style",
    "html",
    "charts",
    "apps",
    "lesson",
    "static",
    "store",
    "work",
)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f"lessons_lib.{_EXPORTS[name]}"), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f"lessons_lib.{name}")
    else:
        close = [] if name.startswith("_") else difflib.get_close_matches(name, __dir__(), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        if _importing_from(sys._getframe(1)):
            raise ImportError(f"cannot import name {name!r} from 'lessons_lib'{hint}", name=__name__, path=__file__)
        raise AttributeError(f"module 'lessons_lib' has no attribute {name!r}{hint}")
    globals()[name] = value  # later look-ups skip __getattr__
    return value


def _importing_from(frame: FrameType) -> bool:
    """Return whether `frame` is running ``from lessons_lib import <name>`` (its IMPORT_FROM step).

    Python turns an AttributeError raised here during ``from lessons_lib import lod`` into its
    own "cannot import name" ImportError and drops the message, so the hint would be lost (3.11
    adds none of its own); an ImportError is passed on as it is. ``getattr`` and ``hasattr`` still
    get an AttributeError. Checked on CPython 3.11.7, 3.12.1 and 3.13.0; where the frame cannot be
    read this way it answers False and Python's plain error stands.
    """
    try:
        import opcode

        return frame.f_code.co_code[frame.f_lasti] == opcode.opmap["IMPORT_FROM"]
    except (AttributeError, IndexError, KeyError):
        return False


def __dir__() -> list[str]:
    return sorted({*_EXPORTS, *_SUBMODULES, "__version__"})
