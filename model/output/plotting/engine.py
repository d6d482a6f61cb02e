"""Figures of the model chapters: demand curves, hardware price curves, the ECP and FFT
analogies, and the shipped scenarios."""

from __future__ import annotations
