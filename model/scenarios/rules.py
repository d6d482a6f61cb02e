"""Cross-field rules: checks that tie keys together (time order, segment shares, the FFT
exponents), on scalars or on arrays of draws and grid points.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from model.engine import schema
from model.scenarios.distributions import Distribution
from model.scenarios.files import printable
from model.scenarios.keys import scenario_error
from model.scenarios.merge import DEFAULT

SHARE_TOLERANCE = 1e-9


def _fmt(x: Any) -> str:
    return f"{x:g}" if isinstance(x, int | float) else str(x)


def _violations(bad: Any, shown: dict[str, Any]) -> str:
    """``"0.8 ..."`` for scalars; for arrays the count and the first failing draw."""
    bad = np.asarray(bad)
    if bad.ndim == 0:
        return ", ".join(f"{k} = {_fmt(v)}" for k, v in shown.items())
    first = int(np.argmax(bad))
    at = {k: (np.asarray(v)[first] if np.ndim(v) else v) for k, v in shown.items()}
    return (f"in {int(bad.sum())} of {bad.size} draws or grid points (first: index {first}, "
            + ", ".join(f"{k} = {float(v):g}" for k, v in at.items()) + ")")


def check_name(name: str, origin: str) -> None:
    """A scenario's ``name`` names its output folder: it must be a plain file name (not empty,
    no path separator, not ``.`` or ``..``, no control character, at most 100 characters)."""
    problem = None
    if not name.strip():
        problem = "is empty"
    elif "/" in name or "\\" in name:
        problem = f"'{printable(name)}' contains a path separator"
    elif name in (".", ".."):
        problem = f"{name!r} is not a file name"
    elif not name.isprintable():
        problem = f"'{printable(name)}' contains a control character"
    elif len(name) > 100:
        problem = f"has {len(name)} characters"
    if problem:
        raise scenario_error(origin, "name", f"{problem}; allowed: a plain file name of at most "
                             "100 characters (it names the output folder)")


def check_cross_fields(values: dict[str, Any], origins: dict[str, str]) -> None:
    """Rules that tie keys together; values may be scalars or arrays of draws / grid points.

    Rules whose inputs are still distributions are skipped (they are checked after sampling).
    """

    def where(key: str) -> str:
        return origins.get(key, DEFAULT)

    time = values["time"]
    if not time["end"] > time["start"]:
        raise scenario_error(where("time.end"), "time.end",
                             f"{time['end']} is not after time.start = {time['start']}; "
                             "allowed: time.end > time.start")

    demand = values["demand"]
    segments = demand["segments"]
    if demand["form"] == "segments":
        if not segments:
            raise scenario_error(where("demand.form"), "demand.form",
                                 "'segments' needs [[demand.segments]] tables, none given; "
                                 f"allowed: 1 to {schema.MAX_SEGMENTS} segments")
        names = [s["name"] for s in segments]
        for i, name in enumerate(names):
            if name in names[:i]:
                key = f"demand.segments[{i}].name"
                raise scenario_error(where(key), key, f"duplicate segment name {name!r}; "
                                     "allowed: unique names")
        shares = [s["share"] for s in segments]
        if not any(isinstance(s, Distribution) for s in shares):
            total = np.sum(np.broadcast_arrays(*[np.asarray(s, float) for s in shares]), axis=0)
            bad = np.abs(total - 1.0) > SHARE_TOLERANCE
            if np.any(bad):
                raise scenario_error(where("demand.segments"), "demand.segments",
                                     "shares do not sum to 1: "
                                     + _violations(bad, {"sum of shares": total})
                                     + f"; allowed: shares summing to 1 (within {SHARE_TOLERANCE:g})")
    elif segments:
        raise scenario_error(where("demand.segments"), "demand.segments",
                             f"given but demand.form is {demand['form']!r}; allowed: segments only "
                             "with demand.form = 'segments' (or clear them: "
                             "--set demand.segments=[])")

    # A value given on the command line is never silently unused: the keys of one demand curve
    # set (--set, --grid) while the scenario runs another are refused, naming the key to use.
    unused = {"budget-share": {"demand.elasticity": "demand.substitution (sigma, the elasticity "
                                                    "while compute's share is small)",
                               "demand.saturation_price": "--set demand.form=saturating first"},
              "isoelastic": {"demand.substitution": "demand.elasticity",
                             "demand.final_elasticity": "--set demand.form=budget-share first",
                             "demand.saturation_price": "--set demand.form=saturating first"},
              "saturating": {"demand.substitution": "demand.elasticity",
                             "demand.final_elasticity": "--set demand.form=budget-share first"}}
    for key, instead in unused.get(demand["form"], {}).items():
        origin = where(key)
        if origin.startswith(("--set", "--grid")):
            raise scenario_error(origin, key, f"is not used by demand.form = '{demand['form']}'; "
                                 f"allowed: {instead}")

    shocks = values["efficiency"].get("shocks", [])
    segment_names = [s["name"] for s in segments] if demand["form"] == "segments" else ["all"]
    for i, shock in enumerate(shocks):
        for name in shock.get("segments", ()):
            if name not in segment_names:
                key = f"efficiency.shocks[{i}].segments"
                raise scenario_error(where(key), key, f"shock {i} ({shock.get('label') or 'no label'}) "
                                     f"names the unknown segment {name!r}; allowed: "
                                     + ", ".join(repr(n) for n in segment_names)
                                     + (" (the segments of demand.segments)" if demand["form"] == "segments"
                                        else " (without demand.form = 'segments' the one segment is 'all')"))

    forms = [s.get("form", "budget-share") for s in segments] if demand["form"] == "segments" else [demand["form"]]
    if "budget-share" in forms:
        budget, base = values["budget"]["usd_bn"], values["base"]["spend_usd_bn"]
        if not isinstance(budget, Distribution) and not isinstance(base, Distribution):
            bad = ~(np.asarray(budget, float) > np.asarray(base, float))
            if np.any(bad):
                raise scenario_error(where("budget.usd_bn"), "budget.usd_bn",
                                     "not above base.spend_usd_bn: "
                                     + _violations(bad, {"budget.usd_bn": budget, "base.spend_usd_bn": base})
                                     + "; allowed: a budget above base-year compute spend "
                                     "(compute is a share of it)")

    if values["type"] == "fft":
        fft = values["fft"]
        beta, k_old, k_new = fft["beta"], fft["kappa_old"], fft["kappa_new"]
        if isinstance(beta, Distribution) and beta.dist in ("uniform", "triangular"):
            # A bounded distribution is checked on its whole support (unbounded ones per draw).
            top = beta.named["high"]
            if not top < min(k_old, k_new):
                raise scenario_error(where("fft.beta"), "fft.beta",
                                     f"{beta} reaches {top:g}, not below both cost exponents "
                                     f"(fft.kappa_old = {k_old:g}, fft.kappa_new = {k_new:g}); "
                                     "allowed: a distribution whose support lies below "
                                     "min(fft.kappa_old, fft.kappa_new)")
        elif not isinstance(beta, Distribution):
            bad = ~(np.asarray(beta) < np.minimum(k_old, k_new))
            if np.any(bad):
                raise scenario_error(where("fft.beta"), "fft.beta",
                                     "not below both cost exponents: "
                                     + _violations(bad, {"fft.beta": beta, "fft.kappa_old": k_old,
                                                         "fft.kappa_new": k_new})
                                     + "; allowed: fft.beta < min(fft.kappa_old, fft.kappa_new) "
                                     "(a value exponent at or above the cost exponent makes the "
                                     "chosen problem size unbounded)")
        n0, n_max = fft["n0_log2"], fft["n_max_log2"]
        bad = ~(np.asarray(n0) < np.asarray(n_max))
        if np.any(bad):
            raise scenario_error(where("fft.n0_log2"), "fft.n0_log2",
                                 "not below fft.n_max_log2: "
                                 + _violations(bad, {"fft.n0_log2": n0, "fft.n_max_log2": n_max})
                                 + "; allowed: fft.n0_log2 < fft.n_max_log2")
