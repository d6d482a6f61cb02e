"""Probability distributions for scenario parameters, and seeded, vectorised draws.

A scenario key marked ``random`` in :mod:`model.engine.schema` may be given as an inline table instead
of a number, for example ``elasticity = { dist = "lognormal", median = 1.1, sigma = 0.3 }``.
:func:`parse_distribution` validates such a table against the key's allowed range;
:func:`sample_values` replaces every distribution in a resolved scenario by ``n`` draws.

Reproducibility: each key draws from its own random stream, seeded by the run's seed and a
checksum of the key's path (``np.random.default_rng([seed, crc32(path)])``). Adding, removing
or reordering other random keys therefore does not move a key's draws, and the same seed gives
bit-identical draws on every machine (numpy's PCG64 and scipy's special functions are
deterministic).

Every draw is an inverse-CDF transform of one uniform stream per key. Normal and lognormal
draws are truncated to the key's allowed range by restricting the uniforms to the CDF interval
of that range (no rejection loop, so the cost does not depend on how much mass is cut off).
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from model.engine import schema
from model.engine.schema import DISTRIBUTIONS, Field
from model.scenarios.keys import (
    KeyPath,
    describe,
    did_you_mean,
    display_key,
    scenario_error,
    schema_key,
)


# --- distributions -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Distribution:
    """A validated distribution for one scenario key.

    Parameters
    ----------
    dist : str
        One of :data:`model.engine.schema.DISTRIBUTIONS`.
    params : tuple of float
        The parameters in the order of ``DISTRIBUTIONS[dist]``.
    """

    dist: str
    params: tuple[float, ...]

    @property
    def named(self) -> dict[str, float]:
        return dict(zip(DISTRIBUTIONS[self.dist], self.params, strict=True))

    def __str__(self) -> str:
        inner = ", ".join(f"{k}={v:g}" for k, v in self.named.items())
        return f"{self.dist}({inner})"


def _bounds(field: Field) -> tuple[float, float]:
    lo = -math.inf if field.low is None else float(field.low)
    hi = math.inf if field.high is None else float(field.high)
    return lo, hi


MAX_SPREAD = 100.0  # a normal's sd, at most this many times the key's range
MAX_LOG_SIGMA = 5.0  # a lognormal's sigma: e^(5 x 8) at eight sigmas is still finite


def _fmt(x: float) -> str:
    return f"{x:g}"


def parse_distribution(spec: Mapping[str, Any], field: Field, source: str, key: str) -> Distribution:
    """Validate an inline table such as ``{ dist = "normal", mean = 2.46, sd = 0.12 }``.

    Parameters
    ----------
    spec : mapping
        The table as read from TOML.
    field : Field
        The schema row of the key it is given for.
    source, key : str
        Where it was given (file or ``--set KEY``) and the key's display path, for errors.

    Raises
    ------
    ScenarioError
        Unknown distribution, missing or extra parameters, a key that may not be random,
        non-finite parameters, or parameters outside the key's allowed range.
    """
    names = ", ".join(repr(d) for d in DISTRIBUTIONS)
    if not field.random:
        raise scenario_error(source, key, f"may not be a distribution (got {describe(dict(spec))}); "
                             f"allowed: {field.allowed()}")
    if "dist" not in spec:
        raise scenario_error(source, key, "a distribution needs a 'dist' entry; allowed: "
                             f"{{ dist = one of {names}, ... }}")
    dist = spec["dist"]
    if not isinstance(dist, str) or dist not in DISTRIBUTIONS:
        hint = did_you_mean(dist, tuple(DISTRIBUTIONS)) if isinstance(dist, str) else ""
        shown = repr(dist) if isinstance(dist, str) else describe(dist)
        raise scenario_error(source, key, f"unknown distribution {shown}{hint}; "
                             f"allowed: dist = one of {names}")
    wanted = DISTRIBUTIONS[dist]
    form = "{ dist = " + repr(dist) + "".join(f", {p} = ..." for p in wanted) + " }"
    for name in spec:
        if name != "dist" and name not in wanted:
            raise scenario_error(source, key, f"unknown parameter {name!r} for {dist}"
                                 f"{did_you_mean(name, wanted)}; allowed: {form}")
    missing = [p for p in wanted if p not in spec]
    if missing:
        raise scenario_error(source, key, f"{dist} is missing {', '.join(missing)}; allowed: {form}")
    values: dict[str, float] = {}
    for p in wanted:
        v = spec[p]
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise scenario_error(source, key, f"{dist} {p} is {describe(v)}; allowed: a finite number")
        values[p] = float(v)

    allowed = field.allowed()

    def need(ok: bool, problem: str, rule: str) -> None:
        if not ok:
            raise scenario_error(source, key, f"{dist}: {problem}; allowed: {rule}")

    def inside(p: str) -> None:
        need(field.in_range(values[p]), f"{p} = {values[p]:g} is outside the key's range",
             f"{p} {allowed}")

    if dist == "normal":
        need(values["sd"] > 0, f"sd = {values['sd']:g}", "sd > 0")
        lo, hi = _bounds(field)
        if math.isfinite(hi - lo):  # wider, the truncated normal is a uniform and floating point breaks
            need(values["sd"] <= MAX_SPREAD * (hi - lo),
                 f"sd = {values['sd']:g} is wider than {MAX_SPREAD:g} x the key's range ({_fmt(lo)} to {_fmt(hi)})",
                 f"sd <= {MAX_SPREAD * (hi - lo):g} (for a flat belief over the range use dist = 'uniform')")
        else:
            need(values["sd"] <= MAX_SPREAD * max(1.0, abs(values["mean"])),
                 f"sd = {values['sd']:g} is wider than {MAX_SPREAD:g} x max(1, |mean|)",
                 f"sd <= {MAX_SPREAD * max(1.0, abs(values['mean'])):g}")
        inside("mean")
    elif dist == "lognormal":
        lo, _ = _bounds(field)
        need(lo >= 0, "the key may take values <= 0",
             "lognormal only for keys whose range is positive (use normal, uniform or triangular)")
        need(0 < values["sigma"] <= MAX_LOG_SIGMA, f"sigma = {values['sigma']:g}",
             f"0 < sigma <= {MAX_LOG_SIGMA:g} (a wider lognormal spans more than floating point holds)")
        need(values["median"] > 0, f"median = {values['median']:g}", "median > 0")
        inside("median")
    elif dist == "uniform":
        need(values["low"] < values["high"],
             f"low = {values['low']:g} is not below high = {values['high']:g}", "low < high")
        inside("low")
        inside("high")
    elif dist == "triangular":
        need(values["low"] < values["high"],
             f"low = {values['low']:g} is not below high = {values['high']:g}", "low < high")
        need(values["low"] <= values["mode"] <= values["high"],
             f"mode = {values['mode']:g} is outside [low, high]", "low <= mode <= high")
        inside("low")
        inside("high")
    return Distribution(dist, tuple(values[p] for p in wanted))


# --- draws -------------------------------------------------------------------------------------
def stream(seed: int, key: str) -> np.random.Generator:
    """The random stream of one key: independent of every other key's."""
    return np.random.default_rng([int(seed), zlib.crc32(key.encode("utf-8"))])


def _truncated_standard_normal(u: np.ndarray, alpha: float, beta: float) -> np.ndarray:
    """Inverse-CDF draws of a standard normal truncated to [alpha, beta] from uniforms ``u``.

    In the upper tail the problem is mirrored so that the CDF values stay small, where double
    precision resolves them (ndtr(8) rounds to 1, ndtr(-8) does not).
    """
    from scipy import special  # imported here: loading a scenario does not need scipy

    if alpha > 0:
        return -_truncated_standard_normal(u, -beta, -alpha)
    fa, fb = special.ndtr(alpha), special.ndtr(beta)
    p = fa + u * (fb - fa)
    p = np.clip(p, np.finfo(float).tiny, np.nextafter(1.0, 0.0))
    return special.ndtri(p)


def transform(dist: Distribution, field: Field, u: np.ndarray) -> np.ndarray:
    """Map uniforms on [0, 1) to draws of ``dist`` restricted to the field's allowed range."""
    lo, hi = _bounds(field)
    p = dist.named
    if dist.dist == "uniform":
        x = p["low"] + (p["high"] - p["low"]) * u
    elif dist.dist == "triangular":
        a, c, b = p["low"], p["mode"], p["high"]
        fc = (c - a) / (b - a)
        left = a + np.sqrt(u * (b - a) * (c - a))
        right = b - np.sqrt((1.0 - u) * (b - a) * (b - c))
        # Each branch ends at the mode; rounding can carry it past (right = b - sqrt(...) rounds
        # to 0 at u = fc for low = 1e-250, mode = 4e-224, high = 1), so clamp at c: monotone.
        x = np.where(u < fc, np.minimum(left, c), np.maximum(right, c))
    elif dist.dist == "normal":
        mu, sd = p["mean"], p["sd"]
        x = mu + sd * _truncated_standard_normal(u, (lo - mu) / sd, (hi - mu) / sd)
    elif dist.dist == "lognormal":
        mu, s = math.log(p["median"]), p["sigma"]
        log_lo = math.log(lo) if lo > 0 else -math.inf
        log_hi = math.log(hi) if math.isfinite(hi) else math.inf
        x = np.exp(mu + s * _truncated_standard_normal(u, (log_lo - mu) / s, (log_hi - mu) / s))
    else:  # pragma: no cover - parse_distribution admits only the four above
        raise ValueError(dist.dist)
    # Rounding can put a draw a hair outside the range; open bounds exclude the bound itself.
    if field.low_open:
        lo = np.nextafter(lo, math.inf)
    if field.high_open:
        hi = np.nextafter(hi, -math.inf)
    return np.clip(x, lo, hi).astype(np.float64, copy=False)


def draw(dist: Distribution, field: Field, n: int, seed: int, key: str) -> np.ndarray:
    """``n`` draws of one key from its own stream (see the module docstring)."""
    return transform(dist, field, stream(seed, key).random(int(n)))


def _walk(node: Any, path: KeyPath):
    """Yield (path, leaf) for every leaf of a nested dict/list."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _walk(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, (*path, i))
    else:
        yield path, node


def find_distributions(values: Mapping[str, Any]) -> dict[str, Distribution]:
    """Display key -> distribution, for every distribution in a resolved scenario."""
    return {display_key(p): leaf for p, leaf in _walk(dict(values), ())
            if isinstance(leaf, Distribution)}


def sample_values(values: Mapping[str, Any], n: int, seed: int) -> dict[str, Any]:
    """A copy of ``values`` with every :class:`Distribution` replaced by ``n`` draws.

    Keys that are plain numbers stay scalars (the engine broadcasts them).
    """

    def copy(node: Any, path: KeyPath) -> Any:
        if isinstance(node, dict):
            return {k: copy(v, (*path, k)) for k, v in node.items()}
        if isinstance(node, list):
            return [copy(v, (*path, i)) for i, v in enumerate(node)]
        if isinstance(node, Distribution):
            return draw(node, schema.BY_KEY[schema_key(path)], n, seed, display_key(path))
        return node

    return copy(dict(values), ())
