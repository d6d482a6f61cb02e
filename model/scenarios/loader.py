"""Scenario files: find, parse, resolve ``extends``, merge, override, fill defaults, validate.

A scenario is a TOML file checked strictly against :mod:`model.engine.schema`: unknown keys (with a
did-you-mean), wrong types, out-of-range or non-finite values, malformed TOML, unknown or
circular ``extends``, too many shocks or segments, bad distributions and broken cross-field
rules are all :class:`~model.errors.ScenarioError` s whose one-line message names the file, the
key and what is allowed. Files are data: they are parsed with :mod:`tomllib`, never evaluated.

Resolution, in order:

1. ``extends`` chains are followed to their root. A name (no ``/``, no ``.toml``) is looked up
   in the extending file's folder first, then in ``scenarios/``; a path is relative to the
   extending file.
2. Files are merged root first: a child's keys override its parent's key by key inside each
   section; an array of tables (``[[efficiency.shocks]]``, ``[[demand.segments]]``) is replaced
   whole. ``name``, ``description`` and ``extends`` describe one file and are not inherited
   (``name`` defaults to the file name).
3. ``--set KEY=VALUE`` overrides are applied (dotted keys; array items by index,
   ``efficiency.shocks.0.factor=20`` or ``efficiency.shocks[0].factor=20``; VALUE is read as a
   TOML value, a bare word as a string).
4. Defaults from the schema fill every missing key; required keys of array items are checked.
5. Cross-field rules are checked (:func:`check_cross_fields`): again after sampling or gridding,
   when values are arrays.

Every resolved key remembers where it came from (a file, ``--set KEY`` or ``default``), for
``jevons show`` and for errors found after merging.
"""

from __future__ import annotations

import copy
import math
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from model import paths
from model.engine import schema
from model.engine.schema import BOOL, FLOAT, INT, STR, TABLES, Field
from model.scenarios.distributions import (
    Distribution,
    describe,
    did_you_mean,
    display_key,
    find_distributions,
    parse_distribution,
    scenario_error,
)

IDENTITY_KEYS = ("name", "description", "extends")  # describe one file; not inherited
MAX_ITEMS = {"efficiency.shocks": schema.MAX_SHOCKS, "demand.segments": schema.MAX_SEGMENTS}
SHARE_TOLERANCE = 1e-9
DEFAULT = "default"

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Scenario:
    """A resolved, validated scenario.

    Attributes
    ----------
    name, description : str
        From the file (``name`` defaults to the file name without ``.toml``).
    path : Path
        The scenario file.
    chain : tuple of Path
        The file and its ancestors through ``extends``, the file first.
    values : dict
        Nested dict shaped like the TOML file with every section and key present (defaults
        filled); leaves are numbers, strings, booleans, ``None`` (optional segment keys) or
        :class:`~model.scenarios.distributions.Distribution`.
    origins : dict
        Display key (``"efficiency.shocks[0].factor"``) -> where its value came from: a file
        label, ``"--set KEY"`` or ``"default"``.
    """

    name: str
    description: str
    path: Path
    chain: tuple[Path, ...]
    values: dict[str, Any]
    origins: dict[str, str]

    @property
    def distributions(self) -> dict[str, Distribution]:
        """Display key -> distribution for every random key."""
        return find_distributions(self.values)

    @property
    def label(self) -> str:
        """The file as errors name it."""
        return file_label(self.path)


# --- finding files -----------------------------------------------------------------------------
def file_label(path: str | os.PathLike) -> str:
    """A file as messages name it: relative to the working directory when inside it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path.resolve())


def available_scenarios() -> list[str]:
    """Names of the scenarios in ``scenarios/``."""
    return sorted(p.stem for p in paths.SCENARIO_DIR.glob("*.toml"))


def _looks_like_path(ref: str) -> bool:
    return "/" in ref or os.sep in ref or ref.endswith(".toml")


def find_scenario(ref: str | os.PathLike, relative_to: Path | None = None,
                  source: str | None = None, key: str | None = None) -> Path:
    """The file a scenario reference points to.

    Parameters
    ----------
    ref : str or path
        A name (``"deepseek"``: ``scenarios/deepseek.toml``) or a path to a ``.toml`` file.
    relative_to : Path, optional
        Folder of the file that refers to it (for ``extends``): searched first for a name, and
        the base of a relative path.
    source, key : str, optional
        The referring file and key, named in the error (default: the reference itself).
    """
    ref = str(ref)
    names = available_scenarios()
    allowed = "a path to a .toml file or one of " + (", ".join(names) or "(no scenarios)")
    if _looks_like_path(ref):
        path = Path(ref).expanduser()
        if relative_to is not None and not path.is_absolute():
            path = relative_to / path
        if path.is_file():
            return path
        where = source or file_label(path)
        raise scenario_error(where, key, f"no such scenario file {file_label(path)}; allowed: {allowed}")
    candidates = [paths.SCENARIO_DIR / f"{ref}.toml"]
    if relative_to is not None and relative_to.resolve() != paths.SCENARIO_DIR.resolve():
        candidates.insert(0, relative_to / f"{ref}.toml")
    for path in candidates:
        if path.is_file():
            return path
    looked = ", ".join(file_label(p) for p in candidates)
    problem = f"no scenario named {ref!r} (looked for {looked}){did_you_mean(ref, names)}"
    raise scenario_error(source or ref, key, f"{problem}; allowed: {allowed}")


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; malformed TOML is a one-line error with tomllib's line and column."""
    label = file_label(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise scenario_error(label, None, f"cannot read the file ({exc.strerror}); "
                             "allowed: a readable TOML file") from None
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise scenario_error(label, None, f"not UTF-8 text (byte {exc.start}); "
                             "allowed: a UTF-8 TOML file") from None
    except tomllib.TOMLDecodeError as exc:
        raise scenario_error(label, None, f"malformed TOML: {exc}; "
                             "allowed: TOML syntax (https://toml.io)") from None


# --- cleaning one file against the schema ------------------------------------------------------
def _unknown(source: str, path: KeyPath, options: list[str], level: str) -> Exception:
    word = str(path[-1])
    hint = did_you_mean(word, options)
    if not hint:  # a key put in the wrong section: suggest where it lives
        homes = [f.key for f in schema.FIELDS if f.key.split(".")[-1] == word and "[]" not in f.key]
        hint = f" (did you mean {homes[0]!r}?)" if homes else ""
    return scenario_error(source, display_key(path),
                          f"unknown {level}{hint}; allowed: {', '.join(options)}")


def clean_value(value: Any, field: Field, path: KeyPath, source: str) -> Any:
    """Check one value against its schema row; return it normalised (int -> float etc.)."""
    key = display_key(path)
    allowed = field.allowed()
    if field.kind == TABLES:
        return _clean_tables(value, field, path, source)
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


def _clean_item(item: Any, table: Field, path: KeyPath, source: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise scenario_error(source, display_key(path), f"expected a table, got {describe(item)}; "
                             f"allowed: {table.allowed()}")
    fields = schema.children(table.key + "[]")
    out = {}
    for name, value in item.items():
        if name not in fields:
            raise _unknown(source, (*path, name), list(fields), "key")
        out[name] = clean_value(value, fields[name], (*path, name), source)
    return out


def _clean_tables(value: Any, field: Field, path: KeyPath, source: str) -> list[dict[str, Any]]:
    key = display_key(path)
    limit = MAX_ITEMS[field.key]
    if not isinstance(value, list):
        raise scenario_error(source, key, f"expected an array of tables, got {describe(value)}; "
                             f"allowed: [[{key}]] tables (at most {limit})")
    if len(value) > limit:
        raise scenario_error(source, key, f"{len(value)} given, too many; allowed: at most {limit}")
    return [_clean_item(item, field, (*path, i), source) for i, item in enumerate(value)]


def _clean_section(table: Any, section: str, source: str) -> dict[str, Any]:
    fields = schema.children(section)
    if not isinstance(table, dict):
        raise scenario_error(source, section, f"expected a table, got {describe(table)}; "
                             f"allowed: a [{section}] table with keys {', '.join(fields)}")
    return {
        name: (clean_value(value, fields[name], (section, name), source) if name in fields
               else _raise(_unknown(source, (section, name), list(fields), "key")))
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
            raise _unknown(source, (key,), list(top) + sections, "key or section")
    return out


# --- extends, merge ----------------------------------------------------------------------------
def _resolve_chain(path: Path) -> list[tuple[Path, dict[str, Any]]]:
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
        clean = clean_file(read_toml(current), label)
        chain.append((current, clean))
        parent = clean.get("extends")
        if parent is None:
            return chain[::-1]
        current = find_scenario(parent, relative_to=current.parent, source=label, key="extends")


def _drop_origins(origins: dict[str, str], key: str) -> None:
    for k in [k for k in origins if k == key or k.startswith(key + "[")]:
        del origins[k]


def _set_table(section: dict, origins: dict, key: str, name: str, items: list, label: str) -> None:
    section[name] = copy.deepcopy(items)
    _drop_origins(origins, key)
    origins[key] = label
    for i, item in enumerate(items):
        for sub in item:
            origins[f"{key}[{i}].{sub}"] = label


def _merge(chain: list[tuple[Path, dict[str, Any]]]) -> tuple[dict[str, Any], dict[str, str]]:
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
                        _set_table(section, origins, dotted, name, item, label)
                    else:
                        section[name] = item
                        origins[dotted] = label
            else:
                values[key] = value
                origins[key] = label
    return values, origins


# --- overrides ---------------------------------------------------------------------------------
_KEY_PART = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


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


def parse_value(text: str) -> Any:
    """A ``--set`` value: a TOML value (``1.5``, ``true``, ``"x"``, ``[{...}]``) or a bare word."""
    try:
        parsed = tomllib.loads(f"value = {text}")
    except tomllib.TOMLDecodeError:
        return text.strip()
    if set(parsed) != {"value"}:  # e.g. a value containing a newline and another key
        return text.strip()
    return parsed["value"]


def resolve_key(values: dict, path: KeyPath, source: str) -> tuple[Field, str]:
    """The schema row a key path sets (checking sections, names and indices)."""
    top = schema.children("")
    sections = schema.sections()
    head = path[0]
    if not isinstance(head, str) or (head not in top and head not in sections):
        raise _unknown(source, path[:1], list(top) + sections, "key or section")
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
        raise _unknown(source, path[:2], list(fields), "key")
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
            raise _unknown(source, path, list(subs), "key")
        raise scenario_error(source, display_key(path), f"malformed key; allowed: {key}[i].KEY "
                             f"with KEY one of {', '.join(subs)}")
    return subs[path[3]], display_key(path)


def apply_override(values: dict[str, Any], origins: dict[str, str], identity: dict[str, Any],
                   text: str) -> None:
    """Apply one ``KEY=VALUE`` override in place (``identity`` holds name and description)."""
    if "=" not in text:
        raise scenario_error(f"--set {text.strip()}", None, "expected KEY=VALUE; "
                             "allowed: e.g. --set demand.elasticity=1.5")
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
            _set_table(section, origins, key, path[1], clean_value(value, field, path, source),
                       source)
        else:
            section[path[1]] = clean_value(value, field, path, source)
            origins[key] = source
        return
    items = section[path[1]]
    if len(path) == 3:
        items[path[2]] = _clean_item(value, field, path, source)
        _drop_origins(origins, key)
        for sub in items[path[2]]:
            origins[f"{key}.{sub}"] = source
        return
    items[path[2]][path[3]] = clean_value(value, field, path, source)
    origins[key] = source


# --- defaults and cross-field rules ------------------------------------------------------------
def _fill_defaults(values: dict[str, Any], origins: dict[str, str]) -> None:
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


def _fmt(x: Any) -> str:
    return f"{x:g}" if isinstance(x, int | float) else str(x)


def _violations(bad: Any, shown: dict[str, Any]) -> str:
    """``"0.8 ..."`` for scalars; for arrays the count and the first failing draw."""
    bad = np.asarray(bad)
    if bad.ndim == 0:
        return ", ".join(f"{k} = {_fmt(v)}" for k, v in shown.items())
    first = int(np.argmax(bad))
    at = {k: (np.asarray(v)[first] if np.ndim(v) else v) for k, v in shown.items()}
    return (f"in {int(bad.sum())} of {bad.size} draws or grid points (first: index {first}, "
            + ", ".join(f"{k} = {float(v):g}" for k, v in at.items()) + ")")


def check_cross_fields(values: dict[str, Any], origins: dict[str, str]) -> None:
    """Rules that tie keys together; values may be scalars or arrays of draws / grid points.

    Rules whose inputs are still distributions are skipped (they are checked after sampling).
    """

    def where(key: str) -> str:
        return origins.get(key, DEFAULT)

    time = values["time"]
    if not time["end"] > time["start"]:
        raise scenario_error(where("time.end"), "time.end",
                             f"{time['end']} is not after time.start = {time['start']}; "
                             "allowed: time.end > time.start")

    demand = values["demand"]
    segments = demand["segments"]
    if demand["form"] == "segments":
        if not segments:
            raise scenario_error(where("demand.form"), "demand.form",
                                 "'segments' needs [[demand.segments]] tables, none given; "
                                 f"allowed: 1 to {schema.MAX_SEGMENTS} segments")
        names = [s["name"] for s in segments]
        for i, name in enumerate(names):
            if name in names[:i]:
                key = f"demand.segments[{i}].name"
                raise scenario_error(where(key), key, f"duplicate segment name {name!r}; "
                                     "allowed: unique names")
        shares = [s["share"] for s in segments]
        if not any(isinstance(s, Distribution) for s in shares):
            total = np.sum(np.broadcast_arrays(*[np.asarray(s, float) for s in shares]), axis=0)
            bad = np.abs(total - 1.0) > SHARE_TOLERANCE
            if np.any(bad):
                raise scenario_error(where("demand.segments"), "demand.segments",
                                     "shares do not sum to 1: "
                                     + _violations(bad, {"sum of shares": total})
                                     + f"; allowed: shares summing to 1 (within {SHARE_TOLERANCE:g})")
    elif segments:
        raise scenario_error(where("demand.segments"), "demand.segments",
                             f"given but demand.form is {demand['form']!r}; allowed: segments only "
                             "with demand.form = 'segments' (or clear them: "
                             "--set demand.segments=[])")

    if values["type"] == "fft":
        fft = values["fft"]
        beta, k_old, k_new = fft["beta"], fft["kappa_old"], fft["kappa_new"]
        if isinstance(beta, Distribution) and beta.dist in ("uniform", "triangular"):
            # A bounded distribution is checked on its whole support (unbounded ones per draw).
            top = beta.named["high"]
            if not top < min(k_old, k_new):
                raise scenario_error(where("fft.beta"), "fft.beta",
                                     f"{beta} reaches {top:g}, not below both cost exponents "
                                     f"(fft.kappa_old = {k_old:g}, fft.kappa_new = {k_new:g}); "
                                     "allowed: a distribution whose support lies below "
                                     "min(fft.kappa_old, fft.kappa_new)")
        elif not isinstance(beta, Distribution):
            bad = ~(np.asarray(beta) < np.minimum(k_old, k_new))
            if np.any(bad):
                raise scenario_error(where("fft.beta"), "fft.beta",
                                     "not below both cost exponents: "
                                     + _violations(bad, {"fft.beta": beta, "fft.kappa_old": k_old,
                                                         "fft.kappa_new": k_new})
                                     + "; allowed: fft.beta < min(fft.kappa_old, fft.kappa_new) "
                                     "(a value exponent at or above the cost exponent makes the "
                                     "chosen problem size unbounded)")
        n0, n_max = fft["n0_log2"], fft["n_max_log2"]
        bad = ~(np.asarray(n0) < np.asarray(n_max))
        if np.any(bad):
            raise scenario_error(where("fft.n0_log2"), "fft.n0_log2",
                                 "not below fft.n_max_log2: "
                                 + _violations(bad, {"fft.n0_log2": n0, "fft.n_max_log2": n_max})
                                 + "; allowed: fft.n0_log2 < fft.n_max_log2")


# --- the public entry point --------------------------------------------------------------------
def load_scenario(ref: str | os.PathLike, overrides: tuple[str, ...] | list[str] = ()) -> Scenario:
    """Find, parse, resolve, override, complete and validate a scenario.

    Parameters
    ----------
    ref : str or path
        A name in ``scenarios/`` or a path to a TOML file.
    overrides : sequence of str
        ``KEY=VALUE`` strings, applied in order after the files are merged.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        With a one-line message naming the file (or ``--set KEY``), the key and what is allowed.
    """
    path = find_scenario(ref)
    chain = _resolve_chain(path)
    values, origins = _merge(chain)
    own = chain[-1][1]
    label = file_label(path)
    identity = {"name": own.get("name", path.stem), "description": own.get("description", "")}
    origins["name"] = label if "name" in own else DEFAULT
    origins["description"] = label if "description" in own else DEFAULT
    for text in overrides:
        apply_override(values, origins, identity, text)
    _fill_defaults(values, origins)
    ordered = {**identity, "type": values["type"]}
    ordered.update({section: values[section] for section in schema.sections()})
    check_cross_fields(ordered, origins)
    return Scenario(
        name=identity["name"],
        description=identity["description"],
        path=path,
        chain=tuple(p for p, _ in reversed(chain)),
        values=ordered,
        origins=origins,
    )
