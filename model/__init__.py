"""A Jevons-style model of AI compute demand, fitted to the Nvidia drop of 27 January 2025.

The public API, so that a notebook needs one import line::

    import model
    run = model.run_scenario(model.load_scenario("deepseek", overrides=["demand.substitution=0.8"]))
    run.result.variables["compute_spend"]          # draws x years, USD bn
    calibration = model.fit(as_of="2025-02-10")    # uses nothing dated after 10 February 2025
    print(calibration.summary())
    nvda = model.study_ticker("NVDA", model.EventStudySpec(model.EVENT_DATE))

Scenarios: :func:`load_scenario`, :func:`run_scenario`, :func:`parse_grid`, :func:`run_sweep`,
:func:`available_scenarios`. Engine: :class:`Params`, :func:`simulate`. Fit:
:func:`fit`. Event studies: :class:`EventStudySpec`, :func:`study_ticker` (one firm),
:func:`study_basket` (a peer group), :func:`get_basket`; ``model.event_study`` is the
event-study package itself (``model.event_study.event_study`` runs a study on returns you
already have). Constants: :data:`EVENT_DATE`, :data:`DEFAULT_AS_OF`, :data:`SEED`.

The layers, bottom up (each imports only from the layers below it)::

    constants, dates, errors, paths, io, summary     the foundation
    data/                                            datasets, prices, curated facts
    engine/                                          parameters, demand forms, the simulation
    scenarios/                                       scenario files, overrides, runs, sweeps
    event_study/, calibration/                       the evidence and the fit
    analysis/, output/                               sensitivity; results files, tables, plots
    cli/                                             the jevons command

Names are loaded on first use (PEP 562), so ``jevons --help`` does not import the fit.
"""

from __future__ import annotations

import importlib
from typing import Any

# public name -> module that defines it
_EXPORTS = {
    "EVENT_DATE": "model.constants",
    "DEFAULT_AS_OF": "model.constants",
    "SEED": "model.constants",
    "JevonsError": "model.errors",
    "Params": "model.engine.params",
    "simulate": "model.engine.simulation",
    "Scenario": "model.scenarios.scenario",
    "load_scenario": "model.scenarios.loader",
    "available_scenarios": "model.scenarios.loader",
    "parse_grid": "model.scenarios.overrides",
    "run_scenario": "model.scenarios.runs",
    "run_sweep": "model.scenarios.runs",
    "fit": "model.calibration.fit",
    "EventStudySpec": "model.event_study.study",
    "study_ticker": "model.event_study.study",
    "study_basket": "model.event_study.study",
    "get_basket": "model.event_study.baskets",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'model' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
