"""From a scenario to the engine's result: sample, build parameters, simulate.

A Monte Carlo run draws every distribution first (:func:`model.scenarios.distributions.sample_values`), checks
the cross-field rules on every draw, then runs the engine on chunks of draws and concatenates
them. Each draw's path depends only on its own parameters, so the result does not depend on
the chunk size; chunks bound the engine's working memory and drive the progress bar.

A sweep puts the cartesian product of its grids (:mod:`model.scenarios.overrides`) on the draw
axis and runs the engine once.
"""

from __future__ import annotations

import copy
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from tqdm import tqdm

from model.engine import schema
from model.engine.params import params_from_values
from model.engine.simulation import CHUNK_SIZE, Result, simulate
from model.scenarios.distributions import find_distributions, sample_values
from model.scenarios.keys import scenario_error
from model.scenarios.overrides import Grid, grid_points, set_value
from model.scenarios.rules import check_cross_fields
from model.scenarios.scenario import Scenario
from model.summary import Summary

CHUNK_DRAWS = CHUNK_SIZE  # draws per engine block (cache-sized)
PROGRESS_ABOVE = 100_000  # show a progress bar for runs with more draws than this
TABLE_VARIABLES = ("compute_spend", "flop_demand", "nvidia_dc_revenue")  # in summaries


def table_years(years: np.ndarray) -> list[int]:
    """A few years for a printed table: first, second, middle and last."""
    years = [int(y) for y in np.asarray(years)]
    if len(years) <= 4:
        return years
    picks = [years[0], years[1], years[len(years) // 2], years[-1]]
    return sorted(set(picks))


def _cell(x: float) -> str:
    if not np.isfinite(x):
        return str(x)
    if x != 0 and (abs(x) >= 1e6 or abs(x) < 1e-3):
        return f"{x:.3g}"
    return f"{x:,.1f}" if abs(x) >= 100 else f"{x:#.3g}"


def quantile_table(result: Result, variables: Sequence[str] = TABLE_VARIABLES,
                   years: Sequence[int] | None = None) -> pd.DataFrame:
    """Median and 5-95% range across draws of each variable in each of ``years`` (default
    :func:`table_years`), as text cells ``median [p5, p95]`` (the median alone for one draw).

    Columns: ``variable``, ``unit`` and one per year; variables the result lacks are left out.
    """
    all_years = result.years.astype(int)
    years = table_years(all_years) if years is None else [int(y) for y in years]
    missing = sorted(set(years) - set(all_years.tolist()))
    if missing:
        raise ValueError(f"years {missing} are not in the result (it has {all_years[0]}-{all_years[-1]})")
    columns = np.searchsorted(all_years, years)
    rows = []
    for name in variables:
        if name not in result.variables:
            continue
        values = np.asarray(result.variables[name], dtype=float)[:, columns]
        low, mid, high = np.quantile(values, [0.05, 0.5, 0.95], axis=0)
        if result.n_draws > 1:
            cells = [f"{_cell(m)} [{_cell(lo)}, {_cell(hi)}]"
                     for m, lo, hi in zip(mid, low, high, strict=True)]
        else:
            cells = [_cell(m) for m in mid]
        rows.append([name, schema.OUTPUT_UNITS.get(name, ""), *cells])
    return pd.DataFrame(rows, columns=["variable", "unit", *[str(y) for y in years]])


BYTES_PER_DRAW_YEAR = 80  # measured: peak RSS of runs of 2e5-1e6 draws x 12-77 years
BASE_BYTES = 160 * 2**20  # the interpreter and its imports
MEMORY_ENV = "JEVONS_MEMORY_LIMIT_GB"
MEMORY_SHARE = 0.6  # of the memory the system reports available


def memory_limit() -> int:
    """Bytes a run may use: ``JEVONS_MEMORY_LIMIT_GB`` if set, else 60% of the available
    memory (``MemAvailable`` of /proc/meminfo; 8 GiB where the system does not say)."""
    value = os.environ.get(MEMORY_ENV)
    if value:
        try:
            limit = float(value)
        except ValueError:
            limit = -1.0
        if not limit > 0:
            raise scenario_error(MEMORY_ENV, None, f"{value!r} is not a positive number of GB")
        return int(limit * 2**30)
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(int(line.split()[1]) * 1024 * MEMORY_SHARE)
    except OSError:
        pass
    return 8 * 2**30


def check_memory(n_draws: int, n_years: int, what: str = "--draws") -> None:
    """Refuse, before any work, a run whose outputs would not fit in :func:`memory_limit`."""
    need = BASE_BYTES + BYTES_PER_DRAW_YEAR * int(n_draws) * int(n_years)
    limit = memory_limit()
    if need > limit:
        most = max(int((limit - BASE_BYTES) // (BYTES_PER_DRAW_YEAR * n_years)), 0)
        raise scenario_error(what, None, f"{int(n_draws):,} x {n_years} years needs about "
                             f"{need / 2**30:.1f} GB; allowed: at most {most:,} draws of {n_years} "
                             f"years within {limit / 2**30:.1f} GB (set {MEMORY_ENV} to change it)")


def _n_years(values: dict[str, Any]) -> int:
    return int(values["time"]["end"]) - int(values["time"]["start"]) + 1


# --- Monte Carlo runs --------------------------------------------------------------------------
@dataclass(frozen=True)
class Run:
    """A finished run: the scenario, the sampled values given to the engine, and its result."""

    scenario: Scenario
    values: dict[str, Any]
    result: Result
    n_draws: int
    seed: int
    note: str | None = None  # e.g. why fewer draws were made than asked for

    def summary(self, variables: Sequence[str] = TABLE_VARIABLES,
                years: Sequence[int] | None = None) -> Summary:
        """What ``jevons run`` prints: the run in one line, then the median (and the 5-95%
        range across draws when there are several) of ``variables`` in a few ``years``."""
        time = self.scenario.values["time"]
        draws = f"{self.n_draws:,} draw" + ("s" if self.n_draws > 1 else "")
        seed = f", seed {self.seed}" if self.scenario.distributions else ""
        title = f"{self.scenario.name}: {draws}{seed}, {time['start']}-{time['end']}"
        table = quantile_table(self.result, variables, years)
        several = self.n_draws > 1
        caption = "median [5%, 95%] across draws" if several else "values (one draw)"
        return Summary(title, tables=((caption, table),) if len(table) else (),
                       notes=(self.note,) if self.note else ())


def resolve_draws(scenario: Scenario, draws: int | None = None,
                  seed: int | None = None) -> tuple[int, int, str | None]:
    """The number of draws and the seed of a run, and a note when draws were ignored.

    ``draws`` and ``seed`` default to the scenario's ``montecarlo.draws`` and
    ``montecarlo.seed``. A scenario without distributions is deterministic: it runs one draw.
    """
    mc = scenario.values["montecarlo"]
    for option, value, key in (("--draws", draws, "montecarlo.draws"),
                               ("--seed", seed, "montecarlo.seed")):
        field = schema.BY_KEY[key]
        if value is not None and not field.in_range(value):
            raise scenario_error(option, None, f"got {value}; allowed: {field.allowed()}")
    n = int(mc["draws"] if draws is None else draws)
    seed = int(mc["seed"] if seed is None else seed)
    note = None
    if not scenario.distributions and n > 1:
        note = (f"scenario {scenario.name!r} has no distributions: running 1 draw instead of "
                f"{n} (every draw would be the same)")
        n = 1
    return n, seed, note


def sample(scenario: Scenario, n: int, seed: int) -> dict[str, Any]:
    """The scenario's values with every distribution replaced by ``n`` draws, checked."""
    if not scenario.distributions:
        return copy.deepcopy(scenario.values)
    values = sample_values(scenario.values, n, seed)
    check_cross_fields(values, scenario.origins)
    return values


def simulate_values(values: dict[str, Any], n: int, chunk_draws: int = CHUNK_DRAWS,
                    progress: bool | None = None) -> Result:
    """Run the engine on ``values`` whose arrays have length ``n``.

    The engine works through the draws in cache-sized blocks and writes into arrays allocated
    once; ``chunk_draws`` is that block size.

    Parameters
    ----------
    progress : bool, optional
        Show a tqdm bar on stderr (default: when ``n`` exceeds ``PROGRESS_ABOVE``).
    """
    params = params_from_values(values)
    show = n > PROGRESS_ABOVE if progress is None else progress
    if not show:
        result = simulate(params, chunk_size=chunk_draws)
    else:
        with tqdm(total=n, unit="draws", desc="simulating", file=sys.stderr, unit_scale=True,
                  leave=False) as bar:
            result = simulate(params, chunk_size=chunk_draws, progress=bar.update)
    if result.n_draws != n:  # a bug, not a user error
        raise RuntimeError(f"engine returned {result.n_draws} draws for {n}")
    return result


# The keys that set how far prices and spend move, named when an output is not finite.
_DRIVERS = ("demand.elasticity", "demand.substitution", "demand.growth", "efficiency.doubling_years",
            "hardware.doubling_years", "time.end")


def _at(values: dict[str, Any], key: str, draw: int) -> Any:
    node: Any = values
    for part in key.split("."):
        node = node[part]
    return node[draw] if isinstance(node, np.ndarray) and node.ndim else node


def check_finite(result: Result, values: dict[str, Any], scenario: Scenario) -> None:
    """Refuse a run whose outputs overflowed (inf) or are undefined (nan), naming the first
    variable, year and draw and the inputs that drive it; the engine is finite for every
    scenario that keeps prices and spend within floating point."""
    for name, array in result.variables.items():
        bad = ~np.isfinite(array)
        if not bad.any():
            continue
        draw, col = (int(i) for i in np.argwhere(bad)[0])
        drivers = ", ".join(f"{k} = {_at(values, k, draw):g}" for k in _DRIVERS
                            if isinstance(_at(values, k, draw), int | float | np.floating))
        form = values["demand"]["form"]
        raise scenario_error(scenario.label, None,
                             f"the outputs are not finite ({name} is {array[draw, col]} in "
                             f"{int(result.years[col])}, draw {draw}, in {int(bad.sum())} cells) with "
                             f"demand.form = '{form}', {drivers}; allowed: inputs that keep every output "
                             "finite (a lower elasticity, longer doubling times, an earlier time.end, or "
                             "demand.form = 'budget-share', whose spend is bounded by its budget)")


def output_variables(scenario: Scenario) -> list[str]:
    """The output variables a run of ``scenario`` produces (from a one-draw run: which outputs
    exist depends on the demand form, the supply form, the segments and the type)."""
    _, seed, _ = resolve_draws(scenario, 1, None)
    result = simulate_values(sample(scenario, 1, seed), 1, progress=False)
    return list(result.variables)


def run_scenario(scenario: Scenario, draws: int | None = None, seed: int | None = None,
                 chunk_draws: int = CHUNK_DRAWS, progress: bool | None = None) -> Run:
    """Sample the scenario's distributions and run the engine on every draw."""
    n, seed, note = resolve_draws(scenario, draws, seed)
    check_memory(n, _n_years(scenario.values))
    values = sample(scenario, n, seed)
    result = simulate_values(values, n, chunk_draws=chunk_draws, progress=progress)
    check_finite(result, values, scenario)
    return Run(scenario=scenario, values=values, result=result, n_draws=result.n_draws,
               seed=seed, note=note)


# --- sweeps ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sweep:
    """A finished sweep: ``points`` maps each draw (grid point) to its key values."""

    scenario: Scenario
    grids: tuple[Grid, ...]
    points: pd.DataFrame
    values: dict[str, Any]
    result: Result


def run_sweep(scenario: Scenario, grids: Sequence[Grid]) -> Sweep:
    """Evaluate the scenario at every grid point in one vectorised engine call."""
    keys = [g.key for g in grids]
    for i, key in enumerate(keys):
        if key in keys[:i]:
            raise scenario_error(f"--grid {key}", None, "given twice; allowed: one grid per key")
    points = grid_points(grids)
    check_memory(len(points), _n_years(scenario.values), "--grid")
    values = copy.deepcopy(scenario.values)
    origins = dict(scenario.origins)
    for grid in grids:
        set_value(values, grid.path, points[grid.key].to_numpy())
        origins[grid.key] = f"--grid {grid.key}"
    remaining = find_distributions(values)
    if remaining:
        key, dist = next(iter(remaining.items()))
        raise scenario_error(origins.get(key, scenario.label), key,
                             f"is a distribution ({dist}) but sweeps are deterministic; "
                             f"allowed: a number (--set {key}=VALUE) or a grid "
                             f"(--grid {key}=START:STOP:STEP)")
    check_cross_fields(values, origins)
    result = simulate(params_from_values(values))
    if result.n_draws != len(points):  # a bug, not a user error
        raise RuntimeError(f"engine returned {result.n_draws} draws for {len(points)} grid points")
    check_finite(result, values, scenario)
    return Sweep(scenario=scenario, grids=tuple(grids), points=points, values=values,
                 result=result)
