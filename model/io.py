"""File input and output shared by every layer.

* Atomic output (:func:`atomic_write` and its text, JSON and CSV forms): a reader never sees a
  half-written file.
* The one TOML reader (:func:`read_toml`) of scenario files, the data manifest and the basket
  file: every problem is a one-line error naming the file.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import shutil
import tempfile
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from model.errors import JevonsError, ScenarioError

_UMASK = os.umask(0)
os.umask(_UMASK)


def atomic_write(path: str | os.PathLike, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)`` then move the temporary file onto ``path`` in one step.

    The temporary file lives in the target directory so the final ``os.replace`` is atomic;
    on any failure it is removed and ``path`` is left untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    os.chmod(tmp_path, 0o666 & ~_UMASK)  # mkstemp creates 0600; outputs follow the umask
    try:
        write(tmp_path)
        os.replace(tmp_path, path)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    return path


def write_text(path: str | os.PathLike, text: str) -> Path:
    return atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))


def write_json(path: str | os.PathLike, obj) -> Path:
    return write_text(path, json.dumps(obj, indent=2, sort_keys=False) + "\n")


def write_csv(path: str | os.PathLike, frame: pd.DataFrame, **kwargs) -> Path:
    kwargs.setdefault("index", False)
    kwargs.setdefault("lineterminator", "\n")
    return atomic_write(path, lambda p: frame.to_csv(p, **kwargs))


def read_toml(path: str | os.PathLike, label: str | None = None,
              error: type[JevonsError] = JevonsError, missing: str | None = None) -> dict[str, Any]:
    """Parse a TOML file; a problem is one line naming the file (``label``, default the path).

    ``error`` is the :class:`~model.errors.JevonsError` subclass raised (a
    :class:`~model.errors.ScenarioError` is given the label as its source); ``missing`` replaces
    the message for a file that does not exist.
    """
    path = Path(path)
    label = str(path) if label is None else label

    def fail(problem: str) -> JevonsError:
        if issubclass(error, ScenarioError):
            return error(label, None, problem)
        return error(f"{label}: {problem}")

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise fail(missing or "no such file; allowed: an existing TOML file") from None
    except OSError as exc:
        raise fail(f"cannot read the file ({exc.strerror}); allowed: a readable TOML file") from None
    try:
        text = data.decode("utf-8")
        # A byte-order mark (some editors write one) is not TOML; it carries no content.
        return tomllib.loads(text[1:] if text.startswith("\ufeff") else text)
    except UnicodeDecodeError as exc:
        raise fail(f"not UTF-8 text (byte {exc.start}); allowed: a UTF-8 TOML file") from None
    except tomllib.TOMLDecodeError as exc:
        raise fail(f"malformed TOML: {exc}; allowed: TOML syntax (https://toml.io)") from None
    except RecursionError:
        raise fail("nested too deeply to parse; allowed: TOML of ordinary depth") from None


# --- output sets -------------------------------------------------------------------------------
SET_MANIFEST = "manifest.json"  # names the set's files with their sha256
_STAGING = ".jevons-staging"  # staging folders: .<name>.jevons-staging-<pid>-<random>
_RENAME_EXCHANGE = 2  # linux/fs.h


def sha256_file(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where the
    system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    at_fdcwd = -100
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: the file system cannot exchange
        return False
    raise OSError(err, os.strerror(err), str(b))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale_staging(folder: Path) -> list[Path]:
    """Remove staging folders beside ``folder`` left by runs that were killed; return them."""
    removed = []
    for path in folder.parent.glob(f".{folder.name}{_STAGING}-*"):
        try:
            pid = int(path.name[len(f".{folder.name}{_STAGING}-"):].split("-")[0])
        except ValueError:
            continue
        if pid != os.getpid() and not _pid_alive(pid):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def check_output_folder(folder: Path, known: frozenset[str], what: str) -> None:
    """Refuse to replace a folder that holds anything but an earlier output set of the same
    kind (files in ``known`` and the manifest): ``--out ~`` must not replace a home folder."""
    if not folder.exists():
        return
    if not folder.is_dir():
        raise JevonsError(f"{what} {folder}: exists and is not a folder; allowed: a folder "
                          "(created when missing)")
    others = sorted(p.name for p in folder.iterdir() if p.name not in known | {SET_MANIFEST})
    if others:
        shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
        raise JevonsError(f"{what} {folder}: holds files that are not this command's outputs "
                          f"({shown}); allowed: a new or empty folder, or one this command wrote")


class OutputSet:
    """Files written into a staging folder beside ``folder`` and swapped in as a whole.

    Use as a context manager: write each file to ``staging / name``; on a normal exit the
    manifest (``manifest.json``: the files with their sha256, and ``meta``) is written and the
    staging folder replaces ``folder`` in one atomic exchange, so ``folder`` always holds a
    complete set, the previous one or the new one. On an error or a signal the staging folder is
    removed and ``folder`` is untouched; staging folders of killed runs are removed by the next
    run into the same folder.
    """

    def __init__(self, folder: str | os.PathLike, meta: dict[str, Any] | None = None):
        self.folder = Path(os.path.abspath(folder))
        self.meta = dict(meta or {})
        self.staging: Path | None = None

    def __enter__(self) -> Path:
        parent = self.folder.parent
        parent.mkdir(parents=True, exist_ok=True)
        clean_stale_staging(self.folder)
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.folder.name}{_STAGING}-{os.getpid()}-",
                                             dir=parent))
        os.chmod(self.staging, 0o777 & ~_UMASK)
        return self.staging

    def _manifest(self) -> None:
        files = {p.name: sha256_file(p) for p in sorted(self.staging.iterdir())
                 if p.name != SET_MANIFEST}
        doc = {"meta": self.meta, "files": files}
        (self.staging / SET_MANIFEST).write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")

    def __exit__(self, kind, value, traceback) -> bool:
        try:
            if kind is None:
                self._manifest()
                self.swap()
        finally:
            if self.staging is not None and self.staging.exists():
                shutil.rmtree(self.staging, ignore_errors=True)
        return False

    def swap(self) -> None:
        """Put the staging folder in place of ``folder`` (the old set goes with the staging
        folder and is removed)."""
        if not self.folder.exists():
            os.rename(self.staging, self.folder)
            return
        if _exchange(self.staging, self.folder):
            return
        # No atomic exchange on this file system: move the old set aside first, then restore it
        # if the second rename fails.
        aside = self.staging.with_name(self.staging.name + "-old")
        os.rename(self.folder, aside)
        try:
            os.rename(self.staging, self.folder)
        except OSError:
            os.rename(aside, self.folder)
            raise
        self.staging = aside
