"""Scenario files and runs: from a TOML file (and overrides) to the engine's result.

The pipeline, one module a step:

* :mod:`~model.scenarios.keys`: key paths (``efficiency.shocks[0].factor``) and one-line messages;
* :mod:`~model.scenarios.files`: finding scenario files and reading their TOML;
* :mod:`~model.scenarios.distributions`: distributions a numeric key may be, and seeded draws;
* :mod:`~model.scenarios.validation`: one file against the schema (:mod:`model.engine.schema`);
* :mod:`~model.scenarios.merge`: ``extends`` chains, merging, defaults;
* :mod:`~model.scenarios.overrides`: ``--set KEY=VALUE`` and ``--grid KEY=START:STOP:STEP``;
* :mod:`~model.scenarios.rules`: cross-field rules;
* :mod:`~model.scenarios.scenario` and :mod:`~model.scenarios.loader`: the resolved
  :class:`Scenario` and :func:`load_scenario`;
* :mod:`~model.scenarios.runs`: Monte Carlo runs and sweeps (:func:`run_scenario`,
  :func:`run_sweep`).
"""

from __future__ import annotations

from model.scenarios.loader import available_scenarios, load_scenario
from model.scenarios.overrides import Grid, parse_grid
from model.scenarios.runs import Run, Sweep, run_scenario, run_sweep
from model.scenarios.scenario import Scenario

__all__ = ["Grid", "Run", "Scenario", "Sweep", "available_scenarios", "load_scenario",
           "parse_grid", "run_scenario", "run_sweep"]
