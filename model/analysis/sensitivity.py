"""Global sensitivity of the model's outputs: Sobol indices, one-at-a-time tornado tables and
Monte Carlo fan charts.

For independent inputs X_1..X_D and an output Y = f(X), the first-order Sobol index of X_i is
the share of Var(Y) that X_i explains on its own, and the total index adds every interaction
X_i takes part in (Sobol 2001; Saltelli et al. 2010):

    S_i  = Var(E[Y | X_i]) / Var(Y),        ST_i = E[Var(Y | X_~i)] / Var(Y) = 1 - Var(E[Y | X_~i]) / Var(Y).

ST_i - S_i is the share of variance X_i explains only together with other inputs, and
ST_i = 0 means X_i can be fixed anywhere in its range without changing Y. The indices are
estimated with SALib: Saltelli's scheme on a scrambled Sobol' sequence (``N (D + 2)`` model
runs, ``N (2D + 2)`` with second-order indices) and SALib's bootstrap confidence intervals.

Inputs are sampled in probability space (the unit hypercube) and mapped through each
parameter's inverse CDF (:meth:`Parameter.ppf`). Sobol indices do not change under a
one-to-one transform of a single input, and this lets a parameter follow any distribution the
project uses: a scenario distribution truncated to its key's allowed range
(:func:`model.scenarios.distributions.transform`) or the empirical distribution of posterior draws.

The model is any function from a dict of input arrays (one entry per sample row) to a dict of
output arrays: every analysis evaluates it ONCE on all rows, so with the engine as the model
the whole Sobol design is a single vectorised :func:`model.engine.simulation.simulate` call.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd

from model.constants import SEED
from model.engine import schema
from model.engine.schema import FLOAT, Field
from model.engine.simulation import Result
from model.scenarios.distributions import Distribution, transform

Model = Callable[[Mapping[str, np.ndarray]], Mapping[str, np.ndarray]]

TORNADO_QUANTILES = (0.05, 0.95)  # a tornado moves each input between these quantiles
FAN_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
JOINT = "posterior"  # name of the input that picks one joint draw of (elasticity, demand growth)
_UNBOUNDED = Field("", FLOAT, None, "", "", "")


# --- parameters -----------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Parameter:
    """One uncertain input: its distribution and where that distribution comes from.

    Give either ``dist`` (a :class:`model.scenarios.distributions.Distribution`, truncated to the allowed range
    of the scenario key ``key`` when one is named) or ``draws`` (an empirical distribution,
    e.g. posterior draws of the elasticity: continuous by default, interpolating between order
    statistics; with ``discrete`` exactly the draws, each with probability 1/K).

    Attributes
    ----------
    name : str
        The key of this input in the dict the model receives.
    label : str
        Lowercase label for tables and charts.
    source : str
        Where the distribution comes from.
    """

    name: str
    label: str
    source: str
    dist: Distribution | None = None
    key: str | None = None
    draws: np.ndarray | None = None
    discrete: bool = False

    def __post_init__(self) -> None:
        if (self.dist is None) == (self.draws is None):
            raise ValueError(f"parameter {self.name!r}: give exactly one of dist and draws")
        if self.draws is not None:
            draws = np.sort(np.asarray(self.draws, dtype=float).ravel())
            if draws.size < 2 or not np.all(np.isfinite(draws)):
                raise ValueError(f"parameter {self.name!r}: draws must be >= 2 finite numbers")
            object.__setattr__(self, "draws", draws)
        if self.key is not None and self.key not in schema.BY_KEY:
            raise ValueError(f"parameter {self.name!r}: unknown scenario key {self.key!r}")

    def ppf(self, u) -> np.ndarray:
        """Inverse CDF: the values at probabilities ``u`` (an array in [0, 1])."""
        u = np.asarray(u, dtype=float)
        if self.draws is not None:
            k = self.draws.size
            if self.discrete:  # the inverse of the step CDF: draw j for u in [j/K, (j+1)/K)
                return self.draws[np.minimum((u * k).astype(np.intp), k - 1)]
            # Linear interpolation between order statistics: a continuous quantile function.
            return np.interp(u * (k - 1), np.arange(k), self.draws)
        field = _UNBOUNDED if self.key is None else schema.BY_KEY[self.key]
        return transform(self.dist, field, u)

    @property
    def central(self) -> float:
        """The median: the value a tornado holds this input at while others move."""
        return float(self.ppf(np.array([0.5]))[0])

    def describe(self) -> str:
        """The distribution in words, e.g. ``uniform(low=0.3, high=1)``."""
        if self.draws is not None and self.discrete and self.name == JOINT:
            return f"one of {self.draws.size} joint posterior draws, equally likely"
        if self.draws is not None:
            lo, hi = self.ppf(np.array([0.025, 0.975]))
            return (f"empirical ({self.draws.size} draws; median {self.central:.3g}, "
                    f"95% {lo:.3g} to {hi:.3g})")
        return str(self.dist)


def uniform(name: str, label: str, bounds: Sequence[float], source: str,
            key: str | None = None) -> Parameter:
    """A parameter uniform on ``bounds`` = (low, high)."""
    low, high = (float(b) for b in bounds)
    return Parameter(name, label, source, Distribution("uniform", (low, high)), key)


def lognormal(name: str, label: str, median: float, sigma: float, source: str,
              key: str | None = None) -> Parameter:
    """A parameter whose log is normal with median ``median`` and standard deviation ``sigma``."""
    return Parameter(name, label, source, Distribution("lognormal", (float(median), float(sigma))), key)


def parameter_table(parameters: Sequence[Parameter]) -> pd.DataFrame:
    """The inputs, their distributions, medians, 5-95% ranges and sources (one row each)."""
    rows = []
    for p in parameters:
        lo, hi = p.ppf(np.array(TORNADO_QUANTILES))
        rows.append({"parameter": p.label, "distribution": p.describe(), "median": p.central,
                     "5%": float(lo), "95%": float(hi), "source": p.source})
    return pd.DataFrame(rows)


# --- sampling and evaluation ----------------------------------------------------------------------
def problem(parameters: Sequence[Parameter]) -> dict:
    """SALib's problem definition: every input on [0, 1] (probability space, see module doc)."""
    names = [p.name for p in parameters]
    if len(set(names)) != len(names):
        raise ValueError(f"parameter names are not unique: {names}")
    return {"num_vars": len(parameters), "names": names, "bounds": [[0.0, 1.0]] * len(parameters)}


def to_values(parameters: Sequence[Parameter], unit: np.ndarray) -> dict[str, np.ndarray]:
    """Map rows of probabilities (n, D) to input values: one inverse CDF per column."""
    unit = np.asarray(unit, dtype=float)
    return {p.name: np.ascontiguousarray(p.ppf(unit[:, i])) for i, p in enumerate(parameters)}


def sobol_sample(parameters: Sequence[Parameter], n: int, seed: int = SEED,
                 second_order: bool = False) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Saltelli's design on a scrambled Sobol' sequence (SALib), in probabilities and in values.

    ``n`` should be a power of 2 (the Sobol' sequence is balanced only then). Returns the
    probabilities, shape (n (D + 2), D) or (n (2D + 2), D), and the input values.
    """
    from SALib.sample import sobol as sobol_sampler  # SALib is slow to import: only when used

    if n < 2 or n & (n - 1):
        raise ValueError(f"n = {n}: use a power of 2 (the Sobol' sequence's balance needs it)")
    unit = sobol_sampler.sample(problem(parameters), n, calc_second_order=second_order,
                                scramble=True, seed=seed)
    return unit, to_values(parameters, unit)


def evaluate(model: Model, values: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """One call of ``model`` on every row; checks each output has one finite value per row."""
    rows = len(next(iter(values.values())))
    out = {name: np.asarray(y, dtype=float) for name, y in model(values).items()}
    for name, y in out.items():
        if y.shape != (rows,):
            raise ValueError(f"model output {name!r} has shape {y.shape}, expected ({rows},)")
        if not np.all(np.isfinite(y)):
            raise ValueError(f"model output {name!r} is not finite on {int(np.sum(~np.isfinite(y)))} rows")
    return out


def sobol_indices(parameters: Sequence[Parameter], model: Model, n: int, seed: int = SEED,
                  second_order: bool = False, conf_level: float = 0.95,
                  num_resamples: int = 100) -> pd.DataFrame:
    """First-order and total Sobol indices of every model output, with SALib's intervals.

    Parameters
    ----------
    parameters : sequence of Parameter
        The independent inputs.
    model : callable
        Dict of input arrays -> dict of output arrays (see module doc); called once.
    n : int
        Base sample size (a power of 2); the model runs on ``n (D + 2)`` rows.
    seed : int
        Seeds both the scrambled sequence and the bootstrap: same seed, identical indices.
    second_order : bool
        Also estimate pairwise indices S2 (``n (2D + 2)`` rows); kept in ``frame.attrs["S2"]``.
    conf_level, num_resamples : float, int
        The bootstrap intervals: ``S1_conf`` and ``ST_conf`` are half-widths at ``conf_level``.

    Returns
    -------
    pandas.DataFrame
        One row per (output, parameter): ``output, parameter, label, S1, S1_conf, ST, ST_conf``;
        ``attrs`` records ``n``, ``rows`` (model evaluations) and ``seed``.
    """
    from SALib.analyze import sobol as sobol_analyzer

    unit, values = sobol_sample(parameters, n, seed, second_order)
    outputs = evaluate(model, values)
    spec = problem(parameters)
    frames, pairs = [], {}
    for name, y in outputs.items():
        si = sobol_analyzer.analyze(spec, y, calc_second_order=second_order, conf_level=conf_level,
                                    num_resamples=num_resamples, seed=seed)
        frames.append(pd.DataFrame({
            "output": name,
            "parameter": spec["names"],
            "label": [p.label for p in parameters],
            "S1": si["S1"], "S1_conf": si["S1_conf"], "ST": si["ST"], "ST_conf": si["ST_conf"],
        }))
        if second_order:
            pairs[name] = pd.DataFrame(si["S2"], index=spec["names"], columns=spec["names"])
    frame = pd.concat(frames, ignore_index=True)
    frame.attrs.update({"n": n, "rows": int(unit.shape[0]), "seed": seed})
    if second_order:
        frame.attrs["S2"] = pairs
    return frame


def sobol_convergence(parameters: Sequence[Parameter], model: Model, n: int, seed: int = SEED,
                      **kwargs) -> pd.DataFrame:
    """Indices at ``n`` and ``2n`` side by side (see :func:`convergence_table`)."""
    small = sobol_indices(parameters, model, n, seed, **kwargs)
    large = sobol_indices(parameters, model, 2 * n, seed, **kwargs)
    return convergence_table(small, large)


def convergence_table(small: pd.DataFrame, large: pd.DataFrame) -> pd.DataFrame:
    """Two :func:`sobol_indices` frames of the same problem at sizes n and 2n, side by side.

    Columns ``output, parameter, label, S1_n, S1_2n, S1_conf_2n, ST_n, ST_2n, ST_conf_2n,
    change`` (``change`` = max |index at 2n - index at n| over S1 and ST).
    """
    keys = ["output", "parameter", "label"]
    if not small[keys].equals(large[keys]) or large.attrs.get("n") != 2 * small.attrs.get("n", -1):
        raise ValueError("convergence_table needs the same problem at sizes n and 2n")
    out = small[keys].copy()
    for col in ("S1", "ST"):
        out[f"{col}_n"] = small[col].to_numpy()
        out[f"{col}_2n"] = large[col].to_numpy()
        out[f"{col}_conf_2n"] = large[f"{col}_conf"].to_numpy()
    out["change"] = np.maximum(np.abs(out["S1_2n"] - out["S1_n"]), np.abs(out["ST_2n"] - out["ST_n"]))
    out.attrs.update({"n": small.attrs["n"], "rows": small.attrs["rows"] + large.attrs["rows"],
                      "seed": small.attrs["seed"]})
    return out


def indices_of(frame: pd.DataFrame, output: str) -> pd.DataFrame:
    """The rows of a :func:`sobol_indices` frame for one output, indexed by parameter."""
    return frame[frame["output"] == output].set_index("parameter")


def timed(function: Callable, *args, **kwargs) -> tuple[object, float]:
    """``function(*args, **kwargs)`` and the wall-clock seconds it took."""
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def _logged(model: Model, values: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {name: np.log(y) for name, y in model(values).items()}


def log_outputs(model: Model) -> Model:
    """The same model returning the natural logs of its (positive) outputs.

    Spend and FLOP demand are products of powers of the inputs, so their distributions are
    heavily right-skewed: a few draws with a large shock and a high elasticity carry most of
    the variance, and the variance-based estimators then converge slowly (SALib's intervals
    span most of [0, 1] at n = 4096). Their logs are sums: the indices of log spend apportion
    the variance of percentage deviations, and are stable at a few thousand base samples.
    """
    return partial(_logged, model)


# --- one at a time ----------------------------------------------------------------------------------
def tornado(parameters: Sequence[Parameter], model: Model, output: str,
            quantiles: tuple[float, float] = TORNADO_QUANTILES) -> pd.DataFrame:
    """One-at-a-time swings: ``output`` with each input at its low and high value, the others at
    their medians (one model call on 1 + 2D rows).

    Returns
    -------
    pandas.DataFrame
        One row per input, largest swing first: ``parameter, label, low, high`` (the input's
        values at ``quantiles``), ``output_low, output_high`` (the output there), ``swing``
        (|output_high - output_low|); ``attrs["central"]`` is the output with every input at
        its median.
    """
    d = len(parameters)
    unit = np.full((1 + 2 * d, d), 0.5)
    for i in range(d):  # rows 1 + 2i and 2 + 2i move input i only
        unit[1 + 2 * i, i], unit[2 + 2 * i, i] = quantiles
    values = to_values(parameters, unit)
    y = evaluate(model, values)[output]
    frame = pd.DataFrame({
        "parameter": [p.name for p in parameters],
        "label": [p.label for p in parameters],
        "low": [values[p.name][1 + 2 * i] for i, p in enumerate(parameters)],
        "high": [values[p.name][2 + 2 * i] for i, p in enumerate(parameters)],
        "output_low": y[1::2],
        "output_high": y[2::2],
    })
    frame["swing"] = np.abs(frame["output_high"] - frame["output_low"])
    frame = frame.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
    frame.attrs.update({"central": float(y[0]), "output": output, "quantiles": quantiles})
    return frame


# --- fan charts --------------------------------------------------------------------------------------
def fan_quantiles(result: Result, variables: Sequence[str] = ("flop_demand", "compute_spend"),
                  quantiles: Sequence[float] = FAN_QUANTILES) -> pd.DataFrame:
    """Quantiles across draws, per variable and year (one vectorised quantile per variable).

    Returns a frame indexed by (variable, year) with one column per quantile, named ``"5%"``,
    ``"25%"``, ...
    """
    q = np.asarray(quantiles, dtype=float)
    names = [f"{x:.0%}" for x in q]
    frames = []
    for name in variables:
        values = np.quantile(result.variables[name], q, axis=0)  # (len(q), T)
        index = pd.MultiIndex.from_product([[name], result.years.astype(int)], names=["variable", "year"])
        frames.append(pd.DataFrame(values.T, index=index, columns=names))
    return pd.concat(frames)
