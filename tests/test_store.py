"""The learner's work store: round trip, restart, two processes at once, corrupt files kept aside."""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import lessons_lib.store as store_module
from lessons_lib.store import Store, StoreError, StoreWarning, default_store_dir

ODD_TEXTS = {
    "empty": "",
    "long": "x" * 19_990 + " end.",
    "markup": "<script>alert('hi')</script> <b>bold</b> & \"quotes\" </textarea>",
    "unicode": "Ленин — «Завещание» 🚩\n\ttabbed\r\nline",
    "surrogate": "broken \ud800 paste",
}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "work")


def test_saved_answer_loads_back(store):
    store.save("answer", 4, "central_question", "Stalin won because of the apparatus [lenin_testament].")
    record = store.load("answer", 4, "central_question")
    assert record.value == "Stalin won because of the apparatus [lenin_testament]."
    assert (record.kind, record.lesson, record.item) == ("answer", 4, "central_question")
    assert record.saved_at.endswith("+00:00")


def test_nothing_saved_loads_as_none(store):
    assert store.load("card", 2, "never_written") is None
    assert store.records() == []


def test_saving_again_replaces_the_value(store):
    store.save("card", 3, "doc_a", {"author": "first"})
    store.save("card", 3, "doc_a", {"author": "second"})
    assert store.load("card", 3, "doc_a").value == {"author": "second"}
    assert len(store.records()) == 1


@pytest.mark.parametrize("name", ODD_TEXTS)
def test_odd_text_is_stored_and_returned_as_text(store, name):
    store.save("answer", 9, "essay_1", ODD_TEXTS[name])
    assert Store(store.root).load("answer", 9, "essay_1").value == ODD_TEXTS[name]


def test_a_twenty_thousand_character_card_field_survives(store):
    card = {"purpose": "p" * 20_000, "doubt": "<i>markup</i>"}
    store.save("card", 5, "doc_b", card)
    assert Store(store.root).load("card", 5, "doc_b").value == card


def test_work_survives_a_new_store_object(store):
    store.save("quiz", 1, "q01_01", {"answer": "trotsky", "correct": True})
    again = Store(store.root)
    assert again.load("quiz", 1, "q01_01").value == {"answer": "trotsky", "correct": True}


def test_work_survives_a_new_process(store):
    store.save("answer", 6, "prompt_2", "Written before the kernel restarted.")
    code = textwrap.dedent(
        f"""
        from lessons_lib.store import Store
        print(Store({str(store.root)!r}).load("answer", 6, "prompt_2").value)
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "Written before the kernel restarted."


def test_records_filter_by_kind_and_lesson(store):
    store.save("answer", 2, "a", "one")
    store.save("card", 2, "doc", {})
    store.save("answer", 3, "b", "two")
    assert [(r.kind, r.lesson, r.item) for r in store.records()] == [
        ("answer", 2, "a"), ("card", 2, "doc"), ("answer", 3, "b"),
    ]  # fmt: skip
    assert [r.item for r in store.records(kind="answer")] == ["a", "b"]
    assert [r.item for r in store.records(lesson=2)] == ["a", "doc"]


def _write_many(root: str, worker: int, count: int, start, shared: bool) -> None:
    writer = Store(root)
    start.wait(timeout=60)  # both processes begin writing together
    for i in range(count):
        if shared:
            writer.save("quiz", 7, "shared", {"worker": worker, "i": i})
        else:
            writer.save("answer", 7, f"w{worker}_{i:03d}", f"worker {worker} item {i}")


def _race(root: Path, count: int, shared: bool, reader: Store | None = None) -> int:
    """Two writer processes at once; the optional reader keeps loading the shared item meanwhile."""
    ctx = multiprocessing.get_context("spawn")  # a fresh interpreter, like a second kernel
    start = ctx.Barrier(2)
    workers = [ctx.Process(target=_write_many, args=(str(root), w, count, start, shared)) for w in (1, 2)]
    for proc in workers:
        proc.start()
    reads = 0
    while reader is not None and any(proc.is_alive() for proc in workers):
        if reader.load("quiz", 7, "shared") is not None:
            reads += 1
    for proc in workers:
        proc.join(timeout=120)
        assert proc.exitcode == 0
    return reads


def test_two_processes_writing_at_once_lose_nothing(store):
    _race(store.root, 200, shared=False)
    answers = store.records(kind="answer")
    assert len(answers) == 400
    assert {r.value for r in answers} == {f"worker {w} item {i}" for w in (1, 2) for i in range(200)}
    assert store.messages == []


def test_two_processes_writing_one_item_never_show_a_reader_half_a_record(store):
    reader = Store(store.root)
    reads = _race(store.root, 50, shared=True, reader=reader)
    assert reads > 0
    assert reader.messages == []  # a torn write would have been read as corrupt and moved aside
    shared = store.load("quiz", 7, "shared").value
    assert shared["worker"] in (1, 2) and 0 <= shared["i"] < 50
    assert sorted(p.name for p in store.root.rglob("*") if p.is_file()) == ["shared.json", "shared.json.lock"]


def _update_field(root: str, worker: int, count: int, start) -> None:
    writer = Store(root)
    start.wait(timeout=60)
    for i in range(count):
        writer.update("card", 5, "doc", lambda old, i=i: {"log": [*(old or {"log": []})["log"], f"w{worker}_{i}"]})


def test_two_processes_updating_one_item_lose_no_update(store):
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(2)
    workers = [ctx.Process(target=_update_field, args=(str(store.root), w, 60, start)) for w in (1, 2)]
    for proc in workers:
        proc.start()
    for proc in workers:
        proc.join(timeout=120)
        assert proc.exitcode == 0
    log = store.load("card", 5, "doc").value["log"]
    assert sorted(log) == sorted(f"w{w}_{i}" for w in (1, 2) for i in range(60))  # no update lost


def test_update_gets_the_saved_value_and_none_at_first(store):
    seen = []
    store.update("answer", 2, "a", lambda old: seen.append(old) or "first")
    store.update("answer", 2, "a", lambda old: seen.append(old) or old + " second")
    assert seen == [None, "first"] and store.load("answer", 2, "a").value == "first second"


def test_a_failed_write_leaves_the_old_value_and_no_temporary_file(store, monkeypatch):
    store.save("answer", 2, "a", "old text")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_module.os, "replace", broken_replace)
    with pytest.raises(StoreError, match=r"Cannot save to .*a\.json: No space left on device.*LESSONS_STORE_DIR"):
        store.save("answer", 2, "a", "new text")
    monkeypatch.undo()
    assert store.load("answer", 2, "a").value == "old text"
    assert sorted(p.name for p in store.path("answer", 2, "a").parent.iterdir()) == ["a.json", "a.json.lock"]


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"\xff\xfe binary", b'{"format": 1, "kind": "answer"}', b"[1, 2]", b""],
    ids=["broken_json", "not_utf8", "missing_fields", "not_a_dict", "empty_file"],
)
def test_a_corrupt_file_is_kept_aside_with_a_message(store, content):
    path = store.path("answer", 3, "prompt_1")
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    with pytest.warns(StoreWarning, match=r"prompt_1\.json could not be read.*kept as .*nothing was overwritten"):
        assert store.load("answer", 3, "prompt_1") is None
    (aside,) = path.parent.glob("prompt_1.json.corrupt-*")
    assert aside.read_bytes() == content
    assert not path.exists()
    assert len(store.messages) == 1 and str(aside) in store.messages[0]


def test_saving_over_a_corrupt_file_keeps_the_corrupt_copy(store):
    path = store.path("card", 4, "doc_c")
    path.parent.mkdir(parents=True)
    path.write_text("{half a reco", encoding="utf-8")
    with pytest.warns(StoreWarning):
        store.save("card", 4, "doc_c", {"author": "new"})
    (aside,) = path.parent.glob("doc_c.json.corrupt-*")
    assert aside.read_text(encoding="utf-8") == "{half a reco"
    assert store.load("card", 4, "doc_c").value == {"author": "new"}


def test_a_record_filed_under_the_wrong_name_is_not_trusted(store):
    store.save("answer", 2, "a", "text")
    store.path("answer", 2, "a").rename(store.path("answer", 2, "a").with_name("b.json"))
    with pytest.warns(StoreWarning, match="not a record of this store"):
        assert store.load("answer", 2, "b") is None


def test_records_skip_corrupt_files_and_keep_the_rest(store):
    store.save("answer", 2, "good", "kept")
    bad = store.path("answer", 2, "bad")
    bad.write_text("oops", encoding="utf-8")
    with pytest.warns(StoreWarning):
        assert [r.item for r in store.records()] == ["good"]


def test_an_unreadable_file_gets_a_clear_error_and_is_not_moved(store, monkeypatch):
    store.save("answer", 2, "locked", "text")
    real_read = Path.read_bytes

    def denied(self):
        if self.name == "locked.json":
            raise PermissionError(13, "Permission denied")
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(StoreError, match=r"Cannot read .*locked\.json: Permission denied"):
        store.load("answer", 2, "locked")
    with pytest.raises(StoreError, match=r"Cannot read .*locked\.json"):
        store.save("answer", 2, "locked", "would overwrite what cannot be read")
    monkeypatch.undo()
    assert store.load("answer", 2, "locked").value == "text"


def test_a_store_folder_that_is_a_file_gets_a_clear_error(tmp_path):
    (tmp_path / "work").write_text("not a folder", encoding="utf-8")
    with pytest.raises(StoreError, match=r"Cannot save to .*Your text is still in the box.*LESSONS_STORE_DIR"):
        Store(tmp_path / "work").save("answer", 2, "a", "text")
    assert (tmp_path / "work").read_text(encoding="utf-8") == "not a folder"


@pytest.mark.parametrize(
    "kind,lesson,item,match",
    [
        ("essay", 2, "a", "unknown kind 'essay'; valid: answer, card, quiz"),
        ("answer", "2", "a", "lesson must be a whole number"),
        ("answer", 100, "a", "lesson must be a whole number from 0 to 99"),
        ("answer", 2, "../escape", "cannot name a file"),
        ("answer", 2, "Upper", "cannot name a file"),
        ("answer", 2, "", "cannot name a file"),
    ],
)
def test_bad_keys_are_rejected_with_a_message(store, kind, lesson, item, match):
    with pytest.raises(ValueError, match=match):
        store.save(kind, lesson, item, "text")


def test_a_value_that_is_not_json_data_is_rejected(store):
    with pytest.raises(TypeError, match="cannot save answer 'a' of lesson 2"):
        store.save("answer", 2, "a", {"when": object()})
    assert store.load("answer", 2, "a") is None


def test_the_file_is_plain_json_a_person_can_read(store):
    store.save("answer", 2, "a", "text")
    data = json.loads(store.path("answer", 2, "a").read_text(encoding="ascii"))
    assert data["value"] == "text" and data["format"] == 1


def test_store_dir_comes_from_the_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("LESSONS_STORE_DIR", str(tmp_path / "hub" / "alice"))
    assert default_store_dir() == tmp_path / "hub" / "alice"
    assert Store().root == tmp_path / "hub" / "alice"


def test_a_relative_store_dir_is_made_absolute_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LESSONS_STORE_DIR", "class/alice")
    store = Store()
    monkeypatch.chdir(tmp_path.parent)
    store.save("answer", 2, "a", "text")
    assert (tmp_path / "class" / "alice" / "lesson_02" / "answer" / "a.json").exists()


@pytest.mark.parametrize(
    "platform,env,expected",
    [
        ("linux", {}, "HOME/.local/share/lessons-lib/work"),
        ("linux", {"XDG_DATA_HOME": "/xdg"}, "/xdg/lessons-lib/work"),
        ("linux", {"XDG_DATA_HOME": "relative"}, "HOME/.local/share/lessons-lib/work"),
        ("darwin", {}, "HOME/Library/Application Support/lessons-lib/work"),
        ("win32", {"LOCALAPPDATA": "/appdata"}, "/appdata/lessons-lib/work"),
        ("win32", {}, "HOME/AppData/Local/lessons-lib/work"),
    ],
)
def test_store_dir_is_the_users_data_directory_outside_the_repository(tmp_path, monkeypatch, platform, env, expected):
    for name in ("LESSONS_STORE_DIR", "XDG_DATA_HOME", "LOCALAPPDATA"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(store_module.sys, "platform", platform)
    monkeypatch.setattr(store_module.Path, "home", classmethod(lambda cls: tmp_path))
    assert default_store_dir() == Path(expected.replace("HOME", str(tmp_path)))


def test_store_needs_neither_pandas_nor_ipywidgets():
    code = "import sys, lessons_lib.store; print(sorted({'pandas', 'ipywidgets'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
