"""``jevons event``: event study of one firm or a named basket around one date.

Examples::

    jevons event NVDA --date 2025-01-27
    jevons event NVDA --date 2025-01-27 --window=-1,5 --model two-factor --json
    jevons event --basket deepseek --date 2025-01-27
    jevons event --decompose --date 2025-01-27 --json
"""

from __future__ import annotations

import re
import sys

from model.constants import SEED
from model.errors import JevonsError

ORDER = 30

# Kept literal so that building the parser (which every `jevons` command does) does not import
# statsmodels and scipy; tests/test_event_cli.py checks it against model.event_study.MODELS.
MODEL_NAMES = ("market", "market-adjusted", "constant-mean", "two-factor")
# model.event_study.benchmark.DEFAULT_BENCHMARK, literal for the same reason (checked by a test)
DEFAULT_BENCHMARK = "SPY-EX-NVDA"

_WINDOW = re.compile(r"^\s*(-?\d+)\s*,\s*(-?\d+)\s*$")
# argparse takes "-1,5" for an option unless it looks like a negative number; let it.
_NEGATIVE_ARG = re.compile(r"^-\d+$|^-\d*\.\d+$|^-\d+\s*,\s*-?\d+$")


def parse_window(text: str) -> tuple[int, int]:
    """``"A,B"`` -> ``(A, B)`` with whole numbers ``A <= B``."""
    match = _WINDOW.match(text)
    if not match:
        raise JevonsError(
            f"--window {text!r}: expected two whole numbers A,B (trading days relative to the "
            "event, A <= B), e.g. --window 0,1 or --window=-1,5"
        )
    first, last = int(match.group(1)), int(match.group(2))
    if first > last:
        raise JevonsError(f"--window {text!r}: A must not be greater than B")
    return first, last


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "event",
        help="event study: abnormal returns, CAR and tests around a date",
        description=(
            "Event study of one firm (TICKER) or a named basket (--basket) around --date: "
            "normal-return model estimated by OLS on L trading days ending G days before the "
            "event window; abnormal returns, CAR with 95% intervals, t, sample-quantile (SQ) "
            "and permutation tests; for a basket also Patell, BMP, Kolari-Pynnonen, sign, "
            "generalized sign and Corrado rank tests. Prices come from the data layer "
            "(cache, then the JEVONS_DATA_MIRROR mirror, then the network)."
        ),
    )
    if hasattr(parser, "_negative_number_matcher"):
        parser._negative_number_matcher = _NEGATIVE_ARG
    parser.add_argument("ticker", nargs="?", metavar="TICKER", help="firm to study, e.g. NVDA")
    parser.add_argument("--basket", metavar="NAME", help="named peer group from data/baskets.toml")
    parser.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="event day (day 0)")
    parser.add_argument(
        "--benchmark", default=DEFAULT_BENCHMARK,
        help=f"market benchmark (default {DEFAULT_BENCHMARK}: SPY without Nvidia, its S&P 500 "
             "weight from the facts; also SPY, GSPC, QQQ, SPY-EX-AI, GSPC-EX-NVDA, ...)",
    )
    parser.add_argument(
        "--decompose", action="store_true",
        help="cross-sectional decomposition of the day's abnormal returns into channels "
             "(compute quantity, Nvidia rents, buyers' saving, AI discount rate) with a placebo",
    )
    parser.add_argument(
        "--placebo-days", type=int, default=250, metavar="N",
        help="non-event days of the decomposition's placebo (default 250)",
    )
    parser.add_argument(
        "--window", default="0,0", metavar="A,B",
        help="event window in trading days relative to the event (default 0,0)",
    )
    parser.add_argument(
        "--model", default="market", choices=MODEL_NAMES,
        help="normal-return model (default market)",
    )
    parser.add_argument(
        "--factor", default="SOXX", help="second factor of the two-factor model (default SOXX)"
    )
    parser.add_argument(
        "--estimation", type=int, default=250, metavar="L",
        help="returns in the estimation window (default 250)",
    )
    parser.add_argument(
        "--gap", type=int, default=10, metavar="G",
        help="trading days between estimation and event windows (default 10)",
    )
    parser.add_argument(
        "--permutations", type=int, default=19_999, metavar="N",
        help="random subsets for the permutation test when it cannot be exact (default 19999)",
    )
    parser.add_argument(
        "--seed", type=int, default=SEED,
        help=f"seed of those random subsets (default {SEED})",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(func=run)


def _run_decompose(args) -> str:
    if args.ticker or args.basket:
        raise JevonsError("event --decompose: takes no TICKER or --basket (it studies its own "
                          "cross-section of firms)")
    unused = [name for name, value, default in (
        ("--benchmark", args.benchmark, DEFAULT_BENCHMARK), ("--window", args.window, "0,0"),
        ("--model", args.model, "market"), ("--factor", args.factor, "SOXX")) if value != default]
    if unused:
        raise JevonsError(f"event --decompose: {unused[0]} is not used (the decomposition is of "
                          "day 0, against the market without the AI complex)")
    from model.event_study.decompose import DecompositionSpec, decompose_event

    spec = DecompositionSpec(args.date, estimation=args.estimation, gap=args.gap,
                             placebo_days=args.placebo_days)
    result = decompose_event(spec)
    return result.to_json() if args.json else result.summary().as_text()


def run(args) -> int:
    if args.decompose:
        text = _run_decompose(args)
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return 0
    if bool(args.ticker) == bool(args.basket):
        raise JevonsError("event: give either a TICKER or --basket NAME (exactly one)")
    window = parse_window(args.window)
    from model.event_study import EventStudySpec, get_basket, study_basket, study_ticker

    spec = EventStudySpec(
        event_date=args.date,
        window=window,
        model=args.model,
        benchmark=args.benchmark.upper(),
        factor=args.factor.upper(),
        estimation=args.estimation,
        gap=args.gap,
        n_permutations=args.permutations,
        seed=args.seed,
    )
    if args.basket:
        basket = get_basket(args.basket)
        result = study_basket(basket.tickers, spec, name=basket.name)
        text = result.to_json() if args.json else result.summary().as_text()
    else:
        result = study_ticker(args.ticker.upper(), spec)
        text = result.to_json() if args.json else result.summary().as_text()
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0
