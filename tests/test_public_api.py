"""The public API of ``model``: every exported name, loaded lazily, is its home module's object."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import model


@pytest.mark.parametrize("name", model.__all__)
def test_every_export_is_its_home_object(name):
    home = importlib.import_module(model._EXPORTS[name])
    assert getattr(model, name) is getattr(home, name)
    assert name in dir(model)


def test_the_issue_names_are_exported():
    wanted = {"load_scenario", "run_scenario", "run_sweep", "simulate", "Params", "fit",
              "study_ticker", "study_basket"}
    assert wanted <= set(model.__all__)
    import model.event_study as package  # the event-study entry points, also on the package

    assert package.study_ticker is model.study_ticker and callable(package.event_study)


def test_unknown_names_are_attribute_errors():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        model.nope  # noqa: B018


def test_importing_the_package_or_the_cli_loads_no_fit():
    code = ("import sys, model, model.cli; "
            "print(any(m.startswith(('model.calibration', 'pandas', 'statsmodels')) for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_one_import_line_runs_a_scenario():
    run = model.run_scenario(model.load_scenario("deepseek", overrides=["demand.substitution=0.8"]))
    spend = run.result.variables["compute_spend"]
    assert spend.shape == (1, run.result.years.size) and (spend > 0).all()
    sweep = model.run_sweep(model.load_scenario("deepseek"),
                            [model.parse_grid("demand.substitution=0.5:1.5:0.5",
                                              model.load_scenario("deepseek"))])
    assert sweep.result.n_draws == 3
