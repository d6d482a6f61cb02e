"""File input and output shared by every layer.

* Atomic output (:func:`atomic_write` and its text, JSON and CSV forms): a reader never sees a
  half-written file.
* The one TOML reader (:func:`read_toml`) of scenario files, the data manifest and the basket
  file: every problem is a one-line error naming the file.
"""

from __future__ import annotations

import json
import os
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
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise fail(f"not UTF-8 text (byte {exc.start}); allowed: a UTF-8 TOML file") from None
    except tomllib.TOMLDecodeError as exc:
        raise fail(f"malformed TOML: {exc}; allowed: TOML syntax (https://toml.io)") from None
    except RecursionError:
        raise fail("nested too deeply to parse; allowed: TOML of ordinary depth") from None
