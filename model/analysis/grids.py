"""The engine's output on grids of parameters, for the book's interactive figures.

A reader of the static book moves a control and the page shows the value at that grid point;
every value shown is computed here, at build time, by the engine (:mod:`model.engine.simulation`)
in one vectorised call with the grid points on the draw axis. Nothing is interpolated in the
page.

* :func:`spend_multiplier_grid`: the long-run spend multiplier of a one-off efficiency gain over
  (elasticity, gain S, coverage phi), isoelastic demand; its closed form is
  :func:`model.engine.closed_forms.jevons_factor`, J = 1 - phi + phi S^(eps - 1).
* :func:`scenario_path_grid`: a scenario's yearly paths over a grid of its keys (a sweep, as
  ``jevons sweep`` runs it).
* :func:`forecast_fan_grid`: the fit's forecast fan with the elasticity held at each of a few
  percentiles of its posterior, demand growth fading after the plans' last year (as
  :func:`model.analysis.models.posterior_paths`).

Each returns a :class:`ParameterGrid`: the axes and arrays of shape (axis sizes..., [years]).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from model.analysis.models import fade_keywords
from model.calibration.fit import forecast_draws
from model.calibration.long_run_growth import HALF_LIFE_RANGE
from model.constants import SEED
from model.engine.params import Params, Segment, Shock, ValueCapture, params_from_values
from model.engine.simulation import simulate
from model.engine.valuation import with_news
from model.errors import JevonsError
from model.scenarios.keys import parse_key, resolve_key
from model.scenarios.loader import load_scenario
from model.scenarios.overrides import Grid, grid_points, set_value
from model.scenarios.rules import check_cross_fields
from model.scenarios.runs import check_memory, resolve_draws, run_scenario, run_sweep, sample

# (a) the spend multiplier: elasticities 0-2.5, gains 1-100 (log-spaced, with the book's 2x,
# 11x, 27x and 60x on the grid), coverages 0-1.
MULTIPLIER_ELASTICITIES = np.round(np.arange(0.0, 2.5001, 0.05), 2)
MULTIPLIER_FACTORS = np.unique(
    np.round(np.concatenate([np.geomspace(1.0, 100.0, 17), [2.0, 11.0, 27.0, 60.0]]), 3)
)
MULTIPLIER_COVERAGES = np.round(np.arange(0.0, 1.0001, 0.1), 1)

# (b) scenario paths: the keys a reader can move, and their grid values. The scenario's own
# value of each key is added to its grid, so the page opens on the scenario itself.
PATH_AXES: dict[str, tuple[float, ...]] = {
    "demand.substitution": tuple(np.round(np.arange(0.5, 2.0001, 0.1), 1)),
    "efficiency.shocks[0].factor": (1.0, 2.0, 5.0, 11.0, 27.0, 60.0),
    "demand.growth": (0.0, 0.2, 0.4, 0.6, 0.8, 1.0),
    "demand.final_elasticity": (0.5, 0.75, 1.0),
}
PATH_LABELS = {
    "demand.substitution": "Substitution elasticity σ",
    "efficiency.shocks[0].factor": "DeepSeek gain S",
    "demand.growth": "Demand growth per year",
    "demand.final_elasticity": "Final-demand elasticity η",
    "budget.growth": "Budget growth (per year)",
}

PATH_DRAWS = 100  # draws per grid point for a scenario with distributions (its median path)

# (c) the forecast fan: elasticity percentiles and the fan's quantiles.
FAN_PERCENTILES = (5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95)
FAN_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
FAN_GROWTHS = (np.nan, 0.0, 0.2, 0.4, 0.6)  # nan: drawn given the elasticity from the capex fit


@dataclass(frozen=True)
class Axis:
    """One parameter of a grid: its key (or name), a label for a reader, its grid values."""

    key: str
    label: str
    values: np.ndarray
    start: int = 0  # index of the value the page opens on
    labels: tuple[str, ...] = ()  # how the page shows each value (default: the number)


@dataclass(frozen=True)
class ParameterGrid:
    """Engine output on the cartesian product of ``axes``.

    ``values[name]`` has shape ``(len(axes[0].values), ..., len(axes[-1].values))``, followed by
    ``len(years)`` when ``years`` is set (yearly paths), or by extra trailing axes named in
    ``trailing`` (e.g. the quantiles of a fan).
    """

    axes: tuple[Axis, ...]
    values: dict[str, np.ndarray]
    years: np.ndarray | None = None
    reference: dict[str, np.ndarray] = field(default_factory=dict)
    """Paths that do not move with the controls (e.g. the scenario as shipped, its budget)."""
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(a.values.size for a in self.axes)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape))


def _mesh(*axes: np.ndarray) -> list[np.ndarray]:
    """The cartesian product of ``axes`` flattened (the first axis varies slowest)."""
    return [m.reshape(-1) for m in np.meshgrid(*axes, indexing="ij")]


# --- (a) the spend multiplier ---------------------------------------------------------------------
def spend_multiplier_grid(
    elasticities: Sequence[float] = MULTIPLIER_ELASTICITIES,
    factors: Sequence[float] = MULTIPLIER_FACTORS,
    coverages: Sequence[float] = MULTIPLIER_COVERAGES,
    params: Params | None = None,
) -> ParameterGrid:
    """The long-run spend multiplier J over (elasticity, gain, coverage), computed by the engine.

    Every grid point is one draw of a single :func:`simulate` call with isoelastic demand and an
    instant shock of gain S covering a share phi of demand one year after the base year, and of
    one call without it; J is the ratio of compute spend in the last year. For isoelastic demand
    J = 1 - phi + phi S^(eps - 1) (:func:`~model.engine.closed_forms.jevons_factor`).
    """
    eps, s, phi = (np.asarray(x, dtype=float) for x in (elasticities, factors, coverages))
    for name, grid in (("elasticities", eps), ("factors", s), ("coverages", phi)):
        if grid.ndim != 1 or grid.size == 0 or not np.all(np.isfinite(grid)):
            raise JevonsError(
                f"spend_multiplier_grid: {name}: got {grid!r}; allowed: a non-empty 1-D grid of "
                "finite numbers"
            )
    if (s <= 0).any() or (phi < 0).any() or (phi > 1).any():
        raise JevonsError("spend_multiplier_grid: factors must be > 0 and coverages in [0, 1]")
    grid_eps, grid_s, grid_phi = _mesh(eps, s, phi)
    base = Params() if params is None else params
    segment = replace(base.segments[0], form="isoelastic", elasticity=grid_eps)
    without = replace(base, segments=(segment,), shocks=())
    shock = Shock(year=float(base.start + 1), factor=grid_s, coverage=grid_phi, label="one-off")
    ratio = (
        simulate(replace(without, shocks=(shock,))).variables["compute_spend"][:, -1]
        / simulate(without).variables["compute_spend"][:, -1]
    )
    axes = (
        Axis("elasticity", "Price elasticity of demand ε", eps, _nearest(eps, 1.3)),
        Axis("factor", "Efficiency gain S (x)", s, _nearest(s, 11.0)),
        Axis("coverage", "Share of demand that adopts it φ", phi, _nearest(phi, 1.0)),
    )
    return ParameterGrid(axes, {"multiplier": ratio.reshape(eps.size, s.size, phi.size)})


def _nearest(grid: np.ndarray, value: float) -> int:
    return int(np.argmin(np.abs(np.asarray(grid, dtype=float) - value)))


# --- (b) scenario paths --------------------------------------------------------------------------
def path_axes(scenario, axes: Mapping[str, Sequence[float]] | None = None,
              centre: Mapping[str, float] | None = None) -> dict[str, np.ndarray]:
    """The grid of each key for ``scenario``: ``axes`` (default :data:`PATH_AXES`) with the
    scenario's own value added (for a key that is a distribution, its median in ``centre``); a
    shock key is dropped when the scenario has no such shock."""
    chosen = dict(PATH_AXES if axes is None else axes)
    out = {}
    for key, grid in chosen.items():
        path = parse_key(key, "interactive grid")
        try:
            own = _own(scenario.values, path)
        except (KeyError, IndexError):
            if axes is None and path[0] == "efficiency":
                continue  # the default shock-size control needs a shock to move
            resolve_key(scenario.values, path, f"grid key {key}")  # raises the usual error
            raise
        if own is None and centre is not None:
            own = centre.get(key)
        values = np.asarray(grid, dtype=float)
        if own is not None:
            values = np.unique(np.concatenate([values, [own]]))
        out[key] = values
    return out


def _tile(node: Any, reps: int) -> Any:
    """``node`` (a scenario's values) with every array of draws repeated ``reps`` times."""
    if isinstance(node, dict):
        return {k: _tile(v, reps) for k, v in node.items()}
    if isinstance(node, list):
        return [_tile(v, reps) for v in node]
    if isinstance(node, np.ndarray) and node.ndim == 1:
        return np.tile(node, reps)
    return node


def scenario_path_grid(
    scenario_name: str = "deepseek",
    axes: Mapping[str, Sequence[float]] | None = None,
    variables: Sequence[str] = ("compute_spend",),
    overrides: Sequence[str] = (),
    draws: int = PATH_DRAWS,
) -> ParameterGrid:
    """Yearly paths of ``scenario_name`` (with ``overrides``) over a grid of its keys.

    A deterministic scenario is one sweep (:func:`model.scenarios.runs.run_sweep`, as
    ``jevons sweep`` runs it): every point of the cartesian product of the axes is a draw of one
    engine call. A scenario with distributions (``fitted``, ``montecarlo``) is sampled once,
    ``draws`` draws with its own seed, and every grid point gets those same draws with the swept
    keys fixed at the point's values (one engine call over points x draws); its paths are the
    median across the draws. ``reference`` holds the scenario's own run (``"<variable>"``, the
    median across its draws) and the budget (``"budget"``, at its median).
    """
    scenario = load_scenario(scenario_name, list(overrides))
    random = bool(scenario.distributions)
    n, seed, _ = resolve_draws(scenario, draws if random else 1)
    sampled = sample(scenario, n, seed)
    centre = {key: float(np.median(_own_array(sampled, parse_key(key, "interactive grid"))))
              for key in scenario.distributions}
    grids = [Grid(key, parse_key(key, "interactive grid"), values)
             for key, values in path_axes(scenario, axes, centre).items()]
    shape = tuple(g.values.size for g in grids)
    if random:
        points = grid_points(grids)
        check_memory(len(points) * n, sampled["time"]["end"] - sampled["time"]["start"] + 1,
                     "interactive grid")
        values = _tile(sampled, len(points))
        for grid in grids:
            set_value(values, grid.path, np.repeat(points[grid.key].to_numpy(), n))
        check_cross_fields(values, scenario.origins)
        result = simulate(params_from_values(values))
        years = result.years
        paths = {name: np.median(result.variables[name].reshape(len(points), n, years.size), axis=1)
                 for name in variables}
    else:
        result = run_sweep(scenario, grids).result
        years = result.years
        paths = {name: result.variables[name] for name in variables}
    grid_values = {name: paths[name].reshape(*shape, years.size) for name in variables}
    own = run_scenario(scenario)
    reference = {name: np.median(own.result.variables[name], axis=0) for name in variables}
    budget = sampled["budget"]
    usd, growth = (float(np.median(budget[k])) for k in ("usd_bn", "growth"))
    reference["budget"] = usd * (1.0 + growth) ** (years - years[0])
    axes_out = []
    for grid in grids:
        own_value = _own(scenario.values, grid.path)
        own_value = centre.get(grid.key) if own_value is None else own_value
        start = _nearest(grid.values, own_value) if own_value is not None else 0
        axes_out.append(Axis(grid.key, PATH_LABELS.get(grid.key, grid.key), grid.values, start))
    notes = {"scenario": scenario.name, "draws": str(n if random else 1),
             "reference_draws": str(own.n_draws)}
    return ParameterGrid(tuple(axes_out), grid_values, years=years, reference=reference,
                         notes=notes)


def _own_array(values, path) -> np.ndarray:
    node = values
    for part in path:
        node = node[part]
    return np.asarray(node, dtype=float)


def _own(values, path) -> float | None:
    """The scenario's value at ``path`` when it is a number (None for a distribution)."""
    node = values
    for part in path:
        node = node[part]
    return float(node) if isinstance(node, int | float) and not isinstance(node, bool) else None


# --- (c) the forecast fan -------------------------------------------------------------------------
def forecast_fan_grid(
    calibration,
    percentiles: Sequence[float] = FAN_PERCENTILES,
    growths: Sequence[float] = FAN_GROWTHS,
    draws: int = 1000,
    seed: int = SEED,
    end: int = 2035,
    variable: str = "compute_spend",
    quantiles: Sequence[float] = FAN_QUANTILES,
    fade: bool = True,
) -> ParameterGrid:
    """The fit's fan of ``variable`` to ``end`` with the elasticity held at each percentile.

    For percentile p the elasticity is the p-th percentile of the fit's combined estimate.
    Near-term demand growth is, for the first option (``nan`` in ``growths``), drawn given that
    elasticity from the capex fit (the plans tie the two; the same uniforms for every p, so the
    fan moves with p and not with sampling noise), and otherwise the given value. With ``fade``
    (the default, as :func:`model.analysis.models.posterior_paths`) that growth holds through
    the last plan year and then fades towards long-run growth drawn from its prior, the same
    draws (:func:`model.analysis.models.fade_keywords`) at every grid point and in the
    reference; without it the growth holds to ``end``. The trends, the DeepSeek news (over
    trend, S_news) and the custom-silicon drift are the draws of
    :func:`~model.calibration.fit.forecast_draws`, the same at every grid point. Base-year spend
    is the four hyperscalers' 2024 capex, as in :func:`model.analysis.models.posterior_paths`.
    One engine call over ``len(percentiles) x len(growths) x draws`` draws plus the fit's own fan
    (every elasticity draw with its growth), kept in ``reference``: it equals the quantiles of
    ``posterior_paths(calibration, draws, seed, end, fade=fade)``.

    ``values["fan"]`` has shape (percentiles, growths, quantiles, years).
    """
    pct, grow = np.asarray(percentiles, dtype=float), np.asarray(growths, dtype=float)
    if pct.ndim != 1 or pct.size == 0 or not ((pct > 0) & (pct < 100)).all():
        raise JevonsError(
            f"forecast_fan_grid: percentiles: got {percentiles!r}; allowed: "
            "numbers strictly between 0 and 100"
        )
    if grow.ndim != 1 or grow.size == 0 or (grow[np.isfinite(grow)] <= -1).any():
        raise JevonsError(
            f"forecast_fan_grid: growths: got {growths!r}; allowed: nan (growth "
            "from the capex plans) or growth rates above -1"
        )
    if int(draws) < 10:
        raise JevonsError(f"forecast_fan_grid: draws: got {draws}; allowed: an integer >= 10")
    n, k, m = int(draws), pct.size, grow.size
    combined = calibration.combination.estimate
    eps_fit, growth_fit, inputs = forecast_draws(
        calibration.forecast_prior, combined, calibration.capex, n, seed
    )
    faded = fade_keywords(calibration, eps_fit, inputs, seed) if fade else {}
    held = np.percentile(np.asarray(combined.draws, dtype=float), pct)
    # One call per percentile (a handful), each vectorised over the draws, all with the same
    # generator state: common random numbers across the control's positions.
    planned = np.stack(
        [
            calibration.capex.demand_growth_given(
                np.full(n, e), rng=np.random.default_rng([seed, 22])
            )
            for e in held
        ]
    )  # (k, n)
    growth_grid = np.where(
        np.isfinite(grow)[None, :, None], np.nan_to_num(grow)[None, :, None], planned[:, None, :]
    )  # (k, m, n)
    eps_grid = np.broadcast_to(held[:, None, None], (k, m, n))
    eps_all = np.concatenate([eps_grid.reshape(-1), eps_fit])
    growth_all = np.concatenate([growth_grid.reshape(-1), growth_fit])
    tiled = {name: np.tile(np.asarray(v, dtype=float), k * m + 1) for name, v in inputs.items()}
    fading = {
        name: np.tile(np.asarray(v, dtype=float), k * m + 1) if np.ndim(v) else v
        for name, v in faded.items()
    }  # the same long-run draws (and half-lives) at every grid point
    capex_base, _ = calibration.capex.base_level()
    params = Params(
        name="forecast-fan",
        start=2024,
        end=int(end),
        base_spend_usd_bn=float(capex_base),
        hardware_doubling_years=tiled["hardware_doubling_years"],
        segments=(
            Segment(
                "all", 1.0, eps_all, tiled["efficiency_doubling_years"], growth_all, **fading
            ),
        ),
        value_capture=ValueCapture(nvidia_share_drift=tiled["nvidia_share_drift"]),
    )
    result = simulate(
        with_news(params, tiled["factor"], tiled["coverage"], tiled["diffusion_years"])
    )
    paths = result.variables[variable].reshape(k * m + 1, n, result.years.size)
    q = np.asarray(quantiles, dtype=float)
    fan = np.moveaxis(np.quantile(paths, q, axis=1), 0, 1)  # (k m + 1, quantiles, years)
    if fade:
        last = f"{faded['growth_fade_start']:.0f}"
        growth_label = f"Demand growth at a constant price to {last}, then fading to the long run"
        then = f" to {last}, then fading"
    else:
        growth_label, then = "Demand growth at a constant price, held to the end", ""
    growth_labels = tuple(
        f"as the plans imply, given ε{then}"
        if not np.isfinite(g)
        else f"held at {g:.0%} a year{then}"
        for g in grow
    )
    axes = (
        Axis(
            "elasticity percentile",
            "Elasticity ε at this percentile of the fit",
            pct,
            _nearest(pct, 50.0),
            tuple(f"{p:g}th percentile: ε = {e:.2f}" for p, e in zip(pct, held, strict=True)),
        ),
        Axis("demand growth", growth_label, grow, 0, growth_labels),
    )
    return ParameterGrid(
        axes,
        {"fan": fan[:-1].reshape(k, m, q.size, -1), "elasticity": held},
        years=result.years,
        reference={"fan": fan[-1]},
        notes={
            "variable": variable,
            "as_of": f"{calibration.as_of:%Y-%m-%d}",
            "quantiles": ",".join(f"{x:g}" for x in q),
            "fade": "none" if not fade else (
                f"growth holds to {faded['growth_fade_start']:.0f}, then fades towards long-run "
                "growth drawn from its prior (model.calibration.long_run_growth), half-life "
                f"drawn from {HALF_LIFE_RANGE[0]:g} to {HALF_LIFE_RANGE[1]:g} years"
            ),
        },
    )
