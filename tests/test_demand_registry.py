"""The demand-form registry: one list of forms for the schema and the engine, no silent fallback."""

from __future__ import annotations

import numpy as np
import pytest

from model.engine import demand, schema
from model.engine.params import params_from_values
from model.errors import ScenarioError
from model.scenarios.loader import load_scenario

P = np.geomspace(1e-4, 1e2, 61)


def test_schema_choices_come_from_the_registry():
    assert schema.BY_KEY["demand.form"].choices == demand.FORMS
    assert schema.BY_KEY["demand.segments[].form"].choices == tuple(demand.CURVES)
    assert set(demand.FORMS) == set(demand.CURVES) | set(demand.STRUCTURES)


def _shape(name, eps):
    """Parameters that make every curve non-trivial; budget-share: a base share of 2%."""
    return demand.Shape(elasticity=eps, saturation_price=0.05, substitution=eps + 0.2,
                        final_elasticity=0.6, log_odds=np.log(0.02 / 0.98))


@pytest.mark.parametrize("name", list(demand.CURVES))
def test_every_curve_agrees_in_levels_and_logs(name):
    c = demand.curve(name)
    shape = _shape(name, 1.3)
    q, spend, _ = c.logs(np.log(P), shape)
    np.testing.assert_allclose(q, c.relative(P, shape), rtol=1e-12)
    np.testing.assert_allclose(spend, P * c.relative(P, shape), rtol=1e-12)
    assert c.relative(1.0, shape) == pytest.approx(1.0, rel=1e-14)  # base-year quantity


@pytest.mark.parametrize("name", list(demand.CURVES))
def test_point_elasticity_is_the_log_slope(name):
    c = demand.curve(name)
    shape, h = _shape(name, 0.8), 1e-5
    slope = -(np.log(c.relative(P * np.exp(h), shape))
              - np.log(c.relative(P * np.exp(-h), shape))) / (2 * h)
    np.testing.assert_allclose(c.point_elasticity(P, shape), slope, rtol=1e-6, atol=1e-9)


def test_isoelastic_spend_is_p_to_one_minus_eps():
    _, spend = demand.quantity_and_spend(np.log(P), "isoelastic", 1.5, 0.01)
    np.testing.assert_allclose(spend, P ** -0.5, rtol=1e-12)


def test_unknown_forms_fail_instead_of_falling_back():
    with pytest.raises(ValueError, match="unknown demand form 'linear'; allowed: budget-share"):
        demand.curve_of_form("linear")
    with pytest.raises(ValueError, match="unknown demand curve 'linear'"):
        demand.quantity_and_spend(np.zeros(3), "linear", 1.0, 0.01)
    with pytest.raises(ValueError, match="'partial-adjustment' was removed: .*demand.persistence"):
        demand.curve_of_form("partial-adjustment")
    assert demand.curve_of_form("saturating") == "saturating"


def test_params_reject_an_unregistered_form():
    values = load_scenario("baseline").values
    values = {**values, "demand": {**values["demand"], "form": "linear"}}
    with pytest.raises(ValueError, match="unknown demand form"):
        params_from_values(values)


def test_the_loader_rejects_an_unregistered_form_in_one_line():
    with pytest.raises(ScenarioError) as err:
        load_scenario("baseline", overrides=["demand.form=linear"])
    message = str(err.value)
    assert "demand.form" in message and "'budget-share'" in message and "\n" not in message


def test_the_loader_says_what_to_write_instead_of_partial_adjustment():
    with pytest.raises(ScenarioError) as err:
        load_scenario("baseline", overrides=["demand.form=partial-adjustment"])
    message = str(err.value)
    assert "was removed" in message and "demand.persistence" in message and "\n" not in message
