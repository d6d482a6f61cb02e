"""``jevons backtest``: the quarterly forecasts made as of each vintage, scored against outcomes."""

from __future__ import annotations

import json

from model.cli import arguments
from model.constants import SEED

ORDER = 45


def register(sub) -> None:
    p = sub.add_parser(
        "backtest",
        help="score the quarterly forecasts made as of each vintage against the outcomes",
        description="Forecast Nvidia's next data-center quarter, the hyperscalers' next quarter of "
        "capex and the year containing it as of each vintage date (default: 2025-02-10 and every "
        "quarter end to the last data date), each with only the facts dated on or before it, and "
        "score them where the facts tables hold the outcome: error, interval coverage, CRPS, and "
        "the naive baselines' errors.",
    )
    p.add_argument("--vintages", metavar="D1,D2,...",
                   help="comma-separated as-of dates YYYY-MM-DD in increasing order")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--draws", type=_draws, default=None, metavar="N",
                   help="posterior draws per vintage (default 1000, a quarter of the annual fit's)")
    p.add_argument("--seed", type=_seed, default=SEED, metavar="S", help="random seed")
    p.set_defaults(func=run)


_draws = arguments.integer_in(100, 10**5, "100..10^5")
_seed = arguments.seed


def run(args) -> int:
    from model.calibration.backtest import BACKTEST_DRAWS, backtest, parse_vintages

    vintages = None if args.vintages is None else parse_vintages(args.vintages)
    result = backtest(vintages, draws=args.draws or BACKTEST_DRAWS, seed=args.seed)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, allow_nan=False))
    else:
        print(result.summary().as_text())
    return 0
