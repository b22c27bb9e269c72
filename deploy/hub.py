"""Start a classroom JupyterHub for a trial on this machine: 127.0.0.1 only, throwaway students.

    sudo python3 run.py hub --students 3 [--port 8000]

creates the system users ``trialstudent01`` ... (private homes under a temporary folder), starts
JupyterHub with ``deploy/jupyterhub_config.py`` (each student's server runs as that student) and
prints the address, the names, the trial's shared password and an nbgitpuller link to lesson 1.
Ctrl-C stops the hub, every student's server, and removes the users and their homes.

Creating users needs root, as a real hub does (it starts processes as other users). The load
test (``benchmarks/load_test.py``) and ``tests/test_hub.py`` use :class:`TrialHub` from here.
"""

from __future__ import annotations

import argparse
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

__all__ = [
    "TrialHub",
    "create_user",
    "remove_user",
    "remove_stale_hubs",
    "remove_stale_users",
    "compile_environment",
    "free_port",
    "require_root",
    "checkout_problem",
    "require_readable_checkout",
    "PREFIX",
]

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "deploy" / "jupyterhub_config.py"
PREFIX = "trialstudent"


def require_root(what: str) -> None:
    """Exit with a clear message unless this process is root.

    Parameters
    ----------
    what : str
        What needs root, for the message.
    """
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        sys.exit(
            f"{what} needs root: it creates system users and starts each student's server as that user, "
            "as a real classroom hub does. Run it as root (sudo, or in the CI container)."
        )


def student_paths() -> list[Path]:
    """Return what a student's server must reach: this environment's Python and packages, and the course."""
    import sysconfig

    python = Path(sys.executable)
    return [python, python.resolve(), Path(sysconfig.get_paths()["purelib"]), ROOT / "lessons_lib" / "__init__.py"]


def checkout_problem(paths: list[Path] | None = None) -> str | None:
    """Say why other users cannot reach `paths` (default :func:`student_paths`), or return None.

    Each student's server runs as that student's own system user, not as the owner of the
    checkout, so every folder on the way to the environment's Python and to the course must let
    other users in (``o+x``) and the files must be readable by them (``o+r``). The modes are read,
    not tried: root may enter anything. Nothing is changed.

    Parameters
    ----------
    paths : list of Path, optional
        Files or folders a student's server opens.

    Returns
    -------
    str or None
        A message naming the first folder other users cannot enter (or file they cannot read) and
        what to do; None when every path is open to them.
    """
    for path in paths if paths is not None else student_paths():
        path = Path(os.path.abspath(path))
        for folder in [*reversed(path.parents), *([path] if path.is_dir() else [])]:
            if not folder.exists():
                break
            mode = folder.stat().st_mode
            if not mode & 0o001:
                return (
                    f"other users cannot enter {folder} (mode {mode & 0o777:04o}), so the students' servers, which "
                    f"run as the students' own system users, cannot reach {path}. Clone the course into a folder "
                    f"other users can enter (for example under /srv or /opt, not in a `mktemp -d` folder), or let "
                    f"them in: chmod o+x {folder}"
                )
        if path.is_file() and not path.stat().st_mode & 0o004:
            return (
                f"other users cannot read {path} (mode {path.stat().st_mode & 0o777:04o}), so the students' "
                f"servers cannot use it (was the checkout made with umask 077?). Make the checkout readable: "
                f"chmod -R o+rX {ROOT}"
            )
    return None


def require_readable_checkout(what: str, paths: list[Path] | None = None) -> None:
    """Exit with a clear message unless the students' servers can reach `paths` (see :func:`checkout_problem`)."""
    problem = checkout_problem(paths)
    if problem:
        sys.exit(f"{what}: {problem}")


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _free_block(size: int = 3) -> int:
    """Return a port p such that p .. p+size-1 are all free on 127.0.0.1."""
    for _ in range(50):
        base = free_port()
        try:
            for offset in range(1, size):
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", base + offset))
        except OSError:
            continue
        return base
    raise RuntimeError("no block of free ports found on 127.0.0.1")


class TrialHub:
    """A JupyterHub on 127.0.0.1 with throwaway student accounts; a context manager.

    Parameters
    ----------
    students : int
        How many student accounts to create (``trialstudent01`` ...).
    port : int, optional
        The proxy's port (the hub uses the next two); by default free ones.
    service_token : str, optional
        An API token for a ``course-load-test`` service allowed to manage users and servers.
    log : Path, optional
        Where the hub's output goes; by default ``hub.log`` in the hub's folder.
    prefix : str
        The start of the students' user names (lower-case letters, digits, ``-``); runs that may
        overlap (tests of several checkouts on one machine) each need their own.

    Attributes
    ----------
    url : str
        The hub's address, e.g. ``http://127.0.0.1:8000``.
    names : list of str
        The students' user names.
    password : str
        The trial's shared password.
    state : Path
        The hub's temporary folder (database, homes, log); removed by :meth:`stop`.
    repo : Path
        A bare repository in it whose branch ``main`` is the commit checked out here, for
        nbgitpuller links.
    """

    def __init__(
        self, students: int, port: int | None = None, service_token: str = "", log: Path | None = None,
        prefix: str = PREFIX,
    ):  # fmt: skip
        if not 1 <= students <= 99:
            raise ValueError(f"students must be from 1 to 99, not {students}")
        self.port = port or _free_block()
        self.url = f"http://127.0.0.1:{self.port}"
        self.prefix = prefix
        self.names = [f"{prefix}{i:02d}" for i in range(1, students + 1)]
        self.password = secrets.token_urlsafe(12)
        self.service_token = service_token
        self.state = Path(tempfile.mkdtemp(prefix=STATE_PREFIX))
        self.log_path = log or self.state / "hub.log"
        self.repo = self.state / "repo" / "course.git"
        self.process: subprocess.Popen[bytes] | None = None
        self._created: list[str] = []

    def __enter__(self) -> TrialHub:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self, timeout: float = 120) -> None:
        """Create the students, start JupyterHub and wait until it answers ``/hub/health``."""
        require_root("The trial hub")
        require_readable_checkout("The trial hub")
        remove_stale_users(re.escape(self.prefix) + r"\d{2}")  # left by a killed run with this prefix
        remove_stale_hubs()  # the hub, proxy and folder of a killed run
        (self.state / MAKER_FILE).write_text(MARK.format(pid=os.getpid(), start=_started(os.getpid())))
        existing = [name for name in self.names if _user_exists(name)]
        if existing:
            raise RuntimeError(
                f"system users {', '.join(existing)} already exist and are not left behind by a killed run of "
                f"this hub (another trial hub is using them?); stop it, or remove them: userdel --remove NAME"
            )
        compile_environment()
        self.state.chmod(0o755)  # students must reach their homes inside it
        homes = self.state / "homes"
        homes.mkdir(mode=0o755)
        for name in self.names:
            create_user(name, homes)
            self._created.append(name)
        self.repo.parent.mkdir(mode=0o755, exist_ok=True)
        # the commit checked out here, as branch main of a bare repository (also from a detached checkout)
        subprocess.run(["git", "init", "--quiet", "--bare", "--initial-branch=main", str(self.repo)], check=True)
        subprocess.run(["git", "push", "--quiet", str(self.repo), "HEAD:refs/heads/main"], cwd=ROOT, check=True)
        subprocess.run(["chmod", "-R", "a+rX", str(self.repo)], check=True)
        env = dict(
            os.environ,
            COURSE_HUB_LOCAL_REPO=str(self.repo),
            COURSE_HUB_STATE=str(self.state),
            COURSE_HUB_PORT=str(self.port),
            COURSE_HUB_STUDENTS=",".join(self.names),
            COURSE_HUB_TRIAL_PASSWORD=self.password,
            COURSE_HUB_SERVICE_TOKEN=self.service_token,
        )
        hub = Path(sys.executable).parent / "jupyterhub"
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [str(hub), "-f", str(CONFIG)], cwd=self.state, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        (self.state / HUB_PID_FILE).write_text(str(self.process.pid))  # its session holds the proxy too
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                code = self.process.returncode
                raise RuntimeError(f"JupyterHub exited with {code}; see {self.log_path}:\n{self.tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/hub/health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.25)
        raise TimeoutError(f"JupyterHub did not answer {self.url}/hub/health within {timeout:.0f} s:\n{self.tail()}")

    def tail(self, lines: int = 30) -> str:
        """Return the last lines of the hub's log."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def student_pids(self) -> list[int]:
        """Return the ids of every process running as one of the trial's students."""
        import psutil

        uids = {pwd.getpwnam(name).pw_uid for name in self._created if _user_exists(name)}
        return [p.pid for p in psutil.process_iter(["uids"]) if p.info["uids"] and p.info["uids"].real in uids]

    def stop(self, timeout: float = 60) -> None:
        """Stop the hub (which stops the students' servers), then anything left, then remove the users."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                pass
        if self.process is not None:
            _kill_group(self.process.pid)  # the proxy runs in the hub's session
            self.process.wait()
        _kill_pid_file(self.state / "proxy.pid")
        if self._created:
            for pid in self.student_pids():  # servers and kernels the hub did not get to stop
                _kill(pid)
        for name in list(self._created):
            if remove_user(name):
                self._created.remove(name)
        shutil.rmtree(self.state, ignore_errors=True)
        if self._created:
            raise RuntimeError(f"could not remove the trial users {', '.join(self._created)}")


#: The comment (GECOS field) of a throwaway user names the process that made it, so that a later
#: run can tell a user left by a killed run (its maker is gone) from one a running test is using.
MARK = "course hub trial, made by process {pid} started at {start}"
#: A throwaway user without that comment (made before it existed) counts as left behind once its
#: home is this many seconds old: no test or load test runs that long.
UNMARKED_STALE_AFTER = 3600


#: The trial hub's folder: ``<temporary folder>/course-hub-XXXXXXXX``.
STATE_PREFIX = "course-hub-"
#: In that folder, which process made it (:data:`MARK`) and the hub's process id (its session's leader).
MAKER_FILE, HUB_PID_FILE = "made-by", "hub.pid"


def remove_stale_hubs(top: Path | None = None) -> list[Path]:
    """Stop the hub and proxy of every trial hub whose run was killed, and remove its folder.

    A run killed with SIGKILL cannot stop its JupyterHub and proxy, which keep running, nor remove its
    folder. A folder of `top` (the temporary folder by default) whose name starts with
    :data:`STATE_PREFIX` counts as left behind when the process named in its :data:`MAKER_FILE` is
    gone; then its hub's session (hub and proxy) and the proxy named in ``proxy.pid`` are killed and
    the folder is removed. Folders without that file (made by other tools, or by a run still
    starting) and those of a run still going are kept.

    Parameters
    ----------
    top : Path, optional
        Where the trial hubs' folders are; ``tempfile.gettempdir()`` by default.

    Returns
    -------
    list of Path
        The folders removed.
    """
    removed = []
    for state in sorted(Path(top or tempfile.gettempdir()).glob(STATE_PREFIX + "*")):
        try:
            maker = (state / MAKER_FILE).read_text()
        except OSError:
            continue
        mark = re.fullmatch(MARK.format(pid=r"(\d+)", start=r"(\d+)"), maker.strip())
        if mark is None or _started(int(mark.group(1))) == mark.group(2):
            continue  # not a trial hub's mark, or its run is still going
        try:
            _kill_group(int((state / HUB_PID_FILE).read_text().strip()))
        except (OSError, ValueError):
            pass
        _kill_pid_file(state / "proxy.pid")
        shutil.rmtree(state, ignore_errors=True)
        removed.append(state)
    return removed


def create_user(name: str, homes: Path) -> None:
    """Create the system user `name` with a private home ``homes/name`` (mode 0700) and own group.

    The user's comment names this process (:data:`MARK`), for :func:`remove_stale_users`.

    Raises
    ------
    RuntimeError
        If the user exists already (it is not this run's to reuse or delete) or useradd fails.
    """
    if _user_exists(name):
        raise RuntimeError(f"the system user {name} already exists; remove it first (userdel --remove {name})")
    mark = MARK.format(pid=os.getpid(), start=_started(os.getpid()))
    made = subprocess.run(
        ["useradd", "--create-home", "--home-dir", str(homes / name), "--shell", "/bin/bash",
         "--user-group", "-K", "HOME_MODE=0700", "--comment", mark, name],
        capture_output=True, text=True,
    )  # fmt: skip
    if made.returncode != 0:
        raise RuntimeError(f"useradd {name} failed: {made.stderr.strip()}")


def remove_user(name: str) -> bool:
    """Remove the system user `name`, their group and home; return True when they are gone."""
    subprocess.run(["userdel", "--remove", name], capture_output=True)
    return not _user_exists(name)


def remove_stale_users(pattern: str) -> list[str]:
    r"""Remove the throwaway users whose whole name matches `pattern` and whose run was killed.

    A run killed with SIGKILL cannot remove its users. A user counts as left behind when the
    process named in its comment (:data:`MARK`) is gone, or, without that comment, when its home
    is missing or older than :data:`UNMARKED_STALE_AFTER`. Users of a run still going are kept.
    The processes still running as a left-behind user are killed first (``userdel`` refuses
    otherwise). Needs root.

    Parameters
    ----------
    pattern : str
        A regular expression for one kind of throwaway name only, e.g. ``r"class[0-9a-f]{4}-\d{2}"``.

    Returns
    -------
    list of str
        The users removed.
    """
    removed = []
    for user in pwd.getpwall():
        if not re.fullmatch(pattern, user.pw_name) or not _left_behind(user):
            continue
        subprocess.run(["pkill", "-KILL", "-u", user.pw_name], capture_output=True)  # only that user's processes
        if remove_user(user.pw_name):
            removed.append(user.pw_name)
    return removed


def _left_behind(user: pwd.struct_passwd) -> bool:
    mark = re.fullmatch(MARK.format(pid=r"(\d+)", start=r"(\d+)"), user.pw_gecos)
    if mark:
        return _started(int(mark.group(1))) != mark.group(2)
    try:
        return time.time() - Path(user.pw_dir).stat().st_ctime > UNMARKED_STALE_AFTER
    except OSError:
        return True


def _started(pid: int) -> str:
    """Return when process `pid` started (clock ticks after boot, from /proc), or "" when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rsplit(")", 1)[1].split()[19]


def compile_environment() -> None:
    """Write the bytecode of this environment's packages and of the course, once.

    Students cannot write ``__pycache__`` into an environment owned by root, so without this
    every server start compiles jupyter_server, jupyterlab, pandas ... again (twice the CPU).
    A few seconds when already compiled; about 40 s of CPU the first time.
    """
    import sysconfig

    folders = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], str(ROOT / "lessons_lib")}
    subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", *sorted(folders)], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _kill_pid_file(path: Path) -> None:
    try:
        _kill(int(path.read_text().strip()))
    except (OSError, ValueError):
        pass


def main(argv: list[str] | None = None) -> int:
    """Run a trial hub until Ctrl-C (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=3, help="how many trial students (default 3)")
    parser.add_argument("--port", type=int, default=8000, help="the proxy's port on 127.0.0.1 (default 8000)")
    args = parser.parse_args(argv)
    require_root("python3 run.py hub")
    require_readable_checkout("python3 run.py hub")
    sys.path.insert(0, str(ROOT / "deploy"))
    from links import lesson_link

    with TrialHub(args.students, port=args.port) as hub:
        link = lesson_link(hub.url, repo=str(hub.repo), lesson="01", folder="course")
        print(f"Classroom hub (trial) at {hub.url}  -- 127.0.0.1 only; Ctrl-C stops it and removes the students.")
        print(f"Students: {', '.join(hub.names)}   password (shared, trial only): {hub.password}")
        print(f"Lesson 1 for every student (nbgitpuller link): {link}")
        print(f"Hub log: {hub.log_path}", flush=True)
        try:
            while hub.process is not None and hub.process.poll() is None:
                time.sleep(1)
            print(f"JupyterHub exited:\n{hub.tail()}")
        except KeyboardInterrupt:
            print("\nStopping the hub and removing the trial students ...", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
