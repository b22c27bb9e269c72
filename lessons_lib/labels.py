"""How ids are shown to a learner: the readable label of a row, and of a quiz answer.

A question names rows of a table by id (``lenin``, ``q01_01``) and a matching answer pairs them
with values (a figure or ideology id, a verdict, a year). These functions turn both into the
words the learner reads, taken from the data: a row's title, text, name, term or quote; a
figure's or ideology's name; a verdict of ``claims.verdict`` capitalised.
"""

from __future__ import annotations

from lessons_lib.data import choices, load

__all__ = ["row_labels", "value_label"]

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
