"""A whole class on one JupyterHub: log N students in, run a lesson in each, and toggle its app.

    sudo .venv/bin/python benchmarks/load_test.py --students 30 --seconds 60 [--write]

Starts a trial hub on 127.0.0.1 (``deploy/hub.py``: real system users, each student's server as
that student), then for every student at once: logs in through the hub's login form, makes an
API token from that session, starts the server and waits until it is ready, opens a kernel and
runs every code cell of the lesson (default: lesson 4, the timeline) through the kernel's
websocket, as JupyterLab does. Then each student changes one of the timeline explorer's menus or
buttons at a human pace (every 2-5 s) for ``--seconds``, by sending the widget comm message a
browser sends, and the time until the kernel's message with the new image arrives is recorded.

Also checked: student 2 cannot open student 1's server, nor read or change student 1's saved
answer from their own kernel; student 1's nbgitpuller link (``deploy/links.py``) pulls the course.

Reported: time until all servers were ready, change-to-image p50/p95/max, errors, memory per
student (PSS and RSS of all their processes), CPU per server start, load average. The last line
is ``load test: students=N p95=X s errors=E``. Every process and user it made is removed on exit,
also after Ctrl-C or a failure. The exit code is 1 when there was any error or a budget missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import pwd
import random
import re
import secrets
import signal
import statistics
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
import requests
import websocket

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "deploy"))
from hub import TrialHub, remove_stale_users, require_root  # noqa: E402
from links import lesson_file, lesson_link  # noqa: E402

BUDGET_P95 = 1.0  # s, change to image, all students active
BUDGET_MIB = 300  # per student
APP_CLASS = "lessons-timeline"
IMAGE_TIMEOUT = 30.0  # s without the new image counts as an error
UNCHANGED_GRACE = 1.0  # s after the kernel went idle on a change with no image: the chart did not change
CACHE_SIZE = 32  # the apps keep this many recent states (lessons_lib.apps._base._App.cache_size)
MIB = 1024 * 1024
#: The students' names: ``class`` and four hex digits per run (runs of several checkouts may overlap), then ``-01`` ...
NAMES = r"class[0-9a-f]{4}-\d{2}"


@dataclass
class Student:
    """One student's session: their token, kernel websocket, widgets and measurements."""

    name: str
    hub: str
    session: requests.Session = field(default_factory=requests.Session)
    token: str = ""
    ws: Any = None
    kernel: str = ""
    ready_at: float = 0.0
    models: dict[str, dict[str, Any]] = field(default_factory=dict)
    latencies: list[tuple[float, bool]] = field(default_factory=list)  # (seconds, state seen before)
    errors: list[str] = field(default_factory=list)
    unchanged: int = 0  # changes after which the app showed the same chart (no image is sent)

    @property
    def base(self) -> str:
        return f"{self.hub}/user/{self.name}"

    def api(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        headers = {"Authorization": f"token {self.token}"} if self.token else {}
        return requests.request(method, url, headers=headers, timeout=60, **kwargs)


PROTOCOL = "v1.kernel.websocket.jupyter.org"  # the kernel websocket protocol JupyterLab 4 speaks


def _decode(frame: bytes) -> dict[str, Any]:
    """Decode a kernel websocket frame of the v1 protocol (jupyter_server's ``deserialize_msg_from_ws_v1``)."""
    count = int.from_bytes(frame[:8], "little")
    offsets = [int.from_bytes(frame[8 * (i + 1) : 8 * (i + 2)], "little") for i in range(count)]
    parts = [frame[a:b] for a, b in zip(offsets[1:-1], offsets[2:], strict=True)]
    header, parent, metadata, content = (json.loads(part) for part in parts[:4])
    return {"channel": frame[offsets[0] : offsets[1]].decode(), "header": header, "parent_header": parent,
            "metadata": metadata, "content": content, "buffers": parts[4:]}  # fmt: skip


def _message(student: Student, channel: str, msg_type: str, content: dict[str, Any]) -> str:
    """Send one message to the kernel, framed as JupyterLab frames it; return its id."""
    msg_id = uuid.uuid4().hex
    header = {"msg_id": msg_id, "msg_type": msg_type, "username": student.name, "session": student.name,
              "date": dt.datetime.now(dt.UTC).isoformat(), "version": "5.3"}  # fmt: skip
    parts = [json.dumps(part).encode() for part in (header, {}, {}, content)]
    offsets = [8 * (1 + 1 + len(parts) + 1)]
    offsets.append(offsets[-1] + len(channel))
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    head = b"".join(n.to_bytes(8, "little") for n in [len(offsets), *offsets])
    student.ws.send_binary(head + channel.encode() + b"".join(parts))
    return msg_id


def _track(student: Student, msg: dict[str, Any]) -> None:
    """Keep the widget models' state up to date, as a browser does."""
    kind, content = msg["header"].get("msg_type"), msg.get("content", {})
    if kind == "comm_open" and content.get("target_name") == "jupyter.widget":
        student.models[content["comm_id"]] = dict(content["data"].get("state", {}))
    elif kind == "comm_msg" and content.get("data", {}).get("method") == "update":
        student.models.setdefault(content["comm_id"], {}).update(content["data"].get("state", {}))
    elif kind == "comm_close":
        student.models.pop(content["comm_id"], None)


def _has_image(msg: dict[str, Any]) -> bool:
    data = msg.get("content", {}).get("data", {})
    if data.get("method") != "update":
        return False
    outputs = data.get("state", {}).get("outputs") or []
    return any("image/png" in out.get("data", {}) for out in outputs) or bool(msg.get("buffers"))


def run_code(student: Student, code: str, timeout: float = 300) -> dict[str, Any]:
    """Execute `code` in the student's kernel; return the reply (text output under ``"stdout"``)."""
    msg_id = _message(student, "shell", "execute_request",
                      {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                       "allow_stdin": False, "stop_on_error": True})  # fmt: skip
    reply: dict[str, Any] | None = None
    stdout, idle = [], False
    deadline = time.monotonic() + timeout
    while not (reply is not None and idle):
        student.ws.settimeout(max(0.1, deadline - time.monotonic()))
        msg = _decode(student.ws.recv())
        _track(student, msg)
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = msg["header"]["msg_type"]
        if kind == "execute_reply":
            reply = msg["content"]
        elif kind == "stream":
            stdout.append(msg["content"]["text"])
        elif kind == "status" and msg["content"]["execution_state"] == "idle":
            idle = True
        if time.monotonic() > deadline:
            raise TimeoutError(f"no reply to a cell within {timeout:.0f} s")
    return dict(reply or {}, stdout="".join(stdout))


def log_in_and_start(student: Student, password: str, service_token: str) -> None:
    """Log in through the hub's form, get the student a token, start their server, wait for it.

    The token is made by the load test's service (a browser would use the session's cookie
    instead); it carries the student's own permissions, so it opens only their server.
    """
    hub, session = student.hub, student.session
    session.get(f"{hub}/hub/login", timeout=60).raise_for_status()
    xsrf = session.cookies.get("_xsrf", "")
    answer = session.post(f"{hub}/hub/login", data={"username": student.name, "password": password, "_xsrf": xsrf},
                          allow_redirects=False, timeout=60)  # fmt: skip
    if answer.status_code != 302 or "jupyterhub-hub-login" not in session.cookies:
        raise RuntimeError(f"login failed: HTTP {answer.status_code}")
    made = requests.post(f"{hub}/hub/api/users/{student.name}/tokens", headers={"Authorization": f"token {service_token}"},
                         json={"note": "load test", "expires_in": 3600}, timeout=60)  # fmt: skip
    made.raise_for_status()
    student.token = made.json()["token"]
    started = student.api("POST", f"{hub}/hub/api/users/{student.name}/server")
    if started.status_code not in (201, 202):
        raise RuntimeError(f"could not start the server: HTTP {started.status_code} {started.text[:200]}")
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        server = student.api("GET", f"{hub}/hub/api/users/{student.name}").json()["servers"].get("", {})
        if server.get("ready"):
            student.ready_at = time.monotonic()
            return
        if not server.get("pending"):
            raise RuntimeError(f"the server stopped while starting: {server}")
        time.sleep(1)
    raise TimeoutError("the server was not ready within 900 s")


def open_lesson(student: Student, lesson: Path) -> None:
    """Start a kernel through the student's server and run every code cell of `lesson` in it."""
    made = student.api("POST", f"{student.base}/api/kernels", json={"name": "python3"})
    made.raise_for_status()
    student.kernel = made.json()["id"]
    url = f"{student.base}/api/kernels/{student.kernel}/channels".replace("http://", "ws://")
    # The server answers the websocket once the new kernel has replied to kernel_info: with every student's
    # kernel starting at once on a busy machine that took over 60 s once (CI, load 3.4), so wait as long as
    # a cell may take (run_code sets the timeout of each cell after this)
    student.ws = websocket.create_connection(
        url, header=[f"Authorization: token {student.token}"], subprotocols=[PROTOCOL], timeout=300
    )
    cells = [c for c in json.loads(lesson.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    for number, cell in enumerate(cells, 1):
        reply = run_code(student, "".join(cell["source"]))
        if reply.get("status") != "ok":
            student.errors.append(f"lesson cell {number}: {reply.get('ename')}: {reply.get('evalue')}")


def _app_controls(student: Student) -> tuple[list[str], set[str]]:
    """Return the ids of the app's option controls (menus, buttons) and of every model inside the app."""
    apps = [mid for mid, s in student.models.items() if APP_CLASS in (s.get("_dom_classes") or [])]
    if not apps:
        raise RuntimeError(f"the lesson showed no app with the CSS class {APP_CLASS!r}")
    inside, todo = set(), [apps[0]]
    while todo:
        mid = todo.pop()
        inside.add(mid)
        todo += [c.removeprefix("IPY_MODEL_") for c in student.models.get(mid, {}).get("children", [])]
    controls = sorted(m for m in inside if "_options_labels" in student.models[m] and "index" in student.models[m])
    return controls, inside


def toggle(student: Student, seconds: float, pace: tuple[float, float], start: threading.Barrier) -> None:
    """Change one control of the app every `pace` seconds for `seconds`, timing each new image."""
    controls, inside = _app_controls(student)
    rng = random.Random(student.name)
    recent: list[tuple[int, ...]] = []
    start.wait()
    deadline = time.monotonic() + seconds
    while True:
        time.sleep(rng.uniform(*pace))
        if time.monotonic() > deadline:
            return
        control = rng.choice(controls)
        options = len(student.models[control]["_options_labels"])
        now = student.models[control]["index"]
        new = rng.choice([i for i in range(options) if i != now])
        student.models[control]["index"] = new
        key = tuple(student.models[c]["index"] for c in controls)
        seen = key in recent
        recent = [k for k in recent if k != key][-(CACHE_SIZE - 1) :] + [key]
        sent = time.monotonic()
        msg_id = _message(student, "shell", "comm_msg", {"comm_id": control, "data": {"method": "update",
                          "state": {"index": new}, "buffer_paths": []}})  # fmt: skip
        idle_at = None  # when the kernel finished handling the change
        while True:
            left = IMAGE_TIMEOUT - (time.monotonic() - sent)
            if idle_at is not None:
                left = min(left, UNCHANGED_GRACE - (time.monotonic() - idle_at))
            if left <= 0 and idle_at is not None:
                # Handled, and no image: the new state draws the chart already shown (an app sends an image only
                # when it changes, e.g. a person with no events among those already filtered). Not a wait.
                student.unchanged += 1
                break
            if left <= 0:
                student.errors.append(f"no new image within {IMAGE_TIMEOUT:.0f} s of a change")
                return
            student.ws.settimeout(left)
            try:
                msg = _decode(student.ws.recv())
            except websocket.WebSocketTimeoutException:
                continue  # the loop decides: grace over (unchanged) or the image timeout (an error)
            _track(student, msg)
            content = msg.get("content", {})
            parent = msg.get("parent_header", {}).get("msg_id")
            if msg["header"]["msg_type"] == "status" and content.get("execution_state") == "idle" and parent == msg_id:
                idle_at = time.monotonic()
            if msg["header"]["msg_type"] == "error" or "could not update" in str(content.get("data", {})):
                student.errors.append(f"the app failed after a change: {str(content)[:200]}")
            if content.get("comm_id") in inside and _has_image(msg):
                student.latencies.append((time.monotonic() - sent, seen))
                break


ISOLATION_WRITE = """
from lessons_lib.store import Store, default_store_dir
record = Store().save("answer", 4, "l04_central", "my own answer")
print(Store().path("answer", 4, "l04_central"))
"""
ISOLATION_PROBE = """
import os
from pathlib import Path
from lessons_lib.store import Store, StoreError
other = Path({path!r})
results = []
try:
    other.read_text(); results.append("read")
except PermissionError:
    pass
try:
    Store(other.parents[2]).save("answer", 4, "l04_central", "changed by someone else"); results.append("wrote")
except StoreError:
    pass
try:
    os.listdir(other.parents[6]); results.append("listed home")
except PermissionError:
    pass
print("isolation breaches:", results)
"""


def check_isolation(first: Student, second: Student) -> list[str]:
    """Return what the second student could do to the first's work (empty when isolated)."""
    problems = []
    saved = run_code(first, ISOLATION_WRITE)["stdout"].strip()
    home = Path(pwd.getpwnam(first.name).pw_dir)
    if not saved.startswith(str(home)):
        problems.append(f"{first.name}'s answers are saved outside their home: {saved!r}")
    probe = run_code(second, ISOLATION_PROBE.format(path=saved))["stdout"]
    if "isolation breaches: []" not in probe:
        problems.append(f"{second.name} could do this to {first.name}'s work: {probe.strip()}")
    foreign = second.api("GET", f"{first.base}/api/contents", allow_redirects=False)
    if foreign.status_code < 300:
        problems.append(f"{second.name}'s token opened {first.name}'s server (HTTP {foreign.status_code})")
    return problems


def check_gitpuller(student: Student, repo: Path, lesson: str) -> str:
    """Follow the teacher's nbgitpuller link for `student` and pull the course; return what happened."""
    link = lesson_link(student.hub, repo=str(repo), lesson=lesson, folder="course")
    # logged in, the link redirects to /user/<name>/git-pull?... (the page with the progress bar)
    page = student.session.get(link, timeout=60)
    if page.status_code != 200 or "/git-pull" not in page.url:
        return f"the link gave HTTP {page.status_code} at {page.url}"
    query = page.url.split("?", 1)[1]
    start = time.monotonic()
    stream = student.api("GET", f"{student.base}/git-pull/api?{query}")
    if '"phase": "finished"' not in stream.text:
        last = [line for line in stream.text.splitlines() if line.strip()][-1:] or ["(no answer)"]
        return f"nbgitpuller did not finish: {last[0][:200]}"
    opened = student.api("GET", f"{student.base}/api/contents/course/notebooks/{lesson_file(lesson)}?content=0")
    if opened.status_code != 200:
        return f"the pulled lesson is not there (HTTP {opened.status_code})"
    return f"ok ({time.monotonic() - start:.1f} s)"


def memory_per_student(names: list[str]) -> dict[str, tuple[float, float, float]]:
    """Return each student's (PSS, RSS, CPU seconds) summed over all their processes, in MiB and s."""
    uids = {pwd.getpwnam(n).pw_uid: n for n in names}
    found = {n: [0.0, 0.0, 0.0] for n in names}
    for proc in psutil.process_iter(["uids"]):
        try:
            name = uids.get(proc.info["uids"].real) if proc.info["uids"] else None
            if name is None:
                continue
            mem, cpu = proc.memory_full_info(), proc.cpu_times()
            found[name][0] += mem.pss / MIB
            found[name][1] += mem.rss / MIB
            found[name][2] += cpu.user + cpu.system
        except psutil.Error:
            continue
    return {n: (v[0], v[1], v[2]) for n, v in found.items()}


def _each(students: list[Student], work: Any, what: str) -> None:
    """Run work(student) for every student at once; a failure becomes that student's error."""

    def guarded(student: Student) -> None:
        try:
            work(student)
        except Exception as exc:  # noqa: BLE001 - one student's failure is reported, the others go on
            student.errors.append(f"{what}: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=guarded, args=(s,), daemon=True) for s in students]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def run(
    students: int, seconds: float, lesson: str, pace: tuple[float, float]
) -> tuple[list[tuple[str, str, str]], int]:
    """Run the load test; return the report's rows (what, measured, budget) and the error count."""
    notebook = ROOT / "notebooks" / lesson_file(lesson)
    rows: list[tuple[str, str, str]] = []
    load_before = os.getloadavg()
    service_token = secrets.token_hex(16)
    prefix = f"class{secrets.token_hex(2)}-"  # other checkouts' test runs may run a hub at the same time
    remove_stale_users(NAMES)  # left by a run that was killed (SIGKILL); a run still going keeps its own
    with TrialHub(students, service_token=service_token, prefix=prefix) as hub:
        rows.append(("students (system users)", f"{students}: {hub.names[0]} ... {hub.names[-1]}", "-"))
        people = [Student(name, hub.url) for name in hub.names]
        began = time.monotonic()
        _each(people, lambda s: log_in_and_start(s, hub.password, service_token), "log in and start")
        ready = [s for s in people if s.ready_at]
        all_ready = max((s.ready_at for s in ready), default=began) - began
        start_cpu = memory_per_student(hub.names)
        rows.append(("servers ready (all started at once)", f"{len(ready)}/{students} in {all_ready:.1f} s", "all"))
        cpu = [start_cpu[s.name][2] for s in ready]
        rows.append(("CPU per server start (median)", f"{statistics.median(cpu) if cpu else 0:.1f} s", "-"))
        began = time.monotonic()
        _each(ready, lambda s: open_lesson(s, notebook), "open the lesson")
        rows.append(
            (f"lesson {notebook.stem[:2]} run in every kernel, all at once", f"{time.monotonic() - began:.1f} s", "-")
        )
        opened = [s for s in ready if s.ws is not None and not s.errors]
        if len(opened) >= 2:
            problems = check_isolation(opened[0], opened[1])
            opened[1].errors += problems
            rows.append(
                (
                    "isolation (student 2 vs student 1's answers, files, server)",
                    "ok" if not problems else "BROKEN",
                    "ok",
                )
            )
            rows.append(("nbgitpuller link (student 1)", check_gitpuller(opened[0], hub.repo, lesson), "ok"))
        idle_mem = memory_per_student(hub.names)
        barrier = threading.Barrier(len(opened)) if opened else None
        psutil.cpu_percent()
        began = time.monotonic()
        if barrier is not None:
            _each(opened, lambda s: toggle(s, seconds, pace, barrier), "toggle the app")
        busy = psutil.cpu_percent()
        spent = sum(v[2] for v in memory_per_student(hub.names).values()) - sum(v[2] for v in idle_mem.values())
        toggled = time.monotonic() - began
        mem = memory_per_student(hub.names)
        load_during = os.getloadavg()
        times = [t for s in opened for t, _ in s.latencies]
        new = [t for s in opened for t, seen in s.latencies if not seen]
        again = [t for s in opened for t, seen in s.latencies if seen]
        p95 = _pct(times, 0.95)
        rows.append((f"control changes, {len(opened)} students for {seconds:.0f} s, every {pace[0]:g}-{pace[1]:g} s",
                     f"{len(times)} in {toggled:.0f} s ({len(times) / max(toggled, 1e-9):.1f}/s)", "-"))  # fmt: skip
        rows.append(("change to new image p50 / p95 / max", f"{_pct(times, .5):.3f} / {p95:.3f} / {max(times, default=float('nan')):.3f} s",
                     f"p95 <= {BUDGET_P95:g} s" + (" ok" if p95 <= BUDGET_P95 else " MISSED")))  # fmt: skip
        unchanged = sum(s.unchanged for s in opened)
        rows.append(("  changes that left the chart as it was (no image sent)", str(unchanged), "-"))
        rows.append(("  new state p50 / p95 (n)", f"{_pct(new, 0.5):.3f} / {_pct(new, 0.95):.3f} s ({len(new)})", "-"))
        rows.append(
            (
                "  state seen before p50 / p95 (n)",
                f"{_pct(again, 0.5):.3f} / {_pct(again, 0.95):.3f} s ({len(again)})",
                "-",
            )
        )
        rows.append(
            ("students' CPU per control change (server + kernel)", f"{spent / max(len(times), 1) * 1000:.0f} ms", "-")
        )
        rows.append(("machine CPU busy while toggling", f"{busy:.0f}% of {psutil.cpu_count()} cores", "-"))
        pss = [mem[n][0] for n in hub.names]
        rss = [mem[n][1] for n in hub.names]
        idle_pss = [idle_mem[n][0] for n in hub.names]
        worst = max(pss, default=0.0)
        rows.append(("memory per student: PSS median / max (server + kernel)", f"{statistics.median(pss):.0f} / {worst:.0f} MiB",
                     f"<= {BUDGET_MIB} MiB" + (" ok" if worst <= BUDGET_MIB else " MISSED")))  # fmt: skip
        rows.append(("memory per student: RSS median / max", f"{statistics.median(rss):.0f} / {max(rss):.0f} MiB", "-"))
        rows.append(
            (
                "memory per student after the lesson, before toggling (PSS median)",
                f"{statistics.median(idle_pss):.0f} MiB",
                "-",
            )
        )
        own = psutil.Process(hub.process.pid) if hub.process else None
        if own is not None:
            family = [own, *own.children(recursive=True)]
            hub_rss = sum(p.memory_info().rss for p in family if p.uids().real == 0) / MIB
            rows.append(("hub + proxy RSS", f"{hub_rss:.0f} MiB", "-"))
        errors = [f"{s.name}: {e}" for s in people for e in s.errors]
        rows.append(("errors", str(len(errors)), "0" + (" ok" if not errors else " MISSED")))
        rows.append(("load average before / during (1 min)", f"{load_before[0]:.2f} / {load_during[0]:.2f}", "-"))
        for student in people:
            if student.ws is not None:
                student.ws.close()
        stop_began = time.monotonic()
    rows.append(("stop: hub, servers, users removed", f"{time.monotonic() - stop_began:.1f} s", "-"))
    for line in errors[:20]:
        print(f"error: {line}", file=sys.stderr)
    return rows, len(errors)


def _table(rows: list[tuple[str, str, str]], students: int, seconds: float) -> str:
    head = (
        f"# Classroom hub load test, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC\n\n"
        f"`benchmarks/load_test.py --students {students} --seconds {seconds:g}` on {platform.node()}: "
        f"{psutil.cpu_count()} cores, {psutil.virtual_memory().total / 1024**3:.0f} GiB, Python {platform.python_version()}, "
        f"{platform.platform()}.\n\n| what | measured | budget |\n|---|---|---|\n"
    )
    return head + "".join(f"| {a} | {b} | {c} |\n" for a, b, c in rows)


def main(argv: list[str] | None = None) -> int:
    """Run the load test from the command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60, help="how long every student toggles the app")
    parser.add_argument("--lesson", default="04", help="the lesson each student opens (default 04)")
    parser.add_argument("--pace", type=float, nargs=2, default=(2.0, 5.0), metavar=("MIN", "MAX"),
                        help="seconds between one student's changes (default 2 5)")  # fmt: skip
    parser.add_argument("--write", action="store_true", help="also write the table to benchmarks/results/")
    args = parser.parse_args(argv)
    require_root("The load test")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwinds through TrialHub.stop like Ctrl-C
    rows, errors = run(args.students, args.seconds, args.lesson, tuple(args.pace))
    table = _table(rows, args.students, args.seconds)
    print(table)
    if args.write:
        out = (
            ROOT / "benchmarks" / "results" / f"{dt.datetime.now(dt.UTC):%Y-%m-%d-%H%M}-hub-{args.students}-students.md"
        )
        out.write_text(table, encoding="utf-8")
        print(f"written to {out.relative_to(ROOT)}")
    p95 = re.search(r"/ ([0-9.na]+) / ", next(b for a, b, _ in rows if a.startswith("change to new image")))
    print(f"load test: students={args.students} p95={p95.group(1) if p95 else 'nan'} s errors={errors}")
    missed = any("MISSED" in c for _, _, c in rows)
    return 1 if errors or missed else 0


if __name__ == "__main__":
    sys.exit(main())
