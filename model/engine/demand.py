"""Demand for useful work as a function of its price (relative to the base year).

Each form is a function f(p) of the relative price p = price / base-year price; quantities are
normalised by f(1) so that the base-year quantity is the same for every form. Point elasticities
are returned for the book and the tests.
"""

from __future__ import annotations

import numpy as np


def isoelastic(p, elasticity):
    """f(p) = p^(-eps): constant elasticity eps."""
    return np.power(p, -elasticity)


def saturating(p, elasticity, saturation_price):
    """f(p) = 1 / (1 + (p / p_sat)^eps0): elasticity eps0 * s / (1 + s), s = (p / p_sat)^eps0.

    Close to eps0 when the price is far above ``saturation_price``, falling towards 0 as the price
    falls below it (demand saturates).
    """
    return 1.0 / (1.0 + np.power(p / saturation_price, elasticity))


def saturating_elasticity(p, elasticity, saturation_price):
    """Point elasticity -d ln f / d ln p of :func:`saturating`, always in (0, eps0)."""
    s = np.power(p / saturation_price, elasticity)
    return elasticity * s / (1.0 + s)


def relative_quantity(p, form: str, elasticity, saturation_price):
    """Quantity demanded at relative price p, divided by the quantity at p = 1."""
    if form == "isoelastic":
        return isoelastic(p, elasticity)
    if form == "saturating":
        return saturating(p, elasticity, saturation_price) / saturating(1.0, elasticity, saturation_price)
    raise ValueError(f"unknown demand form {form!r}")  # pragma: no cover - schema rejects it


def point_elasticity(p, form: str, elasticity, saturation_price):
    """-d ln U / d ln p at relative price p."""
    if form == "isoelastic":
        return np.broadcast_to(np.asarray(elasticity, dtype=float), np.broadcast(p, elasticity).shape)
    return saturating_elasticity(p, elasticity, saturation_price)


def quantity_and_spend(log_price, form: str, elasticity, saturation_price):
    """Relative quantity f(p)/f(1) and relative spend p f(p)/f(1), from ln p.

    Works in logs so a large Monte Carlo run needs one or two ``exp`` per element and no
    ``power``; equal to :func:`relative_quantity` (and ``p *`` it).
    """
    if form == "isoelastic":
        return np.exp(-elasticity * log_price), np.exp((1.0 - elasticity) * log_price)
    if form == "saturating":
        log_sat = np.log(saturation_price)
        q = (1.0 + np.exp(-elasticity * log_sat)) / (1.0 + np.exp(elasticity * (log_price - log_sat)))
        return q, q * np.exp(log_price)
    raise ValueError(f"unknown demand form {form!r}")  # pragma: no cover - schema rejects it
