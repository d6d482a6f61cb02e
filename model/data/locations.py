"""Where a dataset can be read from: the cache, the mirror, or the network; and the hash check
every file passes before it is read.

The cache (``model.paths.cache_dir()``, git-ignored) and the mirror (``JEVONS_DATA_MIRROR``)
share one layout: ``market/TICKER.csv`` and ``other/<file>.csv``, as in the manifest. A mirror
file must match the manifest's sha256; a cached file the sha256 recorded beside it
(``market/NVDA.csv.sha256``, written by ``jevons data fetch``). A file that does not is an error
naming it and the fix, unless ``JEVONS_ALLOW_UNVERIFIED_DATA=1``, which uses it with a warning.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from model.errors import DataError
from model.io import sha256_file, write_text
from model.paths import MIRROR_ENV, cache_dir, mirror_dir

OFFLINE_ENV = "JEVONS_OFFLINE"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}
_TICKER = re.compile(r"^\^?[A-Z0-9][A-Z0-9.\-=]{0,14}$")


def is_offline(offline: bool | None = None) -> bool:
    """Whether the network is off limits: the argument when given, else ``JEVONS_OFFLINE``."""
    if offline is not None:
        return bool(offline)
    value = os.environ.get(OFFLINE_ENV, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise DataError(f"{OFFLINE_ENV}={value!r}: allowed values are 1/0, true/false, yes/no, on/off")


def ticker_stem(ticker: str) -> str:
    """The file stem of a ticker: upper case, without the ``^`` Yahoo puts before indices."""
    text = str(ticker).strip().upper()
    if not _TICKER.match(text):
        raise DataError(
            f"ticker {ticker!r}: allowed are 1-15 letters, digits, '.', '-' or '=', "
            "optionally after '^' (e.g. NVDA, BRK-B, ^GSPC)"
        )
    return text.lstrip("^")


@dataclass(frozen=True)
class Candidate:
    """One place a file may be read from."""

    origin: str  # "cache" or "mirror"
    path: Path


def candidates(relative: str) -> list[Candidate]:
    """The cache and mirror paths for ``relative`` (``market/NVDA.csv``), in reading order."""
    found = [Candidate("cache", cache_dir() / relative)]
    mirror = mirror_dir()
    if mirror is not None:
        found.append(Candidate("mirror", mirror / relative))
    return found


def first_existing(relative: str) -> Candidate | None:
    """The first of the cache and the mirror that holds ``relative``, or None."""
    for candidate in candidates(relative):
        if candidate.path.is_file():
            return candidate
    return None


def describe_mirror(relative: str) -> str:
    """A short phrase saying what the mirror offers for ``relative`` (for error messages)."""
    mirror = mirror_dir()
    if mirror is None:
        return f"{MIRROR_ENV} is not set"
    if not mirror.is_dir():
        return f"{MIRROR_ENV}={mirror} is not a directory"
    return f"the mirror has no {mirror / relative}"


def sha256_of(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes, in hex."""
    return sha256_file(path)


UNVERIFIED_ENV = "JEVONS_ALLOW_UNVERIFIED_DATA"
SIDECAR_SUFFIX = ".sha256"
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def allow_unverified() -> bool:
    """Whether ``JEVONS_ALLOW_UNVERIFIED_DATA=1``: files that fail their hash check are used,
    each named in a warning."""
    return os.environ.get(UNVERIFIED_ENV) == "1"


def _refuse_or_warn(path: Path, problem: str, fix: str) -> None:
    """Raise the hash problem of ``path`` as one line, or, with the opt-out, warn and go on."""
    if allow_unverified():
        sys.stderr.write(f"warning: using {path} unverified ({UNVERIFIED_ENV}=1): {problem}\n")
        return
    raise DataError(f"{path}: {problem}; {fix}, or set {UNVERIFIED_ENV}=1 to use it anyway")


def mirror_hash_problem(path: Path, expected: str | None) -> str | None:
    """Why the mirror file ``path`` does not match the manifest's sha256 (None when it does, or
    when the manifest records no hash for it)."""
    if not expected:
        return None
    digest = sha256_of(path)
    if digest == expected:
        return None
    return (f"sha256 {digest[:12]}... differs from the manifest's {expected[:12]}...: the mirror "
            "copy is damaged or was replaced")


def check_mirror_hash(path: Path, expected: str | None) -> None:
    """Refuse a mirror file whose bytes differ from the manifest's sha256, before it is used.

    With ``JEVONS_ALLOW_UNVERIFIED_DATA=1`` (for users who replace data on purpose) the file is
    used and a warning naming it goes to stderr.
    """
    problem = mirror_hash_problem(path, expected)
    if problem:
        _refuse_or_warn(path, problem, "restore it (`jevons data verify` checks every file)")


def sidecar_path(path: str | os.PathLike) -> Path:
    """The file beside a cached file that records its sha256: ``NVDA.csv.sha256``."""
    path = Path(path)
    return path.with_name(path.name + SIDECAR_SUFFIX)


def write_sidecar(path: str | os.PathLike) -> Path:
    """Record the sha256 of the cached file ``path`` beside it, in ``sha256sum`` format (so
    ``sha256sum -c NVDA.csv.sha256`` checks it too); written atomically."""
    path = Path(path)
    return write_text(sidecar_path(path), f"{sha256_of(path)}  {path.name}\n")


def read_sidecar(path: str | os.PathLike) -> tuple[str | None, str]:
    """The sha256 recorded for the cached file ``path`` and, when there is none, why not."""
    side = sidecar_path(path)
    try:
        info = side.stat()
    except FileNotFoundError:
        return None, f"no record of its sha256 ({side.name} is missing)"
    except OSError as exc:
        return None, f"its sha256 record {side.name} cannot be read ({exc.strerror})"
    if not stat.S_ISREG(info.st_mode) or info.st_size > 4096:
        return None, f"its sha256 record {side.name} is not a small regular file"
    try:
        fields = side.read_text(encoding="ascii").split()
    except (OSError, UnicodeDecodeError):
        return None, f"its sha256 record {side.name} cannot be read as text"
    digest = fields[0].lower() if fields else ""
    named = fields[1].lstrip("*") if len(fields) > 1 else Path(path).name
    if not _HEX64.match(digest) or len(fields) > 2 or named != Path(path).name:
        return None, (f"its sha256 record {side.name} is malformed (allowed: one line "
                      f"'<64 hex digits>  {Path(path).name}')")
    return digest, ""


def cache_hash_problem(path: Path) -> str | None:
    """Why the cached file ``path`` does not match the sha256 recorded beside it when it was
    fetched (None when it does)."""
    expected, why = read_sidecar(path)
    if expected is None:
        return why
    digest = sha256_of(path)
    if digest == expected:
        return None
    return (f"sha256 {digest[:12]}... differs from the {expected[:12]}... recorded in "
            f"{sidecar_path(path).name}: the cached file changed after its hash was recorded")


def check_cache_hash(path: Path, fix: str) -> None:
    """Refuse a cached file that does not match its sidecar (or has none), before it is used;
    ``fix`` says how to get a verified copy. The opt-out works as for the mirror."""
    problem = cache_hash_problem(path)
    if problem:
        _refuse_or_warn(path, problem, fix)


def check_hash(candidate: Candidate, expected: str | None, fix: str) -> None:
    """The hash check of a file about to be read: the manifest's sha256 for a mirror file, the
    sidecar for a cached one."""
    if candidate.origin == "mirror":
        check_mirror_hash(candidate.path, expected)
    else:
        check_cache_hash(candidate.path, fix)
