"""Where a dataset can be read from: the cache, the mirror, or the network.

The cache (``model.paths.cache_dir()``, git-ignored) and the mirror (``JEVONS_DATA_MIRROR``)
share one layout: ``market/TICKER.csv`` and ``other/<file>.csv``, as in the manifest.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from model.errors import DataError
from model.io import sha256_file
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


def check_mirror_hash(path: Path, expected: str | None) -> None:
    """Refuse a mirror file whose bytes differ from the manifest's sha256, before it is used.

    With ``JEVONS_ALLOW_UNVERIFIED_DATA=1`` (for users who replace data on purpose) the file is
    used and a warning naming it goes to stderr.
    """
    if not expected:
        return
    digest = sha256_of(path)
    if digest == expected:
        return
    if os.environ.get(UNVERIFIED_ENV) == "1":
        sys.stderr.write(f"warning: using {path}, whose sha256 {digest[:12]}... differs from "
                         f"the manifest ({UNVERIFIED_ENV}=1)\n")
        return
    raise DataError(f"{path}: sha256 {digest[:12]}... differs from the manifest's "
                    f"{expected[:12]}...: the mirror copy is damaged or was replaced; restore it "
                    f"(`jevons data verify` checks every file), or set {UNVERIFIED_ENV}=1 to use "
                    "it anyway")
