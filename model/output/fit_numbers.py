"""The numbers the fit chapters of the book quote (buyers_planned, one_or_two,
forecasts_sensitivity), computed from the fit's results.

Each function takes result objects (a :class:`~model.calibration.capex.CapexFit`, a
:class:`~model.calibration.longrun.LongRunFit`, a :class:`~model.calibration.fit.Calibration`)
and returns a dict of plain numbers and dates keyed by the name the prose glues them under
(without the chapter's prefix), in the units the prose shows (percentages as 100 x rates). The
chapters glue them with :func:`model.output.book.glue_values` and compute nothing themselves.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from model.calibration.capex import CapexFit
from model.calibration.fit import Calibration, catch_up_months, news_spend_multiplier
from model.calibration.longrun import LongRunFit
from model.calibration.market import MarketPrior
from model.constants import SEED
from model.data.facts import fact
from model.engine.closed_forms import jevons_factor

GROWTH_PRIORS = ((0.1, 0.4), (0.3, 0.4), (0.6, 0.4), (1.0, 0.4), (0.3, 0.2), (0.3, 0.8), None)
"""The priors on demand growth of the capex chapter's sensitivity table: (median, log sd) pairs,
None for flat in log(1 + g)."""

CAPEX_VARIANTS = {
    "default": {},
    "firm spread τ = 0.05": {"firm_growth_sd": 0.05},
    "firm spread τ = 0.20": {"firm_growth_sd": 0.20},
    "other news σ_e = 0.05": {"revision_noise_sd": 0.05},
    "other news σ_e = 0.20": {"revision_noise_sd": 0.20},
    "street unbiased (b = 0)": {"street_gap": "none"},
    "no revisions": {"use_revisions": False},
    "horizon 0.5 years": {"horizon_years": 0.5},
    "horizon 3 years (news fully adopted)": {"horizon_years": 3.0},
}
"""The assumption variants of the capex chapter (fields of ``CapexAssumptions``)."""

VARIANT_KEYS = {"h3": "horizon 3 years (news fully adopted)", "nostreet": "street unbiased (b = 0)",
                "tau20": "firm spread τ = 0.20", "norev": "no revisions"}


def percent(rate) -> float:
    """A rate as a percentage."""
    return 100.0 * float(rate)


def estimate_values(key: str, median: float, interval) -> dict:
    """``key``, ``key_lo`` and ``key_hi`` for a median and its interval."""
    return {key: float(median), f"{key}_lo": float(interval[0]), f"{key}_hi": float(interval[1])}


def capex_fit_values(fit: CapexFit, prior: MarketPrior) -> dict:
    """The numbers the capex chapter quotes about the default fit: totals, the trend's price
    fall, the ridge, the estimate, the per-firm plans and revisions, the assumptions."""
    plans = fit.plans.set_index("firm")
    ident = fit.identification()
    base_total, _ = fit.base_level()
    plan_total, _ = fit.guidance_total()
    ridge_mid, ridge_lo, ridge_hi = fit.ridge_interval()
    g_lo, g_hi = fit.demand_growth_interval()
    pre, post = fit.news_contrast()
    a = fit.assumptions
    prior_lo, prior_hi = a.growth_prior_interval()
    values = {
        "plans_total": plan_total, "base_total": base_total,
        "total_growth": percent(plan_total / base_total - 1),
        "price_fall": float(np.exp(fit.reference_log_price_fall)),
        "log_fall": fit.reference_log_price_fall,
        "ridge": percent(np.expm1(ridge_mid)), "ridge_lo": percent(np.expm1(ridge_lo)),
        "ridge_hi": percent(np.expm1(ridge_hi)),
        **estimate_values("eps", fit.estimate.median, fit.estimate.interval),
        "g": percent(ident["demand_growth"]["median"]), "g_lo": percent(g_lo), "g_hi": percent(g_hi),
        "profile_hi": ident["growth_only_set"][1], "rev_hi": ident["revision_only_set"][1],
        "rev_diff": percent(plans.loc["Alphabet", "revision"] - plans.loc["Meta", "revision"]),
        "pre_growth": percent(np.expm1(pre)), "post_growth": percent(np.expm1(post)),
        "tau": a.firm_growth_sd, "sigma_e": a.revision_noise_sd, "horizon": a.horizon_years,
        "g_prior": percent(a.growth_prior_median), "g_prior_sd": a.growth_prior_log_sd,
        "g_prior_lo": percent(prior_lo), "g_prior_hi": percent(prior_hi),
        "adopted": float(np.median(fit.nuisance.adopted)),
        "coverage_lo": prior.coverage[0], "coverage_hi": prior.coverage[1],
        "s_med": prior.factor_median, "k": a.nuisance_draws,
        "cells_e": int(fit.grid.elasticity.size), "cells_g": int(fit.grid.log_growth.size),
    }
    for firm, row in plans.iterrows():  # four firms: a loop over structure
        key = firm.lower()
        values |= {f"{key}_growth": percent(np.expm1(row["growth"])), f"{key}_date": row["plan_as_of"],
                   f"{key}_plan": row["plan"], f"{key}_base": row["base"]}
        if not np.isnan(row["revision"]):
            values |= {f"{key}_street": row["street"], f"{key}_rev": percent(np.expm1(row["revision"]))}
    return values


def growth_prior_values(sensitivity: pd.DataFrame) -> dict:
    """The sensitivity rows the prose quotes (:data:`GROWTH_PRIORS` order): the flat prior (last
    row), the 100% median (row 3) and the 10% median (row 0)."""
    flat = sensitivity.iloc[-1]
    return {"flat_eps": flat["elasticity"], "flat_lo": flat["low"], "flat_hi": flat["high"],
            "g100_eps": sensitivity.iloc[3]["elasticity"], "g10_eps": sensitivity.iloc[0]["elasticity"]}


def variant_values(fits: Mapping[str, CapexFit], keys: Mapping[str, str] = VARIANT_KEYS) -> dict:
    """The median and interval of the variant fits the prose quotes, under ``keys``."""
    return {f"{key}{suffix}": value for key, name in keys.items()
            for suffix, value in zip(("_eps", "_lo", "_hi"),
                                     (fits[name].estimate.median, *fits[name].estimate.interval),
                                     strict=True)}


def longrun_values(lr: LongRunFit) -> dict:
    """The numbers the long-run section quotes: n, years, both slopes with intervals, the
    collinearity, the filing lag and price floor, the two trends."""
    free, trend = lr.elasticity("price-performance"), lr.elasticity("price-performance + trend")
    return {
        "lr_n": lr.n, "lr_first": int(lr.data["year"].min()), "lr_last": int(lr.data["year"].max()),
        **estimate_values("lr_eps", free["elasticity"], free["interval"]),
        **estimate_values("lr_eps_t", trend["elasticity"], trend["interval"]),
        "lr_eps_t_hac_lo": trend["interval_hac"][0], "lr_eps_t_hac_hi": trend["interval_hac"][1],
        "lr_corr": lr.trend_correlation, "lr_vif": lr.vif, "lr_lag": lr.lag_days,
        "lr_min_price": lr.min_price_usd, "lr_trend": percent(lr.capex_trend_growth()),
        "lr_q_growth": percent(lr.price_performance_growth()),
    }


def longrun_exercise_values(fits: Mapping[str, LongRunFit]) -> dict:
    """Both slopes with intervals and n of each alternative long-run fit, as ``x4_<key>_...``."""
    values = {}
    for key, f in fits.items():  # two alternative series
        e, t = f.elasticity("price-performance"), f.elasticity("price-performance + trend")
        values |= {f"x4_{key}_eps": e["elasticity"], f"x4_{key}_lo": e["interval"][0],
                   f"x4_{key}_hi": e["interval"][1], f"x4_{key}_t": t["elasticity"],
                   f"x4_{key}_t_lo": t["interval"][0], f"x4_{key}_t_hi": t["interval"][1],
                   f"x4_{key}_n": f.n}
    return values


def ridge_exercise_values(fit: CapexFit, fully_adopted: CapexFit) -> dict:
    """Exercise answers: the ridge's elasticity at g = 30% and 100% and at the posterior median
    g, the mean plan growth, the adopted share with the news fully adopted, and the FT's totals
    (dated after the cutoff, read without an as-of date)."""
    g_median = fit.identification()["demand_growth"]["median"]
    ft23, ft24 = fact("capex_2023_big4_ft"), fact("capex_2024_big4_ft")
    return {"x1_30": fit.ridge_elasticity(0.30), "x1_100": fit.ridge_elasticity(1.00),
            "mean_growth": percent(np.expm1(fit.mean_plan_growth())),
            "x1_post": fit.ridge_elasticity(g_median),
            "h3_adopted": float(np.median(fully_adopted.nuisance.adopted)),
            "ft_growth": percent(ft24["value"] / ft23["value"] - 1), "ft_date": ft23["as_of"]}


def glued_estimates(estimates: Mapping[str, object]) -> dict:
    """``key``, ``key_lo``, ``key_hi`` for every estimate (anything with median and interval)."""
    values = {}
    for key, e in estimates.items():
        values |= estimate_values(key, e.median, e.interval)
    return values


def draws_above_text(n_above: int) -> str:
    """"1 draw lies" or "N draws lie"."""
    return f"{n_above} draw lies" if n_above == 1 else f"{n_above} draws lie"


def combination_values(cal: Calibration) -> dict:
    """The numbers the combination chapter quotes about the fit: the verdict of the consistency
    test, the shares of each estimate's draws either side of one and the planned growth."""
    comb = cal.combination
    plan_total, _ = cal.capex.guidance_total()
    base_total, _ = cal.capex.base_level()
    likelihood = {}
    if getattr(comb, "method", "kernel") == "likelihood":
        likelihood = {"lr": comb.lr_statistic, "power": percent(comb.consistency_power),
                      "alternative": comb.power_alternative, "diff_sd": comb.difference_sd,
                      "draws_integrated": comb.draws_integrated, "k_p_above": comb.p_above_one,
                      "m_alone": comb.market.median, "c_alone": comb.capex.median}
    return likelihood | {
        "consistent_word": "consistent" if comb.consistent else "not consistent",
        "stat": comb.statistic, "pval": comb.p_value, "verdict": comb.verdict,
        "k_below": percent(np.mean(comb.estimate.draws < 1)),
        "k_above": draws_above_text(int(np.sum(comb.estimate.draws > 1))),
        "k_n": int(comb.estimate.draws.size),
        "m_below": percent(np.mean(cal.market.draws < 1)),
        "c_below": percent(np.mean(cal.capex.estimate.draws < 1)),
        "p_above": percent(np.mean(cal.external_prior.draws > 1)),
        "plan_growth": percent(plan_total / base_total - 1),
    }


def news_cut_values(cal: Calibration, seed: int = SEED) -> dict:
    """The cut of spend the news makes with the combined elasticity (median and 95% interval, %),
    with full adoption, the work multiplier, the trend growth of spend and the months it takes to
    make up the median cut."""
    prior = cal.news_prior or cal.prior  # the news as the market likelihood reads it (S over trend)
    news = news_spend_multiplier(cal.combination.estimate.draws, prior, seed)
    lo, mid, hi = np.quantile(news["multiplier"], [0.025, 0.5, 0.975])
    ridge_mid, ridge_lo, ridge_hi = cal.capex.ridge_interval()
    return {"mult_cut": percent(1 - mid), "mult_cut_lo": percent(1 - hi), "mult_cut_hi": percent(1 - lo),
            "full_cut": percent(1 - np.median(news["full_adoption"])),
            "work_mult": float(np.median(news["work"])), "s_med": prior.factor_median,
            "trend": percent(np.expm1(ridge_mid)), "trend_lo": percent(np.expm1(ridge_lo)),
            "trend_hi": percent(np.expm1(ridge_hi)), "catch_up_months": catch_up_months(mid, ridge_mid)}


def later_evidence_values(cal: Calibration, openrouter: pd.Series, ytd: pd.DataFrame,
                          last_known) -> dict:
    """The later evidence against the as-of fit: the OpenRouter magnitude and date and where it
    lies among the draws, and each firm's year-to-date capex growth against its plan (%)."""
    draws = cal.combination.estimate.draws
    magnitude = abs(float(openrouter["value"]))
    above = int(np.sum(draws >= magnitude))
    planned = planned_growth_by_ticker(cal.capex)
    values = {"or": magnitude, "or_date": openrouter["date"], "ytd_known": last_known,
              "or_vs_k": (f"every one of the {draws.size} combined draws" if above == 0
                          else f"all but {above} of the {draws.size} combined draws"),
              "or_pct_c": percent(np.mean(cal.capex.estimate.draws < magnitude))}
    for row in ytd.itertuples():  # two firms
        values |= {f"{row.ticker.lower()}_ytd": percent(row.growth),
                   f"{row.ticker.lower()}_plan": percent(np.expm1(planned[row.ticker]))}
    return values


TICKERS = {"GOOG": "Alphabet", "AMZN": "Amazon"}


def planned_growth_by_ticker(capex_fit: CapexFit, tickers: Mapping[str, str] = TICKERS) -> dict[str, float]:
    """The planned log growth of each firm in ``tickers`` (ticker -> firm name in the plans)."""
    plans = capex_fit.plans.set_index("firm")
    return {ticker: float(plans.loc[firm, "growth"]) for ticker, firm in tickers.items()}


def coverage_values(check) -> dict:
    """The simulation check of the combination's intervals
    (:class:`~model.calibration.coverage.CoverageCheck`) as percentages."""
    return {"cov": percent(check.coverage), "cov_m": percent(check.coverage_market),
            "cov_c": percent(check.coverage_capex), "cov_worlds": check.worlds,
            "cov_se": percent(check.standard_error), "cov_level": percent(check.level)}


COMBINATION_VARIANTS = {
    "default": {},
    "news fully adopted by the plans' horizon": {"horizon_years": 3.0},
    "street unbiased (b = 0)": {"street_gap": "none"},
    "flat prior on ln(1+g)": {"growth_prior_median": None},
    "faster demand growth prior (median 100%)": {"growth_prior_median": 1.0},
}
"""The capex assumption variants under which the combination chapter repeats the verdict."""


# --- forecasts and sensitivity ------------------------------------------------------------------------
def long_date(date) -> str:
    """A date as the prose writes it: ``10 February 2025``."""
    return pd.Timestamp(date).strftime("%-d %B %Y")


def forecast_values(cal: Calibration, consensus: Mapping) -> dict:
    """The forecasts, their baselines and the later consensus as the forecasts chapter quotes
    them (medians, intervals, how far the medians lie from the baselines in %)."""
    capex_fc = cal.forecasts["hyperscaler_capex_2025_usd_bn"]
    nvda_fc = cal.forecasts["nvidia_fy2026_dc_revenue_usd_bn"]
    later = float(consensus["value"])
    return {
        "as_of": long_date(cal.as_of),
        "capex_median": capex_fc.median, "capex_lo": capex_fc.interval[0], "capex_hi": capex_fc.interval[1],
        "nvda_median": nvda_fc.median, "nvda_lo": nvda_fc.interval[0], "nvda_hi": nvda_fc.interval[1],
        "capex_guidance": capex_fc.baseline, "nvda_runrate": nvda_fc.baseline,
        "nvda_runrate_date": long_date(nvda_fc.baseline_as_of), "nvda_consensus": later,
        "nvda_consensus_by": consensus["stated_by"], "nvda_consensus_date": long_date(consensus["as_of"]),
        "consensus_lag": (pd.Timestamp(consensus["as_of"]) - cal.as_of).days,
        "draws": int(capex_fc.draws.size),
        "eps_median": cal.combination.estimate.median, "eps_lo": cal.combination.estimate.interval[0],
        "eps_hi": cal.combination.estimate.interval[1],
        "capex_vs_guidance": percent(capex_fc.median / capex_fc.baseline - 1),
        "nvda_vs_runrate": percent(nvda_fc.median / nvda_fc.baseline - 1),
        "nvda_vs_consensus": percent(nvda_fc.median / later - 1),
    }


def news_sobol_values(spend: pd.DataFrame, flop: pd.DataFrame, prior_spend: pd.DataFrame,
                      elasticity) -> dict:
    """The indices of the 2030 analysis the prose quotes: ``spend``, ``flop`` and ``prior_spend``
    are :func:`~model.analysis.sensitivity.indices_of` frames (by parameter); ``elasticity`` the
    estimate whose share of draws below one the prose quotes."""
    values = {"share_below_one": float(np.mean(elasticity.draws < 1)),
              "st_hw_flop": flop.loc["hardware_doubling_years", "ST"], "st_hw_spend_bound": 1e-12}
    for key, name in (("eps", "elasticity"), ("growth", "spend_growth"), ("factor", "factor"),
                      ("coverage", "coverage")):
        values |= {f"st_{key}": spend.loc[name, "ST"], f"s1_{key}": spend.loc[name, "S1"]}
    for key, name in (("eps", "elasticity"), ("growth", "spend_growth"), ("factor", "factor")):
        values[f"prior_st_{key}"] = prior_spend.loc[name, "ST"]
    return values


def forecast_sobol_values(capex: pd.DataFrame, nvidia: pd.DataFrame, joint: str) -> dict:
    """The indices of the forecasts' analysis the prose quotes (frames by parameter; ``joint``
    is the name of the joint (elasticity, demand growth) input)."""
    return {"fc_st_joint_capex": capex.loc[joint, "ST"], "fc_st_joint_nvda": nvidia.loc[joint, "ST"],
            "fc_st_alg_capex": capex.loc["efficiency_doubling_years", "ST"],
            "fc_st_alg_nvda": nvidia.loc["efficiency_doubling_years", "ST"],
            "fc_st_factor_nvda": nvidia.loc["factor", "ST"],
            "fc_st_drift_nvda": nvidia.loc["nvidia_share_drift", "ST"],
            "fc_st_news_capex": float(capex.loc[["factor", "coverage", "diffusion_years"], "ST"].sum())}


TORNADO_KEYS = {"spend_growth": "growth", "elasticity": "eps", "coverage": "cov", "factor": "factor"}


def tornado_values(table: pd.DataFrame, keys: Mapping[str, str] = TORNADO_KEYS) -> dict:
    """The central output and, for each input in ``keys``, its low and high values and the
    output there, from a :func:`~model.analysis.sensitivity.tornado` table."""
    by_name = table.set_index("parameter")
    values = {"tornado_central": table.attrs["central"]}
    for name, key in keys.items():
        row = by_name.loc[name]
        values |= {f"tornado_{key}_low": row["output_low"], f"tornado_{key}_high": row["output_high"],
                   f"tornado_{key}_in_low": row["low"], f"tornado_{key}_in_high": row["high"]}
    return values


def fan_values(fan: pd.DataFrame) -> dict:
    """Quantiles of compute spend in 2030 and 2035, the 90% band's ratio in 2035, the median's
    yearly growth after 2025 and median FLOP demand in 2024 and 2035, from
    :func:`~model.analysis.sensitivity.fan_quantiles`."""
    spend, flop = fan.loc["compute_spend"], fan.loc["flop_demand"]
    values = {f"fan_{year}_{q[:-1]}": spend.loc[year, q] for year in (2030, 2035) for q in ("5%", "50%", "95%")}
    return values | {"fan_ratio_2035": spend.loc[2035, "95%"] / spend.loc[2035, "5%"],
                     "fan_growth": (spend.loc[2035, "50%"] / spend.loc[2025, "50%"]) ** 0.1 - 1,
                     "flop_2024": flop.loc[2024, "50%"], "flop_2035": flop.loc[2035, "50%"]}


def news_multiplier_exercise_values(parameters, quantiles: tuple[float, float]) -> dict:
    """Exercise 2: the spend multiplier 1 - phi + phi S^(eps - 1) at the median elasticity and
    coverage and the news size at its ``quantiles``, from the 2030 analysis's parameters."""
    by_name = {p.name: p for p in parameters}
    eps, phi = by_name["elasticity"].central, by_name["coverage"].central
    s_lo, s_hi = (float(v) for v in by_name["factor"].ppf(np.array(quantiles)))
    return {"eps_med": eps, "s_lo": s_lo, "s_hi": s_hi, "phi_med": phi,
            "mult_lo": float(jevons_factor(eps, s_lo, phi)), "mult_hi": float(jevons_factor(eps, s_hi, phi))}


# --- what the market priced ------------------------------------------------------------------------
def market_priced_values(cal: Calibration) -> dict:
    """The numbers the market chapter quotes: the decomposition's channels, the quantity
    channel's part of Nvidia's move, the headline estimate and P(eps > 1), the single-channel
    estimate, the news sizes, the reverse DCF and its equivalent moves."""
    d, q, v = cal.decomposition, cal.quantity, cal.valuation_check
    single = cal.market_single_channel or cal.market
    values = {"as_of": cal.as_of, "ar_ex_nvda": 100 * q.abnormal_return, "ar_spy": 100 * cal.event.abnormal_return,
              "q_obs": 100 * q.observed, "q_obs_lo": 100 * q.observed_interval[0],
              "q_obs_hi": 100 * q.observed_interval[1], "q_share": percent(q.share),
              "q_exposure": q.exposure, "p_above": q.p_above_one, "p_above_pct": percent(q.p_above_one),
              "s_news": q.news_median, "s_news_lo": cal.news.interval[0], "s_news_hi": cal.news.interval[1],
              "s_raw": cal.prior.factor_median, "placebo_days": d.placebo.days,
              "placebo_rate": percent(d.placebo.rejection_rate), "placebo_rate_f": percent(d.placebo.rejection_rate_f),
              "p_all_zero": d.p_all_zero, "condition": d.condition_number, "n_firms": len(d.firms),
              "ref_days": d.placebo.reference_days,
              "value": v.pre_event_value_usd_bn, "mcap": v.market_cap_usd_bn, "value_gap": percent(v.pricing_error),
              "dcf_growth": percent(v.spend_growth), "dcf_rate": percent(v.discount_rate),
              "duration": v.duration_years, "eq_bp": float(v.equivalents.discount_rate_bp[0]),
              "eq_pp": float(v.equivalents.growth_pp[0]),
              "eq_pp_abs": abs(float(v.equivalents.growth_pp[0])), "eq_margin": float(v.equivalents.margin_pct[0]),
              "shared_draws": cal.shared.size if cal.shared is not None else 0,
              "single_above": percent(np.mean(single.draws > 1))}
    for c in d.channels:
        values |= {f"ch_{c.name}": 100 * c.estimate, f"ch_{c.name}_lo": 100 * c.interval[0],
                   f"ch_{c.name}_hi": 100 * c.interval[1]}
    nvda = next(f for f in d.firms if f.ticker == "NVDA")
    values |= {f"nvda_{k}": 100 * x * d.channel(k).estimate for k, x in nvda.exposures.items()}
    values |= {"nvda_ar_ex_ai": 100 * nvda.ar, "nvda_fitted": 100 * nvda.fitted}
    ranges = q.ranges
    values |= {"range_lo": float(ranges["elasticity"].min()), "range_hi": float(ranges["elasticity"].max()),
               "range_p_max": float(ranges["p_above_one"].max())}
    low_news = ranges[ranges["factor"] == ranges["factor"].min()]
    values |= {"low_s": float(low_news["factor"].iloc[0]),
               "low_s_eps": float(low_news.loc[np.isclose(low_news["share"], round(q.share, 4)), "elasticity"].iloc[0])}
    return values | estimate_values("eps", cal.market.median, cal.market.interval) \
        | estimate_values("single", single.median, single.interval)
