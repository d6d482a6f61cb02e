"""The likelihood-based combination (issue 9, item 6) and the capex fit with later evidence
(issue 10): known answers for each likelihood, the joint integration of the shared nuisance, the
consistency test and its power, the simulation check of coverage, and estimates that move as the
plans are revised."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from test_capex import FACTS, perturb_facts

from model.calibration import capex, combine
from model.calibration.capex import CapexAssumptions, Nuisance, Observations
from model.calibration.capex.grid_posterior import Grid, elasticity_log_likelihood, grid_likelihood
from model.calibration.coverage import grid_intervals, simulate_coverage
from model.calibration.grid_density import log_mean_exp, quantiles_from_grid
from model.calibration.inputs import market_prior, valuation_as_of
from model.calibration.likelihood import (
    CapexEvidence,
    GridEstimate,
    MarketEvidence,
    NoiseDensity,
    SharedDraws,
    elasticity_grid,
)
from model.calibration.market import pre_news, solve_elasticity, valuation_from
from model.data.facts import load_facts
from model.engine.valuation import predicted_return, with_news
from model.errors import JevonsError

AS_OF = "2025-02-10"


class Gaussian:
    """Synthetic per-draw evidence: eps ~ N(centre + shift_k, sd) given draw k."""

    def __init__(self, centre, sd, shifts, name="x"):
        self.centre, self.sd, self.shifts, self.name = centre, sd, np.asarray(shifts, float), name

    def per_draw(self, eps):
        return -0.5 * ((np.asarray(eps)[:, None] - self.centre - self.shifts[None, :]) / self.sd) ** 2

    def log_likelihood(self, eps):
        return log_mean_exp(self.per_draw(eps), axis=1)


def sd_of(combination) -> float:
    g, p = combination.grid, combination.densities["combined"] * (combination.grid[1] - combination.grid[0])
    mean = np.sum(g * p)
    return float(np.sqrt(np.sum(p * (g - mean) ** 2)))


# --- the combination -------------------------------------------------------------------------
def test_shared_nuisance_is_integrated_jointly_not_as_a_product_of_marginals():
    # both bodies of evidence are shifted by the same nuisance theta_k ~ N(0, 0.3): their
    # agreement says nothing about theta, so the combined sd stays near sqrt(0.3^2 + 0.1^2/2)
    shifts = np.random.default_rng(0).normal(0.0, 0.3, 4000)
    a, b = Gaussian(1.5, 0.1, shifts, "a"), Gaussian(1.5, 0.1, shifts, "b")
    joint = combine.combine_likelihoods(a, b, seed=1)
    assert sd_of(joint) == pytest.approx(np.sqrt(0.3**2 + 0.1**2 / 2), rel=0.06)
    # treating them as independent (a product of the marginals) would give about 0.32 / sqrt(2)
    product = combine.combine_likelihoods(a, Gaussian(1.5, 0.1, np.zeros(4000)), extra=(), seed=1)
    assert sd_of(product) < 0.8 * sd_of(joint)
    assert joint.method == "likelihood" and joint.estimate.median == pytest.approx(1.5, abs=0.02)


def test_independent_gaussians_give_the_precision_weighted_mean_and_sd():
    a, b = Gaussian(1.0, 0.1, [0.0]), Gaussian(1.6, 0.2, [0.0])
    c = combine.combine_likelihoods(a, b, seed=2, draws=20000)
    w = np.array([1 / 0.1**2, 1 / 0.2**2])
    assert c.estimate.median == pytest.approx((w @ [1.0, 1.6]) / w.sum(), abs=0.005)
    assert sd_of(c) == pytest.approx(1 / np.sqrt(w.sum()), rel=0.02)


def test_the_consistency_test_and_its_power_have_their_known_values():
    same = combine.combine_likelihoods(Gaussian(1.0, 0.1, [0.0]), Gaussian(1.0, 0.2, [0.0]))
    assert same.consistent and same.p_value > 0.95
    apart = combine.combine_likelihoods(Gaussian(0.8, 0.1, [0.0]), Gaussian(1.6, 0.2, [0.0]))
    d_sd = np.hypot(0.1, 0.2)
    assert apart.lr_statistic == pytest.approx((0.8 / d_sd) ** 2, rel=0.02)  # LR = z^2 for normals
    assert not apart.consistent and apart.p_value == pytest.approx(stats.chi2.sf((0.8 / d_sd) ** 2, 1), rel=0.1)
    assert apart.difference_sd == pytest.approx(d_sd, rel=0.01)
    power = stats.ncx2.sf(stats.chi2.ppf(0.95, 1), 1, (0.5 / d_sd) ** 2)  # about 0.61
    assert apart.consistency_power == pytest.approx(power, abs=0.01)
    assert "power" in apart.verdict and "\n" not in apart.verdict
    # more precise evidence: more power against the same alternative
    sharp = combine.combine_likelihoods(Gaussian(0.8, 0.05, [0.0]), Gaussian(1.6, 0.1, [0.0]))
    assert sharp.consistency_power > apart.consistency_power


def test_extra_independent_evidence_multiplies_in_and_bad_shapes_are_refused():
    base = combine.combine_likelihoods(Gaussian(1.0, 0.2, [0.0]), Gaussian(1.0, 0.2, [0.0]), seed=3)
    more = combine.combine_likelihoods(Gaussian(1.0, 0.2, [0.0]), Gaussian(1.0, 0.2, [0.0]),
                                       extra=(Gaussian(2.0, 0.2, [0.0], "usage"),), seed=3)
    assert more.estimate.median > base.estimate.median + 0.2 and "usage" in more.independent

    class Broken:
        name = "broken"

        def log_likelihood(self, eps):
            return np.zeros(3)

    with pytest.raises(JevonsError, match="broken"):
        combine.combine_likelihoods(Gaussian(1.0, 0.2, [0.0]), Gaussian(1.0, 0.2, [0.0]), extra=(Broken(),))
    with pytest.raises(JevonsError, match="different draws"):
        combine.combine_likelihoods(Gaussian(1.0, 0.2, [0.0]), Gaussian(1.0, 0.2, [0.0, 0.1]))


def test_same_seed_same_draws():
    a, b = Gaussian(0.9, 0.1, [0.0, 0.1]), Gaussian(1.1, 0.3, [0.0, 0.1])
    one, two = combine.combine_likelihoods(a, b, seed=5), combine.combine_likelihoods(a, b, seed=5)
    assert np.array_equal(one.estimate.draws, two.estimate.draws)


# --- the capex likelihood per draw ---------------------------------------------------------------
def capex_obs():
    growth = np.array([0.40, 0.47, 0.36, 0.30])
    return Observations(growth, np.full(4, 0.03), np.array([False, False, True, True]),
                        np.array([0.2, 0.23]), np.full(2, 0.03), np.array([False, True]))


def test_the_closed_form_over_demand_growth_matches_the_grid_integral():
    rng = np.random.default_rng(4)
    nuisance = Nuisance(rng.uniform(1.1, 1.5, 16), rng.lognormal(np.log(10), 0.3, 16), rng.uniform(0.2, 1.0, 16),
                        rng.uniform(0.3, 0.7, 16))
    a = CapexAssumptions(log_growth_cells=2000)
    grid = Grid.from_assumptions(a)
    obs = capex_obs()
    like = grid_likelihood(obs, nuisance, grid, a.firm_growth_sd, a.revision_noise_sd)
    prior = -0.5 * ((grid.log_growth - np.log1p(a.growth_prior_median)) / a.growth_prior_log_sd) ** 2
    numeric = log_mean_exp(like.joint + prior[None, :], axis=1)
    closed = log_mean_exp(elasticity_log_likelihood(obs, nuisance, grid.elasticity, a.firm_growth_sd,
                                                    a.revision_noise_sd), axis=1)
    keep = numeric > numeric.max() - 30
    diff = (closed - numeric)[keep]
    np.testing.assert_allclose(diff - diff.mean(), 0.0, atol=1e-6)  # equal up to a constant


def test_plans_a_year_after_the_news_carry_the_adoption_added_that_year():
    nuisance = Nuisance(np.full(2, 1.3), np.full(2, 10.0), np.full(2, 1.0), np.full(2, 0.5),
                        np.full(2, 1.0), 1.0)
    obs = Observations(np.zeros(2), np.full(2, 0.01), np.array([True, True]), np.empty(0), np.empty(0),
                       np.empty(0, bool), news_from=np.array([np.nan, 0.0]), news_to=np.array([0.0, 1.0]))
    eps = np.array([0.5])
    terms = nuisance.news_terms(eps, obs)[0, 0]
    assert terms[0] == pytest.approx(nuisance.log_jevons(eps)[0, 0])
    assert terms[1] == pytest.approx(nuisance.log_jevons(eps, 1.0)[0, 0] - nuisance.log_jevons(eps)[0, 0])
    assert terms[1] < 0  # more of the cheaper method adopted a year on: more of the news in the plan


# --- the market likelihood -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def small_setup(mirror):
    prior = market_prior(AS_OF)
    valuation = valuation_as_of(AS_OF)
    shared = SharedDraws.draw(prior, 300, 7)
    noise = np.random.default_rng(8).normal(0.0, 0.03, 200)
    return prior, valuation, shared, noise


def test_the_market_likelihood_recovers_a_planted_elasticity(small_setup):
    prior, valuation, shared, noise = small_setup
    one = SharedDraws(prior, 0, {k: np.full(1, v[0]) for k, v in shared.inputs.items()})  # no nuisance
    pre = pre_news(one.inputs).at(np.array([0.8]))
    r = float(predicted_return(pre, with_news(pre, one.inputs["factor"], one.inputs["coverage"],
                                               one.inputs["diffusion_years"]),
                               valuation_from(one.inputs, valuation))[0])
    ev = MarketEvidence.build(r, np.random.default_rng(9).normal(0.0, 0.005, 400), one, valuation)
    grid = elasticity_grid()
    est = GridEstimate.from_log(grid, ev.log_likelihood(grid))
    solved = solve_elasticity(np.array([r]), pre_news(one.inputs), one.inputs["factor"], one.inputs["coverage"],
                              one.inputs["diffusion_years"], valuation_from(one.inputs, valuation))[0]
    assert solved == pytest.approx(0.8, abs=1e-6)
    assert est.median == pytest.approx(0.8, abs=0.01)


def test_the_noise_density_integrates_to_one_and_its_mass_is_its_integral():
    density = NoiseDensity.of(np.random.default_rng(10).normal(0.0, 0.03, 200))
    dx = density.x[1] - density.x[0]
    assert np.exp(density.log_f).sum() * dx == pytest.approx(1.0, abs=1e-6)
    inside = (density.x > -0.05) & (density.x < 0.02)
    assert density.mass(0.02, -0.05) == pytest.approx(np.exp(density.log_f[inside]).sum() * dx, rel=1e-2)
    assert density(np.array([5.0]))[0] < density(np.array([1.4]))[0] < density(np.array([0.0]))[0]


def test_grid_intervals_match_the_one_at_a_time_quantiles():
    grid = elasticity_grid(200)
    p = np.exp(-0.5 * ((grid[None, :] - np.array([[0.5], [1.5]])) / 0.2) ** 2)
    p /= p.sum(axis=1, keepdims=True)
    got = grid_intervals(grid, p)
    for row in range(2):
        np.testing.assert_allclose(got[row], quantiles_from_grid(grid, p[row], [0.025, 0.975]), atol=1e-9)


def test_ninety_five_percent_intervals_cover_the_truth_about_95_percent_of_the_time(small_setup):
    prior, valuation, shared, noise = small_setup
    table = capex.plan_table(AS_OF)
    market = MarketEvidence.build(-0.10, noise, shared, valuation)
    capex_ev = CapexEvidence.build(table, shared)
    truth = SharedDraws.draw(prior, 160, 11)
    check = simulate_coverage(market, capex_ev, truth, valuation=valuation, seed=12, cells=200)
    assert check.worlds == 160
    # nominal 0.95, Monte Carlo sd 0.017: a broken chain (e.g. the midpoint likelihood that
    # misses the market's spikes at large eps) covered about 0.79
    assert 0.89 <= check.coverage <= 0.995
    assert 0.88 <= check.coverage_market <= 1.0 and 0.88 <= check.coverage_capex <= 1.0
    assert set(check.by_range()["worlds"]) and check.by_range()["worlds"].sum() == 160


# --- issue 10: the plans as revised ----------------------------------------------------------------
def test_the_latest_vintage_then_the_actual_replace_the_first_plan(mirror):
    feb = capex.plan_table(AS_OF).set_index("firm")
    aug = capex.plan_table("2025-08-15").set_index("firm")
    mar = capex.plan_table("2026-03-31").set_index("firm")
    assert feb.loc["Meta", "plan"] == 62.5 and feb.loc["Meta", "kind"] == "plan"
    assert aug.loc["Meta", "plan"] == 69.0 and aug.loc["Meta", "kind"] == "revised plan"
    assert aug.loc["Microsoft", "kind"] == "actual" and aug.loc["Microsoft", "plan"] == 88.2
    assert mar.loc["Meta", "kind"] == "actual" and mar.loc["Meta", "plan"] == 72.22
    assert mar.loc["Meta (2026 plan)", "plan"] == 125.0 and mar.loc["Meta (2026 plan)", "base"] == 72.22
    # the revision against the street keeps the first plan (the street figure preceded it)
    assert mar.loc["Meta", "revision"] == pytest.approx(feb.loc["Meta", "revision"])
    assert "Meta (2026 plan)" not in aug.index
    # the base level and the guidance of the 2025 forecast stay on 2025's firms, never the actual
    fit = capex.fit_capex("2026-03-31", draws=500)
    base, _ = fit.base_level()
    assert base == pytest.approx(feb["base"].sum())
    guidance, label = fit.guidance_total()
    assert guidance == pytest.approx(80 + 71 + 92 + 125) and "actual" not in label


def test_the_capex_estimate_moves_as_evidence_arrives(mirror):
    early = capex.fit_capex(AS_OF, draws=2000, seed=3).estimate
    late = capex.fit_capex("2026-03-31", draws=2000, seed=3).estimate
    assert abs(late.median - early.median) > 0.05
    assert (late.interval[1] - late.interval[0]) < (early.interval[1] - early.interval[0])


@pytest.mark.parametrize("as_of", ["2025-08-15", "2026-02-04"])
def test_a_revised_fit_reads_nothing_dated_after_its_date(as_of, mirror, tmp_path, monkeypatch):
    before = capex.fit_capex(as_of, draws=500, seed=5)
    perturb_facts(tmp_path / "facts", as_of)
    monkeypatch.setenv("JEVONS_FACTS_DIR", str(tmp_path / "facts"))
    after = capex.fit_capex(as_of, draws=500, seed=5)
    assert np.array_equal(after.estimate.draws, before.estimate.draws)
    pd.testing.assert_frame_equal(after.plans, before.plans)
    # the perturbation is real: a later date sees the changed rows
    later = pd.Timestamp(as_of) + pd.Timedelta(days=90)
    assert not capex.plan_table(later)["plan"].equals(
        capex.plan_table(later, facts=load_facts(directory=FACTS))["plan"])
