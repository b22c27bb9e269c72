r"""Keep what a learner writes: answers, sourcing cards and quiz results, outside the repository.

The store is a folder in the user's data directory (standard library only; no pandas, no
ipywidgets), so a learner's work survives a kernel restart, re-running a lesson and ``git pull``
of a new course version:

* Linux and other Unix: ``$XDG_DATA_HOME/lessons-lib/work`` (default ``~/.local/share/...``);
* macOS: ``~/Library/Application Support/lessons-lib/work``;
* Windows: ``%LOCALAPPDATA%\lessons-lib\work``.

Set the environment variable ``LESSONS_STORE_DIR`` to use another folder (tests, a classroom
hub with a shared home, a USB stick).

Each item is one small JSON file, ``lesson_03/card/lenin_testament.json``, so two notebooks
(two kernels) writing at once never lose each other's updates: different items are different
files, and each file is written atomically (a temporary file in the same folder, flushed and
``fsync``-ed, then ``os.replace``), so a reader sees the old record or the new one, never half
of one. Writes to one item take its lock file (``fcntl``/``msvcrt``), and :meth:`Store.update`
holds it from read to write, so two kernels that change different parts of the *same* item
(two fields of one sourcing card) both keep their change; a plain :meth:`Store.save` of the
same item replaces it (the last write wins).

A file that cannot be understood (broken JSON, not a record) is never overwritten: it is renamed
``<name>.corrupt-<UTC timestamp>`` beside the original, and a message says where it went.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Store", "Record", "StoreError", "StoreWarning", "default_store_dir", "KINDS"]

ENV_VAR = "LESSONS_STORE_DIR"
APP_NAME = "lessons-lib"
FORMAT = 1
KINDS = ("answer", "card", "quiz", "task")
_ID = re.compile(r"[a-z0-9][a-z0-9_.-]{0,99}")
_TMP_PREFIX = ".tmp-"


class StoreError(OSError):
    """The store cannot be read or written; the message says which file and what to do."""


class StoreWarning(UserWarning):
    """Something in the store needed attention (a corrupt file was moved aside)."""


@dataclass(frozen=True)
class Record:
    """One saved item.

    Attributes
    ----------
    kind : str
        ``"answer"``, ``"card"``, ``"quiz"`` or ``"task"`` (a task widget's work: a prediction,
        an order of events, a weighting, a claim's verdict and reason).
    lesson : int
        Lesson number.
    item : str
        The item's id within the lesson: a document id for a card, a prompt id for an answer, a
        question id for a quiz result, the task's own id for a task (``claim.<claim id>``).
    value : Any
        What was saved (JSON data: text, numbers, lists, dicts).
    saved_at : str
        When it was saved, ISO 8601 in UTC.
    """

    kind: str
    lesson: int
    item: str
    value: Any
    saved_at: str


def default_store_dir() -> Path:
    """Return the folder where learner work is kept.

    ``LESSONS_STORE_DIR`` wins when it is set and not empty; otherwise the user's data directory
    for this platform (see the module docstring) with ``lessons-lib/work`` appended.

    Returns
    -------
    Path
    """
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        return Path(override).expanduser().absolute()  # a relative folder is fixed once, not per cwd
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        xdg = os.environ.get("XDG_DATA_HOME", "").strip()
        base = Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".local" / "share"
    return base / APP_NAME / "work"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _check_key(kind: str, lesson: int, item: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; valid: {', '.join(KINDS)}")
    if isinstance(lesson, bool) or not isinstance(lesson, int) or not 0 <= lesson <= 99:
        raise ValueError(f"lesson must be a whole number from 0 to 99, not {lesson!r}")
    if not isinstance(item, str) or not _ID.fullmatch(item):
        raise ValueError(
            f"item id {item!r} cannot name a file: use lower-case letters, digits, '_', '.' or '-'"
            " (at most 100 characters, starting with a letter or digit)"
        )


class Store:
    """A learner's saved work, one JSON file per item.

    Parameters
    ----------
    root : str or Path, optional
        The store's folder; by default :func:`default_store_dir`. It is created when the first
        item is saved.

    Attributes
    ----------
    root : Path
        The store's folder.
    messages : list of str
        Messages about files moved aside, oldest first, for an app to show the learner.

    Examples
    --------
    >>> store = Store("/tmp/my-work")
    >>> store.save("answer", 4, "central_question", "Stalin won because ... [lenin_testament]")
    >>> store.load("answer", 4, "central_question").value
    'Stalin won because ... [lenin_testament]'
    """

    def __init__(self, root: str | Path | None = None):
        self.root = Path(root).expanduser() if root is not None else default_store_dir()
        self.messages: list[str] = []

    def __repr__(self) -> str:
        return f"Store({str(self.root)!r})"

    def path(self, kind: str, lesson: int, item: str) -> Path:
        """Return the file that holds one item (whether or not it exists yet)."""
        _check_key(kind, lesson, item)
        return self.root / f"lesson_{lesson:02d}" / kind / f"{item}.json"

    def save(self, kind: str, lesson: int, item: str, value: Any) -> Record:
        """Save one item atomically, replacing its previous value.

        Parameters
        ----------
        kind : str
            ``"answer"``, ``"card"``, ``"quiz"`` or ``"task"``.
        lesson : int
            Lesson number (0-99).
        item : str
            The item's id (lower-case letters, digits, ``_``, ``.``, ``-``).
        value : Any
            JSON data: text of any length and content, numbers, lists and dicts of them.

        Returns
        -------
        Record
            What was written.

        Raises
        ------
        ValueError
            For a bad kind, lesson or item id.
        TypeError
            If `value` is not JSON data.
        StoreError
            If the folder cannot be written (the message names it and says what to do).
        """
        return self.update(kind, lesson, item, lambda _old: value)

    def update(self, kind: str, lesson: int, item: str, change: Callable[[Any], Any]) -> Record:
        """Read one item, compute its new value and save it, with no other writer in between.

        The item's lock file (``<item>.json.lock``, locked with ``fcntl`` or ``msvcrt``) is held
        from the read to the write, so two kernels that each change part of one item (two
        fields of a sourcing card) both keep their change. :meth:`save` takes the same lock.

        Parameters
        ----------
        kind, lesson, item
            As for :meth:`save`.
        change : callable
            Gets the saved value (None when there is none, or the file was damaged and moved
            aside) and returns the value to save.

        Returns
        -------
        Record
            What was written.

        Raises
        ------
        ValueError, TypeError, StoreError
            As for :meth:`save`.
        """
        path = self.path(kind, lesson, item)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with _locked(path):
                old = self._read(path) if path.exists() else None  # a damaged file is moved aside, not overwritten
                record = Record(kind, lesson, item, change(None if old is None else old.value), _now())
                _write_atomic(path, _payload(record))
        except StoreError:
            raise
        except OSError as exc:
            raise StoreError(_cannot(path, "save to", exc)) from None
        return record

    def load(self, kind: str, lesson: int, item: str) -> Record | None:
        """Return the saved item, or None when nothing was saved (or the file was corrupt).

        A corrupt file is renamed aside (see the module docstring), a message is added to
        :attr:`messages` and a :class:`StoreWarning` is issued.

        Raises
        ------
        StoreError
            If the file exists but cannot be read (permissions, a folder in its place).
        """
        return self._read(self.path(kind, lesson, item))

    def records(self, kind: str | None = None, lesson: int | None = None) -> list[Record]:
        """Return every saved item, optionally only one kind or one lesson, sorted by key.

        Parameters
        ----------
        kind : str, optional
            Only items of this kind.
        lesson : int, optional
            Only items of this lesson.

        Returns
        -------
        list of Record
        """
        if kind is not None and kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}; valid: {', '.join(KINDS)}")
        found = []
        for path in self._files(kind, lesson):
            record = self._read(path)
            if record is not None:
                found.append(record)
        return sorted(found, key=lambda r: (r.lesson, r.kind, r.item))

    def _files(self, kind: str | None, lesson: int | None) -> Iterator[Path]:
        if not self.root.is_dir():
            return
        lessons = [f"lesson_{lesson:02d}"] if lesson is not None else None
        for folder in sorted(self.root.glob("lesson_*")):
            if lessons is not None and folder.name not in lessons:
                continue
            for sub in [kind] if kind else KINDS:
                for path in sorted((folder / sub).glob("*.json")):
                    if not path.name.startswith(_TMP_PREFIX):
                        yield path

    def _read(self, path: Path) -> Record | None:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(_cannot(path, "read", exc)) from None
        try:
            data = json.loads(raw.decode("utf-8"))
            record = Record(data["kind"], data["lesson"], data["item"], data["value"], data["saved_at"])
            if data.get("format") != FORMAT or (record.kind, record.lesson, record.item) != _key_of(path):
                raise ValueError("not a record of this store")
        except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
            self._move_aside(path, exc)
            return None
        return record

    def _move_aside(self, path: Path, exc: Exception) -> None:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{os.getpid()}")
        try:
            os.rename(path, aside)
        except FileNotFoundError:
            return  # another kernel moved it aside first
        except OSError as err:
            raise StoreError(
                f"The saved file {path} is damaged ({exc}) and could not be moved aside ({err}). "
                "Nothing was overwritten; copy the file somewhere safe, then delete it."
            ) from None
        message = (
            f"The saved file {path.name} could not be read ({type(exc).__name__}: {exc}). "
            f"It was kept as {aside} and nothing was overwritten; this item starts empty."
        )
        self.messages.append(message)
        warnings.warn(message, StoreWarning, stacklevel=4)


def _key_of(path: Path) -> tuple[str, int, str]:
    lesson = path.parent.parent.name.removeprefix("lesson_")
    return path.parent.name, int(lesson) if lesson.isdigit() else -1, path.stem


def _cannot(path: Path, verb: str, exc: OSError) -> str:
    reason = exc.strerror or type(exc).__name__
    return (
        f"Cannot {verb} {path}: {reason}. Your text is still in the box, but it is not saved. "
        f"Check that the folder exists and is writable, or set the environment variable {ENV_VAR} "
        "to a folder you can write to, and restart the kernel."
    )


def _payload(record: Record) -> bytes:
    data = {"format": FORMAT, "kind": record.kind, "lesson": record.lesson, "item": record.item,
            "value": record.value, "saved_at": record.saved_at}  # fmt: skip
    try:
        # ensure_ascii: lone surrogates pasted from odd sources survive as escapes
        return json.dumps(data, ensure_ascii=True, allow_nan=False).encode("ascii")
    except (TypeError, ValueError) as exc:
        raise TypeError(f"cannot save {record.kind} {record.item!r} of lesson {record.lesson}: {exc}") from None


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold the item's lock file while the block runs (other processes wait for it)."""
    with open(path.with_name(path.name + ".lock"), "a+b") as handle:
        if sys.platform == "win32":
            import msvcrt

            while True:  # LK_LOCK itself gives up after 10 tries of one second
                try:
                    handle.seek(0)
                    msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
                    break
                except OSError:
                    time.sleep(0.05)
            try:
                yield
            finally:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old content or the new, never a mix."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=_TMP_PREFIX, suffix=".json")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(path.parent)


def _replace(tmp: str, path: Path) -> None:
    # On Windows os.replace fails while another process has the target open; retry briefly.
    for attempt in range(50):
        try:
            os.replace(tmp, path)
            return
        except PermissionError:
            if sys.platform != "win32" or attempt == 49:
                raise
            time.sleep(0.01)


def _fsync_dir(folder: Path) -> None:
    if sys.platform == "win32":
        return  # directories cannot be opened for fsync on Windows; NTFS journals the rename
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
