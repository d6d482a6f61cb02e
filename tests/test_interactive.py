"""The book's interactive figures: every value the page can show is the engine's output.

The grids (model.analysis.grids) are checked against the closed forms and against separate
engine runs; the figures (model.output.plotting.interactive) are checked by indexing their
embedded arrays exactly as book/_static/controls.js does. The page itself is exercised in a real
browser by tests/browser (make browser-test).
"""

from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from model.analysis import grids
from model.engine.closed_forms import jevons_factor
from model.engine.params import Params, Segment, Shock
from model.engine.simulation import simulate
from model.errors import JevonsError
from model.output.plotting import interactive
from model.scenarios.loader import load_scenario
from model.scenarios.runs import run_scenario

BOOK = Path(__file__).resolve().parents[1] / "book"


def js_slice(entry: dict, take: list, positions: list[int]) -> np.ndarray:
    """controls.js's ``slice``: row-major offsets into the flat data, one free dimension."""
    shape, data = entry["shape"], entry["data"]
    fixed = [positions[int(t[1:])] if isinstance(t, str) and t.startswith("c") else t for t in take]
    free = fixed.index("free") if "free" in fixed else -1
    offset, stride, free_stride = 0, 1, 0
    for d in range(len(shape) - 1, -1, -1):
        if d == free:
            free_stride = stride
        else:
            offset += fixed[d] * stride
        stride *= shape[d]
    if free < 0:
        return np.array([data[offset]])
    return np.array([data[offset + i * free_stride] for i in range(shape[free])])


def page_values(fig: interactive.InteractiveFigure, positions: list[int]) -> dict:
    """What the page draws at slider ``positions``: trace -> {prop: values}."""
    spec, out = fig.spec, {}
    for u in spec["updates"]:
        if "axis" in u:
            value = np.array([spec["axes"][u["axis"]]["values"][positions[u["axis"]]]])
        else:
            value = js_slice(spec["arrays"][u["array"]], u["take"], positions)
        out.setdefault(u["trace"], {})[u["prop"]] = value
    return out


def engine_multiplier(eps: float, factor: float, coverage: float) -> float:
    """One grid point by its own engine run (scalar parameters, no grid)."""
    base = Params(segments=(Segment("all", 1.0, eps, 0.67, 0.0),))
    shocked = replace(base, shocks=(Shock(2025.0, factor, coverage),))
    return float(
        simulate(shocked).variables["compute_spend"][0, -1]
        / simulate(base).variables["compute_spend"][0, -1]
    )


@pytest.fixture(scope="module")
def multiplier_grid():
    return grids.spend_multiplier_grid()


@pytest.fixture(scope="module")
def multiplier_figure(multiplier_grid):
    return interactive.spend_multiplier(multiplier_grid)


def test_multiplier_grid_is_the_closed_form(multiplier_grid):
    eps, s, phi = (a.values for a in multiplier_grid.axes)
    expected = jevons_factor(eps[:, None, None], s[None, :, None], phi[None, None, :])
    got = multiplier_grid.values["multiplier"]
    assert got.shape == (eps.size, s.size, phi.size)
    np.testing.assert_allclose(got, expected, rtol=1e-9)
    assert {2.0, 11.0, 27.0, 60.0} <= set(s.tolist())  # the book's gains are grid points
    assert np.allclose(got[:, :, 0], 1.0)  # nobody adopts: nothing changes
    assert np.allclose(got[eps == 1.0], 1.0)  # unit elasticity: spend unchanged


@pytest.mark.parametrize(
    "position", [(0, 0, 0), (26, 10, 10), (50, 20, 5), (14, 3, 7), (40, 17, 1)]
)
def test_the_page_shows_the_engine_at_grid_points(multiplier_grid, multiplier_figure, position):
    i, j, k = position
    eps, s, phi = (float(a.values[p]) for a, p in zip(multiplier_grid.axes, position, strict=True))
    drawn = page_values(multiplier_figure, list(position))
    point = drawn[1]["y"][0]  # the marker: J at the sliders' setting
    assert point == pytest.approx(engine_multiplier(eps, s, phi), rel=1e-4)
    assert point == pytest.approx(float(jevons_factor(eps, s, phi)), rel=1e-4)
    assert drawn[1]["x"][0] == pytest.approx(eps) and drawn[3]["x"][0] == pytest.approx(s)
    # the two curves run through the marker: along the elasticity and along the gain
    assert drawn[0]["y"][i] == point and drawn[2]["y"][j] == point
    np.testing.assert_allclose(
        drawn[0]["y"], multiplier_grid.values["multiplier"][:, j, k], rtol=1e-4
    )
    np.testing.assert_allclose(
        drawn[2]["y"], multiplier_grid.values["multiplier"][i, :, k], rtol=1e-4
    )


def test_the_initial_drawing_is_the_start_position(multiplier_figure):
    spec = multiplier_figure.spec
    starts = [a["start"] for a in spec["axes"]]
    for trace, props in page_values(multiplier_figure, starts).items():
        for prop, values in props.items():
            np.testing.assert_allclose(spec["figure"]["data"][trace][prop], values, rtol=1e-4)


def test_html_is_self_contained_and_deterministic(multiplier_grid, multiplier_figure):
    page = multiplier_figure.to_html()
    assert page == interactive.spend_multiplier(multiplier_grid).to_html()
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", page)
    assert "cdn" not in page.lower()
    payload = page.split('class="jevons-spec">', 1)[1].rsplit("</script>", 1)[0]
    assert "</" not in payload  # the JSON cannot end its script element early
    spec = json.loads(payload)
    assert len(spec["axes"]) == len(page.split('type="range"')) - 1 == 3
    assert len(page) < 400_000, "a page's figure stays small"


def test_bad_grids_are_refused():
    with pytest.raises(JevonsError, match="coverages"):
        grids.spend_multiplier_grid(coverages=[0.5, 1.5])
    with pytest.raises(JevonsError, match="elasticities"):
        grids.spend_multiplier_grid(elasticities=[])


# --- scenario paths -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def path_grid():
    return grids.scenario_path_grid("deepseek")


def test_path_grid_opens_on_the_scenario(path_grid):
    starts = tuple(a.start for a in path_grid.axes)
    scenario = load_scenario("deepseek")
    assert path_grid.axes[0].values[starts[0]] == scenario.values["demand"]["substitution"]
    np.testing.assert_allclose(
        path_grid.values["compute_spend"][starts], path_grid.reference["compute_spend"], rtol=1e-12
    )
    assert path_grid.years[0] == 2024 and path_grid.years[-1] == 2035


@pytest.mark.parametrize("position", [(0, 0, 0, 0), (9, 5, 2, 1), (15, 3, 4, 2), (6, 0, 1, 0)])
def test_path_page_values_are_separate_runs(path_grid, position):
    fig = interactive.scenario_paths(path_grid)
    keys = [a.key for a in path_grid.axes]
    sets = [
        f"{key}={float(a.values[p])!r}"
        for key, a, p in zip(keys, path_grid.axes, position, strict=True)
    ]
    run = run_scenario(load_scenario("deepseek", sets)).result.variables["compute_spend"][0]
    drawn = page_values(fig, list(position))
    np.testing.assert_allclose(drawn[max(drawn)]["y"], run, rtol=1e-4)  # the sliders' path
    no_gain = sets[:1] + ["efficiency.shocks[0].factor=1.0"] + sets[2:]
    without = run_scenario(load_scenario("deepseek", no_gain)).result.variables["compute_spend"][0]
    np.testing.assert_allclose(drawn[2]["y"], without, rtol=1e-4)


def test_what_the_scenarios_chapter_says_about_the_sliders(path_grid):
    """sigma and demand growth move 2035 spend far more than the gain; eta matters at high sigma."""
    spend = np.log(path_grid.values["compute_spend"][..., -1])
    starts = [a.start for a in path_grid.axes]

    def spread(axis, at=None):
        index = list(at or starts)
        index[axis] = slice(None)
        return float(np.ptp(spend[tuple(index)]))

    assert min(spread(0), spread(2)) > 3 * spread(1)
    high_sigma = list(starts)
    high_sigma[0] = path_grid.axes[0].values.size - 1
    assert spread(3, high_sigma) > 10 * spread(3)


def test_a_scenario_with_distributions_is_the_median_of_the_same_draws():
    grid = grids.scenario_path_grid("montecarlo", draws=100)
    assert grid.notes["draws"] == "100"
    position = (12, 4, 2, 1)
    sets = [f"{a.key}={float(a.values[p])!r}" for a, p in zip(grid.axes, position, strict=True)]
    run = run_scenario(load_scenario("montecarlo", sets), draws=100)
    expected = np.median(run.result.variables["compute_spend"], axis=0)
    np.testing.assert_allclose(grid.values["compute_spend"][position], expected, rtol=1e-12)
    sigma = load_scenario("montecarlo").distributions["demand.substitution"]
    assert sigma.dist == "lognormal"  # the slider opens at the median of its draws
    assert grid.axes[0].values[grid.axes[0].start] == pytest.approx(sigma.named["median"], rel=0.05)


@pytest.mark.skipif(not (BOOK.parent / "scenarios" / "fitted.toml").is_file(),
                    reason="no scenarios/fitted.toml")
def test_the_fitted_scenario_has_sliders():
    grid = grids.scenario_path_grid("fitted")
    start = grid.values["compute_spend"][tuple(a.start for a in grid.axes)]
    # the sliders fix sigma and growth at their medians; the shipped line draws them
    np.testing.assert_allclose(start, grid.reference["compute_spend"], rtol=0.3)
    assert len(interactive.scenario_paths(grid).to_html()) < 400_000


def test_path_grid_without_a_shock_has_no_shock_control():
    grid = grids.scenario_path_grid("baseline")
    assert "efficiency.shocks[0].factor" not in [a.key for a in grid.axes]
    fig = interactive.scenario_paths(grid)
    assert len(fig.spec["axes"]) == len(grid.axes)


# --- the forecast fan -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def calibration(mirror):
    import model

    return model.fit(as_of="2025-02-10", draws=1000, grid_draws=100)


def test_fan_reference_is_the_fits_own_fan(calibration):
    from model.analysis.models import posterior_paths

    grid = grids.forecast_fan_grid(calibration, draws=400)
    paths = posterior_paths(calibration, 400, grids.SEED, end=2035).variables["compute_spend"]
    expected = np.quantile(paths, grids.FAN_QUANTILES, axis=0)
    np.testing.assert_allclose(grid.reference["fan"], expected, rtol=1e-12)
    k, m = len(grids.FAN_PERCENTILES), len(grids.FAN_GROWTHS)
    assert grid.values["fan"].shape == (k, m, len(grids.FAN_QUANTILES), 12)
    assert np.all(np.diff(grid.values["fan"], axis=2) >= 0)  # quantiles in order
    # with demand growth held fixed, a higher elasticity means more spend later
    assert np.all(np.diff(grid.values["fan"][:, 1, 2, -1]) > 0)
    fig = interactive.forecast_fan(grid)
    starts = [a["start"] for a in fig.spec["axes"]]
    drawn = page_values(fig, starts)
    np.testing.assert_allclose(
        drawn[4]["y"], grid.values["fan"][starts[0], starts[1], 2], rtol=1e-4
    )
    assert (
        fig.to_html()
        == interactive.forecast_fan(grids.forecast_fan_grid(calibration, draws=400)).to_html()
    )


def test_fan_fades_after_the_plans_and_can_hold_the_growth_instead(calibration):
    from model.analysis.models import posterior_paths

    last_plan = int(calibration.capex.plans["year"].max())
    held = grids.forecast_fan_grid(calibration, draws=200, fade=False)
    paths = posterior_paths(calibration, 200, grids.SEED, end=2035, fade=False)
    expected = np.quantile(paths.variables["compute_spend"], grids.FAN_QUANTILES, axis=0)
    np.testing.assert_allclose(held.reference["fan"], expected, rtol=1e-12)
    faded = grids.forecast_fan_grid(calibration, draws=200)
    through = faded.years <= last_plan
    # the same paths through the last plan year, then lower: the fitted growth (far above the
    # long-run prior) fades, and every option ("held at X%") fades to the same long-run draws
    np.testing.assert_allclose(faded.values["fan"][..., through], held.values["fan"][..., through],
                               rtol=1e-12)
    assert np.all(faded.reference["fan"][2, -1] < held.reference["fan"][2, -1])
    assert np.all(faded.values["fan"][:, 0, 2, -1] < held.values["fan"][:, 0, 2, -1])
    growth_axis = faded.axes[1]
    assert f"to {last_plan}, then fading" in growth_axis.label
    assert all(label.endswith(f"to {last_plan}, then fading") for label in growth_axis.labels)
    assert "held to the end" in held.axes[1].label


def test_fan_refuses_bad_percentiles(calibration):
    with pytest.raises(JevonsError, match="percentiles"):
        grids.forecast_fan_grid(calibration, percentiles=[0, 50])


# --- the book's Sphinx extension -----------------------------------------------------------------
def _extension():
    spec = importlib.util.spec_from_file_location(
        "offline_assets", BOOK / "_ext" / "offline_assets.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_mathjax_and_plotly_are_installed_locally():
    ext = _extension()
    source = ext.mathjax_source()
    assert (source / "tex-chtml.js").is_file()
    fonts = list((source / "output" / "chtml" / "fonts" / "woff-v2").glob("*.woff"))
    assert len(fonts) >= 20, "tex-chtml needs its woff fonts"
    assert (source / "input" / "tex" / "extensions").is_dir()  # loaded on demand by autoload
    assert ext.PLOTLY_JS.is_file() and ext.PLOTLY_JS.stat().st_size > 1_000_000
    assert (BOOK / "_static" / "controls.js").is_file()


def test_data_date_line_is_the_newest_fact():
    from model.data.facts import load_facts

    line = _extension().data_date_line()
    assert line.startswith(f"Data as of {load_facts()['as_of'].max():%Y-%m-%d}:")
    assert "http" not in line  # the theme would fetch an announcement that is a URL
