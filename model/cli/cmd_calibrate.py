"""``jevons calibrate``: the market-implied and capex-implied elasticities, their combination and
the as-of forecasts."""

from __future__ import annotations

import json

from model.constants import DEFAULT_AS_OF, SEED
from model.dates import parse_date

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
    p.set_defaults(func=run)


def _positive_int(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer; allowed: 100..10^6") from None
    if not 100 <= value <= 10**6:
        raise argparse.ArgumentTypeError(f"{value} out of range; allowed: 100..10^6")
    return value


def _seed(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer; allowed: 0..2^63-1") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"{value} out of range; allowed: 0..2^63-1")
    return value


def run(args) -> int:
    from model import io
    from model.calibration.fit import fit

    as_of = parse_date(args.as_of, "--as-of")
    result = fit(as_of, draws=args.draws, seed=SEED if args.seed is None else args.seed)
    doc = result.to_dict()
    if args.out:
        io.write_json(args.out, doc)
    if args.json:
        print(json.dumps(doc, indent=2, allow_nan=False))
    else:
        print(format_text(doc))
    return 0


def _interval(d: dict, fmt: str = "{:.2f}") -> str:
    lo, hi = d["interval"]
    return f"{fmt.format(d.get('elasticity', d.get('median')))}  [{fmt.format(lo)}, {fmt.format(hi)}]"


def format_text(doc: dict) -> str:
    m, c, k = doc["market_implied"], doc["capex_implied"], doc["combined"]
    lines = [
        f"fit as of {doc['as_of']} (95% intervals)",
        "",
        "elasticity of demand for compute",
        f"  {'market-implied, ' + m['ticker'] + ' (AR ' + format(m['abnormal_return'], '+.1%') + ')':<48}"
        f"{_interval(m)}",
        f"  {'market-implied, peers (NVDA-equivalent ' + format(m['peers']['nvidia_equivalent_move'], '+.1%') + ')':<48}"
        f"{_interval(m['peers'])}",
        f"  {'capex-implied':<48}{_interval(c)}",
    ]
    if doc.get("external_prior"):
        lines.append(f"  {'prior from earlier evidence':<48}{_interval(doc['external_prior'])}")
    lines += [
        f"  {'combined':<48}{_interval(k)}",
        f"  {k['verdict']}",
        "",
        "forecasts (USD bn)                        median  [95% interval]   baseline",
    ]
    for name, f in doc["forecasts"].items():
        lo, hi = f["interval"]
        lines.append(f"  {name:<38}{f['median']:8.1f}  [{lo:.1f}, {hi:.1f}]   "
                     f"{f['baseline']:.1f} ({f['baseline_label']}, {f['baseline_as_of']})")
    hw = doc["hardware_doubling_years"]
    lines += ["", f"hardware price-performance doubling time: {hw['estimate']:.2f} years "
              f"[{hw['interval'][0]:.2f}, {hw['interval'][1]:.2f}], {hw['chips']} chips"]
    return "\n".join(lines)
