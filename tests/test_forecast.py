"""Growth ratios behind the as-of forecasts."""

from __future__ import annotations

import numpy as np
import pytest

from model.calibration.forecast import Forecast, model_growth


def test_unit_elasticity_grows_spend_by_demand_growth_only():
    g = np.array([0.0, 0.3, 0.6])
    out = model_growth(1.0, g, 2.3, 0.67, 17.0, 0.8, 1.0)
    np.testing.assert_allclose(out["spend_2025"], 1 + g, rtol=1e-12)
    # fiscal 2026 = 11/12 of calendar 2025 + 1/12 of calendar 2026 (no share drift)
    np.testing.assert_allclose(out["nvidia_fy2026"], (11 * (1 + g) + (1 + g) ** 2) / 12, rtol=1e-12)


def test_inelastic_demand_grows_less_than_elastic():
    out = model_growth(np.array([0.5, 1.5]), 0.2, 2.3, 0.67, 17.0, 1.0, 0.0)
    assert out["spend_2025"][0] < 1.2 < out["spend_2025"][1]


def test_forecast_summary():
    f = Forecast("x", "USD bn", np.arange(1.0, 101.0), 50.0, "guidance", "2025-02-10", 40.0, "2024")
    assert f.median == pytest.approx(50.5)
    lo, hi = f.interval
    assert lo == pytest.approx(np.quantile(np.arange(1.0, 101.0), 0.025))
    assert f.to_dict()["baseline"] == 50.0
    text = str(f.summary())
    assert "forecast, 95% interval" in text and "50.0" in text
