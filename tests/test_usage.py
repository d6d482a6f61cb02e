"""Usage evidence (model.calibration.usage): the closed-form likelihood against a brute-force
Gaussian, a planted elasticity recovered from simulated token volumes, interval coverage, what
identifies it (the shift prior), the as-of guarantee and None before the first usage fact."""

from __future__ import annotations

import shutil
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from model.calibration import usage
from model.calibration.usage import GRID, UsagePrior, evidence_from, usage_evidence
from model.data.facts import load_facts
from model.paths import FACTS_DIR

DAY = pd.Timestamp("2026-03-31")


def table(growth, years) -> pd.DataFrame:
    growth, years = np.asarray(growth, float), np.broadcast_to(np.asarray(years, float), np.shape(growth))
    return pd.DataFrame({"label": [f"s{i}" for i in range(growth.size)], "growth": growth, "years": years,
                         "known": DAY, "bound": False, "weak": False, "sources": "simulated"})


def simulate(eps, d, r, s, years, noise_sd, rng):
    years = np.asarray(years, float)
    return eps * d + (1 - eps) * r + s + rng.normal(0, noise_sd / np.sqrt(years))


def test_the_likelihood_is_the_gaussian_with_the_common_terms_integrated_out():
    prior = UsagePrior()
    y, years = np.array([1.6, 3.9, 2.3]), np.array([1.0, 0.5, 0.25])
    ev = evidence_from(DAY, table(y, years), prior, np.log(10.0), draws=200)
    mean, sds = prior.means(np.log(10.0)), prior.sds()
    for eps in (0.3, 1.0, 1.7):
        a = np.array([eps, 1 - eps, 1.0])
        cov = (a @ np.diag(sds ** 2) @ a) * np.ones((3, 3)) + np.diag(prior.noise_sd ** 2 / years)
        want = stats.multivariate_normal(np.full(3, a @ mean), cov).logpdf(y)
        assert ev.log_likelihood(np.array([eps]))[0] == pytest.approx(want, rel=1e-10)


@pytest.mark.parametrize("planted", [0.6, 1.0, 1.5])
def test_a_planted_elasticity_is_recovered(planted):
    """Tight priors at the true price fall, intensity and shift, many series: the planted eps."""
    d, r, s = np.log(10.0), np.log(2.0), np.log(1.5)
    prior = UsagePrior(price_sd=0.02, intensity_mean=r, intensity_sd=0.02, shift_mean=s, shift_sd=0.02,
                       noise_sd=0.3)
    rng = np.random.default_rng(7)
    y = simulate(planted, d, r, s, np.ones(400), prior.noise_sd, rng)
    est = evidence_from(DAY, table(y, 1.0), prior, d).estimate
    assert est.median == pytest.approx(planted, abs=0.05)
    lo, hi = est.interval
    assert lo < planted < hi and hi - lo < 0.2


def test_intervals_cover_at_their_level_when_the_truth_is_drawn_from_the_priors():
    prior, d0 = UsagePrior(), np.log(10.0)
    rng = np.random.default_rng(11)
    years = np.array([1.0, 1.0, 1 / 6, 0.25, 1.0])
    hits = []
    for _ in range(200):  # simulated data sets: a loop over experiments, each vectorised
        eps = rng.uniform(GRID[0], GRID[-1])
        d, r, s = rng.normal(prior.means(d0), prior.sds())
        y = simulate(eps, d, r, s, years, prior.noise_sd, rng)
        lo, hi = evidence_from(DAY, table(y, years), prior, d0, draws=2000, seed=int(rng.integers(1 << 30))).estimate.interval
        hits.append(lo <= eps <= hi)
    assert 0.90 <= np.mean(hits) <= 0.99


def test_the_shift_prior_identifies_it():
    """eps = (y - r - s) / (d - r): a shift centre higher by delta lowers eps by delta / (d - r);
    and however many series, the spread stays at least shift_sd / (d - r)."""
    d, r = np.log(10.0), np.log(2.0)
    tight = UsagePrior(price_sd=0.01, intensity_mean=r, intensity_sd=0.01, shift_mean=0.3, shift_sd=0.01,
                       noise_sd=0.1)
    y = simulate(1.0, d, r, 0.3, np.ones(30), 0.1, np.random.default_rng(3))
    a = evidence_from(DAY, table(y, 1.0), tight, d).estimate.median
    b = evidence_from(DAY, table(y, 1.0), replace(tight, shift_mean=0.3 + 0.4), d).estimate.median
    assert a - b == pytest.approx(0.4 / (d - r), abs=0.02)
    wide = replace(tight, shift_sd=0.5)
    many = evidence_from(DAY, table(np.repeat(y, 20), 1.0), wide, d).estimate
    assert np.std(many.draws) >= 0.9 * 0.5 / (d - r)


def test_none_before_the_first_usage_fact_and_only_known_series(mirror):
    facts = load_facts(None).set_index("id")
    first = min(facts.loc[spec.later, "as_of"] for spec in usage.SERIES)
    assert usage_evidence(first - pd.Timedelta(days=1)) is None
    ev = usage_evidence(first)
    assert ev is not None and ev.name == "usage" and len(ev.table) >= 1
    assert (ev.table["known"] <= first).all()
    later = usage_evidence(DAY)
    assert len(later.table) > len(ev.table) and (later.table["known"] <= DAY).all()
    assert later.to_dict()["as_of"] == "2026-03-31" and later.summary().as_text()
    ranges = later.ranges[later.ranges["prior on"] == "demand shift"]
    assert ranges["median"].is_monotonic_decreasing  # more shift at a given token growth: less eps


def test_nothing_dated_after_the_as_of_date_is_used(tmp_path, monkeypatch):
    day = pd.Timestamp("2025-07-31")
    before = usage_evidence(day).to_dict()
    copy = tmp_path / "facts"
    shutil.copytree(FACTS_DIR, copy)
    for path in copy.glob("*.csv"):
        if path.name == "statements.csv":
            continue
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        later = pd.to_datetime(frame["as_of"]) > day
        frame.loc[later, "value"] = (pd.to_numeric(frame.loc[later, "value"]) * 3 + 1).map(repr)
        frame.to_csv(path, index=False)
    monkeypatch.setenv("JEVONS_FACTS_DIR", str(copy))
    assert usage_evidence(day).to_dict() == before


def test_spend_growth_splits_into_the_terms():
    prior, d0 = UsagePrior(), np.log(10.0)
    ev = evidence_from(DAY, table([1.6, 3.9], [1.0, 1.0]), prior, d0, draws=200)
    out = ev.spend_growth_given(np.array([0.5, 1.0, 1.5]))
    np.testing.assert_allclose(out["shift"] + out["price"] + out["intensity"], out["total"], rtol=1e-12)
    assert out["intensity"][1] == 0.0 and out["price"][1] == 0.0  # unit elasticity: spend = shift
    assert np.all(out["sd"] > 0)
