"""Display values shared by the apps and the lesson helpers (no widgets, no drawing)."""

from __future__ import annotations

import base64
import html
from typing import Any

__all__ = ["ChartImage"]


class ChartImage:
    """A PNG with alt text; displays as the image, with the alt text as its plain-text form.

    Parameters
    ----------
    png : bytes
        The encoded image.
    alt : str
        A description of the chart for screen readers and text-only views.
    title : str
        The chart's title.
    """

    def __init__(self, png: bytes, alt: str, title: str = ""):
        self.png = png
        self.alt = alt
        self.title = title

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {"image/png": base64.b64encode(self.png).decode("ascii"), "text/plain": self.alt}

    def to_html(self) -> str:
        """Return an ``<img>`` tag with the image inlined and the alt text set."""
        data = base64.b64encode(self.png).decode("ascii")
        return f'<img src="data:image/png;base64,{data}" alt="{html.escape(self.alt)}" style="max-width:100%">'
