"""Distributions for scenario keys: validation, moments, truncation, independent seeded streams."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from model.engine import schema
from model.errors import ScenarioError
from model.scenarios.distributions import (
    Distribution,
    draw,
    find_distributions,
    parse_distribution,
    sample_values,
    transform,
)
from model.scenarios.keys import schema_key

N = 100_000
SEED = 12345
ELASTICITY = schema.BY_KEY["demand.elasticity"]  # [0, 10]
GROWTH = schema.BY_KEY["demand.growth"]  # [-0.9, 10]
UTILISATION = schema.BY_KEY["hardware.utilisation"]  # (0, 1]
COVERAGE = schema.BY_KEY["efficiency.shocks[].coverage"]  # [0, 1]
PERSISTENCE = schema.BY_KEY["demand.persistence"]  # [0, 1)


def dist(spec: dict, field=ELASTICITY) -> Distribution:
    return parse_distribution(spec, field, "test.toml", field.key)


def sem_ok(x: np.ndarray, mean: float, sd: float, z: float = 5.0) -> bool:
    """The sample mean is within z standard errors of the true mean."""
    return abs(x.mean() - mean) < z * sd / math.sqrt(x.size)


# --- moments ----------------------------------------------------------------------------------
def test_normal_moments():
    x = draw(dist({"dist": "normal", "mean": 2.0, "sd": 0.3}), ELASTICITY, N, SEED, "k")
    assert x.dtype == np.float64 and x.shape == (N,)
    assert sem_ok(x, 2.0, 0.3)
    assert x.std() == pytest.approx(0.3, rel=0.02)


def test_lognormal_moments():
    median, sigma = 1.1, 0.3
    x = draw(dist({"dist": "lognormal", "median": median, "sigma": sigma}), ELASTICITY, N, SEED, "k")
    mean = median * math.exp(sigma**2 / 2)
    sd = mean * math.sqrt(math.exp(sigma**2) - 1)
    assert sem_ok(x, mean, sd)
    assert np.median(x) == pytest.approx(median, rel=0.01)
    assert np.log(x).std() == pytest.approx(sigma, rel=0.02)


def test_uniform_moments():
    x = draw(dist({"dist": "uniform", "low": 0.3, "high": 1.0}, COVERAGE), COVERAGE, N, SEED, "k")
    assert x.min() >= 0.3 and x.max() < 1.0
    assert sem_ok(x, 0.65, 0.7 / math.sqrt(12))
    assert x.var() == pytest.approx(0.7**2 / 12, rel=0.02)


def test_triangular_moments():
    a, c, b = 0.5, 1.0, 3.0
    x = draw(dist({"dist": "triangular", "low": a, "mode": c, "high": b}), ELASTICITY, N, SEED, "k")
    var = (a * a + b * b + c * c - a * b - a * c - b * c) / 18
    assert x.min() >= a and x.max() <= b
    assert sem_ok(x, (a + b + c) / 3, math.sqrt(var))
    assert x.var() == pytest.approx(var, rel=0.02)
    # The mode: the histogram peaks in the bin holding c.
    counts, edges = np.histogram(x, bins=25, range=(a, b))
    assert edges[np.argmax(counts)] <= c <= edges[np.argmax(counts) + 1]


def test_triangular_draws_at_the_modes_quantile_do_not_round_below_the_mode():
    # Regression (found by test_properties): at u = fc = (c - a) / (b - a) the right branch,
    # b - sqrt((1 - u)(b - a)(b - c)), rounded to 0 here, below both the mode and the low end.
    a, c, b = 1e-250, 4e-224, 1.0
    d = dist({"dist": "triangular", "low": a, "mode": c, "high": b})
    fc = (c - a) / (b - a)
    u = np.array([0.0, np.nextafter(fc, 0.0), fc, np.nextafter(fc, 1.0), 0.5])
    x = transform(d, ELASTICITY, u)
    assert x[2] == c
    assert np.all(x >= a) and np.all(np.diff(x) >= 0)


# --- truncation -------------------------------------------------------------------------------
def test_normal_truncated_to_the_key_range_matches_scipy_truncnorm():
    mean, sd = 0.9, 0.3  # utilisation is in (0, 1]: a third of the mass lies above 1
    d = dist({"dist": "normal", "mean": mean, "sd": sd}, UTILISATION)
    x = draw(d, UTILISATION, N, SEED, "k")
    assert x.max() <= 1.0 and x.min() > 0.0
    a, b = (0 - mean) / sd, (1 - mean) / sd
    ref = stats.truncnorm(a, b, loc=mean, scale=sd)
    assert sem_ok(x, ref.mean(), ref.std())
    # Inverse-CDF sampling: on a symmetric grid of uniforms the sorted draws are truncnorm's
    # quantiles (the upper tail is mirrored, so the map may run backwards).
    u = (np.arange(1000) + 0.5) / 1000
    np.testing.assert_allclose(np.sort(transform(d, UTILISATION, u)), ref.ppf(u), rtol=1e-9)


def test_truncation_in_the_far_upper_tail_stays_accurate():
    # The range [-0.9, 10] starts 7 sd above the mean of N(-3, 0.3) (mass ~1e-12): in double
    # precision ndtr(7) is 1 - 1e-12 with few digits left, so the transform mirrors the
    # problem into the lower tail. (parse_distribution keeps means inside the range; this
    # checks the transform itself.)
    d = Distribution("normal", (-3.0, 0.3))
    x = transform(d, GROWTH, np.linspace(0, 1, 101, endpoint=False))
    assert np.all(np.isfinite(x)) and x.min() >= -0.9
    ref = stats.truncnorm((-0.9 + 3.0) / 0.3, (10 + 3.0) / 0.3, loc=-3.0, scale=0.3)
    u = (np.arange(200) + 0.5) / 200
    np.testing.assert_allclose(np.sort(transform(d, GROWTH, u)), ref.ppf(u), rtol=1e-9)


def test_lognormal_truncated_at_one_for_a_share():
    d = dist({"dist": "lognormal", "median": 0.8, "sigma": 0.5}, COVERAGE)
    x = draw(d, COVERAGE, N, SEED, "k")
    assert x.max() <= 1.0 and x.min() > 0.0
    # log x is a normal truncated above at 0.
    ref = stats.truncnorm(-np.inf, (0 - math.log(0.8)) / 0.5, loc=math.log(0.8), scale=0.5)
    assert sem_ok(np.log(x), ref.mean(), ref.std())


def test_open_bounds_are_never_drawn():
    x = transform(Distribution("uniform", (0.0, 0.999)), PERSISTENCE, np.array([0.0, 0.5]))
    assert x[0] == 0.0  # closed lower bound may be drawn
    y = transform(Distribution("normal", (0.99, 0.5)), PERSISTENCE, np.array([0.0, 1 - 2**-53]))
    assert np.all(y < 1.0) and np.all(y >= 0.0)  # persistence < 1
    beta = schema.BY_KEY["fft.beta"]  # (0, 10]
    z = transform(Distribution("normal", (0.01, 1.0)), beta, np.array([0.0, 1e-300, 0.5]))
    assert np.all(z > 0.0)


# --- streams ----------------------------------------------------------------------------------
def _values(**demand):
    return {"demand": {"elasticity": Distribution("lognormal", (1.1, 0.3)), **demand},
            "hardware": {"doubling_years": 2.46}}


def test_same_seed_same_draws_and_different_seed_different_draws():
    a = sample_values(_values(), 1000, SEED)["demand"]["elasticity"]
    b = sample_values(_values(), 1000, SEED)["demand"]["elasticity"]
    c = sample_values(_values(), 1000, SEED + 1)["demand"]["elasticity"]
    assert a.tobytes() == b.tobytes()
    assert not np.array_equal(a, c)


def test_adding_a_random_key_does_not_move_the_others():
    alone = sample_values(_values(), 1000, SEED)
    more = sample_values(_values(growth=Distribution("normal", (0.1, 0.05))), 1000, SEED)
    assert alone["demand"]["elasticity"].tobytes() == more["demand"]["elasticity"].tobytes()
    # Keys get distinct streams: the same distribution on two keys gives different draws.
    two = sample_values({"demand": {"elasticity": Distribution("uniform", (0.5, 1.5)),
                                    "growth": Distribution("uniform", (0.5, 1.5))}}, 1000, SEED)
    assert not np.array_equal(two["demand"]["elasticity"], two["demand"]["growth"])
    assert abs(np.corrcoef(two["demand"]["elasticity"], two["demand"]["growth"])[0, 1]) < 0.1


def test_more_draws_extend_the_same_stream():
    short = sample_values(_values(), 100, SEED)["demand"]["elasticity"]
    long = sample_values(_values(), 1000, SEED)["demand"]["elasticity"]
    np.testing.assert_array_equal(short, long[:100])


def test_sample_values_keeps_scalars_and_replaces_distributions():
    values = {"efficiency": {"doubling_years": 0.67, "shocks": [
        {"year": 2025.07, "factor": Distribution("lognormal", (11.0, 0.5)), "label": "DeepSeek"}]}}
    out = sample_values(values, 50, SEED)
    assert out["efficiency"]["doubling_years"] == 0.67
    assert out["efficiency"]["shocks"][0]["label"] == "DeepSeek"
    assert out["efficiency"]["shocks"][0]["factor"].shape == (50,)
    assert isinstance(values["efficiency"]["shocks"][0]["factor"], Distribution)  # not mutated
    assert list(find_distributions(values)) == ["efficiency.shocks[0].factor"]
    assert schema_key(("efficiency", "shocks", 0, "factor")) == "efficiency.shocks[].factor"


# --- validation -------------------------------------------------------------------------------
@pytest.mark.parametrize(("spec", "field", "fragment"), [
    ({"dist": "lognorml", "median": 1, "sigma": 0.3}, ELASTICITY, "did you mean 'lognormal'"),
    ({"median": 1, "sigma": 0.3}, ELASTICITY, "needs a 'dist' entry"),
    ({"dist": "lognormal", "median": 1}, ELASTICITY, "missing sigma"),
    ({"dist": "lognormal", "median": 1, "sigma": 0.3, "sd": 1}, ELASTICITY, "unknown parameter 'sd'"),
    ({"dist": "normal", "mean": 1, "sd": 0}, ELASTICITY, "allowed: sd > 0"),
    ({"dist": "normal", "mean": 1, "sd": "x"}, ELASTICITY, "allowed: a finite number"),
    ({"dist": "normal", "mean": math.nan, "sd": 1}, ELASTICITY, "allowed: a finite number"),
    ({"dist": "normal", "mean": 12, "sd": 1}, ELASTICITY, "mean = 12 is outside"),
    ({"dist": "lognormal", "median": 1, "sigma": -1}, ELASTICITY, "0 < sigma <= 5"),
    ({"dist": "lognormal", "median": 0.1, "sigma": 0.1}, GROWTH, "only for keys whose range is positive"),
    ({"dist": "uniform", "low": 1, "high": 1}, ELASTICITY, "low < high"),
    ({"dist": "uniform", "low": 0.5, "high": 1.5}, COVERAGE, "high = 1.5 is outside"),
    ({"dist": "uniform", "low": 0, "high": 0.5}, UTILISATION, "low = 0 is outside"),
    ({"dist": "triangular", "low": 0, "mode": 3, "high": 2}, ELASTICITY, "low <= mode <= high"),
    ({"dist": "normal", "mean": 1, "sd": 1}, schema.BY_KEY["hardware.peak_flops"], "may not be a distribution"),
])
def test_bad_distributions_are_one_line_errors(spec, field, fragment):
    with pytest.raises(ScenarioError) as info:
        parse_distribution(spec, field, "x.toml", "some.key")
    message = str(info.value)
    assert message.startswith("x.toml: some.key: ")
    assert "allowed:" in message and fragment in message and "\n" not in message


def test_distribution_text_and_parameters():
    d = dist({"dist": "triangular", "high": 3, "low": 0.5, "mode": 1})
    assert d.params == (0.5, 1.0, 3.0)
    assert str(d) == "triangular(low=0.5, mode=1, high=3)"
