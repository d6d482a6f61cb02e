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
