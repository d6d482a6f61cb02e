"""Event and estimation windows, counted in trading days of the data.

Event time is counted in trading days: day 0 is the event date, day ``-1`` the trading day
before it. The trading days are the dates of the aligned return series (the days on which the
firm *and* its benchmark traded); nothing here consults a holiday calendar.

Convention (stated because event-study code is notorious for off-by-one differences):

* the event window ``[A, B]`` holds days ``A, A + 1, ..., B`` (both ends included);
* ``gap = G`` trading days are left out between the two windows: the estimation window holds
  the ``L`` days ``A - G - L, ..., A - G - 1``. With the defaults (L = 250, G = 10, A = 0) it is
  days ``-260 .. -11``, as in MacKinlay (1997) and in the usual ``(-260, -11)`` set-up.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.dates import parse_date
from model.errors import DataError, JevonsError

# The SQ test's smallest attainable p is 1/M with M estimation-window sums; M >= 20 is the least
# that can reach the 5% level at all, so a shorter estimation window is refused.
MIN_WINDOW_SUMS = 20


@dataclass(frozen=True)
class EventWindows:
    """Positions of the estimation and event windows in a series of trading days.

    Attributes
    ----------
    dates : pandas.DatetimeIndex
        The trading days of the return series the positions refer to.
    event_date : pandas.Timestamp
        Day 0.
    window : tuple of int
        The event window ``(A, B)`` in trading days relative to day 0.
    estimation_length, gap : int
        ``L`` and ``G`` (see the module docstring).
    event_position : int
        Position of day 0 in ``dates``.
    """

    dates: pd.DatetimeIndex
    event_date: pd.Timestamp
    window: tuple[int, int]
    estimation_length: int
    gap: int
    event_position: int

    @property
    def event_slice(self) -> slice:
        first, last = self.window
        return slice(self.event_position + first, self.event_position + last + 1)

    @property
    def estimation_slice(self) -> slice:
        start = self.event_position + self.window[0] - self.gap - self.estimation_length
        return slice(start, start + self.estimation_length)

    @property
    def used_slice(self) -> slice:
        """From the first estimation day to the last event day: all the data a study may use."""
        return slice(self.estimation_slice.start, self.event_slice.stop)

    @property
    def event_days(self) -> np.ndarray:
        """Event time of each event-window day: ``A, ..., B``."""
        return np.arange(self.window[0], self.window[1] + 1)

    @property
    def event_dates(self) -> pd.DatetimeIndex:
        return self.dates[self.event_slice]

    @property
    def estimation_dates(self) -> pd.DatetimeIndex:
        return self.dates[self.estimation_slice]

    @property
    def last_date(self) -> pd.Timestamp:
        """The last date the study may use (the end of the event window)."""
        return self.dates[self.event_slice.stop - 1]


def _day(ts: pd.Timestamp) -> str:
    return ts.strftime("%Y-%m-%d")


def locate_windows(
    dates: pd.DatetimeIndex,
    event_date,
    window: tuple[int, int] = (0, 0),
    estimation_length: int = 250,
    gap: int = 10,
    *,
    source: str = "the data",
) -> EventWindows:
    """Place the event and estimation windows on the trading days ``dates``.

    Parameters
    ----------
    dates : pandas.DatetimeIndex
        Trading days of the aligned return series, ascending and unique.
    event_date : date-like
        Day 0; it must be one of ``dates``.
    window : (int, int)
        Event window ``(A, B)`` with ``A <= B``.
    estimation_length : int
        ``L``, the number of returns in the estimation window.
    gap : int
        ``G >= 0``, trading days left out between the estimation and event windows.
    source : str
        What the dates come from (e.g. ``"NVDA and SPY"``), for error messages.

    Raises
    ------
    JevonsError
        For impossible arguments (``A > B``, ``G < 0``, ``L`` too small for the window).
    DataError
        When ``event_date`` is not a trading day in ``dates``, or either window leaves the data.
    """
    first, last = (int(window[0]), int(window[1]))
    if first > last:
        raise JevonsError(
            f"event window [{first}, {last}]: the first day must not come after the last"
        )
    if gap < 0:
        raise JevonsError(f"gap {gap}: must be a whole number of trading days >= 0")
    if len(dates) == 0:
        raise DataError(f"no returns in {source}")
    day0 = parse_date(event_date, "event date")
    position = int(dates.searchsorted(day0))
    if position >= len(dates) or dates[position] != day0:
        before = dates[position - 1] if position > 0 else None
        after = dates[position] if position < len(dates) else None
        near = " and ".join(_day(d) for d in (before, after) if d is not None)
        raise DataError(
            f"{_day(day0)} is not a trading day with a return in {source} "
            f"(returns run {_day(dates[0])} to {_day(dates[-1])}; nearest: {near})"
        )
    if position + last >= len(dates):
        raise DataError(
            f"event window [{first}, {last}] around {_day(day0)} leaves {source}: it needs "
            f"{last} trading days after the event, the data end {len(dates) - 1 - position} "
            f"trading days later ({_day(dates[-1])})"
        )
    if position + first < 0:
        raise DataError(
            f"event window [{first}, {last}] around {_day(day0)} leaves {source}: it needs "
            f"{-first} trading days before the event, the data start {position} trading days "
            f"earlier ({_day(dates[0])})"
        )
    length = last - first + 1
    if estimation_length < length + MIN_WINDOW_SUMS - 1:
        raise JevonsError(
            f"estimation window of {estimation_length} trading days is too short for an event "
            f"window of {length} days: it must be at least {length + MIN_WINDOW_SUMS - 1} so "
            f"that the SQ test has {MIN_WINDOW_SUMS} or more window sums"
        )
    start = position + first - gap - estimation_length
    if start < 0:
        available = max(position + first - gap, 0)
        end_note = (
            f"ending {_day(dates[position + first - gap - 1])}"
            if position + first - gap - 1 >= 0
            else "before the data start"
        )
        raise DataError(
            f"too short a history in {source}: the estimation window needs {estimation_length} "
            f"returns {end_note} (gap {gap} before day {first}), but only {available} are "
            f"available (returns start {_day(dates[0])})"
        )
    return EventWindows(
        dates=dates,
        event_date=day0,
        window=(first, last),
        estimation_length=int(estimation_length),
        gap=int(gap),
        event_position=position,
    )


def event_day_of(dates: pd.DatetimeIndex, event_date, date) -> int:
    """Event time (trading days after day 0) of the last trading day in ``dates`` on or before
    ``date``; e.g. the event day of the as-of date.

    Raises
    ------
    DataError
        When ``event_date`` is not one of ``dates`` or ``date`` comes before the first of them.
    """
    day0 = parse_date(event_date, "event date")
    stamp = parse_date(date, "date")
    if day0 not in dates:
        raise DataError(f"{_day(day0)} is not a trading day of the series")
    position = int(dates.searchsorted(stamp, side="right")) - 1
    if position < 0:
        raise DataError(f"{_day(stamp)} comes before the first trading day {_day(dates[0])}")
    return position - int(dates.get_loc(day0))
