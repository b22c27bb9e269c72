"""Serve the classroom edition of the course through Voila, for projecting (a teacher tool).

    python3 run.py classroom [LESSON.ipynb] [--port 8866] [--no-browser] [--no-preheat] [any voila option]

It (re)builds ``build/editions/classroom/`` (the course index and every lesson, without teacher
notes, answer keys or code: see ``tools/editions.py``) when a source notebook changed, then serves
that folder with Voila:

- the browser opens the **course index**; every lesson links to the previous and next one and to
  the index, and those links stay inside Voila (``/voila/render/NN_name.ipynb``);
- the **classroom template** (``tools/voila/templates/classroom/``) adds the projector stylesheet
  ``classroom.css``: text of 20 px and more, charts the width of the page, tables left-aligned;
- **kernel preheating**: Voila starts one kernel per notebook when the server starts and runs the
  notebook in it ahead of time, so opening a lesson shows its widgets at once. After a page has
  taken its kernel, Voila starts and runs the next one in the background, ``FILL_DELAY`` (15)
  seconds later, once the page is set up (so reopening a lesson within about half a minute waits
  for that kernel). Each preheated lesson kernel holds about 150-250 MB, so the nine lessons and the index
  need about 2 GB; ``--no-preheat`` turns it off (each page then runs its lesson when opened,
  10-35 s).
- **kernel ports** outside the machine's ephemeral range (``tools/_kernels.py``): with
  jupyter_client's own choice, a preheated kernel could lose a port to another kernel starting at
  the same moment and stay dead in its lesson's pool.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import editions  # noqa: E402
from _serve import wait_for_url  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "editions" / "classroom"
#: A Jupyter data directory holding the Voila template ``voila/templates/classroom``.
TEMPLATES = ROOT / "tools"
INDEX = ROOT / "notebooks" / "index.ipynb"
#: The variable naming the folder where answer boxes and quizzes save (see ``lessons_lib.store``).
STORE_VAR = "LESSONS_STORE_DIR"
#: Seconds Voila waits before refilling a lesson's pool after a page took its kernel. The refill (a
#: new kernel importing the libraries and running the lesson, with Voila rendering its outputs) takes
#: both cores of a small machine for 10-40 s; started 2 s after the page (this command's old delay) it
#: competed with the browser setting the page up and with Voila answering it, and lessons 4-9 took
#: 6-13 s to show their first widget instead of 2-3 s (benchmarks/README.md, the classroom section).
#: The price: opening the same lesson again within FILL_DELAY plus a refill waits for that refill.
FILL_DELAY = 15
#: A kernel holding more than this (MiB) has run a lesson (imported pandas, matplotlib, the apps).
RAN_MIB = 110
#: Seconds after which a kernel that no page is connected to is stopped (preheated ones are kept).
IDLE_CULL = 600
#: The kernel manager whose kernels' ports cannot be taken while they start (see ``tools/_kernels.py``).
KERNEL_MANAGER = "tools._kernels.ClassroomKernelManager"
#: JupyterLab extensions a projected lesson does not use (no code, no maths, no slides): not loading
#: them saves the browser about a second per page.
UNUSED_EXTENSIONS = (
    "jupyterlab-rise",
    "jupyterlab_pygments",
    "@jupyterlab/mathjax3-extension",
    "@voila-dashboards/jupyterlab-preview",
)


def course() -> list[Path]:
    """Return the course's notebooks: the index, then the lessons in order."""
    return [INDEX, *editions.lessons()]


def build_classroom(paths: list[Path] | None = None, out: Path = OUT) -> list[Path]:
    """Write the classroom edition of `paths` (default: the whole course) under `out`.

    A file is written only when its text changed, so an up-to-date edition is left alone.

    Parameters
    ----------
    paths : list of Path, optional
        Source notebooks; by default the index and every lesson.
    out : Path
        The folder to write into.

    Returns
    -------
    list of Path
        The files written (empty when the edition was already up to date).
    """
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths if paths is not None else course():
        nb = json.loads(path.read_text(encoding="utf-8"))
        text = json.dumps(editions.edition(nb, "classroom"), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        target = out / path.name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            written.append(target)
    return written


def voila_args(folder: Path = OUT, *, port: int = 8866, preheat: bool = True, pool_size: int = 1) -> list[str]:
    """Return the Voila command-line options that serve `folder` as the classroom view.

    Parameters
    ----------
    folder : Path
        The classroom edition's folder.
    port : int
        The port to serve on.
    preheat : bool
        Start and run one kernel per notebook ahead of time (Voila's ``preheat_kernel``).
    pool_size : int
        How many preheated kernels to keep per notebook.

    Returns
    -------
    list of str
        Arguments for ``python -m voila``.
    """
    args = [
        str(folder),
        f"--port={port}",
        "--template=classroom",
        "--theme=light",
        "--strip_sources=True",
        "--VoilaConfiguration.show_tracebacks=False",
        # a page's kernel is shut down when the page is left; one left without a goodbye (a closed
        # laptop) is stopped after IDLE_CULL seconds without a connection
        f"--MappingKernelManager.cull_idle_timeout={IDLE_CULL}",
        "--MappingKernelManager.cull_interval=60",
        # kernel ports from outside the ephemeral range, where nothing binding port 0 can take them
        # while ten preheated kernels start (tools/_kernels.py; imported from ROOT, Voila's folder)
        f"--MappingKernelManager.kernel_manager_class={KERNEL_MANAGER}",
        *(f"--VoilaConfiguration.extension_denylist={name}" for name in UNUSED_EXTENSIONS),
    ]
    if preheat:
        args += [
            "--VoilaConfiguration.preheat_kernel=True",
            f"--VoilaConfiguration.default_pool_size={pool_size}",
            f"--VoilaKernelManager.fill_delay={FILL_DELAY}",
        ]
    return args


def voila_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """Return the environment for Voila and its kernels, from `base` (default ``os.environ``).

    The classroom template goes on the Jupyter path. What the class types into answer boxes is
    kept in a fresh folder for this server (unless ``LESSONS_STORE_DIR`` is set), so the
    projector never shows the teacher's own saved work or an earlier class's answers.
    """
    env = dict(os.environ if base is None else base)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(TEMPLATES), env.get("JUPYTER_PATH", "")) if p)
    if not env.get(STORE_VAR, "").strip():
        env[STORE_VAR] = tempfile.mkdtemp(prefix="lessons-classroom-work-")
    return env


@contextlib.contextmanager
def serving(port: int, log: Path, *, preheat: bool = True, extra: tuple[str, ...] = ()) -> Iterator[subprocess.Popen]:
    """Run the classroom server (what ``python3 run.py classroom`` runs) on 127.0.0.1:`port` in a ``with`` block.

    For tests and benchmarks.

    Waits until the server answers; on leaving, stops it and its kernels (SIGTERM to its process
    group, then SIGKILL after 30 s). POSIX only. Its output goes to `log`.
    """
    # this file, not run.py: run.py would first sync .venv to the learner's lock when it is stale,
    # removing the test tools from under the caller
    command = [sys.executable, str(Path(__file__).resolve()), f"--port={port}", "--no-browser",
               "--Voila.ip=127.0.0.1", *([] if preheat else ["--no-preheat"]), *extra]  # fmt: skip
    env = dict(
        os.environ, JUPYTER_CONFIG_DIR=str(log.parent / "config"), JUPYTER_RUNTIME_DIR=str(log.parent / "runtime")
    )
    with log.open("w") as out:
        proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            wait_for_url(f"http://127.0.0.1:{port}/voila/static/voila.js", 180, proc=proc, log=log, every=0.5)
            yield proc
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def wait_until_preheated(pid: int, lessons: int, timeout: float = 900) -> float:
    """Wait until the server `pid` has a kernel that has run each of `lessons` lessons, and all are idle.

    A kernel that has run a lesson holds its libraries (over ``RAN_MIB``; a fresh kernel about
    50-80 MiB) and is idle: no kernel used more than 0.05 s of CPU in 2 s, twice in a row. Needs
    psutil (the ``hub`` extra). Returns the seconds waited.
    """
    import psutil

    start, quiet = time.monotonic(), 0
    while time.monotonic() - start < timeout:
        try:
            kernels = kernel_processes(pid)
            before = {k.pid: sum(k.cpu_times()[:2]) for k in kernels}
            time.sleep(2)
            busy = [k for k in kernels if sum(k.cpu_times()[:2]) - before[k.pid] > 0.05]
            ran = [k for k in kernels if k.memory_info().rss > RAN_MIB * 2**20]
        except psutil.NoSuchProcess:
            continue
        quiet = quiet + 1 if len(ran) >= lessons and not busy else 0
        if quiet == 2:
            return time.monotonic() - start
    raise TimeoutError(f"the classroom server had not run its {lessons} lessons ahead within {timeout} s")


def kernel_processes(pid: int) -> list[Any]:
    """Return the kernel processes (psutil) of the server `pid`."""
    import psutil

    return [p for p in psutil.Process(pid).children(recursive=True) if "ipykernel" in " ".join(p.cmdline())]


def _port(args: list[str]) -> tuple[int, list[str]]:
    """Return the ``--port`` given in `args` (``--port 8866`` or ``--port=8866``; default 8866) and the other args."""
    port, rest, it = 8866, [], iter(args)
    for arg in it:
        if arg == "--port":
            port = int(next(it))
        elif arg.startswith("--port="):
            port = int(arg.split("=", 1)[1])
        else:
            rest.append(arg)
    return port, rest


def main(argv: list[str] | None = None) -> int:
    """Build the classroom edition if needed and serve it (see the module docstring)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    lesson = next((Path(a).name for a in argv if a.endswith(".ipynb")), "index.ipynb")
    port, rest = _port([a for a in argv if not a.endswith(".ipynb") and a != "--no-preheat"])
    written = build_classroom()
    print(f"classroom: {len(written) or 'no'} notebook(s) rebuilt in {OUT.relative_to(ROOT)}", flush=True)
    print(
        f"classroom: open http://localhost:{port}/voila/render/{lesson} (the course index is index.ipynb; "
        "lessons open at once when their kernels have run ahead, a minute or two after the start)",
        flush=True,
    )
    command = [sys.executable, "-m", "voila", *voila_args(port=port, preheat="--no-preheat" not in argv), *rest]
    if os.name == "posix":  # become Voila, so that a signal to this process stops the server and its kernels
        os.chdir(ROOT)
        os.execve(sys.executable, command, voila_env())
    try:
        return subprocess.run(command, cwd=ROOT, env=voila_env()).returncode
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
