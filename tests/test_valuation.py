"""The valuation link and the market-implied elasticity."""

from __future__ import annotations

import numpy as np
import pytest

from model.calibration import market
from model.engine.params import Params, Segment, ValueCapture
from model.engine.valuation import Valuation, predicted_return, present_value, with_news


def flat_share(eps) -> Params:
    return Params(segments=(Segment("all", 1.0, eps, 0.67, 0.1),),
                  value_capture=ValueCapture(nvidia_share_drift=0.0))


@pytest.mark.parametrize("rate", [0.06, 0.10, 0.15])
def test_instant_full_shock_gives_the_jevons_multiplier_whatever_the_discount_rate(rate):
    eps = np.array([0.3, 0.9, 1.0, 1.4, 2.0])
    pre = flat_share(eps)
    post = with_news(pre, 11.0, 1.0, 0.0)
    got = predicted_return(pre, post, Valuation(discount_rate=rate))
    np.testing.assert_allclose(got, 0.878 * (11.0 ** (eps - 1) - 1), rtol=1e-12)


def test_no_news_and_unit_elasticity_predict_no_return():
    pre = flat_share(np.array([0.5, 1.0, 1.5]))
    assert np.all(predicted_return(pre, pre) == 0.0)
    unit = flat_share(1.0)
    got = predicted_return(unit, with_news(unit, np.array([2.0, 27.0]), np.array([0.4, 1.0]), 1.0))
    np.testing.assert_allclose(got, 0.0, atol=1e-14)


def test_present_value_of_a_constant_stream_is_a_perpetuity():
    years = np.arange(2024.0, 2036.0)
    revenue = np.ones((1, years.size))
    v = Valuation(discount_rate=0.1, terminal_growth=0.0, margin=1.0, horizon_end=2035)
    pv = present_value(years, revenue, v, news_date=2025.0)
    assert pv[0] == pytest.approx(1.1 ** 0.5 / 0.1, rel=1e-12)  # mid-year flows from 2025 on


def test_predicted_return_rises_with_elasticity():
    inputs = market.draw_market_inputs(market.MarketPrior(), 50, seed=3)
    before = market.pre_news(inputs)
    val = market.valuation_from(inputs)
    returns = [
        predicted_return(before.at(np.full(50, e)), with_news(before.at(np.full(50, e)), inputs["factor"],
                         inputs["coverage"], inputs["diffusion_years"]), val)
        for e in np.linspace(0.0, 3.0, 13)
    ]
    assert np.all(np.diff(np.array(returns), axis=0) > 0)


def test_pre_news_spend_grows_at_the_expected_rate_for_every_elasticity():
    inputs = market.draw_market_inputs(market.MarketPrior(), 20, seed=4, news=False)
    before = market.pre_news(inputs)
    from model.engine.simulation import simulate
    for eps in (0.2, 1.0, 2.5):
        spend = simulate(before.at(np.full(20, eps))).variables["compute_spend"]
        growth = np.broadcast_to(1 + inputs["spend_growth"][:, None], (20, spend.shape[1] - 1))
        np.testing.assert_allclose(spend[:, 1:] / spend[:, :-1], growth, rtol=1e-10)


def test_solver_recovers_a_known_elasticity():
    n = 200
    inputs = market.draw_market_inputs(market.MarketPrior(), n, seed=5)
    before = market.pre_news(inputs)
    val = market.valuation_from(inputs)
    truth = np.random.default_rng(6).uniform(0.2, 2.5, n)
    target = predicted_return(before.at(truth), with_news(before.at(truth), inputs["factor"],
                              inputs["coverage"], inputs["diffusion_years"]), val)
    got = market.solve_elasticity(target, before, inputs["factor"], inputs["coverage"],
                                  inputs["diffusion_years"], val)
    np.testing.assert_allclose(got, truth, atol=1e-8)


def test_unreachable_returns_are_unsolved_not_clipped():
    inputs = market.draw_market_inputs(market.MarketPrior(), 3, seed=7, news=False)
    got = market.solve_elasticity(np.full(3, -0.95), market.pre_news(inputs), 2.0, 0.1,
                                  inputs["diffusion_years"], market.valuation_from(inputs))
    assert np.all(np.isnan(got))  # a 2x shock on 10% of demand cannot erase 95% of the value


def test_implied_estimate_is_deterministic_and_brackets_the_point_solution():
    residual_sums = np.random.default_rng(8).standard_t(4, 240) * 0.02
    a = market.implied_estimate(-0.15, residual_sums, draws=500, seed=11)
    b = market.implied_estimate(-0.15, residual_sums, draws=500, seed=11)
    assert a.draws.tobytes() == b.draws.tobytes()
    lo, hi = a.interval
    assert lo < a.median < hi < 1.0  # a 15% fall on efficiency news implies inelastic demand


def test_instant_news_closed_forms_invert_the_valuation_link():
    from model.engine.valuation import instant_news_elasticity, instant_news_return, least_coverage

    ar = np.array([-0.13, -0.05, 0.02])
    eps = instant_news_elasticity(ar, 17.4)
    np.testing.assert_allclose(instant_news_return(eps, 17.4), ar, rtol=1e-12)
    pre = flat_share(eps)
    np.testing.assert_allclose(predicted_return(pre, with_news(pre, 17.4, 1.0, 0.0)), ar, rtol=1e-10)
    assert np.isnan(instant_news_elasticity(-0.9, 17.4))  # beyond what any elasticity can do
    # the least coverage: with eps = 0 an instant shock covering phi_min gives exactly the fall
    for factor in (2.0, 11.0, 27.0):
        phi = least_coverage(-0.13, factor)
        zero = flat_share(np.zeros(1))
        edge = predicted_return(zero, with_news(zero, factor, phi, 0.0))
        assert edge[0] == pytest.approx(-0.13, rel=1e-10)
    assert least_coverage(-0.13, np.inf) == pytest.approx(0.13 / 0.878)


def test_predicted_return_factors_through_the_mean_adoption_weight():
    from model.engine.valuation import factored_return, mean_adoption_weight

    eps = np.array([0.2, 0.8, 1.0, 1.3])
    pre = flat_share(eps)
    got = predicted_return(pre, with_news(pre, 11.0, 0.6, 1.5))
    w_bar = mean_adoption_weight(pre, 1.5)
    np.testing.assert_allclose(got, factored_return(eps, 11.0, 0.6, w_bar), rtol=1e-10, atol=1e-14)
    assert np.all((w_bar > 0) & (w_bar < 1))
    np.testing.assert_allclose(mean_adoption_weight(pre, 0.0), 1.0, rtol=1e-12)  # instant news


def test_jevons_multipliers_known_answer():
    from model.engine.valuation import jevons_multipliers

    quantity, spend = jevons_multipliers(100.0, np.array([0.5, 1.0]))
    np.testing.assert_allclose(quantity, [10.0, 100.0])
    np.testing.assert_allclose(spend, [0.1, 1.0])


def test_valuation_default_is_the_facts_data_center_share_rounded():
    from model.calibration.inputs import valuation_as_of
    from model.constants import DEFAULT_AS_OF

    assert abs(valuation_as_of(DEFAULT_AS_OF).dc_value_share - Valuation().dc_value_share) < 5e-4


def test_spend_growth_anchors_are_the_capex_ratios():
    from model.calibration.inputs import spend_growth_anchors
    from model.constants import DEFAULT_AS_OF

    anchors = spend_growth_anchors(DEFAULT_AS_OF)
    assert anchors["alphabet"] == pytest.approx(59.7 / 52.5 - 1, abs=1e-3)
    assert anchors["meta"] == pytest.approx(51.3 / 39.2 - 1, abs=2e-3)
    assert anchors["big4"] == pytest.approx(325 / 223 - 1, abs=2e-3)
