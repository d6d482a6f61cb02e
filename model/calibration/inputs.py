"""Inputs of the fit, read as of a date: the event study of 27 January 2025 and the priors that
the facts tables and the hardware fit pin down.

Every function takes ``as_of`` and reads only prices, facts and hardware releases dated on or
before it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from model.calibration.hardware_fit import HardwareFit, fit_from_data
from model.calibration.market import MarketPrior
from model.constants import EVENT_DATE
from model.data.facts import fact_value
from model.dates import parse_date
from model.engine.valuation import Valuation
from model.errors import JevonsError
from model.event_study import EventStudySpec, event_study, load_returns
from model.event_study.single import window_sums
from model.event_study.study import estimation_fit


@dataclass(frozen=True)
class EventEvidence:
    """The abnormal return of one firm and the noise of an ordinary window of the same length."""

    ticker: str
    abnormal_return: float
    residual_sums: np.ndarray  # estimation-window residual sums over windows as long as the event window
    result: object  # model.event_study.EventStudyResult


def check_as_of(as_of) -> pd.Timestamp:
    """Parse ``as_of`` and check the fit can be made with what was known then."""
    stamp = parse_date(as_of, "as_of")
    if stamp < pd.Timestamp(EVENT_DATE):
        raise JevonsError(
            f"--as-of {stamp:%Y-%m-%d}: before the event of {EVENT_DATE}; the fit needs the "
            f"market's reaction, so as_of must be on or after {EVENT_DATE}"
        )
    return stamp


def event_evidence(ticker: str, as_of, window: tuple[int, int] = (0, 0), model: str = "market",
                   benchmark: str = "SPY") -> EventEvidence:
    """Event study of ``ticker`` on 27 January 2025 with prices up to ``as_of``."""
    stamp = check_as_of(as_of)
    spec = EventStudySpec(EVENT_DATE, window=window, model=model, benchmark=benchmark)
    available = load_returns((ticker, *spec.reference_tickers()))
    last = available.index.max()
    if stamp > last:
        raise JevonsError(
            f"--as-of {stamp:%Y-%m-%d}: after the last price in the data ({last:%Y-%m-%d}); "
            "fetch newer prices with 'jevons data fetch' or choose an earlier date"
        )
    returns = available.loc[:stamp]  # nothing dated after as_of from here on
    result = event_study(returns, ticker, spec)
    # The estimation-window residuals, for the noise an ordinary window adds to the estimate.
    fitted = estimation_fit(returns, ticker, spec)
    length = spec.window[1] - spec.window[0] + 1
    return EventEvidence(ticker, result.car, window_sums(fitted.residuals, length), result)


def valuation_as_of(as_of) -> Valuation:
    """Valuation parameters with the data-center value share read from the facts on ``as_of``
    (the data-center share of revenue in the latest reported quarter, FY2025 Q3)."""
    stamp = check_as_of(as_of)
    share = fact_value("nvda_dc_revenue_fy2025_q3", stamp) / fact_value("nvda_revenue_fy2025_q3", stamp)
    return replace(Valuation(), dc_value_share=share)


def market_prior(as_of, hardware: HardwareFit | None = None) -> MarketPrior:
    """The market-implied elasticity's prior, with every sourced number read as of ``as_of``."""
    stamp = check_as_of(as_of)
    hardware = hardware or fit_from_data(stamp)
    training = fact_value("llama31_405b_to_deepseek_v3_gpu_hours_ratio", stamp)
    price = fact_value("o1_to_r1_price_ratio_input", stamp)
    halving = fact_value("algo_progress_halving_months", stamp) / 12.0
    low = fact_value("algo_progress_halving_months_low", stamp) / 12.0
    high = fact_value("algo_progress_halving_months_high", stamp) / 12.0
    lo_hw, hi_hw = hardware.interval
    if not np.isfinite(hi_hw):
        raise JevonsError(f"hardware fit as of {stamp:%Y-%m-%d} does not bound the doubling time")
    return replace(
        MarketPrior(),
        factor_median=float(np.sqrt(training * price)),
        factor_log_sd=float(abs(np.log(price / training)) / 2.0),
        hardware_doubling_years=(float(lo_hw), float(hi_hw)),
        efficiency_doubling_median=halving,
        efficiency_doubling_log_sd=float(np.log(high / low) / (2 * 1.96)),
    )


# The pairs of curated facts (2025 expectation, 2024 actual) that bracket the spend growth the
# market expected before the event (MarketPrior.spend_growth).
SPEND_GROWTH_ANCHORS = {
    "alphabet": ("capex_consensus_2025_alphabet_visible_alpha", "capex_2024_alphabet"),
    "meta": ("capex_consensus_2025_meta_before_guidance", "capex_2024_meta"),
    "big4": ("capex_2025_big4_yahoo", "capex_2024_big4_yahoo"),
}


def spend_growth_anchors(as_of) -> dict[str, float]:
    """Expected 2025 capex growth over 2024 as published by ``as_of``, by name of
    :data:`SPEND_GROWTH_ANCHORS`: ``expected / actual - 1``."""
    stamp = check_as_of(as_of)
    return {name: fact_value(expected, stamp) / fact_value(actual, stamp) - 1.0
            for name, (expected, actual) in SPEND_GROWTH_ANCHORS.items()}
