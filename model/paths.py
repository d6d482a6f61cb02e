"""Where the project's files live. Nothing here points outside the repository:
external data are found through ``JEVONS_DATA_MIRROR`` or the network (see ``model.data``)."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
SCENARIO_DIR = PROJECT_DIR / "scenarios"
DATA_DIR = PROJECT_DIR / "data"
FACTS_DIR = DATA_DIR / "facts"
BOOK_DIR = PROJECT_DIR / "book"

MIRROR_ENV = "JEVONS_DATA_MIRROR"
CACHE_ENV = "JEVONS_CACHE_DIR"
FACTS_ENV = "JEVONS_FACTS_DIR"


def cache_dir() -> Path:
    """The git-ignored download cache (``JEVONS_CACHE_DIR`` or ``<project>/cache``)."""
    return Path(os.environ.get(CACHE_ENV) or PROJECT_DIR / "cache")


def mirror_dir() -> Path | None:
    """The offline mirror named by ``JEVONS_DATA_MIRROR``, or None when unset."""
    value = os.environ.get(MIRROR_ENV)
    return Path(value) if value else None


def facts_dir() -> Path:
    """The curated facts tables: ``JEVONS_FACTS_DIR`` (e.g. a modified copy in a test) or
    ``data/facts``."""
    return Path(os.environ.get(FACTS_ENV) or FACTS_DIR)
