"""Results files and tables: the engine's arrays as the files and tables a user sees.

``results.csv`` is long format (IAMC-like, so pyam and spreadsheets read it), one row per
scenario, draw, year and variable::

    scenario,draw,year,variable,unit,value

``summary.csv`` has, per scenario, year and variable, the number of draws, the mean and the
5, 25, 50, 75 and 95% quantiles across draws (``numpy.quantile``, linear interpolation).
Both are written atomically (:mod:`model.io`): a reader never sees half a file.

The functions accept any object with ``years`` (T,), ``variables`` (name -> (n, T) arrays) and
``n_draws``, i.e. :class:`model.engine.simulation.Result`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

from model import io
from model.engine import schema

QUANTILES = {"p05": 0.05, "p25": 0.25, "p50": 0.50, "p75": 0.75, "p95": 0.95}
RESULT_COLUMNS = ["scenario", "draw", "year", "variable", "unit", "value"]
SUMMARY_COLUMNS = ["scenario", "year", "variable", "unit", "draws", "mean", *QUANTILES]


class ResultLike(Protocol):
    years: np.ndarray
    variables: dict[str, np.ndarray]
    n_draws: int


def unit_of(variable: str) -> str:
    """The unit of an output variable (schema.OUTPUT_UNITS)."""
    try:
        return schema.output_unit(variable)
    except KeyError:
        raise KeyError(f"output variable {variable!r} has no unit in schema.OUTPUT_UNITS") from None


def ordered_variables(result: ResultLike, variables: Sequence[str] | None = None) -> list[str]:
    """The result's variables in schema.OUTPUT_UNITS order (optionally only ``variables``)."""
    names = [v for v in schema.OUTPUT_UNITS if v in result.variables]
    names += [v for v in result.variables if v not in schema.OUTPUT_UNITS]
    if variables is not None:  # compute_spend selects its per-segment parts as well
        wanted = set(variables)
        names = [v for v in names if v in wanted or v.split("|", 1)[0] in wanted]
    return names


def _year_labels(years: np.ndarray) -> np.ndarray:
    years = np.asarray(years, dtype=float)
    return years.astype(np.int64) if np.all(years == np.round(years)) else years


def _year_mask(years: np.ndarray, keep: Sequence[float] | None) -> np.ndarray:
    if keep is None:
        return np.ones(len(years), dtype=bool)
    return np.isin(np.asarray(years, dtype=float), np.asarray(list(keep), dtype=float))


def results_frame(result: ResultLike, scenario: str, variables: Sequence[str] | None = None,
                  years: Sequence[float] | None = None) -> pd.DataFrame:
    """Long-format results: rows ordered by variable, then draw, then year.

    Parameters
    ----------
    result : Result
    scenario : str
        Value of the ``scenario`` column.
    variables, years : sequence, optional
        Keep only these variables / years (default: all).
    """
    names = ordered_variables(result, variables)
    mask = _year_mask(result.years, years)
    year_values = _year_labels(result.years)[mask]
    n, t = result.n_draws, int(mask.sum())
    blocks = [np.asarray(result.variables[v], dtype=np.float64)[:, mask] for v in names]
    values = np.stack(blocks).reshape(-1) if blocks else np.empty(0)
    per_variable = n * t
    variable = pd.Categorical.from_codes(np.repeat(np.arange(len(names)), per_variable),
                                         categories=names)
    units = [unit_of(v) for v in names]
    unit_categories = list(dict.fromkeys(units))
    unit_codes = np.array([unit_categories.index(u) for u in units], dtype=np.int64)
    unit = pd.Categorical.from_codes(np.repeat(unit_codes, per_variable),
                                     categories=unit_categories)
    return pd.DataFrame({
        "scenario": pd.Categorical.from_codes(np.zeros(values.size, dtype=np.int8), [scenario]),
        "draw": np.tile(np.repeat(np.arange(n), t), len(names)),
        "year": np.tile(year_values, n * len(names)),
        "variable": variable,
        "unit": unit,
        "value": values,
    }, columns=RESULT_COLUMNS)


def summary_frame(result: ResultLike, scenario: str, variables: Sequence[str] | None = None,
                  years: Sequence[float] | None = None) -> pd.DataFrame:
    """Mean and quantiles across draws per year and variable (vectorised over years).

    Quantiles are ``numpy.quantile`` with its default linear interpolation.
    """
    names = ordered_variables(result, variables)
    mask = _year_mask(result.years, years)
    year_values = _year_labels(result.years)[mask]
    t = len(year_values)
    probs = list(QUANTILES.values())
    columns: dict[str, Any] = {
        "scenario": [scenario] * (t * len(names)),
        "year": np.tile(year_values, len(names)),
        "variable": np.repeat(names, t),
        "unit": np.repeat([unit_of(v) for v in names], t),
        "draws": np.full(t * len(names), result.n_draws, dtype=np.int64),
    }
    stats = {"mean": []} | {q: [] for q in QUANTILES}
    for name in names:
        # Years as rows of a contiguous array: the quantile's partition then runs on
        # contiguous memory.
        by_year = np.ascontiguousarray(np.asarray(result.variables[name], dtype=np.float64)[:, mask].T)
        stats["mean"].append(by_year.mean(axis=1))
        if (by_year == by_year[:, :1]).all():  # the same in every draw: no partition needed
            quantiles = np.repeat(by_year[:, :1].T, len(probs), axis=0)
        else:  # by_year is our own copy, so the partition may work in place (no second copy)
            quantiles = np.quantile(by_year, probs, axis=1, overwrite_input=True)
        for q, row in zip(QUANTILES, quantiles, strict=True):
            stats[q].append(row)
    for column, rows in stats.items():
        columns[column] = np.concatenate(rows) if rows else np.empty(0)
    return pd.DataFrame(columns, columns=SUMMARY_COLUMNS)


def write_frame(path: str | os.PathLike, frame: pd.DataFrame) -> Path:
    """Write a CSV atomically with shortest round-trip float text (bit-identical reruns)."""
    return io.write_csv(path, frame)
