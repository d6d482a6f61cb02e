"""Capex-implied elasticity: what the hyperscalers' 2025 capex plans say about the elasticity.

In the isoelastic model compute spend grows on the trend by

    X(t+1) / X(t) = (1 + g) P^(eps - 1),        P = 2^(1/T_hw + 1/T_alg),

where P is the yearly fall of the price of useful work (hardware price-performance times
algorithmic efficiency) and g the growth of demand at a constant price. A plan made after news of
an efficiency shock of size S covering a share phi of demand also carries the Jevons factor of the
part of the shock adopted by the plan's horizon, w (see :mod:`model.engine.efficiency`):

    J(eps) = 1 - phi w + phi w S^(eps - 1).

So the log growth a plan implies over its base year is

    y = log(1 + g) + (eps - 1) log P + [post-news] log J(eps) + firm effect + measurement error.

**What is and is not identified.** One growth figure fixes only log(1 + g) + (eps - 1) log P:
a ridge in the (eps, g) plane along which a higher elasticity is offset by slower demand growth.
Plans alone cannot separate the two. Three things can, each under a stated assumption:

* the **revision** of a plan against the street's expectation just before it (Meta's 60-65 against
  51.3, Alphabet's 75 against 59.7). The expectation already contained g and the trend, so the
  ratio plan/expectation holds only the news term log J(eps) plus other news (Q4 results, say) and
  any habitual gap between street and plan. With the gap estimated from plans made *before* the
  DeepSeek news (Meta's), the difference of revisions identifies log J(eps) (a
  difference-in-differences of two firms: weak);
* the **contrast** of plans made before the news (Microsoft 3 January, Meta 24 January) and after
  it (Alphabet 4 February, Amazon 6 February), against firm-to-firm differences in demand growth;
* a **prior on g**: because P is large (about 3.7 a year on the trend), a moderate prior on g pins
  the elasticity close to the value that makes the trend reproduce the planned growth. The result
  then depends on that prior; :func:`growth_prior_sensitivity` shows how much.

The posterior over (eps, g) is computed on a grid (vectorised; the uncertain trends, the news size
S, its coverage phi and diffusion are integrated out by Monte Carlo with the market-implied
estimate's own prior, :class:`model.calibration.market.MarketPrior`). Its marginal for eps is
reported as an :class:`~model.calibration.estimate.ElasticityEstimate` whose draws come from the
grid posterior with a seeded generator.

**Later evidence.** A fit as of a date uses what is known then (:func:`plan_table`): each firm's
latest revision of its 2025 plan, its reported 2025 capex once known (which replaces the plan),
and its 2026 plan over its 2025 actual once stated. The revisions against the street keep the
first plan, made just after the street figure. A 2026 plan carries only the news adopted in its
second year (log J at two years minus log J at one). Every figure identifies the same
combination, the growth of spend on the trend (demand growth taken as constant over the two
years), so later figures move and narrow the ridge; the elasticity along it still comes from the
prior on g, the revisions and the contrast of pre- and post-news figures, and moves with them.

The as-of rule: only facts rows dated on or before ``as_of`` are read (:func:`plan_table`); a
firm enters when its plan and its base-year capex are both known.

The package holds one module per part of the fit: :mod:`~model.calibration.capex.plans` (which
facts play which role), :mod:`~model.calibration.capex.assumptions`,
:mod:`~model.calibration.capex.observations`, :mod:`~model.calibration.capex.grid_posterior` and
:mod:`~model.calibration.capex.capex_fit`; every name is re-exported here.
"""

from __future__ import annotations

from model.calibration.capex.assumptions import CapexAssumptions
from model.calibration.capex.capex_fit import (
    CapexFit,
    assumption_variants,
    fit_capex,
    fit_observations,
    growth_prior_sensitivity,
)
from model.calibration.capex.grid_posterior import (
    Grid,
    Likelihood,
    elasticity_log_likelihood,
    grid_likelihood,
    log_growth_prior,
)
from model.calibration.capex.observations import LN2, Nuisance, Observations, plan_table
from model.calibration.capex.plans import ALL_PLANS, NEXT_PLANS, PLANS, PlanSpec
from model.calibration.grid_density import interval_from_grid, normalise, quantiles_from_grid
from model.engine.closed_forms import jevons_factor

__all__ = [
    "ALL_PLANS", "LN2", "NEXT_PLANS", "PLANS", "CapexAssumptions", "CapexFit", "Grid", "Likelihood", "Nuisance", "Observations",
    "PlanSpec", "assumption_variants", "elasticity_log_likelihood", "fit_capex", "fit_observations", "grid_likelihood",
    "growth_prior_sensitivity", "interval_from_grid", "jevons_factor", "log_growth_prior", "normalise", "plan_table",
    "quantiles_from_grid",
]
