"""Combining elasticity estimates, the consistency test, and the dated evidence prior."""

from __future__ import annotations

import numpy as np
import pytest

from model.calibration import combine, evidence
from model.calibration.estimate import ElasticityEstimate
from model.errors import JevonsError


def normal(mean, sd, n=4000, seed=0, name="x"):
    draws = np.random.default_rng(seed).normal(mean, sd, n)
    return ElasticityEstimate(name, draws[(draws > 0) & (draws < 4)])


def test_combining_an_estimate_with_itself_narrows_it():
    e = normal(1.2, 0.2)
    c = combine.combine(e, e, seed=1)
    lo, hi = e.interval
    clo, chi = c.estimate.interval
    assert chi - clo < 0.8 * (hi - lo)  # two independent looks at the same evidence: about 1/sqrt(2)
    assert c.estimate.median == pytest.approx(e.median, abs=0.02)
    assert c.consistent and c.p_value > 0.5 and abs(c.statistic) < 0.02


def test_the_product_of_two_normals_is_the_precision_weighted_normal():
    a, b = normal(0.8, 0.1, 8000, seed=2), normal(1.2, 0.2, 8000, seed=3)
    c = combine.combine(a, b, seed=4, draws=20000)
    w = np.array([1 / 0.1**2, 1 / 0.2**2])
    mean = (w @ [0.8, 1.2]) / w.sum()
    assert c.estimate.median == pytest.approx(mean, abs=0.01)
    # kernel smoothing widens each density slightly: the combined sd errs on the wide side
    assert np.std(c.estimate.draws) == pytest.approx(1 / np.sqrt(w.sum()), rel=0.08)
    assert c.consistent  # 0.4 apart with sd 0.22: p about 0.07


def test_far_apart_estimates_are_flagged_inconsistent():
    c = combine.combine(normal(0.6, 0.1, seed=5), normal(1.8, 0.15, seed=6), seed=7)
    assert not c.consistent and c.p_value < 0.01 and c.statistic == pytest.approx(-1.2, abs=0.05)
    assert "not consistent" in c.verdict and c.verdict.count(".") >= 1 and "\n" not in c.verdict
    lo, hi = c.estimate.interval
    assert 0.6 < lo < hi < 1.8  # the compromise lies between them


def test_a_prior_pulls_the_combination_towards_it():
    a, b = normal(1.0, 0.3, seed=8), normal(1.0, 0.3, seed=9)
    without = combine.combine(a, b, seed=10)
    with_prior = combine.combine(a, b, normal(2.0, 0.3, seed=11), seed=10)
    assert with_prior.estimate.median > without.estimate.median + 0.2
    assert "prior" in with_prior.densities and "prior" not in without.densities


def test_same_seed_same_draws():
    a, b = normal(0.9, 0.1, seed=12), normal(1.1, 0.3, seed=13)
    one, two = combine.combine(a, b, seed=5), combine.combine(a, b, seed=5)
    assert np.array_equal(one.estimate.draws, two.estimate.draws) and one.p_value == two.p_value
    assert not np.array_equal(one.estimate.draws, combine.combine(a, b, seed=6).estimate.draws)


def test_log_density_is_scipys_kernel_density_away_from_the_bounds():
    from scipy.stats import gaussian_kde

    draws = normal(2.0, 0.3, 3000, seed=16).draws
    x = np.linspace(1.0, 3.0, 50)
    np.testing.assert_allclose(combine.log_density(draws, x), gaussian_kde(draws).logpdf(x), rtol=1e-9)


def test_densities_integrate_to_one_within_the_support():
    c = combine.combine(normal(0.1, 0.2, seed=14), normal(0.3, 0.3, seed=15), seed=1)
    step = c.grid[1] - c.grid[0]
    for name, density in c.densities.items():
        assert density.sum() * step == pytest.approx(1.0), name
    assert c.estimate.draws.min() >= 0.0  # reflection keeps the mass inside 0-4


@pytest.mark.parametrize("draws,fragment", [
    (np.array([]), "at least 2 finite draws"),
    (np.array([1.0, np.nan, 2.0]), "at least 2 finite draws"),
    (np.full(10, 1.0), "all equal"),
])
def test_bad_estimates_are_one_line_errors(draws, fragment):
    with pytest.raises(JevonsError, match=fragment):
        combine.combine(normal(1.0, 0.1), ElasticityEstimate("bad", draws))


# --- the evidence prior --------------------------------------------------------------------------
def test_the_prior_uses_only_evidence_dated_by_as_of():
    before_a16z = evidence.prior("2024-06-30", draws=20000, seed=1)
    assert before_a16z.median == pytest.approx(1.0, abs=0.03)
    assert any("weakly informative" in n for n in before_a16z.notes)
    cutoff = evidence.prior("2025-02-10", draws=20000, seed=1)
    assert cutoff.median == pytest.approx(1.2, abs=0.03)
    assert not any("openrouter" in n for n in cutoff.notes)
    later = evidence.prior("2026-01-01", draws=20000, seed=1)
    assert any("openrouter" in n for n in later.notes)
    assert later.interval[1] - later.interval[0] < 0.6 * (cutoff.interval[1] - cutoff.interval[0])


def test_later_evidence_is_listed_for_the_book_not_used():
    later = evidence.later_evidence("2025-02-10")
    assert list(later["id"]) == ["openrouter_elasticity"]
    assert later.loc[0, "value"] == -1.11 and str(later.loc[0, "date"].date()) == "2025-12-12"
    table = evidence.evidence_table("2025-02-10")
    assert table["known"].sum() == len(table) - 1
    assert set(table["kind"]) == {"qualitative", "statement", "quantitative"}


def test_the_prior_is_deterministic_and_inside_the_search_range():
    a = evidence.prior("2025-02-10", draws=3000, seed=4)
    assert np.array_equal(a.draws, evidence.prior("2025-02-10", draws=3000, seed=4).draws)
    assert a.draws.min() >= 0.0 and a.draws.max() <= 4.0
