"""Figures of the market evidence: the event study of 27 January 2025 and what the market priced."""

from __future__ import annotations
