"""Argument types shared by the subcommands: bounded integers with one-line errors."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def integer_in(low: int, high: int, allowed: str) -> Callable[[str], int]:
    """An argparse type: an integer in [low, high]; otherwise an error saying ``allowed``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not an integer; allowed: {allowed}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} out of range; allowed: {allowed}")
        return value

    return parse


seed = integer_in(0, 2**63 - 1, "0..2^63-1")
