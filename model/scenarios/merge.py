"""Following ``extends`` chains, merging files root first, and filling the schema's defaults.

Every resolved key remembers where its value came from (a file label, ``--set KEY`` or
``default``) in an ``origins`` dict.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from model.engine import schema
from model.engine.schema import TABLES
from model.scenarios.files import file_label, find_scenario, read_toml
from model.scenarios.keys import scenario_error
from model.scenarios.validation import clean_file

IDENTITY_KEYS = ("name", "description", "extends")  # describe one file; not inherited
DEFAULT = "default"


def resolve_chain(path: Path) -> list[tuple[Path, dict[str, Any]]]:
    """(file, cleaned contents) from the root ancestor to ``path``."""
    chain: list[tuple[Path, dict[str, Any]]] = []
    seen: list[Path] = []
    current = path
    while True:
        resolved = current.resolve()
        if resolved in seen:
            loop = [file_label(p) for p, _ in chain[seen.index(resolved):]] + [file_label(current)]
            raise scenario_error(file_label(chain[-1][0]), "extends",
                                 f"circular extends: {' -> '.join(loop)}; "
                                 "allowed: a chain ending in a scenario without extends")
        seen.append(resolved)
        label = file_label(current)
        raw = read_toml(current)
        if not raw:  # zero bytes, whitespace or comments: almost always a truncated file
            raise scenario_error(label, None, "has no keys (empty, or only comments); allowed: a "
                                 "scenario with at least one key (to run the defaults, write "
                                 "extends = \"baseline\")")
        clean = clean_file(raw, label)
        chain.append((current, clean))
        parent = clean.get("extends")
        if parent is None:
            return chain[::-1]
        current = find_scenario(parent, relative_to=current.parent, source=label, key="extends")


def drop_origins(origins: dict[str, str], key: str) -> None:
    for k in [k for k in origins if k == key or k.startswith(key + "[")]:
        del origins[k]


def set_table(section: dict, origins: dict, key: str, name: str, items: list, label: str) -> None:
    section[name] = copy.deepcopy(items)
    drop_origins(origins, key)
    origins[key] = label
    for i, item in enumerate(items):
        for sub in item:
            origins[f"{key}[{i}].{sub}"] = label


def merge(chain: list[tuple[Path, dict[str, Any]]]) -> tuple[dict[str, Any], dict[str, str]]:
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for path, clean in chain:
        label = file_label(path)
        for key, value in clean.items():
            if key in IDENTITY_KEYS:
                continue
            if isinstance(value, dict):  # a section (distributions are not dicts any more)
                section = values.setdefault(key, {})
                for name, item in value.items():
                    dotted = f"{key}.{name}"
                    if isinstance(item, list):  # arrays of tables are replaced whole
                        set_table(section, origins, dotted, name, item, label)
                    else:
                        section[name] = item
                        origins[dotted] = label
            else:
                values[key] = value
                origins[key] = label
    return values, origins


def fill_defaults(values: dict[str, Any], origins: dict[str, str]) -> None:
    for name, field in schema.children("").items():
        if name not in IDENTITY_KEYS and name not in values:
            values[name] = field.default
            origins[name] = DEFAULT
    for section in schema.sections():
        table = values.setdefault(section, {})
        for name, field in schema.children(section).items():
            key = f"{section}.{name}"
            if field.kind != TABLES:
                if name not in table:
                    table[name] = field.default
                    origins[key] = DEFAULT
                continue
            items = table.setdefault(name, [])
            origins.setdefault(key, DEFAULT)
            for i, item in enumerate(items):
                for sub, subfield in schema.children(field.key + "[]").items():
                    if sub in item:
                        continue
                    item_key = f"{key}[{i}].{sub}"
                    if subfield.required:
                        raise scenario_error(origins[key], item_key,
                                             f"missing (required); allowed: {subfield.allowed()}")
                    item[sub] = subfield.default
                    origins[item_key] = DEFAULT
