"""Checking one parsed scenario file against the schema: keys, types, ranges, choices,
distributions and arrays of tables (no merging, no defaults).
"""

from __future__ import annotations

import math
from typing import Any

from model.engine import demand, schema
from model.engine.schema import BOOL, FLOAT, INT, NAMES, STR, TABLES, Field
from model.scenarios.distributions import parse_distribution
from model.scenarios.keys import (
    KeyPath,
    describe,
    did_you_mean,
    display_key,
    scenario_error,
    unknown_key_error,
)

MAX_ITEMS = {"efficiency.shocks": schema.MAX_SHOCKS, "demand.segments": schema.MAX_SEGMENTS}


def clean_value(value: Any, field: Field, path: KeyPath, source: str) -> Any:
    """Check one value against its schema row; return it normalised (int -> float etc.)."""
    key = display_key(path)
    allowed = field.allowed()
    if field.kind == TABLES:
        return clean_tables(value, field, path, source)
    if field.kind == NAMES:
        return clean_names(value, field, key, source)
    if isinstance(value, dict):
        return parse_distribution(value, field, source, key)
    if field.kind in (FLOAT, INT):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise scenario_error(source, key, f"expected a number, got {describe(value)}; "
                                 f"allowed: {allowed}")
        if not math.isfinite(value):
            raise scenario_error(source, key, f"got {describe(value)}; allowed: {allowed}")
        if field.kind == INT:
            if isinstance(value, float) and not value.is_integer():
                raise scenario_error(source, key, f"expected an integer, got {value:g}; "
                                     f"allowed: {allowed}")
            value = int(value)
        else:
            value = float(value)
        if not field.in_range(value):
            raise scenario_error(source, key, f"got {value:g}, out of range; allowed: {allowed}")
        return value
    if field.kind == STR:
        if not isinstance(value, str):
            raise scenario_error(source, key, f"expected a string, got {describe(value)}; "
                                 f"allowed: {allowed}")
        if field.key == "demand.form" and value in demand.REMOVED_FORMS:
            raise scenario_error(source, key, f"{value!r} was removed: {demand.REMOVED_FORMS[value]}; "
                                 f"allowed: {allowed}")
        if field.choices and value not in field.choices:
            raise scenario_error(source, key, f"got {value!r}{did_you_mean(value, field.choices)}; "
                                 f"allowed: {allowed}")
        return value
    if field.kind == BOOL:
        if not isinstance(value, bool):
            raise scenario_error(source, key, f"expected true or false, got {describe(value)}; "
                                 f"allowed: {allowed}")
        return value
    raise AssertionError(f"unknown kind {field.kind!r} in the schema")  # pragma: no cover


MAX_NAMES = 8


def clean_names(value: Any, field: Field, key: str, source: str) -> tuple[str, ...]:
    """An array of distinct, non-empty names (at most ``MAX_NAMES``)."""
    allowed = f"an array of at most {MAX_NAMES} distinct segment names, e.g. [\"training\"]"
    if not isinstance(value, list):
        raise scenario_error(source, key, f"expected an array of names, got {describe(value)}; "
                             f"allowed: {allowed}")
    if len(value) > MAX_NAMES:
        raise scenario_error(source, key, f"{len(value)} names given; allowed: {allowed}")
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise scenario_error(source, key, f"expected a name, got {describe(item)}; allowed: {allowed}")
    if len(set(value)) < len(value):
        raise scenario_error(source, key, f"a name is repeated; allowed: {allowed}")
    return tuple(value)


def clean_item(item: Any, table: Field, path: KeyPath, source: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise scenario_error(source, display_key(path), f"expected a table, got {describe(item)}; "
                             f"allowed: {table.allowed()}")
    fields = schema.children(table.key + "[]")
    out = {}
    for name, value in item.items():
        if name not in fields:
            raise unknown_key_error(source, (*path, name), list(fields), "key")
        out[name] = clean_value(value, fields[name], (*path, name), source)
    return out


def clean_tables(value: Any, field: Field, path: KeyPath, source: str) -> list[dict[str, Any]]:
    key = display_key(path)
    limit = MAX_ITEMS[field.key]
    if not isinstance(value, list):
        raise scenario_error(source, key, f"expected an array of tables, got {describe(value)}; "
                             f"allowed: [[{key}]] tables (at most {limit})")
    if len(value) > limit:
        raise scenario_error(source, key, f"{len(value)} given, too many; allowed: at most {limit}")
    return [clean_item(item, field, (*path, i), source) for i, item in enumerate(value)]


def _clean_section(table: Any, section: str, source: str) -> dict[str, Any]:
    fields = schema.children(section)
    if not isinstance(table, dict):
        raise scenario_error(source, section, f"expected a table, got {describe(table)}; "
                             f"allowed: a [{section}] table with keys {', '.join(fields)}")
    return {
        name: (clean_value(value, fields[name], (section, name), source) if name in fields
               else _raise(unknown_key_error(source, (section, name), list(fields), "key")))
        for name, value in table.items()
    }


def _raise(exc: Exception):
    raise exc


def clean_file(raw: dict[str, Any], source: str) -> dict[str, Any]:
    """Validate the keys, types and ranges of one parsed file (no merging, no defaults)."""
    top = schema.children("")
    sections = schema.sections()
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key in top:
            out[key] = clean_value(value, top[key], (key,), source)
        elif key in sections:
            out[key] = _clean_section(value, key, source)
        else:
            raise unknown_key_error(source, (key,), list(top) + sections, "key or section")
    return out
