"""Demand for useful work as a function of its price (relative to the base year).

Each demand curve gives the quantity of useful work and the spend on it at a relative price p
(price / base-year price), relative to their values at p = 1 in the same year, so every curve
passes through the same reference path on the no-news, constant-price path. Point elasticities
are returned for the book and the tests.

The curves
----------
* ``isoelastic``: U = D p^-eps, constant elasticity eps; spend is unbounded as p falls when
  eps > 1. Kept for the identities (S^(eps - 1)) and the textbook chapter.
* ``saturating``: U = D / (1 + (p / p_sat)^eps), the elasticity falls from eps towards 0.
* ``budget-share``: compute is one input in a CES aggregate whose buyers spend a budget B
  (the standard way to bound derived demand). With substitution elasticity sigma between
  compute and the other inputs and final-demand elasticity eta of the aggregate,

      share of compute     s(p)  = s_bar p^(1-sigma) / P^(1-sigma),
      price index          P^(1-sigma) = (1 - s_bar) + s_bar p^(1-sigma),
      budget               B(p)  = B_bar P^(1-eta),
      compute spend        X(p)  = s(p) B(p)  <  B(p),

  where s_bar is the share compute would have at p = 1. Its point price elasticity is the
  Hicks-Marshall rule eps(p) = (1 - s) sigma + s eta: close to sigma while compute is a small
  share of the budget, moving to eta as the share rises. Backfire (spend rising as compute gets
  cheaper) needs sigma > 1 (Saunders' condition in production-function form) and dies out as
  the share approaches 1 when eta <= 1. With eta = 1 the budget does not respond to prices.

The registry
------------
:data:`CURVES` is the one place that lists the demand curves a segment can have (a
:class:`Curve` each); :data:`FORMS` lists the values of the scenario key ``demand.form``: every
curve, plus ``segments`` (parts of demand, each with its own curve). The schema's allowed values
and the engine both read these tables, so a form that is not registered is rejected when a
scenario is loaded and cannot silently run as another. Persistence (the lag of quantities
behind their long-run level) is not a form: ``demand.persistence`` applies to every form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Shape:
    """Parameters of one demand curve: scalars, (n, 1) columns of draws or (n|1, T) paths.

    ``log_odds`` is ln(s_bar / (1 - s_bar)), the log odds of compute's budget share at the
    base-year price (``budget-share`` only; see :func:`log_odds_path`).
    """

    elasticity: object = 1.0
    saturation_price: object = 0.01
    substitution: object = 1.0
    final_elasticity: object = 1.0
    log_odds: object = None


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


# --- budget share -------------------------------------------------------------------------------


def log_odds_path(base_spend, budget, t, demand_growth, budget_growth, log_demand_growth=None):
    """ln odds of compute's share at the base-year price in year t (t = years since the base).

    In the base year the share is base_spend / budget; after it the odds move by
    (1 + g_D) / (1 + g_B) a year, so while the share is small compute spend at a constant price
    grows at the demand growth g_D, as in the isoelastic form, whatever the budget's growth g_B.
    ``log_demand_growth``, if given, is the cumulative log demand growth to t instead of
    t ln(1 + g_D) (a growth that fades, :func:`model.engine.growth.log_growth`).
    """
    base_spend, budget = np.asarray(base_spend, float), np.asarray(budget, float)
    t = np.asarray(t, float)
    if log_demand_growth is None:
        return (np.log(base_spend) - np.log(budget - base_spend)
                + t * (np.log1p(demand_growth) - np.log1p(budget_growth)))
    return (np.log(base_spend) - np.log(budget - base_spend)
            + (np.asarray(log_demand_growth, float) - t * np.log1p(budget_growth)))


def _log_sigmoid(x):
    """ln(1 / (1 + e^-x)) without overflow."""
    return -np.logaddexp(0.0, -x)


def budget_share_logs(log_price, substitution, final_elasticity, log_odds):
    """ln s(p) and ln P(p) of the budget-share curve (see the module docstring).

    Works in logs: ln P^(1-sigma) = ln((1 - s_bar) + s_bar e^z) with z = (1 - sigma) ln p, taken
    as ``log1p(s_bar expm1(z))`` near z = 0 (sigma close to 1) and as a log-sum-exp otherwise;
    at sigma = 1 exactly ln P = s_bar ln p (Cobb-Douglas).
    """
    log_price = np.asarray(log_price, float)
    sigma = np.asarray(substitution, float)
    one_minus = 1.0 - sigma
    z = one_minus * log_price
    log_bar = _log_sigmoid(log_odds)
    log_rest = _log_sigmoid(-np.asarray(log_odds, float))
    small = np.abs(z) < 0.5
    with np.errstate(over="ignore", invalid="ignore"):
        near = np.log1p(np.exp(log_bar) * np.expm1(np.where(small, z, 0.0)))
    far = np.logaddexp(log_rest, log_bar + z)
    log_index = np.where(small, near, far)  # ln P^(1 - sigma)
    cobb_douglas = one_minus == 0.0
    log_p_index = np.where(cobb_douglas, np.exp(log_bar) * log_price,
                           log_index / np.where(cobb_douglas, 1.0, one_minus))
    log_share = log_bar + z - log_index
    return log_share, log_p_index


def budget_share_elasticity(share, substitution, final_elasticity):
    """Hicks-Marshall point elasticity of derived demand: (1 - s) sigma + s eta."""
    share = np.asarray(share, float)
    return (1.0 - share) * np.asarray(substitution, float) + share * np.asarray(final_elasticity, float)


def _budget_logs(log_price, shape: Shape):
    eta = np.asarray(shape.final_elasticity, float)
    if np.all(eta == 1.0):  # the budget does not respond to prices: no price index needed
        log_odds = np.asarray(shape.log_odds, float)
        z = (1.0 - np.asarray(shape.substitution, float)) * log_price
        # s / s_bar = e^z / ((1 - s_bar) + s_bar e^z) = (1 + e^-lo) / (1 + e^(-lo - z))
        log_spend = np.logaddexp(0.0, -log_odds) - np.logaddexp(0.0, -log_odds - z)
        return np.exp(log_spend - log_price), np.exp(log_spend), 1.0
    log_share, log_p_index = budget_share_logs(log_price, shape.substitution,
                                               shape.final_elasticity, shape.log_odds)
    log_budget = (1.0 - np.asarray(shape.final_elasticity, float)) * log_p_index  # ln B / B_bar
    log_spend = log_share - _log_sigmoid(np.asarray(shape.log_odds, float)) + log_budget
    spend = np.exp(log_spend)  # X(p) / X(1)
    return spend * np.exp(-log_price), spend, np.exp(log_budget)


def _budget_relative(p, shape: Shape):
    return _budget_logs(np.log(p), shape)[0]


def _budget_point(p, shape: Shape):
    log_share, _ = budget_share_logs(np.log(p), shape.substitution, shape.final_elasticity, shape.log_odds)
    return budget_share_elasticity(np.exp(log_share), shape.substitution, shape.final_elasticity)


# --- registry -----------------------------------------------------------------------------------


def _isoelastic_logs(log_price, shape: Shape):
    eps = np.asarray(shape.elasticity, float)
    return np.exp(-eps * log_price), np.exp((1.0 - eps) * log_price), None


def _saturating_logs(log_price, shape: Shape):
    eps = np.asarray(shape.elasticity, float)
    log_sat = np.log(shape.saturation_price)
    q = (1.0 + np.exp(-eps * log_sat)) / (1.0 + np.exp(eps * (log_price - log_sat)))
    return q, q * np.exp(log_price), None


def _isoelastic_relative(p, shape: Shape):
    return isoelastic(p, shape.elasticity)


def _saturating_relative(p, shape: Shape):
    return (saturating(p, shape.elasticity, shape.saturation_price)
            / saturating(1.0, shape.elasticity, shape.saturation_price))


def _isoelastic_point(p, shape: Shape):
    eps = np.asarray(shape.elasticity, dtype=float)
    return np.broadcast_to(eps, np.broadcast(p, eps).shape)


def _saturating_point(p, shape: Shape):
    return saturating_elasticity(p, shape.elasticity, shape.saturation_price)


@dataclass(frozen=True)
class Curve:
    """One registered demand curve.

    ``logs(log_price, shape)`` returns, from ln p, the quantity and the spend relative to their
    values at p = 1 and the budget relative to its value at p = 1 (``None`` for a curve without
    a budget); ``relative(p, shape)`` is the relative quantity in levels; ``point_elasticity(p,
    shape)`` is -d ln U / d ln p. ``bounded`` says whether spend is bounded by a budget.
    """

    name: str
    description: str
    logs: Callable
    relative: Callable
    point_elasticity: Callable
    bounded: bool = False


CURVES: dict[str, Curve] = {
    "budget-share": Curve("budget-share", "compute's CES share of a budget B: elasticity "
                          "(1 - s) sigma + s eta, falling from sigma towards eta as the share s "
                          "rises; spend never exceeds the budget",
                          _budget_logs, _budget_relative, _budget_point, bounded=True),
    "isoelastic": Curve("isoelastic", "U = D p^-eps: constant elasticity eps (unbounded spend)",
                        _isoelastic_logs, _isoelastic_relative, _isoelastic_point),
    "saturating": Curve("saturating", "U = D / (1 + (p / p_sat)^eps): the elasticity falls from "
                        "eps towards 0 as the price falls below p_sat",
                        _saturating_logs, _saturating_relative, _saturating_point),
}

# Structures of demand built from the curves (values of demand.form that are not a curve).
STRUCTURES: dict[str, str] = {
    "segments": "parts of demand (training, inference...), each with its own curve and parameters",
}
FORMS: tuple[str, ...] = (*CURVES, *STRUCTURES)  # the allowed values of demand.form

# Form values that were removed, with what to write instead (shown by the scenario loader).
REMOVED_FORMS: dict[str, str] = {
    "partial-adjustment": "persistence is no longer a form: keep demand.form (for example "
                          "'isoelastic') and set demand.persistence = lambda, which now applies "
                          "to every form and acts on deviations from the no-news path",
}


def curve(name: str) -> Curve:
    """The registered curve ``name``; ValueError naming the allowed curves otherwise."""
    try:
        return CURVES[name]
    except KeyError:
        raise ValueError(f"unknown demand curve {name!r}; allowed: {', '.join(CURVES)}") from None


def curve_of_form(form: str) -> str:
    """The curve a single-segment scenario of ``demand.form`` = ``form`` uses.

    A curve is its own form; ``segments`` has one curve per segment and no single curve.
    Anything else is a ValueError: no form falls back to another.
    """
    if form in CURVES:
        return form
    if form == "segments":
        raise ValueError("demand.form 'segments' has one curve per segment (demand.segments[].form)")
    if form in REMOVED_FORMS:
        raise ValueError(f"demand.form {form!r} was removed: {REMOVED_FORMS[form]}")
    raise ValueError(f"unknown demand form {form!r}; allowed: {', '.join(FORMS)}")


def _shape(shape: Shape | None, elasticity, saturation_price) -> Shape:
    if shape is not None:
        return shape
    return Shape(elasticity=elasticity, saturation_price=saturation_price)


def relative_quantity(p, form: str, elasticity=None, saturation_price=0.01, shape: Shape | None = None):
    """Quantity demanded at relative price p, divided by the quantity at p = 1."""
    return curve(form).relative(p, _shape(shape, elasticity, saturation_price))


def point_elasticity(p, form: str, elasticity=None, saturation_price=0.01, shape: Shape | None = None):
    """-d ln U / d ln p at relative price p."""
    return curve(form).point_elasticity(p, _shape(shape, elasticity, saturation_price))


def quantity_and_spend(log_price, form: str, elasticity=None, saturation_price=0.01,
                       shape: Shape | None = None):
    """Relative quantity f(p)/f(1) and relative spend p f(p)/f(1), from ln p.

    Works in logs so a large Monte Carlo run needs one or two ``exp`` per element and no
    ``power``; equal to :func:`relative_quantity` (and ``p *`` it).
    """
    q, x, _ = curve(form).logs(log_price, _shape(shape, elasticity, saturation_price))
    return q, x
