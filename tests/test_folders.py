"""book/folders.py and book/locks.py on their own: the atomic folder swap
(and its fallback where the system has no exchange), and the lock."""
from __future__ import annotations

import os
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
