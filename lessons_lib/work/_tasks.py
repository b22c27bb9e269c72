"""A task widget's saved work (store kind ``"task"``) in words, for the portfolio and the progress view.

Each task saves a small dict (:mod:`lessons_lib.apps._saved`) under an item id that names the
task: ``predict.<ideology>.<dimension>`` (ComparisonExplorer), ``arrange.<hash>`` (ArrangeEvents),
``weigh.stalin_won`` (WeighFactors) and ``claim.<claim id>`` (ClaimChecker). Here each becomes a
heading and a few lines a teacher can read: names from the data, never ids; what the learner
chose or wrote (escaped, so markup shows as text); and, once the learner checked it, the feedback
the widget showed. Saved values are read as damaged files may hold them: anything unexpected is
shown as missing, never an exception. The widgets' modules are imported only when a task is shown.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from lessons_lib.data import load
from lessons_lib.store import Record
from lessons_lib.work._logic import _EMPTY, _as_dict, _esc


def task_started(record: Record) -> bool:
    """Return whether a saved task holds any of the learner's work (a choice, an order, a text)."""
    value = _as_dict(record.value)
    kind = record.item.split(".", 1)[0]
    if kind == "arrange":
        return any(isinstance(e, str) for e in _list(value.get("order")))
    if kind == "weigh":
        return bool(_as_dict(value.get("weights"))) or value.get("compared") is True
    wrote = _text(value.get("text")) or _text(value.get("reason"))
    return bool(wrote.strip()) or value.get("choice") is not None or value.get("verdict") is not None


def task_checked(record: Record) -> bool:
    """Return whether the learner revealed, checked or compared a saved task (and so saw its feedback)."""
    value = _as_dict(record.value)
    return any(value.get(key) is True for key in ("revealed", "checked", "compared"))


def task_html(record: Record) -> str:
    """Return one saved task as a heading and what the learner did, in words.

    Parameters
    ----------
    record : Record
        A record of kind ``"task"``.

    Returns
    -------
    str
        HTML; the learner's text is escaped.
    """
    kind, _, rest = record.item.partition(".")
    value = _as_dict(record.value)
    show = {"predict": _prediction, "arrange": _arrangement, "weigh": _weighting, "claim": _claim}.get(kind)
    try:
        found = show(rest, value) if show else None
    except (KeyError, TypeError, ValueError):  # a row the course no longer has, or a damaged value
        found = None
    if found is None:
        return f"<h3>A task [{_esc(record.item)}]</h3><p>{_EMPTY} (this version of the course cannot show it)</p>"
    title, body = found
    return f"<h3>{title}</h3>{body}"


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _names(table: str) -> dict[str, str]:
    return {str(k): str(v) for k, v in load(table).set_index("id")["name"].items()}


def _said(label: str, text: str) -> str:
    return f"<p><b>{label}:</b> {text or _EMPTY}</p>"


# --- one function per task: (heading, body), or None when the saved item names nothing known ---


def _prediction(rest: str, value: dict[str, Any]) -> tuple[str, str] | None:
    from lessons_lib.apps.comparison import prediction_options

    ideology, _, dimension = rest.partition(".")
    names, dimensions = _names("ideologies"), _names("dimensions")
    if ideology not in names or dimension not in dimensions:
        return None
    labels = dict((v, k) for k, v in prediction_options(ideology, names))
    said = [_esc(labels[value["choice"]])] if value.get("choice") in labels else []
    if _text(value.get("text")).strip():
        said.append(f"&ldquo;{_esc(value['text'])}&rdquo;")
    body = _said("Your prediction", "; ".join(said))
    if value.get("revealed") is True:
        from lessons_lib import query

        row = query.comparison_table(ideologies=[ideology], dimensions=[dimension]).iloc[0]
        body += _said(f"{_esc(names[ideology])}'s position, revealed", f"{_esc(row.summary)} {_esc(row.explanation)}")
    else:
        body += "<p><i>Not revealed yet.</i></p>"
    return f"Predict, then reveal: {_esc(names[ideology])} on {_esc(dimensions[dimension])}", body


def _arrangement(rest: str, value: dict[str, Any]) -> tuple[str, str] | None:
    from lessons_lib.apps.tasks import _date, _ordinal, placements

    events = load("events").set_index("id", drop=False)
    order = [e if isinstance(e, str) and e in events.index else None for e in _list(value.get("order"))]
    known = [e for e in order if e is not None]
    if not order:
        return None
    rows = events.loc[known]
    correct = list(
        rows.assign(m=rows["month"].fillna(0), d=rows["day"].fillna(0)).sort_values(["year", "m", "d"])["id"]
    )
    complete = None not in order and len(set(known)) == len(known)
    result = placements(known, correct) if complete and value.get("checked") is True else None
    items = []
    for n, event in enumerate(order, start=1):
        if event is None:
            items.append(f"<tr><td>{_ordinal(n)}</td><td>{_EMPTY}</td><td></td><td></td></tr>")
            continue
        title = _esc(events.at[event, "title"])
        if result is None:
            items.append(f"<tr><td>{_ordinal(n)}</td><td>{title}</td><td></td><td></td></tr>")
            continue
        place = result[n - 1]
        mark = "✓ in place" if place.in_place else f"✗ belongs {_ordinal(place.right)}"
        items.append(
            f"<tr><td>{_ordinal(n)}</td><td>{title}</td><td>{_esc(_date(events.loc[event]))}</td><td>{mark}</td></tr>"
        )
    table = (
        "<table><thead><tr><th>Place</th><th>Your event</th><th>Date</th><th>Checked</th></tr></thead>"
        f"<tbody>{''.join(items)}</tbody></table>"
    )
    if result is None:
        note = "<p><i>Not checked yet.</i></p>"
    else:
        right = sum(p.in_place for p in result)
        checks = value.get("checks")
        times = f" (checked {checks} times)" if isinstance(checks, int) and checks > 1 else ""
        note = f"<p><b>In the right place:</b> {right} of {len(result)} events{times}.</p>"
    years = sorted(int(y) for y in rows["year"]) if known else []
    span = f" of {years[0]}-{years[-1]}" if years else ""
    return f"Arrange the events: {len(order)} events{span} in date order", table + note


def _weighting(rest: str, value: dict[str, Any]) -> tuple[str, str] | None:
    from lessons_lib.apps.tasks import MAX_WEIGHT, compare_weights

    if rest != "stalin_won":
        return None
    factors = _names("factors")
    weights = {
        f: w
        for f, w in _as_dict(value.get("weights")).items()
        if f in factors and isinstance(w, int) and not isinstance(w, bool) and 0 <= w <= MAX_WEIGHT
    }
    rows = "".join(
        f"<tr><td>{_esc(name)}</td><td>{weights[f]} of {MAX_WEIGHT}</td></tr>" if f in weights
        else f"<tr><td>{_esc(name)}</td><td>{_EMPTY}</td></tr>"
        for f, name in factors.items()
    )  # fmt: skip
    body = f"<table><thead><tr><th>Explanation</th><th>Your weight</th></tr></thead><tbody>{rows}</tbody></table>"
    if value.get("compared") is True and weights:
        matches = compare_weights(weights, load("emphases"))
        close = ", ".join(_esc(m.historian) for m in matches if m.closeness >= 0.75) or "none of the historians"
        listed = "".join(
            f"<li>{_esc(m.historian)}: you agree on {sum(r[3] == 'agree' for r in m.rows)}, partly agree on "
            f"{sum(r[3] == 'partly' for r in m.rows)} and differ on {sum(r[3] == 'differ' for r in m.rows)} of "
            f"the {len(m.rows)} explanations it takes a position on</li>"
            for m in matches
        )
        body += f"<p><b>Closest to your weighting:</b> {close}.</p><ul>{listed}</ul>"
    else:
        body += "<p><i>Not compared with the historians yet.</i></p>"
    return "Weigh the factors: why did Stalin win?", body


def _claim(rest: str, value: dict[str, Any]) -> tuple[str, str] | None:
    claims = load("claims").set_index("id")
    if rest not in claims.index:
        return None
    claim = claims.loc[rest]
    article = load("articles").set_index("id").at[claim["article"], "title"]
    verdict = value.get("verdict") if isinstance(value.get("verdict"), str) else ""
    body = (
        f"<p>The article says: &ldquo;{_esc(claim['quote'])}&rdquo;</p>"
        f"{_said('Your verdict', _esc(verdict))}{_said('Your reason', _esc(_text(value.get('reason'))))}"
    )
    if value.get("checked") is True and not pd.isna(claim["verdict"]):
        same = "the same as yours" if verdict == claim["verdict"] else "not the same as yours"
        body += _said("The editors' judgement", f"{_esc(claim['verdict'])} ({same}). {_esc(claim['correction'])}")
    else:
        body += "<p><i>Not checked yet.</i></p>"
    return f"Claim checker: <i>{_esc(article)}</i>", body
