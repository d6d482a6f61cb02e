"""``jevons calibrate``: the market-implied and capex-implied elasticities, their combination and
the as-of forecasts."""

from __future__ import annotations

import json

from model.cli import arguments
from model.constants import DEFAULT_AS_OF, SEED
from model.dates import parse_date
from model.errors import JevonsError

ORDER = 40


def register(sub) -> None:
    p = sub.add_parser(
        "calibrate",
        help="fit the elasticity to the 27 January 2025 reaction and the 2025 capex plans",
        description="Fit the model with what was known on --as-of: the elasticity the market priced "
        "on 27 January 2025 (NVDA and its peers), the one the hyperscalers' capex plans imply, their "
        "combination, and the forecasts of 2025 hyperscaler capex and Nvidia's fiscal-2026 "
        "data-center revenue. Nothing dated after --as-of is used.",
    )
    p.add_argument("--as-of", default=DEFAULT_AS_OF, metavar="YYYY-MM-DD",
                   help=f"information cutoff (default {DEFAULT_AS_OF})")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--draws", type=_positive_int, default=4000, metavar="N",
                   help="Monte Carlo draws per estimate (default 4000)")
    p.add_argument("--seed", type=_seed, default=None, metavar="S", help="random seed")
    p.add_argument("--out", metavar="FILE", help="also write the JSON document to FILE (atomically)")
    p.add_argument("--scenario-out", metavar="FILE",
                   help="also write the fitted posterior as a scenario TOML to FILE (atomically); "
                   "run it with `jevons run FILE`")
    p.set_defaults(func=run)


_positive_int = arguments.integer_in(100, 10**6, "100..10^6")
_seed = arguments.seed


def _check_out(path: str, option: str = "--out") -> None:
    """Refuse an --out (or --scenario-out) that could not be written to before the fit runs (it
    takes seconds)."""
    import os
    from pathlib import Path

    target = Path(path)
    parent = target.parent
    reason = None
    if target.is_dir():
        reason = "Is a directory"
    elif target.exists() and not target.is_file():
        reason = "not a regular file"
    elif not parent.is_dir():
        reason = "No such file or directory"
    elif not os.access(parent, os.W_OK | os.X_OK):
        reason = "Permission denied"
    if reason:
        raise JevonsError(f"{option} {path}: cannot write ({reason}); allowed: a writable "
                          "file path (written atomically)")


def _write(option: str, path: str, write) -> None:
    try:
        write()
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise JevonsError(f"{option} {path}: cannot write ({reason}); allowed: a writable "
                          "file path (written atomically)") from None


def run(args) -> int:
    from model import io
    from model.calibration.fit import fit

    as_of = parse_date(args.as_of, "--as-of")
    if args.out:
        _check_out(args.out)
    if args.scenario_out:
        _check_out(args.scenario_out, "--scenario-out")
    seed = SEED if args.seed is None else args.seed
    result = fit(as_of, draws=args.draws, seed=seed)
    doc = result.to_dict()
    if args.out:
        _write("--out", args.out, lambda: io.write_json(args.out, doc))
    if args.scenario_out:
        from model.calibration.fitted_scenario import scenario_text

        text = scenario_text(result, draws=args.draws, seed=seed)
        _write("--scenario-out", args.scenario_out, lambda: io.write_text(args.scenario_out, text))
    if args.json:
        print(json.dumps(doc, indent=2, allow_nan=False))
    else:
        print(result.summary().as_text())
    return 0
