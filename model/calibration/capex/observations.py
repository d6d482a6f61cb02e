"""The observations of the capex-implied fit: the plans as of a date (:func:`plan_table`), the
numbers the likelihood sees (:class:`Observations`) and the draws it integrates out
(:class:`Nuisance`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.calibration.capex.plans import PLANS, PlanSpec
from model.calibration.market import MarketPrior, draw_market_inputs
from model.constants import EVENT_DATE
from model.data.facts import load_facts
from model.dates import parse_date
from model.engine.closed_forms import jevons_factor
from model.engine.efficiency import diffusion_weight
from model.errors import JevonsError

LN2 = float(np.log(2.0))
_SQRT12 = float(np.sqrt(12.0))


def _log_sd_uniform(low: float, high: float) -> float:
    """Log sd of a quantity known only to lie in [low, high] (uniform)."""
    return float(np.log(high / low) / _SQRT12) if high > low else 0.0


def _rounding_sd(value: float, unit: float) -> float:
    return _log_sd_uniform(value - unit / 2.0, value + unit / 2.0) if unit > 0 else 0.0


def _point(facts: pd.DataFrame, ids: tuple[str, ...], rounding: float) -> dict | None:
    """A plan or expectation from its facts rows: centre, range, log sd, date (None if unknown)."""
    rows = facts.set_index("id")
    if any(i not in rows.index for i in ids):
        return None
    values = [float(rows.loc[i, "value"]) for i in ids]
    dates = [rows.loc[i, "as_of"] for i in ids]
    if len(ids) == 2:
        low, high = sorted(values)
        centre, label = 0.5 * (low + high), f"{low:g}-{high:g}"
    else:
        centre = values[0]
        # variants of the used row known by then (same period, another source or framing)
        variants = facts.loc[facts["variant_of"] == ids[0], "value"].astype(float).tolist()
        low, high = min([centre, *variants]), max([centre, *variants])
        label = f"{centre:g}" + (f" (variants {', '.join(f'{v:g}' for v in variants)})" if variants else "")
    sd = float(np.hypot(_log_sd_uniform(low, high), _rounding_sd(centre, rounding)))
    return {"value": centre, "low": low, "high": high, "log_sd": sd, "as_of": max(dates),
            "label": label, "ids": ",".join(ids)}


def plan_table(as_of, plans: tuple[PlanSpec, ...] = PLANS, facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per hyperscaler whose plan and base-year capex are both known on ``as_of``.

    Columns: firm, period, plan, plan_low, plan_high, plan_label, plan_as_of, base, base_as_of,
    base_label, growth (log of plan/base), growth_sd (measurement), post_news (plan dated on or
    after the news of 27 January 2025), street, street_as_of, revision (log of plan/street, NaN
    without a street figure), revision_sd.

    Raises
    ------
    JevonsError
        When no firm has both figures by ``as_of``.
    """
    stamp = parse_date(as_of, "as_of")
    facts = load_facts(stamp) if facts is None else facts[facts["as_of"] <= stamp]
    news = pd.Timestamp(EVENT_DATE)
    rows = []
    for spec in plans:  # four firms: a loop over structure, not over draws
        plan = _point(facts, spec.plan, spec.plan_rounding)
        base_parts = _point(facts, spec.base[:1], spec.base_rounding) if spec.base else None
        if plan is None or base_parts is None:
            continue
        base, base_as_of, base_label = base_parts["value"], base_parts["as_of"], spec.base[0]
        if len(spec.base) > 1:  # a total minus the other firms
            others = [_point(facts, (i,), 0.0) for i in spec.base[1:]]
            if any(o is None for o in others):
                continue
            base -= sum(o["value"] for o in others)
            base_as_of = max([base_as_of, *(o["as_of"] for o in others)])
            base_label = f"{spec.base[0]} - " + " - ".join(spec.base[1:])
        base_sd = float(np.hypot(_rounding_sd(base, spec.base_rounding), spec.base_basis_sd))
        street = _point(facts, (spec.street,), 0.0) if spec.street else None
        rows.append({
            "firm": spec.firm, "period": spec.period,
            "plan": plan["value"], "plan_low": plan["low"], "plan_high": plan["high"],
            "plan_label": plan["label"], "plan_as_of": plan["as_of"], "plan_ids": plan["ids"],
            "base": base, "base_as_of": base_as_of, "base_label": base_label,
            "growth": float(np.log(plan["value"] / base)),
            "growth_sd": float(np.hypot(plan["log_sd"], base_sd)),
            "post_news": bool(plan["as_of"] >= news),
            "street": np.nan if street is None else street["value"],
            "street_as_of": pd.NaT if street is None else street["as_of"],
            "revision": np.nan if street is None else float(np.log(plan["value"] / street["value"])),
            "revision_sd": np.nan if street is None else float(np.hypot(plan["log_sd"], street["log_sd"])),
        })
    if not rows:
        raise JevonsError(
            f"capex-implied elasticity as of {stamp:%Y-%m-%d}: no hyperscaler has both a 2025 capex "
            "plan and its 2024 capex in the facts tables by then (data/facts/capex.csv); choose a "
            "later as_of"
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Observations:
    """The numbers the likelihood sees (arrays over firms), independent of the facts tables."""

    growth: np.ndarray
    growth_sd: np.ndarray
    growth_post_news: np.ndarray
    revision: np.ndarray
    revision_sd: np.ndarray
    revision_post_news: np.ndarray

    @classmethod
    def from_table(cls, table: pd.DataFrame) -> Observations:
        rev = table[table["revision"].notna()]
        return cls(
            growth=table["growth"].to_numpy(float), growth_sd=table["growth_sd"].to_numpy(float),
            growth_post_news=table["post_news"].to_numpy(bool),
            revision=rev["revision"].to_numpy(float), revision_sd=rev["revision_sd"].to_numpy(float),
            revision_post_news=rev["post_news"].to_numpy(bool),
        )


@dataclass(frozen=True)
class Nuisance:
    """Draws of what the fit integrates out: log P (the yearly fall of the price of useful work,
    log scale), the news size S, its coverage phi and the share w of it adopted by the plans'
    horizon."""

    log_price_fall: np.ndarray
    factor: np.ndarray
    coverage: np.ndarray
    adopted: np.ndarray

    @classmethod
    def from_prior(cls, prior: MarketPrior, draws: int, seed: int, horizon_years: float) -> Nuisance:
        inputs = draw_market_inputs(prior, draws, seed)
        log_fall = LN2 * (1.0 / inputs["hardware_doubling_years"] + 1.0 / inputs["efficiency_doubling_years"])
        adopted = diffusion_weight(np.asarray(horizon_years, dtype=float), 0.0,
                                   inputs["diffusion_years"], "logistic")
        return cls(log_fall, inputs["factor"], inputs["coverage"], np.asarray(adopted, dtype=float))

    def log_jevons(self, eps: np.ndarray) -> np.ndarray:
        """log J(eps) for every eps (rows) and draw (columns)."""
        share = (self.coverage * self.adopted)[None, :]
        return np.log(jevons_factor(np.asarray(eps, dtype=float)[:, None], self.factor[None, :], share))
