"""The classroom hub (deploy/): its configuration, the teachers' links, isolation, and a small load test.

The isolation tests and the load test create real system users, as a hub does, so they need
root (CI runs as root); as another user they fail and say so rather than pass without checking.
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import types
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from traitlets.config import Config

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "deploy" / "jupyterhub_config.py"


def _module(name: str) -> types.ModuleType:
    sys.path.insert(0, str(ROOT / "deploy"))
    spec = importlib.util.spec_from_file_location(name, ROOT / "deploy" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


links = _module("links")
hub = _module("hub")


def _config(monkeypatch: pytest.MonkeyPatch, **env: str) -> tuple[Config, dict]:
    for key in ("COURSE_HUB_TRIAL_PASSWORD", "COURSE_HUB_STUDENTS", "COURSE_HUB_SERVICE_TOKEN", "COURSE_HUB_GROUP"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    config = Config()
    namespace = {"get_config": lambda: config, "__file__": str(CONFIG)}
    exec(compile(CONFIG.read_text(encoding="utf-8"), str(CONFIG), "exec"), namespace)
    return config, namespace


#: The names the isolation tests give their two throwaway users (four hex digits per run, then -1 and -2).
ISO_NAMES = r"iso[0-9a-f]{4}-[12]"


def _need_root() -> None:
    if os.geteuid() != 0:
        pytest.fail("this test creates two system users (useradd), so it must run as root, as CI does")


def _need_readable_checkout() -> None:
    """Fail at once, saying what to do, when the students' system users cannot reach this checkout."""
    problem = hub.checkout_problem()
    if problem:
        pytest.fail(f"this test runs code as throwaway system users: {problem}")


@pytest.fixture
def open_tmp():
    """A temporary folder under the system's temporary folder, 0700 as mkdtemp makes it (tmp_path's parents are closed)."""
    top = Path(tempfile.mkdtemp(prefix="course-hub-check-"))
    yield top
    subprocess.run(["chmod", "-R", "u+rwX", str(top)], check=True)
    shutil.rmtree(top)


# -- can the students reach the checkout? ------------------------------------------------------


def _checkout(top: Path) -> Path:
    python = top / "course" / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text("")
    python.chmod(0o755)
    for folder in (top / "course", top / "course" / ".venv", python.parent):
        folder.chmod(0o755)
    return python


def test_checkout_check_names_the_first_folder_other_users_cannot_enter(open_tmp):
    python = _checkout(open_tmp)
    assert open_tmp.stat().st_mode & 0o777 == 0o700  # what mktemp -d makes
    (open_tmp / "course").chmod(0o750)
    problem = hub.checkout_problem([python])
    assert problem.startswith(f"other users cannot enter {open_tmp} (mode 0700)")
    assert f"cannot reach {python}" in problem
    assert problem.endswith(f"or let them in: chmod o+x {open_tmp}")
    assert "Clone the course into a folder other users can enter" in problem
    open_tmp.chmod(0o755)
    assert hub.checkout_problem([python]).startswith(f"other users cannot enter {open_tmp / 'course'} (mode 0750)")
    (open_tmp / "course").chmod(0o711)
    assert hub.checkout_problem([python]) is None


def test_checkout_check_names_a_file_other_users_cannot_read(open_tmp):
    python = _checkout(open_tmp)
    open_tmp.chmod(0o755)
    python.chmod(0o700)
    with pytest.raises(
        SystemExit, match=rf"^The trial hub: other users cannot read {python} \(mode 0700\).*chmod -R o\+rX"
    ):
        hub.require_readable_checkout("The trial hub", [python])


def test_checkout_check_changes_no_mode(open_tmp):
    python = _checkout(open_tmp)
    before = {p: p.stat().st_mode for p in (open_tmp, *open_tmp.rglob("*"))}
    hub.checkout_problem([python])
    assert {p: p.stat().st_mode for p in before} == before


def test_run_py_hub_stops_before_setup_when_other_users_cannot_enter_the_checkout(open_tmp):
    spec = importlib.util.spec_from_file_location("course_run", ROOT / "run.py")
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    course = _checkout(open_tmp).parents[2]
    (course / "lessons_lib").mkdir(mode=0o755)
    (course / "lessons_lib" / "__init__.py").write_text("")
    assert run.hub_checkout_problem(course).startswith(f"other users cannot enter {open_tmp} (mode 0700)")
    open_tmp.chmod(0o755)
    assert run.hub_checkout_problem(course) is None


# -- throwaway users left by a killed run -------------------------------------------------------


def _mark_as_made_by(name: str, pid: int, start: str) -> None:
    subprocess.run(["usermod", "--comment", hub.MARK.format(pid=pid, start=start), name], check=True)


def _trial_folder(top: Path, name: str, maker: tuple[int, str] | None, hub_pid: int | None = None) -> Path:
    state = top / f"{hub.STATE_PREFIX}{name}"
    state.mkdir()
    if maker is not None:
        (state / hub.MAKER_FILE).write_text(hub.MARK.format(pid=maker[0], start=maker[1]))
    if hub_pid is not None:
        (state / hub.HUB_PID_FILE).write_text(str(hub_pid))
    return state


def test_remove_stale_hubs_stops_a_killed_runs_hub_and_proxy_and_keeps_the_others(tmp_path):
    gone = subprocess.Popen(["true"])
    gone.wait()  # the maker of a run killed with SIGKILL
    # a left-behind hub's session (the hub and, in it, its proxy) and a proxy named in proxy.pid
    left_hub = subprocess.Popen(["sleep", "300"], start_new_session=True)
    left_proxy = subprocess.Popen(["sleep", "300"])
    running_hub = subprocess.Popen(["sleep", "300"], start_new_session=True)
    try:
        stale = _trial_folder(tmp_path, "stale", (gone.pid, "1"), left_hub.pid)
        (stale / "proxy.pid").write_text(str(left_proxy.pid))
        running = _trial_folder(tmp_path, "running", (os.getpid(), hub._started(os.getpid())), running_hub.pid)
        unmarked = _trial_folder(tmp_path, "check", None)  # e.g. a test's folder: no maker named
        assert hub.remove_stale_hubs(tmp_path) == [stale]
        assert left_hub.wait(timeout=10) == -9 and left_proxy.wait(timeout=10) == -9
        assert not stale.exists() and running.is_dir() and unmarked.is_dir()
        assert running_hub.poll() is None, "a run still going keeps its hub"
    finally:
        for process in (left_hub, left_proxy, running_hub):
            process.kill()
            process.wait()


def test_remove_stale_users_removes_only_a_killed_runs_users_of_the_pattern(open_tmp):
    _need_root()
    open_tmp.chmod(0o755)
    gone = subprocess.Popen(["true"])
    gone.wait()  # a process that has ended, as a run killed with SIGKILL has
    tag = secrets.token_hex(2)
    stale, running, other = f"iso{tag}-1", f"iso{tag}-2", f"class{tag}-01"
    made = []
    try:
        for name in (stale, running, other):
            hub.create_user(name, open_tmp)
            made.append(name)
        _mark_as_made_by(stale, gone.pid, "1")
        _mark_as_made_by(other, gone.pid, "1")  # left behind too, but by the load test: not this pattern's
        user = pwd.getpwnam(stale)
        leftover = subprocess.Popen(["sleep", "300"], user=user.pw_uid, group=user.pw_gid, extra_groups=[])
        assert hub.remove_stale_users(ISO_NAMES) == [stale]
        assert leftover.wait(timeout=10) == -9, "the killed run's processes go with its user"
        assert [hub._user_exists(name) for name in (stale, running, other)] == [False, True, True]
        assert pwd.getpwnam(running).pw_gecos == hub.MARK.format(pid=os.getpid(), start=hub._started(os.getpid()))
    finally:
        for name in made:
            hub.remove_user(name)


# -- the configuration -------------------------------------------------------------------------


def test_config_starts_each_student_as_their_own_user_on_loopback(monkeypatch):
    config, _ = _config(monkeypatch, COURSE_HUB_PORT="18000")
    assert config.JupyterHub.spawner_class == "localprocess"
    assert (config.JupyterHub.ip, config.JupyterHub.hub_ip) == ("127.0.0.1", "127.0.0.1")
    assert config.JupyterHub.port == 18000
    assert config.ConfigurableHTTPProxy.api_url == "http://127.0.0.1:18001"
    assert Path(config.Spawner.cmd[0]).name == "jupyterhub-singleuser"
    assert Path(config.Spawner.cmd[0]).exists()
    assert config.Spawner.start_timeout >= 300


def test_config_uses_the_proxy_installed_from_npm(monkeypatch):
    config, _ = _config(monkeypatch)
    proxy = Path(config.ConfigurableHTTPProxy.command[0])
    assert proxy == ROOT / "node_modules" / ".bin" / "configurable-http-proxy"
    assert proxy.exists(), "run `python3 run.py setup` (npm ci) to install configurable-http-proxy"


def test_config_uses_pam_unless_a_trial_password_is_set(monkeypatch):
    config, _ = _config(monkeypatch, COURSE_HUB_STUDENTS="ann,bob")
    assert config.JupyterHub.authenticator_class == "pam"
    assert config.Authenticator.allowed_users == {"ann", "bob"}
    config, _ = _config(monkeypatch, COURSE_HUB_STUDENTS="ann", COURSE_HUB_TRIAL_PASSWORD="long-enough-secret")
    assert config.JupyterHub.authenticator_class == "shared-password"
    assert config.SharedPasswordAuthenticator.user_password == "long-enough-secret"
    assert config.Authenticator.allowed_users == {"ann"}


def test_config_adds_the_load_test_service_only_with_a_token(monkeypatch):
    config, _ = _config(monkeypatch)
    assert "services" not in config.JupyterHub
    config, _ = _config(monkeypatch, COURSE_HUB_SERVICE_TOKEN="0123456789abcdef")
    assert config.JupyterHub.services == [{"name": "course-load-test", "api_token": "0123456789abcdef"}]


# -- the teachers' links -----------------------------------------------------------------------


def test_lesson_link_opens_the_lesson_in_jupyterlab_after_pulling_the_course():
    link = links.lesson_link("https://hub.example.school/", "https://github.com/example/course.git", "4")
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://hub.example.school/hub/user-redirect/git-pull"
    query = {key: value[0] for key, value in parse_qs(parts.query).items()}
    assert query == {
        "repo": "https://github.com/example/course.git",
        "branch": "main",
        "targetpath": "course",
        "urlpath": "lab/tree/course/notebooks/04_timeline_1870_1991.ipynb",
    }
    assert (ROOT / "notebooks" / query["urlpath"].removeprefix("lab/tree/course/notebooks/")).exists()


@pytest.mark.parametrize("lesson", ["4", "04", "04_timeline", "04_timeline_1870_1991.ipynb"])
def test_lesson_file_accepts_a_number_or_the_start_of_the_name(lesson):
    assert links.lesson_file(lesson) == "04_timeline_1870_1991.ipynb"


def test_lesson_link_takes_a_folder_branch_and_interface():
    link = links.lesson_link("http://127.0.0.1:8000", "/srv/course.git", "1", branch="spring",
                             folder="history", interface="voila")  # fmt: skip
    query = {key: value[0] for key, value in parse_qs(urlsplit(link).query).items()}
    assert query["branch"] == "spring"
    assert query["targetpath"] == "history"
    assert query["urlpath"] == "voila/render/history/notebooks/01_start_here.ipynb"


def test_lesson_file_suggests_the_closest_lesson():
    with pytest.raises(ValueError, match=r"'timelin' is not a lesson; did you mean '04_timeline_1870_1991'\?"):
        links.lesson_file("timelin")
    with pytest.raises(ValueError, match=r"'42' is not a lesson.*Valid: a number 1-9"):
        links.lesson_file("42")


def test_lesson_link_rejects_unknown_interface_and_bare_hub_address():
    with pytest.raises(ValueError, match=r"unknown interface 'retro'; valid: lab, notebook, voila"):
        links.lesson_link("https://hub.example.school", "https://github.com/x/c", "1", interface="retro")
    with pytest.raises(ValueError, match=r"'hub.example.school' must start with https://"):
        links.lesson_link("hub.example.school", "https://github.com/x/c", "1")


def test_links_command_prints_one_link_per_lesson(capsys):
    assert links.main(["--hub", "https://hub.example.school", "--repo", "https://github.com/x/c", "1", "9"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(": ")[0] for line in lines] == ["01_start_here.ipynb", "09_review.ipynb"]


# -- isolation between two real students -------------------------------------------------------


@pytest.fixture
def two_students():
    """Two system users with homes made by the hub's own hook; removed afterwards."""
    _need_root()
    _need_readable_checkout()
    hub.remove_stale_users(ISO_NAMES)  # left by a run killed with SIGKILL (its finally never ran)
    top = Path(tempfile.mkdtemp(prefix="course-hub-test-"))  # not tmp_path: its parents are closed to others
    top.chmod(0o755)
    homes = top / "homes"
    homes.mkdir(mode=0o755)
    names = [f"iso{secrets.token_hex(2)}-{i}" for i in (1, 2)]  # other checkouts' tests may run at once
    made = []
    try:
        for name in names:
            hub.create_user(name, homes)
            made.append(name)
        yield names
    finally:
        for name in made:
            subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)  # only these test users' processes
            assert hub.remove_user(name), f"could not remove the test user {name}"
        shutil.rmtree(top, ignore_errors=True)


def _as(name: str, code: str) -> subprocess.CompletedProcess[str]:
    """Run Python `code` as system user `name`, with the environment the hub's spawner gives them."""
    user = pwd.getpwnam(name)
    env = {"HOME": user.pw_dir, "USER": name, "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-c", code], user=user.pw_uid, group=user.pw_gid, extra_groups=[],
                          env=env, cwd=user.pw_dir, capture_output=True, text=True, timeout=60)  # fmt: skip


def _spawn_hook(monkeypatch, name: str) -> None:
    _, namespace = _config(monkeypatch)
    namespace["private_home"](types.SimpleNamespace(user=types.SimpleNamespace(name=name)))


SAVE = "from lessons_lib.store import Store; s = Store(); s.save('answer', 4, 'l04_central', 'mine'); print(s.path('answer', 4, 'l04_central'))"


def test_spawn_hook_makes_a_world_readable_home_private(two_students, monkeypatch):
    home = Path(pwd.getpwnam(two_students[0]).pw_dir)
    home.chmod(0o755)  # what Debian's useradd makes without HOME_MODE
    _spawn_hook(monkeypatch, two_students[0])
    assert home.stat().st_mode & 0o777 == 0o700
    assert home.stat().st_uid == pwd.getpwnam(two_students[0]).pw_uid


def test_a_student_cannot_read_or_change_another_students_saved_answers(two_students, monkeypatch):
    ann, bob = two_students
    for name in two_students:
        Path(pwd.getpwnam(name).pw_dir).chmod(0o755)  # the hook must close it, not useradd
        _spawn_hook(monkeypatch, name)
    saved = _as(ann, SAVE)
    assert saved.returncode == 0, saved.stderr
    path = Path(saved.stdout.strip())
    assert path.is_relative_to(pwd.getpwnam(ann).pw_dir), "a hub user's answers must be saved in their own home"
    probe = f"""
from pathlib import Path
from lessons_lib.store import Store, StoreError
path = Path({str(path)!r})
for attempt in (path.read_text, lambda: Store(path.parents[2]).save('answer', 4, 'l04_central', 'changed'),
                lambda: list(path.parents[6].iterdir())):
    try:
        attempt()
        print('allowed')
    except (PermissionError, StoreError) as exc:
        print('refused', type(exc).__name__)
"""
    tried = _as(bob, probe)
    assert tried.returncode == 0, tried.stderr
    assert tried.stdout.split() == ["refused", "PermissionError", "refused", "StoreError", "refused", "PermissionError"]
    again = _as(ann, "from lessons_lib.store import Store; print(Store().load('answer', 4, 'l04_central').value)")
    assert again.stdout.strip() == "mine"


def test_each_student_saves_into_their_own_home(two_students, monkeypatch):
    for name in two_students:
        _spawn_hook(monkeypatch, name)
        saved = _as(name, SAVE)
        assert saved.returncode == 0, saved.stderr
        assert Path(saved.stdout.strip()) == Path(
            pwd.getpwnam(name).pw_dir, ".local/share/lessons-lib/work/lesson_04/answer/l04_central.json"
        )


# -- a small load test through a real hub -----------------------------------------------------


def test_load_test_with_five_students_has_no_errors_and_reports_every_figure():
    _need_root()
    _need_readable_checkout()
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "load_test.py"), "--students", "5", "--seconds", "20"],
                         cwd=ROOT, capture_output=True, text=True, timeout=900)  # fmt: skip
    out = run.stdout
    assert re.search(r"^load test: students=5 p95=\d+\.\d{3} s errors=0$", out.splitlines()[-1]), out + run.stderr
    for figure in (r"servers ready \(all started at once\) \| 5/5 in \d+\.\d s",
                   r"change to new image p50 / p95 / max \| \d+\.\d{3} / \d+\.\d{3} / \d+\.\d{3} s",
                   r"memory per student: PSS median / max \(server \+ kernel\) \| \d+ / \d+ MiB",
                   r"isolation \(student 2 vs student 1's answers, files, server\) \| ok \|",
                   r"nbgitpuller link \(student 1\) \| ok \(",
                   r"\| errors \| 0 \|"):  # fmt: skip
        assert re.search(figure, out), f"missing {figure!r} in:\n{out}"
    changes = int(re.search(r"\| (\d+) in \d+ s \(", out).group(1))
    assert changes >= 5 * 3, "every student should have changed a control several times"
    prefix = re.search(r"\| students \(system users\) \| 5: (\S+)01 \.\.\. ", out).group(1)
    left = [p.pw_name for p in pwd.getpwall() if p.pw_name.startswith(prefix)]
    assert not left, f"the load test left system users behind: {left}"
