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
from model.engine.efficiency import MID_YEAR, diffusion_weight
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
    margin: Num = 0.62
    """Operating margin on data-center revenue, used by :func:`present_value` when no margin
    path is given; :func:`predicted_return` reads the engine's ``nvidia_margin`` path instead
    (``value_capture.nvidia_margin``, same source), so news that moves the margin moves the
    value. NVIDIA FY2025 Q3 operating income / revenue, 21.869 / 35.082 (facts:
    nvda_operating_income_fy2025_q3). A constant margin cancels in returns."""
    horizon_end: int = 2035
    """Last year of explicit cash flows; the terminal value starts after it."""


def present_value(years: np.ndarray, revenue: np.ndarray, valuation: Valuation,
                  news_date: float = EVENT_YEAR, margin: np.ndarray | None = None) -> np.ndarray:
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
    if margin is None:
        flows = np.asarray(valuation.margin, dtype=float).reshape(-1, 1) * flows
    else:  # a margin path (n|1, T) over ``years``
        flows = np.broadcast_to(margin, revenue.shape)[:, use] * flows
    terminal = flows[:, -1:] * (1.0 + g) / (r - g) * discount[:, -1:]
    return ((flows * discount).sum(axis=1, keepdims=True) + terminal)[:, 0]


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

    def value(run):  # Nvidia's revenue is valued at the engine's margin path (share and margin move)
        margin = run.variables["nvidia_margin"] if variable == "nvidia_dc_revenue" else None
        return present_value(run.years, run.variables[variable], valuation, news_date, margin)

    ratio = value(after) / value(before)
    weight = valuation.dc_value_share if exposure is None else exposure
    return np.asarray(weight, dtype=float) * (ratio - 1.0)


def instant_news_return(elasticity: Num, factor: Num, dc_value_share: Num = Valuation.dc_value_share):
    """Predicted return on news of an instant shock of size ``factor`` covering all demand,
    with isoelastic demand: ``w_dc (S^(eps - 1) - 1)``, whatever the discount rate, margin or
    growth path (the closed form of :func:`predicted_return` for that news)."""
    elasticity = np.asarray(elasticity, dtype=float)
    return np.asarray(dc_value_share, dtype=float) * (np.asarray(factor, dtype=float) ** (elasticity - 1.0) - 1.0)


def instant_news_elasticity(abnormal_return: Num, factor: Num, dc_value_share: Num = Valuation.dc_value_share):
    """The elasticity at which an instant, fully covering shock of size ``factor`` predicts
    ``abnormal_return``: ``1 + ln(1 + AR / w_dc) / ln S`` (the inverse of
    :func:`instant_news_return`; NaN where ``AR <= -w_dc``)."""
    ratio = 1.0 + np.asarray(abnormal_return, dtype=float) / np.asarray(dc_value_share, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return 1.0 + np.where(ratio > 0, np.log(np.where(ratio > 0, ratio, 1.0)), np.nan) / np.log(factor)


def least_coverage(abnormal_return: Num, factor: Num, dc_value_share: Num = Valuation.dc_value_share):
    """The least coverage phi at which an instant shock of size ``factor`` with perfectly
    inelastic demand (eps = 0) reproduces a fall ``abnormal_return < 0``:
    ``|AR| / (w_dc (1 - 1/S))``; ``factor = inf`` gives the bound for any news size,
    ``|AR| / w_dc``."""
    factor = np.asarray(factor, dtype=float)
    return -np.asarray(abnormal_return, dtype=float) / (np.asarray(dc_value_share, dtype=float) * (1.0 - 1.0 / factor))


def mean_adoption_weight(pre: Params, diffusion_years: Num, valuation: Valuation | None = None,
                         variable: str = "nvidia_dc_revenue", news_date: float = EVENT_YEAR) -> np.ndarray:
    """The adoption weight of news at ``news_date`` averaged with present-value weights of the
    pre-news revenue path: ``w_bar = PV(R_pre w) / PV(R_pre)`` (one value per draw).

    ``w(t)`` is the logistic adoption weight reaching one half after ``diffusion_years``, taken
    at the middle of each calendar year, as :func:`with_news` applies it. The predicted return
    on news of size S covering a share phi then factors into
    ``w_dc phi w_bar (S^(eps - 1) - 1)`` (see :func:`factored_return`).
    """
    valuation = valuation or Valuation()
    run = simulate(dataclasses.replace(pre, end=valuation.horizon_end))
    half = np.asarray(diffusion_years, dtype=float)
    adoption = diffusion_weight(run.years + MID_YEAR, news_date, half.reshape(-1, 1) if half.ndim else half,
                                "logistic")
    revenue = run.variables[variable]
    return (present_value(run.years, revenue * adoption, valuation, news_date)
            / present_value(run.years, revenue, valuation, news_date))


def factored_return(elasticity: Num, factor: Num, coverage: Num, adoption_weight: Num,
                    dc_value_share: Num = Valuation.dc_value_share):
    """The predicted return in factored form, ``w_dc phi w_bar (S^(eps - 1) - 1)``, with
    ``w_bar`` from :func:`mean_adoption_weight`."""
    return (np.asarray(coverage, dtype=float) * np.asarray(adoption_weight, dtype=float)
            * instant_news_return(elasticity, factor, dc_value_share))


def jevons_multipliers(factor: Num, elasticity: Num) -> tuple[np.ndarray, np.ndarray]:
    """How news making useful work ``factor`` times cheaper changes demand for it and spending
    on it with isoelastic demand: ``(S^eps, S^(eps - 1))`` (quantity, spend)."""
    factor = np.asarray(factor, dtype=float)
    elasticity = np.asarray(elasticity, dtype=float)
    return factor ** elasticity, factor ** (elasticity - 1.0)
