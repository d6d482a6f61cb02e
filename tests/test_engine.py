"""The engine's identities and properties (DESIGN.md section 2)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.engine import demand, efficiency
from model.engine import problem_size as fft
from model.engine.params import FFT, Params, Segment, Shock, Supply
from model.engine.simulation import simulate

REL = 1e-9


def one_segment(elasticity, **kw) -> Params:
    seg = Segment("all", 1.0, elasticity, kw.pop("alg", 0.67), kw.pop("growth", 0.0),
                  form=kw.pop("form", "isoelastic"), saturation_price=kw.pop("p_sat", 0.01),
                  substitution=elasticity, final_elasticity=kw.pop("eta", 1.0))
    return Params(segments=(seg,), **kw)


def spend(params: Params) -> np.ndarray:
    return simulate(params).variables["compute_spend"]


# --- the Jevons identity --------------------------------------------------------------------------


@pytest.mark.parametrize("factor", [2.0, 10.0, 11.0, 60.0])
def test_long_run_spend_ratio_is_s_to_eps_minus_one(factor):
    eps = np.linspace(0.2, 2.5, 24)
    shock = Shock(year=2025.0, factor=factor)
    ratio = spend(one_segment(eps, shocks=(shock,))) / spend(one_segment(eps))
    expected = factor ** (eps - 1.0)
    years = np.arange(2024, 2036)
    after = years >= 2025
    np.testing.assert_allclose(ratio[:, after], np.broadcast_to(expected[:, None], ratio[:, after].shape), rtol=REL)
    np.testing.assert_allclose(ratio[:, ~after], 1.0, rtol=REL)


def test_unit_elasticity_leaves_spend_unchanged():
    shock = Shock(year=2025.0, factor=np.array([2.0, 27.0, 1000.0]))
    ratio = spend(one_segment(1.0, shocks=(shock,))) / spend(one_segment(1.0))
    np.testing.assert_allclose(ratio, 1.0, rtol=REL)


def test_isoelastic_closed_form():
    """X = X0 (1+g)^t c^(1-eps) a^(eps-1) on the no-shock path."""
    eps, g, t_hw, t_alg = 1.3, 0.1, 2.46, 0.67
    p = one_segment(eps, growth=g, alg=t_alg, hardware_doubling_years=t_hw)
    t = np.arange(12.0)
    c, a = 2.0 ** (-t / t_hw), 2.0 ** (t / t_alg)
    np.testing.assert_allclose(spend(p)[0], 223.0 * (1 + g) ** t * c ** (1 - eps) * a ** (eps - 1), rtol=REL)


def test_partial_coverage_is_a_mixture():
    phi, factor, eps = 0.3, 10.0, 1.5
    ratio = spend(one_segment(eps, shocks=(Shock(2025.0, factor, coverage=phi),))) / spend(one_segment(eps))
    np.testing.assert_allclose(ratio[0, 1:], 1 - phi + phi * factor ** (eps - 1), rtol=REL)


def test_ramp_accrues_the_gain_log_linearly():
    eps, factor = 1.5, 60.0
    shock = Shock(2025.0, factor, diffusion_years=3.5, shape="ramp")  # full after 7 years
    ratio = spend(one_segment(eps, shocks=(shock,))) / spend(one_segment(eps))
    t = np.arange(2024, 2036) + 0.5 - 2025.0  # each year at its middle
    expected = factor ** (np.clip(t / 7.0, 0, 1) * (eps - 1))
    np.testing.assert_allclose(ratio[0], expected, rtol=REL)


def test_two_independent_shocks_multiply():
    eps = 1.4
    shocks = (Shock(2025.0, 10.0), Shock(2027.0, 3.0))
    ratio = spend(one_segment(eps, shocks=shocks)) / spend(one_segment(eps))
    np.testing.assert_allclose(ratio[0, -1], (10.0 * 3.0) ** (eps - 1), rtol=REL)


# --- diffusion ------------------------------------------------------------------------------------


def test_logistic_diffusion_hits_zero_half_and_one():
    years = np.array([2024.0, 2025.0, 2026.0, 2027.0, 2027.5, 2030.0])
    w = efficiency.diffusion_weight(years, 2025.0, 1.0, "logistic")
    assert w[0] == 0.0 and w[1] == 0.0
    assert w[2] == pytest.approx(0.5, abs=1e-12)
    assert w[3] == pytest.approx(1.0, abs=1e-12) and w[4] == 1.0 and w[5] == 1.0
    assert np.all(np.diff(w) >= 0)


def test_a_year_sees_the_adoption_reached_at_its_middle():
    """A shock on 27 January 2025 already moves 2025; one in July 2025 moves 2026 on."""
    eps, factor = 0.5, 10.0
    for date, first in ((2025.07, 2025), (2025.6, 2026)):
        ratio = spend(one_segment(eps, shocks=(Shock(date, factor),))) / spend(one_segment(eps))
        years = np.arange(2024, 2036)
        np.testing.assert_allclose(ratio[0, years >= first], factor ** (eps - 1), rtol=REL)
        np.testing.assert_allclose(ratio[0, years < first], 1.0, rtol=REL)


def test_instant_diffusion_is_a_step():
    w = efficiency.diffusion_weight(np.array([2024.9, 2025.0, 2025.1]), 2025.0, 0.0, "logistic")
    np.testing.assert_array_equal(w, [0.0, 1.0, 1.0])


def test_class_weights_sum_to_one():
    shocks = (Shock(2025.0, 10.0, 0.4, 1.0), Shock(2026.0, 2.0, 0.7, 0.5), Shock(2027.5, 5.0, 1.0, 0.0))
    classes = efficiency.adoption_classes(np.arange(2024.0, 2036.0), shocks)
    assert len(classes) == 8
    total = sum(np.broadcast_to(w, (1, 12)) for w, _ in classes)
    np.testing.assert_allclose(total, 1.0, rtol=1e-12)
    assert max(float(np.max(log_m)) for _, log_m in classes) == pytest.approx(np.log(100.0))


# --- demand forms ---------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    p=st.floats(1e-8, 1e4),
    eps0=st.floats(0.05, 5.0),
    p_sat=st.floats(1e-6, 1e3),
)
def test_saturating_elasticity_stays_within_bounds(p, eps0, p_sat):
    e = demand.saturating_elasticity(p, eps0, p_sat)
    assert 0.0 <= e <= eps0
    # numerical derivative of ln f agrees with the formula
    h = 1e-6
    lnf = lambda x: np.log(demand.saturating(x, eps0, p_sat))  # noqa: E731
    numeric = -(lnf(p * np.exp(h)) - lnf(p * np.exp(-h))) / (2 * h)
    assert numeric == pytest.approx(e, rel=1e-4, abs=1e-7)


@pytest.mark.parametrize("form", ["isoelastic", "saturating"])
def test_log_form_matches_direct_form(form):
    p = np.logspace(-6, 2, 41)
    q, x = demand.quantity_and_spend(np.log(p), form, 1.3, 0.01)
    np.testing.assert_allclose(q, demand.relative_quantity(p, form, 1.3, 0.01), rtol=1e-12)
    np.testing.assert_allclose(x, p * q, rtol=1e-12)


def test_saturating_elasticity_falls_as_price_falls():
    prices = np.logspace(2, -6, 50)
    e = demand.saturating_elasticity(prices, 1.5, 0.01)
    assert np.all(np.diff(e) < 0)


@settings(max_examples=40, deadline=None)
@given(
    lo=st.floats(0.1, 2.5),
    gap=st.floats(0.01, 1.0),
    form=st.sampled_from(["isoelastic", "saturating"]),
    factor=st.floats(1.5, 100.0),
)
def test_spend_is_monotone_in_elasticity(lo, gap, form, factor):
    """While the price of useful work falls, more elastic demand means more spend."""
    eps = np.array([lo, lo + gap])
    res = spend(one_segment(eps, form=form, shocks=(Shock(2025.0, factor),)))
    assert np.all(res[1, 1:] >= res[0, 1:] * (1 - 1e-12))


# --- vectorisation and determinism ----------------------------------------------------------------


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), sloped=st.booleans(), persistence=st.sampled_from([0.0, 0.6]),
       form=st.sampled_from(["isoelastic", "budget-share"]))
def test_vectorised_equals_per_draw_loop(seed, sloped, persistence, form):
    rng = np.random.default_rng(seed)
    n = 7
    draws = dict(
        eps=rng.uniform(0.3, 2.0, n), alg=rng.uniform(0.4, 1.5, n), hw=rng.uniform(1.5, 3.5, n),
        factor=rng.lognormal(np.log(10), 0.5, n), phi=rng.uniform(0, 1, n), diff=rng.uniform(0, 2, n),
        growth=rng.uniform(-0.05, 0.3, n), kg=rng.uniform(0.1, 0.6, n),
    )

    def build(i):
        pick = (lambda k: draws[k]) if i is None else (lambda k: float(draws[k][i]))
        return one_segment(
            pick("eps"), alg=pick("alg"), growth=pick("growth"), hardware_doubling_years=pick("hw"),
            shocks=(Shock(2025.3, pick("factor"), pick("phi"), pick("diff")),),
            supply=Supply("upward-sloping" if sloped else "elastic", pick("kg"), 0.0),
            persistence=persistence, form=form,
        )

    together = simulate(build(None)).variables
    for i in range(n):
        alone = simulate(build(i)).variables
        for name, values in alone.items():
            np.testing.assert_allclose(together[name][i], values[0], rtol=1e-12, err_msg=name)


def test_same_parameters_give_bit_identical_outputs():
    p = one_segment(np.linspace(0.5, 2.0, 100), shocks=(Shock(2025.07, 11.0, 0.8, 1.0),))
    a, b = simulate(p).variables, simulate(p).variables
    for name in a:
        assert a[name].tobytes() == b[name].tobytes()


# --- dynamics -------------------------------------------------------------------------------------


def test_partial_adjustment_short_run_elasticity():
    """In the shock year quantities move with elasticity (1 - lambda) eps."""
    eps, lam, factor = 1.5, 0.6, 10.0
    ratio = (spend(one_segment(eps, persistence=lam, shocks=(Shock(2025.0, factor),)))
             / spend(one_segment(eps, persistence=lam)))
    assert ratio[0, 1] == pytest.approx(factor ** ((1 - lam) * eps - 1), rel=REL)
    # k years after the shock the quantity has closed a share 1 - lam^k of the gap (in logs),
    # converging to the long-run ratio S^(eps - 1)
    k = np.arange(11.0)
    np.testing.assert_allclose(ratio[0, 1:], factor ** (eps * (1 - lam ** (k + 1)) - 1), rtol=REL)


def test_identical_segments_aggregate_to_one():
    seg = Segment("a", 0.5, 1.3, 0.67, 0.05)
    two = Params(segments=(seg, dataclasses.replace(seg, name="b")), shocks=(Shock(2025.0, 5.0),))
    one = Params(segments=(dataclasses.replace(seg, share=1.0),), shocks=(Shock(2025.0, 5.0),))
    for name, values in simulate(one).variables.items():
        np.testing.assert_allclose(simulate(two).variables[name], values, rtol=1e-12, err_msg=name)


def test_nvidia_revenue_is_share_times_fraction_times_spend():
    out = simulate(one_segment(1.2)).variables
    np.testing.assert_allclose(out["nvidia_dc_revenue"], 0.8 * 0.6 * out["compute_spend"], rtol=1e-15)


def test_base_year_is_normalised():
    out = simulate(one_segment(np.array([0.5, 1.0, 2.0]), form="saturating")).variables
    np.testing.assert_allclose(out["compute_spend"][:, 0], 223.0)
    np.testing.assert_allclose(out["price_per_useful_work"][:, 0], 1.0)
    # FLOP demand in the base year is spend / cost per FLOP
    np.testing.assert_allclose(out["flop_demand"][:, 0], 223e9 / out["cost_per_flop"][:, 0])


# --- the FFT analogy ------------------------------------------------------------------------------


def test_fft_speedup_at_two_to_the_twenty():
    assert fft.speedup(20.0) == pytest.approx(2**20 / 20, rel=1e-12)  # about 52,000x


@pytest.mark.parametrize("kappa,beta", [(2.0, 0.5), (2.0, 1.5), (1.5, 0.3), (3.0, 2.0)])
def test_fft_implied_elasticity_matches_choice_model(kappa, beta):
    log_a = fft.value_scale_log(kappa, beta, 10.0)
    log_price = np.array([0.0, -2.0, -5.0])
    x = fft.optimal_size_log2(log_price, log_a, beta, kappa, 0.0, 150.0)
    # closed form n* = (A beta / (P kappa))^(1/(kappa-beta)), with n*(P=1) = 2^10
    np.testing.assert_allclose(x, 10.0 - log_price / np.log(2) / (kappa - beta), rtol=1e-10)
    e = fft.local_elasticity(log_price, log_a, beta, kappa, 0.0, 150.0)
    np.testing.assert_allclose(e, fft.implied_elasticity(kappa, beta), rtol=1e-6)
    assert fft.implied_elasticity(kappa, beta) > 1  # a cheaper operation raises spending


def test_fft_cap_stops_growth():
    log_a = fft.value_scale_log(2.0, 0.5, 10.0)
    x = fft.optimal_size_log2(np.array([-50.0]), log_a, 0.5, 1.0, 1.0, 30.0)
    assert x[0] == 30.0


def test_fft_scenario_moves_users_to_larger_problems():
    p = Params(type="fft", fft=FFT(year=2025.0, n_max_log2=40.0), segments=(Segment("all", 1.0, 1.2, 0.67, 0.0),))
    out = simulate(p).variables
    size = out["problem_size_log2"][0]
    assert size[0] == pytest.approx(10.0)
    assert size[1] > 20.0  # the fast algorithm moves users to far larger problems at once
    assert np.all(size <= 40.0 + 1e-12)
    assert out["compute_spend"][0, 1] > out["compute_spend"][0, 0]  # and they spend more
