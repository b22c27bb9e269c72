"""The claim checker: judge claims of the popular web articles, then see the course's verdict."""

from __future__ import annotations

import functools

import ipywidgets as widgets
import pandas as pd

from lessons_lib import query
from lessons_lib.apps._base import _App, _esc, _message, _sources_html
from lessons_lib.data import check_choice, load

__all__ = ["ClaimChecker"]


class ClaimChecker(_App):
    """Judge claims of the popular web articles, then see the verdict, correction and sources.

    Parameters
    ----------
    article : str, optional
        Only claims from this article (``trotskyism_vs_stalinism`` or ``leninism_vs_stalinism``).
    limit : int, optional
        At most this many claims.
    """

    css_class = "lessons-claims"

    def __init__(self, article: str | None = None, limit: int | None = None):
        claims = load("claims")
        if article is not None:
            check_choice(article, query.choices("articles", "id"), "article")
            claims = claims[claims["article"] == article]
        self.claims = claims.head(limit).reset_index(drop=True) if limit else claims.reset_index(drop=True)
        self.verdicts = [str(v) for v in query.choices("claims", "verdict")]
        self._about = dict(load("articles")[["id", "about"]].itertuples(index=False))
        self.index = 0
        self.score = 0
        self.judged: dict[str, str] = {}
        self.claim_html = widgets.HTML()
        self.buttons = [
            widgets.Button(description=v.capitalize(), tooltip=f"I think this claim is {v}") for v in self.verdicts
        ]
        for button, verdict in zip(self.buttons, self.verdicts, strict=True):
            self._on_click(button, functools.partial(self.judge, verdict))
        self.next_button = widgets.Button(description="Next claim")
        self._on_click(self.next_button, self.next)
        self.feedback = widgets.HTML()
        self.score_label = widgets.HTML()
        children = [self.score_label, self.claim_html, widgets.HBox(self.buttons), self.feedback, self.next_button]
        super().__init__(children, message=self.feedback)  # feedback and problems share one line
        self._update()

    def __repr__(self) -> str:
        return f"<ClaimChecker: {len(self.claims)} claims. Run the notebook to judge them.>"

    @property
    def claim(self) -> pd.Series:
        """The claim now shown."""
        return self.claims.iloc[self.index]

    def snapshot_html(self) -> str:
        """Return the score line, the claim and the feedback now shown."""
        return self.score_label.value + self.claim_html.value + self.feedback.value

    def _render(self) -> str:
        article = self._about[self.claim.article]
        return (
            f"<p>A popular web article {_esc(article)} says:</p>"
            f"<blockquote style='font-size:1.15em'>&ldquo;{_esc(self.claim.quote)}&rdquo;</blockquote>"
            "<p>Is this claim accurate, misleading, false or contested?</p>"
        )

    def _show(self, claim: str) -> None:
        self.claim_html.value = claim
        self.feedback.value = ""
        self._score()

    def _score(self) -> None:
        progress = f"<b>Claim {self.index + 1} of {len(self.claims)}</b>"
        self.score_label.value = f"{progress} | agreed with the verdict on {self.score}/{len(self.judged)}"

    def judge(self, verdict: str) -> bool:
        """Record the learner's verdict on the current claim and reveal the evidence.

        Parameters
        ----------
        verdict : str
            One of accurate, misleading, false, contested.

        Returns
        -------
        bool
            Whether it matches the course's verdict.
        """
        check_choice(verdict, self.verdicts, "verdict")
        row = self.claim
        right = verdict == str(row.verdict)
        if row.id not in self.judged:
            self.judged[row.id] = verdict
            self.score += int(right)
        head = "You agree with the course's verdict" if right else f"You said {verdict}; the course's verdict differs"
        self.feedback.value = (
            _message(f"{head}: {row.verdict}.", "ok" if right else "error")
            + f"<p><b>What the evidence says:</b> {_esc(row.correction)}</p>"
            + f"<p><b>Sources</b></p>{_sources_html(row.sources)}"
        )
        self._score()
        return right

    def next(self) -> None:
        """Go to the next claim (back to the first after the last)."""
        self.index = (self.index + 1) % len(self.claims)
        self._update()
