"""External evidence on the elasticity, with dates, and the prior it supports as of a date.

The evidence DESIGN.md section 3 lists, each read from the facts tables with the date it became
public:

* a16z, 2024-11-12: the price of LLM inference at constant capability falls about tenfold a year
  while token use rises. Spending rising while the price falls that fast is what eps > 1 predicts,
  but demand growth at a constant price could do the same (the ridge of
  :mod:`model.calibration.capex`) and the sources before the cutoff give no volume figure: a weak,
  qualitative signal;
* statements (Nadella's "Jevons paradox", 2025-01-27; SemiAnalysis, 2025-01-31; Jassy,
  2025-02-06): views, not data. They are listed and do not move the prior;
* the OpenRouter-based short-run elasticity of LLM token demand, about -1.11, published in
  December 2025: LATER evidence. A fit as of an earlier date may not use it; the book shows it
  beside the as-of fit.

:func:`prior` turns the evidence dated on or before ``as_of`` into an explicit distribution of eps
(the magnitude of the price elasticity, positive):

1. nothing quantitative: a weakly informative lognormal, median 1, log sd 0.6 (95% between 0.31
   and 3.2): centred on the knife-edge where spend does not respond, agnostic about its side;
2. with the a16z evidence: the same spread with the median tilted to 1.2, so P(eps > 1) is about
   0.62. The size of the tilt is a judgement, stated as such: enough to record the direction of the
   signal, too little to decide it;
3. with the OpenRouter estimate (from its date on): times a normal likelihood centred on its
   magnitude with sd 0.25 (the paper's standard error is not in the facts tables, and a short-run
   token elasticity is not the long-run elasticity of compute spend: the sd is an assumption).

The prior is returned as an :class:`~model.calibration.estimate.ElasticityEstimate` with draws from
a fine grid (seeded), so it can be combined with the other estimates like any of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.calibration.estimate import ElasticityEstimate
from model.constants import DEFAULT_AS_OF, SEED
from model.data.facts import load_facts, load_statements
from model.dates import parse_date
from model.errors import JevonsError


@dataclass(frozen=True)
class EvidenceSpec:
    """One piece of external evidence: the fact or statement id and how the project reads it."""

    id: str
    kind: str  # "quantitative", "qualitative" or "statement"
    role: str  # "tilt" (moves the prior's median), "likelihood" (multiplies it) or "none"
    reading: str


EVIDENCE: tuple[EvidenceSpec, ...] = (
    EvidenceSpec("llm_price_decline_per_year_a16z", "qualitative", "tilt",
                 "inference price at constant capability falls ~10x a year while token use rises: "
                 "spending up despite the fall points to eps >= 1, but demand growth confounds and "
                 "no volume figure is given"),
    EvidenceSpec("nadella_jevons_paradox", "statement", "none",
                 "a CEO's view that cheaper AI will be used far more: a statement, not data"),
    EvidenceSpec("semianalysis_jevons_view", "statement", "none",
                 "an analyst's view that Jevons is overhyped but nearer the truth, citing firmer "
                 "H100/H200 rental prices: a statement"),
    EvidenceSpec("amazon_cheaper_inference_more_demand", "statement", "none",
                 "Amazon's CEO expects cheaper inference to raise total AI spending: a statement"),
    EvidenceSpec("openrouter_elasticity", "quantitative", "likelihood",
                 "short-run price elasticity of LLM token demand from provider price differences "
                 "on OpenRouter: a measured elasticity just above 1 in magnitude"),
)


@dataclass(frozen=True)
class PriorSpec:
    """The parameters of the evidence prior (see the module docstring for the reasons)."""

    default_median: float = 1.0
    log_sd: float = 0.6
    tilted_median: float = 1.2
    likelihood_sd: float = 0.25
    grid: tuple[float, float, int] = (0.0, 4.0, 4000)  # the market-implied search range, cells


def evidence_table(as_of=None) -> pd.DataFrame:
    """The external evidence with dates (all of it when ``as_of`` is None).

    Columns: id, date, kind, role, value, unit, stated_by, source, reading, known (dated on or
    before ``as_of``; True for every row when ``as_of`` is None).
    """
    facts = load_facts().set_index("id")
    statements = load_statements().set_index("id")
    stamp = None if as_of is None else parse_date(as_of, "as_of")
    rows = []
    for spec in EVIDENCE:
        if spec.id in facts.index:
            row = facts.loc[spec.id]
            value, unit = float(row["value"]), row["unit"]
        elif spec.id in statements.index:
            row = statements.loc[spec.id]
            value, unit = np.nan, ""
        else:
            raise JevonsError(f"evidence {spec.id!r} is in neither the facts tables nor "
                              "statements.csv (data/facts); add the row or remove it from EVIDENCE")
        rows.append({
            "id": spec.id, "date": row["as_of"], "kind": spec.kind, "role": spec.role,
            "value": value, "unit": unit, "stated_by": row["stated_by"], "source": row["source"],
            "reading": spec.reading,
            "known": True if stamp is None else bool(row["as_of"] <= stamp),
        })
    return pd.DataFrame(rows).sort_values(["date", "id"], kind="mergesort").reset_index(drop=True)


def later_evidence(as_of) -> pd.DataFrame:
    """Evidence published after ``as_of``: for the book, beside the as-of fit, never in it."""
    table = evidence_table(as_of)
    return table[~table["known"]].reset_index(drop=True)


def _known(as_of) -> tuple[dict[str, float], pd.Timestamp]:
    """Values of the evidence usable on ``as_of`` (reads only rows dated on or before it)."""
    stamp = parse_date(as_of, "as_of")
    facts = load_facts(stamp).set_index("id")
    statements = load_statements(stamp).set_index("id")
    known = {}
    for spec in EVIDENCE:
        if spec.id in facts.index:
            known[spec.id] = float(facts.loc[spec.id, "value"])
        elif spec.id in statements.index:
            known[spec.id] = np.nan
    return known, stamp


def prior_log_density(eps: np.ndarray, as_of, spec: PriorSpec | None = None) -> tuple[np.ndarray, list[str]]:
    """Log density (up to a constant) of the evidence prior at ``eps``, and what it used."""
    spec = spec or PriorSpec()
    known, _ = _known(as_of)
    eps = np.asarray(eps, dtype=float)
    used = []
    median = spec.default_median
    for item in EVIDENCE:
        if item.id in known and item.role == "tilt":
            median = spec.tilted_median
            used.append(f"{item.id}: median tilted to {median:g}")
    with np.errstate(divide="ignore"):
        log_eps = np.log(eps)
    logpdf = np.where(eps > 0, -log_eps - 0.5 * ((log_eps - np.log(median)) / spec.log_sd) ** 2, -np.inf)
    for item in EVIDENCE:
        if item.id in known and item.role == "likelihood":
            centre = abs(known[item.id])  # the model's eps is the magnitude of the elasticity
            logpdf = logpdf - 0.5 * ((eps - centre) / spec.likelihood_sd) ** 2
            used.append(f"{item.id}: normal likelihood at {centre:g}, sd {spec.likelihood_sd:g}")
    if not used:
        used.append("no quantitative evidence yet: weakly informative default")
    return logpdf, used


def prior(as_of=DEFAULT_AS_OF, *, draws: int = 4000, seed: int = SEED,
          spec: PriorSpec | None = None) -> ElasticityEstimate:
    """The prior on eps from the external evidence dated on or before ``as_of``.

    Draws are sampled (seeded) from the density on a fine grid over the market-implied search
    range, uniform within each cell.
    """
    spec = spec or PriorSpec()
    lo, hi, cells = spec.grid
    edges = np.linspace(lo, hi, cells + 1)
    mids = 0.5 * (edges[:-1] + edges[1:])
    logpdf, used = prior_log_density(mids, as_of, spec)
    p = np.exp(logpdf - logpdf.max())
    p /= p.sum()
    rng = np.random.default_rng([seed, 30])
    cell = rng.choice(cells, size=draws, p=p)
    eps = mids[cell] + rng.uniform(-0.5, 0.5, draws) * (edges[1] - edges[0])
    stamp = parse_date(as_of, "as_of")
    return ElasticityEstimate(
        method=f"prior from external evidence dated on or before {stamp:%Y-%m-%d}",
        draws=eps, notes=(f"lognormal, log sd {spec.log_sd:g}", *used),
    )


def later_row(as_of, evidence_id: str) -> pd.Series:
    """The row of :func:`later_evidence` for ``evidence_id`` (published after ``as_of``).

    Raises
    ------
    JevonsError
        When ``evidence_id`` was already public on ``as_of`` (or is not listed).
    """
    later = later_evidence(as_of)
    rows = later[later["id"] == evidence_id]
    if rows.empty:
        raise JevonsError(f"evidence {evidence_id!r} is not later evidence as of {parse_date(as_of, 'as_of'):%Y-%m-%d}")
    return rows.iloc[0]
