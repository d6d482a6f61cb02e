"""Finding and reading scenario files: names in ``scenarios/``, paths, and the TOML reader.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from model import io, paths
from model.errors import ScenarioError
from model.scenarios.keys import did_you_mean, scenario_error


def file_label(path: str | os.PathLike) -> str:
    """A file as messages name it: relative to the working directory when inside it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path.resolve())


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
        if path.is_file():
            return path
        where = source or file_label(path)
        raise scenario_error(where, key, f"no such scenario file {file_label(path)}; allowed: {allowed}")
    candidates = [paths.SCENARIO_DIR / f"{ref}.toml"]
    if relative_to is not None and relative_to.resolve() != paths.SCENARIO_DIR.resolve():
        candidates.insert(0, relative_to / f"{ref}.toml")
    for path in candidates:
        if path.is_file():
            return path
    looked = ", ".join(file_label(p) for p in candidates)
    problem = f"no scenario named {ref!r} (looked for {looked}){did_you_mean(ref, names)}"
    raise scenario_error(source or ref, key, f"{problem}; allowed: {allowed}")


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a scenario file; a problem is a one-line :class:`ScenarioError` naming the file."""
    return io.read_toml(path, file_label(path), ScenarioError)
