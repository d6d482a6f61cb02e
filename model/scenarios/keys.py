"""Scenario key paths and the one-line messages that name them.

A key path is a tuple such as ``("efficiency", "shocks", 0, "factor")``; it is shown as
``efficiency.shocks[0].factor`` (:func:`display_key`), matched to the schema row
``efficiency.shocks[].factor`` (:func:`schema_key`), parsed from ``--set``/``--grid`` text
(:func:`parse_key`) and checked against the schema (:func:`resolve_key`). Every scenario
error is built by :func:`scenario_error`, with a did-you-mean hint where one helps.
"""

from __future__ import annotations

import difflib
import math
import re
from typing import Any

from model.engine import schema
from model.engine.schema import TABLES, Field
from model.errors import ScenarioError

KeyPath = tuple[str | int, ...]
_KEY_PART = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def display_key(path: KeyPath) -> str:
    """``("efficiency", "shocks", 0, "factor")`` -> ``"efficiency.shocks[0].factor"``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def schema_key(path: KeyPath) -> str:
    """``("efficiency", "shocks", 0, "factor")`` -> ``"efficiency.shocks[].factor"`` (schema row)."""
    return re.sub(r"\[\d+\]", "[]", display_key(path))


def scenario_error(source: str, key: str | None, problem: str) -> ScenarioError:
    """A :class:`ScenarioError`; ``--set KEY`` sources are not followed by the same key twice."""
    if key is not None and source.startswith("--") and source.split(" ", 1)[-1] == key:
        error = ScenarioError(source, None, problem)
        error.key = key
        return error
    return ScenarioError(source, key, problem)


def did_you_mean(word: str, options: list[str] | tuple[str, ...]) -> str:
    """`` (did you mean 'x'?)`` for the closest option, or ``''``."""
    close = difflib.get_close_matches(str(word), list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def describe(value: Any) -> str:
    """How a TOML value reads in an error message."""
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, str):
        return f"a string ({value!r})"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, float) and not math.isfinite(value):
        return f"{value} (not a finite number)"
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    return f"a {type(value).__name__} ({value})"


def unknown_key_error(source: str, path: KeyPath, options: list[str], level: str) -> Exception:
    dotted = ".".join(str(p) for p in path if not isinstance(p, int))
    if dotted in schema.REMOVED_KEYS:
        return scenario_error(source, display_key(path), f"was removed; allowed: {schema.REMOVED_KEYS[dotted]}")
    word = str(path[-1])
    hint = did_you_mean(word, options)
    if not hint:  # a key put in the wrong section: suggest where it lives
        homes = [f.key for f in schema.FIELDS if f.key.split(".")[-1] == word and "[]" not in f.key]
        hint = f" (did you mean {homes[0]!r}?)" if homes else ""
    return scenario_error(source, display_key(path),
                          f"unknown {level}{hint}; allowed: {', '.join(options)}")


def parse_key(key: str, source: str) -> KeyPath:
    """``"efficiency.shocks.0.factor"`` or ``"efficiency.shocks[0].factor"`` -> key path."""
    parts: list[str | int] = []
    for token in re.sub(r"\[(\d+)\]", r".\1", key.strip()).split("."):
        if token.isdigit():
            parts.append(int(token))
        elif _KEY_PART.match(token):
            parts.append(token)
        else:
            raise scenario_error(source, None, f"malformed key {key!r}; allowed: a dotted key such "
                                 "as demand.elasticity or efficiency.shocks.0.factor")
    return tuple(parts)


def resolve_key(values: dict, path: KeyPath, source: str) -> tuple[Field, str]:
    """The schema row a key path sets (checking sections, names and indices)."""
    top = schema.children("")
    sections = schema.sections()
    head = path[0]
    if not isinstance(head, str) or (head not in top and head not in sections):
        raise unknown_key_error(source, path[:1], list(top) + sections, "key or section")
    if head in top:
        if len(path) > 1:
            raise scenario_error(source, display_key(path), f"{head} has no sub-keys; "
                                 f"allowed: {head}=VALUE")
        if head == "extends":
            raise scenario_error(source, "extends", "cannot be overridden; allowed: "
                                 "run the scenario to extend, or write a file that extends it")
        return top[head], head
    fields = schema.children(head)
    if len(path) == 1 or not isinstance(path[1], str):
        raise scenario_error(source, display_key(path), f"[{head}] is a section; allowed: one of "
                             f"its keys, e.g. {head}.{next(iter(fields))}=VALUE")
    if path[1] not in fields:
        raise unknown_key_error(source, path[:2], list(fields), "key")
    field = fields[path[1]]
    if len(path) == 2:
        return field, field.key
    key = display_key(path[:2])
    if field.kind != TABLES or not isinstance(path[2], int):
        raise scenario_error(source, display_key(path), f"{key} has no sub-keys; "
                             f"allowed: {key}=VALUE")
    items = values.get(head, {}).get(path[1], [])
    if path[2] >= len(items):
        have = f"{len(items)} item" + ("" if len(items) == 1 else "s")
        indices = f"an index in 0..{len(items) - 1}, or " if items else ""
        raise scenario_error(source, display_key(path), f"{key} has {have}; allowed: {indices}"
                             f"the whole array, e.g. --set '{key}=[{{ ... }}]'")
    if len(path) == 3:
        return field, f"{key}[{path[2]}]"
    subs = schema.children(field.key + "[]")
    if len(path) != 4 or not isinstance(path[3], str) or path[3] not in subs:
        if len(path) == 4 and isinstance(path[3], str):
            raise unknown_key_error(source, path, list(subs), "key")
        raise scenario_error(source, display_key(path), f"malformed key; allowed: {key}[i].KEY "
                             f"with KEY one of {', '.join(subs)}")
    return subs[path[3]], display_key(path)
