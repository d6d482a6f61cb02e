"""Combining elasticity estimates, the consistency test, and the dated evidence prior."""

from __future__ import annotations

import numpy as np
import pytest

from model.calibration import combine, evidence, grid_density
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


# --- grid densities (model.calibration.grid_density) ---------------------------------------------
def test_log_density_is_scipys_kernel_density_away_from_the_bounds():
    from scipy.stats import gaussian_kde

    draws = normal(2.0, 0.3, 3000, seed=16).draws
    x = np.linspace(1.0, 3.0, 50)
    np.testing.assert_allclose(grid_density.log_density(draws, x, combine.SUPPORT),
                               gaussian_kde(draws).logpdf(x), rtol=1e-9)
    assert grid_density.bandwidth(draws) == pytest.approx(gaussian_kde(draws).factor * np.std(draws, ddof=1))


def test_reflected_density_integrates_to_one_on_its_support():
    draws = np.random.default_rng(3).uniform(0.0, 0.2, 2000)  # piled against the lower bound
    edges = np.linspace(0.0, 4.0, 4001)
    mids = 0.5 * (edges[:-1] + edges[1:])
    mass = np.exp(grid_density.log_density(draws, mids, (0.0, 4.0))).sum() * (edges[1] - edges[0])
    assert mass == pytest.approx(1.0, abs=1e-6)


def test_log_kde_is_exact_far_in_the_tails():
    draws = np.array([0.0, 1.0])
    x = np.array([60.0])  # exp of the log density underflows; the log does not
    # the nearer draw dominates: log(1/2) + log N(60; 1, 0.5^2) (the other term is e^-238 smaller)
    expected = np.log(0.5) - 0.5 * (59.0 / 0.5) ** 2 - np.log(0.5 * np.sqrt(2 * np.pi))
    np.testing.assert_allclose(grid_density.log_kde(draws, x, 0.5), expected, rtol=1e-12)


def test_log_mean_exp_matches_the_direct_formula_and_survives_large_logs():
    x = np.log(np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 9.0]]))
    np.testing.assert_allclose(grid_density.log_mean_exp(x, axis=1), np.log([2.0, 6.0]), rtol=1e-14)
    big = np.array([-1000.0, -1000.0 + np.log(3.0)])
    assert grid_density.log_mean_exp(big, axis=0) == pytest.approx(-1000.0 + np.log(2.0), rel=1e-14)
    assert grid_density.log_mean_exp(np.full(3, -np.inf), axis=0) == -np.inf


def test_normal_density_on_a_grid_gives_its_quantiles_and_interval():
    from scipy.stats import norm

    edges = np.linspace(-8.0, 12.0, 20001)
    mids = 0.5 * (edges[:-1] + edges[1:])
    p = grid_density.normalise(-0.5 * ((mids - 2.0) / 1.5) ** 2)
    assert p.sum() == pytest.approx(1.0)
    q = grid_density.quantiles_from_grid(mids, p, [0.05, 0.5, 0.9])
    np.testing.assert_allclose(q, norm.ppf([0.05, 0.5, 0.9], 2.0, 1.5), atol=1e-4)
    lo, hi = grid_density.interval_from_grid(mids, p)
    np.testing.assert_allclose([lo, hi], 2.0 + 1.5 * np.array([-1.959964, 1.959964]), atol=1e-4)


def test_grid_quantiles_are_linear_within_a_cell():
    values = np.array([0.5, 1.5, 2.5])  # cells [0, 1], [1, 2], [2, 3]
    p = np.array([0.25, 0.5, 0.25])
    np.testing.assert_allclose(grid_density.quantiles_from_grid(values, p, [0.0, 0.125, 0.5, 1.0]),
                               [0.0, 0.5, 1.5, 3.0])


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
