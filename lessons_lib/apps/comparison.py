"""The comparison explorer: the ideologies side by side, dimension by dimension, as cards or a table."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import ipywidgets as widgets
import pandas as pd

from lessons_lib import query, style
from lessons_lib.apps._base import ALL, _App, _esc, _message, _options, _sources_html
from lessons_lib.data import check_choice, check_ideologies, ideology_ids, load
from lessons_lib.html import comparison_html
from lessons_lib.labels import row_labels

__all__ = ["ComparisonExplorer"]


class ComparisonExplorer(_App):
    """Compare the ideologies dimension by dimension, as cards or a table.

    Parameters
    ----------
    ideologies : iterable of str, optional
        Ideologies selected at start (all by default).
    dimension : str, optional
        A dimension id, or ``"all"`` (default).
    view : {"cards", "table"}
        How positions are laid out.

    Examples
    --------
    >>> app = ComparisonExplorer(["leninism", "stalinism"], dimension="peasantry")
    >>> app.ideologies
    ['leninism', 'stalinism']
    """

    css_class = "lessons-comparison"

    def __init__(self, ideologies: Iterable[str] | None = None, dimension: str = ALL, view: str = "cards"):
        chosen = check_ideologies(ideologies)
        names = load("ideologies").set_index("id")["name"]
        self.toggles = {
            i: widgets.ToggleButton(value=i in chosen, description=str(names[i]), tooltip=f"Show {names[i]}")
            for i in ideology_ids()
        }
        dimensions = load("dimensions")
        if dimension != ALL:
            check_choice(dimension, dimensions["id"].astype(str), "dimension")
        self.dimension_control = widgets.Dropdown(
            options=_options(dimensions, "name", ("All dimensions", ALL)), value=dimension, description="Dimension"
        )
        self.view_control = widgets.ToggleButtons(options=[("Cards", "cards"), ("Table", "table")], value=view)
        self.sources_control = widgets.Checkbox(value=False, description="Show sources")
        self.perspectives_control = widgets.Checkbox(value=False, description="How historians read it")
        self.content = widgets.HTML(layout=widgets.Layout(min_height="300px"))
        controls = [
            widgets.HBox(list(self.toggles.values())),
            widgets.HBox([self.dimension_control, self.view_control]),
            widgets.HBox([self.sources_control, self.perspectives_control]),
        ]
        super().__init__([*controls, self.content], message=self.content)  # a problem replaces the page
        self._watch(controls)
        self._update()

    def __repr__(self) -> str:
        shown = ", ".join(self.ideologies) or "nothing"
        return f"<ComparisonExplorer: {shown} on {self.dimension}. Run the notebook to use the controls.>"

    @property
    def ideologies(self) -> list[str]:
        """The ideologies now selected, in canonical order."""
        return [i for i, t in self.toggles.items() if t.value]

    @property
    def dimension(self) -> str:
        """The dimension id now selected, or ``"all"``."""
        return self.dimension_control.value

    @property
    def html(self) -> str:
        """The HTML now shown."""
        return self.content.value

    def snapshot_html(self) -> str:
        """Return the HTML now shown."""
        return self.html

    def _key(self) -> tuple[Any, ...]:
        return (tuple(self.ideologies), self.dimension, self.view_control.value, self.sources_control.value,
                self.perspectives_control.value)  # fmt: skip

    def _show(self, page: str) -> None:
        self.content.value = page

    def _render(self) -> str:
        if not self.ideologies:
            return _message("Select at least one ideology to compare.", "error")
        dims = None if self.dimension == ALL else [self.dimension]
        if self.view_control.value == "table":
            body = comparison_html(ideologies=self.ideologies, dimensions=dims, show_sources=self.sources_control.value)
        else:
            body = self._cards(query.comparison_table(ideologies=self.ideologies, dimensions=dims))
        if self.perspectives_control.value:
            body += self._perspectives(dims)
        return body

    def _cards(self, table: pd.DataFrame) -> str:
        dims = load("dimensions").set_index("id")
        names = row_labels("ideologies")
        looks = {i: style.ideology_style(i) for i in ideology_ids()}
        by_dimension: dict[str, list[Any]] = {}
        for row in table.itertuples():
            by_dimension.setdefault(str(row.dimension_id), []).append(row)
        parts = []
        for dim_id, rows in by_dimension.items():
            cards = []
            for row in rows:
                look = looks[str(row.ideology_id)]
                flag = f"<p class='contested'><b>Contested:</b> {_esc(row.contested_note)}</p>" if row.contested else ""
                sources = _sources_html(row.sources) if self.sources_control.value else ""
                cards.append(
                    f"<div class='card' style='flex:1;min-width:220px;border-top:6px {_css_line(look)} "
                    f"{look['color']};padding:8px;margin:4px;background:#fafafa'>"
                    f"<h4>{_esc(names[str(row.ideology_id)])}</h4><p><b>{_esc(row.summary)}</b></p>"
                    f"<p>{_esc(row.explanation)}</p>{flag}{sources}</div>"
                )
            parts.append(
                f"<h3>{_esc(dims.at[dim_id, 'name'])}</h3><p><i>{_esc(dims.at[dim_id, 'question'])}</i></p>"
                f"<div style='display:flex;flex-wrap:wrap'>{''.join(cards)}</div>"
            )
        return "".join(parts)

    def _perspectives(self, dims: list[str] | None) -> str:
        dim_ids = dims or [str(d) for d in load("dimensions")["id"]]
        traditions = load("traditions").set_index("id")["name"]
        dim_names = load("dimensions").set_index("id")["name"]
        readings = load("perspectives").sort_values(["dimension_id", "tradition_id"])  # one pass, canonical order
        by_dimension = {str(d): rows for d, rows in readings.groupby("dimension_id", observed=True)}
        parts = ["<h3>How historians read it</h3>"]
        for dim in dim_ids:
            rows = by_dimension.get(dim, readings.iloc[0:0])
            items = "".join(
                f"<li><b>{_esc(traditions[r.tradition_id])}</b> ({_esc(r.proponents)}): {_esc(r.reading)}"
                + (_sources_html(r.sources) if self.sources_control.value else "")
                + "</li>"
                for r in rows.itertuples()
            )
            parts.append(f"<h4>{_esc(dim_names[dim])}</h4><ul>{items}</ul>")
        return "".join(parts)


def _css_line(look: dict[str, Any]) -> str:
    return {"-": "solid", "--": "dashed", ":": "dotted", "-.": "double"}.get(look.get("linestyle", "-"), "solid")
