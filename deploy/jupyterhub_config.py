"""JupyterHub configuration for a class on one server: one Jupyter server and kernel per student.

Each student's server runs as that student's own system user (``LocalProcessSpawner``), in their
own home directory, which this configuration makes private (mode 0700) before every start, so
no student can read or change another student's notebooks or saved answers (``lessons_lib.store``
keeps them under ``~/.local/share/lessons-lib/work``). Lessons are delivered with nbgitpuller
links (``deploy/links.py``).

Settings come from environment variables, so that ``deploy/hub.py`` can start a trial with no
edits; a real deployment sets them in its service file (or edits the defaults below):

``COURSE_HUB_STATE``     the hub's folder (database, cookie secret); default ``/srv/course-hub``
``COURSE_HUB_IP``        the address the proxy listens on; default ``127.0.0.1``
``COURSE_HUB_PORT``      its port; default 8000 (``COURSE_HUB_API_PORT`` / ``_HUB_PORT``: +1 / +2)
``COURSE_HUB_STUDENTS``  comma-separated user names allowed in (PAM: also ``COURSE_HUB_GROUP``)
``COURSE_HUB_TRIAL_PASSWORD``  when set: the trial authenticator (one shared password, only the
                         students above); when empty: PAM, the server's own user accounts
``COURSE_HUB_SERVICE_TOKEN``   when set: an API token for the load test (admin of users/servers)
``COURSE_HUB_LOCAL_REPO``  when set: a course repository on this disk that students may pull from

Authentication for a real class: PAM (the default here, users created by the school, e.g. with
``useradd -m -K HOME_MODE=0700``) or OAuth with ``oauthenticator`` (Google/GitHub/Microsoft
accounts; ``c.LocalAuthenticator.create_system_users = True`` makes the system user at first
login). See ``docs/teacher/hub.md``. The trial authenticator is for a trial on 127.0.0.1 only.
"""

# ruff: noqa: F821  (get_config is provided by JupyterHub when it loads this file)
from __future__ import annotations

import os
import pwd
import sys
from pathlib import Path

c = get_config()

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # the environment JupyterHub runs in also serves the students
STATE = Path(os.environ.get("COURSE_HUB_STATE", "/srv/course-hub"))
PORT = int(os.environ.get("COURSE_HUB_PORT", "8000"))
STUDENTS = {name for name in os.environ.get("COURSE_HUB_STUDENTS", "").split(",") if name}
TRIAL_PASSWORD = os.environ.get("COURSE_HUB_TRIAL_PASSWORD", "")
SERVICE_TOKEN = os.environ.get("COURSE_HUB_SERVICE_TOKEN", "")

# Network: the proxy faces the students; the hub and the proxy's API stay on loopback.
c.JupyterHub.ip = os.environ.get("COURSE_HUB_IP", "127.0.0.1")
c.JupyterHub.port = PORT
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("COURSE_HUB_HUB_PORT", PORT + 2))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('COURSE_HUB_API_PORT', PORT + 1)}"
c.ConfigurableHTTPProxy.command = [str(ROOT / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every student's server

# Authentication: the trial's shared password, or the server's own accounts (PAM).
if TRIAL_PASSWORD:
    c.JupyterHub.authenticator_class = "shared-password"  # for workshops and trials only
    c.SharedPasswordAuthenticator.user_password = TRIAL_PASSWORD
else:
    c.JupyterHub.authenticator_class = "pam"
    if os.environ.get("COURSE_HUB_GROUP"):
        c.LocalAuthenticator.allowed_groups = {os.environ["COURSE_HUB_GROUP"]}
c.Authenticator.allowed_users = STUDENTS

# Spawner: each student's server as their own system user, from this environment.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
# LESSONS_LOOKAHEAD=0: the apps draw only the charts a student asks for. On a laptop they draw the states
# one click away while the kernel is idle (a new state then shows as fast as a revisited one), but on a
# shared server CPU is what limits a class, and that would multiply each change's kernel CPU (up to 4x).
c.Spawner.environment = {"PATH": f"{BIN}:/usr/local/bin:/usr/bin:/bin", "MPLBACKEND": "Agg", "LESSONS_LOOKAHEAD": "0"}
if os.environ.get("COURSE_HUB_LOCAL_REPO"):
    # A course repository on this server's disk (the trial's), owned by root: git refuses to clone a
    # repository owned by another user unless a global or system config names it safe (git >= 2.39.4).
    # The trial's students get a global git config that does; a real class pulls over https.
    SAFE = STATE / "gitconfig"
    SAFE.write_text(f"[safe]\n\tdirectory = {os.environ['COURSE_HUB_LOCAL_REPO']}\n", encoding="utf-8")
    SAFE.chmod(0o644)
    c.Spawner.environment["GIT_CONFIG_GLOBAL"] = str(SAFE)
# Voila's server extension costs about 4 s of CPU at every server start and students use
# JupyterLab here; the teacher's projector runs Voila separately (python3 run.py classroom).
c.Spawner.args = ["--ServerApp.jpserver_extensions=voila=False"]
# On 2 cores a whole class starting at once takes minutes (measured: see docs/teacher/hub.md),
# so the default 60 s would fail the last students' starts.
c.Spawner.start_timeout = 600
c.Spawner.http_timeout = 600
c.JupyterHub.concurrent_spawn_limit = 100


def private_home(spawner) -> None:  # type: ignore[no-untyped-def]
    """Make the student's home directory theirs alone (mode 0700) before their server starts.

    Debian's ``useradd`` makes homes world-readable (UMASK 022) unless HOME_MODE is set, so
    without this one student could read another's notebooks and saved answers.
    """
    user = pwd.getpwnam(spawner.user.name)
    home = Path(user.pw_dir)
    home.mkdir(mode=0o700, exist_ok=True)
    os.chown(home, user.pw_uid, user.pw_gid)
    home.chmod(0o700)


c.Spawner.pre_spawn_hook = private_home

# The load test's service: creates tokens for the trial students and starts their servers.
if SERVICE_TOKEN:
    c.JupyterHub.services = [{"name": "course-load-test", "api_token": SERVICE_TOKEN}]
    c.JupyterHub.load_roles = [
        {
            "name": "course-load-test",
            "services": ["course-load-test"],
            "scopes": ["admin:users", "admin:servers", "tokens", "read:users"],
        }
    ]
