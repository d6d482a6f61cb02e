"""Tables for the book: the schema, resolved parameters, CLI commands and engine-computed grids.

Pure functions that return :class:`pandas.DataFrame` s, so a chapter can show them as they are
and a test can check them. Nothing here is model logic: the numbers come from the engine
(:func:`model.engine.simulation.simulate`), the scenario loader or :mod:`model.engine.schema`, and the text from
the schema, so the book's tables cannot drift from the code.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from model import paths
from model.calibration import hardware_fit as hw
from model.constants import DEFAULT_AS_OF
from model.data.facts import fact, fact_value
from model.engine import closed_forms, demand, problem_size, schema
from model.engine.params import Params, Segment, Shock
from model.engine.simulation import Result, simulate
from model.output import sources
from model.scenarios import parse_grid, run_scenario, run_sweep
from model.scenarios.files import key_comments
from model.scenarios.loader import available_scenarios, load_scenario

# What each output variable measures (the units are in schema.OUTPUT_UNITS).
OUTPUT_DESCRIPTIONS: dict[str, str] = {
    "compute_spend": "spending on compute, X = c F",
    "flop_demand": "FLOP bought in the year, F = U / a",
    "price_per_useful_work": "price of useful work p = c / a (times any scarcity markup)",
    "useful_work": "useful work demanded, U",
    "cost_per_flop": "price paid per FLOP, c (times any scarcity markup)",
    "useful_work_per_flop": "useful work per FLOP, a (demand-weighted across adopters)",
    "nvidia_dc_revenue": "Nvidia data-center revenue = share x accelerator fraction x spend",
    "nvidia_share": "Nvidia's CES share of accelerator spend",
    "nvidia_margin": "Nvidia's operating margin on data-center revenue",
    "budget": "the budget compute takes a share of ('budget-share' demand)",
    "compute_share_of_budget": "compute spend / budget ('budget-share' demand)",
    "scarcity_markup": "supply markup on the trend cost of a FLOP (upward-sloping supply; 1 on the no-news path)",
    "scarcity_rent": "the part of compute spend that is a supply rent, X (1 - 1/markup)",
    "problem_size_log2": "log2 of the problem size users choose (FFT scenarios)",
}


def value_source(field: schema.Field, value: Any, origin: str) -> str:
    """The source of a resolved value: the schema's source backs the default value; a file that
    sets another value (or an item of a list, which has no schema source) gives its source in a
    comment; a command-line value is the user's."""
    if origin.endswith(".toml") and (field.source == "-" or cell_text(value) != cell_text(field.default)):
        return f"comment in {origin}"
    if origin.startswith("--"):
        return "user override"
    return field.source


def cell_text(value: Any) -> str:
    """A value as a table cell: numbers compactly, booleans as TOML spells them."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:.10g}"
    if isinstance(value, tuple | list) and not value:
        return "[]"
    if isinstance(value, str) and not value:
        return '""'
    return str(value)


# --- the schema --------------------------------------------------------------------------------
def schema_index(keys: pd.DataFrame | None = None) -> pd.DataFrame:
    """The scenario keys by section (the part before the first dot; "(top level)" for keys
    without one), in schema order: columns ``section``, ``keys`` (how many) and ``names`` (the
    keys' names within the section, comma-separated). ``keys`` is a :func:`schema_table`."""
    keys = schema_table() if keys is None else keys
    top_level = ~keys["key"].str.contains(".", regex=False)
    sections = keys.assign(section=keys["key"].str.split(".").str[0].mask(top_level, "(top level)"),
                           name=keys["key"].str.split(".", n=1).str[-1])
    grouped = sections.groupby("section", sort=False)["name"]
    return pd.DataFrame({"keys": grouped.count(), "names": grouped.agg(", ".join)}).reset_index()


def schema_table() -> pd.DataFrame:
    """Every scenario key of :data:`model.engine.schema.FIELDS`, in schema order.

    Returns
    -------
    pandas.DataFrame
        Columns ``key, type, unit, allowed, default, random, source, description``; ``random``
        is "yes" when the key may be given as a probability distribution.
    """
    rows = []
    for f in schema.FIELDS:
        if f.required:
            default = "required"
        else:
            default = cell_text(f.default)
        rows.append({
            "key": f.key,
            "type": f.kind,
            "unit": f.unit or "-",
            "allowed": f.allowed(),
            "default": default,
            "random": "yes" if f.random else "no",
            "source": f.source,
            "description": f.doc,
        })
    return pd.DataFrame(rows)


def distributions_table() -> pd.DataFrame:
    """The distributions a random key may take (:data:`model.engine.schema.DISTRIBUTIONS`).

    Returns
    -------
    pandas.DataFrame
        Columns ``dist, parameters, syntax`` (the inline-table form a scenario file uses).
    """
    rows = []
    for name, params in schema.DISTRIBUTIONS.items():
        syntax = "{ dist = " + f'"{name}"' + "".join(f", {p} = ..." for p in params) + " }"
        rows.append({"dist": name, "parameters": ", ".join(params), "syntax": syntax})
    return pd.DataFrame(rows)


def output_units_table() -> pd.DataFrame:
    """The engine's output variables with their units and a one-line description."""
    return pd.DataFrame([
        {"variable": name, "unit": unit, "description": OUTPUT_DESCRIPTIONS.get(name, "-")}
        for name, unit in schema.OUTPUT_UNITS.items()
    ])


# --- the command line --------------------------------------------------------------------------
def cli_table(parser: argparse.ArgumentParser) -> pd.DataFrame:
    """The ``jevons`` subcommands, read from the real parser (``model.cli.build_parser()``; the
    output layer does not import the command line, which imports it).

    Returns
    -------
    pandas.DataFrame
        Columns ``command`` (the subcommand), ``what it does`` (its help line) and ``usage``.
    """
    # argparse has no public accessor for subcommands; the subparsers action is the way in.
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {choice.dest: choice.help for choice in action._choices_actions}
    rows = []
    for name, sub in action.choices.items():
        usage = " ".join(sub.format_usage().split())
        rows.append({"command": name, "what it does": helps.get(name) or "-",
                     "usage": usage.removeprefix("usage: ")})
    return pd.DataFrame(rows)


# --- resolved parameters -----------------------------------------------------------------------
def _origin(text: str) -> str:
    """Where a value was set, with scenario files named relative to the project folder.

    The loader names files relative to the working directory, which for a book chapter is
    ``book/chapters``; a table in the book should read ``scenarios/x.toml`` wherever it runs.
    """
    path = Path(text)
    if text.endswith(".toml"):
        full = path if path.is_absolute() else (Path.cwd() / path)
        try:
            return full.resolve().relative_to(paths.PROJECT_DIR.resolve()).as_posix()
        except ValueError:
            return text
    return text


def parameter_table(scenario, keys: Sequence[str] | None = None,
                    sources: Mapping[str, str] | None = None) -> pd.DataFrame:
    """A scenario's resolved parameters with their units, origin and source.

    Parameters
    ----------
    scenario : model.scenarios.loader.Scenario
        A loaded scenario (:func:`model.scenarios.loader.load_scenario`).
    keys : sequence of str, optional
        Display keys to keep, in this order (e.g. ``"demand.elasticity"`` or
        ``"efficiency.shocks[0].factor"``); default: every key.
    sources : mapping of str to str, optional
        Display key -> source text for keys whose schema row has no source of its own (items
        of ``efficiency.shocks`` and ``demand.segments``: their sources are in the scenario
        file's comments).

    Returns
    -------
    pandas.DataFrame
        Columns ``key, value, unit, set in, source``: ``value`` is the number, or the
        distribution for a random key; ``set in`` the file, ``--set KEY`` or ``default``;
        ``source`` the schema's source when the value is the schema default, otherwise a
        pointer to the comment in the scenario file that sets it (or ``sources[key]``).

    Raises
    ------
    KeyError
        A key in ``keys`` or ``sources`` that the scenario does not have.
    """
    values, origins = scenario.values, scenario.origins
    rows: dict[str, dict[str, str]] = {}

    def add(key: str, field: schema.Field, value: Any) -> None:
        origin = _origin(origins.get(key, "default"))
        source = value_source(field, value, origin)
        if source.startswith("comment in "):  # the file's own comment, when it has one
            path = Path(origin) if Path(origin).is_absolute() else paths.PROJECT_DIR / origin
            source = key_comments(path).get(key, source)
        rows[key] = {"key": key, "value": cell_text(value), "unit": field.unit or "-",
                     "set in": origin, "source": source}

    for f in schema.FIELDS:
        if "[]" in f.key or f.key == "extends":
            continue
        parts = f.key.split(".")
        value = values[parts[0]] if len(parts) == 1 else values[parts[0]][parts[1]]
        if f.kind != schema.TABLES:
            add(f.key, f, value)
            continue
        for i, item in enumerate(value):
            for name, sub in schema.children(f.key + "[]").items():
                add(f"{f.key}[{i}].{name}", sub, item.get(name))
    missing = [k for k in [*(keys or ()), *(sources or ())] if k not in rows]
    if missing:
        raise KeyError(f"scenario {scenario.name!r} has no key(s) {', '.join(missing)}")
    for key, text in (sources or {}).items():
        rows[key]["source"] = text
    return pd.DataFrame([rows[k] for k in (rows if keys is None else keys)])


# --- engine-computed grids ---------------------------------------------------------------------
def spend_multipliers(elasticities: Iterable[float], factors: Iterable[float],
                      params: Params | None = None) -> pd.DataFrame:
    """Long-run spend multiplier of a one-off efficiency shock, computed by the engine.

    Every (elasticity, factor) pair is one draw of a single vectorised :func:`simulate` call:
    the scenario is run with an instant shock of that factor one year after the base year, and
    without it; the multiplier is the ratio of compute spend in the last year. For isoelastic
    demand it equals ``factor ** (elasticity - 1)``.

    Parameters
    ----------
    elasticities, factors : iterable of float
        The grid (its cartesian product is evaluated).
    params : Params, optional
        Base parameters (default :class:`Params` ()): its first segment gets the elasticities;
        its shocks are replaced.

    Returns
    -------
    pandas.DataFrame
        Index ``elasticity``, columns ``shock factor``.
    """
    eps = np.asarray(list(elasticities), dtype=float)
    s = np.asarray(list(factors), dtype=float)
    grid_eps, grid_s = (a.reshape(-1) for a in np.meshgrid(eps, s, indexing="ij"))
    base = Params() if params is None else params
    segment = replace(base.segments[0], elasticity=grid_eps)
    without = replace(base, segments=(segment,), shocks=())
    shock = Shock(year=float(base.start + 1), factor=grid_s, label="one-off")
    with_shock = replace(without, shocks=(shock,))
    ratio = (simulate(with_shock).variables["compute_spend"][:, -1]
             / simulate(without).variables["compute_spend"][:, -1])
    return pd.DataFrame(ratio.reshape(eps.size, s.size),
                        index=pd.Index(eps, name="elasticity"),
                        columns=pd.Index(s, name="shock factor"))


def scenario_table(results: Mapping[str, Result], variable: str, years: Sequence[int],
                   quantile: float = 0.5) -> pd.DataFrame:
    """One variable of several scenarios at a few years (a quantile across draws).

    Parameters
    ----------
    results : mapping of str to Result
        Scenario name -> engine result.
    variable : str
        An output variable (see :data:`model.engine.schema.OUTPUT_UNITS`).
    years : sequence of int
        Years to show; each must be simulated.
    quantile : float
        Quantile across draws (0.5: the median; a deterministic scenario has one draw).

    Returns
    -------
    pandas.DataFrame
        Index ``scenario``, one column per year.
    """
    rows = {}
    for name, result in results.items():
        idx = [int(np.flatnonzero(result.years == y)[0]) if np.any(result.years == y) else None
               for y in years]
        if None in idx:
            missing = [y for y, i in zip(years, idx, strict=True) if i is None]
            raise KeyError(f"{name}: year(s) {missing} not simulated")
        values = result.variables[variable][:, idx]
        rows[name] = np.quantile(values, quantile, axis=0)
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=[int(y) for y in years])
    frame.index.name = "scenario"
    return frame


# --- the shipped scenarios ---------------------------------------------------------------------
def _one_elasticity(form: str, values: Mapping[str, Any], fallback: Mapping[str, Any]) -> str:
    """sigma (and eta when it is not 1) for 'budget-share', the elasticity for the other curves."""
    def get(key):
        value = values.get(key)
        return fallback[key] if value is None else value
    if form == "budget-share":
        eta = get("final_elasticity")
        text = f"σ {cell_text(get('substitution'))}"
        return text if isinstance(eta, float | int) and eta == 1 else f"{text}, η {cell_text(eta)}"
    return cell_text(get("elasticity"))


def elasticity_text(demand: Mapping[str, Any]) -> str:
    """A scenario's elasticity as a table shows it: the substitution elasticity sigma (and the
    final-demand elasticity eta when it is not 1) for 'budget-share' demand, the elasticity for
    the other curves; per segment for ``segments``."""
    if demand["form"] == "segments":
        return ", ".join(f"{s['name']} {_one_elasticity(s.get('form', 'budget-share'), s, demand)}"
                         for s in demand["segments"])
    return _one_elasticity(demand["form"], demand, demand)


def scenario_overview(scenarios: Sequence) -> pd.DataFrame:
    """One row per scenario: name, type, demand form, elasticity, parent and description.

    Parameters
    ----------
    scenarios : sequence of model.scenarios.loader.Scenario

    Returns
    -------
    pandas.DataFrame
        Columns ``scenario, type, demand form, elasticity, extends, description``.
    """
    rows = []
    for sc in scenarios:
        parent = sc.chain[1].stem if len(sc.chain) > 1 else "-"
        rows.append({"scenario": sc.name, "type": sc.values["type"],
                     "demand form": sc.values["demand"]["form"],
                     "elasticity": elasticity_text(sc.values["demand"]),
                     "extends": parent, "description": sc.description or "-"})
    return pd.DataFrame(rows)


def scenario_changes(scenarios: Sequence) -> pd.DataFrame:
    """What each scenario file sets itself, next to the value it would inherit.

    Parameters
    ----------
    scenarios : sequence of model.scenarios.loader.Scenario

    Returns
    -------
    pandas.DataFrame
        Columns ``scenario, key, value, inherited, unit, source``: the keys set in the
        scenario's own file (not ``name`` or ``description``), and the value of the same key in
        the scenario it extends (the schema default for a root file; ``-`` when the key does
        not exist there, e.g. an item of a shock list).
    """
    frames = []
    for sc in scenarios:
        table = parameter_table(sc)
        own = _origin(str(sc.path))
        table = table[(table["set in"] == own) & ~table["key"].isin(("name", "description"))]
        if len(sc.chain) > 1:
            parent = parameter_table(load_scenario(sc.chain[1])).set_index("key")["value"]
        else:
            parent = schema_table().set_index("key")["default"]
        table = table.assign(scenario=sc.name, inherited=table["key"].map(parent).fillna("-"))
        frames.append(table)
    columns = ["scenario", "key", "value", "inherited", "unit", "source"]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


# --- generic helpers for the chapters -------------------------------------------------------------
def max_relative_gap(values, reference) -> float:
    """Largest relative difference max |values / reference - 1| (arrays or frames that broadcast):
    how far an engine grid is from its closed form."""
    return float(np.max(np.abs(np.asarray(values, dtype=float) / np.asarray(reference, dtype=float)
                               - 1.0)))


def interval_position_text(interval: Sequence[float], value: float) -> str:
    """``"lies inside"`` or ``"lies outside"`` the closed interval (low, high), for the prose."""
    low, high = interval
    return "lies inside" if low <= value <= high else "lies outside"


def two_decimals(value: Any) -> Any:
    """A Styler formatter: floats with two decimals, everything else as it is."""
    return f"{value:.2f}" if isinstance(value, float | np.floating) else value


def annualised_from_quarters(values: Sequence[float]) -> float:
    """A yearly rate from the quarters given: their sum times 4 / (number of quarters)."""
    return sum(values) * 4 / len(values)


# --- facts about simulated paths ------------------------------------------------------------------
def year_index(years: np.ndarray, year: int) -> int:
    """Position of ``year`` in a result's years; KeyError when it was not simulated."""
    hits = np.flatnonzero(np.asarray(years) == year)
    if hits.size == 0:
        raise KeyError(f"year {year} not simulated")
    return int(hits[0])


def value_in_year(result: Result, variable: str, year: int, draw: int = 0) -> float:
    """One draw of ``variable`` in ``year``."""
    return float(result.variables[variable][draw, year_index(result.years, year)])


def peak(result: Result, variable: str, draw: int = 0) -> tuple[int, float]:
    """The year in which one draw of ``variable`` is highest (the first, on ties), and its value."""
    path = result.variables[variable][draw]
    i = int(np.argmax(path))
    return int(result.years[i]), float(path[i])


def first_year_where(years: np.ndarray, condition: np.ndarray) -> int:
    """The first year in which ``condition`` (a boolean array over years) holds; ValueError when
    it never does."""
    condition = np.asarray(condition, dtype=bool)
    if not condition.any():
        raise ValueError("the condition never holds")
    return int(np.asarray(years)[np.argmax(condition)])


def share_of_draws_below(result: Result, variable: str, year: int, level: float) -> float:
    """Fraction of draws in which ``variable`` in ``year`` is below ``level``."""
    values = result.variables[variable][:, year_index(result.years, year)]
    return float(np.mean(values < level))


def quantiles_in_year(result: Result, variable: str, year: int,
                      quantiles: Sequence[float] = (0.05, 0.5, 0.95)) -> dict[str, float]:
    """Quantiles across draws of ``variable`` in ``year``, keyed ``p05``, ``p50``, ..."""
    values = result.variables[variable][:, year_index(result.years, year)]
    return {f"p{round(100 * q):02d}": float(np.quantile(values, q)) for q in quantiles}


def spend_ratio(result: Result, reference: Result, variable: str = "compute_spend") -> np.ndarray:
    """``variable`` of ``result`` divided by that of ``reference``, draw by draw (n, T)."""
    return result.variables[variable] / reference.variables[variable]


def median_paths(results: Mapping[str, Result], variable: str) -> pd.DataFrame:
    """The median across draws of one variable for several results (same years): index year,
    one column per result."""
    first = next(iter(results.values()))
    frame = pd.DataFrame({name: np.median(r.variables[variable], axis=0)
                          for name, r in results.items()}, index=first.years)
    frame.index.name = "year"
    return frame


def overridden_path(scenario: str, overrides: Sequence[str], variable: str = "compute_spend",
                    draw: int = 0) -> np.ndarray:
    """One draw of ``variable`` for a shipped scenario run with ``--set`` overrides."""
    return run_scenario(load_scenario(scenario, list(overrides))).result.variables[variable][draw]


def sweep_table(scenario, grid: str, variable: str = "compute_spend") -> pd.DataFrame:
    """A one-key sweep (``KEY=START:STOP:STEP``) in one vectorised engine call: index the grid
    values (named by the key), one column per year."""
    sweep = run_sweep(scenario, [parse_grid(grid, scenario)])
    key = sweep.grids[0].key
    return pd.DataFrame(sweep.result.variables[variable],
                        index=pd.Index(sweep.points[key].to_numpy(), name=key),
                        columns=sweep.result.years)


def sweep_ratio_table(scenario, reference, grid: str,
                      variable: str = "compute_spend") -> pd.DataFrame:
    """The same one-key sweep of ``scenario`` and ``reference``, and the ratio of their
    ``variable``: index the grid values, one column per year."""
    return sweep_table(scenario, grid, variable) / sweep_table(reference, grid, variable)


def first_grid_value_above(table: pd.DataFrame, year: int, level: float) -> float:
    """The first grid value (index of a :func:`sweep_table`) at which the column ``year``
    exceeds ``level``."""
    above = table[year].to_numpy() > level
    if not above.any():
        raise ValueError(f"no grid value exceeds {level} in {year}")
    return float(table.index[np.argmax(above)])


# --- the Jevons model chapter ---------------------------------------------------------------------
def spend_multiplier_table(elasticities: Sequence[float], gains: Sequence[float],
                           labels: Mapping[float, str] | None = None) -> pd.DataFrame:
    """:func:`spend_multipliers` for display: rows labelled by ``labels`` (elasticity -> text),
    columns ``S = 2x`` ...; index named ``elasticity``."""
    shown = spend_multipliers(elasticities, gains).rename(index=dict(labels or {}),
                                                          columns=lambda s: f"S = {s:g}x")
    shown.index.name = "elasticity"
    return shown


def saturating_elasticity_curves(prices, elasticity: float,
                                 saturation_prices: Sequence[float]) -> pd.DataFrame:
    """Point elasticity of saturating demand at ``prices`` for several saturation prices
    (:func:`model.engine.demand.point_elasticity`): index price, one column per p_sat."""
    prices = np.asarray(prices, dtype=float)
    frame = pd.DataFrame({ps: demand.point_elasticity(prices, "saturating", elasticity, ps)
                          for ps in saturation_prices}, index=prices)
    frame.index.name = "price"
    frame.columns.name = "saturation price"
    return frame


def segment_spend(params: Params) -> pd.DataFrame:
    """Compute spend of a segmented run, segment by segment and in total (first draw).

    Each segment is simulated on its own (``params`` with only that segment) and the total is
    the full run, so the columns let a reader check that the total is the sum of the segments.
    Index year; columns the segment names and ``total``.
    """
    total = simulate(params)
    parts = {s.name: simulate(replace(params, segments=(s,))).variables["compute_spend"][0]
             for s in params.segments}
    frame = pd.DataFrame({**parts, "total": total.variables["compute_spend"][0]},
                         index=pd.Index(total.years, name="year"))
    return frame


def partial_adjustment_spend_ratios(elasticity: float, persistences: Sequence[float],
                                    factor: float, shock_year: float = 2025.0,
                                    efficiency_doubling_years: float = 0.67) -> pd.DataFrame:
    """Spend with an instant gain ``factor`` at ``shock_year`` over spend without it, under
    partial adjustment, for several persistence weights lambda (one vectorised engine call per
    arm; one segment, no demand growth).

    Returns a frame indexed by ``persistence`` with one column per year; for lambda = 0 every
    year from the shock on is S^(eps - 1), and the shock year is S^((1 - lambda) eps - 1).
    """
    lambdas = np.asarray(persistences, dtype=float)
    base = Params(segments=(Segment("all", 1.0, elasticity, efficiency_doubling_years, 0.0),),
                  persistence=lambdas)
    shocked = simulate(replace(base, shocks=(Shock(shock_year, factor),)))
    ratio = shocked.variables["compute_spend"] / simulate(base).variables["compute_spend"]
    return pd.DataFrame(ratio, index=pd.Index(lambdas, name="persistence"),
                        columns=shocked.years)


def parameter_comparison(scenario, keys: Sequence[str], other, other_keys: Sequence[str],
                         sources: Mapping[str, str] | None = None,
                         same: str | None = None) -> pd.DataFrame:
    """Two scenarios' values side by side: :func:`parameter_table` of ``scenario`` for ``keys``
    with a column named after ``other`` holding its values of ``other_keys`` (``same``, default
    "as <scenario>", elsewhere). Columns ``key, <scenario>, <other>, unit, set in, source``."""
    table = parameter_table(scenario, keys, sources=sources)
    other_values = parameter_table(other, other_keys).set_index("key")["value"]
    table.insert(2, other.name,
                 table["key"].map(other_values).fillna(same or f"as {scenario.name}"))
    return table.rename(columns={"value": scenario.name})


# --- the hardware chapter ---------------------------------------------------------------------------
EXCLUSION_REASONS = {
    "undated": "no release date",
    "wrong_type": "not typed GPU (kind='gpu')",
    "no_price": "no launch price",
    "no_performance": "no FP16/BF16 or FP32 figure",
}
FIT_COLUMN_NAMES = {"doubling_years": "Doubling time (years)",
                    "interval_low": "Low (95%)", "interval_high": "High (95%)",
                    "interval_hc3_low": "Low, HC3 (95%)", "interval_hc3_high": "High, HC3 (95%)",
                    "r_squared": "R²", "first_release": "First chip released",
                    "last_release": "Last chip released", "as_of": "As of", "n": "Chips",
                    "precision": "Performance figure", "kind": "Chips used",
                    "precision_dummies": "One level per format"}
#: headers of :func:`model.output.fit_tables.like_for_like_table` as the page shows them
LIKE_FOR_LIKE_HEADERS = {"estimate": "Estimate", "published (yr, 95%)": "Published (years)",
                         "published chips": "Their chips", "our definition": "Our definition",
                         "ours (yr, 95%)": "This dataset (years)", "our chips": "Our chips",
                         "inside ours": "Inside ours", "overlap": "Intervals overlap",
                         "what differs": "What differs"}
#: the values of a fit's ``precision`` and ``kind`` as the tables show them
PRECISION_LABELS = {"fp32": "FP32", "fp16": "plain FP16",
                    "fp16_tensor": "training figure (tensor FP16/BF16, else FP16 or FP32)",
                    "fp16_tensor_only": "tensor FP16/BF16 only",
                    "epoch_max": "Epoch AI's maximum performance"}
KIND_LABELS = {"gpu": "GPUs", "all": "all accelerators"}


def exclusions_table(fit: hw.HardwareFit) -> pd.DataFrame:
    """Chips left out of a hardware fit, by first failing reason, and the number used."""
    return pd.DataFrame(
        {"chips": [fit.excluded[k] for k in EXCLUSION_REASONS] + [fit.n]},
        index=pd.Index([*EXCLUSION_REASONS.values(), "used in the fit"], name="reason"),
    )


def compact_fits_table(table: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Columns of a :func:`model.calibration.hardware_fit.fits_table` for the page: dates as
    dates, performance figures and chip kinds in words, yes/no for the precision indicators, and
    human headers with units (:data:`FIT_COLUMN_NAMES`)."""
    out = table[list(columns)].copy()
    for column in ("as_of", "first_release", "last_release"):
        if column in out:
            out[column] = out[column].dt.date
    if "precision" in out:
        out["precision"] = out["precision"].map(lambda p: PRECISION_LABELS.get(p, p))
    if "kind" in out:
        out["kind"] = out["kind"].map(lambda k: KIND_LABELS.get(k, k))
    if "precision_dummies" in out:
        out["precision_dummies"] = out["precision_dummies"].map({True: "yes", False: "no"})
    return out.rename(columns=FIT_COLUMN_NAMES)


def hardware_anchors_table(fit: hw.HardwareFit, published: pd.DataFrame,
                           as_of=DEFAULT_AS_OF) -> pd.DataFrame:
    """The fit's doubling time (conventional and HC3 intervals) above the published estimates
    (:func:`model.calibration.hardware_fit.published_estimates`), indexed by estimate."""
    columns = ["estimate", "doubling (years)", "95% low", "95% high", "source"]
    source = "Epoch AI ML hardware data, this book's copy"
    ours = pd.DataFrame(
        [(f"this fit as of {as_of}, conventional SE (n = {fit.n})", fit.doubling_years,
          *fit.interval, source),
         (f"this fit as of {as_of}, HC3 SE", fit.doubling_years, *fit.interval_hc3, source)],
        columns=columns)
    return pd.concat([ours, published[columns]], ignore_index=True).set_index("estimate")


#: rental-price facts the hardware chapter's provenance lists: fact id -> what it is
RENTAL_FACTS = {"h100_rental_price_2023_peak_bound": "H100 rental price at the 2023 peak (at least)",
                "h100_rental_price_late_2024_bound": "H100 rental price in late 2024 (at most)"}


def _linked(url: str, stated_by: str) -> tuple[str, str]:
    """(link, kind) for a cited URL (:func:`model.output.sources.link_and_kind`)."""
    return sources.link_and_kind(url, stated_by)


def hardware_provenance_table(spec, fit: hw.HardwareFit, published: pd.DataFrame,
                              as_of=DEFAULT_AS_OF,
                              rental_facts: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Where the hardware chapter's inputs come from: the dataset (``spec``, a
    :class:`model.data` dataset record), the fit's options, the rental-price facts, the scenario
    defaults of T_hw and T_alg and the published estimates. Columns ``item, value, source,
    kind of source``: a web source is a link whose text says what it is, with its kind
    (:mod:`model.output.sources`); a file or function of this repository is named as a path."""
    dataset_link, dataset_kind = _linked(spec.source_url, spec.source)
    rows = [
        ("dataset", spec.title, dataset_link, dataset_kind),
        ("licence", spec.licence, dataset_link, dataset_kind),
        ("copy used", spec.snapshot_of, f"retrieved {spec.retrieved}", "copy of the dataset"),
        ("checksum (sha256)", spec.sha256, "data/manifest.toml in this repository", ""),
        ("file", spec.file, "read by model.data (see `jevons data status`)", ""),
        ("fit options", f"precision={fit.precision}, kind={fit.kind}, as_of={as_of}",
         "model.calibration.hardware_fit.fit_doubling_time", ""),
    ]
    for fact_id, label in (RENTAL_FACTS if rental_facts is None else rental_facts).items():
        row = fact(fact_id, as_of)
        rows.append((label, f"{fact_value(fact_id, as_of):g} USD per GPU-hour",
                     *_linked(row["source"], row["stated_by"])))
    for key, label in (("hardware.doubling_years", "hardware doubling time"),
                       ("efficiency.doubling_years", "algorithmic doubling time")):
        rows.append((f"scenario default, {label}", f"{schema.BY_KEY[key].default} years",
                     schema.BY_KEY[key].source, ""))
    for _, row in published.iterrows():
        rows.append((row["estimate"], f"{row['doubling (years)']:.2f} years",
                     *_linked(row["url"], row["stated by"])))
    return pd.DataFrame(rows, columns=["item", "value", "source", "kind of source"])


# --- the ECP and FFT chapter ------------------------------------------------------------------------
#: headers of :func:`fft_elasticity_table` as the page shows them
FFT_ELASTICITY_HEADERS = {"beta": "Value exponent β", "kappa": "Cost exponent κ",
                          "kappa/(kappa-beta)": "Formula κ/(κ − β)", "numeric": "Numerical",
                          "numeric, n log2 n cost": "Numerical, n log₂ n cost"}


def fft_elasticity_table(betas: Sequence[float], kappas: Sequence[float], n0_log2: float = 10.0,
                         n_max_log2: float = 200.0) -> pd.DataFrame:
    """Elasticity of operations demanded when users choose problem size, on a grid of value
    exponents beta and cost exponents kappa: the formula kappa / (kappa - beta), the numerical
    derivative of the optimal choice (:func:`model.engine.problem_size.local_elasticity`) at
    price 1 with n* = 2^n0, and, for kappa = 1, the numerical value with the FFT's n log2 n cost.
    """
    b, k = (a.ravel() for a in np.meshgrid(np.asarray(betas, dtype=float),
                                            np.asarray(kappas, dtype=float), indexing="ij"))
    log_a = problem_size.value_scale_log(k, b, n0_log2)
    numeric = problem_size.local_elasticity(0.0, log_a, b, k, 0.0, n_max_log2)
    with_log = problem_size.local_elasticity(0.0, problem_size.value_scale_log(1.0, b, n0_log2),
                                             b, 1.0, 1.0, n_max_log2)
    return pd.DataFrame({"beta": b, "kappa": k,
                         "kappa/(kappa-beta)": problem_size.implied_elasticity(k, b),
                         "numeric": numeric,
                         "numeric, n log2 n cost": np.where(k == 1.0, with_log, np.nan)})


# --- the introduction -------------------------------------------------------------------------------
#: prose name -> (fact id, scale) of the facts the introduction quotes
HEADLINE_FACTS: dict[str, tuple[str, float]] = {
    "nvda_close_before": ("nvda_close_2025_01_24", 1.0),
    "nvda_close_after": ("nvda_close_2025_01_27", 1.0),
    "nvda_change": ("nvda_change_pct_2025_01_27", -1.0),
    "nvda_mcap_loss": ("nvda_mcap_loss_2025_01_27_bloomberg", 1.0),
    "nvda_prior_record": ("nvda_mcap_loss_2024_09_03_prior_record", 1.0),
    "sox_change": ("sox_change_pct_2025_01_27", -1.0),
    "ixic_change": ("ixic_change_pct_2025_01_27", -1.0),
    "v3_gpu_hours_m": ("deepseek_v3_gpu_hours", 1e-6),
    "v3_rental": ("deepseek_v3_rental_price_per_gpu_hour", 1.0),
    "v3_cost_m": ("deepseek_v3_training_cost", 1.0),
    "v3_cluster": ("deepseek_v3_cluster_gpus", 1.0),
    "sa_gpus": ("deepseek_hopper_gpus_semianalysis", 1.0),
    "sa_capex": ("deepseek_server_capex_semianalysis", 1.0),
    "r1_out": ("deepseek_r1_price_output", 1.0),
    "r1_in": ("deepseek_r1_price_input_cache_miss", 1.0),
    "capex_2024": ("capex_2024_big4_yahoo", 1.0),
    "capex_2025": ("capex_2025_big4_yahoo", 1.0),
    "o1_out": ("openai_o1_price_output", 1.0),
    "o1_in": ("openai_o1_price_input", 1.0),
}


def headline_facts(as_of=DEFAULT_AS_OF) -> dict[str, float]:
    """The facts the introduction quotes (:data:`HEADLINE_FACTS`, each scaled and known on
    ``as_of``) and two ratios of them: o1's output price over R1's (``o1_r1_ratio``) and
    Nvidia's loss of 27 January over the previous record (``record_ratio``)."""
    values = {name: fact_value(fact_id, as_of) * scale
              for name, (fact_id, scale) in HEADLINE_FACTS.items()}
    values["o1_r1_ratio"] = values["o1_out"] / values["r1_out"]
    values["record_ratio"] = values["nvda_mcap_loss"] / values["nvda_prior_record"]
    return values


def fitted_answer(calibration) -> dict[str, float]:
    """The introduction's numbers from a :class:`model.calibration.fit.Calibration`: median and
    95% interval ends of the market, capex and combined elasticities (``market_eps``,
    ``market_lo``, ``market_hi``, ...), the percentage of the combined estimate below one
    (``below_one``) and Nvidia's abnormal fall in percent (``nvda_ar``)."""
    values: dict[str, float] = {}
    for name, est in [("market", calibration.market), ("capex", calibration.capex.estimate),
                      ("combined", calibration.combination.estimate)]:
        values[f"{name}_eps"] = est.median
        values[f"{name}_lo"], values[f"{name}_hi"] = est.interval
    values["below_one"] = float((calibration.combination.estimate.draws < 1).mean() * 100)
    values["nvda_ar"] = -calibration.event.abnormal_return * 100
    return values


# --- numbers for the prose, section by section -----------------------------------------------------
def path_summary(result: Result, variable: str, draw: int = 0) -> dict[str, float]:
    """Peak and end of one draw of ``variable``: ``peak_year``, ``peak``, ``end_year``, ``end``."""
    peak_year, peak_value = peak(result, variable, draw)
    return {"peak_year": peak_year, "peak": peak_value, "end_year": int(result.years[-1]),
            "end": float(result.variables[variable][draw, -1])}


def values_in_year(result: Result, variables: Sequence[str], year: int,
                   draw: int = 0) -> dict[str, float]:
    """One draw of several variables in ``year``, keyed by variable name."""
    return {v: value_in_year(result, v, year, draw) for v in variables}


def segment_summary(params: Params, spend: pd.DataFrame) -> dict[str, float]:
    """For each segment ``name`` of ``params``: its elasticity (``<name>_eps``), its share of
    base-year spend and its share of spend in the last year of a :func:`segment_spend` frame
    (``<name>_share``, ``<name>_share_end``, in percent)."""
    values: dict[str, float] = {}
    for s in params.segments:
        values[f"{s.name}_eps"] = s.elasticity
        values[f"{s.name}_share"] = 100 * s.share
        values[f"{s.name}_share_end"] = 100 * spend[s.name].iloc[-1] / spend["total"].iloc[-1]
    return values


def partial_adjustment_summary(ratios: pd.DataFrame, elasticity: float, persistence: float,
                               factor: float, shock_year: int = 2025) -> dict[str, float]:
    """The partial-adjustment section's numbers: the inputs (``eps``, ``lambda``, ``gain``), the
    short-run elasticity (``short``), the engine's spend ratio in the shock year (``impact``), the
    long-run multiplier S^(eps - 1) (``long``) and the first year the ratio exceeds one
    (``cross_year``), for the row ``persistence`` of a :func:`partial_adjustment_spend_ratios`
    frame."""
    row = ratios.loc[persistence]
    return {"eps": elasticity, "lambda": persistence, "gain": factor,
            "short": closed_forms.short_run_elasticity(elasticity, persistence),
            "impact": float(row[shock_year]),
            "long": closed_forms.spend_multiplier(elasticity, factor),
            "cross_year": first_year_where(ratios.columns, row.to_numpy() > 1.0)}


def value_capture_summary(values: Mapping[str, Any]) -> dict[str, float]:
    """Base-year value capture of a scenario's resolved values: ``base_spend``, ``acc`` (the
    accelerator fraction), ``share`` (Nvidia's share) and ``base_rev`` (their product)."""
    vc, spend = values["value_capture"], values["base"]["spend_usd_bn"]
    return {"base_spend": spend, "acc": vc["accelerator_fraction"], "share": vc["nvidia_share"],
            "base_rev": closed_forms.value_capture_revenue(spend, vc["accelerator_fraction"],
                                                           vc["nvidia_share"])}


def override_comparison(scenario: str, override: str, label: str, variable: str,
                        years: Sequence[int]) -> pd.DataFrame:
    """:func:`scenario_table` of a shipped scenario and of the same scenario with one ``--set``
    override (row ``label``)."""
    return scenario_table({scenario: run_scenario(load_scenario(scenario)).result,
                           label: run_scenario(load_scenario(scenario, [override])).result},
                          variable, years)


def gpu_hours_comparison(as_of=DEFAULT_AS_OF) -> dict[str, float]:
    """Training GPU-hours of Llama 3.1 405B and DeepSeek-V3 in millions (``llama_hours_m``,
    ``deepseek_hours_m``) and their ratio (``llama_ratio``), from the facts known on ``as_of``."""
    llama = fact_value("llama31_405b_gpu_hours", as_of) * 1e-6
    deepseek = fact_value("deepseek_v3_gpu_hours", as_of) * 1e-6
    return {"llama_hours_m": llama, "deepseek_hours_m": deepseek, "llama_ratio": llama / deepseek}


def later_elasticity(fact_id: str = "openrouter_elasticity") -> dict[str, Any]:
    """A price elasticity published after the as-of date (for comparison only, never in a fit):
    ``later_eps``, minus the fact's value (d ln Q / d ln p) to two decimals, and ``later_date``,
    its month of publication."""
    row = fact(fact_id)  # no as-of check: this is later evidence, shown beside the fit
    return {"later_eps": round(-float(row["value"]), 2), "later_date": f"{row['as_of']:%B %Y}"}


#: sources of the deepseek scenario's shock, for provenance tables (the scenario file's comments)
DEEPSEEK_SHOCK_SOURCES = {
    "efficiency.shocks[0].year": "27 January 2025, the DeepSeek sell-off (2025 + 26/365)",
    "efficiency.shocks[0].factor": "Llama 3.1 405B / DeepSeek-V3 training GPU-hours, about 11 "
                                   "(facts: llama31_405b_to_deepseek_v3_gpu_hours_ratio)",
    "efficiency.shocks[0].coverage": "assumption",
    "efficiency.shocks[0].diffusion_years": "assumption",
}


def upper_end_text(value: float) -> str:
    """The upper end of an interval of T_hw for the prose: "<x> years", or "infinity (the slope's
    interval includes zero)" when it is unbounded."""
    return "infinity (the slope's interval includes zero)" if np.isinf(value) else f"{value:.2f} years"


def published_anchor_numbers(fit: hw.HardwareFit, published: pd.DataFrame) -> dict[str, Any]:
    """The hardware chapter's comparison with published estimates (a
    :func:`model.calibration.hardware_fit.published_estimates` frame): Epoch AI's 2022 all-GPU and
    ML-GPU doubling times (``anchor_all_T``, ``anchor_ml_T``) and whether each lies inside the
    fit's 95% interval (``anchor_all_inside``, ``anchor_ml_inside``), and the two readings of the
    data page's yearly decline (``anchor_30_T``: the price falls; ``anchor_30_alt_T``: FLOP/s per
    dollar grows)."""
    by_id = published.set_index("fact id")["doubling (years)"]
    all_gpus, ml_gpus = (by_id[f"epoch_gpu_price_perf_doubling_years_{k}"] for k in ("all", "ml"))
    readings = published.loc[published["fact id"] == hw.DECLINE_FACT, "doubling (years)"]
    return {"anchor_all_T": all_gpus,
            "anchor_all_inside": interval_position_text(fit.interval, all_gpus),
            "anchor_ml_T": ml_gpus, "anchor_ml_inside": interval_position_text(fit.interval, ml_gpus),
            "anchor_30_T": readings.iloc[0], "anchor_30_alt_T": readings.iloc[1]}


def year_reaching(result: Result, variable: str, level: float, draw: int = 0,
                  tolerance: float = 1e-9) -> int:
    """The first year in which one draw of ``variable`` reaches ``level`` (within
    ``tolerance``), e.g. the year problem sizes hit their cap."""
    return first_year_where(result.years, result.variables[variable][draw] >= level - tolerance)


def parameter_tables(selection: Mapping[str, tuple[Any, Sequence[str]]]) -> pd.DataFrame:
    """:func:`parameter_table` of several scenarios stacked: ``selection`` maps a label to
    ``(scenario, keys)``. Columns ``scenario, key, value, unit, set in, source``."""
    frames = [parameter_table(sc, keys).assign(scenario=label)
              for label, (sc, keys) in selection.items()]
    return pd.concat(frames)[["scenario", "key", "value", "unit", "set in", "source"]]


def ramp_summary(scenario, result: Result, reference: Result) -> dict[str, float]:
    """The ECP section's numbers for an ``ecp`` scenario and its engine result: the gain G, its
    programme length Y and start (``gain``, ``years``, ``start``, ``end``), the yearly rate
    G^(1/Y) (``rate``), the elasticity (``eps``) and spend over the reference path in the last
    simulated year (``ratio_end``)."""
    ecp = scenario.values["ecp"]
    return {"gain": ecp["gain"], "years": ecp["years"], "start": int(ecp["start"]),
            "end": int(ecp["start"] + ecp["years"]),
            "rate": closed_forms.annual_rate(ecp["gain"], ecp["years"]),
            "eps": scenario.values["demand"]["elasticity"],
            "ratio_end": float(spend_ratio(result, reference)[0, -1])}


def problem_size_summary(scenario, result: Result, reference: Result,
                         first_year: int = 2025) -> dict[str, float]:
    """The FFT section's numbers for an ``fft`` scenario and its engine result: the inputs
    (``beta``, ``n0``, ``nmax``: log2 of the base and the largest problem size), log2 of the
    size chosen in ``first_year`` (``n_<first_year>``), the year sizes reach the cap
    (``cap_year``), spend in ``first_year`` over the reference's base-year spend (``jump``), the
    implied elasticity kappa / (kappa - beta) under the old and the new algorithm
    (``eps_before``, ``eps_after``) and the peak and end of spend (:func:`path_summary`)."""
    p = scenario.values["fft"]
    return {"beta": p["beta"], "n0": p["n0_log2"], "nmax": p["n_max_log2"],
            f"n_{first_year}": value_in_year(result, "problem_size_log2", first_year),
            "cap_year": year_reaching(result, "problem_size_log2", p["n_max_log2"]),
            "jump": value_in_year(result, "compute_spend", first_year)
            / reference.variables["compute_spend"][0, 0],
            "eps_before": problem_size.implied_elasticity(p["kappa_old"], p["beta"]),
            "eps_after": problem_size.implied_elasticity(p["kappa_new"], p["beta"]),
            **path_summary(result, "compute_spend")}


def ramp_closed_form_gap(scenario, result: Result, reference: Result) -> float:
    """Largest relative gap, year by year, between an ``ecp`` scenario's spend over the reference
    path (engine) and the closed form G^(w(t) (eps - 1))
    (:func:`model.engine.closed_forms.ramp_spend_ratio`)."""
    ecp = scenario.values["ecp"]
    if scenario.values["demand"]["form"] != "isoelastic":
        raise ValueError("the ramp's closed form is for isoelastic demand (--set demand.form=isoelastic)")
    trend = scenario.values["efficiency"]["doubling_years"] if ecp["mode"] == "replace" else None
    closed = closed_forms.ramp_spend_ratio(result.years, ecp["gain"], ecp["start"], ecp["years"],
                                           scenario.values["demand"]["elasticity"],
                                           trend_doubling_years=trend)
    return max_relative_gap(spend_ratio(result, reference), closed)


# --- the scenarios chapter ---------------------------------------------------------------------------
def shipped_runs() -> dict[str, Any]:
    """Every shipped scenario (``scenarios/*.toml``) run with its own settings through the same
    runner as ``jevons run``: name -> :class:`model.scenarios.runs.Run`."""
    from_files = {name: load_scenario(name) for name in available_scenarios()}
    return {name: run_scenario(sc) for name, sc in from_files.items()}


def trend_summary(values: Mapping[str, Any], years: float) -> dict[str, float]:
    """The trend assumptions of a scenario's resolved values: ``t_hw`` (years), ``t_alg_months``,
    the elasticity (``base_eps``), and the factor by which the price of useful work falls in a
    year and over ``years`` years on the two trends (``price_fall_per_year``,
    ``price_fall_total``)."""
    t_hw, t_alg = values["hardware"]["doubling_years"], values["efficiency"]["doubling_years"]
    return {"t_hw": t_hw, "t_alg_months": 12 * t_alg, "base_eps": values["demand"]["elasticity"],
            "price_fall_per_year": closed_forms.price_fall_per_year(t_hw, t_alg),
            "price_fall_total": closed_forms.price_fall(years, t_hw, t_alg)}


def spend_and_flop_moves(base: Result, spend: pd.DataFrame, flop: pd.DataFrame,
                         year: int) -> dict[str, Any]:
    """How scenarios move against the base year of ``base`` (first draw): FLOP bought in the base
    year (``flop_base``), the number of scenarios whose FLOP demand in ``year`` is above it
    (``n_flop_up``) and whose spend is below base-year spend (``n_spend_down``), and the names of
    those where spend falls while FLOP rise (``spend_down_flop_up``, comma-separated).
    ``spend`` and ``flop`` are :func:`scenario_table` frames with a column ``year``."""
    spend_down = spend[year] < float(base.variables["compute_spend"][0, 0])
    flop_base = float(base.variables["flop_demand"][0, 0])
    flop_up = flop[year] > flop_base
    return {"flop_base": flop_base, "n_flop_up": int(flop_up.sum()),
            "n_spend_down": int(spend_down.sum()),
            "spend_down_flop_up": ", ".join(spend.index[spend_down & flop_up])}


def stacked_tables(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Several frames with the same index side by side, under a first column level naming each."""
    return pd.concat(dict(tables), axis=1)
