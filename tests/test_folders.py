"""book/folders.py and book/locks.py on their own: the atomic folder swap
(and its fallback where the system has no exchange), and the lock."""
from __future__ import annotations

import errno
import os
import re
from pathlib import Path

import pytest

from book import folders, locks


def _folder(path: Path, text: str) -> Path:
    path.mkdir()
    (path / "index.html").write_text(text)
    return path


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_replace_puts_the_new_folder_in_place_and_hands_back_the_old(tmp_path, monkeypatch, exchange):
    if not exchange:
        monkeypatch.setattr(folders, "_exchange_call", None)
    dest = _folder(tmp_path / "html", "old")
    new = _folder(tmp_path / ".html.new", "new")
    old = folders.replace(new, dest)
    assert (dest / "index.html").read_text() == "new"
    assert old is not None and (old / "index.html").read_text() == "old"
    assert folders.remove(old) is None and not old.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["html"]


def test_replace_without_a_previous_folder(tmp_path):
    new = _folder(tmp_path / ".html.new", "new")
    assert folders.replace(new, tmp_path / "html") is None
    assert (tmp_path / "html" / "index.html").read_text() == "new"


def test_make_readable(tmp_path):
    root = _folder(tmp_path / "pack", "x")
    (root / "sub").mkdir(mode=0o700)
    (root / "sub" / "f.pdf").write_text("")
    os.chmod(root / "sub" / "f.pdf", 0o600)
    os.chmod(root, 0o700)
    folders.make_readable(root)
    modes = {p.name: p.stat().st_mode & 0o777 for p in [root, *root.rglob("*")]}
    assert modes == {"pack": 0o755, "index.html": 0o644, "sub": 0o755, "f.pdf": 0o644}


def test_lock_keeps_a_second_holder_out_and_names_the_first(tmp_path):
    lock = tmp_path / ".lock"
    with locks.exclusive(lock, wait=False):
        with pytest.raises(locks.Busy) as busy, locks.exclusive(lock, wait=False):
            pass
        assert busy.value.holder == f"process {os.getpid()}"
    assert not lock.exists()
    with locks.exclusive(lock, wait=False):  # free again
        assert lock.read_text() == f"{os.getpid()}\n"


def test_two_renames_put_the_old_folder_back_when_the_second_fails(tmp_path, monkeypatch):
    monkeypatch.setattr(folders, "_exchange_call", None)
    dest = _folder(tmp_path / "html", "old")
    with pytest.raises(FileNotFoundError):
        folders.replace(tmp_path / ".html.gone", dest)
    assert (dest / "index.html").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["html"]


# ----------------------------------------------------------------------- staged: the whole round

def _stray(parent: Path, name: str) -> list[str]:
    return [p.name for p in parent.iterdir() if p.name.startswith(f".{name}.")]


def test_staged_replaces_the_old_folder_when_the_writing_ends(tmp_path, capsys):
    dest = _folder(tmp_path / "pack", "old")
    with folders.staged(dest, "pack") as tmp:
        assert tmp.parent == tmp_path and tmp.name.startswith(".pack.tmp-")
        (tmp / "index.html").write_text("new")
        (tmp / "sub").mkdir(mode=0o700)
        assert (dest / "index.html").read_text() == "old"  # nothing shows before the end
    assert (dest / "index.html").read_text() == "new"
    modes = {p.name: p.stat().st_mode & 0o777 for p in [dest, *dest.rglob("*")]}
    assert modes == {"pack": 0o755, "index.html": 0o644, "sub": 0o755}
    assert _stray(tmp_path, "pack") == [] and capsys.readouterr().err == ""


def test_staged_leaves_the_old_folder_when_the_writing_fails(tmp_path):
    dest = _folder(tmp_path / "pack", "old")
    def write_half() -> None:
        with folders.staged(dest, "pack") as tmp:
            (tmp / "index.html").write_text("half")
            raise OSError(28, "disk full")
    with pytest.raises(OSError, match="disk full"):
        write_half()
    assert (dest / "index.html").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack"]


def test_staged_says_when_the_old_folder_cannot_be_removed(tmp_path, monkeypatch, capsys):
    dest = _folder(tmp_path / "pack", "old")
    monkeypatch.setattr(folders, "remove", lambda path: PermissionError(1, "Operation not permitted"))
    with folders.staged(dest, "pack") as tmp:
        (tmp / "index.html").write_text("new")
    assert (dest / "index.html").read_text() == "new"
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and re.fullmatch(r"warning: \S+/\.pack\.tmp-\w+: the previous pack could not be removed "
                                          r"\(Operation not permitted\); remove it by hand", err[0]), err


def test_staged_into_an_empty_folder_keeps_what_is_written_there_meanwhile(tmp_path):
    """only_empty (the exports): an empty folder is replaced by one rename; a
    file that appears in it while the writing runs stops the publishing, and
    stays where it was."""
    dest = tmp_path / "out"
    dest.mkdir()
    with folders.staged(dest, only_empty=True) as tmp:
        (tmp / "quiz.txt").write_text("new")
    assert [p.name for p in dest.iterdir()] == ["quiz.txt"] and _stray(tmp_path, "out") == []

    again = tmp_path / "again"
    again.mkdir()
    def write_while_the_user_writes() -> None:
        with folders.staged(again, only_empty=True) as tmp:
            (tmp / "quiz.txt").write_text("new")
            (again / "mine.txt").write_text("the user's")
    with pytest.raises(OSError, match=r"not empty|exists") as failed:
        write_while_the_user_writes()
    assert failed.value.errno in (errno.ENOTEMPTY, errno.EEXIST)
    assert [p.name for p in again.iterdir()] == ["mine.txt"] and _stray(tmp_path, "again") == []


def test_staged_unshared_opens_like_any_new_folder(tmp_path):
    mask = os.umask(0o027)
    try:
        with folders.staged(tmp_path / "out", shared=False) as tmp:
            (tmp / "quiz.txt").write_text("new")
    finally:
        os.umask(mask)
    modes = {p.name: p.stat().st_mode & 0o777 for p in [tmp_path / "out", *(tmp_path / "out").iterdir()]}
    assert modes == {"out": 0o750, "quiz.txt": 0o640}
