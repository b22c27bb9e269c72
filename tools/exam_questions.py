"""Write the teacher guide's exam-style questions (docs/exam_questions.md) from the data (a maintainer's tool).

    python tools/exam_questions.py            # rewrites docs/exam_questions.md

The text comes from ``data/exam_questions.csv`` (through ``lessons_lib``): per lesson, each
question with its marks, the paper it imitates, the level-of-response mark scheme, the
indicative content with its sources, and how the format was checked.
``tests/test_dataset.py`` fails when the page is out of date with the data.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lessons_lib import format_sources, load  # noqa: E402

PAGE = ROOT / "docs" / "exam_questions.md"


def markdown() -> str:
    """Return the page: a section per lesson, a subsection per question."""
    bank = load("exam_questions")
    titles = load("documents").set_index("id")["title"]
    lines = [
        "# Exam-style questions and mark schemes",
        "",
        "Generated from `data/exam_questions.csv` by `python tools/exam_questions.py`; do not edit by hand.",
        "The questions follow the styles of AQA A-level History 7042, OCR A Level History A (H505),",
        "Pearson Edexcel and the IB Diploma;",
        "they are not official questions, and the level descriptors are the course's own words.",
        "Each question says how its format and mark bands were checked. In the teacher edition of each",
        "lesson, `exam_questions(N)` shows the same questions.",
        "",
    ]
    for lesson, rows in bank.groupby("lesson", sort=True):
        lines += [f"## Lesson {lesson}", ""]
        for q in rows.itertuples():
            lines += [f"### {q.question} [{q.marks} marks]", "", f"*In the style of {q.board_style}: {q.paper}.*", ""]
            if len(q.documents):
                lines += ["Set on: " + "; ".join(titles[d] for d in q.documents) + ".", ""]
            lines += [f"- {level}" for level in q.levels]
            lines += ["", f"**Indicative content.** {q.indicative}", ""]
            lines += ["Sources: " + "; ".join(format_sources(q.sources)) + ".", ""]
            lines += [f"Format checked: {q.format_checked}", ""]
    return "\n".join(lines)


def main() -> int:
    """Write the page and say where."""
    PAGE.write_text(markdown(), encoding="utf-8")
    print(f"wrote {PAGE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
