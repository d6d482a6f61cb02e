"""The model itself: parameters, the price of useful work, demand, and the yearly simulation.

* :mod:`~model.engine.schema`: every scenario key with its unit, range, default and source
  (the parameter table the scenarios are validated against);
* :mod:`~model.engine.params`: the frozen dataclasses the engine reads (:class:`Params`);
* :mod:`~model.engine.hardware`: the Moore's-law price of a FLOP;
* :mod:`~model.engine.efficiency`: the algorithmic trend and dated shocks with their diffusion;
* :mod:`~model.engine.demand`: the registry of demand curves and forms;
* :mod:`~model.engine.growth`: demand growth at a constant price, held or fading to a long-run rate;
* :mod:`~model.engine.problem_size`: the FFT analogy's choice of problem size;
* :mod:`~model.engine.simulation`: :func:`simulate`, vectorised over draws;
* :mod:`~model.engine.valuation`: Nvidia's value from the simulated revenue;
* :mod:`~model.engine.closed_forms`: the closed forms the fits, chapters and tests use.
"""

from __future__ import annotations

from model.engine.params import Params
from model.engine.simulation import Result, simulate

__all__ = ["Params", "Result", "simulate"]
