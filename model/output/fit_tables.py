"""Display tables of the fit chapters (the capex plans, the combination, the forecasts and their
sensitivity), built from the fit's results.

Every function returns a pandas DataFrame whose cells are already formatted as the page shows
them; the chapter hands it to :func:`model.output.book.show_table` (or shows it as it is). No
function here computes a result: they select, format and label.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from model.analysis.sensitivity import parameter_table
from model.calibration.capex import CapexFit
from model.calibration.evidence import PriorSpec
from model.calibration.fit import Calibration
from model.calibration.hardware_fit import PRECISIONS, SOURCE_LABELS, HardwareFit
from model.calibration.longrun import LongRunFit
from model.calibration.market import MarketPrior
from model.data.facts import fact, load_facts
from model.output import sources


def numeric_formats(frame: pd.DataFrame, fmt: str) -> dict[str, str]:
    """``fmt`` for every float column of ``frame`` (for :func:`model.output.book.show_table`)."""
    return {c: fmt for c in frame.columns if pd.api.types.is_float_dtype(frame[c])}


def signed_percent(log_ratio: float) -> str:
    """A log ratio as a signed percentage change, "" for NaN: ``+22%``."""
    return "" if np.isnan(log_ratio) else f"{100 * np.expm1(log_ratio):+.0f}%"


def source_link(source: str, stated_by: str) -> str:
    """An HTML link to the URL ``source`` whose text says what kind of source it is
    (:func:`model.output.sources.html_link`: "secondary copy of a Bloomberg report
    (fintechnews.site)"); a source that is not a URL is shown as escaped text ("stated_by:
    source")."""
    return sources.link_and_kind(source, stated_by)[0]


def source_kind(source: str, stated_by: str = "") -> str:
    """What kind of source ``source`` is, in words (:data:`model.output.sources.KINDS`); "" for
    a source that is not a URL (a formula over other facts, a file of this repository)."""
    return sources.link_and_kind(source, stated_by)[1]


def interval_cell(low: float, high: float, fmt: str = ".2f") -> str:
    """``low to high``."""
    return f"{low:{fmt}} to {high:{fmt}}"


# --- what the buyers planned -------------------------------------------------------------------------
def plans_table(fit: CapexFit) -> pd.DataFrame:
    """The plans of the capex fit, one row per firm: period, plan, its date, base year, growth,
    whether it came after the news, the street's expectation and the plan against it."""
    plans = fit.plans.set_index("firm")
    return pd.DataFrame({
        "period": plans["period"],
        "plan (USD bn)": plans["plan_label"].str.replace(r" \(variants (.*)\)", r" (also \1)", regex=True),
        "plan dated": plans["plan_as_of"].dt.strftime("%Y-%m-%d"),
        "base year (USD bn)": plans["base"].map("{:.1f}".format),
        "growth": plans["growth"].map(signed_percent),
        "after the news": plans["post_news"].map({True: "yes", False: "no"}),
        "street before (USD bn)": plans["street"].map(lambda v: "" if np.isnan(v) else f"{v:.1f}"),
        "plan vs street": plans["revision"].map(signed_percent),
    })


def growth_prior_table(sensitivity: pd.DataFrame) -> pd.DataFrame:
    """A :func:`~model.calibration.capex.growth_prior_sensitivity` frame for the page."""
    return pd.DataFrame({
        "prior on g": ["flat in ln(1+g)" if np.isnan(r.prior_median) else
                       f"median {100 * r.prior_median:.0f}%, log sd {r.prior_log_sd:.1f}"
                       for r in sensitivity.itertuples()],
        "ε median": sensitivity["elasticity"].map("{:.2f}".format),
        "ε 95% interval": [interval_cell(r.low, r.high) for r in sensitivity.itertuples()],
        "g median": sensitivity["growth_median"].map("{:.0%}".format),
        "g 95% interval": [interval_cell(r.growth_low, r.growth_high, ".0%") for r in sensitivity.itertuples()],
    }).set_index("prior on g")


def capex_variants_table(fits: Mapping[str, CapexFit]) -> pd.DataFrame:
    """Median, interval and plans-alone 95% set of the capex fit under each assumption variant."""
    sets = [f.identification()["growth_only_set"] for f in fits.values()]
    return pd.DataFrame({
        "ε median": [f"{f.estimate.median:.2f}" for f in fits.values()],
        "ε 95% interval": [interval_cell(*f.estimate.interval) for f in fits.values()],
        "plans-alone 95% set": [interval_cell(*s) for s in sets],
    }, index=pd.Index(list(fits), name="assumption"))


def longrun_table(lr: LongRunFit) -> pd.DataFrame:
    """The long-run regressions without the constants: coefficient, OLS and HAC intervals, the
    implied elasticity, n and R², by specification and term."""
    table = lr.table[lr.table["term"] != "const"]
    return pd.DataFrame({
        "specification": table["spec"], "term": table["term"].map({"log_q": "ln Q", "trend": "year"}),
        "coefficient": table["coef"].map("{:.3f}".format),
        "OLS 95% interval": [interval_cell(r.ci_low, r.ci_high) for r in table.itertuples()],
        "HAC 95% interval": [interval_cell(r.hac_low, r.hac_high) for r in table.itertuples()],
        "implied ε": [("" if np.isnan(r.eps) else f"{r.eps:.2f} ({interval_cell(r.eps_low, r.eps_high)})")
                      for r in table.itertuples()],
        "n": table["n"], "R²": table["r2"].map("{:.2f}".format),
    }).set_index(["specification", "term"])


def used_facts_table(roles: Mapping[str, str], as_of) -> pd.DataFrame:
    """The facts ``roles`` maps to their use, as known on ``as_of``: use, value, date, source
    (an HTML link saying what the source is, when it is a URL) and the kind of source. Facts
    that became public after ``as_of`` (later plan vintages and outcomes, which later fits read)
    are left out."""
    known = set(load_facts(as_of)["id"])
    rows = []
    for fid, use in ((f, u) for f, u in roles.items() if f in known):
        row = fact(fid, as_of)
        rows.append({"fact id": fid, "used for": use, "value": f"{row['value']:g} {row['unit']}",
                     "public on": f"{row['as_of']:%Y-%m-%d}",
                     "kind of source": source_kind(row["source"], row["stated_by"]),
                     "source": source_link(row["source"], row["stated_by"])})
    return pd.DataFrame(rows).set_index("fact id")


def capex_parameters_table(fit: CapexFit, prior: MarketPrior, lr: LongRunFit) -> pd.DataFrame:
    """The parameters and data of the capex-implied and long-run fits, with their sources."""
    a = fit.assumptions
    return pd.DataFrame([
        ("firm spread τ", f"{a.firm_growth_sd:g}", "assumption: the four plans' log growths spread by about 0.07"),
        ("other news in a revision σ_e", f"{a.revision_noise_sd:g}", "assumption (two revisions cannot estimate it)"),
        ("street gap b", a.street_gap, "free, estimated from plans made before the news (flat prior)"),
        ("plans' horizon", f"{a.horizon_years:g} year", "assumption: 2025 capacity serves 2026 demand"),
        ("prior on ε", f"flat on {a.elasticity_range[0]:g} to {a.elasticity_range[1]:g}",
         "the market-implied search range, so the posterior is a likelihood"),
        ("prior on g", f"1+g lognormal, median {1 + a.growth_prior_median:.2f}, log sd {a.growth_prior_log_sd:g}",
         "centred on the pre-news expected growth of spend (MarketPrior.spend_growth)"),
        ("hardware doubling time",
         f"uniform {prior.hardware_doubling_years[0]:.2f} to {prior.hardware_doubling_years[1]:.2f} years",
         "95% interval of this project's fit to Epoch AI's ML-hardware data as of the cutoff"),
        ("algorithmic doubling time", f"lognormal, median {prior.efficiency_doubling_median:.2f} years",
         "Ho et al. 2024 (facts above)"),
        ("news size S, coverage φ, adoption",
         f"median {prior.factor_median:.1f}; φ {prior.coverage[0]:g} to {prior.coverage[1]:g}; "
         f"half adoption {prior.diffusion_years[0]:g} to {prior.diffusion_years[1]:g} years",
         "MarketPrior, as in the market-implied estimate"),
        ("capex series (long run)", "SEC XBRL cash capex, GOOG + AMZN",
         "other/hyperscaler_capex_sec_xbrl_quarterly.csv (built from SEC XBRL company facts by model.data.sec)"),
        ("filing lag", f"{lr.lag_days} days", "10-Q due 40 days after a quarter, 10-K 60 days after a year"),
        ("price-performance", f"best FLOP/s per USD, chips ≥ {lr.min_price_usd:,.0f} USD",
         "Epoch AI Machine Learning Hardware (mirror other/epoch_ml_hardware.csv)"),
    ], columns=["parameter or data", "value", "source"]).set_index("parameter or data")



# --- one elasticity or two ---------------------------------------------------------------------------
def estimate_cell(estimate) -> str:
    """``median (low to high)`` of an estimate."""
    return f"{estimate.median:.2f} ({interval_cell(*estimate.interval)})"


def elasticity_estimates_table(cal: Calibration) -> pd.DataFrame:
    """The fit's elasticity estimates: median, interval, share above one and the evidence."""
    single = getattr(cal, "market_single_channel", None)
    usage = getattr(cal, "usage", None)
    estimates = {
        "market-implied (quantity channel)": (cal.market, "the quantity channel's part of Nvidia's move on 27 Jan "
                                              "2025, news over trend, through the valuation link"),
        **({} if single is None else {"market-implied (single channel)": (
            single, "Nvidia's whole abnormal return, raw news size, solved draw by draw")}),
        "capex-implied": (cal.capex.estimate, "the capex plans known at the date (latest vintages, actuals once "
                                              "reported), revisions against the street, prior on g"),
        **({} if usage is None else {"usage-implied": (usage.estimate, "token volumes (later evidence)")}),
        "prior (external evidence)": (cal.external_prior, "evidence dated on or before the as-of date (table below)"),
        "combined": (cal.combination.estimate, "likelihoods of market x capex" + (" x usage" if usage else "")
                     + " x prior, shared nuisance integrated jointly"),
    }
    return pd.DataFrame({
        "median": [f"{e.median:.2f}" for e, _ in estimates.values()],
        "95% interval": [interval_cell(*e.interval) for e, _ in estimates.values()],
        "share above one": [f"{np.mean(e.draws > 1):.1%}" for e, _ in estimates.values()],
        "evidence": [what for _, what in estimates.values()],
    }, index=pd.Index(list(estimates), name="estimate"))


def combination_variants_table(variants: pd.DataFrame) -> pd.DataFrame:
    """A :func:`~model.calibration.fit.combination_under_capex_variants` frame for the page."""
    columns = {
        "capex assumption": variants["variant"],
        "capex-implied": variants["capex"].map(estimate_cell),
        "p (consistency)": variants["p_value"].map("{:.2f}".format),
    }
    if "power" in variants:
        columns["power (0.5 apart)"] = variants["power"].map("{:.0%}".format)
    columns["combined"] = variants["combined"].map(estimate_cell)
    return pd.DataFrame(columns).set_index("capex assumption")


def coverage_by_range_table(by_range: pd.DataFrame) -> pd.DataFrame:
    """A coverage check's :meth:`~model.calibration.coverage.CoverageCheck.by_range` frame for
    the page: each range of the true elasticity as "0.75 to 1.25", the simulated worlds in it and
    the share whose combined interval covered the truth, in percent."""
    ranges = by_range["true elasticity"]
    return pd.DataFrame({
        "true elasticity": [f"{max(0.0, round(r.left, 2)):g} to {r.right:g}" for r in ranges],
        "worlds": by_range["worlds"].to_numpy(),
        "covered (%)": 100 * by_range["coverage"].to_numpy(),
    })


def later_evidence_table(combined_draws: np.ndarray, openrouter: pd.Series, ytd: pd.DataFrame,
                         last_known, planned: Mapping[str, float],
                         firms: Mapping[str, str]) -> pd.DataFrame:
    """The evidence published after the cutoff beside the as-of fit: the OpenRouter elasticity
    against the combined draws, and each firm's year-to-date capex growth against its plan."""
    magnitude = abs(float(openrouter["value"]))
    rows = [("OpenRouter-based short-run elasticity of LLM token demand", f"{openrouter['value']:g}",
             f"{openrouter['date']:%Y-%m-%d}", openrouter["stated_by"],
             "above every combined draw" if np.all(combined_draws < magnitude) else
             f"above {np.mean(combined_draws < magnitude):.1%} of the combined draws")]
    for row in ytd.itertuples():
        rows.append((f"{firms[row.ticker]} capex 2025 {row.quarters}, vs a year earlier (SEC XBRL)",
                     f"{row.growth:+.0%}", f"{pd.Timestamp(last_known):%Y-%m-%d}", "SEC filings (XBRL)",
                     f"plan: {np.expm1(planned[row.ticker]):+.0%} for the year"))
    return pd.DataFrame(rows, columns=["later evidence", "value", "known from", "source",
                                       "against the as-of fit"]).set_index("later evidence")


def evidence_sources_table(table: pd.DataFrame) -> pd.DataFrame:
    """An :func:`~model.calibration.evidence.evidence_table` for the page: date, kind, whether it
    is in the as-of prior, value, reading, a link to the source and the kind of source."""
    in_prior = np.where(table["known"] & (table["role"] != "none"), "yes",
                        np.where(table["known"], "listed, not used", "no: later evidence"))
    return pd.DataFrame({
        "date": table["date"].dt.strftime("%Y-%m-%d").to_numpy(),
        "kind": table["kind"].to_numpy(),
        "in the as-of prior": in_prior,
        "value": [("" if np.isnan(v) else f"{v:g} {u}") for v, u in zip(table["value"], table["unit"], strict=True)],
        "reading": table["reading"].to_numpy(),
        "kind of source": [source_kind(s, b)
                           for s, b in zip(table["source"], table["stated_by"], strict=True)],
        "source": [source_link(s, b) for s, b in zip(table["source"], table["stated_by"], strict=True)],
    }, index=pd.Index(table["id"], name="evidence"))


def combination_methods_table(spec: PriorSpec, level: float, seed: int) -> pd.DataFrame:
    """Methods and parameters of the combination, with their sources."""
    return pd.DataFrame([
        ("market likelihood", "the quantity channel's part of Nvidia's move, kernel density of its "
         "reference-day noise, valuation link, S over trend",
         "What the market priced (model.calibration.quantity, model.calibration.likelihood)"),
        ("capex likelihood", "plans known at the date, facts capex.csv, CapexAssumptions; demand growth "
         "integrated in closed form under its prior", "What the buyers planned (model.calibration.capex)"),
        ("shared nuisance", "news size, coverage, diffusion, trends, valuation inputs: one set of draws, "
         "spend growth set by the reverse DCF", "model.calibration.likelihood.SharedDraws"),
        ("prior, default", f"lognormal, median {spec.default_median:g}, log sd {spec.log_sd:g}",
         "assumption: weakly informative, centred on the knife-edge ε = 1"),
        ("prior, with a16z", f"median tilted to {spec.tilted_median:g}",
         "judgement: records the direction of a qualitative signal"),
        ("prior, with OpenRouter (later)", f"x normal likelihood, sd {spec.likelihood_sd:g}",
         "assumption: the paper's standard error is not in the facts tables"),
        ("grid", "400 cells on 0-4 (flat prior)", "model.calibration.likelihood.elasticity_grid"),
        ("consistency level", f"{level:g}", "likelihood ratio, one elasticity against two, chi-squared(1)"),
        ("power", "against elasticities 0.5 apart", "non-central chi-squared(1), the difference's sd from "
                                                   "the joint likelihood"),
        ("seed", f"{seed}", "same inputs and seed give the same draws"),
    ], columns=["item", "value", "source"]).set_index("item")


# --- forecasts and sensitivity -------------------------------------------------------------------------
OUTPUT_LABELS = {"compute_spend": "log compute spend 2030", "flop_demand": "log flop demand 2030",
                 "nvidia_dc_revenue": "log nvidia data-center revenue 2030",
                 "hyperscaler_capex_2025_usd_bn": "log hyperscaler capex 2025",
                 "nvidia_fy2026_dc_revenue_usd_bn": "log nvidia fy2026 data-center revenue"}

FIRM_CONSENSUS = (
    ("capex_consensus_2025_meta_before_guidance", "capex_guidance_2025_meta_low", "capex_guidance_2025_meta_high"),
    ("capex_consensus_2025_alphabet_visible_alpha", "capex_guidance_2025_alphabet", None),
)
"""The street's capex expectations published before two firms' plans: (consensus id, plan id,
id of the plan's upper end or None)."""


def forecast_table(cal: Calibration, consensus: Mapping) -> pd.DataFrame:
    """The two forecasts with their base levels, medians, intervals and naive forecasts (the
    later analyst consensus as a third row)."""
    capex_fc = cal.forecasts["hyperscaler_capex_2025_usd_bn"]
    nvda_fc = cal.forecasts["nvidia_fy2026_dc_revenue_usd_bn"]
    rows = [("four hyperscalers' 2025 capex", capex_fc, capex_fc.baseline, "the firms' plans", capex_fc.baseline_as_of),
            ("Nvidia FY2026 data-center revenue", nvda_fc, nvda_fc.baseline, "guidance run-rate", nvda_fc.baseline_as_of),
            ("Nvidia FY2026 data-center revenue", nvda_fc, float(consensus["value"]),
             "analyst consensus (after the cutoff)", f"{pd.Timestamp(consensus['as_of']):%Y-%m-%d}")]
    return pd.DataFrame([{"forecast (USD bn)": name, "base level": f.base_level, "model median": f.median,
                          "95% low": f.interval[0], "95% high": f.interval[1], "naive forecast": label,
                          "naive value": baseline, "public": public}
                         for name, f, baseline, label, public in rows])


def firm_consensus_table(ids=FIRM_CONSENSUS) -> pd.DataFrame:
    """The street's expectations before two firms' plans, beside the plans (facts read without
    an as-of date: they are all public before the cutoff)."""
    rows = []
    for consensus_id, low_id, high_id in ids:
        c, low = fact(consensus_id), fact(low_id)
        plan = f"{float(low['value']):g}" + (f"-{float(fact(high_id)['value']):g}" if high_id else "")
        rows.append({"firm": consensus_id.split("_")[3].capitalize(), "consensus (USD bn)": float(c["value"]),
                     "stated by": c["stated_by"], "public": f"{pd.Timestamp(c['as_of']):%Y-%m-%d}",
                     "plan (USD bn)": plan, "plan public": f"{pd.Timestamp(low['as_of']):%Y-%m-%d}",
                     "plan low": float(low["value"])})
    return pd.DataFrame(rows)


INDEX_DECIMALS = 3  # Sobol indices lie in [0, 1]; their 95% half-widths are rarely below 0.001


def _index_number(value: float) -> str:
    """A Sobol index or half-width to three decimals, "<0.001" when it rounds to zero (an
    estimate of -0.0001 is zero within its noise, not a negative index)."""
    if abs(value) < 0.5 * 10 ** -INDEX_DECIMALS:
        return f"<{10 ** -INDEX_DECIMALS:.{INDEX_DECIMALS}f}"
    return f"{value:.{INDEX_DECIMALS}f}"


def index_cell(value: float, half_width: float) -> str:
    """``0.123 ± 0.004``; an index and half-width that both round to zero read "<0.001" (the
    input does not matter), a half-width alone that rounds to zero "± <0.001"."""
    if max(abs(value), half_width) < 0.5 * 10 ** -INDEX_DECIMALS:
        return _index_number(0.0)
    return f"{_index_number(value)} ± {_index_number(half_width)}"


def sobol_table(frame: pd.DataFrame, outputs=None, rename: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per input; S1 and ST with their 95% half-widths, per output (a
    :func:`~model.analysis.sensitivity.sobol_indices` frame)."""
    frame = frame if outputs is None else frame[frame["output"].isin(outputs)]
    labels = {**OUTPUT_LABELS, **(rename or {})}
    cells = frame.assign(
        S1=[index_cell(s, c) for s, c in zip(frame["S1"], frame["S1_conf"], strict=True)],
        ST=[index_cell(s, c) for s, c in zip(frame["ST"], frame["ST_conf"], strict=True)],
        output=frame["output"].map(labels),
    )
    wide = cells.pivot(index="label", columns="output", values=["S1", "ST"]).swaplevel(axis=1)
    outputs_order = list(dict.fromkeys(cells["output"]))
    wide = wide[[(o, i) for o in outputs_order for i in ("S1", "ST")]]
    return wide.loc[list(dict.fromkeys(frame["label"]))].rename_axis(index="input", columns=["output", "index"])


def spend_sobol_comparison(fit_indices: pd.DataFrame, prior_indices: pd.DataFrame) -> pd.DataFrame:
    """The indices of log compute spend under the fit's posterior and the montecarlo prior."""
    both = pd.concat([fit_indices[fit_indices["output"] == "compute_spend"].assign(output="fit"),
                      prior_indices[prior_indices["output"] == "compute_spend"].assign(output="prior")])
    return sobol_table(both, rename={"fit": "fit's posterior", "prior": "montecarlo prior"})


def convergence_display(convergence: pd.DataFrame, output: str = "compute_spend") -> pd.DataFrame:
    """A :func:`~model.analysis.sensitivity.convergence_table` for one output, labelled by N."""
    n = convergence.attrs["n"]
    conv = convergence[convergence["output"] == output]
    return conv[["label", "S1_n", "S1_2n", "ST_n", "ST_2n", "change"]].rename(columns={
        "label": "input", "S1_n": f"S1 (N={n})", "S1_2n": f"S1 (N={2 * n})",
        "ST_n": f"ST (N={n})", "ST_2n": f"ST (N={2 * n})"})


def sensitivity_inputs_table(parameters, alternative) -> pd.DataFrame:
    """The inputs of the 2030 analysis and the alternative elasticity (last row, labelled so)."""
    table = parameter_table([*parameters, alternative])
    table.loc[len(table) - 1, "parameter"] = "elasticity ε (alternative)"
    return table


def forecast_provenance_table(cal: Calibration, consensus: Mapping, alternative, n_base: int,
                              seed: int, sobol_seed: int) -> pd.DataFrame:
    """Where each quantity of the forecasts chapter comes from."""
    capex_fc = cal.forecasts["hyperscaler_capex_2025_usd_bn"]
    nvda_fc = cal.forecasts["nvidia_fy2026_dc_revenue_usd_bn"]
    return pd.DataFrame([
        {"quantity": "forecasts; elasticity posterior; demand growth given the elasticity",
         "value": f"fit(as_of='{cal.as_of:%Y-%m-%d}'), seed {seed}",
         "source": "model.calibration.fit: market-implied and capex-implied elasticities combined"},
        {"quantity": "ranges of trends, news size, coverage, adoption, share drift, spend growth",
         "value": "the fit's MarketPrior",
         "source": "model.calibration.market.MarketPrior, set as of the cutoff by "
                   "model.calibration.inputs.market_prior (facts tables; hardware fit)"},
        {"quantity": "alternative elasticity prior", "value": alternative.describe(),
         "source": "scenarios/montecarlo.toml (assumption)"},
        {"quantity": "hyperscaler capex plans", "value": f"{capex_fc.baseline:.1f} USD bn",
         "source": f"{capex_fc.baseline_label}; facts capex.csv"},
        {"quantity": "Nvidia run-rate baseline", "value": f"{nvda_fc.baseline:.1f} USD bn",
         "source": f"{nvda_fc.baseline_label}; facts nvidia.csv, public {nvda_fc.baseline_as_of}"},
        {"quantity": "Nvidia fiscal-2026 data-center consensus", "value": f"{float(consensus['value']):.1f} USD bn",
         "source": f"{consensus['stated_by']}, public {pd.Timestamp(consensus['as_of']):%Y-%m-%d} "
                   "(after the cutoff); facts nvidia.csv"},
        {"quantity": "Sobol design", "value": f"N = {n_base} and {2 * n_base}, seed {sobol_seed}",
         "source": "SALib: sobol sampler (scrambled Saltelli scheme) and sobol.analyze (100 bootstrap resamples)"},
        {"quantity": "tornado range", "value": "5% and 95% quantiles",
         "source": "model.analysis.sensitivity.TORNADO_QUANTILES"},
    ])


# --- the hardware fit beside the published estimates ------------------------------------------
def _yes_no(value) -> str:
    return "-" if value is None or pd.isna(value) else ("yes" if value else "no")


def _estimate_cell(value: float, low: float, high: float) -> str:
    """``2.46 (2.24 to 2.72)``; the point alone without an interval, "-" without a value."""
    if pd.isna(value):
        return "-"
    if pd.isna(low) or pd.isna(high):
        return f"{value:.2f}"
    return f"{value:.2f} ({interval_cell(low, high)})".replace("inf", "∞")


def like_for_like_table(comparison: pd.DataFrame) -> pd.DataFrame:
    """A :func:`model.calibration.hardware_fit.like_for_like` frame for the page, one row per
    published estimate: its doubling time with 95% interval and chip count, the definition
    repeated on the mirror (number format, chip kind, release window), the mirror's fit with
    its conventional 95% interval and chip count, whether the published figure lies inside that
    interval and whether the intervals overlap, and what differs."""
    def window(r) -> str:
        if pd.isna(r["window end"]):
            return "-"
        start = "first chip" if pd.isna(r["window start"]) else f"{r['window start']:%Y-%m-%d}"
        return f"{start} to {r['window end']:%Y-%m-%d}"

    def definition(r) -> str:
        return "-" if r["precision"] is None or pd.isna(r["precision"]) else \
            f"{r['precision']}, {r['kind']}, {window(r)}"

    comparison = comparison.reset_index(drop=True)
    return pd.DataFrame({
        "published (yr, 95%)": [_estimate_cell(r["published (years)"], r["published low"],
                                               r["published high"]) for _, r in comparison.iterrows()],
        "published chips": comparison["published chips"].map(lambda n: "-" if pd.isna(n) else f"{n}"),
        "our definition": [definition(r) for _, r in comparison.iterrows()],
        "ours (yr, 95%)": [_estimate_cell(r["doubling (years)"], r["95% low"], r["95% high"])
                           for _, r in comparison.iterrows()],
        "our chips": comparison["chips"].map(lambda n: "-" if pd.isna(n) else f"{n}"),
        "inside ours": comparison["published inside ours"].map(_yes_no),
        "overlap": comparison["intervals overlap"].map(_yes_no),
        "what differs": comparison["match"],
    }).set_axis(pd.Index(comparison["estimate"].to_numpy(), name="estimate"))


def hardware_exclusions_table(fit: HardwareFit) -> pd.DataFrame:
    """Chips left out of a hardware fit, by first failing reason, and the number used, with the
    performance reason naming the figures the fit's precision reads."""
    figures = " or ".join(SOURCE_LABELS[c] for c in PRECISIONS[fit.precision])
    reasons = {"undated": "no release date", "wrong_type": f"not of kind {fit.kind!r}",
               "no_price": "no launch price", "no_performance": f"no {figures} figure"}
    return pd.DataFrame(
        {"chips": [fit.excluded[k] for k in reasons] + [fit.n]},
        index=pd.Index([*reasons.values(), "used in the fit"], name="reason"),
    )


#: short keys of the like-for-like rows the hardware chapter quotes: key -> (fact id, reading)
LIKE_FOR_LIKE_KEYS = {"all": "epoch_gpu_price_perf_doubling_years_all",
                      "ml": "epoch_gpu_price_perf_doubling_years_ml",
                      "top": "epoch_gpu_price_perf_doubling_years_top",
                      "fp16": "epoch_gpu_price_perf_doubling_years_fp16",
                      "page": "epoch_ml_hardware_price_perf_decline_pct_per_year"}


def like_for_like_numbers(comparison: pd.DataFrame) -> dict[str, object]:
    """The numbers the hardware chapter quotes from a
    :func:`model.calibration.hardware_fit.like_for_like` frame, for each key of
    :data:`LIKE_FOR_LIKE_KEYS` (the first row of a fact id, so the data page's "price falls"
    reading): ``ll_<key>_pub`` (published years), ``ll_<key>_T``, ``_lo``, ``_hi`` (the fit and
    its conventional 95% interval), ``ll_<key>_n`` (chips), ``ll_<key>_inside`` ("lies inside"
    or "lies outside" the fit's interval) and ``ll_<key>_overlap`` ("overlaps" or "does not
    overlap"; "-" without a published interval)."""
    out: dict[str, object] = {}
    for key, fact_id in LIKE_FOR_LIKE_KEYS.items():
        row = comparison[comparison["fact id"] == fact_id].iloc[0]
        overlap = row["intervals overlap"]
        out |= {f"ll_{key}_pub": float(row["published (years)"]),
                f"ll_{key}_T": float(row["doubling (years)"]), f"ll_{key}_lo": float(row["95% low"]),
                f"ll_{key}_hi": float(row["95% high"]), f"ll_{key}_n": int(row["chips"]),
                f"ll_{key}_inside": "lies inside" if row["published inside ours"] else "lies outside",
                f"ll_{key}_overlap": "-" if overlap is None or pd.isna(overlap)
                else ("overlaps" if overlap else "does not overlap")}
    return out
