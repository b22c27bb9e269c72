"""How ids are shown to a learner: the readable label of a row, and of a quiz answer.

A question names rows of a table by id (``lenin``, ``q01_01``) and a matching answer pairs them
with values (a figure or ideology id, a verdict, a year). These functions turn both into the
words the learner reads, taken from the data: a row's title, text, name, term or quote; a
figure's or ideology's name; a verdict of ``claims.verdict`` capitalised.
"""

from __future__ import annotations

from typing import Any

from lessons_lib.data import choices, load

__all__ = ["question_labels", "row_labels", "value_label"]

_LABEL_COLUMNS = ("title", "text", "name", "term", "quote")
_NAMED_TABLES = ("figures", "ideologies")


def row_labels(table_name: str) -> dict[str, str]:
    """Map a table's ids (its first column) to a readable label.

    Parameters
    ----------
    table_name : str
        A table with one of the columns ``title``, ``text``, ``name``, ``term`` or ``quote``
        (the first found is used).

    Returns
    -------
    dict of str to str

    Examples
    --------
    >>> row_labels("ideologies")["leninism"]
    'Leninism'
    """
    table = load(table_name)
    label = next(c for c in _LABEL_COLUMNS if c in table.columns)
    return dict(zip(table.iloc[:, 0].astype(str), table[label].astype(str), strict=True))


def value_label(value: str) -> str:
    """Return how a matching answer is shown.

    Parameters
    ----------
    value : str
        A value from a question's answer: a figure or ideology id, a verdict, a year ...

    Returns
    -------
    str
        The figure's or ideology's name; a verdict (``claims.verdict``) capitalised; anything
        else (a year) as written.

    Examples
    --------
    >>> value_label("trotsky"), value_label("misleading"), value_label("1929")
    ('Leon Trotsky', 'Misleading', '1929')
    """
    for table in _NAMED_TABLES:
        names = row_labels(table)
        if value in names:
            return names[value]
    if value in choices("claims", "verdict"):
        return value.capitalize()
    return value


def _document_label(author: str, title: str, year: object) -> str:
    """Return 'Author: Title (year)', without the editors' notes in brackets after author and title."""
    return f"{author.split(' (')[0]}: {title.split(' (')[0]} ({year})"


def question_labels(question: Any) -> dict[str, str]:
    """Map each option of a quiz question, and each value of a matching answer, to the words shown.

    Parameters
    ----------
    question : pandas.Series or namedtuple
        A row of the ``questions`` table.

    Returns
    -------
    dict of str to str
        An option that is an id of a row of ``ref_table`` shows that row's label (a document as
        ``Author: Title (year)``, a school by its name); any other option or value shows
        :func:`value_label` with a capital first letter (a figure's name, a verdict, a year, or
        plain words such as ``primary`` or ``true`` as ``Primary``, ``True``).

    Examples
    --------
    >>> from lessons_lib.data import load
    >>> q = load("questions").set_index("id", drop=False).loc["q01_08"]
    >>> question_labels(q)["liberal_totalitarian"]
    'Liberal / totalitarian school'
    """
    if question.ref_table == "documents":
        docs = load("documents")
        rows = dict(zip(docs["id"], map(_document_label, docs["author"], docs["title"], docs["year"]), strict=True))
    else:
        rows = row_labels(question.ref_table)
    shown = {str(o): rows.get(str(o)) or _capitalised(value_label(str(o))) for o in question.options}
    if question.kind == "matching":
        values = (pair.split("=", 1)[1] for pair in question.answer.split("|"))
        shown.update({v: _capitalised(value_label(v)) for v in values})
    return shown


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
