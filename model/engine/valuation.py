"""The valuation link: from a compute-spend path to Nvidia's equity value, and from news of an
efficiency shock to a predicted return.

Nvidia's data-center revenue is R(t) = share(t) x accelerator fraction x X(t) (see
:mod:`model.engine.simulation`). Its data-center business is worth the discounted margin on that revenue
over an explicit horizon plus a Gordon terminal value:

    V = sum_{t=tau..H} m R(t) / (1+r)^(t - tau + 1/2)  +  m R(H) (1+g) / (r - g) / (1+r)^(H - tau + 1/2)

(cash flows arrive mid-year; tau is the news date). News on day tau that an efficiency shock of
size S covers a share phi of demand changes the expected path from X_pre to X_post, and the
predicted return of the whole firm is

    predicted return = w_dc x (V_post / V_pre - 1),

with w_dc the share of the firm's value that comes from data-center cash flows. A constant margin
cancels in the ratio; what matters is how the shock reshapes the revenue path, weighted by
discounting. With an instant, fully covering shock and isoelastic demand every year after the
shock scales by S^(eps-1), so the predicted return is w_dc (S^(eps-1) - 1) whatever the discount
rate (a test pins this).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from model.constants import EVENT_YEAR
from model.engine.params import Num, Params, Shock
from model.engine.simulation import simulate


@dataclass(frozen=True)
class Valuation:
    """Valuation parameters (scalars or arrays of draws)."""

    discount_rate: Num = 0.10
    """Annual discount rate of Nvidia's cash flows. Assumption: a CAPM cost of equity with a
    10-year Treasury yield near 4.5% (January 2025) and an equity premium of 4-5% on a beta above
    1 gives 9-13%; the Monte Carlo draws 0.08-0.12."""
    terminal_growth: Num = 0.03
    """Growth of data-center cash flows after the horizon (assumption: about nominal GDP)."""
    dc_value_share: Num = 0.878
    """Share of Nvidia's value from data-center cash flows: the data-center share of revenue in
    FY2025 Q3 (30.8 / 35.08 USD bn, NVIDIA results of 2024-11-20; facts nvidia.csv)."""
    margin: Num = 0.55
    """Operating margin on data-center revenue (assumption; it cancels in returns)."""
    horizon_end: int = 2035
    """Last year of explicit cash flows; the terminal value starts after it."""


def present_value(years: np.ndarray, revenue: np.ndarray, valuation: Valuation,
                  news_date: float = EVENT_YEAR) -> np.ndarray:
    """Discounted value of the revenue path from the news date on (one value per draw).

    ``revenue`` has shape (n, T) over ``years``; years before the news year are sunk and
    ignored; years after ``valuation.horizon_end`` are not used (the terminal value replaces
    them).
    """
    years = np.asarray(years, dtype=float)
    r = np.asarray(valuation.discount_rate, dtype=float).reshape(-1, 1)
    g = np.asarray(valuation.terminal_growth, dtype=float).reshape(-1, 1)
    if np.any(r <= g):
        raise ValueError("the discount rate must exceed the terminal growth rate")
    use = (years >= np.floor(news_date)) & (years <= valuation.horizon_end)
    if not use.any() or years[use][-1] != valuation.horizon_end:
        raise ValueError(f"revenue path must cover {int(np.floor(news_date))}..{valuation.horizon_end}")
    elapsed = years[use] - news_date + 0.5  # mid-year cash flows, discounted to the news date
    discount = (1.0 + r) ** (-elapsed)
    flows = revenue[:, use]
    terminal = flows[:, -1:] * (1.0 + g) / (r - g) * discount[:, -1:]
    margin = np.asarray(valuation.margin, dtype=float).reshape(-1, 1)
    return (margin * ((flows * discount).sum(axis=1, keepdims=True) + terminal))[:, 0]


def with_news(params: Params, factor: Num, coverage: Num, diffusion_years: Num = 1.0,
              news_date: float = EVENT_YEAR) -> Params:
    """The scenario after the news: the same parameters plus one logistic efficiency shock dated
    at the news (each calendar year sees the adoption reached at its middle)."""
    shock = Shock(year=news_date, factor=factor, coverage=coverage,
                  diffusion_years=diffusion_years, label="news")
    return dataclasses.replace(params, shocks=params.shocks + (shock,))


def predicted_return(pre: Params, post: Params, valuation: Valuation | None = None,
                     variable: str = "nvidia_dc_revenue", exposure: Num | None = None,
                     news_date: float = EVENT_YEAR) -> np.ndarray:
    """Predicted return on the news that turns ``pre`` into ``post`` (one value per draw).

    ``variable`` is the revenue stream valued (Nvidia's data-center revenue by default; total
    ``compute_spend`` for a supplier whose sales scale with it) and ``exposure`` the share of the
    firm's value tied to it (default: ``valuation.dc_value_share``).
    """
    valuation = valuation or Valuation()
    if post.end < valuation.horizon_end or pre.end < valuation.horizon_end:
        pre = dataclasses.replace(pre, end=valuation.horizon_end)
        post = dataclasses.replace(post, end=valuation.horizon_end)
    before = simulate(pre)
    after = simulate(post)
    ratio = (present_value(after.years, after.variables[variable], valuation, news_date)
             / present_value(before.years, before.variables[variable], valuation, news_date))
    weight = valuation.dc_value_share if exposure is None else exposure
    return np.asarray(weight, dtype=float) * (ratio - 1.0)
