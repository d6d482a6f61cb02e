"""Numbers for the prose of the chapter "27 January 2025: what the market said", read from the
event-study results the package made. Nothing is estimated here beyond selecting, scaling to
percent and the benchmark arithmetic of :mod:`model.event_study.benchmark`; the chapter glues
the dictionaries with :func:`model.output.book.glue_values`."""

from __future__ import annotations

from collections.abc import Mapping

from model.event_study.basket import bmp_critical_value, kolari_pynnonen_critical_correlation
from model.event_study.benchmark import abnormal_return_without, benchmark_without, contribution
from model.event_study.recovery import EventCloses
from model.event_study.result import BasketResult, EventStudyResult
from model.output.market_tables import interval_values, p_text


def day0_values(base: EventStudyResult, closes: EventCloses, benchmark_return: float,
                estimation: int, as_of: str, as_of_day: int) -> dict[str, object]:
    """Nvidia's day-0 study: closes, return, abnormal return and its interval, the market model's
    parameters, the estimation window, the three tests, the benchmark's day-0 return (all
    percentages times 100) and the as-of date with its event day."""
    d0, est, tests = base.abnormal_returns[0], base.estimation, base.tests
    return {
        "close_before": closes.close_before, "close_before_date": closes.date_before,
        "close_day0": closes.close_day0, "raw0": 100 * closes.raw_return, "ret0": 100 * d0.ret,
        **interval_values("ar0", d0.ar, d0.interval, 100), "exp0": 100 * d0.expected,
        **interval_values("beta", est.beta, est.params[1].interval),
        **interval_values("alpha_bp", est.alpha, est.params[0].interval, 1e4),
        **interval_values("sigma", est.sigma, est.sigma_interval, 100), "r2": est.r_squared,
        "est_start": est.start, "est_end": est.end, "L": estimation, "G": base.gap,
        "t0": tests.t.stat, "t0_p": p_text(tests.t.p),
        "sq_n": tests.sq.n_sums, "sq_p0": p_text(tests.sq.p, tests.sq.n_sums),
        "perm_n": tests.permutation.n_permutations, "perm_p0": p_text(tests.permutation.p),
        "perm_p0_lower": p_text(tests.permutation.p_lower),
        "sq_ci_lo": 100 * tests.sq.interval[0], "sq_ci_hi": 100 * tests.sq.interval[1],
        "spy0": 100 * benchmark_return, "as_of": as_of, "as_of_day": as_of_day,
    }


def benchmark_values(firm_return: float, market_return: float, weight: float,
                     est: object, weight_source: str) -> dict[str, float | str]:
    """How much of the benchmark's day-0 fall was the firm's own: its index weight (percent), its
    contribution in points and as a share of the benchmark's return, the benchmark without it and
    the abnormal return against that, with the same alpha and beta (``est``)."""
    part = contribution(firm_return, weight)
    return {
        "weight": 100 * weight, "weight_source": weight_source, "contrib": 100 * part,
        "contrib_share": 100 * part / market_return,
        "spy_ex": 100 * benchmark_without(market_return, firm_return, weight),
        "ar0_ex": 100 * abnormal_return_without(firm_return, market_return, weight,
                                                est.alpha, est.beta),
    }


def exercise_values(wrds: EventStudyResult, qqq: EventStudyResult, qqq_return: float,
                    n_sums: int, sellers: BasketResult) -> dict[str, object]:
    """The exercises' answers: the WRDS-convention study (``x1_``), the QQQ benchmark (``x2_``),
    the SQ test's resolution with ``n_sums`` sums (``x3_``) and the residual correlation at which
    the sellers' Kolari-Pynnonen BMP test stops rejecting at 5% (``x4_``)."""
    n = len(sellers.tickers)
    r_star = kolari_pynnonen_critical_correlation(sellers.tests["bmp"].stat, n)
    verdict = ("is below that, so the sellers' fall stays significant at 5%"
               if sellers.residual_correlation < r_star
               else "is above that, so the sellers' fall is not significant at 5% after the correction")
    return {
        "x1_ar": 100 * wrds.car, "x1_t": wrds.tests.t.stat, "x1_beta": wrds.estimation.beta,
        "x2_beta": qqq.estimation.beta, "x2_ar": 100 * qqq.car, "x2_r2": qqq.estimation.r_squared,
        "x2_qqq0": 100 * qqq_return, "x3_min": 1 / n_sums, "x3_min_two": 2 / n_sums,
        "x4_r": r_star, "x4_tcrit": bmp_critical_value(n), "x4_verdict": verdict,
    }


def model_values(by_model: Mapping[str, EventStudyResult]) -> dict[str, float]:
    """The day-0 abnormal return (percent) under each normal-return model, keyed ``ar0_<model>``."""
    return {f"ar0_{model.replace('-', '_')}": 100 * r.car for model, r in by_model.items()}



def tails_values(tails: object, day0_ar: float, sigma: float) -> dict[str, object]:
    """The residuals' tail statistics (:func:`model.event_study.tails.tail_statistics`) and the
    day-0 abnormal return in residual standard deviations."""
    return {"kurt": tails.excess_kurtosis, "min_resid": 100 * tails.minimum,
            "n_beyond3": tails.n_beyond, "normal_beyond3": tails.normal_beyond,
            "jb_p": p_text(tails.jarque_bera_p), "ar0_sd": day0_ar / sigma}
