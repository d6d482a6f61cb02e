"""Property tests (hypothesis): what must hold for every input, not only the ones we thought of."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from model.engine import schema
from model.errors import JevonsError, ScenarioError
from model.event_study.windows import MIN_WINDOW_SUMS, locate_windows
from model.scenarios.distributions import parse_distribution, transform
from model.scenarios.keys import display_key, parse_key
from model.scenarios.overrides import grid_values

FIELDS = [schema.BY_KEY[k] for k in ("demand.elasticity", "efficiency.shocks[].coverage",
                                     "demand.growth", "hardware.utilisation")]
finite = st.floats(-50, 50, allow_nan=False, allow_infinity=False)
positive = st.floats(1e-3, 20, allow_nan=False)
uniforms = st.lists(st.floats(0.0, 1.0, exclude_max=True, allow_nan=False), min_size=1, max_size=50)


@st.composite
def distributions(draw):
    field = draw(st.sampled_from(FIELDS))
    lo = field.low if field.low is not None else -20.0
    hi = field.high if field.high is not None else 20.0
    kind = draw(st.sampled_from(["normal", "lognormal", "uniform", "triangular"]))
    inside = st.floats(lo, hi, allow_nan=False)
    if kind == "normal":
        spec = {"dist": kind, "mean": draw(inside), "sd": draw(positive)}
    elif kind == "lognormal":
        assume(lo >= 0)
        spec = {"dist": kind, "median": draw(st.floats(max(lo, 1e-3), hi)), "sigma": draw(positive)}
    else:
        a, b = sorted((draw(inside), draw(inside)))
        assume(b > a)
        spec = {"dist": kind, "low": a, "high": b}
        if kind == "triangular":
            spec["mode"] = draw(st.floats(a, b))
    try:
        return field, parse_distribution(spec, field, "test", field.key)
    except ScenarioError:  # the loader refuses it (e.g. a point outside the range): fine
        assume(False)


@settings(max_examples=300, deadline=None)
@given(distributions(), uniforms)
def test_distribution_draws_stay_in_the_keys_range(field_and_dist, u):
    field, dist = field_and_dist
    x = transform(dist, field, np.array(u))
    assert np.all(np.isfinite(x))
    assert all(field.in_range(float(v)) for v in x), (dist, x)


@settings(max_examples=200, deadline=None)
@given(distributions(), uniforms)
def test_distribution_draws_are_monotone_in_the_uniforms(field_and_dist, u):
    field, dist = field_and_dist
    u = np.sort(np.array(u))
    assert np.all(np.diff(transform(dist, field, u)) >= 0)  # inverse CDF: order preserved


decimals = st.decimals(-1000, 1000, places=3, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(decimals, st.decimals(Decimal("0.001"), 100, places=3), st.integers(0, 400))
def test_grid_values_are_exact_and_end_at_stop(start, step, count):
    stop = start + step * count + step * Decimal("0.5") * (count % 2)  # on or off the grid
    values = grid_values(start, stop, step)
    assert values.size == count + 1
    expected = [float(start + step * k) for k in range(count + 1)]
    assert values.tolist() == expected  # the float nearest to each exact decimal
    assert np.all(np.diff(values) > 0) and values[-1] <= float(stop)


names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{0,12}", fullmatch=True)
key_paths = st.tuples(names, names) | st.tuples(names, names, st.integers(0, 99), names)


@given(key_paths)
def test_key_paths_round_trip_through_text(path):
    text = display_key(path)
    assert parse_key(text, "test") == path
    assert parse_key(text.replace("[", ".").replace("]", ""), "test") == path  # shocks.0.factor


DAYS = pd.bdate_range("2020-01-01", periods=700)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 699), st.integers(-15, 15), st.integers(0, 15), st.integers(20, 300),
       st.integers(0, 30))
def test_event_windows_partition_the_days(position, first, length, estimation, gap):
    window = (first, first + length)
    try:
        w = locate_windows(DAYS, DAYS[position], window, estimation, gap)
    except JevonsError:  # the windows do not fit in the data: refused, never clipped
        lo = position + first - gap - estimation
        too_short = estimation < (length + 1) + MIN_WINDOW_SUMS - 1  # the SQ test's minimum
        assert lo < 0 or position + first < 0 or position + first + length >= len(DAYS) or too_short
        return
    assert len(w.event_dates) == length + 1 and len(w.estimation_dates) == estimation
    assert w.event_dates[0] == DAYS[position + first]
    assert w.estimation_slice.stop + gap == w.event_slice.start  # G days left out between them
    assert w.estimation_dates[-1] < w.event_dates[0]


@pytest.mark.parametrize("bad", ["2025-02-30", "20250210", "", " ", "2025-2-10", None, 3.0])
def test_event_dates_that_are_not_dates_are_refused(bad):
    with pytest.raises(JevonsError):
        locate_windows(DAYS, bad, (0, 0), 250, 10)


# --- hostile scenario files ----------------------------------------------------------------------
SECTIONS = ["demand", "efficiency", "hardware", "time", "supply", "fft", "montecarlo", "base"]
KEYS = ["elasticity", "form", "growth", "doubling_years", "start", "end", "factor", "year",
        "coverage", "draws", "seed", "capped", "beta", "spend_usd_bn", "extends", "name", "dist"]
toml_values = st.one_of(
    st.integers(-10**20, 10**20).map(str), st.floats(allow_nan=True).map(repr),
    st.booleans().map(lambda b: str(b).lower()), st.text(max_size=8).map(lambda s: '"' + s.replace("\\", "").replace('"', "") + '"'),
    st.just("nan"), st.just("inf"), st.just("-inf"), st.just("[]"), st.just("{}"),
    st.just('{ dist = "normal", mean = 1, sd = 0 }'), st.just('{ dist = "lognormal", median = 0, sigma = 1 }'),
    st.just('[{ year = 2025, factor = 0 }]'))
toml_lines = st.lists(st.one_of(
    st.sampled_from(SECTIONS).map(lambda s: f"[{s}]"),
    st.sampled_from(SECTIONS).map(lambda s: f"[[{s}.shocks]]"),
    st.tuples(st.sampled_from(KEYS), toml_values).map(lambda kv: f"{kv[0]} = {kv[1]}")), max_size=12)


def _load_never_crashes(tmp_path_factory, data: bytes) -> None:
    from model.errors import JevonsError
    from model.scenarios import load_scenario, run_scenario

    path = tmp_path_factory.mktemp("hostile") / "s.toml"
    path.write_bytes(data)
    try:
        scenario = load_scenario(str(path))
        run_scenario(scenario, draws=3)
    except JevonsError as exc:
        assert "\n" not in str(exc)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_as_a_scenario_file_are_never_a_traceback(tmp_path_factory, data):
    _load_never_crashes(tmp_path_factory, data)


@settings(max_examples=300, deadline=None)
@given(toml_lines)
def test_random_scenario_like_toml_is_never_a_traceback(tmp_path_factory, lines):
    _load_never_crashes(tmp_path_factory, ("\n".join(lines) + "\n").encode())
