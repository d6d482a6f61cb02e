"""``jevons event``: event study of one firm or a named basket around one date.

Examples::

    jevons event NVDA --date 2025-01-27
    jevons event NVDA --date 2025-01-27 --window=-1,5 --model two-factor --json
    jevons event --basket deepseek --date 2025-01-27
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING

from model.constants import SEED
from model.errors import JevonsError

if TYPE_CHECKING:
    from model.event_study.result import BasketResult, EventStudyResult

ORDER = 30

# Kept literal so that building the parser (which every `jevons` command does) does not import
# statsmodels and scipy; tests/test_event_cli.py checks it against model.event_study.MODELS.
MODEL_NAMES = ("market", "market-adjusted", "constant-mean", "two-factor")

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
    parser.add_argument("--benchmark", default="SPY", help="market benchmark (default SPY)")
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


def run(args) -> int:
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
        text = result.to_json() if args.json else format_basket(result)
    else:
        result = study_ticker(args.ticker.upper(), spec)
        text = result.to_json() if args.json else format_single(result)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def _pct(x: float | None, digits: int = 2) -> str:
    return "n/a" if x is None else f"{100 * x:.{digits}f}%"


def _p(p: float, resolution: int | None = None) -> str:
    if resolution and p == 0.0:
        return f"0 (< 1/{resolution})"
    return f"{p:.2g}" if p < 0.001 else f"{p:.4f}"


def _coef(est) -> str:
    parts = [
        f"{p.name} {p.estimate:.4g} [{p.ci[0]:.4g}, {p.ci[1]:.4g}]" for p in est.params
    ] or ["alpha = 0, beta = 1 (imposed)"]
    return "  ".join(parts)


def format_single(r: EventStudyResult) -> str:
    est = r.estimation
    level = f"{round(100 * r.confidence)}%"
    model = r.model + (f" ({r.benchmark} + {r.factor})" if r.factor else f" (benchmark {r.benchmark})")
    lines = [
        f"{r.ticker}  event {r.event_date}  window [{r.window[0]}, {r.window[1]}]  model: {model}",
        f"estimation {est.start} to {est.end} (L = {est.n}, gap {r.gap}, df {est.df}): "
        f"{_coef(est)}  sigma {_pct(est.sigma, 3)} [{_pct(est.sigma_ci[0], 3)}, "
        f"{_pct(est.sigma_ci[1], 3)}]"
        + (f"  R^2 {est.r_squared:.3f}" if est.r_squared is not None else ""),
        "",
        f"{'day':>4}  {'date':<10}  {'return':>8}  {'expected':>8}  {'AR':>8}  "
        f"{level + ' CI of AR':>20}  {'t':>6}  {'CAR':>8}",
    ]
    for d in r.abnormal_returns:
        ci = f"[{_pct(d.ci[0])}, {_pct(d.ci[1])}]"
        lines.append(
            f"{d.day:>4}  {d.date:<10}  {_pct(d.ret):>8}  {_pct(d.expected):>8}  {_pct(d.ar):>8}  "
            f"{ci:>20}  {d.t:>6.2f}  {_pct(d.car):>8}"
        )
    t, sq, perm = r.tests.t, r.tests.sq, r.tests.permutation
    perm_how = (
        f"exact, {perm.n_permutations} subsets"
        if perm.method == "exact"
        else f"{perm.n_permutations} random subsets, seed {perm.seed}"
    )
    lines += [
        "",
        f"CAR [{r.window[0]}, {r.window[1]}] = {_pct(r.car)}  {level} CI [{_pct(r.car_ci[0])}, "
        f"{_pct(r.car_ci[1])}]  (se {_pct(r.car_se)}; SQ interval [{_pct(sq.ci[0])}, "
        f"{_pct(sq.ci[1])}])",
        "tests of CAR = 0 (p two-sided; p_lower one-sided for a fall):",
        f"  t = {t.stat:.3f} on t({t.df}): p = {_p(t.p)}, p_lower = {_p(t.p_lower)}",
        f"  SQ ({sq.n_sums} estimation-window sums): p = {_p(sq.p, sq.n_sums)}, "
        f"p_lower = {_p(sq.p_lower, sq.n_sums)}",
        f"  permutation ({perm_how}): p = {_p(perm.p)}, p_lower = {_p(perm.p_lower)}",
    ]
    return "\n".join(lines) + "\n"


_BASKET_TEST_NAMES = {
    "cross_sectional_t": "cross-sectional t",
    "patell": "Patell Z",
    "bmp": "BMP t",
    "kolari_pynnonen_patell": "Kolari-Pynnonen Patell",
    "kolari_pynnonen_bmp": "Kolari-Pynnonen BMP",
    "sign": "sign",
    "generalized_sign": "generalized sign",
    "corrado_rank": "Corrado rank",
}


def format_basket(b: BasketResult) -> str:
    level = f"{round(100 * b.confidence)}%"
    reference = f"{b.benchmark} + {b.factor}" if b.factor else f"benchmark {b.benchmark}"
    first = b.firms[0]
    lines = [
        f"basket {b.name or ''} ({len(b.tickers)} firms)  event {b.event_date}  window "
        f"[{b.window[0]}, {b.window[1]}]  model: {b.model} ({reference})",
        f"estimation {first.estimation.start} to {first.estimation.end} "
        f"(L = {first.estimation.n}, gap {first.gap})",
        "",
        f"{'ticker':<7} {'beta':>6}  {'CAR':>8}  {level + ' CI':>20}  {'t':>6}  {'SQ p':>7}  "
        f"{'perm p':>7}",
    ]
    for f in b.firms:
        ci = f"[{_pct(f.car_ci[0])}, {_pct(f.car_ci[1])}]"
        beta = "" if f.estimation.beta is None else f"{f.estimation.beta:.2f}"
        lines.append(
            f"{f.ticker:<7} {beta:>6}  {_pct(f.car):>8}  {ci:>20}  {f.tests.t.stat:>6.2f}  "
            f"{f.tests.sq.p:>7.4f}  {f.tests.permutation.p:>7.4f}"
        )
    m = b.mean_car
    lines += [
        "",
        f"mean CAR {_pct(m.mean)}  {level} CI [{_pct(m.ci[0])}, {_pct(m.ci[1])}]  "
        f"(cross-sectional se {_pct(m.se)})",
        f"average residual correlation (i != j) {b.residual_correlation:.3f}; "
        f"share of positive residuals {b.positive_share:.3f}",
        "basket tests of CAR = 0 (p two-sided; p_lower one-sided for a fall):",
    ]
    for key, test in b.tests.items():
        lines.append(
            f"  {_BASKET_TEST_NAMES[key]:<24} {test.stat:>8.3f}  {test.distribution:<36} "
            f"p = {_p(test.p)}, p_lower = {_p(test.p_lower)}"
        )
    return "\n".join(lines) + "\n"
