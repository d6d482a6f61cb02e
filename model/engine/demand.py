"""Demand for useful work as a function of its price (relative to the base year).

Each demand curve is a function f(p) of the relative price p = price / base-year price;
quantities are normalised by f(1) so that the base-year quantity is the same for every curve.
Point elasticities are returned for the book and the tests.

The registry
------------
:data:`CURVES` is the one place that lists the demand curves a segment can have (a
:class:`Curve` each: its formulas in levels and in logs, and its point elasticity);
:data:`FORMS` lists the values of the scenario key ``demand.form``: every curve, plus the two
structures built from curves (``segments``, ``partial-adjustment``). The schema's allowed values
and the engine both read these tables, so a form that is not registered is rejected when a
scenario is loaded and cannot silently run as another. To add a curve: write its three
functions here and add one :class:`Curve` to :data:`CURVES`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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


def _isoelastic_logs(log_price, elasticity, saturation_price):
    return np.exp(-elasticity * log_price), np.exp((1.0 - elasticity) * log_price)


def _saturating_logs(log_price, elasticity, saturation_price):
    log_sat = np.log(saturation_price)
    q = (1.0 + np.exp(-elasticity * log_sat)) / (1.0 + np.exp(elasticity * (log_price - log_sat)))
    return q, q * np.exp(log_price)


def _isoelastic_relative(p, elasticity, saturation_price):
    return isoelastic(p, elasticity)


def _saturating_relative(p, elasticity, saturation_price):
    return saturating(p, elasticity, saturation_price) / saturating(1.0, elasticity, saturation_price)


def _isoelastic_point(p, elasticity, saturation_price):
    return np.broadcast_to(np.asarray(elasticity, dtype=float), np.broadcast(p, elasticity).shape)


@dataclass(frozen=True)
class Curve:
    """One registered demand curve f(p).

    ``logs(log_price, elasticity, saturation_price)`` returns the relative quantity f(p)/f(1)
    and the relative spend p f(p)/f(1) from ln p (the engine's form: one or two ``exp`` per
    element); ``relative(p, ...)`` is f(p)/f(1) in levels; ``point_elasticity(p, ...)`` is
    -d ln f / d ln p. Every curve takes ``saturation_price`` (a curve that has none ignores it).
    """

    name: str
    description: str
    logs: Callable
    relative: Callable
    point_elasticity: Callable


CURVES: dict[str, Curve] = {
    "isoelastic": Curve("isoelastic", "U = D p^-eps: constant elasticity eps",
                        _isoelastic_logs, _isoelastic_relative, _isoelastic_point),
    "saturating": Curve("saturating", "U = D / (1 + (p / p_sat)^eps): the elasticity falls from "
                        "eps towards 0 as the price falls below p_sat",
                        _saturating_logs, _saturating_relative, saturating_elasticity),
}

# Structures of demand built from the curves (values of demand.form that are not a curve).
STRUCTURES: dict[str, str] = {
    "segments": "parts of demand (training, inference...), each with its own curve and parameters",
    "partial-adjustment": "isoelastic in the long run; each year closes a share (1 - lambda) of "
                          "the gap between last year's quantity and the long-run one",
}
FORMS: tuple[str, ...] = (*CURVES, *STRUCTURES)  # the allowed values of demand.form


def curve(name: str) -> Curve:
    """The registered curve ``name``; ValueError naming the allowed curves otherwise."""
    try:
        return CURVES[name]
    except KeyError:
        raise ValueError(f"unknown demand curve {name!r}; allowed: {', '.join(CURVES)}") from None


def curve_of_form(form: str) -> str:
    """The curve a single-segment scenario of ``demand.form`` = ``form`` uses.

    A curve is its own form; ``partial-adjustment`` is isoelastic (lagged); ``segments`` has
    one curve per segment and no single curve. Anything else is a ValueError: no form falls
    back to another.
    """
    if form in CURVES:
        return form
    if form == "partial-adjustment":
        return "isoelastic"
    if form == "segments":
        raise ValueError("demand.form 'segments' has one curve per segment (demand.segments[].form)")
    raise ValueError(f"unknown demand form {form!r}; allowed: {', '.join(FORMS)}")


def relative_quantity(p, form: str, elasticity, saturation_price):
    """Quantity demanded at relative price p, divided by the quantity at p = 1."""
    return curve(form).relative(p, elasticity, saturation_price)


def point_elasticity(p, form: str, elasticity, saturation_price):
    """-d ln U / d ln p at relative price p."""
    return curve(form).point_elasticity(p, elasticity, saturation_price)


def quantity_and_spend(log_price, form: str, elasticity, saturation_price):
    """Relative quantity f(p)/f(1) and relative spend p f(p)/f(1), from ln p.

    Works in logs so a large Monte Carlo run needs one or two ``exp`` per element and no
    ``power``; equal to :func:`relative_quantity` (and ``p *`` it).
    """
    return curve(form).logs(log_price, elasticity, saturation_price)
