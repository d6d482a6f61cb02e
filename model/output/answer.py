"""The numbers of the book's first screen: the answer as of February 2025, what happened, and
what the evidence says at the last data date.

:func:`answer_values` only selects and converts results the package computed (two
:class:`~model.calibration.fit.Calibration` objects, the annual outcomes in the facts tables);
the introduction glues the dictionary with :func:`model.output.book.glue_values`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from model.calibration.fit import Calibration, catch_up_months
from model.engine.closed_forms import jevons_factor
from model.output.backtest_numbers import february_values

#: Coverage of the DeepSeek news used for the first screen's illustration of what the answer
#: means for spend: the middle of the fit's uniform prior on coverage (0.3 to 1).
ILLUSTRATIVE_COVERAGE = 0.65


def _estimate(prefix: str, estimate) -> dict[str, float]:
    lo, hi = estimate.interval
    return {prefix: float(estimate.median), f"{prefix}_lo": float(lo), f"{prefix}_hi": float(hi)}


def answer_values(february: Calibration, latest: Calibration,
                  outcomes: Mapping[str, Mapping]) -> dict:
    """The first screen's numbers.

    ``february`` is the fit as of the default cutoff, ``latest`` the fit as of the last data
    date, ``outcomes`` :func:`model.calibration.backtest.annual_outcomes`. Keys:

    * ``data_date``, ``feb_as_of``: the two as-of dates;
    * ``q_eps`` (``_lo``, ``_hi``): the market-implied elasticity from the quantity channel of
      27 January; ``q_share`` (percent of Nvidia's abnormal return the channel explains),
      ``q_news`` (the news over trend), ``q_range_lo``/``q_range_hi`` (the lowest and highest
      median over the range table's quantity shares and news sizes);
    * ``feb_combined`` and ``latest_combined`` (``_lo``, ``_hi``): the combined elasticity at
      each date; ``latest_capex`` (``_lo``, ``_hi``): the capex-implied one at the data date;
    * ``cut_pct``: how far below its path spend settles after the news at the February median
      elasticity, the news over trend and coverage :data:`ILLUSTRATIVE_COVERAGE`, in percent;
    * ``catch_up_months``: months of the February fit's growth of spend on the trend (the
      capex plans' identified combination, its median) that make up that cut;
    * ``capex_*`` and ``nv_*``: the February-2025 annual forecasts against their outcomes
      (:func:`model.output.backtest_numbers.february_values`).
    """
    quantity = february.quantity
    ranges = quantity.ranges["elasticity"]
    combined = february.combination.estimate
    cut = 1.0 - float(jevons_factor(np.float64(combined.median), quantity.news_median,
                                    ILLUSTRATIVE_COVERAGE))
    return {
        "data_date": latest.as_of, "feb_as_of": february.as_of,
        **_estimate("q_eps", february.market),
        "q_share": 100 * quantity.share, "q_news": quantity.news_median,
        "q_range_lo": float(ranges.min()), "q_range_hi": float(ranges.max()),
        **_estimate("feb_combined", combined),
        **_estimate("latest_combined", latest.combination.estimate),
        **_estimate("latest_capex", latest.capex.estimate),
        "cut_pct": 100 * cut, "coverage": 100 * ILLUSTRATIVE_COVERAGE,
        "catch_up_months": catch_up_months(1.0 - cut, february.capex.ridge_interval()[0]),
        **february_values(february.forecasts, outcomes),
    }
