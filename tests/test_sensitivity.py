"""Sobol indices, tornado tables and fan-chart quantiles (model.analysis.sensitivity)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from model.analysis import models as am
from model.analysis import sensitivity as sa
from model.calibration.market import MarketPrior
from model.engine.params import Params, Segment, Shock
from model.engine.simulation import simulate
from model.output import plotting as plots
from model.scenarios.distributions import Distribution

PI = np.pi


def ishigami(values, a=7.0, b=0.1):
    x1, x2, x3 = values["x1"], values["x2"], values["x3"]
    return {"y": np.sin(x1) + a * np.sin(x2) ** 2 + b * x3**4 * np.sin(x1)}


def ishigami_indices(a=7.0, b=0.1):
    """Closed-form indices of the Ishigami function on [-pi, pi]^3 (Ishigami and Homma 1990)."""
    v1 = 0.5 * (1 + b * PI**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * PI**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return np.array([v1, v2, 0.0]) / v, np.array([v1 + v13, v2, v13]) / v


def box(name):
    return sa.uniform(name, name, (-PI, PI), "test")


def test_ishigami_indices_within_salib_intervals():
    frame = sa.sobol_indices([box("x1"), box("x2"), box("x3")], ishigami, 2**12, seed=1)
    s1, st = ishigami_indices()
    assert frame.attrs["rows"] == 2**12 * 5
    assert np.all(np.abs(frame["S1"] - s1) <= frame["S1_conf"])
    assert np.all(np.abs(frame["ST"] - st) <= frame["ST_conf"])
    assert np.all(frame["S1_conf"] < 0.05)  # the intervals are informative, not trivially wide


def test_additive_model_s1_equals_st_equals_variance_share():
    """Y = sum a_i X_i with independent inputs: S1_i = ST_i = a_i^2 var_i / var(Y)."""
    params = [
        sa.uniform("u", "u", (0.0, 2.0), "test"),  # var 1/3
        sa.Parameter("n", "n", "test", Distribution("normal", (1.0, 0.5))),  # var 1/4
        sa.lognormal("l", "l", 1.0, 0.4, "test"),  # var (e^s2 - 1) e^s2
        sa.uniform("zero", "zero", (0.0, 1.0), "test"),  # not used by the model
    ]
    coef = {"u": 1.0, "n": 2.0, "l": 1.5, "zero": 0.0}
    var = np.array([1 / 3, 0.25, (np.exp(0.16) - 1) * np.exp(0.16), 1 / 12])
    share = np.array([coef[p.name] ** 2 for p in params]) * var
    share /= share.sum()

    def linear(values):
        return {"y": sum(coef[k] * v for k, v in values.items())}

    frame = sa.sobol_indices(params, linear, 2**13, seed=7)
    assert np.all(np.abs(frame["S1"] - share) <= frame["S1_conf"])
    assert np.all(np.abs(frame["ST"] - share) <= frame["ST_conf"])
    assert frame.loc[3, "ST"] == pytest.approx(0.0, abs=1e-12)


def test_same_seed_identical_indices_other_seed_not():
    params = [box("x1"), box("x2"), box("x3")]
    first = sa.sobol_indices(params, ishigami, 2**9, seed=3)
    again = sa.sobol_indices(params, ishigami, 2**9, seed=3)
    other = sa.sobol_indices(params, ishigami, 2**9, seed=4)
    pd.testing.assert_frame_equal(first, again, check_exact=True)
    assert not np.array_equal(first["S1"], other["S1"])


def test_sample_size_must_be_a_power_of_two():
    with pytest.raises(ValueError, match="power of 2"):
        sa.sobol_sample([box("x1")], 1000)


def test_second_order_indices_of_ishigami():
    frame = sa.sobol_indices([box("x1"), box("x2"), box("x3")], ishigami, 2**12, seed=2,
                             second_order=True)
    s2 = frame.attrs["S2"]["y"]
    s1, st = ishigami_indices()
    assert frame.attrs["rows"] == 2**12 * 8
    assert s2.loc["x1", "x3"] == pytest.approx(st[2], abs=0.05)  # the only interaction
    assert abs(s2.loc["x1", "x2"]) < 0.05 and abs(s2.loc["x2", "x3"]) < 0.05


def test_convergence_table_pairs_n_and_2n():
    params = [box("x1"), box("x2"), box("x3")]
    table = sa.sobol_convergence(params, ishigami, 2**8, seed=5)
    small = sa.sobol_indices(params, ishigami, 2**8, seed=5)
    large = sa.sobol_indices(params, ishigami, 2**9, seed=5)
    np.testing.assert_array_equal(table["S1_n"], small["S1"])
    np.testing.assert_array_equal(table["ST_2n"], large["ST"])
    assert table.attrs["rows"] == small.attrs["rows"] + large.attrs["rows"]


# --- parameters -----------------------------------------------------------------------------------


def test_empirical_parameter_is_the_interpolated_quantile_function():
    draws = np.random.default_rng(0).normal(1.2, 0.3, 999)
    p = sa.Parameter("e", "e", "test", draws=draws)
    u = np.linspace(0.0, 1.0, 41)
    np.testing.assert_allclose(p.ppf(u), np.quantile(draws, u), rtol=1e-13)
    assert p.central == pytest.approx(np.median(draws))


def test_parameter_needs_exactly_one_distribution():
    with pytest.raises(ValueError, match="exactly one"):
        sa.Parameter("e", "e", "test")
    with pytest.raises(ValueError, match="exactly one"):
        sa.Parameter("e", "e", "test", Distribution("uniform", (0, 1)), draws=np.ones(3))


def test_scenario_key_truncates_the_distribution():
    wide = sa.Parameter("c", "coverage", "test", Distribution("normal", (0.9, 0.5)),
                        key="efficiency.shocks[].coverage")
    values = wide.ppf(np.linspace(0.001, 0.999, 500))
    assert values.min() >= 0.0 and values.max() <= 1.0


# --- the engine as the model ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def news_parameters():
    return am.market_parameters(MarketPrior(), am.scenario_elasticity("montecarlo"))


def test_vectorised_evaluation_equals_row_by_row(news_parameters):
    _, values = sa.sobol_sample(news_parameters, 8, seed=11)
    model = am.news_model(2030, log=False)
    together = sa.evaluate(model, values)
    rows = len(values["elasticity"])
    assert rows == 8 * (len(news_parameters) + 2)
    for i in range(rows):
        alone = model({k: v[i:i + 1] for k, v in values.items()})
        for name, y in together.items():
            assert alone[name][0] == pytest.approx(y[i], rel=1e-12)


def test_news_model_spend_ignores_the_trends(news_parameters):
    """Pre-news spend growth is an input, so the trend doubling times cancel out of spend (not
    out of FLOP demand, which divides spend by the falling cost per FLOP)."""
    frame = sa.sobol_indices(news_parameters, am.news_model(2030), 2**10).set_index(["output", "parameter"])
    for name in ("hardware_doubling_years", "efficiency_doubling_years", "nvidia_share_drift"):
        assert abs(frame.loc[("compute_spend", name), "ST"]) < 1e-12
    assert frame.loc[("flop_demand", "hardware_doubling_years"), "ST"] > 1e-3
    assert frame.loc[("nvidia_dc_revenue", "nvidia_share_drift"), "ST"] > 1e-4
    # With the montecarlo's elasticity prior (95% within 0.92-1.31) the news size and the
    # pre-news growth can outrank it; the elasticity still matters.
    assert frame.loc[("compute_spend", "elasticity"), "ST"] > 1e-3


def _long_run_multiplier(values):
    """Engine spend in the last year with an instant shock over spend without it."""
    seg = Segment("all", 1.0, values["elasticity"], 0.67, 0.0)
    without = Params(segments=(seg,))
    shock = Shock(2025.0, values["factor"], values["coverage"])
    with_shock = dataclasses.replace(without, shocks=(shock,))
    ratio = (simulate(with_shock).variables["compute_spend"][:, -1]
             / simulate(without).variables["compute_spend"][:, -1])
    return {"multiplier": ratio}


def test_tornado_of_the_long_run_multiplier():
    params = [
        sa.uniform("elasticity", "elasticity", (0.5, 1.8), "test"),
        sa.lognormal("factor", "shock", 27.0, 0.3, "test"),
        sa.uniform("coverage", "coverage", (0.5, 1.0), "test"),
    ]
    table = sa.tornado(params, _long_run_multiplier, "multiplier")
    assert table["parameter"].iloc[0] == "elasticity"
    assert list(table["swing"]) == sorted(table["swing"], reverse=True)
    central = {p.name: p.central for p in params}

    def closed_form(eps, s, phi):  # 1 - phi + phi S^(eps - 1)
        return 1 - phi + phi * s ** (eps - 1)

    assert table.attrs["central"] == pytest.approx(closed_form(*central.values()), rel=1e-9)
    for row in table.itertuples():
        for end in ("low", "high"):
            point = dict(central, **{row.parameter: getattr(row, end)})
            assert getattr(row, f"output_{end}") == pytest.approx(closed_form(*point.values()), rel=1e-9)
    lo, hi = table.set_index("parameter").loc["elasticity", ["low", "high"]]
    assert (lo, hi) == pytest.approx(tuple(params[0].ppf(np.array(sa.TORNADO_QUANTILES))))


def test_tornado_plot_orders_bars_by_swing():
    import matplotlib

    matplotlib.use("Agg")
    params = [sa.uniform("elasticity", "elasticity", (0.5, 1.8), "test"),
              sa.lognormal("factor", "shock", 27.0, 0.3, "test"),
              sa.uniform("coverage", "coverage", (0.5, 1.0), "test")]
    table = sa.tornado(params, _long_run_multiplier, "multiplier")
    ax = plots.tornado(table, xlabel="long-run spend multiplier")
    by_height = {t.get_position()[1]: t.get_text() for t in ax.get_yticklabels()}
    top = by_height[max(by_height)]
    assert top.startswith("elasticity")  # the top bar is the largest swing
    colours = [tuple(h.get_facecolor()) for h in ax.get_legend().legend_handles]
    assert len(set(colours)) == 2  # low and high ends are told apart
    assert ax.get_title() == ""


def test_fan_quantiles_match_numpy():
    eps = np.linspace(0.5, 1.8, 101)
    result = simulate(Params(segments=(Segment("all", 1.0, eps, 0.67, 0.1),)))
    fan = sa.fan_quantiles(result, ["compute_spend"])
    assert list(fan.columns) == ["5%", "25%", "50%", "75%", "95%"]
    expected = np.quantile(result.variables["compute_spend"], [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    np.testing.assert_allclose(fan.loc["compute_spend"].to_numpy(), expected.T, rtol=1e-14)
    assert np.all(np.diff(fan.to_numpy(), axis=1) >= 0)


def test_discrete_parameter_gives_each_draw_probability_one_over_k():
    p = sa.Parameter("k", "k", "test", draws=np.array([3.0, 1.0, 2.0]), discrete=True)
    u = np.array([0.0, 0.33, 1 / 3, 0.66, 2 / 3, 0.999, 1.0])
    np.testing.assert_array_equal(p.ppf(u), [1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 3.0])
    assert p.central == 2.0


def test_forecast_outputs_keep_each_elasticity_with_its_demand_growth():
    from model.calibration.forecast import model_growth

    eps = np.array([1.4, 0.7, 1.0, 1.9])
    growth = np.array([0.1, 0.5, 0.3, 0.0])  # a higher elasticity needs less demand growth
    posterior = am.Posterior(eps, growth)
    np.testing.assert_array_equal(posterior.elasticity, [0.7, 1.0, 1.4, 1.9])
    np.testing.assert_array_equal(posterior.demand_growth, [0.5, 0.3, 0.1, 0.0])
    params = am.forecast_parameters(MarketPrior(), posterior)
    assert params[0].name == sa.JOINT and len({p.name for p in params}) == 7
    _, values = sa.sobol_sample(params, 4, seed=2)
    out = am.forecast_model(posterior, 200.0, 100.0)(values)
    k = values[sa.JOINT].astype(int)
    ratios = model_growth(posterior.elasticity[k], posterior.demand_growth[k],
                          values["hardware_doubling_years"], values["efficiency_doubling_years"],
                          values["factor"], values["coverage"], values["diffusion_years"],
                          values["nvidia_share_drift"])
    np.testing.assert_allclose(out["hyperscaler_capex_2025_usd_bn"], 200.0 * ratios["spend_2025"], rtol=1e-14)
    np.testing.assert_allclose(out["nvidia_fy2026_dc_revenue_usd_bn"], 100.0 * ratios["nvidia_fy2026"], rtol=1e-14)
    assert set(k) <= {0, 1, 2, 3}


def test_news_model_matches_its_closed_form(news_parameters):
    """After full adoption: X(2030) = X0 (1 + gamma)^6 (1 - phi + phi S^(eps - 1))."""
    _, values = sa.sobol_sample(news_parameters, 16, seed=3)
    assert values["diffusion_years"].max() <= 2.0  # adoption is complete two half-lives after 2025
    spend = am.news_outputs(values, 2030)["compute_spend"]
    eps, s, phi = values["elasticity"], values["factor"], values["coverage"]
    expected = Params().base_spend_usd_bn * (1 + values["spend_growth"]) ** 6 * (1 - phi + phi * s ** (eps - 1))
    np.testing.assert_allclose(spend, expected, rtol=1e-10)


def test_convergence_table_refuses_mismatched_sizes():
    params = [box("x1"), box("x2"), box("x3")]
    a = sa.sobol_indices(params, ishigami, 2**8, seed=5)
    with pytest.raises(ValueError, match="sizes n and 2n"):
        sa.convergence_table(a, a)


# --- the fitted model (real data) ----------------------------------------------------------------


@pytest.fixture(scope="module")
def calibration(mirror):
    from model.calibration.fit import fit

    return fit("2025-02-10", draws=500, grid_draws=20)


def test_the_forecasts_draw_the_news_over_trend(calibration):
    from dataclasses import replace

    from model.calibration.fit import SEED, make_forecasts

    prior = calibration.forecast_prior
    assert prior is calibration.news_prior
    assert prior.factor_median == pytest.approx(calibration.news.over_trend)
    assert prior.factor_median < calibration.prior.factor_median  # the raw ratios' size
    assert replace(calibration, news_prior=None).forecast_prior is calibration.prior
    name = "hyperscaler_capex_2025_usd_bn"
    shipped = calibration.forecasts[name].draws

    def forecast(with_prior):
        return make_forecasts(calibration.as_of, with_prior, calibration.combination.estimate,
                              calibration.capex, shipped.size, SEED)[name].draws

    np.testing.assert_array_equal(forecast(prior), shipped)
    assert not np.array_equal(forecast(calibration.prior), shipped)


def test_fan_paths_and_forecast_sobol_use_the_forecasts_own_draws(calibration):
    from model.calibration.fit import SEED

    capex = calibration.forecasts["hyperscaler_capex_2025_usd_bn"]
    nvidia = calibration.forecasts["nvidia_fy2026_dc_revenue_usd_bn"]
    paths = am.posterior_paths(calibration, capex.draws.size, SEED)
    np.testing.assert_allclose(paths.variables["compute_spend"][:, 1], capex.draws, rtol=1e-12)
    assert paths.years[-1] == 2035

    posterior = am.posterior_from_fit(calibration, capex.draws.size, SEED)
    eps, growth = am._fit_draws(calibration, capex.draws.size, SEED)
    np.testing.assert_array_equal(np.sort(eps), posterior.elasticity)
    # each elasticity keeps its own demand growth through the sort
    order = np.argsort(eps, kind="stable")
    np.testing.assert_array_equal(growth[order], posterior.demand_growth)

    params = am.forecast_parameters(calibration.forecast_prior, posterior)
    model = am.forecast_model(posterior, capex.base_level, nvidia.base_level)
    frame = sa.sobol_indices(params, sa.log_outputs(model), 2**9).set_index(["output", "parameter"])
    assert frame.loc[("hyperscaler_capex_2025_usd_bn", sa.JOINT), "ST"] > 0.3
    # Nvidia's share moves Nvidia's revenue, not the hyperscalers' spend
    assert abs(frame.loc[("hyperscaler_capex_2025_usd_bn", "nvidia_share_drift"), "ST"]) < 1e-12
    assert frame.loc[("nvidia_fy2026_dc_revenue_usd_bn", "nvidia_share_drift"), "ST"] > 1e-3
