"""Publish a finished folder (the built book, a workshop pack, an export)
without ever showing a half one, and leave it readable by others.

`replace(new, dest)` swaps `new` into `dest` with one atomic system call
(Linux renameat2 with RENAME_EXCHANGE): at every instant `dest` is the
complete old folder or the complete new one, even if the process is killed.
The old folder ends up at `new`'s path and is removed afterwards, best
effort: a folder that cannot be removed costs a warning, never the new one.
`staged(dest)` is the whole round: a temporary folder beside `dest` to
write into, published that way only if the writing ends without an error.
"""
from __future__ import annotations

import ctypes
import errno
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

FILE_MODE = 0o644    # anyone may read: a web server, a colleague unpacking the zip
FOLDER_MODE = 0o755
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
# A file system (or a system other than Linux) that cannot exchange two names.
_NO_EXCHANGE = (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP)
OLD_SUFFIX = ".old"  # the previous folder, between the two renames where there is no exchange


def _renameat2() -> Any:
    try:
        func = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return func


_exchange_call = _renameat2()


def exchange(a: Path, b: Path) -> bool:
    """Swap the names of two existing paths atomically; False where the
    system cannot. An OSError for any other reason (permissions, a busy folder)."""
    if _exchange_call is None:
        return False
    sys.audit("book.folders.exchange", a, b)  # ctypes calls raise no audit event of their own
    if _exchange_call(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _NO_EXCHANGE:
        return False
    raise OSError(code, os.strerror(code), str(b))


def replace(new: Path, dest: Path, only_empty: bool = False) -> Path | None:
    """Put the complete folder `new` at `dest`. Returns where the previous
    `dest` now is (to be removed with `remove`), or None if there was none.
    only_empty: `dest` may only be missing or an empty folder; one rename
    replaces it, and fails (ENOTEMPTY) if anything was written there since."""
    if only_empty or not os.path.lexists(dest):
        os.rename(new, dest)
        return None
    if exchange(new, dest):
        return new
    # No atomic exchange here (not Linux, or a network file system): two
    # renames, so `dest` is missing for an instant but never half written.
    old = new.with_name(new.name + OLD_SUFFIX)
    os.rename(dest, old)
    try:
        os.rename(new, dest)
    except BaseException:
        os.rename(old, dest)
        raise
    return old


@contextmanager
def staged(dest: Path, what: str = "folder", only_empty: bool = False, shared: bool = True) -> Iterator[Path]:
    """A new temporary folder beside `dest` (`.<name>.tmp-XXXX`) to write
    into. When the block ends without an error it is put at `dest` in one
    step (`replace`, with `only_empty`) and the previous folder is removed: a
    warning line naming `what` if it cannot be. On any error, or an interrupt,
    the temporary folder is removed and `dest` is left as it was.
    shared: files 0644 and folders 0755 (for a web server or a colleague);
    else as the user's umask makes a new folder and its files."""
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.tmp-", dir=dest.parent))
    try:
        if not shared:
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(tmp, 0o777 & ~mask)  # as mkdir makes it, not mkdtemp's 0700
        yield tmp
        if shared:
            make_readable(tmp)
        old = replace(tmp, dest, only_empty)
    except BaseException:
        remove(tmp)
        raise
    if old is not None:
        failed = remove(old)
        if failed is not None:
            print(f"warning: {old}: the previous {what} could not be removed ({reason(failed)}); "
                  "remove it by hand", file=sys.stderr)


def remove(path: Path) -> OSError | None:
    """Remove a folder we wrote, as far as possible; the first error, if any."""
    errors: list[OSError] = []

    def note(_func: Any, _path: Any, exc_info: Any) -> None:
        errors.append(exc_info[1])

    if os.path.islink(path) or path.is_file():
        try:
            path.unlink()
        except OSError as exc:
            return exc
        return None
    shutil.rmtree(path, onerror=note)
    return errors[0] if errors else None


def make_readable(root: Path) -> None:
    """Folders 0755 and files 0644 (temporary folders start as 0700)."""
    os.chmod(root, FOLDER_MODE)
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            os.chmod(os.path.join(folder, name), FOLDER_MODE)
        for name in files:
            os.chmod(os.path.join(folder, name), FILE_MODE)


def zip_attrs(is_dir: bool) -> int:
    """A zip entry's external_attr: Unix mode in the high 16 bits (MS-DOS
    directory flag for folders), so unzip gives 0644 files and 0755 folders."""
    if is_dir:
        return ((stat.S_IFDIR | FOLDER_MODE) << 16) | 0x10
    return (stat.S_IFREG | FILE_MODE) << 16


def copy_tree(src: Path, dest: Path) -> None:
    """shutil.copytree that fails with the first OSError itself: copytree
    gathers every failed file into one message (6 KB on a full disk)."""
    first: list[OSError] = []

    def copy(s: str, d: str) -> Any:
        try:
            return shutil.copy2(s, d)
        except OSError as exc:
            first.append(exc)
            raise

    try:
        shutil.copytree(src, dest, copy_function=copy, dirs_exist_ok=True)
    except shutil.Error as exc:
        if first:
            raise first[0] from None
        _src, dst_, why = exc.args[0][0]
        raise OSError(None, str(why).splitlines()[0], dst_) from None


def reason(exc: OSError) -> str:
    """An OSError as a short phrase, e.g. 'No space left on device'."""
    return exc.strerror or (str(exc).splitlines() or [type(exc).__name__])[0]


def fix_for(exc: OSError) -> str:
    """What the user can do about a failed write."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "free some disk space and run the command again"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ("make the folder writable (its permissions, `lsattr`, a read-only disk) "
                "and run the command again")
    return "check the folder's permissions and free space, then run the command again"
