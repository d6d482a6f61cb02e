"""When did the price recover? Two definitions, both read off the data.

* :func:`close_recovery` -- the first trading day after the event whose *close* is at or above
  the close of the last trading day before the event (for 27 January 2025: the 24 January
  close). Model-free, but over a long window much other news moves the price.
* :func:`car_recovery` -- the first event-window day after day 0 on which the cumulative
  abnormal return from day 0 has regained a share ``fraction`` of the day-0 abnormal return,
  i.e. ``CAR[0, t] >= (1 - fraction) AR_0`` for a drop (mirrored for a jump).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from model.errors import DataError
from model.event_study.result import EventStudyResult
from model.event_study.windows import parse_date


def close_recovery(close: pd.Series, event_date) -> pd.Timestamp | None:
    """First date after ``event_date`` with ``close >= close`` on the day before the event.

    Parameters
    ----------
    close : pandas.Series
        Closing prices indexed by trading day (e.g. the ``Close`` column of the price data).
    event_date : date-like
        Day 0; it must be in ``close.index``.

    Returns
    -------
    pandas.Timestamp or None
        None when the close has not recovered by the end of the data.
    """
    day0 = parse_date(event_date, "event date")
    close = close.dropna().sort_index()
    if day0 not in close.index:
        raise DataError(f"{day0:%Y-%m-%d} is not a trading day in the close series")
    position = close.index.get_loc(day0)
    if position == 0:
        raise DataError(f"no close before {day0:%Y-%m-%d} to recover to")
    level = close.iloc[position - 1]
    after = close.iloc[position + 1 :]
    hit = after.index[after.to_numpy() >= level]
    return pd.Timestamp(hit[0]) if len(hit) else None


def car_recovery(result: EventStudyResult, fraction: float = 0.5) -> int | None:
    """First event day ``t >= 1`` on which ``CAR[0, t]`` regains ``fraction`` of ``AR_0``.

    ``result`` must have an event window starting at day 0. Returns the event day, or None
    when the window ends first.
    """
    if result.window[0] != 0:
        raise ValueError("car_recovery needs an event window that starts on day 0")
    if not 0.0 < fraction <= 1.0:
        raise ValueError("fraction must lie in (0, 1]")
    days = result.abnormal_returns
    target = (1.0 - fraction) * days[0].ar
    sign = -1.0 if days[0].ar < 0 else 1.0
    for row in days[1:]:  # at most a few hundred days; stops at the first hit
        if sign * row.car <= sign * target:
            return row.day
    return None


@dataclass(frozen=True)
class EventCloses:
    """The close before the event and on day 0, and the raw return between them."""

    date_before: pd.Timestamp
    close_before: float
    close_day0: float

    @property
    def raw_return(self) -> float:
        """``close_day0 / close_before - 1`` (unadjusted closes, as reported on the day)."""
        return self.close_day0 / self.close_before - 1.0


def event_closes(close: pd.Series, event_date) -> EventCloses:
    """The last close before ``event_date`` and the close on it (``close`` by trading day)."""
    day0 = parse_date(event_date, "event date")
    upto = close.dropna().sort_index().loc[:day0]
    if len(upto) < 2 or upto.index[-1] != day0:
        raise DataError(f"{day0:%Y-%m-%d}: needs a close on the day and one before it")
    return EventCloses(pd.Timestamp(upto.index[-2]), float(upto.iloc[-2]), float(upto.iloc[-1]))


def event_windows_with_recovery(half_day: int | None, close_day: int,
                                date_before) -> dict[str, tuple[int, int]]:
    """The event windows of the book's CAR table: [0, 0], [0, 1], [-1, 5], then the two
    recovery windows, labelled by their definition.

    ``half_day`` is the :func:`car_recovery` day (None: not within the search, no window),
    ``close_day`` the event day of :func:`close_recovery` and ``date_before`` the last trading
    day before the event, whose close is the level recovered.
    """
    windows = {"[0, 0]": (0, 0), "[0, 1]": (0, 1), "[-1, 5]": (-1, 5)}
    if half_day is not None:
        windows[f"[0, {half_day}], CAR regains half of AR_0"] = (0, int(half_day))
    label = f"[0, {close_day}], close regains the {pd.Timestamp(date_before):%d %B} close"
    windows[label] = (0, int(close_day))
    return windows
