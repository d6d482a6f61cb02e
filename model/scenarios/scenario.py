"""The resolved scenario: values with every key present, and where each value came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from model.scenarios.distributions import Distribution, find_distributions
from model.scenarios.files import file_label


@dataclass(frozen=True)
class Scenario:
    """A resolved, validated scenario.

    Attributes
    ----------
    name, description : str
        From the file (``name`` defaults to the file name without ``.toml``).
    path : Path
        The scenario file.
    chain : tuple of Path
        The file and its ancestors through ``extends``, the file first.
    values : dict
        Nested dict shaped like the TOML file with every section and key present (defaults
        filled); leaves are numbers, strings, booleans, ``None`` (optional segment keys) or
        :class:`~model.scenarios.distributions.Distribution`.
    origins : dict
        Display key (``"efficiency.shocks[0].factor"``) -> where its value came from: a file
        label, ``"--set KEY"`` or ``"default"``.
    """

    name: str
    description: str
    path: Path
    chain: tuple[Path, ...]
    values: dict[str, Any]
    origins: dict[str, str]

    @property
    def distributions(self) -> dict[str, Distribution]:
        """Display key -> distribution for every random key."""
        return find_distributions(self.values)

    @property
    def label(self) -> str:
        """The file as errors name it."""
        return file_label(self.path)
