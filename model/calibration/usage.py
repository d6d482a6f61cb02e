"""Usage evidence: what the token volumes stated after the cutoff say about the elasticity.

The model of one series ``i`` (annual log growth ``y_i`` of tokens processed):

    y_i = eps * d + (1 - eps) * r + s + e_i

* ``d``: the yearly log fall of the price of a token at constant capability;
* ``r``: reasoning-token intensity, the yearly log growth of tokens per task. More tokens per task
  is not a price fall: the price of a task falls by ``d - r`` only, and tasks, not tokens, are
  what demand responds to; so tokens grow by ``r`` plus the task demand ``eps (d - r) + s``;
* ``s``: the demand shift, the growth of demand at a constant price (new users, new products);
* ``e_i``: the series' own noise (who counts what: one firm's products, one router's traffic),
  ``noise_sd`` a year, larger for growth measured over a shorter span.

What identifies ``eps``: only ``eps * (d - r) + r + s`` is observed, common to every series, so
``eps = (y - r - s) / (d - r)``. The data identify the elasticity only given priors on the price
fall ``d``, the intensity ``r`` and above all the shift ``s``: however many series, the
estimate's spread never falls below ``shift_sd / (d - r)``. :attr:`UsageEvidence.ranges` shows the
estimate over a range of defensible shift (and intensity and price) priors.

The priors are Gaussian and independent; ``d``, ``r`` and ``s`` are shared by the series, so the
series are correlated and the likelihood of ``eps`` is the closed-form Gaussian one
(Sherman-Morrison for the common component), on a grid of elasticities. The estimate is the
posterior under a flat prior on the grid (0, 3]. Every function reads only facts dated on or before
the as-of date; before the first usage fact is known, :func:`usage_evidence` returns None.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from model.calibration.estimate import ElasticityEstimate
from model.constants import SEED
from model.data.facts import load_facts
from model.dates import parse_date
from model.summary import Summary, interval_label, interval_text

GRID = np.linspace(0.005, 3.0, 600)  # elasticities the likelihood is evaluated on (flat prior)


@dataclass(frozen=True)
class UsageSeries:
    """One growth reading: the later token count over the earlier one (or a stated ratio), over
    ``years``."""

    label: str
    earlier: str | None  # None: ``later`` is itself a ratio
    later: str
    years: float


SERIES = (
    UsageSeries("Microsoft tokens, Q1 2025 over Q1 2024", None, "microsoft_tokens_growth_2025_q1_yoy", 1.0),
    UsageSeries("Google tokens a month, May 2024 to May 2025", "google_tokens_per_month_2024_05",
                "google_tokens_per_month_2025_05", 1.0),
    UsageSeries("Google tokens a month, May to July 2025", "google_tokens_per_month_2025_05",
                "google_tokens_per_month_2025_07", 2.0 / 12.0),
    UsageSeries("Google tokens a month, July to October 2025 (lower bound)",
                "google_tokens_per_month_2025_07", "google_tokens_per_month_2025_10_bound", 3.0 / 12.0),
    UsageSeries("Google API tokens a minute, October 2025 to February 2026 (lower bound)",
                "google_api_tokens_per_minute_2025_10", "google_api_tokens_per_minute_2026_02_bound",
                3.25 / 12.0),
    UsageSeries("OpenRouter tokens a year, 2024 to mid-2025 (lower bound)", "openrouter_tokens_per_year_2024",
                "openrouter_tokens_per_year_mid2025_bound", 1.0),
)


@dataclass(frozen=True)
class UsagePrior:
    """Priors on the terms the token volumes cannot separate (annual log growth, normal)."""

    price_fact: str = "llm_price_decline_per_year_a16z"
    """The price fall's centre: a16z's LLMflation, the price at constant capability falls about
    tenfold a year (facts trends.csv, known 2024-11-12, before any usage fact)."""
    price_sd: float = 0.8
    """Assumption: a 95% interval of about 2x to 50x a year around the tenfold fall (later
    readings sit inside it: Microsoft's cost per token "more than halved", Epoch AI's 40x a year
    at GPT-4 level)."""
    intensity_mean: float = float(np.log(2.0))
    """Assumption: reasoning models double the tokens per task each year (Huang's "a hundred
    times the computation" of early chatbots, facts statements.csv, is an upper reading)."""
    intensity_sd: float = 0.5
    """Assumption: a 95% interval of about 0.75x to 5x a year."""
    shift_mean: float = float(np.log(2.0))
    """Assumption: demand at a constant price doubles a year (new users and products)."""
    shift_sd: float = 0.5
    """Assumption: a 95% interval of about 0.75x to 5x a year."""
    noise_sd: float = 0.5
    """Assumption: a series' own noise in a year's log growth (one firm's or one router's count);
    growth over ``t`` years has sd ``noise_sd / sqrt(t)``."""

    def means(self, price_decline: float) -> np.ndarray:
        return np.array([price_decline, self.intensity_mean, self.shift_mean])

    def sds(self) -> np.ndarray:
        return np.array([self.price_sd, self.intensity_sd, self.shift_sd])


SHIFT_CENTRES = (0.0, float(np.log(1.5)), float(np.log(2.0)), float(np.log(3.0)), float(np.log(4.0)))
INTENSITY_CENTRES = (0.0, float(np.log(2.0)), float(np.log(4.0)))
PRICE_CENTRES = (float(np.log(3.0)), float(np.log(10.0)), float(np.log(30.0)))


def usage_observations(as_of) -> pd.DataFrame:
    """The growth readings known on ``as_of``: columns ``label``, ``growth`` (annual log),
    ``years``, ``sd`` (its noise), ``known`` (the later fact's date), ``bound`` (a stated bound
    enters: the growth is a lower bound), ``weak`` (a source labelled weak)."""
    facts = load_facts(parse_date(as_of, "as_of"))
    facts = facts[facts["used"]].set_index("id")
    rows = []
    for spec in SERIES:
        ids = [i for i in (spec.earlier, spec.later) if i is not None]
        if any(i not in facts.index for i in ids):
            continue
        later = facts.loc[spec.later]
        ratio = later["value"] if spec.earlier is None else later["value"] / facts.loc[spec.earlier, "value"]
        notes = " ".join(str(facts.loc[i, "note"]) for i in ids)
        rows.append({"label": spec.label, "growth": float(np.log(ratio) / spec.years), "years": spec.years,
                     "known": max(facts.loc[i, "as_of"] for i in ids),
                     "bound": "bound" in notes.lower(), "weak": "WEAK" in notes,
                     "sources": ", ".join(ids)})
    return pd.DataFrame(rows, columns=["label", "growth", "years", "known", "bound", "weak", "sources"])


def _log_likelihood(eps, y, noise_var, mean, sds) -> np.ndarray:
    """log p(y | eps) with the common terms integrated out (vectorised over ``eps``)."""
    eps = np.asarray(eps, dtype=float)
    a = np.stack([eps, 1.0 - eps, np.ones_like(eps)], axis=-1)  # (..., 3)
    m = a @ mean
    v = (a * a) @ (sds * sds)  # variance of the common term
    precision = 1.0 / noise_var
    lam = precision.sum()
    resid = y - m[..., None]  # (..., n)
    q = (resid * resid * precision).sum(-1) - v * (resid * precision).sum(-1) ** 2 / (1.0 + v * lam)
    logdet = np.log(noise_var).sum() + np.log1p(v * lam)
    return -0.5 * (y.size * np.log(2.0 * np.pi) + logdet + q)


def _estimate(log_lik: np.ndarray, draws: int, seed: int, notes: tuple[str, ...]) -> ElasticityEstimate:
    weights = np.exp(log_lik - log_lik.max())
    cdf = np.cumsum(weights)
    cdf /= cdf[-1]
    rng = np.random.default_rng([seed, 61])
    cell = np.minimum(np.searchsorted(cdf, rng.uniform(size=draws)), GRID.size - 1)
    step = GRID[1] - GRID[0]
    values = np.clip(GRID[cell] + rng.uniform(-0.5, 0.5, draws) * step, 1e-6, None)
    return ElasticityEstimate("usage-implied (token volumes)", values, notes=notes)


@dataclass(frozen=True)
class UsageEvidence:
    """The elasticity the token volumes known on ``as_of`` imply, given priors on the rest."""

    as_of: pd.Timestamp
    table: pd.DataFrame
    prior: UsagePrior
    price_decline: float  # the prior's centre of d, read from the facts
    estimate: ElasticityEstimate
    ranges: pd.DataFrame = field(default_factory=pd.DataFrame)
    name: str = "usage"

    @property
    def _y(self) -> np.ndarray:
        return self.table["growth"].to_numpy(dtype=float)

    @property
    def _noise_var(self) -> np.ndarray:
        return self.prior.noise_sd ** 2 / self.table["years"].to_numpy(dtype=float)

    def log_likelihood(self, eps: np.ndarray) -> np.ndarray:
        """log p(token growth | eps) on ``eps`` (any shape), the price fall, intensity and shift
        integrated out under their priors."""
        return _log_likelihood(eps, self._y, self._noise_var, self.prior.means(self.price_decline),
                               self.prior.sds())

    def terms_given(self, eps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Posterior means and covariances of (d, r, s) given the series and each ``eps``:
        shapes (n, 3) and (n, 3, 3)."""
        eps = np.atleast_1d(np.asarray(eps, dtype=float))
        a = np.stack([eps, 1.0 - eps, np.ones_like(eps)], axis=-1)
        mean, var = self.prior.means(self.price_decline), self.prior.sds() ** 2
        precision = 1.0 / self._noise_var
        lam = precision.sum()
        ybar = float((self._y * precision).sum() / lam)
        sa = a * var  # Sigma a, (n, 3)
        denom = (a * sa).sum(-1) + 1.0 / lam
        post_mean = mean + sa * ((ybar - a @ mean) / denom)[:, None]
        post_cov = np.diag(var)[None] - sa[:, :, None] * sa[:, None, :] / denom[:, None, None]
        return post_mean, post_cov

    def spend_growth_given(self, eps: np.ndarray) -> dict[str, np.ndarray]:
        """The usage reading of annual log growth of spend on inference, for each ``eps``:
        tokens times the price per token, ``(eps - 1)(d - r) + s``, split into the shift ``s``,
        the price term ``(eps - 1) d`` and the intensity term ``(1 - eps) r``, with the sd of
        their sum (``sd``)."""
        eps = np.atleast_1d(np.asarray(eps, dtype=float))
        mean, cov = self.terms_given(eps)
        b = np.stack([eps - 1.0, 1.0 - eps, np.ones_like(eps)], axis=-1)
        sd = np.sqrt(np.einsum("ni,nij,nj->n", b, cov, b))
        return {"shift": mean[:, 2], "price": (eps - 1.0) * mean[:, 0], "intensity": (1.0 - eps) * mean[:, 1],
                "total": (b * mean).sum(-1), "sd": sd}

    def summary(self) -> Summary:
        lo, hi = self.estimate.interval
        shown = self.table.assign(growth=lambda t: np.exp(t["growth"]).round(1).astype(str) + "x a year",
                                  known=lambda t: t["known"].dt.strftime("%Y-%m-%d"))
        return Summary.of(
            f"Usage-implied elasticity as of {self.as_of:%Y-%m-%d} (token volumes)",
            [("median", f"{self.estimate.median:.2f}"), (interval_label("elasticity"), interval_text((lo, hi))),
             ("series", len(self.table)), ("identified by", identification(self.prior, self.price_decline))],
            tables=[("series", shown[["label", "growth", "years", "known", "bound", "weak"]]),
                    ("the estimate under other priors", self.ranges)],
            notes=self.estimate.notes)

    def to_dict(self) -> dict:
        return {
            "name": self.name, "as_of": f"{self.as_of:%Y-%m-%d}", **self.estimate.to_dict(),
            "identification": identification(self.prior, self.price_decline),
            "series": [{"label": r.label, "annual_log_growth": r.growth, "years": r.years,
                        "known": f"{r.known:%Y-%m-%d}", "bound": bool(r.bound), "weak": bool(r.weak),
                        "sources": r.sources} for r in self.table.itertuples()],
            "prior": {"price_decline": [self.price_decline, self.prior.price_sd],
                      "intensity": [self.prior.intensity_mean, self.prior.intensity_sd],
                      "shift": [self.prior.shift_mean, self.prior.shift_sd], "noise_sd": self.prior.noise_sd},
            "ranges": self.ranges.to_dict(orient="records"),
        }


def identification(prior: UsagePrior, price_decline: float) -> str:
    floor = prior.shift_sd / max(price_decline - prior.intensity_mean, 1e-9)
    return ("token growth = eps x (price fall - intensity) + intensity + demand shift: eps only "
            f"given priors on the shift (centre {prior.shift_mean:+.2f}, sd {prior.shift_sd:.2f} a year), "
            f"the intensity ({prior.intensity_mean:+.2f}, sd {prior.intensity_sd:.2f}) and the price fall "
            f"({price_decline:+.2f}, sd {prior.price_sd:.2f}); the shift alone leaves an sd of at least "
            f"{floor:.2f} in eps whatever the number of series")


def _ranges(table: pd.DataFrame, prior: UsagePrior, price_decline: float, draws: int, seed: int) -> pd.DataFrame:
    y = table["growth"].to_numpy(dtype=float)
    noise = prior.noise_sd ** 2 / table["years"].to_numpy(dtype=float)
    rows = []
    variants = ([("demand shift", c, replace(prior, shift_mean=c), price_decline) for c in SHIFT_CENTRES]
                + [("reasoning intensity", c, replace(prior, intensity_mean=c), price_decline)
                   for c in INTENSITY_CENTRES]
                + [("price fall", c, prior, c) for c in PRICE_CENTRES])
    for term, centre, p, d in variants:  # a handful of prior variants: a loop over structure
        est = _estimate(_log_likelihood(GRID, y, noise, p.means(d), p.sds()), draws, seed, ())
        lo, hi = est.interval
        rows.append({"prior on": term, "centre (x a year)": round(float(np.exp(centre)), 2),
                     "median": round(est.median, 3), "low": round(lo, 3), "high": round(hi, 3)})
    return pd.DataFrame(rows)


def usage_evidence(as_of, *, prior: UsagePrior | None = None, draws: int = 4000,
                   seed: int = SEED) -> UsageEvidence | None:
    """The usage evidence known on ``as_of``; None before any token-volume series is known."""
    stamp = parse_date(as_of, "as_of")
    prior = prior or UsagePrior()
    table = usage_observations(stamp)
    if table.empty:
        return None
    price_decline = float(np.log(load_facts(stamp).set_index("id").loc[prior.price_fact, "value"]))
    return evidence_from(stamp, table, prior, price_decline, draws=draws, seed=seed)


def evidence_from(as_of: pd.Timestamp, table: pd.DataFrame, prior: UsagePrior, price_decline: float,
                  *, draws: int = 4000, seed: int = SEED) -> UsageEvidence:
    """The evidence of a table of growth readings (columns ``label``, ``growth``, ``years``,
    ``known``, ``bound``, ``weak``, ``sources``): the facts' or a simulated one."""
    y = table["growth"].to_numpy(dtype=float)
    noise = prior.noise_sd ** 2 / table["years"].to_numpy(dtype=float)
    log_lik = _log_likelihood(GRID, y, noise, prior.means(price_decline), prior.sds())
    notes = (identification(prior, price_decline),
             f"{len(table)} series known by {as_of:%Y-%m-%d}; bounds enter as values (their growth is "
             "a lower bound)")
    estimate = _estimate(log_lik, draws, seed, notes)
    return UsageEvidence(as_of, table, prior, price_decline, estimate,
                         _ranges(table, prior, price_decline, draws, seed))
