"""As-of forecasts from the fitted model: the four hyperscalers' 2025 capex and Nvidia's fiscal
2026 data-center revenue, each with an interval and the naive baseline it must beat.

The model grows a base-year level by its own growth path: for every posterior draw of the
elasticity and demand growth (and of the trends and the DeepSeek news), the engine gives
X(2025)/X(2024) for compute spend and the same ratio for Nvidia's data-center revenue (which also
carries the custom-silicon drift of Nvidia's share). Fiscal years that straddle calendar years are
time-weighted: Nvidia's fiscal 2026 runs from February 2025 to January 2026, so it is 11/12 of
calendar 2025 and 1/12 of calendar 2026 on the model's annual path.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.constants import EVENT_YEAR
from model.engine.params import Params, Segment, Shock, ValueCapture
from model.engine.simulation import simulate
from model.summary import Summary, interval_label, interval_text

INTERVAL = (0.025, 0.975)


class DrawSummary:
    """The median and central 95% interval of a forecast's ``draws`` (shared by the annual
    forecasts here and the quarterly ones of :mod:`model.calibration.quarterly`)."""

    draws: np.ndarray

    @property
    def median(self) -> float:
        return float(np.median(self.draws))

    @property
    def interval(self) -> tuple[float, float]:
        lo, hi = np.quantile(self.draws, INTERVAL)
        return float(lo), float(hi)


@dataclass(frozen=True)
class Forecast(DrawSummary):
    """A forecast with its central 95% interval and the naive baseline it must beat."""

    name: str
    unit: str
    draws: np.ndarray
    baseline: float
    baseline_label: str
    baseline_as_of: str
    base_level: float
    base_label: str

    def summary(self) -> Summary:
        """The forecast beside its naive baseline."""
        return Summary.of(f"Forecast: {self.name}", [
            ("median", f"{self.median:,.1f} {self.unit}"),
            (interval_label("forecast"), interval_text(self.interval)),
            ("baseline", f"{self.baseline:,.1f} ({self.baseline_label}, {self.baseline_as_of})"),
            ("grown from", f"{self.base_level:,.1f} ({self.base_label})"),
        ])

    def to_dict(self) -> dict:
        """The forecast as JSON-ready values (``jevons calibrate --json``)."""
        return {
            "median": self.median,
            "interval": list(self.interval),
            "unit": self.unit,
            "baseline": self.baseline,
            "baseline_label": self.baseline_label,
            "baseline_as_of": self.baseline_as_of,
            "base_level": self.base_level,
            "base_label": self.base_label,
        }


def model_growth(elasticity, demand_growth, hardware_doubling_years, efficiency_doubling_years,
                 factor, coverage, diffusion_years, nvidia_share_drift=0.0) -> dict[str, np.ndarray]:
    """Growth ratios on the model's path (all arguments are arrays of draws or scalars).

    Returns ``spend_2025`` = X(2025)/X(2024) and ``nvidia_fy2026`` = Nvidia's fiscal-2026
    data-center revenue over its calendar-2024 level.
    """
    params = Params(
        name="forecast",
        start=2024,
        end=2026,
        hardware_doubling_years=hardware_doubling_years,
        segments=(Segment("all", 1.0, elasticity, efficiency_doubling_years, demand_growth),),
        shocks=(Shock(EVENT_YEAR, factor, coverage, diffusion_years,
                      label="DeepSeek"),),
        value_capture=ValueCapture(nvidia_share_drift=nvidia_share_drift),
    )
    out = simulate(params).variables
    spend, nvidia = out["compute_spend"], out["nvidia_dc_revenue"]
    fiscal_2026 = (11.0 * nvidia[:, 1] + nvidia[:, 2]) / 12.0
    return {"spend_2025": spend[:, 1] / spend[:, 0], "nvidia_fy2026": fiscal_2026 / nvidia[:, 0]}
