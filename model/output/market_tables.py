"""Display tables and prose values of the market chapters (the event study of 27 January 2025
and what the market priced).

Every function here only assembles or formats results computed elsewhere
(:mod:`model.event_study`, :mod:`model.calibration.market`, :mod:`model.calibration.peers`):
tables come back as pandas DataFrames with the column names the book shows, values for the
prose as dicts ready for :func:`model.output.book.glue_values`. Percentages are returns times
100.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from model.calibration.estimate import ElasticityEstimate
from model.calibration.market import ELASTICITY_RANGE, MarketPrior
from model.calibration.peers import PeerEvidence, peer_weights
from model.data import load_prices
from model.data.facts import fact
from model.data.manifest import manifest
from model.engine.valuation import Valuation
from model.event_study.result import BasketResult, EventStudyResult
from model.event_study.single import MAX_EXACT_SUBSETS
from model.event_study.study import EventStudySpec
from model.event_study.windows import MIN_WINDOW_SUMS
from model.output import sources

BASKET_TEST_LABELS = {
    "cross_sectional_t": "cross-sectional t",
    "patell": "Patell Z",
    "bmp": "BMP t",
    "kolari_pynnonen_patell": "Kolari-Pynnönen Patell Z",
    "kolari_pynnonen_bmp": "Kolari-Pynnönen BMP t",
    "sign": "sign (z, positive CARs)",
    "generalized_sign": "generalized sign (z)",
    "corrado_rank": "Corrado rank (z)",
}

# The facts behind the market-implied elasticity's prior and valuation link, with their use.
MARKET_FACT_USES = {
    "llama31_405b_gpu_hours": "news size S: training GPU-hours of Llama 3.1 405B",
    "deepseek_v3_gpu_hours": "news size S: training GPU-hours of DeepSeek-V3",
    "llama31_405b_to_deepseek_v3_gpu_hours_ratio": "news size S: lower anchor (training saving)",
    "openai_o1_price_input": "news size S: o1 input price",
    "deepseek_r1_price_input_cache_miss": "news size S: R1 input price",
    "o1_to_r1_price_ratio_input": "news size S: upper anchor (API price cut)",
    "algo_progress_halving_months": "algorithmic doubling time, median",
    "algo_progress_halving_months_low": "algorithmic doubling time, 95% low",
    "algo_progress_halving_months_high": "algorithmic doubling time, 95% high",
    "nvda_dc_revenue_fy2025_q3": "share of value from data center (numerator)",
    "nvda_revenue_fy2025_q3": "share of value from data center (denominator)",
    "capex_consensus_2025_alphabet_visible_alpha": "expected spend growth: Alphabet 2025 consensus",
    "capex_2024_alphabet": "expected spend growth: Alphabet 2024 capex",
    "capex_consensus_2025_meta_before_guidance": "expected spend growth: Meta 2025 consensus",
    "capex_2024_meta": "expected spend growth: Meta 2024 capex",
    "capex_2025_big4_yahoo": "expected spend growth: Big-4 2025 plans",
    "capex_2024_big4_yahoo": "expected spend growth: Big-4 2024 capex",
}


# --- formatters ------------------------------------------------------------------------------

def p_text(p: float, n: int | None = None) -> str:
    """A p-value as text: ``1.2e-05`` below 0.001, else three decimals; a sample-quantile p of
    0 from ``n`` sums is ``below 1/n`` (the test cannot resolve less)."""
    if p == 0 and n:
        return f"below 1/{n}"
    return f"{p:.1e}" if p < 1e-3 else f"{p:.3f}"


def interval_text(interval: Sequence[float], scale: float = 1.0, fmt: str = "{:.1f}") -> str:
    """``low to high`` of an interval times ``scale``."""
    return f"{fmt.format(scale * interval[0])} to {fmt.format(scale * interval[1])}"


def interval_values(key: str, value: float, interval: Sequence[float],
                    scale: float = 1.0) -> dict[str, float]:
    """``{key: value, key_lo: low, key_hi: high}``, all times ``scale`` (100 for percent)."""
    return {key: scale * value, f"{key}_lo": scale * interval[0], f"{key}_hi": scale * interval[1]}


def car_test_values(key: str, result: EventStudyResult) -> dict[str, object]:
    """A CAR in percent with its interval ends (``key``, ``key_lo``, ``key_hi``) and the
    p-values of its three tests as text (``key_t_p``, ``key_sq_p``, ``key_perm_p``)."""
    tests = result.tests
    return {**interval_values(key, result.car, result.car_interval, 100.0),
            f"{key}_t_p": p_text(tests.t.p), f"{key}_sq_p": p_text(tests.sq.p, tests.sq.n_sums),
            f"{key}_perm_p": p_text(tests.permutation.p)}


# --- the event-study chapter ---------------------------------------------------------------

def car_windows_table(results: Mapping[str, EventStudyResult]) -> pd.DataFrame:
    """One row per labelled event window: dates, CAR, its standard error and interval (percent),
    and the t, SQ and permutation tests (p as text)."""
    rows = []
    for label, r in results.items():
        sq, perm = r.tests.sq, r.tests.permutation
        rows.append({
            "window": label,
            "dates": f"{r.abnormal_returns[0].date} to {r.abnormal_returns[-1].date}",
            "CAR (%)": 100 * r.car, "se (%)": 100 * r.car_se,
            "95% CI (%)": interval_text(r.car_interval, 100.0),
            "t": r.tests.t.stat, "t p": p_text(r.tests.t.p),
            "SQ p (lower)": p_text(sq.p_lower, sq.n_sums), "SQ p": p_text(sq.p, sq.n_sums),
            "SQ sums": sq.n_sums, "perm. p": p_text(perm.p),
        })
    return pd.DataFrame(rows).set_index("window")


def normal_models_table(results: Mapping[str, EventStudyResult]) -> pd.DataFrame:
    """One row per normal-return model: expected and abnormal return on the first event day
    (percent), interval, tests and the fitted betas (NaN where the model has none)."""
    rows = []
    for model, r in results.items():
        est = r.estimation
        rows.append({
            "model": model,
            "expected return (%)": 100 * r.abnormal_returns[0].expected,
            "AR (%)": 100 * r.car,
            "95% CI (%)": interval_text(r.car_interval, 100.0),
            "t": r.tests.t.stat,
            "SQ p": p_text(r.tests.sq.p, r.tests.sq.n_sums),
            "perm. p": p_text(r.tests.permutation.p),
            "beta": est.beta if not est.imposed else np.nan,
            "factor beta": est.beta_factor if est.beta_factor is not None else np.nan,
            "residual sd (%)": 100 * est.sigma,
        })
    return pd.DataFrame(rows).set_index("model")


def cross_section_table(cross: pd.DataFrame) -> pd.DataFrame:
    """The first-day cross-section (:func:`model.event_study.variants.first_day_cross_section`)
    as the book shows it, indexed by category and ticker, returns in percent."""
    return pd.DataFrame({
        "category": cross["category"], "ticker": cross["ticker"],
        "return (%)": 100 * cross["return"], "beta": cross["beta"],
        "expected (%)": 100 * cross["expected"], "AR (%)": 100 * cross["ar"], "t": cross["t"],
        "SQ p": [p_text(p, n) for p, n in zip(cross["sq_p"], cross["sq_sums"], strict=True)],
        "perm. p": [p_text(p) for p in cross["perm_p"]],
        "95% CI (%)": [interval_text(ci, 100.0) for ci in zip(cross["ci_low"], cross["ci_high"],
                                                                strict=True)],
    }).set_index(["category", "ticker"])


def basket_tests_table(results: Mapping[str, BasketResult]) -> pd.DataFrame:
    """Every basket statistic and its two-sided p (as text), the mean CAR (percent) with its
    interval, and the average residual correlation; two columns (``stat``, ``p``) per labelled
    basket result."""
    columns = {}
    for label, b in results.items():
        stat = {BASKET_TEST_LABELS[k]: t.stat for k, t in b.tests.items()}
        p = {BASKET_TEST_LABELS[k]: p_text(t.p) for k, t in b.tests.items()}
        stat["mean CAR (%)"] = 100 * b.mean_car.mean
        p["mean CAR (%)"] = f"{interval_text(b.mean_car.interval, 100.0)} (95% CI)"
        stat["residual correlation r"] = b.residual_correlation
        p["residual correlation r"] = ""
        columns[(label, "stat")], columns[(label, "p")] = stat, p
    table = pd.DataFrame(columns)
    table.columns = pd.MultiIndex.from_tuples(table.columns)
    return table


def basket_values(key: str, result: BasketResult, tests: Iterable[str] = ()) -> dict[str, object]:
    """A basket's mean CAR in percent with its interval (``key_mean``, ``key_lo``, ``key_hi``), its
    residual correlation (``key_rbar``), its size and counts of negative and positive CARs
    (``key_n``, ``key_n_neg``, ``key_n_pos``), and for each named test its statistic and p as
    text (``key_<test>``, ``key_<test>_p``)."""
    cars = np.array([f.car for f in result.firms])
    values: dict[str, object] = {
        f"{key}_mean": 100 * result.mean_car.mean, f"{key}_lo": 100 * result.mean_car.interval[0],
        f"{key}_hi": 100 * result.mean_car.interval[1], f"{key}_rbar": result.residual_correlation, f"{key}_n": len(result.tickers),
        f"{key}_n_neg": int(np.sum(cars < 0)), f"{key}_n_pos": int(np.sum(cars > 0)),
    }
    for test in tests:
        values[f"{key}_{test}"] = result.tests[test].stat
        values[f"{key}_{test}_p"] = p_text(result.tests[test].p)
    return values


def price_provenance_table(tickers: Iterable[str]) -> pd.DataFrame:
    """The price files of ``tickers`` (each once, in the order first given) from the data
    manifest, with where :func:`model.data.load_prices` read each of them (the retrieval date
    stays in the manifest: the table must fit the text column)."""
    specs = manifest().tickers
    rows = []
    for ticker in dict.fromkeys(tickers):
        spec = specs[ticker]
        rows.append({
            "ticker": ticker, "name": spec.name, "role": spec.role,
            "read from": load_prices(ticker).attrs["origin"], "rows": spec.rows,
            "first": str(spec.first_date), "last": str(spec.last_date),
            "sha256": spec.sha256[:12] + "…",
            "snapshot of": short_commits(spec.snapshot_of),
        })
    return pd.DataFrame(rows).set_index("ticker")


def short_commits(text: str, keep: int = 10) -> str:
    """``text`` with every 40-digit commit hash cut to its first ``keep`` digits and "…" (the
    manifest keeps the full hash)."""
    return re.sub(rf"\b([0-9a-f]{{{keep}}})[0-9a-f]{{{40 - keep}}}\b", r"\1…", text)


def event_study_parameters_table(spec: EventStudySpec, as_of, weight_fact_id: str) -> pd.DataFrame:
    """The parameters of the event study ``spec`` with their sources, and the index weight
    (the curated fact ``weight_fact_id``, in percent, as known on ``as_of``)."""
    weight = fact(weight_fact_id, as_of)
    weight_source, weight_kind = sources.link_and_kind(weight["source"], weight["stated_by"])
    rows = [  # every value as text, so that a seed or a date is not read as a quantity
        ("event date (day 0)", str(spec.event_date),
         "first trading day after DeepSeek-R1 drew market attention"),
        ("as-of date", str(as_of), "the project's as-of date; later data are labelled later evidence"),
        ("estimation window L", f"{spec.estimation} trading days", "MacKinlay (1997)"),
        ("gap G", f"{spec.gap} trading days",
         "this project; estimation window days -260 to -11 as in common practice"),
        ("market benchmark", spec.benchmark, "S&P 500 ETF; the adjusted close includes dividends"),
        ("two-factor model factor", spec.factor, "iShares Semiconductor ETF (the mirror has no ^SOX)"),
        ("interval level", f"{spec.level:.0%}", "conventional"),
        ("exact permutation up to", f"{MAX_EXACT_SUBSETS:,} subsets",
         "exact enumeration for one- and two-day windows"),
        ("random permutation subsets", f"{spec.n_permutations:,}", "p resolution 1/20,000"),
        ("permutation seed", str(spec.seed), "fixed, so results are reproducible"),
        ("least SQ window sums", str(MIN_WINDOW_SUMS), "so the SQ test can reach p = 0.05"),
        ("Nvidia S&P 500 weight", f"{float(weight['value']):.2f}%",
         f"{weight_source} ({weight_kind})" if weight_kind else weight_source),
    ]
    return pd.DataFrame(rows, columns=["parameter", "value", "source or reason"]).set_index("parameter")


# --- what the market priced ----------------------------------------------------------------

def instant_shock_table(returns: np.ndarray, discount_rates, factors, elasticities) -> pd.DataFrame:
    """Predicted returns (percent, one decimal) on news of an instant, fully covering shock
    (:func:`model.calibration.market.instant_shock_returns`), one row per discount rate and
    news size S, one column per elasticity."""
    index = pd.MultiIndex.from_product([list(discount_rates), list(factors)], names=["discount rate", "S"])
    flat = 100 * np.asarray(returns).reshape(len(index), -1)
    return pd.DataFrame(flat, index=index, columns=[f"ε = {e:g}" for e in elasticities]).round(1)


def grid_table(grid: pd.DataFrame, values) -> pd.DataFrame:
    """``values`` (one per row of :func:`model.calibration.market.implied_grid`) pivoted to one
    row per news size S and one column per coverage φ."""
    table = grid.assign(value=list(values)).pivot(index="factor", columns="coverage", values="value")
    table.index = table.index.astype(int).rename("S")
    table.columns = [f"φ = {phi:.1f}" for phi in table.columns]
    return table


def grid_bands_table(grid: pd.DataFrame) -> pd.DataFrame:
    """The implied-elasticity grid as ``median (low–high)`` text by S and φ."""
    return grid_table(grid, [f"{m:.2f} ({lo:.2f}–{hi:.2f})" for m, lo, hi in
                             zip(grid["elasticity"], grid["low"], grid["high"], strict=True)])


def grid_unsolved_table(grid: pd.DataFrame) -> pd.DataFrame:
    """The share of unsolved draws (percent) by S and φ."""
    return grid_table(grid, 100 * grid["unsolved_share"])


PEER_EXPOSURE_FORMATS = {"exposure b": "{:.2f}", "s.e.": "{:.2f}", "AR on 27 jan (%)": "{:.1f}",
                         "AR / b (%)": "{:.0f}", "weight b²/Σb² (%)": "{:.1f}"}
"""Formats of :func:`peer_exposure_table`'s columns for :func:`model.output.book.show_table`."""


def peer_exposure_table(peers: PeerEvidence, category: Mapping[str, str]) -> pd.DataFrame:
    """The peers' exposures with standard errors, event-day abnormal returns, implied moves
    and weights in the pooled move (percent), with each peer's category."""
    table = peers.table
    return pd.DataFrame({
        "category": [category.get(t, "") for t in table.index],
        "exposure b": table["exposure"], "s.e.": table["exposure_se"],
        "AR on 27 jan (%)": 100 * table["abnormal_return"],
        "AR / b (%)": 100 * table["implied_move"],
        "weight b²/Σb² (%)": 100 * peer_weights(table),
    }, index=table.index)


def extreme_peer_values(table: pd.DataFrame, tickers, key: str = "mp_power") -> dict[str, object]:
    """Prose values of the smallest and largest falls among ``tickers`` (returns are negative,
    so the largest abnormal return is the smallest fall), in abnormal return and implied move
    (percent), with the tickers: ``{key}_ar_small``, ``{key}_ar_small_name``, ...,
    ``{key}_implied_large_name``."""
    rows = table.loc[list(tickers)]
    values: dict[str, object] = {}
    for name, column in (("ar", "abnormal_return"), ("implied", "implied_move")):
        for end, ticker in (("small", rows[column].idxmax()), ("large", rows[column].idxmin())):
            values[f"{key}_{name}_{end}"] = 100 * rows.loc[ticker, column]
            values[f"{key}_{name}_{end}_name"] = ticker
    return values


def implied_by_evidence_table(evidence: Mapping[str, tuple[float, ElasticityEstimate]]) -> pd.DataFrame:
    """One row per labelled (abnormal return, implied estimate): the return (percent), the
    median elasticity and its 95% interval, the shares of draws below one and unsolved
    (percent); rounded to two decimals."""
    rows = [(label, 100 * move, e.median, *e.interval, 100 * np.mean(e.draws < 1.0),
             100 * e.unsolved_share) for label, (move, e) in evidence.items()]
    columns = ["evidence (window)", "abnormal return (%)", "elasticity", "2.5%", "97.5%",
               "draws below 1 (%)", "unsolved (%)"]
    return pd.DataFrame(rows, columns=columns).set_index("evidence (window)").round(2)


def breakable_id(identifier: str) -> str:
    """``identifier`` (a fact id) as HTML with a line-break opportunity after each underscore, so
    a narrow table column can wrap ``nvda_revenue_fy2025_q3`` (a formatter for
    :func:`model.output.book.show_table`)."""
    return html.escape(identifier).replace("_", "_<wbr>")


def linked_facts_table(as_of, uses: Mapping[str, str] = MARKET_FACT_USES) -> pd.DataFrame:
    """The curated facts ``uses`` (id -> what it is used for) as known on ``as_of``, each
    source as an HTML link saying what kind of source it is, with that kind in words (derived
    facts give their formula and no kind; :func:`model.output.sources.link_and_kind`)."""
    rows = []
    for fact_id, use in uses.items():
        row = fact(fact_id, as_of)
        value = f"{row['value']:,.0f}" if abs(row["value"]) >= 1e5 else f"{row['value']:g}"
        source, kind = sources.link_and_kind(row["source"], row["stated_by"])
        rows.append({"fact id": fact_id, "used for": use, "value": f"{value} {row['unit']}",
                     "public on": f"{row['as_of']:%Y-%m-%d}", "kind of source": kind,
                     "source": source})
    return pd.DataFrame(rows).set_index("fact id")


def _span(pair, fmt: str = "{:.2f}") -> str:
    return f"{fmt.format(pair[0])} to {fmt.format(pair[1])}"


def market_inputs_table(evidence, prior: MarketPrior, valuation: Valuation, hardware,
                        spend_anchors: Mapping[str, float], dc_share: float, draws: tuple[int, int],
                        seed: int, peer_tickers: Sequence[str], as_of) -> pd.DataFrame:
    """Every input of the market-implied elasticity with its value and source: the event
    evidence (:class:`model.calibration.inputs.EventEvidence`), the prior, the valuation, the
    hardware fit, the spend-growth anchors (:func:`model.calibration.inputs.
    spend_growth_anchors`), the facts' data-center share, the draws (headline, per grid point)
    and the peers."""
    est = evidence.result.estimation
    rows = [
        ("abnormal return, NVDA, 27 Jan 2025", f"{100 * evidence.abnormal_return:.2f}%",
         f"market model against SPY, L = 250, G = 10, estimation window {est.start} to {est.end}, "
         "event window [0, 0]; event_study chapter"),
        ("event-day noise", f"{evidence.residual_sums.size} residual sums",
         "estimation-window residuals of the same model, resampled (window [0, 1]: two-day sums)"),
        ("news size S", f"lognormal, median {prior.factor_median:.2f}, log-sd {prior.factor_log_sd:.3f}",
         "geometric mean of the two anchors; each one log-sd from the median (facts above)"),
        ("coverage φ", "uniform " + _span(prior.coverage, "{:.1f}"), "assumption"),
        ("years to half adoption", "uniform " + _span(prior.diffusion_years, "{:.1f}"), "assumption"),
        ("discount rate r", "uniform " + _span(prior.discount_rate),
         "assumption: CAPM cost of equity, 10-year Treasury near 4.5% in January 2025"),
        ("terminal growth g", "uniform " + _span(prior.terminal_growth), "assumption: about nominal GDP"),
        ("Nvidia share drift per year", "uniform " + _span(prior.nvidia_share_drift),
         "assumption: custom silicon"),
        ("hardware doubling time T_hw (years)", "uniform " + _span(prior.hardware_doubling_years),
         f"95% interval of this project's fit as of {as_of} ({hardware.n} chips, "
         f"point {hardware.doubling_years:.2f}); moores_law chapter"),
        ("algorithmic doubling time T_alg (years)",
         f"lognormal, median {prior.efficiency_doubling_median:.3f}, "
         f"log-sd {prior.efficiency_doubling_log_sd:.3f}",
         "Ho et al. 2024: 8 months, 95% interval 5 to 14 (facts above)"),
        ("expected spend growth γ", "uniform " + _span(prior.spend_growth),
         f"assumption, bracketed by 2025 capex estimates before the event: Alphabet consensus "
         f"{100 * spend_anchors['alphabet']:+.0f}%, Meta consensus {100 * spend_anchors['meta']:+.0f}%; "
         f"Big-4 plans as of 2025-02-08 {100 * spend_anchors['big4']:+.0f}% (facts above)"),
        ("share of value from data center w_dc", f"{valuation.dc_value_share:.3f}",
         f"data-center share of revenue, fiscal 2025 Q3 ({dc_share:.4f}, facts above)"),
        ("operating margin m", f"{valuation.margin:.2f}", "assumption; cancels in the return"),
        ("explicit horizon H", f"{valuation.horizon_end}", "then a Gordon terminal value"),
        ("elasticity search range", _span(ELASTICITY_RANGE, "{:.0f}"), "model.calibration.market"),
        ("draws (headline, grid)", f"{draws[0]}, {draws[1]} per grid point", f"seed {seed}"),
        ("peers", ", ".join(peer_tickers), "data/baskets.toml, basket deepseek"),
    ]
    return pd.DataFrame(rows, columns=["input", "value", "source or reason"]).set_index("input")


def peer_values(table: pd.DataFrame) -> dict[str, float]:
    """Prose values of every peer: exposure ``b_<T>``, abnormal return ``ar_<T>`` and implied
    move ``implied_<T>`` (percent)."""
    values: dict[str, float] = {}
    for ticker, row in table.iterrows():
        values[f"b_{ticker}"] = row["exposure"]
        values[f"ar_{ticker}"] = 100 * row["abnormal_return"]
        values[f"implied_{ticker}"] = 100 * row["implied_move"]
    return values


# --- the decomposition and the quantity channel (what the market priced) -------------------------
CHANNEL_LABELS = {
    "compute_quantity": ("quantity of compute", "news about how much AI compute will be bought: "
                         "chip, memory, foundry, tool and server makers, power and cooling"),
    "nvidia_rents": ("Nvidia's rents", "Nvidia's share and margin against substitutes (Nvidia only)"),
    "buyer_cost_saving": ("buyers' cost saving", "cheaper compute for those who buy it (the five buyers)"),
    "ai_discount_rate": ("AI discount rate", "the AI complex repriced as a whole: each firm's usual "
                         "co-movement with the AI-complex factor"),
}


def decomposition_channels_table(decomposition) -> pd.DataFrame:
    """The channels of :func:`model.event_study.decompose.decompose` for the page: estimate and
    distribution-free 95% interval (percent effect on the day's return of a unit exposure)."""
    rows = []
    for c in decomposition.channels:
        label, what = CHANNEL_LABELS.get(c.name, (c.name, ""))
        rows.append((label, f"{100 * c.estimate:+.1f}%", interval_text(c.interval, 100, "{:+.1f}") + "%", what))
    return pd.DataFrame(rows, columns=["channel", "estimate", "95% interval", "what it measures"]
                        ).set_index("channel")


def decomposition_firms_table(decomposition) -> pd.DataFrame:
    """Each firm's return, abnormal return and the part the channels explain (percent), with its
    exposures."""
    return pd.DataFrame([{
        "firm": f.ticker, "group": f.group.replace("_", " "), "return": f"{100 * f.ret:+.1f}%",
        "abnormal return": f"{100 * f.ar:+.1f}%", "explained by the channels": f"{100 * f.fitted:+.1f}%",
        **{CHANNEL_LABELS[k][0] if k in CHANNEL_LABELS else k: f"{v:.2f}" for k, v in f.exposures.items()},
    } for f in decomposition.firms]).set_index("firm")


def quantity_range_table(quantity, raw_factor: float) -> pd.DataFrame:
    """:attr:`~model.calibration.quantity.QuantityChannelFit.ranges` for the page: the median
    elasticity (95% interval) by the share of Nvidia's abnormal return put down to the quantity
    channel (rows) and the news size S (columns)."""
    cells = quantity.ranges.assign(cell=lambda t: [f"{m:.2f} ({lo:.2f}–{hi:.2f})" for m, lo, hi in
                                                   zip(t["elasticity"], t["low"], t["high"], strict=True)])
    table = cells.pivot(index="share", columns="factor", values="cell")

    def column(factor: float) -> str:
        if np.isclose(factor, quantity.news_median):
            return f"S = {factor:.1f} (over trend)"
        if np.isclose(factor, raw_factor):
            return f"S = {factor:.1f} (raw)"
        return f"S = {factor:.1f}"

    def row(share: float) -> str:
        return (f"{share:.0%} (the decomposition)" if np.isclose(share, round(quantity.share, 4))
                else f"{share:.0%}")

    table.columns = [column(f) for f in table.columns]
    table.index = pd.Index([row(s) for s in table.index], name="quantity share of Nvidia's move")
    return table


def equivalence_table(reverse_dcf) -> pd.DataFrame:
    """The observational-equivalence table of :class:`~model.calibration.reverse_dcf.ReverseDCF`:
    each move that alone reproduces the abnormal return, at the central discount rate and over
    the sensitivity rates."""
    eq = reverse_dcf.equivalents
    sens = reverse_dcf.sensitivity

    def span(col: str, fmt: str) -> str:
        lo, hi = fmt.format(sens[col].min()), fmt.format(sens[col].max())
        return f"{lo} to {hi}" if lo != hi else f"{lo} at every rate"

    return pd.DataFrame([
        ("discount rate on every cash flow", f"+{float(eq.discount_rate_bp[0]):.0f} bp",
         span("rate rise, firm (bp)", "+{:.0f} bp")),
        ("discount rate on the data-centre flows only", f"+{float(eq.discount_rate_bp_dc_only[0]):.0f} bp", "–"),
        ("growth of compute spend to the horizon", f"{float(eq.growth_pp[0]):+.1f} points a year",
         span("growth revision (pp)", "{:+.1f}")),
        ("Nvidia's margin", f"{float(eq.margin_pct[0]):+.1f}%", span("margin change (%)", "{:+.1f}%")),
    ], columns=["move, alone", f"size at {reverse_dcf.discount_rate:.0%}",
                f"at {sens['discount rate'].min():.0%} to {sens['discount rate'].max():.0%}"]).set_index("move, alone")


def market_estimates_table(cal) -> pd.DataFrame:
    """The market-implied estimates side by side: what each reads, its news size and benchmark,
    the estimate and P(eps > 1)."""
    q = cal.quantity
    single = cal.market_single_channel or cal.market
    rows = [
        ("quantity channel (headline)", f"{q.observed:+.1%} of Nvidia's {q.abnormal_return:+.1%}",
         f"over trend, {q.news_median:.1f}", "cross-section vs SPY ex AI; Nvidia vs SPY ex NVDA",
         f"{cal.market.median:.2f} ({interval_text(cal.market.interval, 1, '{:.2f}')})", f"{q.p_above_one:.3f}",
         "likelihood, flat prior"),
        ("single channel (Nvidia's whole move)", f"all of Nvidia's {cal.event.abnormal_return:+.1%}",
         f"raw, {cal.prior.factor_median:.1f}", "SPY (market model)",
         f"{single.median:.2f} ({interval_text(single.interval, 1, '{:.2f}')})",
         f"{np.mean(single.draws > 1):.3f}", "solved draw by draw"),
        ("peers' pooled move", f"common move {cal.peers.common_move:+.1%}", f"raw, {cal.prior.factor_median:.1f}",
         "SPY (market model)",
         f"{cal.market_peers.median:.2f} ({interval_text(cal.market_peers.interval, 1, '{:.2f}')})",
         f"{np.mean(cal.market_peers.draws > 1):.3f}", "solved draw by draw"),
    ]
    return pd.DataFrame(rows, columns=["reading", "return explained", "news size S", "benchmark",
                                       "elasticity (95% interval)", "P(ε > 1)", "method"]).set_index("reading")
