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
from model.engine import schema
from model.engine.params import Params, Shock
from model.engine.simulation import Result, simulate
from model.scenarios.loader import load_scenario

# What each output variable measures (the units are in schema.OUTPUT_UNITS).
OUTPUT_DESCRIPTIONS: dict[str, str] = {
    "compute_spend": "spending on compute, X = c F",
    "flop_demand": "FLOP bought in the year, F = U / a",
    "price_per_useful_work": "price of useful work p = c / a (times any scarcity markup)",
    "useful_work": "useful work demanded, U",
    "cost_per_flop": "price paid per FLOP, c (times any scarcity markup)",
    "algorithmic_efficiency": "useful work per FLOP, a (demand-weighted across adopters)",
    "nvidia_dc_revenue": "Nvidia data-center revenue = share x accelerator fraction x spend",
    "scarcity_markup": "price markup that clears a capacity cap (1 when the cap is slack)",
    "problem_size_log2": "log2 of the problem size users choose (FFT scenarios)",
}


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
        source = field.source
        # The schema's source backs the default value; a file that sets another value (or an
        # item of a list, which has no schema source) gives its source in a comment.
        if origin.endswith(".toml") and (source == "-" or cell_text(value) != cell_text(field.default)):
            source = f"comment in {origin}"
        elif origin.startswith("--"):
            source = "user override"
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
def _elasticity_text(demand: Mapping[str, Any]) -> str:
    if demand["form"] == "segments":
        return ", ".join(f"{s['name']} {cell_text(s['elasticity'])}" for s in demand["segments"])
    return cell_text(demand["elasticity"])


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
                     "elasticity": _elasticity_text(sc.values["demand"]),
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
