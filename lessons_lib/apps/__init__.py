"""Widget apps: learners toggle between the ideologies and explore the data.

Every app has one anatomy (see ``CONTRIBUTING.md``, "Changing the library"), written once in the
base class ``lessons_lib.apps._base._App``: controls built in ``__init__``, one message area, one
output area, one ``_update()`` that shows the view of the current control values, ``observe`` on
each control, and ``_update()`` called at the end of ``__init__``. An app is itself a widget (a
``VBox``); display it by leaving it as the last expression of a cell. An error inside a callback is
shown in the app as a short message and logged, never lost. Text from the data is HTML-escaped
wherever it is shown.

Modules: ``_base`` (the base class, ``render_states``), ``explorers`` (the chart apps),
``comparison`` (with a predict-then-reveal task), ``quiz``, ``claims`` and ``tasks`` (arrange the events,
weigh the factors); ``_saved`` keeps a task's work in the learner's store.
"""

from __future__ import annotations

from lessons_lib._display import ChartImage
from lessons_lib.apps._base import render_states
from lessons_lib.apps.claims import ClaimChecker
from lessons_lib.apps.comparison import ComparisonExplorer
from lessons_lib.apps.explorers import PolicyExplorer, SeriesExplorer, TimelineExplorer
from lessons_lib.apps.quiz import Quiz
from lessons_lib.apps.tasks import ArrangeEvents, WeighFactors

__all__ = [
    "ChartImage",
    "ComparisonExplorer",
    "TimelineExplorer",
    "PolicyExplorer",
    "SeriesExplorer",
    "Quiz",
    "ClaimChecker",
    "ArrangeEvents",
    "WeighFactors",
    "render_states",
]
