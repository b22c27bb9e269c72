"""The anatomy every app shares: the base class ``_App`` and the small HTML helpers of the apps."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Hashable, Iterable
from typing import Any

import ipywidgets as widgets
import pandas as pd

from lessons_lib.data import format_sources

__all__ = ["render_states"]

ALL = "all"
LOG = logging.getLogger("lessons_lib.apps")
_MISSING = object()  # a cache entry that is not there (a cached value may be anything, even falsy)


def _esc(value: Any) -> str:
    return html.escape(str(value))


def _sources_html(ids: Iterable[str]) -> str:
    items = "".join(f"<li>{_esc(s)}</li>" for s in format_sources(ids))
    return f"<ul class='lessons-sources'>{items}</ul>"


def _message(text: str, kind: str = "info") -> str:
    colour = {"info": "#0072B2", "error": "#D55E00", "ok": "#009E73"}[kind]
    return f"<p class='lessons-message lessons-{kind}' style='color:{colour};font-weight:bold'>{_esc(text)}</p>"


def _recall(cache: dict[Any, Any], key: Hashable, make: Callable[[], Any], size: int) -> Any:
    """Return ``cache[key]``, made with ``make()`` if missing; keep the `size` most recently used."""
    value = cache.pop(key, _MISSING)
    if value is _MISSING:
        value = make()
    cache[key] = value  # most recently used last
    while len(cache) > size:
        cache.pop(next(iter(cache)))
    return value


def _options(frame: pd.DataFrame, label: str, first: tuple[str, str] | None = ("All", ALL)) -> list[tuple[str, str]]:
    pairs = [(str(row[label]), str(row["id"])) for _, row in frame.iterrows()]
    return ([first] if first else []) + pairs


def _sorry(exc: Exception) -> str:
    """Return the short sentence a learner reads when a callback fails (the traceback goes to the log)."""
    detail = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else "no details"
    return (
        f"Sorry, this app could not update ({type(exc).__name__}: {detail}). "
        "Try another setting or run the cell again; the details are in the log."
    )


class _App(widgets.VBox):
    """Base of every app: controls, one message area, one output area and one ``_update()``.

    An app is itself a widget (a ``VBox``). A subclass builds its controls and areas in
    ``__init__``, calls ``super().__init__(children, message=...)`` (``message`` is the HTML widget
    where problems are shown: a separate line, or the app's output area itself), connects its
    controls with ``self._watch(controls)`` and its buttons with ``self._on_click(button, action)``,
    and ends ``__init__`` with ``self._update()``.

    What a subclass sets or overrides:

    - ``css_class``: the CSS class added beside ``lessons-app`` (pages and browser tests find the
      app by it).
    - ``_key()``: the control values the view depends on, or ``None`` (the default) when views are
      not worth keeping. Views are kept by key, the ``cache_size`` most recently used, so a state
      seen before is shown again at once.
    - ``_render()``: build the view of the current state (the costly part; run for a new key only).
    - ``_show(view)``: put a view into the output area (cheap); it also clears an old message.
    - ``snapshot_html()``: what the app shows now, as static HTML (``render_states`` uses it).
    - optional ``_select()``: a cheap step before each view (e.g. filtering rows for a text panel).
      A ``ValueError`` (e.g. ``UnknownNameError``) from it is shown as the message and ``_clear()``
      runs instead of ``_render()``.
    - optional ``_clear()``: empty the output area after a problem (default: nothing to do).
    - optional ``_on_change(change)``: react to one control's change (default: ``_update()``).

    Every callback (a watched control's change, a button's click) runs through ``_safely``: an
    unexpected exception is logged with its traceback (logger ``lessons_lib.apps``) and the learner
    sees a short sentence in the message area, never a traceback and never nothing. Direct calls
    (``app.check()``, the first ``_update()`` in ``__init__``) raise as usual, so a broken lesson
    fails when it is run.
    """

    css_class = "lessons-app"
    cache_size = 32  # views of recent states kept, so going back is instant

    def __init__(self, children: list[widgets.Widget], message: widgets.HTML):
        self.message = message
        self._cache: dict[Hashable, Any] = {}
        super().__init__(children)
        self.add_class("lessons-app")
        self.add_class(self.css_class)

    def _watch(self, controls: Iterable[widgets.Widget]) -> None:
        """Redraw when the value of a control (or of a control inside a box) changes."""
        for control in controls:
            for child in getattr(control, "children", ()) or (control,):
                if hasattr(child, "value"):
                    child.observe(self._changed, names="value")

    def _on_click(self, button: widgets.Button, action: Callable[[], Any]) -> None:
        """Run `action` when `button` is clicked; a failure is shown in the app."""
        button.on_click(lambda _: self._safely(action))

    def _changed(self, change: dict[str, Any]) -> None:
        self._safely(lambda: self._on_change(change))

    def _safely(self, action: Callable[[], Any]) -> None:
        """Run a callback's `action`; show an exception as a short message and log its traceback."""
        try:
            action()
        except Exception as exc:  # a callback's error would otherwise be lost in the browser console
            LOG.exception("%s could not update", type(self).__name__)
            self._problem(_sorry(exc))

    def _problem(self, text: str) -> None:
        self._clear()
        self.message.value = _message(text, "error")

    def _on_change(self, change: dict[str, Any]) -> None:
        self._update()

    def _update(self) -> None:
        """Show the view of the current control values (a state seen before reuses its view)."""
        try:
            self._select()
        except ValueError as exc:  # e.g. an UnknownNameError: a choice the data cannot show, say why
            self._problem(str(exc))
            return
        key = self._key()
        view = self._render() if key is None else _recall(self._cache, key, self._render, self.cache_size)
        self._show(view)

    def _select(self) -> None:
        """Pick what the current control values need (cheap); nothing by default."""

    def _key(self) -> Hashable | None:
        """Return the control values the view depends on, or None to build every view afresh."""
        return None

    def _render(self) -> Any:  # pragma: no cover - every app overrides it
        """Build the view of the current state."""
        raise NotImplementedError

    def _show(self, view: Any) -> None:  # pragma: no cover - every app overrides it
        """Put `view` into the output area."""
        raise NotImplementedError

    def _clear(self) -> None:
        """Empty the output area after a problem; nothing to do by default."""

    def snapshot_html(self) -> str:  # pragma: no cover - every app overrides it
        """Return what the app shows now as static HTML."""
        raise NotImplementedError

    def kernel_free_html(self) -> str:
        """Return HTML that works with no kernel, stored beside the widget's view ("" for none).

        An app whose kernel-free form is cheap to build (an answer box, not a set of charts)
        overrides this; the HTML then travels in the widget's own output as ``text/html``, shown
        where the widget cannot be (the course website, an untrusted notebook) and ignored where
        it can (a running notebook prefers the widget view).
        """
        return ""

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        bundle = super()._repr_mimebundle_(**kwargs)
        fallback = self.kernel_free_html()
        if bundle is not None and fallback:
            bundle["text/html"] = fallback
        return bundle

    def snapshot(self) -> Any:
        """Return what the app shows now as a static display (for pages read without a kernel)."""
        from IPython.display import HTML

        return HTML(self.snapshot_html())


def render_states(
    app: _App, control: widgets.Widget, values: Iterable[Any], labels: Iterable[str] | None = None
) -> Any:
    """Pre-render an app in several states as a kernel-free toggle, for lessons read without a kernel.

    Sets `control` to each value in turn and collects what the app shows, then restores it.
    The states become one CSS-only toggle (:func:`lessons_lib.static.toggle_html`): a button per
    state switches the view on the course website, in nbconvert HTML and in a trusted notebook,
    with no kernel and no JavaScript; where styles are stripped the states show stacked, each
    under its heading.

    Parameters
    ----------
    app : widget app
        Any of the course's apps (chart apps show their image, the others their HTML).
    control : ipywidgets widget
        The control to step through; the description of a control with options (a menu, a
        row of buttons) names the buttons.
    values : iterable
        The values to show, in order.
    labels : iterable of str, optional
        The buttons' labels; by default the control's option labels (the values themselves
        for a control without options).

    Returns
    -------
    IPython.display.HTML
        The toggle; it opens on the state the control had (else the first).
    """
    from IPython.display import HTML

    from lessons_lib.static import toggle_html

    values = list(values)
    original = control.value
    names = (
        dict((v, k) for k, v in getattr(control, "options", []) if isinstance(k, str))
        if hasattr(control, "options")
        else {}
    )
    shown = [str(names.get(v, v)) for v in values] if labels is None else [str(label) for label in labels]
    if len(shown) != len(values):
        raise ValueError(f"{len(shown)} labels for {len(values)} values; give one label per value")
    states = []
    for label, value in zip(shown, values, strict=True):
        control.value = value
        states.append((label, app.snapshot_html()))
    control.value = original
    selected = next((i for i, value in enumerate(values) if value == original), 0)
    legend = str(getattr(control, "description", "") or "") if hasattr(control, "options") else ""
    return HTML(toggle_html(states, legend=legend, selected=selected))
