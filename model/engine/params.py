"""Frozen parameter dataclasses: what the engine reads.

Every numeric field is either a float or a 1-D float64 array of the draws (Monte Carlo) or grid
points (sweeps); the engine broadcasts them against the year axis. Defaults, units and sources of
every field are in :mod:`model.engine.schema`; :func:`params_from_values` turns a validated scenario
(a nested dict shaped like the TOML file, see :mod:`model.scenarios.loader`) into a :class:`Params`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np

from model.engine import demand, schema

Num = float | np.ndarray

SECONDS_PER_HOUR = 3600.0


def _default(key: str) -> Any:
    """The schema's default for ``key``: defaults are defined (and sourced) once, in the schema."""
    return schema.BY_KEY[key].default


@dataclass(frozen=True)
class Shock:
    """A dated algorithmic-efficiency shock."""

    year: Num
    factor: Num
    coverage: Num = _default("efficiency.shocks[].coverage")
    diffusion_years: Num = _default("efficiency.shocks[].diffusion_years")
    shape: str = _default("efficiency.shocks[].shape")  # "logistic" or "ramp", see model.engine.efficiency
    label: str = ""
    segments: tuple[str, ...] = ()  # names of the demand segments it applies to; () = all
    replaces_trend: bool = False  # the trend of useful work per FLOP pauses while the shock ramps up


@dataclass(frozen=True)
class Segment:
    """A part of demand (e.g. training, inference) with its own demand curve and trend."""

    name: str
    share: Num  # share of base-year spend
    elasticity: Num
    efficiency_doubling_years: Num
    growth: Num
    form: str = "isoelastic"  # a curve of model.engine.demand.CURVES (scenarios default to budget-share)
    saturation_price: Num = _default("demand.saturation_price")
    substitution: Num = _default("demand.substitution")  # sigma, 'budget-share' only
    final_elasticity: Num = _default("demand.final_elasticity")  # eta, 'budget-share' only
    # growth fades towards this rate (None = growth stays g), see model.engine.growth
    long_run_growth: Num | None = _default("demand.long_run_growth")
    growth_half_life: Num = _default("demand.growth_half_life")  # years; used with long_run_growth
    growth_fade_start: Num | None = _default("demand.growth_fade_start")  # year; None = start


@dataclass(frozen=True)
class FFT:
    """The FFT analogy: a change of the cost exponent, users choose problem size."""

    year: Num = _default("fft.year")
    diffusion_years: Num = _default("fft.diffusion_years")
    coverage: Num = _default("fft.coverage")
    kappa_old: Num = _default("fft.kappa_old")
    kappa_new: Num = _default("fft.kappa_new")
    log_power_new: Num = _default("fft.log_power_new")
    beta: Num = _default("fft.beta")
    n0_log2: Num = _default("fft.n0_log2")
    n_max_log2: Num = _default("fft.n_max_log2")


@dataclass(frozen=True)
class Budget:
    """The budget that 'budget-share' demand spends a share of (see :mod:`model.engine.demand`)."""

    usd_bn: Num = _default("budget.usd_bn")  # in the base year
    growth: Num = _default("budget.growth")  # per year, in current dollars with its price index unchanged


@dataclass(frozen=True)
class Supply:
    """Supply of FLOP: perfectly elastic at the trend cost, or upward-sloping around the FLOP the
    no-news path would buy, c = c_bar (F / F_bar)^(1 / elasticity) (see :mod:`model.engine.simulation`)."""

    form: str = _default("supply.form")  # "elastic" or "upward-sloping"
    elasticity: Num = _default("supply.elasticity")
    expansion: Num = _default("supply.expansion")

    @property
    def sloped(self) -> bool:
        return self.form == "upward-sloping"


@dataclass(frozen=True)
class ValueCapture:
    """Nvidia's part of compute spend: a CES share of accelerator spend, and its margin."""

    accelerator_fraction: Num = _default("value_capture.accelerator_fraction")
    nvidia_share: Num = _default("value_capture.nvidia_share")
    substitution: Num = _default("value_capture.substitution")
    substitute_gain: Num = _default("value_capture.substitute_gain")
    nvidia_margin: Num = _default("value_capture.nvidia_margin")
    margin_drift: Num = _default("value_capture.margin_drift")
    nvidia_share_drift: Num = _default("value_capture.nvidia_share_drift")


@dataclass(frozen=True)
class Params:
    """Everything the engine needs for one scenario (scalars or arrays of draws)."""

    name: str = "scenario"
    type: str = "standard"  # "standard", "ecp" or "fft"
    start: int = _default("time.start")
    end: int = _default("time.end")
    base_spend_usd_bn: Num = _default("base.spend_usd_bn")
    hardware_doubling_years: Num = _default("hardware.doubling_years")
    usd_per_flop: Num = _default("hardware.gpu_hour_usd") / (
        SECONDS_PER_HOUR * _default("hardware.peak_flops") * _default("hardware.utilisation")
    )
    shocks: tuple[Shock, ...] = ()
    segments: tuple[Segment, ...] = field(
        default_factory=lambda: (
            Segment("all", 1.0, _default("demand.elasticity"), _default("efficiency.doubling_years"),
                    _default("demand.growth")),
        )
    )
    persistence: Num = 0.0  # weight on last year's deviation from the no-news path (0 = none)
    budget: Budget = field(default_factory=Budget)
    supply: Supply = field(default_factory=Supply)
    value_capture: ValueCapture = field(default_factory=ValueCapture)
    fft: FFT | None = None

    @property
    def years(self) -> np.ndarray:
        return np.arange(self.start, self.end + 1, dtype=float)

    @property
    def n_draws(self) -> int:
        """Length of the draw axis: the common length of all array-valued fields (1 if none)."""
        return _common_length(self)


def _common_length(obj: Any) -> int:
    lengths: set[int] = set()

    def visit(x: Any) -> None:
        if isinstance(x, np.ndarray):
            lengths.add(x.shape[0] if x.ndim else 1)
        elif isinstance(x, tuple):
            for item in x:
                visit(item)
        elif hasattr(x, "__dataclass_fields__"):
            for f in fields(x):
                visit(getattr(x, f.name))

    visit(obj)
    lengths.discard(1)
    if len(lengths) > 1:
        raise ValueError(f"parameter arrays have different lengths: {sorted(lengths)}")
    return lengths.pop() if lengths else 1


def take_draws(obj: Any, lo: int, hi: int) -> Any:
    """The same parameters restricted to draws lo..hi-1 (scalars and length-1 arrays unchanged)."""
    if isinstance(obj, np.ndarray):
        return obj[lo:hi] if obj.ndim and obj.shape[0] > 1 else obj
    if isinstance(obj, tuple):
        return tuple(take_draws(item, lo, hi) for item in obj)
    if hasattr(obj, "__dataclass_fields__"):
        return replace(obj, **{f.name: take_draws(getattr(obj, f.name), lo, hi) for f in fields(obj)})
    return obj


def usd_per_flop(gpu_hour_usd: Num, peak_flops: Num, utilisation: Num) -> Num:
    """Base-year cost of one useful FLOP: rental price / (peak FLOP/s x 3600 s x utilisation)."""
    return gpu_hour_usd / (SECONDS_PER_HOUR * peak_flops * utilisation)


def _num(x: Any) -> Num:
    if isinstance(x, np.ndarray):
        return x.astype(float, copy=False)
    return float(x)


def _num_or_none(x: Any) -> Num | None:
    return None if x is None else _num(x)


def params_from_values(values: Mapping[str, Any]) -> Params:
    """Build :class:`Params` from a validated scenario dict (see :mod:`model.scenarios.loader`)."""
    kind = values.get("type", "standard")
    eff = values["efficiency"]
    dem = values["demand"]
    shocks = tuple(
        Shock(
            year=_num(s["year"]),
            factor=_num(s["factor"]),
            coverage=_num(s.get("coverage", 1.0)),
            diffusion_years=_num(s.get("diffusion_years", 0.0)),
            shape=s.get("shape", "logistic"),
            label=s.get("label", ""),
            segments=tuple(s.get("segments", ())),
        )
        for s in eff.get("shocks", ())
    )
    if kind == "ecp":
        ecp = values["ecp"]
        # The ECP gain accrues log-linearly over the programme: a ramp whose half-way point is
        # half the programme length (see model.engine.efficiency.diffusion_weight). In the
        # default mode 'replace' the gain *is* the algorithmic progress of those years, so the
        # trend pauses during the programme; 'add' stacks it on the trend (the old behaviour).
        shocks = shocks + (
            Shock(
                year=_num(ecp["start"]),
                factor=_num(ecp["gain"]),
                coverage=_num(ecp["coverage"]),
                diffusion_years=_num(ecp["years"]) / 2.0,
                shape="ramp",
                label="ECP",
                replaces_trend=ecp.get("mode", "replace") == "replace",
            ),
        )
    form = dem["form"]

    def segment(s: Mapping[str, Any], name: str, share: Any, curve: str) -> Segment:
        return Segment(
            name=name,
            share=_num(share),
            elasticity=_num(_or(s.get("elasticity"), dem["elasticity"])),
            efficiency_doubling_years=_num(_or(s.get("efficiency_doubling_years"), eff["doubling_years"])),
            growth=_num(_or(s.get("growth"), dem["growth"])),
            form=curve,
            saturation_price=_num(_or(s.get("saturation_price"), dem["saturation_price"])),
            substitution=_num(_or(s.get("substitution"), dem["substitution"])),
            final_elasticity=_num(_or(s.get("final_elasticity"), dem["final_elasticity"])),
            long_run_growth=_num_or_none(_or(s.get("long_run_growth"), dem.get("long_run_growth"))),
            growth_half_life=_num(_or(_or(s.get("growth_half_life"), dem.get("growth_half_life")),
                                      _default("demand.growth_half_life"))),
            growth_fade_start=_num_or_none(_or(s.get("growth_fade_start"),
                                               dem.get("growth_fade_start"))),
        )

    if form == "segments":
        segments = tuple(segment(s, s["name"], s["share"], s.get("form", "budget-share"))
                         for s in dem["segments"])
    else:
        segments = (segment({}, "all", 1.0, demand.curve_of_form(form)),)
    hw = values["hardware"]
    sup = values["supply"]
    vc = values["value_capture"]
    fft = None
    if kind == "fft":
        fft = FFT(**{k: _num(v) for k, v in values["fft"].items()})
    return Params(
        name=values.get("name") or "scenario",
        type=kind,
        start=int(values["time"]["start"]),
        end=int(values["time"]["end"]),
        base_spend_usd_bn=_num(values["base"]["spend_usd_bn"]),
        hardware_doubling_years=_num(hw["doubling_years"]),
        usd_per_flop=usd_per_flop(
            _num(hw["gpu_hour_usd"]), _num(hw["peak_flops"]), _num(hw["utilisation"])
        ),
        shocks=shocks,
        segments=segments,
        persistence=_num(dem["persistence"]),
        budget=Budget(usd_bn=_num(values["budget"]["usd_bn"]), growth=_num(values["budget"]["growth"])),
        supply=Supply(
            form=sup["form"],
            elasticity=_num(sup["elasticity"]),
            expansion=_num(sup["expansion"]),
        ),
        value_capture=ValueCapture(**{k: _num(vc[k]) for k in (
            "accelerator_fraction", "nvidia_share", "substitution", "substitute_gain",
            "nvidia_margin", "margin_drift", "nvidia_share_drift")}),
        fft=fft,
    )


def _or(value: Any, fallback: Any) -> Any:
    return fallback if value is None else value
