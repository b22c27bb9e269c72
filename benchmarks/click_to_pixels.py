"""Click to pixels: from a learner's click on a control to the new chart painted, in a real browser.

    python3 run.py bench --only pixels          # JupyterLab and Voila, a few minutes
    .venv/bin/python benchmarks/click_to_pixels.py --clicks 24 --where voila

A generated notebook shows four widgets one below the other in the same kernel:

- **floor**: toggle buttons and a ``widgets.Image`` that is given an already-encoded PNG of the
  TimelineExplorer's own charts (same size, same bytes) on click: the round trip with no drawing;
- **app**: a ``TimelineExplorer``; its ideology buttons are clicked in turn, in three phases:
  **new, clicked at once** (its kept states emptied before each click and no drawing ahead: the
  chart is drawn on demand), **new after a look** (every widget clicked after a 2 s pause; the app
  forgets each state after its click, so the next one is new to it and only its look-ahead, during
  the pause, can have drawn it), and **revisited** (every state kept: the image is shown again);
- **app through an Output** (diagnosis): the same app showing its chart the way it did before it
  used a ``widgets.Image``: one ``display_data`` output (base64 PNG inside JSON) set on an ``Output``;
- **output floor** (diagnosis only): the app's cached images put into an ``Output`` the way the
  app did it before this benchmark (``outputs = ()`` then ``append_display_data``).

In headless Chromium (Playwright, ``/usr/bin/chromium``) the page clicks a button from JavaScript
and takes ``performance.now()`` at the click, at the first change of the widget's DOM, when the new
``<img>`` is in the DOM, when its ``decode()`` resolves and after the next frame has been painted
(``requestAnimationFrame`` followed by a posted message). The kernel writes how long its handler ran
to a file; WebSocket frames are counted per click. Floor and app clicks alternate, and each round
starts with the next widget, so a machine that gets busier during the run slows all alike and none is
always clicked just after the heaviest one; the figures are medians and the load average is
reported beside them.

``first_widget_seconds`` (also used by the classroom engineer) times opening a lesson in Voila until
its first widget is on the page.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from _serve import free_port, wait_for_url  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip
TOKEN = "click-to-pixels"

#: The benchmark notebook's one code cell. ``{log}`` is the kernel's timing file.
CELL = '''
import json, time
import ipywidgets as widgets
from lessons_lib import ChartImage, TimelineExplorer
from lessons_lib.apps._base import _App

LOG, TIMES = {log!r}, []
NEW_CLICKS = {new_clicks}  # an app's first clicks start from an empty cache: new states, drawn on demand
# then as many clicks after a pause, each handled and then forgotten (with every other state kept): the next
# click's state is new to the app, and only its look-ahead, while the learner looks at the chart, can draw it


def record(kind, start):
    TIMES.append([kind, (time.perf_counter() - start) * 1000])
    with open(LOG, "w") as f:
        json.dump(TIMES, f)


class TimedApp(TimelineExplorer):
    kind = "app"

    def _changed(self, change):
        start = time.perf_counter()
        self.clicks = getattr(self, "clicks", 0) + 1
        # no drawing ahead while new states are clicked at once (the floors, clicked in between, would wait
        # for it); from the last of those clicks on, as in a lesson
        self._lookahead = self.clicks >= NEW_CLICKS
        if self.clicks <= NEW_CLICKS:
            self._cache.clear()
            self._selections.clear()
        super()._changed(change)
        record(self.kind, start)
        if NEW_CLICKS < self.clicks <= 2 * NEW_CLICKS:
            self._cache.clear()  # the look-ahead, planned by this click, runs after this
            self._selections.clear()


class OldPathApp(TimedApp):
    """The app as it was before the widgets.Image: the chart in an Output, as one display_data output
    (base64 PNG in JSON) per redraw, the text panel sent PANEL_DELAY later."""
    kind = "old"

    def __init__(self):
        super().__init__()
        self.out = widgets.Output(layout=widgets.Layout(min_height="450px"))
        self.children = tuple(self.out if c is self.picture else c for c in self.children)
        self._show(self.image)

    def _show(self, image):
        self.image = image
        if hasattr(self, "out"):
            self.out.outputs = ({{"output_type": "display_data", "data": image._repr_mimebundle_(), "metadata": {{}}}},)


def warm(app):
    pngs = {{}}
    for value in [v for _, v in app.ideology_control.options] + [app.ideology_control.options[0][1]]:
        app.ideology_control.value = value
        pngs[value] = app.image.png
    app.clicks = 0
    return pngs


app, old = TimedApp(), OldPathApp()
pngs, _ = warm(app), warm(old)
app.add_class("bench-app")
old.add_class("bench-old")
options = app.ideology_control.options

floor_buttons = widgets.ToggleButtons(options=options)
floor_image = widgets.Image(value=pngs[floor_buttons.value], format="png")
def swap(c):
    s = time.perf_counter()
    floor_image.value = pngs[c.new]
    record("floor", s)
floor_buttons.observe(swap, names="value")
floor = widgets.VBox([floor_buttons, floor_image])
floor.add_class("bench-floor")

out_buttons = widgets.ToggleButtons(options=options)
out = widgets.Output()
def show(c):
    s = time.perf_counter()
    out.outputs = ()
    out.append_display_data(ChartImage(pngs[c.new], "alt"))
    record("output", s)
show(type("C", (), {{"new": out_buttons.value}}))
out_buttons.observe(show, names="value")
output_floor = widgets.VBox([out_buttons, out])
output_floor.add_class("bench-output-floor")
TIMES.clear()  # the warm-up above is not measured: the log holds the clicks only, in order
widgets.VBox([floor, app, old, output_floor])
'''

#: Click button `index` of the toggle buttons inside `selector`; resolve with the times (ms) of the steps.
CLICK = """async ([selector, index]) => {
  const root = document.querySelector(selector);
  const before = root.querySelector('img');
  const src = before ? before.src : null;
  const marks = {};
  const done = new Promise(resolve => {
    const check = () => {
      const img = root.querySelector('img');
      if (marks.mutation === undefined) marks.mutation = performance.now() - t0;
      if (!img || img.src === src) return false;
      marks.inserted = performance.now() - t0;
      observer.disconnect();
      img.decode().catch(() => null).then(() => {
        marks.decoded = performance.now() - t0;
        requestAnimationFrame(() => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => { marks.painted = performance.now() - t0; resolve(marks); };
          channel.port2.postMessage(null);
        });
      });
      return true;
    };
    const observer = new MutationObserver(check);
    observer.observe(root, {subtree: true, childList: true, attributes: true, attributeFilter: ['src']});
  });
  const buttons = root.querySelectorAll('.widget-toggle-buttons button');
  const t0 = performance.now();
  buttons[index].click();
  return await done;
}"""

WAIT_KERNEL = """() => {
  const app = window.jupyterapp;
  const w = app && app.shell.currentWidget;
  const ctx = w && w.sessionContext;
  const k = ctx && ctx.session && ctx.session.kernel;
  return !!(ctx && ctx.isReady && k && k.connectionStatus === 'connected' && k.status === 'idle');
}"""

TARGETS = {"floor": ".bench-floor", "app": ".bench-app", "old": ".bench-old", "output": ".bench-output-floor"}
READY = f"() => {[t + ' img' for t in TARGETS.values()]}.every(s => document.querySelector(s))"


class Server:
    """A JupyterLab or Voila server on 127.0.0.1 serving `folder`, in its own process group."""

    def __init__(self, kind: str, folder: Path, extra: list[str] | None = None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(folder / ".runtime"), JUPYTER_CONFIG_DIR=str(folder / ".config"),
                   JUPYTERLAB_SETTINGS_DIR=str(folder / ".settings"), JUPYTERLAB_WORKSPACES_DIR=str(folder / ".ws"),
                   MPLBACKEND="module://matplotlib_inline.backend_inline")  # fmt: skip
        if kind == "lab":
            notify = folder / ".settings" / "@jupyterlab" / "apputils-extension"
            notify.mkdir(parents=True, exist_ok=True)
            (notify / "notification.jupyterlab-settings").write_text('{"fetchNews": "false", "checkForUpdates": false}')
            root = ["--allow-root"] if os.geteuid() == 0 else []
            args = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={self.port}", "--ip=127.0.0.1",
                    f"--IdentityProvider.token={TOKEN}", "--LabApp.expose_app_in_browser=True",
                    "--LabApp.news_url=None", f"--ServerApp.root_dir={folder}", *root]  # fmt: skip
            probe = f"{self.base}/api/status?token={TOKEN}"
        else:
            args = [sys.executable, "-m", "voila", str(folder), "--no-browser", f"--port={self.port}",
                    "--Voila.ip=127.0.0.1", *(extra or [])]  # fmt: skip
            probe = f"{self.base}/"
        self.log = (folder / f"{kind}-{self.port}.log").open("w")
        self.proc = subprocess.Popen(args, cwd=folder, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)  # fmt: skip
        try:
            wait_for_url(probe, 90, proc=self.proc, every=0.2)
        except RuntimeError:
            self.stop()
            raise

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


def write_notebook(folder: Path, new_clicks: int) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(CELL.format(log=str(folder / "kernel.json"), new_clicks=new_clicks).strip())]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "click_bench.ipynb"
    nbformat.write(nb, path)
    return path


def open_bench(page: Any, where: str, server: Server) -> None:
    if where == "lab":
        page.goto(f"{server.base}/lab/tree/click_bench.ipynb?reset&token={TOKEN}")
        page.wait_for_function(WAIT_KERNEL, timeout=300_000)
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    else:
        page.goto(f"{server.base}/voila/render/click_bench.ipynb", wait_until="commit")
    page.wait_for_function(READY, timeout=300_000)
    page.wait_for_timeout(1500)  # let the first renders settle


def frames_counter(page: Any) -> dict[str, int]:
    """Count the WebSocket frames the page receives (``comm_msg`` frames and their bytes apart)."""
    counts = {"frames": 0, "comm": 0, "comm_bytes": 0}

    def on_frame(payload: Any) -> None:
        data = payload if isinstance(payload, bytes) else str(payload).encode()
        counts["frames"] += 1
        if b'"comm_msg"' in data:
            counts["comm"] += 1
            counts["comm_bytes"] += len(data)

    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
    return counts


#: Before each click of the "after a pause" phase: a learner looking at the chart (the load test waits 2-5 s).
PAUSE_MS = 2000


def measure(page: Any, folder: Path, clicks: int, counts: dict[str, int]) -> dict[str, list[dict[str, float]]]:
    """Click floor, app and output floor in turn; return each click's marks by widget and phase."""
    results: dict[str, list[dict[str, float]]] = {}
    # new states drawn on demand, new states after a pause, one unrecorded round of the four states (the app
    # keeps them all), then revisits
    schedule = ["new"] * clicks + ["paused"] * clicks + ["warm-up"] * 4 + ["revisited"] * clicks
    names = list(TARGETS)
    for i, phase in enumerate(schedule):
        index = [1, 2, 3, 0][i % 4]
        for name in names[i % 4 :] + names[: i % 4]:  # each widget clicked first, second, ... in turn
            selector = TARGETS[name]
            if phase == "paused":  # every widget, so that none is clicked in a busier moment than another
                page.wait_for_timeout(PAUSE_MS)
            before = dict(counts)
            marks = page.evaluate(CLICK, [selector, index])
            page.wait_for_timeout(150)  # the kernel's idle message and any late frame
            marks["comm_frames"] = counts["comm"] - before["comm"]
            marks["comm_kib"] = (counts["comm_bytes"] - before["comm_bytes"]) / 1024
            results.setdefault(f"{name}/{phase}", []).append(marks)
    kernel = json.loads((folder / "kernel.json").read_text())
    for kind in TARGETS:
        times = [ms for k, ms in kernel if k == kind]
        parts = [
            ("new", times[:clicks]),
            ("paused", times[clicks : 2 * clicks]),
            ("revisited", times[2 * clicks + 4 :]),
        ]
        for phase, part in parts:
            for marks, ms in zip(results[f"{kind}/{phase}"], part, strict=False):
                marks["kernel"] = ms
    return results


def first_widget_seconds(page: Any, url: str, selector: str = ".jupyter-widgets", timeout: float = 120) -> float:
    """Seconds from opening `url` (a Voila page) until the first element matching `selector` is shown.

    Parameters
    ----------
    page
        A Playwright page.
    url
        The lesson's Voila URL, e.g. ``http://127.0.0.1:8866/voila/render/04_timeline_1870_1991.ipynb``.
    selector
        What counts as the first widget (default: any rendered Jupyter widget).
    timeout
        Seconds to wait before failing.

    Returns
    -------
    float
        Seconds from ``page.goto`` until the selector is visible.
    """
    start = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=timeout * 1000)
    page.wait_for_selector(selector, state="visible", timeout=timeout * 1000)
    return time.perf_counter() - start


def median(marks: list[dict[str, float]], key: str) -> float:
    values = [m[key] for m in marks if key in m]
    return statistics.median(values) if values else float("nan")


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


NAMES = {
    "floor": "floor (widgets.Image)",
    "app": "app",
    "old": "app through an Output (before the Image)",
    "output": "output floor (cached PNG, outputs=() + append)",
}


#: The phases and their budgets (x floor). A new state clicked at once is drawn on demand: no budget can hold
#: for it while a chart takes longer to draw than the floor's round trip (benchmarks/README.md).
PHASES = {"new": None, "paused": 1.5, "revisited": 1.2}
PHASE_NAMES = {"new": "new state clicked at once (drawn on demand)",
               "paused": f"new state after a {PAUSE_MS / 1000:.0f} s look (drawn ahead)", "revisited": "revisited state"}  # fmt: skip


def report(where: str, results: dict[str, list[dict[str, float]]], row: Any) -> None:
    """Add the rows of one front end: app / floor per phase, then where each widget's time goes."""
    for phase, budget in PHASES.items():
        painted = {k: median(results[f"{k}/{phase}"], "painted") for k in TARGETS}
        floor = painted["floor"]
        for kind in ("app", "old"):
            judged = kind == "app" and budget is not None
            ok = painted[kind] / floor <= budget if judged and budget else None
            row("pixels", f"{where}: click -> chart painted, {PHASE_NAMES[phase]} ({NAMES[kind]})",
                f"{painted[kind]:.0f} ms", f"{painted[kind] / floor:.2f}x floor {floor:.0f} ms",
                f"<= {budget}x floor" if judged else "", ok)  # fmt: skip
        for kind, name in NAMES.items():
            marks = results[f"{kind}/{phase}"]
            parts = ", ".join(f"{k} {median(marks, k):.0f}" for k in ("kernel", "mutation", "inserted", "decoded"))
            row("pixels", f"  {name}: {parts}, painted {painted[kind]:.0f} ms; {median(marks, 'comm_frames'):.0f} "
                f"comm msgs, {median(marks, 'comm_kib'):.0f} KiB", "", "", "", None)  # fmt: skip
    row("pixels", f"  ({where}: load average {load_average()} at the end)", "", "", "", None)


def run(where: list[str], clicks: int, row: Any, startup: bool = True) -> None:
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="click-to-pixels-"))
    servers: list[Server] = []
    try:
        write_notebook(folder, clicks)
        lesson = next((ROOT / "notebooks").glob("04_*.ipynb"))
        shutil.copy(lesson, folder / lesson.name)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for kind in where:
                    server = Server(kind, folder)
                    servers.append(server)
                    page = browser.new_page(viewport={"width": 1280, "height": 2400})
                    counts = frames_counter(page)
                    open_bench(page, kind, server)
                    report("JupyterLab" if kind == "lab" else "Voila", measure(page, folder, clicks, counts), row)
                    page.close()
                    server.stop()
                if "voila" in where and startup:
                    voila_startup(browser, folder, lesson.name, row)
            finally:
                browser.close()
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def voila_startup(browser: Any, folder: Path, lesson: str, row: Any, opens: int = 3) -> None:
    """Open a lesson in a new Voila server (cold), then again (warm); report the time to its first widget."""
    server = Server("voila", folder)
    try:
        times = []
        for _ in range(1 + opens):
            page = browser.new_page()
            times.append(first_widget_seconds(page, f"{server.base}/voila/render/{lesson}"))
            page.close()
        warm = statistics.median(times[1:])
        row("pixels", f"Voila: open {lesson} -> first widget, cold (new server)", f"{times[0]:.2f} s", "", "(no budget)",
            None)  # fmt: skip
        row("pixels", f"Voila: open {lesson} -> first widget, warm (median of {opens})", f"{warm:.2f} s", "",
            "<= 3 s", warm <= 3)  # fmt: skip
    finally:
        server.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clicks", type=int, default=12, help="clicks per widget and phase (default 12)")
    parser.add_argument("--where", choices=["lab", "voila"], action="append", help="default: both")
    parser.add_argument("--no-startup", action="store_true", help="leave out opening lesson 4 in Voila (minutes)")
    args = parser.parse_args()
    rows: list[bool | None] = []
    table: list[tuple[str, str, str, str]] = []

    def row(section: str, what: str, measured: str, ratio: str, budget: str, ok: bool | None) -> None:
        mark = "" if ok is None else (" ok" if ok else " MISSED")
        rows.append(ok)
        table.append((what, measured, ratio, budget + mark))
        print(f"{what:<90} {measured:>9} {ratio:>22} {budget}{mark}", flush=True)

    run(args.where or ["lab", "voila"], args.clicks, row, startup=not args.no_startup)
    write_results(table)
    return 0 if all(ok is not False for ok in rows) else 1


def write_results(table: list[tuple[str, str, str, str]]) -> Path:
    """Write the rows as ``results/<date>-pixels.md``, with the machine and the load average."""
    import datetime as dt
    import platform

    today = dt.date.today().isoformat()
    lines = [f"# Click to pixels {today}", "",
             f"Machine: {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores; "
             f"load average at the end {load_average()} (shared machine). Generated by "
             "`benchmarks/click_to_pixels.py`; ratios are against the floor measured in the same run, click by click.",
             "", "| what | measured | ratio | budget |", "|---|---|---|---|"]  # fmt: skip
    lines += [f"| {' | '.join(r)} |" for r in table]
    out = ROOT / "benchmarks" / "results" / f"{today}-pixels.md"
    out.write_text("\n".join(lines) + "\n")
    print(f"written to {out.relative_to(ROOT)}")
    return out


if __name__ == "__main__":
    sys.exit(main())
