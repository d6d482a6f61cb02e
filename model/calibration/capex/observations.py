"""The observations of the capex-implied fit: the plans as of a date (:func:`plan_table`), the
numbers the likelihood sees (:class:`Observations`) and the draws it integrates out
(:class:`Nuisance`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.calibration.capex.plans import ALL_PLANS, PlanSpec
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


def _latest_plan(facts: pd.DataFrame, spec: PlanSpec) -> tuple[dict | None, str]:
    """The plan as known from ``facts``: the reported actual once known, else the latest vintage
    of the plan (by the date it was stated), else None; and which it is."""
    if spec.actual:
        actual = _point(facts, (spec.actual,), spec.actual_rounding)
        if actual is not None:
            return actual, "actual"
    known = [p for p in (_point(facts, ids, spec.plan_rounding) for ids in (spec.plan, *spec.vintages))
             if p is not None]
    if not known:
        return None, "none"
    latest = max(range(len(known)), key=lambda i: (known[i]["as_of"], i))  # ties: the later vintage
    return known[latest], ("plan" if latest == 0 and known[0]["ids"] == ",".join(spec.plan)
                           else "revised plan")


def plan_table(as_of, plans: tuple[PlanSpec, ...] = ALL_PLANS, facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per plan whose figure and base-year capex are both known on ``as_of``.

    A firm's 2025 row holds the latest figure known then: its reported 2025 capex once known
    (``kind`` "actual"), else the latest vintage of its plan ("revised plan") or the first plan
    ("plan"); the 2026 plans enter once stated (:data:`~model.calibration.capex.plans.NEXT_PLANS`).

    Columns: firm, period, year, kind, plan (the figure used), plan_low, plan_high, plan_label,
    plan_as_of, plan_ids, guidance (the latest plan, never the actual) and guidance_label, base,
    base_as_of, base_label, growth (log of plan/base), growth_sd (measurement), post_news (figure
    dated on or after the news of 27 January 2025), news_from and news_to (years after the plan
    horizon at which the base and the figure carry the news; NaN: none), street, street_as_of,
    revision (log of the first plan over the street, NaN without a street figure), revision_sd.

    Raises
    ------
    JevonsError
        When no firm has both figures by ``as_of``.
    """
    stamp = parse_date(as_of, "as_of")
    facts = load_facts(stamp) if facts is None else facts[facts["as_of"] <= stamp]
    news = pd.Timestamp(EVENT_DATE)
    rows = []
    for spec in plans:  # a handful of firm-years: a loop over structure, not over draws
        plan, kind = _latest_plan(facts, spec)
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
        first = _point(facts, spec.plan, spec.plan_rounding)
        street = _point(facts, (spec.street,), 0.0) if spec.street and first is not None else None
        guidance = [p for p in (_point(facts, ids, spec.plan_rounding) for ids in (spec.plan, *spec.vintages))
                    if p is not None]
        latest_guidance = max(guidance, key=lambda p: p["as_of"]) if guidance else plan
        post = bool(plan["as_of"] >= news)
        if spec.years_after:
            news_from, news_to = float(spec.years_after - 1), float(spec.years_after)
        else:
            news_from, news_to = np.nan, (0.0 if post else np.nan)
        rows.append({
            "firm": spec.firm, "period": spec.period, "year": spec.year, "kind": kind,
            "plan": plan["value"], "plan_low": plan["low"], "plan_high": plan["high"],
            "plan_label": plan["label"] + (" (actual)" if kind == "actual" else ""),
            "plan_as_of": plan["as_of"], "plan_ids": plan["ids"],
            "guidance": latest_guidance["value"], "guidance_label": latest_guidance["label"],
            "base": base, "base_as_of": base_as_of, "base_label": base_label,
            "growth": float(np.log(plan["value"] / base)),
            "growth_sd": float(np.hypot(plan["log_sd"], base_sd)),
            "post_news": post, "news_from": news_from, "news_to": news_to,
            "street": np.nan if street is None else street["value"],
            "street_as_of": pd.NaT if street is None else street["as_of"],
            "revision": np.nan if street is None else float(np.log(first["value"] / street["value"])),
            "revision_sd": np.nan if street is None else float(np.hypot(first["log_sd"], street["log_sd"])),
            "revision_post_news": None if street is None else bool(first["as_of"] >= news),
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
    news_from: np.ndarray | None = None
    """Per growth figure: years after the plan horizon at which its base year carries the news
    (NaN: not at all). None: every base is before the news."""
    news_to: np.ndarray | None = None
    """Per growth figure: the same for the figure itself. None: at the horizon for the figures
    flagged ``growth_post_news``, NaN for the others."""

    @classmethod
    def from_table(cls, table: pd.DataFrame) -> Observations:
        rev = table[table["revision"].notna()]
        post = table["post_news"].to_numpy(bool)
        news_from = (table["news_from"].to_numpy(float) if "news_from" in table
                     else np.full(post.size, np.nan))
        news_to = table["news_to"].to_numpy(float) if "news_to" in table else np.where(post, 0.0, np.nan)
        rev_post = (rev["revision_post_news"] if "revision_post_news" in rev else rev["post_news"])
        return cls(
            growth=table["growth"].to_numpy(float), growth_sd=table["growth_sd"].to_numpy(float),
            growth_post_news=post,
            revision=rev["revision"].to_numpy(float), revision_sd=rev["revision_sd"].to_numpy(float),
            revision_post_news=rev_post.to_numpy(bool), news_from=news_from, news_to=news_to,
        )

    def horizons(self) -> tuple[np.ndarray, np.ndarray]:
        """``news_from`` and ``news_to`` with their defaults filled in."""
        n = self.growth.size
        start = np.full(n, np.nan) if self.news_from is None else np.asarray(self.news_from, dtype=float)
        end = (np.where(self.growth_post_news, 0.0, np.nan) if self.news_to is None
               else np.asarray(self.news_to, dtype=float))
        return start, end


@dataclass(frozen=True)
class Nuisance:
    """Draws of what the fit integrates out: log P (the yearly fall of the price of useful work,
    log scale), the news size S, its coverage phi and the share w of it adopted by the plans'
    horizon."""

    log_price_fall: np.ndarray
    factor: np.ndarray
    coverage: np.ndarray
    adopted: np.ndarray
    diffusion_years: np.ndarray | None = None
    """Years to half adoption (to compute the share adopted at later horizons)."""
    horizon_years: float | None = None
    """The horizon at which ``adopted`` is the share adopted."""

    @classmethod
    def from_prior(cls, prior: MarketPrior, draws: int, seed: int, horizon_years: float) -> Nuisance:
        return cls.from_inputs(draw_market_inputs(prior, draws, seed), horizon_years)

    @classmethod
    def from_inputs(cls, inputs: dict[str, np.ndarray], horizon_years: float) -> Nuisance:
        """From draws of :func:`~model.calibration.market.draw_market_inputs` (so another fit
        that draws the same inputs shares these draws)."""
        log_fall = LN2 * (1.0 / inputs["hardware_doubling_years"] + 1.0 / inputs["efficiency_doubling_years"])
        adopted = diffusion_weight(np.asarray(horizon_years, dtype=float), 0.0,
                                   inputs["diffusion_years"], "logistic")
        return cls(log_fall, inputs["factor"], inputs["coverage"], np.asarray(adopted, dtype=float),
                   inputs["diffusion_years"], float(horizon_years))

    def log_jevons(self, eps: np.ndarray, years_after: float = 0.0) -> np.ndarray:
        """log J(eps) for every eps (rows) and draw (columns), with the share adopted
        ``years_after`` years after the plan horizon."""
        if years_after == 0.0:
            adopted = self.adopted
        elif self.diffusion_years is None or self.horizon_years is None:
            raise JevonsError("capex nuisance: later horizons need the diffusion draws")
        else:
            adopted = np.asarray(diffusion_weight(np.asarray(self.horizon_years + years_after, dtype=float),
                                                  0.0, self.diffusion_years, "logistic"), dtype=float)
        share = (self.coverage * adopted)[None, :]
        return np.log(jevons_factor(np.asarray(eps, dtype=float)[:, None], self.factor[None, :], share))

    def news_terms(self, eps: np.ndarray, obs: Observations) -> np.ndarray:
        """The news term of every growth figure: log J at the figure's horizon minus log J at its
        base's (zero where neither carries the news), shape (eps, draws, figures)."""
        start, end = obs.horizons()
        eps = np.asarray(eps, dtype=float)
        out = np.zeros((eps.size, self.factor.size, start.size))
        cache: dict[float, np.ndarray] = {}
        for i, (a, b) in enumerate(zip(start, end, strict=True)):  # a few figures: structure
            for h, sign in ((b, 1.0), (a, -1.0)):
                if np.isfinite(h):
                    if h not in cache:
                        cache[h] = self.log_jevons(eps, h)
                    out[:, :, i] += sign * cache[h]
        return out
