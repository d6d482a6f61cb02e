"""Figures of the fit: capex plans, the combination of the evidence and the forecasts."""

from __future__ import annotations
