"""Finding and reading scenario files: names in ``scenarios/``, paths, and the TOML reader.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from model import io, paths
from model.errors import ScenarioError
from model.scenarios.keys import did_you_mean, scenario_error


def printable(text: str) -> str:
    """``text`` with control characters escaped (``\\x00``), so a message stays one line."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def file_label(path: str | os.PathLike) -> str:
    """A file as messages name it: relative to the working directory when inside it, with
    control characters escaped; a path that cannot be resolved (a symlink loop, a deleted
    working directory) is shown as given."""
    path = Path(path)
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError, ValueError):
        return printable(str(path))
    try:
        return printable(str(resolved.relative_to(Path.cwd().resolve())))
    except (ValueError, OSError):
        return printable(str(resolved))


def _is_file(path: Path, source: str | None, key: str | None) -> bool:
    """Whether ``path`` is a regular file (a FIFO, device or directory is not); a path the
    system refuses (too long, a NUL byte) is a one-line error."""
    try:
        return path.is_file()
    except ValueError:  # an embedded NUL byte
        raise scenario_error(source or file_label(path), key, "the path contains a NUL byte; "
                             "allowed: a path without control characters") from None
    except OSError as exc:
        raise scenario_error(source or file_label(path), key, f"cannot use the path "
                             f"({exc.strerror}); allowed: an existing, readable .toml file") from None


def _not_a_file(path: Path) -> str | None:
    """What ``path`` is when it exists but is not a regular file ("a directory", "a FIFO", ...)."""
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):
        return None
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return None


def available_scenarios() -> list[str]:
    """Names of the scenarios in ``scenarios/``."""
    return sorted(p.stem for p in paths.SCENARIO_DIR.glob("*.toml"))


def _looks_like_path(ref: str) -> bool:
    return "/" in ref or os.sep in ref or ref.endswith(".toml")


def find_scenario(ref: str | os.PathLike, relative_to: Path | None = None,
                  source: str | None = None, key: str | None = None) -> Path:
    """The file a scenario reference points to.

    Parameters
    ----------
    ref : str or path
        A name (``"deepseek"``: ``scenarios/deepseek.toml``) or a path to a ``.toml`` file.
    relative_to : Path, optional
        Folder of the file that refers to it (for ``extends``): searched first for a name, and
        the base of a relative path.
    source, key : str, optional
        The referring file and key, named in the error (default: the reference itself).
    """
    ref = str(ref)
    names = available_scenarios()
    allowed = "a path to a .toml file or one of " + (", ".join(names) or "(no scenarios)")
    if _looks_like_path(ref):
        path = Path(ref).expanduser()
        if relative_to is not None and not path.is_absolute():
            path = relative_to / path
        if _is_file(path, source, key):
            return path
        where = source or file_label(path)
        kind = _not_a_file(path)
        problem = (f"{file_label(path)} is {kind}, not a regular file" if kind
                   else f"no such scenario file {file_label(path)}")
        raise scenario_error(where, key, f"{problem}; allowed: {allowed}")
    candidates = [paths.SCENARIO_DIR / f"{ref}.toml"]
    if relative_to is not None and relative_to.resolve() != paths.SCENARIO_DIR.resolve():
        candidates.insert(0, relative_to / f"{ref}.toml")
    for path in candidates:
        if _is_file(path, source or printable(ref), key):
            return path
    looked = ", ".join(file_label(p) for p in candidates)
    problem = f"no scenario named {ref!r} (looked for {looked}){did_you_mean(ref, names)}"
    raise scenario_error(source or printable(ref), key, f"{problem}; allowed: {allowed}")


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a scenario file; a problem is a one-line :class:`ScenarioError` naming the file."""
    return io.read_toml(path, file_label(path), ScenarioError)


def _comment_of(line: str) -> tuple[str, str] | None:
    """``(text before the comment, comment)`` of one TOML line: the first ``#`` outside a
    string; None when the line has no comment."""
    quote = None
    for i, char in enumerate(line):
        if quote:
            if char == quote and line[i - 1] != "\\":
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "#":
            return line[:i], line[i + 1:].strip()
    return None


def key_comments(path: str | os.PathLike) -> dict[str, str]:
    """The inline comment of each key a scenario file sets, by dotted key as ``origins`` name
    it (``demand.substitution``, ``efficiency.shocks[0].factor``): the file's own statement of
    where a value comes from. Keys without a comment are absent; an unreadable file gives {}."""
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}
    comments: dict[str, str] = {}
    table, counts = "", {}
    for raw in lines:
        line = raw.strip()
        if line.startswith("[["):
            name = line.strip("[] ").split("#")[0].strip()
            counts[name] = counts.get(name, -1) + 1
            table = f"{name}[{counts[name]}]"
        elif line.startswith("["):
            table = line.strip("[] ").split("#")[0].strip()
        elif "=" in line and not line.startswith("#"):
            split = _comment_of(line)
            if split and split[1]:
                key = split[0].split("=", 1)[0].strip()
                comments[f"{table}.{key}" if table else key] = split[1]
    return comments
