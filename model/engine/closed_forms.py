"""Closed forms of the model, used by the fits, the chapters and the known-answer tests.

Each is a pure numpy function of arrays that broadcast. The engine
(:mod:`model.engine.simulation`) computes the same quantities year by year; the tests check the
two agree.
"""

from __future__ import annotations

import numpy as np


def jevons_factor(elasticity, factor, share):
    """Multiplier of compute spend (and of FLOP demand) when a share of demand adopts an
    efficiency gain ``factor``: 1 - share + share S^(eps - 1) (isoelastic demand; arrays
    broadcast). Below 1 for eps < 1, exactly 1 at eps = 1, above 1 for eps > 1.
    """
    eps, factor, share = (np.asarray(x, dtype=float) for x in (elasticity, factor, share))
    return 1.0 + share * np.expm1((eps - 1.0) * np.log(factor))


def price_fall_per_year(hardware_doubling_years, efficiency_doubling_years):
    """Factor by which the price of useful work falls in a year on the two trends:
    2^(1/T_hw + 1/T_alg) (hardware FLOP per dollar doubles every T_hw years, useful work per
    FLOP every T_alg years)."""
    t_hw, t_alg = (np.asarray(x, dtype=float) for x in (hardware_doubling_years,
                                                         efficiency_doubling_years))
    return np.exp2(1.0 / t_hw + 1.0 / t_alg)


def log_price_fall(years, hardware_doubling_years, efficiency_doubling_years):
    """Natural log of the fall of the price of useful work over ``years`` on the two trends:
    years ln 2 (1/T_hw + 1/T_alg)."""
    t_hw, t_alg = (np.asarray(x, dtype=float) for x in (hardware_doubling_years,
                                                         efficiency_doubling_years))
    return np.asarray(years, dtype=float) * np.log(2.0) * (1.0 / t_hw + 1.0 / t_alg)


def price_fall(years, hardware_doubling_years, efficiency_doubling_years):
    """Factor by which the price of useful work falls over ``years`` on the two trends:
    2^(years (1/T_hw + 1/T_alg)) (``price_fall_per_year`` to the power ``years``)."""
    t_hw, t_alg = (np.asarray(x, dtype=float) for x in (hardware_doubling_years,
                                                         efficiency_doubling_years))
    return np.exp2(np.asarray(years, dtype=float) * (1.0 / t_hw + 1.0 / t_alg))


def hardware_share_of_price_fall(hardware_doubling_years, efficiency_doubling_years):
    """Share of the yearly log fall of the price of useful work that hardware contributes:
    (1/T_hw) / (1/T_hw + 1/T_alg), between 0 and 1."""
    t_hw, t_alg = (np.asarray(x, dtype=float) for x in (hardware_doubling_years,
                                                         efficiency_doubling_years))
    return (1 / t_hw) / (1 / t_hw + 1 / t_alg)


def spend_multiplier(elasticity, factor):
    """Long-run multiplier of compute spend when all demand gains ``factor`` in useful work per
    FLOP (or the price of a FLOP falls by it): S^(eps - 1) (isoelastic demand; arrays broadcast)."""
    eps, factor = (np.asarray(x, dtype=float) for x in (elasticity, factor))
    return factor ** (eps - 1.0)


def gain_for_spend_multiplier(multiplier, elasticity):
    """The efficiency gain S that multiplies spend by ``multiplier`` at elasticity eps:
    S = multiplier^(1/(eps - 1)) (undefined at eps = 1, where no gain moves spend)."""
    m, eps = (np.asarray(x, dtype=float) for x in (multiplier, elasticity))
    return m ** (1.0 / (eps - 1.0))


def elasticity_for_spend_multiplier(multiplier, factor):
    """The elasticity at which a gain ``factor`` multiplies spend by ``multiplier``:
    eps = 1 + ln(multiplier) / ln(factor)."""
    m, s = (np.asarray(x, dtype=float) for x in (multiplier, factor))
    return 1 + np.log(m) / np.log(s)


def supply_spend_exponent(elasticity, supply_elasticity):
    """Exponent k with long-run spend multiplied by S^k after an instant full shock S, for
    isoelastic demand eps and upward-sloping supply eta_s around the no-news FLOP path:
    k = (1 + eta_s)(eps - 1) / (eta_s + eps); k -> eps - 1 as eta_s -> inf (elastic supply) and
    k -> (eps - 1) / eps as eta_s -> 0 (fixed FLOP)."""
    eps, eta = (np.asarray(x, dtype=float) for x in (elasticity, supply_elasticity))
    return (1.0 + eta) * (eps - 1.0) / (eta + eps)


def budget_share_elasticity(share, substitution, final_elasticity):
    """Hicks-Marshall: the price elasticity of compute demand at budget share s,
    (1 - s) sigma + s eta (see :mod:`model.engine.demand`)."""
    s, sigma, eta = (np.asarray(x, dtype=float) for x in (share, substitution, final_elasticity))
    return (1.0 - s) * sigma + s * eta


def backfire_share_limit(substitution, final_elasticity):
    """The budget share at which the elasticity (1 - s) sigma + s eta crosses one, so spend
    stops rising as compute gets cheaper: s* = (sigma - 1) / (sigma - eta) (sigma > 1 > eta;
    NaN otherwise: with eta >= 1 spend keeps rising towards the budget)."""
    sigma, eta = (np.asarray(x, dtype=float) for x in (substitution, final_elasticity))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where((sigma > 1) & (eta < 1), (sigma - 1.0) / (sigma - eta), np.nan)


def short_run_elasticity(elasticity, persistence):
    """Impact elasticity when quantities close a share (1 - lambda) of their log gap to the
    long-run path each year: (1 - lambda) eps."""
    eps, lam = (np.asarray(x, dtype=float) for x in (elasticity, persistence))
    return (1 - lam) * eps


def impact_spend_multiplier(elasticity, persistence, factor):
    """Spend multiplier in the year an instant gain ``factor`` arrives under partial adjustment:
    S^((1 - lambda) eps - 1) (the long-run multiplier is :func:`spend_multiplier`)."""
    s = np.asarray(factor, dtype=float)
    return s ** (short_run_elasticity(elasticity, persistence) - 1)


def saturating_unit_elasticity_price(elasticity, saturation_price):
    """Price at which saturating demand U = U_max / (1 + (p/p_sat)^eps0) has point elasticity
    one: p = p_sat (1/(eps0 - 1))^(1/eps0) (defined for eps0 > 1)."""
    eps0, p_sat = (np.asarray(x, dtype=float) for x in (elasticity, saturation_price))
    return p_sat * (1.0 / (eps0 - 1.0)) ** (1.0 / eps0)


def ramp_weight(years, start, duration_years, mid_year=0.5):
    """Share of a ramped gain reached in calendar year t, evaluated at t + ``mid_year``:
    clip((t + mid_year - start) / Y, 0, 1)."""
    t = np.asarray(years, dtype=float)
    return np.clip((t + mid_year - start) / duration_years, 0.0, 1.0)


def ramp_spend_ratio(years, gain, start, duration_years, elasticity, mid_year=0.5,
                     trend_doubling_years=None):
    """Spend relative to the path without a gain G ramped in log-linearly over Y years from
    ``start`` (the ECP scenario), isoelastic demand: G^(w(t) (eps - 1)) when the gain is added to
    the trend; with ``trend_doubling_years`` T (ECP mode 'replace': the trend pauses during the
    programme) the net gain over the trend is G 2^(-Y/T), so the ratio is
    (G 2^(-Y/T))^(w(t) (eps - 1)). ``elasticity`` of shape (n, 1) against ``years`` of shape (T,)
    gives an (n, T) array."""
    w = ramp_weight(years, start, duration_years, mid_year)
    net = np.asarray(gain, dtype=float)
    if trend_doubling_years is not None:
        net = net * np.exp2(-np.asarray(duration_years, dtype=float) / np.asarray(trend_doubling_years, dtype=float))
    return net ** (w * (np.asarray(elasticity, dtype=float) - 1.0))


def annual_rate(gain, years):
    """Constant yearly factor that compounds to ``gain`` over ``years``: G^(1/Y)."""
    return np.asarray(gain, dtype=float) ** (1.0 / np.asarray(years, dtype=float))


def value_capture_revenue(spend, accelerator_fraction, share, drift=0.0, t=0.0):
    """Nvidia's data-center revenue from compute spend: clip(share + drift t, 0, 1) f_acc X."""
    sigma = np.clip(np.asarray(share, dtype=float) + np.asarray(drift, dtype=float)
                    * np.asarray(t, dtype=float), 0.0, 1.0)
    return np.asarray(spend, dtype=float) * np.asarray(accelerator_fraction, dtype=float) * sigma


def share_drift_to_reach(share, fraction, years):
    """Yearly drift of Nvidia's share that multiplies it by ``fraction`` after ``years``:
    share (fraction - 1) / years."""
    s, f, y = (np.asarray(x, dtype=float) for x in (share, fraction, years))
    return s * (f - 1) / y
