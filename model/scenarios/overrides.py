"""Overrides of a loaded scenario from the command line or a notebook: ``--set KEY=VALUE``
(:func:`apply_override`) and ``--grid KEY=START:STOP:STEP`` (:func:`parse_grid`,
:func:`grid_points`, :func:`set_grid_values`).

A ``--set`` VALUE is read as a TOML value (a bare word as a string); a grid is computed in
exact decimal arithmetic so that ``0:1:0.1`` gives the floats nearest to 0.1, 0.2, ... and
includes 1.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
import pandas as pd

from model.engine import schema
from model.engine.schema import TABLES
from model.scenarios.keys import KeyPath, display_key, parse_key, resolve_key, scenario_error
from model.scenarios.merge import drop_origins, set_table
from model.scenarios.validation import clean_item, clean_value

MAX_GRID_POINTS = 1_000_000
DECIMAL_EXPONENT = 300  # grid numbers must be representable as floats


def parse_value(text: str) -> Any:
    """A ``--set`` value: a TOML value (``1.5``, ``true``, ``"x"``, ``[{...}]``) or a bare word."""
    try:
        parsed = tomllib.loads(f"value = {text}")
    except tomllib.TOMLDecodeError:
        return text.strip()
    except RecursionError:
        raise scenario_error("--set", None, "the value is nested too deeply to parse; "
                             "allowed: a TOML value of ordinary depth") from None
    if set(parsed) != {"value"}:  # e.g. a value containing a newline and another key
        return text.strip()
    return parsed["value"]


def apply_override(values: dict[str, Any], origins: dict[str, str], identity: dict[str, Any],
                   text: str) -> None:
    """Apply one ``KEY=VALUE`` override in place (``identity`` holds name and description)."""
    if "=" not in text:
        raise scenario_error(f"--set {text.strip()}", None, "expected KEY=VALUE; "
                             "allowed: e.g. --set demand.substitution=1.5")
    key_text, raw = text.split("=", 1)
    path = parse_key(key_text, f"--set {key_text.strip()}")
    source = f"--set {display_key(path)}"
    field, key = resolve_key(values, path, source)
    value = parse_value(raw)
    if len(path) == 1:
        target = identity if key in identity else values
        target[key] = clean_value(value, field, path, source)
        origins[key] = source
        return
    section = values.setdefault(path[0], {})
    if len(path) == 2:
        if field.kind == TABLES:
            set_table(section, origins, key, path[1], clean_value(value, field, path, source),
                       source)
        else:
            section[path[1]] = clean_value(value, field, path, source)
            origins[key] = source
        return
    items = section[path[1]]
    if len(path) == 3:
        items[path[2]] = clean_item(value, field, path, source)
        drop_origins(origins, key)
        for sub in items[path[2]]:
            origins[f"{key}.{sub}"] = source
        return
    items[path[2]][path[3]] = clean_value(value, field, path, source)
    origins[key] = source


@dataclass(frozen=True)
class Grid:
    """One ``--grid KEY=START:STOP:STEP``: the key and its grid values."""

    key: str
    path: KeyPath
    values: np.ndarray


def _decimal(text: str, name: str, source: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise scenario_error(source, None, f"{name} {text.strip()!r} is not a finite number; "
                             "allowed: KEY=START:STOP:STEP with numbers, e.g. "
                             "demand.substitution=0.5:2:0.25")
    if value != 0 and not -DECIMAL_EXPONENT <= value.adjusted() <= DECIMAL_EXPONENT:
        raise scenario_error(source, None, f"{name} {text.strip()!r} is outside floating-point "
                             f"range; allowed: 0 or a magnitude from 1e-{DECIMAL_EXPONENT} to "
                             f"1e{DECIMAL_EXPONENT}")
    return value


def grid_values(start: Decimal, stop: Decimal, step: Decimal) -> np.ndarray:
    """``start, start + step, ...`` up to ``stop`` inclusive, in exact decimal arithmetic.

    Points are computed as integers over a power of ten, so ``0:1:0.1`` gives exactly the
    floats nearest to 0.1, 0.2, ... and includes 1 (no 0.30000000000000004, no lost endpoint).
    """
    count = int((stop - start) // step) + 1
    places = max(0, -min(start.as_tuple().exponent, step.as_tuple().exponent))
    scale = 10**places
    first, stride = int(start * scale), int(step * scale)
    if max(abs(first), abs(stride) * count) < 2**53:
        return (first + stride * np.arange(count, dtype=np.int64)) / scale
    return float(start) + float(step) * np.arange(count)


def parse_grid(text: str, scenario: Any) -> Grid:
    """Parse and check ``KEY=START:STOP:STEP`` against a scenario (a
    :class:`~model.scenarios.scenario.Scenario`) and the schema."""
    syntax = "allowed: KEY=START:STOP:STEP, e.g. --grid demand.substitution=0.5:2:0.25"
    if "=" not in text:
        raise scenario_error(f"--grid {text.strip()}", None, f"expected KEY=START:STOP:STEP; {syntax}")
    key_text, spec = text.split("=", 1)
    source = f"--grid {key_text.strip()}"
    path = parse_key(key_text, source)
    field, key = resolve_key(scenario.values, path, source)
    if field.kind != schema.FLOAT:
        what = {schema.INT: "an integer key that sets the shape of the run",
                schema.TABLES: "an array of tables"}.get(field.kind, f"a {field.kind} key")
        raise scenario_error(source, None, f"{key} is {what} and cannot be swept; "
                             "allowed: a numeric (float) key such as demand.elasticity")
    parts = spec.split(":")
    if len(parts) != 3:
        raise scenario_error(source, None, f"expected START:STOP:STEP, got {spec.strip()!r}; {syntax}")
    start, stop, step = (_decimal(p, n, source) for p, n in zip(parts, ("START", "STOP", "STEP"),
                                                                strict=True))
    if step <= 0:
        raise scenario_error(source, None, f"STEP {step} is not positive; allowed: STEP > 0")
    if stop < start:
        raise scenario_error(source, None, f"STOP {stop} is below START {start}; "
                             "allowed: START <= STOP")
    ratio = (stop - start) / step  # rounded to 28 digits: no exact division of huge numbers
    if ratio >= 10**18:  # beyond that an exact integer quotient may not fit in 28 digits
        raise scenario_error(source, None, f"about {float(ratio):.3g} points; allowed: at most "
                             f"{MAX_GRID_POINTS:,} points in a sweep")
    count = int((stop - start) // step) + 1
    if count > MAX_GRID_POINTS:
        raise scenario_error(source, None, f"{count:,} points; allowed: at most "
                             f"{MAX_GRID_POINTS:,} points in a sweep")
    values = grid_values(start, stop, step)
    if values.size > 1 and np.any(np.diff(values) <= 0):
        raise scenario_error(source, None, f"STEP {step} is too small to tell the grid points "
                             f"apart in floating point near {start}; allowed: a larger STEP")
    inside = np.array([field.in_range(float(v)) for v in (values[0], values[-1])])
    if not inside.all():
        bad = values[0] if not inside[0] else values[-1]
        raise scenario_error(source, None, f"grid value {bad:g} is out of range for {key}; "
                             f"allowed: {field.allowed()}")
    return Grid(key=key, path=path, values=values)


def grid_points(grids: Sequence[Grid]) -> pd.DataFrame:
    """The cartesian product of the grids, one row per point (the first grid varies slowest)."""
    total = int(np.prod([g.values.size for g in grids], dtype=np.int64))
    if total > MAX_GRID_POINTS:
        sizes = " x ".join(str(g.values.size) for g in grids)
        raise scenario_error("--grid", None, f"{sizes} = {total:,} points; allowed: at most "
                             f"{MAX_GRID_POINTS:,} points in a sweep")
    mesh = np.meshgrid(*[g.values for g in grids], indexing="ij")
    frame = pd.DataFrame({g.key: m.reshape(-1) for g, m in zip(grids, mesh, strict=True)})
    frame.insert(0, "draw", np.arange(total))
    return frame


def set_value(values: dict[str, Any], path: KeyPath, value: Any) -> None:
    node: Any = values
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
