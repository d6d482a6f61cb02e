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
5. Cross-field rules are checked (:func:`model.scenarios.rules.check_cross_fields`): again after sampling or gridding,
   when values are arrays.

Every resolved key remembers where it came from (a file, ``--set KEY`` or ``default``), for
``jevons show`` and for errors found after merging.

The steps live in :mod:`~model.scenarios.files` (finding and reading), :mod:`~model.scenarios.validation`
(one file against the schema), :mod:`~model.scenarios.merge` (extends, merge, defaults),
:mod:`~model.scenarios.overrides` (``--set``) and :mod:`~model.scenarios.rules` (cross-field rules).
"""

from __future__ import annotations

import os

from model.engine import schema
from model.scenarios.files import available_scenarios, file_label, find_scenario
from model.scenarios.merge import DEFAULT, fill_defaults, merge, resolve_chain
from model.scenarios.overrides import apply_override
from model.scenarios.rules import check_cross_fields, check_name
from model.scenarios.scenario import Scenario

__all__ = ["Scenario", "available_scenarios", "load_scenario"]


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
    chain = resolve_chain(path)
    values, origins = merge(chain)
    own = chain[-1][1]
    label = file_label(path)
    identity = {"name": own.get("name", path.stem), "description": own.get("description", "")}
    origins["name"] = label if "name" in own else DEFAULT
    origins["description"] = label if "description" in own else DEFAULT
    for text in overrides:
        apply_override(values, origins, identity, text)
    check_name(identity["name"], origins["name"])
    fill_defaults(values, origins)
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
