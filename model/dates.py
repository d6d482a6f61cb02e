"""The project's one date parser: as-of dates, event dates and date ranges all go through
:func:`parse_date`, so every command and function accepts and rejects the same things.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from model.errors import JevonsError

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: object, what: str = "date", error: type[JevonsError] = JevonsError
               ) -> pd.Timestamp:
    """A calendar date as a timezone-naive midnight :class:`pandas.Timestamp`.

    Parameters
    ----------
    value
        ``"YYYY-MM-DD"`` (surrounding blanks ignored), a :class:`datetime.date`, a
        :class:`datetime.datetime` or :class:`pandas.Timestamp` at midnight, or a
        :class:`numpy.datetime64`. A timezone is dropped (the wall-clock date is kept).
    what
        The name the error message gives the value (an argument, a key or a column).
    error
        The :class:`~model.errors.JevonsError` subclass to raise.

    Raises
    ------
    JevonsError
        One line naming ``what`` and the allowed form, for anything else (None, an empty string,
        ``"2025-2-10"``, ``"10/02/2025"``, a time of day other than midnight, NaT).
    """
    problem = f"{what}: {value!r} is not a date; allowed: YYYY-MM-DD"
    if isinstance(value, str):
        text = value.strip()
        if not _ISO_DATE.match(text):
            raise error(problem)
        try:
            return pd.Timestamp(dt.date.fromisoformat(text))
        except ValueError:
            raise error(problem) from None
    if not isinstance(value, dt.date | np.datetime64):  # pd.Timestamp is a datetime is a date
        raise error(problem)
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError, OverflowError):
        raise error(problem) from None
    if pd.isna(stamp):
        raise error(problem)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_localize(None)
    if stamp != stamp.normalize():
        raise error(f"{what}: {value!r} has a time of day; allowed: a calendar date YYYY-MM-DD")
    return stamp


def day_text(stamp: pd.Timestamp) -> str:
    """``YYYY-MM-DD``, the form every output prints a date in."""
    return f"{stamp:%Y-%m-%d}"
