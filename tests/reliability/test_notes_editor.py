"""The $EDITOR round trip, with real editor programs, from the CLI and from the app."""

from __future__ import annotations

import contextlib
import shlex
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from readinglist.core.store import Library
from readinglist.ui.widgets.notes_editor import NotesEditor

from .notes_support import cli, notes_app, notices, seeded, stored_note


def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, body: str) -> Path:
    """Install a shell script as ``$EDITOR``; it gets the file to edit as ``$1``.

    Whatever the editor is handed is also copied to ``seen`` beside it.
    """
    script = tmp_path / name
    seen = tmp_path / "seen"
    script.write_text(f'#!/bin/sh\ncp "$1" {shlex.quote(str(seen))}\n{body}\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(script))
    return seen


def set_meanwhile(db_path: Path, paper_id: int) -> str:
    """An editor body that sets the note from another process (the CLI), then appends a line."""
    command = [sys.executable, "-m", "readinglist", "--db", str(db_path), "note", str(paper_id)]
    return f'{shlex.join(command)} --set "set meanwhile"\nprintf "added in the editor\\n" >> "$1"'


@pytest.fixture
def lib_with_note(db_path: Path) -> tuple[Path, int]:
    """A seeded library whose first paper's note does not end with a newline."""
    seeded(db_path)
    with Library(db_path) as lib:
        paper_id = lib.ids()[0]
        lib.set_note(paper_id, "first line\nno newline at the end")
    return db_path, paper_id


def test_cli_edit_without_a_change_says_so_and_writes_nothing(
    lib_with_note: tuple[Path, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path, paper_id = lib_with_note
    seen = editor(tmp_path, monkeypatch, "look.sh", "exit 0")
    with Library(db_path) as watcher:
        version = watcher.data_version()
        stamp = watcher.get(paper_id).notes_updated_at
        done = cli(db_path, "note", str(paper_id), "--edit")
        assert done.returncode == 0, done.stderr
        assert done.stderr == f"readinglist: note {paper_id} unchanged\n"
        assert watcher.data_version() == version  # no commit at all
        assert watcher.get(paper_id).notes_updated_at == stamp
    assert seen.read_bytes() == b"first line\nno newline at the end\n"  # a text file ends with a newline
    assert stored_note(db_path, paper_id) == "first line\nno newline at the end"


def test_cli_edit_that_only_drops_the_final_newline_is_no_change(
    lib_with_note: tuple[Path, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path, paper_id = lib_with_note
    trim = tmp_path / "trim.py"
    trim.write_text("import sys\np = sys.argv[1]\nt = open(p).read()\nopen(p, 'w').write(t.rstrip())\n")
    editor(tmp_path, monkeypatch, "trim.sh", f'{shlex.quote(sys.executable)} {shlex.quote(str(trim))} "$1"')
    done = cli(db_path, "note", str(paper_id), "--edit")
    assert done.returncode == 0 and "unchanged" in done.stderr
    assert stored_note(db_path, paper_id) == "first line\nno newline at the end"


def test_cli_edit_stores_the_change(
    lib_with_note: tuple[Path, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path, paper_id = lib_with_note
    editor(tmp_path, monkeypatch, "append.sh", 'printf "added in the editor\\n" >> "$1"')
    done = cli(db_path, "note", str(paper_id), "--edit")
    assert (done.returncode, done.stderr) == (0, "")
    assert stored_note(db_path, paper_id) == "first line\nno newline at the end\nadded in the editor\n"


def test_cli_edit_keeps_a_change_made_while_the_editor_was_open(
    lib_with_note: tuple[Path, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path, paper_id = lib_with_note
    editor(tmp_path, monkeypatch, "slow.sh", set_meanwhile(db_path, paper_id))
    done = cli(db_path, "note", str(paper_id), "--edit")
    assert done.returncode == 0, done.stderr
    assert "both texts are kept" in done.stderr
    stored = stored_note(db_path, paper_id)
    mine = "first line\nno newline at the end\nadded in the editor\n"
    assert stored.startswith(mine + "\n<<<<<<< changed elsewhere at ")
    assert "\nset meanwhile\n>>>>>>> " in stored


def test_cli_edit_when_the_editor_fails_changes_nothing(
    lib_with_note: tuple[Path, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path, paper_id = lib_with_note
    editor(tmp_path, monkeypatch, "fail.sh", 'printf "half done" >> "$1"; exit 3')
    done = cli(db_path, "note", str(paper_id), "--edit")
    assert done.returncode == 1
    assert "exited with status 3; note unchanged" in done.stderr
    assert stored_note(db_path, paper_id) == "first line\nno newline at the end"


@contextlib.contextmanager
def no_suspend() -> Iterator[None]:
    # The headless driver cannot give the terminal away; these editors need none.
    yield


async def test_app_edit_without_a_change_says_so_and_writes_nothing(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = editor(tmp_path, monkeypatch, "look.sh", "exit 0")
    app = notes_app(db_path)
    app.suspend = no_suspend  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        paper_id = app.screen.query_one("#papers").current_id  # type: ignore[attr-defined]
        with Library(db_path) as other:
            other.set_note(paper_id, "kept as it is")
            version = other.data_version()
            await pilot.press("e")
            await pilot.pause()
            assert other.data_version() == version
        assert "Note unchanged" in notices(app)
        assert "Note saved" not in notices(app)
        assert app.screen.query_one(NotesEditor).text == "kept as it is"
    assert seen.read_text(encoding="utf-8") == "kept as it is\n"


async def test_app_edit_stores_the_change(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor(tmp_path, monkeypatch, "append.sh", 'printf "added in the editor\\n" >> "$1"')
    app = notes_app(db_path)
    app.suspend = no_suspend  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        paper_id = app.screen.query_one("#papers").current_id  # type: ignore[attr-defined]
        await pilot.press("e")
        await pilot.pause()
        assert "Note saved" in notices(app)
        assert app.screen.query_one(NotesEditor).text == "added in the editor\n"
    assert stored_note(db_path, paper_id) == "added in the editor\n"


async def test_app_edit_keeps_a_change_made_while_the_editor_was_open(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = notes_app(db_path)
    app.suspend = no_suspend  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        paper_id = app.screen.query_one("#papers").current_id  # type: ignore[attr-defined]
        editor(tmp_path, monkeypatch, "slow.sh", set_meanwhile(db_path, paper_id))
        await pilot.press("e")
        await pilot.pause()
        stored = stored_note(db_path, paper_id)
        assert stored.startswith("added in the editor\n\n<<<<<<< changed elsewhere at ")
        assert "\nset meanwhile\n>>>>>>> " in stored
        assert app.screen.query_one(NotesEditor).text == stored
        assert any("Both texts are kept" in n for n in notices(app))
        assert "Note saved" not in notices(app)


def delete_meanwhile(db_path: Path, paper_id: int) -> str:
    """An editor body that appends a line after the paper was deleted by another process."""
    sql = f"DELETE FROM papers WHERE id = {paper_id}"
    delete = [
        sys.executable,
        "-c",
        f"import sqlite3; c = sqlite3.connect({str(db_path)!r}); c.execute({sql!r}); c.commit()",
    ]
    return f'{shlex.join(delete)}\nprintf "added in the editor\\n" >> "$1"'


def test_cli_edit_that_cannot_be_stored_keeps_the_text_in_a_file(
    lib_with_note: tuple[Path, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path, paper_id = lib_with_note
    editor(tmp_path, monkeypatch, "gone.sh", delete_meanwhile(db_path, paper_id))
    done = cli(db_path, "note", str(paper_id), "--edit")
    assert done.returncode == 1
    message = done.stderr.strip()
    assert message.startswith(f"readinglist: no paper with id {paper_id}; your text is kept in ")
    kept = Path(message.rsplit(" ", 1)[1])
    try:
        assert kept.read_text(encoding="utf-8") == "first line\nno newline at the end\nadded in the editor\n"
    finally:
        kept.unlink()


async def test_app_edit_that_cannot_be_stored_stays_in_the_pane(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = notes_app(db_path)
    app.suspend = no_suspend  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        paper_id = app.screen.query_one("#papers").current_id  # type: ignore[attr-defined]
        editor(tmp_path, monkeypatch, "gone.sh", delete_meanwhile(db_path, paper_id))
        await pilot.press("e")
        await pilot.pause()
        notes = app.screen.query_one(NotesEditor)
        assert notes.text == "added in the editor\n"
        assert notes.border_subtitle == "Markdown · unsaved"
        assert any(f"no paper with id {paper_id}" in n for n in notices(app))
        assert "Note saved" not in notices(app)


@pytest.mark.parametrize(
    ("note", "editor_body", "expected"),
    [
        ("", "exit 0", None),
        ("", 'printf "\\n" > "$1"', None),  # an empty buffer saved as one empty line
        ("", 'printf "new\\n" > "$1"', "new\n"),
        ("ends\n", "exit 0", None),
        ("crlf\r\nlines", "exit 0", None),  # line ends kept as they are
        ("a", 'printf "b\\n" > "$1"', "b\n"),
    ],
)
def test_edit_text_round_trip(
    note: str, editor_body: str, expected: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from readinglist.editor import edit_text

    seen = editor(tmp_path, monkeypatch, "ed.sh", editor_body)
    assert edit_text(note) == expected
    handed = note if not note or note.endswith("\n") else note + "\n"
    assert seen.read_bytes() == handed.encode("utf-8")
