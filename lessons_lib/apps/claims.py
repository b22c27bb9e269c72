"""The claim checker: judge a claim of a popular web article, with a reason, then see the editors' judgement.

The learner reads what the article says of itself (its provenance), chooses a verdict and writes a
one-line reason (required), and only then sees the editors' judgement, what the evidence says and
the independent works to corroborate it in. Nothing is scored: the point is the reasoning. Each
verdict and reason is saved in the learner's store and shown again when the lesson is run again.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import pandas as pd

from lessons_lib import query
from lessons_lib.apps._base import _App, _esc, _message, _sources_html
from lessons_lib.apps._saved import TaskWork, long_text_note
from lessons_lib.data import check_choice, load
from lessons_lib.store import Store

__all__ = ["ClaimChecker"]

_DEFAULTS: dict[str, Any] = {"verdict": None, "reason": "", "checked": False}


def _provenance_html(article: pd.Series) -> str:
    """Return what an article says of itself: its byline, date and references, as visible text."""
    byline = _esc(article.byline) if isinstance(article.byline, str) and article.byline.strip() else "none"
    when = article.last_updated
    date = "none given" if pd.isna(when) else f"{when.day} {when:%B %Y}"
    refs = article.references if isinstance(article.references, list) else []
    listed = "".join(f"<li>{_esc(r)}</li>" for r in refs) if refs else "<li>none</li>"
    return (
        f"<div class='lessons-provenance'><p><b>The article:</b> <i>{_esc(article.title)}</i></p>"
        f"<ul><li><b>Author line:</b> {byline}</li><li><b>Date it gives itself:</b> {date}</li>"
        f"<li><b>References it lists:</b><ul>{listed}</ul></li></ul>"
        f"<p><b>What this tells a reader:</b> {_esc(article.provenance)}</p></div>"
    )


class ClaimChecker(_App):
    """Judge claims of the popular web articles with a verdict and a reason, then see the editors' judgement.

    Parameters
    ----------
    article : str, optional
        The article shown first (``trotskyism_vs_stalinism`` by default); the learner can switch.
    limit : int, optional
        At most this many claims of each article.
    lesson : int
        The lesson the verdicts belong to (in the learner's store).
    store : Store, optional
        Where verdicts and reasons are saved; the learner's store by default.

    Examples
    --------
    >>> checker = ClaimChecker(article="leninism_vs_stalinism")
    >>> checker.judge("accurate", "")
    False
    >>> "one-line reason" in checker.feedback.value
    True
    """

    css_class = "lessons-claims"

    def __init__(self, article: str | None = None, limit: int | None = None, lesson: int = 8,
                 store: Store | None = None):  # fmt: skip
        self.articles = load("articles").set_index("id", drop=False)
        ids = [str(a) for a in query.choices("articles", "id")]
        if article is not None:
            check_choice(article, ids, "article")
        self._all = load("claims")
        self._limit = limit
        self._lesson = lesson
        self._store = store
        self._works: dict[str, TaskWork] = {}
        self.verdicts = [str(v) for v in query.choices("claims", "verdict")]
        self.article_control = widgets.Dropdown(
            options=[(str(self.articles.at[a, "title"]), a) for a in ids],
            value=article or ids[0],
            description="Article",
            layout=widgets.Layout(width="auto"),
        )
        self.provenance = widgets.HTML()
        self.claim_html = widgets.HTML()
        self.verdict_control = widgets.ToggleButtons(
            options=[(v.capitalize(), v) for v in self.verdicts], value=None, description="Verdict"
        )
        self.reason_control = widgets.Text(
            placeholder="One line: why? Name a date, a fact or a work you know.",
            description="Reason",
            layout=widgets.Layout(width="98%"),
        )
        self.check_button = widgets.Button(description="Check my judgement", button_style="primary")
        self.previous_button = widgets.Button(description="Previous claim")
        self.next_button = widgets.Button(description="Next claim")
        self.feedback = widgets.HTML()
        self.status = widgets.HTML()
        self.progress = widgets.HTML()
        self._on_click(self.check_button, self.check)
        self._on_click(self.previous_button, self.previous)
        self._on_click(self.next_button, self.next)
        self.article_control.observe(lambda _: self._safely(self._switch), names="value")
        self.verdict_control.observe(lambda _: self._safely(self._typed), names="value")
        self.reason_control.observe(lambda _: self._safely(self._typed), names="value")
        children = [
            self.article_control, self.provenance, self.progress, self.claim_html, self.verdict_control,
            self.reason_control, widgets.HBox([self.previous_button, self.check_button, self.next_button]),
            self.feedback, self.status,
        ]  # fmt: skip
        super().__init__(children, message=self.feedback)  # feedback and problems share one line
        self._loading = False
        self._select_article()
        self._update()

    def __repr__(self) -> str:
        title = self.articles.at[self.article, "title"]
        return (
            f"<ClaimChecker: {len(self.claims)} claims of the popular web article '{title}'. "
            "Run the notebook to judge them, each with a reason.>"
        )

    # --- state ------------------------------------------------------------------------------

    @property
    def article(self) -> str:
        """The id of the article whose claims are shown."""
        return str(self.article_control.value)

    @property
    def claim(self) -> pd.Series:
        """The claim now shown."""
        return self.claims.iloc[self.index]

    @property
    def judged(self) -> dict[str, str]:
        """The claims of this article checked so far, with the learner's verdict (from the store too)."""
        found = {}
        for claim_id in self.claims["id"]:
            work = self._work(str(claim_id))
            if work.value["checked"] and work.value["verdict"] in self.verdicts:
                found[str(claim_id)] = str(work.value["verdict"])
        return found

    def _select_article(self) -> None:
        claims = self._all[self._all["article"] == self.article]
        self.claims = (claims.head(self._limit) if self._limit else claims).reset_index(drop=True)
        self.index = 0
        self.provenance.value = _provenance_html(self.articles.loc[self.article])

    def _switch(self) -> None:
        self._select_article()
        self._update()

    def _work(self, claim_id: str | None = None) -> TaskWork:
        claim_id = str(self.claim.id) if claim_id is None else claim_id
        if claim_id not in self._works:
            self._works[claim_id] = TaskWork(self._lesson, f"claim.{claim_id}", _DEFAULTS, self._store)
        return self._works[claim_id]

    def _typed(self) -> None:
        if self._loading:
            return
        work = self._work()
        work.set(verdict=self.verdict_control.value, reason=self.reason_control.value)
        self._status()

    def _status(self) -> None:
        kind, text = self._work().status_text()
        note = long_text_note(self.reason_control.value)
        self.status.value = _message(text, kind) + (_message(note, "info") if note else "")

    # --- the view ---------------------------------------------------------------------------

    def snapshot_html(self) -> str:
        """Return the article's provenance, then every claim with a space for a verdict and reason, judgements folded.

        It never shows the learner's saved work, so a lesson's stored output is the same for everyone.
        """
        blocks, shown = [], self.index
        try:
            for i in range(len(self.claims)):
                self.index = i
                blocks.append(
                    f"<div class='lessons-claim' data-claim='{_esc(self.claim.id)}'>"
                    f"<p><b>Claim {i + 1} of {len(self.claims)}</b>. The article says:</p>"
                    f"<blockquote>&ldquo;{_esc(self.claim.quote)}&rdquo;</blockquote>"
                    "<p><b>Your verdict</b> (accurate, misleading, false or contested) "
                    "<b>and a one-line reason:</b></p>"
                    "<div style='border-bottom:1px solid #999;min-height:2em'>&nbsp;</div>"
                    f"<details><summary>The editors' judgement</summary>{self._judgement_html()}</details></div>"
                )
        finally:
            self.index = shown
        return f"<div class='lessons-claims'>{self.provenance.value}{''.join(blocks)}</div>"

    def _progress(self) -> str:
        done = len(self.judged)
        return (
            f"<p><b>Claim {self.index + 1} of {len(self.claims)}</b> | you have judged {done} of them, "
            "each with a reason</p>"
        )

    def _render(self) -> str:
        return (
            "<p>The article says:</p>"
            f"<blockquote style='font-size:1.15em'>&ldquo;{_esc(self.claim.quote)}&rdquo;</blockquote>"
            "<p>Is this claim accurate, misleading, false or contested? Choose a verdict and write one line "
            "saying why, then check your judgement.</p>"
        )

    def _show(self, claim: str) -> None:
        self.claim_html.value = claim
        work = self._work()
        self._loading = True
        try:
            verdict = work.value["verdict"]
            self.verdict_control.value = verdict if verdict in self.verdicts else None
            self.reason_control.value = str(work.value["reason"])
        finally:
            self._loading = False
        self.feedback.value = self._feedback() if work.value["checked"] else ""
        self.progress.value = self._progress()
        self._status()

    def _judgement_html(self) -> str:
        row = self.claim
        return (
            f"<p><b>The editors' judgement:</b> {_esc(row.verdict)}.</p>"
            f"<p><b>What the evidence says:</b> {_esc(row.correction)}</p>"
            "<p><b>Corroborate it in these independent works</b> (not the article, and not this course's "
            f"tables):</p>{_sources_html(row.sources)}"
        )

    def _feedback(self) -> str:
        work = self._work()
        verdict, row = str(work.value["verdict"]), self.claim
        same = verdict == str(row.verdict)
        compare = (
            "The editors reached the same verdict. Does their evidence match your reason?"
            if same
            else "The editors reached a different verdict. Does their evidence change your mind, or can you "
            "argue for yours from the works below?"
        )
        return (
            f"<p><b>Your verdict:</b> {_esc(verdict)}. <b>Your reason:</b> {_esc(work.value['reason'])}</p>"
            f"{_message(compare, 'info')}{self._judgement_html()}"
        )

    # --- what the learner does --------------------------------------------------------------

    def judge(self, verdict: str | None, reason: str) -> bool:
        """Record a verdict and a one-line reason for the current claim, and show the editors' judgement.

        Parameters
        ----------
        verdict : str
            One of accurate, misleading, false, contested.
        reason : str
            Why, in a line (required).

        Returns
        -------
        bool
            Whether the judgement was recorded (False when the verdict or the reason is missing;
            the message says which).

        Raises
        ------
        UnknownNameError
            For a verdict that is not one of the four.
        """
        if verdict is not None:
            check_choice(verdict, self.verdicts, "verdict")
        self.verdict_control.value = verdict
        self.reason_control.value = "" if reason is None else str(reason)
        return self.check()

    def check(self) -> bool:
        """Check the verdict and reason now chosen: show the editors' judgement, or say what is missing."""
        verdict, reason = self.verdict_control.value, self.reason_control.value.strip()
        if verdict is None:
            self.feedback.value = _message("Choose a verdict first: accurate, misleading, false or contested.", "error")
            return False
        if not reason:
            self.feedback.value = _message(
                "Write a one-line reason for your verdict first: a date, a fact or a work that supports it.",
                "error",
            )
            return False
        work = self._work()
        work.set(verdict=verdict, reason=self.reason_control.value, checked=True)
        work.save()
        self._update()
        return True

    def next(self) -> None:
        """Go to the next claim (back to the first after the last)."""
        self.index = (self.index + 1) % len(self.claims)
        self._update()

    def previous(self) -> None:
        """Go back to the previous claim (to the last from the first)."""
        self.index = (self.index - 1) % len(self.claims)
        self._update()
