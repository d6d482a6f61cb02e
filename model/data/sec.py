"""The capex table (``ticker,year,quarter,payments_usd``) from SEC EDGAR XBRL company facts.

The rules reproduce the semantics of the mirror snapshot (its PROVENANCE.md):

* a company's facts of one US-GAAP concept, in USD, from 10-K and 10-Q filings (amendments
  included); when several filings report the same period, the latest filed wins (as SEC's own
  "frames" do);
* ``quarter`` 1-4: a calendar quarter, from a fact covering that quarter alone (about three
  months ending on the quarter's last day), or, for a company whose fiscal year is the calendar
  year, from year-to-date differences (Q2 = six months - Q1, Q3 = nine months - six months);
* ``quarter`` 0: the calendar year, from a fact covering 1 January to 31 December;
* no Q4 is derived (Q4 = the year - Q1 - Q2 - Q3 is left to the user, as in the snapshot), and a
  fiscal year that is not the calendar year (Microsoft's ends in June) gives no year rows.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping

import pandas as pd

from model.data.sources import SecCompany
from model.errors import DataError

FORMS = ("10-K", "10-Q")
COLUMNS = ("ticker", "year", "quarter", "payments_usd")


def _date(text) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text))
    except ValueError:
        return None


def _quarter_end(day: dt.date) -> int | None:
    """The calendar quarter that ``day`` ends (1-4), or None."""
    if day.month % 3 or day.day != calendar.monthrange(day.year, day.month)[1]:
        return None
    return day.month // 3


def _quarter_start(year: int, quarter: int) -> dt.date:
    return dt.date(year, 3 * quarter - 2, 1)


def _periods(facts: Iterable[Mapping]) -> dict[tuple[dt.date, dt.date], float]:
    """The value of each reported (start, end) period, from the latest filing that reports it."""
    latest: dict[tuple[dt.date, dt.date], tuple[str, float]] = {}
    for fact in facts:
        if not str(fact.get("form", "")).startswith(FORMS):
            continue
        start, end = _date(fact.get("start")), _date(fact.get("end"))
        value = fact.get("val")
        if start is None or end is None or not isinstance(value, int | float):
            continue
        filed = str(fact.get("filed", ""))
        key = (start, end)
        if key not in latest or filed >= latest[key][0]:
            latest[key] = (filed, float(value))
    return {key: value for key, (_, value) in latest.items()}


def company_rows(document: Mapping, company: SecCompany, source: str) -> list[tuple]:
    """The capex rows of one company from its company-facts JSON ``document``.

    Raises
    ------
    DataError
        When ``document`` is not the company facts of ``company`` or lacks its concept in USD,
        naming ``source`` (the URL).
    """
    try:
        facts = document["facts"]["us-gaap"][company.concept]["units"]["USD"]
    except (KeyError, TypeError):
        raise DataError(
            f"{source}: not SEC company facts with us-gaap {company.concept} in USD "
            f"({company.ticker}, CIK {company.cik})"
        ) from None
    cik = document.get("cik") if isinstance(document, Mapping) else None
    if cik is not None and str(int(cik)) != str(int(company.cik)):
        raise DataError(f"{source}: company facts of CIK {cik}, expected {company.cik} "
                        f"({company.ticker})")
    if not isinstance(facts, list):
        raise DataError(f"{source}: {company.concept}.units.USD is not a list of facts")
    periods = _periods(facts)
    rows: dict[tuple[int, int], float] = {}
    for (start, end), value in periods.items():
        quarter = _quarter_end(end)
        if quarter is None:
            continue
        if start == _quarter_start(end.year, quarter):
            rows[(end.year, quarter)] = value
        elif start == dt.date(end.year, 1, 1) and (end.month, end.day) == (12, 31):
            rows[(end.year, 0)] = value
    for (start, end), value in periods.items():  # Q2 and Q3 of calendar fiscal years
        quarter = _quarter_end(end)
        if quarter not in (2, 3) or start != dt.date(end.year, 1, 1):
            continue
        previous_end = _quarter_start(end.year, quarter) - dt.timedelta(days=1)
        before = periods.get((start, previous_end))
        if before is not None and (end.year, quarter) not in rows:
            rows[(end.year, quarter)] = value - before
    return [(company.ticker, year, quarter, value) for (year, quarter), value in sorted(rows.items())]


def capex_table(documents: Mapping[str, tuple[Mapping, str]],
                companies: Iterable[SecCompany]) -> pd.DataFrame:
    """The capex table of ``companies`` from their documents (``ticker -> (json, url)``)."""
    rows = []
    for company in companies:
        document, url = documents[company.ticker]
        found = company_rows(document, company, url)
        if not found:
            raise DataError(f"{url}: no calendar-quarter or calendar-year {company.concept} "
                            f"facts for {company.ticker}")
        rows += found
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["payments_usd"] = frame["payments_usd"].astype(float)
    return frame
