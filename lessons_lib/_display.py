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
        self._output: dict[str, Any] | None = None

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {"image/png": base64.b64encode(self.png).decode("ascii"), "text/plain": self.alt}

    def display_data(self) -> dict[str, Any]:
        """Return the image as one ``display_data`` output, as ``Output.append_display_data`` builds it.

        An app sets ``out.outputs = (image.display_data(),)``: one widget message that replaces the
        old chart, where emptying the outputs and then appending sent two (``benchmarks/README.md``,
        click to pixels). The output is built once per image and reused when a state is shown again.
        """
        if self._output is None:
            self._output = {"output_type": "display_data", "data": self._repr_mimebundle_(), "metadata": {}}
        return self._output

    def to_html(self) -> str:
        """Return an ``<img>`` tag with the image inlined and the alt text set."""
        data = base64.b64encode(self.png).decode("ascii")
        return f'<img src="data:image/png;base64,{data}" alt="{html.escape(self.alt)}" style="max-width:100%">'
