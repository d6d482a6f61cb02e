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
