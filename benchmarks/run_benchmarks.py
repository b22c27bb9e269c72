"""Benchmarks of what teachers, learners and maintainers feel, as ratios against same-run baselines.

    python3 run.py bench                  # everything (a few minutes)
    python3 run.py bench --only widgets   # one section: import, check, load, widgets, memory, nbval, size, site, classroom, pixels

Prints one table and writes it, with the date and the machine, to ``benchmarks/results/<date>.md``.
Budgets (from the performance issue) are checked and marked; a missed budget is a bug to profile and
fix, not a number to loosen.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
BASELINE_IMPORT = "import pandas, matplotlib.pyplot, ipywidgets"
ROWS: list[tuple[str, str, str, str, str]] = []  # section, what, measured, baseline / ratio, budget


def row(section: str, what: str, measured: str, ratio: str, budget: str, ok: bool | None) -> None:
    mark = "" if ok is None else (" ok" if ok else " MISSED")
    ROWS.append((section, what, measured, ratio, budget + mark))
    print(f"{section:<10} {what:<48} {measured:>12} {ratio:>22} {budget}{mark}", flush=True)


def fresh_process_seconds(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([PY, "-c", code], check=True, cwd=ROOT, env=dict(os.environ, MPLBACKEND="Agg"))
    return time.perf_counter() - start


def alternated(first: str, second: str, n: int = 11) -> tuple[float, float]:
    a, b = [], []
    for _ in range(n):
        a.append(fresh_process_seconds(first))
        b.append(fresh_process_seconds(second))
    return statistics.median(a), statistics.median(b)


def bench_import() -> None:
    ours, base = alternated("import lessons_lib", BASELINE_IMPORT)
    row("import", "import lessons_lib (fresh process)", f"{ours * 1000:.0f} ms", f"{ours / base:.2f}x of {base * 1000:.0f} ms",
        "<= 1.10x", ours / base <= 1.10)  # fmt: skip
    ours, base = alternated("from lessons_lib import load", "from lessons_lib.data import load")
    row("import", "from lessons_lib import load (no pyplot, no widgets)", f"{ours * 1000:.0f} ms",
        f"{ours / base:.2f}x of {base * 1000:.0f} ms", "<= 1.10x of lessons_lib.data", ours / base <= 1.10)  # fmt: skip
    code = "from lessons_lib import load, TimelineExplorer, ComparisonExplorer, chart"
    ours, base = alternated(code, BASELINE_IMPORT)
    row("import", "from lessons_lib import <a lesson's names>", f"{ours * 1000:.0f} ms",
        f"{ours / base:.2f}x of {base * 1000:.0f} ms", "(no budget: includes pandas, matplotlib, widgets)", None)  # fmt: skip


def bench_check() -> None:
    code = "import runpy, sys; sys.argv = ['x', 'check']\ntry: runpy.run_module('lessons_lib', run_name='__main__')\nexcept SystemExit: pass"
    devnull = "import sys, os; sys.stdout = open(os.devnull, 'w')\n"
    ours, base = alternated(devnull + code, BASELINE_IMPORT)
    row("check", "python -m lessons_lib check (fresh process)", f"{ours * 1000:.0f} ms",
        f"{ours / base:.2f}x of {base * 1000:.0f} ms", "<= 0.60x", ours / base <= 0.60)  # fmt: skip


def bench_load() -> None:
    code = (
        "import time; from lessons_lib import data\n"
        "t = time.perf_counter(); [data.load(n) for n in data.dataset_names()]; first = time.perf_counter() - t\n"
        "import timeit; cached = min(timeit.repeat(lambda: data.load('events'), number=20, repeat=5)) / 20\n"
        "print(first, cached)"
    )
    firsts, cacheds = [], []
    for _ in range(5):
        out = subprocess.run([PY, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT).stdout.split()
        firsts.append(float(out[0]))
        cacheds.append(float(out[1]))
    first, cached = statistics.median(firsts), statistics.median(cacheds)
    row("load", "first load() of every dataset, validated", f"{first * 1000:.0f} ms", "", "< 150 ms", first < 0.150)
    row("load", "cached load('events')", f"{cached * 1000:.2f} ms", "", "< 1 ms", cached < 0.001)


#: Control changes that walk each app through every control and back to where it started.
WIDGET_STEPS = {
    "TimelineExplorer": [("ideology_control", "stalinism"), ("figure_control", "trotsky"),
                         ("category_control", "politics"), ("years_control", (1917, 1940)),
                         ("ideology_control", "all"), ("figure_control", "all"), ("category_control", "all"),
                         ("years_control", (1870, 1991))],
    "PolicyExplorer": [("category_control", "economy"), ("group_control", "ideology"),
                       ("choice_control", "stalinism"), ("category_control", "all"), ("choice_control", "all"),
                       ("group_control", "era")],
    "SeriesExplorer": [("series_control", s) for s in ("death_sentences", "grain_harvest", "livestock",
                                                       "five_year_plan", "famine_deaths_1932_33", "gdp_per_capita")]
                      + [("eras_control", False), ("ranges_control", False), ("eras_control", True),
                         ("ranges_control", True)],
}  # fmt: skip


def _timed_ms(prepare: Callable[[int], object], action: Callable[[int], object], n: int = 32) -> float:
    """Median time of ``action(i)`` in ms, each run after an untimed ``prepare(i)``."""
    times = []
    for i in range(n):
        prepare(i)
        start = time.perf_counter()
        action(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


PROFILE = {"on": False}


def _print_profile(name: str, action: Callable[[int], object], n: int) -> None:
    """Print the 25 functions where ``action`` spends most time, with its callees (cumulative)."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(n):
        action(i)
    profiler.disable()
    print(f"\n--- {name}: where a redraw of a new state spends its time ({n} redraws) ---")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(25)


def bench_widgets() -> None:
    os.environ.setdefault("MPLBACKEND", "Agg")
    import ipywidgets as widgets
    import matplotlib.pyplot as plt
    from IPython.display import clear_output
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from lessons_lib import apps, style
    from lessons_lib.charts import CHART_RECT

    for name, steps in WIDGET_STEPS.items():
        factory = getattr(apps, name)
        app = factory()

        def step(i: int, app=app, steps=steps) -> None:
            control, value = steps[i % len(steps)]
            getattr(app, control).value = value

        def forget(i: int, app=app) -> None:
            app._cache.clear()  # every state is one the learner has not seen yet: a full redraw
            getattr(app, "_selections", {}).clear()  # and its rows picked afresh (TimelineExplorer)

        if PROFILE["on"]:
            _print_profile(name, lambda i, forget=forget, step=step: (forget(i), step(i)), len(steps) * 2)

        with style.use_style():  # the same chart on a plain matplotlib figure, kept between redraws
            plain = Figure(figsize=factory.figsize, dpi=factory.dpi)
            FigureCanvasAgg(plain)
            plain_ax = plain.add_axes(CHART_RECT)

        def bare(i: int, app=app, plain=plain, plain_ax=plain_ax) -> None:
            with style.use_style():
                plain_ax.clear()
                app._plot(plain_ax, app._key())
                plain.savefig(io.BytesIO(), format="png", dpi=plain.dpi)

        out = widgets.Output()

        def interact(i: int, app=app, out=out, factory=factory) -> None:
            with out:
                clear_output(wait=True)
                with style.use_style():
                    fig, ax = plt.subplots(figsize=factory.figsize, dpi=factory.dpi)
                    app._plot(ax, app._key())
                    fig.savefig(io.BytesIO(), format="png", dpi=factory.dpi)  # what plt.show() does inline
                    plt.close(fig)

        # The app and its baselines are timed in turn, state by state, so that a machine that speeds up or
        # slows down during the run affects all three alike. Baselines draw the app's current selection.
        times: dict[str, list[float]] = {"app": [], "bare": [], "interact": []}
        for i in range(32):
            forget(i)
            for key, action in (("app", step), ("bare", bare), ("interact", interact)):
                start = time.perf_counter()
                action(i)
                times[key].append(time.perf_counter() - start)
        app_ms, bare_ms, interact_ms = (statistics.median(times[k]) * 1000 for k in ("app", "bare", "interact"))
        revisit_ms = _timed_ms(lambda i: None, step)  # all states now seen: the cached image is shown again
        ok = app_ms <= 1.3 * bare_ms and app_ms < interact_ms and app_ms < 50
        row("widgets", f"{name}: change -> new image (new state; {len(steps)} control changes in turn)",
            f"{app_ms:.0f} ms", f"{app_ms / bare_ms:.2f}x bare, {app_ms / interact_ms:.2f}x interact",
            "<= 1.3x bare, < interact, < 50 ms", ok)  # fmt: skip
        row("widgets", f"{name}: change -> image of a state seen before", f"{revisit_ms:.1f} ms",
            f"{revisit_ms / bare_ms:.2f}x bare", "< 50 ms", revisit_ms < 50)  # fmt: skip
        row("widgets", f"  (bare redraw {bare_ms:.0f} ms; interact pattern {interact_ms:.0f} ms)", "", "", "", None)
        new_ms = _timed_ms(lambda i: None, lambda i, factory=factory: factory(), n=7)
        row("widgets", f"  {name}(): a new app with its first image (cold caches)", f"{new_ms:.0f} ms",
            f"{new_ms / bare_ms:.2f}x bare", "(no budget)", None)  # fmt: skip
    bench_comparison()


def bench_comparison() -> None:
    """The comparison explorer shows HTML, not an image: time a control change to the new page."""
    from lessons_lib.apps import ComparisonExplorer

    app = ComparisonExplorer()
    steps = [(app.toggles["trotskyism"], False), (app.dimension_control, "peasantry"), (app.view_control, "table"),
             (app.sources_control, True), (app.perspectives_control, True), (app.toggles["trotskyism"], True),
             (app.dimension_control, "all"), (app.view_control, "cards"), (app.sources_control, False),
             (app.perspectives_control, False)]  # fmt: skip

    def step(i: int) -> None:
        control, value = steps[i % len(steps)]
        control.value = value

    new_ms = _timed_ms(lambda i: app._cache.clear(), step)
    seen_ms = _timed_ms(lambda i: None, step)
    row("widgets", f"ComparisonExplorer: change -> new page (new state; {len(steps)} control changes in turn)",
        f"{new_ms:.0f} ms", "", "< 50 ms", new_ms < 50)  # fmt: skip
    row("widgets", "ComparisonExplorer: change -> page of a state seen before", f"{seen_ms:.1f} ms", "", "< 50 ms",
        seen_ms < 50)  # fmt: skip


def _kernel_rss(cells: list[str], cwd: Path) -> float:
    """Run code cells in a fresh kernel of this environment and return its resident memory in MiB."""
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3", cwd=str(cwd))
    try:
        for code in cells:
            reply = kc.execute_interactive(code, timeout=300, output_hook=lambda msg: None)
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"cell failed: {code[:80]}")
        probe = "print(int(open('/proc/self/status').read().split('VmRSS:')[1].split()[0]))"
        lines: list[str] = []
        kc.execute_interactive(probe, output_hook=lambda msg: lines.append(msg["content"].get("text", "")))
        return int("".join(lines).strip()) / 1024
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def bench_memory() -> None:
    import nbformat

    base = _kernel_rss([BASELINE_IMPORT + "\n%matplotlib inline"], ROOT)
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        cells = [c.source for c in nb.cells if c.cell_type == "code"]
        rss = _kernel_rss(cells, path.parent)
        row("memory", f"kernel after {path.stem}", f"{rss:.0f} MiB", f"{rss / base:.2f}x of {base:.0f} MiB",
            "<= 1.3x", rss / base <= 1.3)  # fmt: skip


def bench_nbval() -> None:
    report = ROOT / "benchmarks" / ".scratch" / "nbval.json"
    report.parent.mkdir(exist_ok=True)
    start = time.perf_counter()
    subprocess.run(
        [PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", "notebooks", f"--junitxml={report.with_suffix('.xml')}"],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    total = time.perf_counter() - start
    row("nbval", "pytest --nbval over all lessons (wall)", f"{total:.1f} s", "", "< 90 s", total < 90)
    import xml.etree.ElementTree as ET

    per: dict[str, float] = {}
    for case in ET.parse(report.with_suffix(".xml")).iter("testcase"):
        name = case.get("classname", "").removesuffix(".ipynb").split(".")[-1]
        per[name] = per.get(name, 0.0) + float(case.get("time", 0))
    for name, seconds in sorted(per.items()):
        row("nbval", f"  {name}", f"{seconds:.1f} s", "", "", None)
    report.write_text(json.dumps(per))


def bench_size() -> None:
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        size = path.stat().st_size
        row("size", path.name, f"{size / 1024:.0f} KiB", "", "< 2 MB", size < 2_000_000)


#: Time from a click on a kernel-free toggle's button to the frame where the new pane's image is shown.
_CLICK_TO_IMAGE = """async form => {
  const labels = [...form.querySelectorAll(':scope > .lt-tabs > label')];
  const panes = [...form.querySelectorAll(':scope > .lt-panes > .lt-pane')];
  const times = [];
  for (const order of [[...labels.keys()].slice(1), [0]]) for (const i of order) {
    const img = panes[i].querySelector('img');
    const start = performance.now();
    labels[i].click();
    await new Promise(done => { const tick = () => {
      const shown = getComputedStyle(panes[i]).display !== 'none';
      if (shown && (!img || (img.complete && img.getBoundingClientRect().height > 0))) done(); else requestAnimationFrame(tick);
    }; requestAnimationFrame(tick); });
    times.push(performance.now() - start);
  }
  return times;
}"""


def bench_site() -> None:
    """The web edition: build time, each lesson page's weight, and click-to-image time in Chromium."""
    import functools
    import http.server
    import importlib.util
    import tempfile
    import threading

    spec = importlib.util.spec_from_file_location("course_site", ROOT / "tools" / "website.py")
    site = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(site)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        seconds = site.build(out, Path(tmp) / "src")
        row("site", "build the website (stored outputs, offline)", f"{seconds:.1f} s", "", "< 60 s", seconds < 60)
        shared = sum(f.stat().st_size for f in (out / "_static").rglob("*") if f.is_file())
        row("site", "  theme, CSS, JS and search (shared, cached)", f"{shared / 1024:.0f} KiB", "", "", None)
        for page in sorted(out.glob("[0-9][0-9]_*.html")):
            text = page.read_text(encoding="utf-8")
            images = {m for m in re.findall(r'src="(_images/[^"]+)"', text)}
            weight = page.stat().st_size + sum((out / m).stat().st_size for m in images)
            row("site", f"  {page.stem} (HTML + images)", f"{weight / 1024:.0f} KiB", "", "< 3 MB", weight < 3_000_000)
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
        handler.log_message = lambda *a: None  # type: ignore[attr-defined]
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            times = _click_times(f"http://127.0.0.1:{server.server_address[1]}/", sorted(out.glob("[0-9][0-9]_*.html")))
        finally:
            server.shutdown()
            server.server_close()
    if times:
        median, worst = statistics.median(times), max(times)
        row("site", f"click to new image visible (median of {len(times)})", f"{median:.1f} ms", "", "<= 2 frames (33 ms)",
            median <= 33.4)  # fmt: skip
        row("site", "click to new image visible (slowest)", f"{worst:.1f} ms", "", "", None)
    else:
        row("site", "click to new image visible", "no toggles", "", "re-run the lessons", False)


def _click_times(base: str, pages: list[Path]) -> list[float]:
    from playwright.sync_api import sync_playwright

    times: list[float] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        for path in pages:
            page.goto(base + path.name, wait_until="load")
            for form in page.locator("form.lessons-toggle").element_handles():
                form.scroll_into_view_if_needed()
                times += form.evaluate(_CLICK_TO_IMAGE)
        browser.close()
    return times


#: Lessons opened cold (each open runs the whole lesson, 15-120 s, so only three); warm: every lesson.
CLASSROOM_COLD = ("04_timeline_1870_1991.ipynb", "05_economy.ipynb", "08_reading_sources_critically.ipynb")


def _first_widget_seconds(page, url: str) -> float:
    """Seconds from opening `url` until the page's first Jupyter widget is shown."""
    start = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=300_000)
    page.wait_for_selector(".jupyter-widgets >> visible=true", timeout=300_000)  # the first one shown
    return time.perf_counter() - start


def _until_warm(classroom, pid: int, lessons: int, opened: float) -> None:
    """Wait until the server is warm again after a page opened at `opened` (``time.monotonic()``) was left.

    Voila refills a notebook's pool ``FILL_DELAY`` seconds after a page took its kernel; waiting
    until then and until every lesson has a kernel that ran it, all idle, means the next page is
    opened on a warm, quiet server, not beside the refill of the page before.
    """
    time.sleep(max(0.0, opened + classroom.FILL_DELAY + 3 - time.monotonic()))
    classroom.wait_until_preheated(pid, lessons=lessons)


def bench_classroom() -> None:
    """The classroom view (`run.py classroom`): opening a lesson until its first widget shows, cold and warm.

    Cold: a server without preheating (each page runs its lesson when opened), lessons 4, 5 and 8.
    Warm: a preheated server whose kernels have all run their lessons and are idle (the server is
    let settle between two lessons, see ``_until_warm``), every lesson. Both in one browser that has
    already loaded the course index (Voila's scripts cached), at 1280x720. Also the preheated
    kernels' memory, the widgets on each page and the page's HTML size.
    """
    import socket

    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tools"))
    import classroom

    scratch = ROOT / "benchmarks" / ".scratch"
    scratch.mkdir(exist_ok=True)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}/voila/render"
    lessons = [path.name for path in classroom.course()[1:]]
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        for preheat in (False, True):
            label = "warm (preheated)" if preheat else "cold (no preheating)"
            with classroom.serving(port, scratch / "classroom.log", preheat=preheat) as proc:
                if preheat:
                    waited = classroom.wait_until_preheated(proc.pid, lessons=len(lessons))
                    rss = sum(k.memory_info().rss for k in classroom.kernel_processes(proc.pid)) / 2**20
                    row("classroom", "preheating 10 notebooks after the start", f"{waited:.0f} s", "", "", None)
                    row("classroom", "preheated kernels' memory (10)", f"{rss:.0f} MiB", "", "", None)
                page = browser.new_page(viewport={"width": 1280, "height": 720})
                opened = time.monotonic()
                page.goto(f"{base}/index.ipynb", timeout=300_000)
                page.wait_for_selector("text=Nine lessons", timeout=300_000)
                for name in lessons if preheat else CLASSROOM_COLD:
                    if preheat:
                        page.goto("about:blank")  # leave the page before: Voila shuts its kernel down
                        _until_warm(classroom, proc.pid, len(lessons), opened)
                    opened = time.monotonic()
                    seconds = _first_widget_seconds(page, f"{base}/{name}")
                    page.wait_for_load_state("networkidle", timeout=300_000)
                    widgets, html = page.evaluate(
                        "[document.querySelectorAll('.jupyter-widgets').length,"
                        " performance.getEntriesByType('navigation')[0].transferSize]"
                    )
                    budget, ok = ("<= 3 s", seconds <= 3) if preheat else ("", None)
                    shown = f"{seconds:.2f} s"
                    row("classroom", f"open {name[:2]} -> first widget, {label}", shown, "", budget, ok)
                    if preheat:
                        row("classroom", f"lesson {name[:2]}: widgets shown, page HTML", f"{widgets}, {html / 1e3:.0f} kB",
                            "", "", None)  # fmt: skip
                page.close()
        browser.close()


def bench_pixels() -> None:
    """Click to pixels in headless Chromium, JupyterLab and Voila (``benchmarks/click_to_pixels.py``)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import click_to_pixels

    click_to_pixels.run(["lab", "voila"], 12, row)


SECTIONS = {
    "import": bench_import,
    "check": bench_check,
    "load": bench_load,
    "widgets": bench_widgets,
    "memory": bench_memory,
    "nbval": bench_nbval,
    "size": bench_size,
    "site": bench_site,
    "classroom": bench_classroom,
    "pixels": bench_pixels,
}


def machine() -> str:
    cpus = os.cpu_count()
    mem = ""
    try:
        kib = int(open("/proc/meminfo").read().split("MemTotal:")[1].split()[0])
        mem = f", {kib / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    return f"{platform.platform()}, Python {platform.python_version()}, {cpus} cores{mem}"


def _load() -> str:
    """The load average as "1.2 / 3.4 / 5.6" (1, 5 and 15 minutes), or "unknown"."""
    try:
        return " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=sorted(SECTIONS), action="append")
    parser.add_argument(
        "--profile", action="store_true", help="widgets: also print where each app's redraw spends its time (cProfile)"
    )
    args = parser.parse_args()
    PROFILE["on"] = args.profile
    load_at_start = _load()
    for name in args.only or SECTIONS:
        SECTIONS[name]()
    today = dt.date.today().isoformat()
    lines = [
        f"# Benchmarks {today}",
        "",
        f"Machine: {machine()}. Load average (1, 5, 15 min) at the start {load_at_start}, at the end "
        f"{_load()}. Generated by `python3 run.py bench"
        + (" " + " ".join(f"--only {o}" for o in args.only) if args.only else "")
        + "`; ratios are against baselines measured in the same run.",
        "",
        "| section | what | measured | ratio | budget |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {' | '.join(r)} |" for r in ROWS]
    out = ROOT / "benchmarks" / "results" / f"{today}{'-' + '-'.join(args.only) if args.only else ''}.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(lines) + "\n")
    print(f"\nwritten to {out.relative_to(ROOT)}")
    return 0 if all("MISSED" not in r[4] for r in ROWS) else 1


if __name__ == "__main__":
    sys.exit(main())
