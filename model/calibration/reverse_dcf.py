"""A market-consistent valuation: the pre-news growth path that prices Nvidia at its market value
on 24 January 2025 (a reverse DCF), and the moves that each alone reproduce the fall of 27 January.

The valuation is the engine's own (:mod:`model.engine.valuation`): Nvidia's data-center revenue
on the pre-news path that :mod:`model.calibration.market` builds (isoelastic demand whose shifter
is set so that compute spend grows at ``spend_growth`` a year to the horizon, whatever the
elasticity and trends), valued at the engine's margin path with mid-year flows from the news date
and a Gordon terminal value after ``horizon_end``. The whole firm is worth the data-center value
over ``dc_value_share`` (the rest of the business is taken to be worth the same per dollar of
revenue). The reverse DCF solves for the constant spend growth ``G`` at which that value equals
the market capitalisation from the facts, one bisection for every discount rate at once.

Observational equivalence: at the calibrated path, each of these alone reproduces an abnormal
return ``AR`` (default: the fit's NVDA estimate for 27 January):

* a discount-rate move ``dr``: ``V(r + dr) / V(r) - 1 = AR`` for the firm (all cash flows at
  the new rate), and ``w_dc (V_dc(r + dr) / V_dc(r) - 1) = AR`` if only the data-center flows
  are repriced;
* a growth revision ``dG`` (percentage points a year, 2025 to the horizon, the terminal growth
  unchanged): ``predicted_return(pre(G), pre(G + dG)) = AR``;
* a margin change (relative, revenue unchanged): ``w_dc x = AR``, the closed form of
  ``predicted_return`` with the base-year margin scaled by ``1 + x``.

The Macaulay duration is ``sum_t tau_t PV_t / V`` with the terminal value's duration in closed
form, ``tau_H + (1 + r) / (r - g)`` (a growing perpetuity paid from one year after the horizon),
so that ``-dV/dr (1 + r) / V`` equals it exactly.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.calibration.inputs import check_as_of, event_evidence, valuation_as_of
from model.calibration.market import MarketPrior, pre_news
from model.constants import DEFAULT_AS_OF, EVENT_YEAR
from model.data.facts import fact_value
from model.engine.params import Params
from model.engine.schema import BY_KEY
from model.engine.simulation import simulate
from model.engine.valuation import Valuation, predicted_return, present_value
from model.errors import JevonsError
from model.summary import Summary

MARKET_CAP_FACT = "nvda_mcap_before_2025_01_27"
"""Nvidia's market value at the 24 January 2025 close (3.5 USD tn, rounded; Forbes)."""
MARKET_CAP_CHECK = ("nvda_mcap_loss_2025_01_27_bloomberg", "nvda_close_2025_01_24", "nvda_close_2025_01_27")
"""A cross-check of the rounded market value: the day's loss over the day's fall,
589 / (1 - 118.42 / 142.62) = 3,471 USD bn."""
SENSITIVITY_RATES = (0.08, 0.10, 0.12)
"""Discount rates of the sensitivity table: the range :class:`MarketPrior` draws from."""
GROWTH_BRACKET = (-0.5, 3.0)
"""Search range of the calibrated spend growth (per year)."""
_STEPS = 60  # bisection steps: 3.5 / 2^60, far below any reported digit


def pre_event_params(spend_growth, *, nvidia_share_drift=0.0, end: int = Valuation.horizon_end) -> Params:
    """The pre-news model of :func:`model.calibration.market.pre_news` with compute spend growing
    at ``spend_growth`` a year (scalar or array of draws). The elasticity is set to 1: on this
    path spend, and so Nvidia's revenue, do not depend on it nor on the trends (a test pins this)."""
    growth = np.atleast_1d(np.asarray(spend_growth, dtype=float))
    n = growth.size
    inputs = {
        "hardware_doubling_years": np.full(n, float(BY_KEY["hardware.doubling_years"].default)),
        "efficiency_doubling_years": np.full(n, MarketPrior().efficiency_doubling_median),
        "nvidia_share_drift": np.broadcast_to(np.asarray(nvidia_share_drift, dtype=float), (n,)).copy(),
        "spend_growth": growth,
    }
    return pre_news(inputs, end=end).at(np.ones(n))


def _rates(valuation: Valuation, n: int) -> Valuation:
    """``valuation`` with its discount rate and terminal growth broadcast to ``n`` draws."""
    r = np.broadcast_to(np.asarray(valuation.discount_rate, dtype=float), (n,)).copy()
    g = np.broadcast_to(np.asarray(valuation.terminal_growth, dtype=float), (n,)).copy()
    if np.any(~np.isfinite(r)) or np.any(r <= g):
        raise JevonsError(f"discount_rate {r.min():.4g}..{r.max():.4g}: must be finite and exceed "
                          f"the terminal growth {g.max():.4g}")
    return dataclasses.replace(valuation, discount_rate=r, terminal_growth=g)


def dc_value(params: Params, valuation: Valuation, news_date: float = EVENT_YEAR) -> np.ndarray:
    """Present value of Nvidia's data-center cash flows on ``params``' path, at the engine's
    margin path (USD bn, one value per draw)."""
    run = simulate(params)
    return present_value(run.years, run.variables["nvidia_dc_revenue"], valuation, news_date,
                         run.variables["nvidia_margin"])


def firm_value(spend_growth, valuation: Valuation, *, nvidia_share_drift=0.0,
               news_date: float = EVENT_YEAR) -> np.ndarray:
    """Pre-event value of the whole firm, data-center value / ``dc_value_share`` (USD bn)."""
    growth = np.atleast_1d(np.asarray(spend_growth, dtype=float))
    valuation = _rates(valuation, growth.size)
    params = pre_event_params(growth, nvidia_share_drift=nvidia_share_drift, end=valuation.horizon_end)
    return dc_value(params, valuation, news_date) / np.asarray(valuation.dc_value_share, dtype=float)


def calibrate_growth(market_cap_usd_bn, valuation: Valuation, *, nvidia_share_drift=0.0,
                     news_date: float = EVENT_YEAR, bracket: tuple[float, float] = GROWTH_BRACKET) -> np.ndarray:
    """The constant yearly growth of compute spend, 2025 to the horizon, at which the firm's value
    equals ``market_cap_usd_bn`` (one value per discount rate of ``valuation``; vectorised
    bisection, the value rising with growth)."""
    cap = float(market_cap_usd_bn)
    if not np.isfinite(cap) or cap <= 0:
        raise JevonsError(f"market_cap_usd_bn {market_cap_usd_bn!r}: must be a positive number of USD bn")
    n = np.atleast_1d(np.asarray(valuation.discount_rate, dtype=float)).size
    valuation = _rates(valuation, n)
    lo, hi = np.full(n, bracket[0]), np.full(n, bracket[1])

    def gap(g):
        return firm_value(g, valuation, nvidia_share_drift=nvidia_share_drift, news_date=news_date) - cap

    if np.any(gap(lo) > 0) or np.any(gap(hi) < 0):
        raise JevonsError(f"market_cap_usd_bn {cap:,.0f}: no spend growth in {bracket[0]:+.0%}..{bracket[1]:+.0%} "
                          "a year prices the firm at it")
    for _ in range(_STEPS):
        mid = 0.5 * (lo + hi)
        below = gap(mid) < 0
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    return 0.5 * (lo + hi)


def macaulay_duration(params: Params, valuation: Valuation, news_date: float = EVENT_YEAR) -> np.ndarray:
    """Macaulay duration (years from the news date) of the data-center cash flows that
    :func:`dc_value` discounts, terminal value included in closed form."""
    run = simulate(params)
    years = run.years
    n = run.variables["nvidia_dc_revenue"].shape[0]
    valuation = _rates(valuation, n)
    r = valuation.discount_rate.reshape(-1, 1)
    g = valuation.terminal_growth.reshape(-1, 1)
    use = (years >= np.floor(news_date)) & (years <= valuation.horizon_end)
    elapsed = years[use] - news_date + 0.5
    flows = (run.variables["nvidia_dc_revenue"] * run.variables["nvidia_margin"])[:, use]
    pv = flows * (1.0 + r) ** (-elapsed)
    terminal = pv[:, -1:] * (1.0 + g) / (r - g)
    timed = (pv * elapsed).sum(axis=1, keepdims=True) + terminal * (elapsed[-1] + (1.0 + r) / (r - g))
    return (timed / (pv.sum(axis=1, keepdims=True) + terminal))[:, 0]


def _check_return(abnormal_return, dc_value_share) -> np.ndarray:
    ar = np.asarray(abnormal_return, dtype=float)
    w = np.asarray(dc_value_share, dtype=float)
    bad = ~(np.isfinite(ar) & (ar > -w) & (ar < 1.0))
    if np.any(bad):
        raise JevonsError(f"abnormal_return {np.atleast_1d(ar)[np.atleast_1d(bad)][0]:.4g}: must be a finite "
                          f"return above -dc_value_share ({np.min(w):.3f}) and below +1")
    return ar


def margin_equivalent(abnormal_return, dc_value_share) -> np.ndarray:
    """Relative change of Nvidia's margin (revenue unchanged) that alone gives ``abnormal_return``:
    ``AR / w_dc`` (e.g. -0.15 for a margin 15% lower, 0.62 to 0.53)."""
    return _check_return(abnormal_return, dc_value_share) / np.asarray(dc_value_share, dtype=float)


def discount_rate_equivalent(abnormal_return, spend_growth, valuation: Valuation, *, firm: bool = True,
                             nvidia_share_drift=0.0, news_date: float = EVENT_YEAR) -> np.ndarray:
    """The discount-rate move (per year, e.g. 0.0085 for 85 bp) that alone gives
    ``abnormal_return``; ``firm=True`` reprices every cash flow of the firm, ``firm=False`` only
    the data-center flows (weighted by ``dc_value_share`` as :func:`predicted_return` weights)."""
    growth = np.atleast_1d(np.asarray(spend_growth, dtype=float))
    valuation = _rates(valuation, growth.size)
    w = np.asarray(valuation.dc_value_share, dtype=float)
    ar = np.broadcast_to(_check_return(abnormal_return, w), growth.shape)
    target = ar if firm else ar / w  # the data-center value's own change
    params = pre_event_params(growth, nvidia_share_drift=nvidia_share_drift, end=valuation.horizon_end)
    run = simulate(params)

    def value(rate):
        moved = dataclasses.replace(valuation, discount_rate=rate)
        return present_value(run.years, run.variables["nvidia_dc_revenue"], moved, news_date,
                             run.variables["nvidia_margin"])

    base = value(valuation.discount_rate)
    r = valuation.discount_rate
    lo = valuation.terminal_growth - r + 1e-6  # the rate may fall to just above terminal growth
    hi = np.full(growth.size, 1.0)
    for _ in range(_STEPS):
        mid = 0.5 * (lo + hi)
        above = value(r + mid) / base - 1.0 > target  # value falls as the rate rises
        lo, hi = np.where(above, mid, lo), np.where(above, hi, mid)
    return 0.5 * (lo + hi)


def growth_equivalent(abnormal_return, spend_growth, valuation: Valuation, *, nvidia_share_drift=0.0,
                      news_date: float = EVENT_YEAR, span: float = 0.5) -> np.ndarray:
    """The revision of yearly spend growth to the horizon (per year, e.g. -0.02 for 2 points) that
    alone gives ``abnormal_return`` through :func:`model.engine.valuation.predicted_return`."""
    growth = np.atleast_1d(np.asarray(spend_growth, dtype=float))
    valuation = _rates(valuation, growth.size)
    ar = np.broadcast_to(_check_return(abnormal_return, valuation.dc_value_share), growth.shape)
    pre = pre_event_params(growth, nvidia_share_drift=nvidia_share_drift, end=valuation.horizon_end)

    def predicted(delta):
        post = pre_event_params(growth + delta, nvidia_share_drift=nvidia_share_drift, end=valuation.horizon_end)
        return predicted_return(pre, post, valuation, news_date=news_date)

    lo, hi = np.full(growth.size, -span), np.full(growth.size, span)
    if np.any(predicted(lo) > ar) or np.any(predicted(hi) < ar):
        raise JevonsError(f"abnormal_return {np.min(ar):+.4g}: no growth revision within "
                          f"+/-{span:.0%} a year reproduces it")
    for _ in range(_STEPS):
        mid = 0.5 * (lo + hi)
        below = predicted(mid) < ar
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    return 0.5 * (lo + hi)


@dataclass(frozen=True)
class Equivalents:
    """Moves that each alone reproduce the abnormal return, at one or more discount rates."""

    discount_rate_bp: np.ndarray
    """Discount-rate rise on every cash flow of the firm, basis points."""
    discount_rate_bp_dc_only: np.ndarray
    """The same if only the data-center flows are repriced."""
    growth_pp: np.ndarray
    """Revision of yearly spend growth to the horizon, percentage points a year."""
    margin_pct: np.ndarray
    """Relative change of Nvidia's margin, percent."""


def equivalents(abnormal_return, spend_growth, valuation: Valuation, *, nvidia_share_drift=0.0,
                news_date: float = EVENT_YEAR) -> Equivalents:
    """The observational-equivalence table at the calibrated growth ``spend_growth``."""
    growth = np.atleast_1d(np.asarray(spend_growth, dtype=float))
    kw = {"nvidia_share_drift": nvidia_share_drift, "news_date": news_date}
    margin = np.broadcast_to(margin_equivalent(abnormal_return, valuation.dc_value_share), growth.shape)
    return Equivalents(
        discount_rate_bp=1e4 * discount_rate_equivalent(abnormal_return, growth, valuation, firm=True, **kw),
        discount_rate_bp_dc_only=1e4 * discount_rate_equivalent(abnormal_return, growth, valuation,
                                                                firm=False, **kw),
        growth_pp=100.0 * growth_equivalent(abnormal_return, growth, valuation, **kw),
        margin_pct=100.0 * np.asarray(margin, dtype=float),
    )


@dataclass(frozen=True)
class ReverseDCF:
    """The market-consistent valuation of Nvidia before the news and the equivalence table."""

    as_of: pd.Timestamp
    market_cap_usd_bn: float
    market_cap_check_usd_bn: float
    pre_event_value_usd_bn: float
    spend_growth: float
    discount_rate: float
    terminal_growth: float
    duration_years: float
    dc_value_share: float
    margin: float
    nvidia_share_drift: float
    base_dc_revenue_usd_bn: float
    horizon_end: int
    abnormal_return: float
    equivalents: Equivalents  # at the central discount rate (arrays of length 1)
    sensitivity: pd.DataFrame  # one row per discount rate of SENSITIVITY_RATES

    @property
    def pricing_error(self) -> float:
        """Relative gap between the model's pre-event value and the market capitalisation."""
        return self.pre_event_value_usd_bn / self.market_cap_usd_bn - 1.0

    def summary(self) -> Summary:
        eq = self.equivalents
        rows = [
            ("market capitalisation, 24 January 2025 (USD bn)", self.market_cap_usd_bn),
            ("cross-check: the day's loss over the day's fall (USD bn)", self.market_cap_check_usd_bn),
            ("model's pre-event value of the firm (USD bn)", self.pre_event_value_usd_bn),
            (f"calibrated growth of compute spend, 2025-{self.horizon_end} (per year)",
             f"{self.spend_growth:+.2%}"),
            ("discount rate / terminal growth", f"{self.discount_rate:.1%} / {self.terminal_growth:.1%}"),
            ("Macaulay duration of the cash flows (years)", self.duration_years),
            ("abnormal return to reproduce", f"{self.abnormal_return:+.2%}"),
            ("equivalent: discount-rate rise, whole firm (bp)", float(eq.discount_rate_bp[0])),
            ("equivalent: discount-rate rise, data-center flows only (bp)", float(eq.discount_rate_bp_dc_only[0])),
            ("equivalent: growth revision to the horizon (points a year)", float(eq.growth_pp[0])),
            ("equivalent: margin change (%)", float(eq.margin_pct[0])),
        ]
        notes = (
            f"Valuation: Nvidia's data-center revenue on the pre-news path of the market-implied fit "
            f"(isoelastic demand; base-year revenue {self.base_dc_revenue_usd_bn:.0f} USD bn, share drift "
            f"{self.nvidia_share_drift:+.3f} a year), valued at the engine's {self.margin:.0%} operating margin "
            f"taken as the cash-flow margin, mid-year flows "
            f"from the news date, Gordon terminal value after {self.horizon_end}; the firm is the "
            f"data-center value over {self.dc_value_share:.3f}.",
            "Each equivalent move alone reproduces the abnormal return: the day's price change does "
            "not tell them apart.",
        )
        return Summary.of("Reverse DCF: the growth path that prices Nvidia before the news", rows,
                          tables=[("by discount rate", self.sensitivity)], notes=notes)

    def to_dict(self) -> dict:
        """``valuation`` and ``equivalents`` as the calibrate JSON carries them, plus detail."""
        eq = self.equivalents
        return {
            "valuation": {
                "pre_event_value_usd_bn": self.pre_event_value_usd_bn,
                "market_cap_usd_bn": self.market_cap_usd_bn,
                "discount_rate": self.discount_rate,
                "duration_years": self.duration_years,
                "spend_growth": self.spend_growth,
                "terminal_growth": self.terminal_growth,
                "horizon_end": self.horizon_end,
                "dc_value_share": self.dc_value_share,
                "margin": self.margin,
                "nvidia_share_drift": self.nvidia_share_drift,
                "market_cap_check_usd_bn": self.market_cap_check_usd_bn,
                "pricing_error": self.pricing_error,
            },
            "equivalents": {
                "discount_rate_bp": float(eq.discount_rate_bp[0]),
                "discount_rate_bp_dc_only": float(eq.discount_rate_bp_dc_only[0]),
                "growth_pp": float(eq.growth_pp[0]),
                "margin_pct": float(eq.margin_pct[0]),
                "abnormal_return": self.abnormal_return,
            },
            "sensitivity": self.sensitivity.to_dict(orient="records"),
        }


def reverse_dcf(as_of=DEFAULT_AS_OF, *, abnormal_return: float | None = None,
                valuation: Valuation | None = None, nvidia_share_drift: float | None = None,
                rates=SENSITIVITY_RATES, news_date: float = EVENT_YEAR) -> ReverseDCF:
    """The reverse DCF as of ``as_of``: the market value and the data-center share from the facts
    known then, the abnormal return from the fit's NVDA event study on prices up to then (unless
    given), the discount rate from ``valuation`` (default 10%, :class:`Valuation`) and Nvidia's
    share drift at the middle of the market prior's range (as :func:`market.central_inputs`)."""
    stamp = check_as_of(as_of)
    valuation = valuation or valuation_as_of(stamp)
    if nvidia_share_drift is None:
        nvidia_share_drift = float(np.mean(MarketPrior().nvidia_share_drift))
    cap = 1000.0 * fact_value(MARKET_CAP_FACT, stamp)
    loss, before, after = (fact_value(k, stamp) for k in MARKET_CAP_CHECK)
    check = loss / (1.0 - after / before)
    if abnormal_return is None:
        abnormal_return = event_evidence("NVDA", stamp).abnormal_return
    abnormal_return = float(abnormal_return)
    rates = np.asarray([float(np.asarray(valuation.discount_rate)), *rates], dtype=float)
    several = dataclasses.replace(valuation, discount_rate=rates)
    kw = {"nvidia_share_drift": nvidia_share_drift, "news_date": news_date}
    growth = calibrate_growth(cap, several, **kw)
    value = firm_value(growth, several, **kw)
    params = pre_event_params(growth, nvidia_share_drift=nvidia_share_drift, end=valuation.horizon_end)
    duration = macaulay_duration(params, several, news_date)
    eq = equivalents(abnormal_return, growth, several, **kw)
    base_run = simulate(pre_event_params(0.0, end=valuation.horizon_end)).variables
    base, margin = (float(base_run[k][0, 0]) for k in ("nvidia_dc_revenue", "nvidia_margin"))
    table = pd.DataFrame({
        "discount rate": rates[1:], "spend growth": growth[1:], "duration (years)": duration[1:],
        "rate rise, firm (bp)": eq.discount_rate_bp[1:], "growth revision (pp)": eq.growth_pp[1:],
        "margin change (%)": eq.margin_pct[1:],
    })
    first = Equivalents(*(np.asarray(getattr(eq, f.name))[:1] for f in dataclasses.fields(Equivalents)))
    return ReverseDCF(
        as_of=stamp, market_cap_usd_bn=cap, market_cap_check_usd_bn=float(check),
        pre_event_value_usd_bn=float(value[0]), spend_growth=float(growth[0]),
        discount_rate=float(rates[0]), terminal_growth=float(np.asarray(valuation.terminal_growth)),
        duration_years=float(duration[0]), dc_value_share=float(np.asarray(valuation.dc_value_share)),
        margin=margin, nvidia_share_drift=float(nvidia_share_drift),
        base_dc_revenue_usd_bn=base, horizon_end=valuation.horizon_end,
        abnormal_return=abnormal_return, equivalents=first, sensitivity=table,
    )


def market_consistent_inputs(inputs: dict[str, np.ndarray], market_cap_usd_bn: float,
                             valuation: Valuation | None = None,
                             news_date: float = EVENT_YEAR) -> dict[str, np.ndarray]:
    """Draws of the market prior's inputs (:func:`~model.calibration.market.draw_market_inputs`)
    with the pre-news spend growth of each draw replaced by the growth at which the draw's
    discount rate, terminal growth and share drift price Nvidia at ``market_cap_usd_bn`` (the
    reverse DCF draw by draw, one vectorised bisection): every draw then starts from the market
    value it has to explain."""
    valuation = valuation or Valuation()
    rates = dataclasses.replace(valuation, discount_rate=np.asarray(inputs["discount_rate"], dtype=float),
                                terminal_growth=np.asarray(inputs["terminal_growth"], dtype=float))
    growth = calibrate_growth(market_cap_usd_bn, rates, nvidia_share_drift=inputs["nvidia_share_drift"],
                              news_date=news_date)
    return dict(inputs) | {"spend_growth": growth}
