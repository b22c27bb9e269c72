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

__all__ = ["TrialHub", "create_user", "remove_user", "compile_environment", "free_port", "require_root", "PREFIX"]

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
        self.names = [f"{prefix}{i:02d}" for i in range(1, students + 1)]
        self.password = secrets.token_urlsafe(12)
        self.service_token = service_token
        self.state = Path(tempfile.mkdtemp(prefix="course-hub-"))
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
        existing = [name for name in self.names if _user_exists(name)]
        if existing:
            raise RuntimeError(
                f"system users {', '.join(existing)} already exist (left by a run that was killed?); "
                f"remove them first: userdel --remove NAME (they are not this run's to delete)"
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


def create_user(name: str, homes: Path) -> None:
    """Create the system user `name` with a private home ``homes/name`` (mode 0700) and own group.

    Raises
    ------
    RuntimeError
        If the user exists already (it is not this run's to reuse or delete) or useradd fails.
    """
    if _user_exists(name):
        raise RuntimeError(f"the system user {name} already exists; remove it first (userdel --remove {name})")
    made = subprocess.run(
        ["useradd", "--create-home", "--home-dir", str(homes / name), "--shell", "/bin/bash",
         "--user-group", "-K", "HOME_MODE=0700", name],
        capture_output=True, text=True,
    )  # fmt: skip
    if made.returncode != 0:
        raise RuntimeError(f"useradd {name} failed: {made.stderr.strip()}")


def remove_user(name: str) -> bool:
    """Remove the system user `name`, their group and home; return True when they are gone."""
    subprocess.run(["userdel", "--remove", name], capture_output=True)
    return not _user_exists(name)


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
