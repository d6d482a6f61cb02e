"""The scenario schema: every key a scenario file may set, with its type, range, unit, default
and source.

This table is the single place where keys are defined. The scenario loader validates against
it, the ``jevons show`` command prints it, and the book's reference appendix is generated from
it, so documentation and code cannot drift apart.

Sources are short references; the full citations and URLs are in ``data/facts/`` and in the
book's reference appendix. "assumption" marks a value that no source pins down: change it and
watch the result move (the sensitivity chapter measures how much).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from model.constants import SEED
from model.engine import demand

# Kinds of values.
FLOAT, INT, STR, BOOL, TABLES, NAMES = "float", "int", "str", "bool", "tables", "names"

MAX_SHOCKS = 6  # each shock doubles the number of adoption classes (2**K), see model.engine.efficiency
MAX_SEGMENTS = 8


@dataclass(frozen=True)
class Field:
    """One scenario key."""

    key: str  # dotted path; items of an array of tables use "[]", e.g. "efficiency.shocks[].factor"
    kind: str
    default: Any
    unit: str
    doc: str
    source: str
    low: float | None = None
    high: float | None = None
    low_open: bool = False  # True: the bound itself is not allowed
    high_open: bool = False
    choices: tuple[str, ...] = ()
    random: bool = False  # may be given as a probability distribution
    required: bool = False

    def allowed(self) -> str:
        """Human-readable statement of the allowed values."""
        if self.choices:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.kind == BOOL:
            return "true or false"
        if self.kind == STR:
            return "a string"
        if self.kind == TABLES:
            return "an array of tables"
        if self.kind == NAMES:
            return "an array of names"
        lo = "-inf" if self.low is None else _fmt(self.low)
        hi = "inf" if self.high is None else _fmt(self.high)
        left = "(" if self.low_open or self.low is None else "["
        right = ")" if self.high_open or self.high is None else "]"
        kind = "an integer" if self.kind == INT else "a number"
        return f"{kind} in {left}{lo}, {hi}{right}"

    def in_range(self, value: float) -> bool:
        if not math.isfinite(value):
            return False
        if self.low is not None and (value < self.low or (self.low_open and value == self.low)):
            return False
        if self.high is not None and (value > self.high or (self.high_open and value == self.high)):
            return False
        return True


def _fmt(x: float) -> str:
    return f"{x:g}"


# --- Sourced constants used by several defaults -------------------------------------------------
H100_DENSE_BF16_FLOPS = 9.894e14  # H100 SXM dense BF16, Glenn Lockwood's notes (facts: gpu_h100_bf16)
GPU_HOUR_USD = 2.0  # DeepSeek-V3 paper's rental assumption per H800-hour; H100 <$2/h late 2024
UTILISATION = 0.40  # assumption: model-FLOP utilisation of rented accelerators
# Demirer, Fradkin, Tadelis and Peng (NBER w34608, Dec 2025; facts: openrouter_elasticity): the one
# published price elasticity of LLM demand, 1.11 in the short run. Published after the event, so
# the as-of fits never read it; as a default it is the evidence a reader starts from.
LLM_ELASTICITY = 1.1
WORLD_GDP_2024_USD_BN = 110_060.0  # IMF WEO October 2024 (facts: world_gdp_2024_usd_bn)
# IMF WEO October 2024 real world growth 3.2% (facts: world_real_growth_2025_pct) plus about 2%
# dollar inflation (assumption: the Federal Reserve's target): nominal growth of about 5% a year.
WORLD_GDP_GROWTH = 0.05
# Nvidia FY2025 Q3 operating income / revenue = 21.869 / 35.082 (facts:
# nvda_operating_income_fy2025_q3, nvda_revenue_fy2025_q3), the last quarter before the event.
NVIDIA_OPERATING_MARGIN = 0.62


FIELDS: tuple[Field, ...] = (
    # --- identity ---------------------------------------------------------------------------
    Field("name", STR, None, "", "Scenario name (defaults to the file name).", "-"),
    Field("description", STR, "", "", "One-line description shown by `jevons list`.", "-"),
    Field("extends", STR, None, "", "Name or path of a scenario whose values this one starts from.", "-"),
    Field("type", STR, "standard", "",
          "Scenario type: 'standard' (trend and dated shocks), 'ecp' (a cumulative gain ramped over "
          "a period, see [ecp]) or 'fft' (a change of the cost exponent with users choosing problem "
          "size, see [fft]).", "-", choices=("standard", "ecp", "fft")),
    # --- time -------------------------------------------------------------------------------
    Field("time.start", INT, 2024, "year", "Base year t0: prices are normalised to 1 and spend to "
          "base.spend_usd_bn in this year.", "the last full year before the event: its capex is the base spend", low=1990, high=2100),
    Field("time.end", INT, 2035, "year", "Last year simulated (inclusive).",
          "the book's horizon", low=1990, high=2200),
    # --- base year --------------------------------------------------------------------------
    Field("base.spend_usd_bn", FLOAT, 223.0, "USD bn",
          "AI compute spend in the base year; demand is normalised so the no-shock path passes "
          "through it.",
          "Big-4 (MSFT, META, GOOGL, AMZN) 2024 capex ~223 USD bn, Yahoo Finance 2025-02-08",
          low=0, low_open=True, high=1e5, random=True),
    # --- hardware ---------------------------------------------------------------------------
    Field("hardware.doubling_years", FLOAT, 2.46, "years",
          "Doubling time of FLOP/s per dollar (Moore's-law price curve): cost per FLOP halves "
          "every this many years.",
          "Epoch AI 2022, all GPUs 2006-2021: 2.46 yr (95% CI 2.24-2.72; facts: "
          "epoch_gpu_price_perf_doubling_years_all)",
          low=0.1, high=100, random=True),
    Field("hardware.gpu_hour_usd", FLOAT, GPU_HOUR_USD, "USD per GPU-hour",
          "Rental price of one accelerator-hour in the base year (sets FLOP units only).",
          "DeepSeek-V3 paper's assumed rental price, 2 USD per H800-hour (Dec 2024)",
          low=0, low_open=True, high=1e3, random=True),
    Field("hardware.peak_flops", FLOAT, H100_DENSE_BF16_FLOPS, "FLOP/s",
          "Peak dense throughput of the reference accelerator.",
          "H100 SXM dense BF16 989.4 TFLOPS (Glenn Lockwood's notes)",
          low=0, low_open=True, high=1e18),
    Field("hardware.utilisation", FLOAT, UTILISATION, "share",
          "Share of peak FLOP/s turned into useful model FLOP.", "assumption: model-FLOP utilisation of large training runs is typically 30-50%; it sets FLOP units only, not spend",
          low=0, low_open=True, high=1, random=True),
    # --- algorithmic efficiency -------------------------------------------------------------
    Field("efficiency.doubling_years", FLOAT, 0.67, "years",
          "Trend doubling time of useful work per FLOP (algorithmic progress).",
          "Ho et al. 2024: compute for fixed LLM performance halves every ~8 months (95% CI 5-14)",
          low=0.05, high=100, random=True),
    Field("efficiency.shocks", TABLES, (), "", f"Dated efficiency shocks (at most {MAX_SHOCKS}).", "-"),
    Field("efficiency.shocks[].year", FLOAT, None, "year",
          "Date of the shock (fractional years allowed; 2025.07 is 27 January 2025). A calendar "
          "year's flows see the adoption reached at mid-year.", "-", low=1990, high=2200, required=True),
    Field("efficiency.shocks[].factor", FLOAT, None, "x",
          "Useful work per FLOP multiplies by this factor once adopted.", "-",
          low=0, low_open=True, high=1e9, random=True, required=True),
    Field("efficiency.shocks[].coverage", FLOAT, 1.0, "share",
          "Share of demand that the shock applies to (the rest keeps the trend).", "assumption: a shock reaches all demand unless a scenario says otherwise",
          low=0, high=1, random=True),
    Field("efficiency.shocks[].diffusion_years", FLOAT, 0.0, "years",
          "Years from the shock to half adoption; adoption is complete after twice this "
          "(0 = instant).", "assumption: instant unless a scenario says otherwise", low=0, high=50, random=True),
    Field("efficiency.shocks[].shape", STR, "logistic", "",
          "How the gain spreads: 'logistic' (a share of the covered demand adopts the full factor, "
          "following an S-curve truncated to reach exactly 0 and 1) or 'ramp' (all covered demand "
          "gains the factor gradually, log-linearly in time).", "-", choices=("logistic", "ramp")),
    Field("efficiency.shocks[].label", STR, "", "", "Free text shown in tables.", "-"),
    Field("efficiency.shocks[].segments", NAMES, (), "",
          "Names of the demand segments the shock applies to (default: all). A training gain and "
          "an inference price cut can go to different segments.", "-"),
    # --- ECP analogy ------------------------------------------------------------------------
    Field("ecp.gain", FLOAT, 60.0, "x",
          "Cumulative algorithmic gain over the period, over and above hardware.",
          "the '60X' figure for the Exascale Computing Project quoted in commentary on DeepSeek "
          "(unverified; the verified ECP "
          "KPP-1 target is a 50x application figure of merit)", low=1, high=1e9, random=True),
    Field("ecp.start", FLOAT, 2025.0, "year", "First year of the programme.", "assumption: the analogy asks what a programme starting now would do",
          low=1990, high=2200),
    Field("ecp.years", FLOAT, 7.0, "years", "Length of the programme (the ECP ran about 7 years).",
          "Exascale Computing Project, 2016-2023", low=0, low_open=True, high=100),
    Field("ecp.coverage", FLOAT, 1.0, "share", "Share of demand the gain applies to.",
          "assumption: the gain reaches all demand, as the quoted '60X' figure implies", low=0, high=1, random=True),
    Field("ecp.mode", STR, "replace", "",
          "'replace': the programme's gain *is* the algorithmic progress of its years, so the "
          "trend of useful work per FLOP pauses during the programme and useful work per FLOP grows "
          "by exactly ecp.gain over it; 'add': the gain is stacked on the trend (double counting, "
          "kept for comparison).", "the quoted '60X over and above hardware' is an algorithmic "
          "gain, the same thing the trend measures", choices=("replace", "add")),
    # --- FFT analogy ------------------------------------------------------------------------
    Field("fft.year", FLOAT, 2025.0, "year", "When the fast algorithm appears.", "assumption: the fast algorithm appears the year after the base year",
          low=1990, high=2200),
    Field("fft.diffusion_years", FLOAT, 0.0, "years", "Years to half adoption (0 = instant).",
          "assumption: instant adoption, the analogy's extreme case", low=0, high=50),
    Field("fft.coverage", FLOAT, 1.0, "share", "Share of demand whose cost exponent changes.",
          "assumption: all demand's cost exponent changes, the analogy's extreme case", low=0, high=1, random=True),
    Field("fft.kappa_old", FLOAT, 2.0, "", "Cost exponent before: a problem of size n costs n^kappa.",
          "direct DFT, n^2 operations", low=0, low_open=True, high=10),
    Field("fft.kappa_new", FLOAT, 1.0, "", "Cost exponent after (times log2(n)^log_power_new).",
          "FFT, n log2 n operations (Cooley-Tukey 1965)", low=0, low_open=True, high=10),
    Field("fft.log_power_new", FLOAT, 1.0, "", "Power of log2(n) in the new cost.",
          "FFT, n log2 n", low=0, high=5),
    Field("fft.beta", FLOAT, 0.5, "",
          "Value exponent: a result of size n is worth A n^beta; must be below both cost exponents.",
          "assumption: value grows with the square root of problem size (below both cost exponents, so the chosen size is finite)", low=0, low_open=True, high=10, random=True),
    Field("fft.n0_log2", FLOAT, 10.0, "log2(n)",
          "Problem size chosen in the base year with the old algorithm (log2).", "assumption: a base-year problem of 1,024 points, a textbook DFT size",
          low=1, high=200),
    Field("fft.n_max_log2", FLOAT, 40.0, "log2(n)",
          "Largest feasible problem size (log2): memory, data or physics caps.", "assumption: about 10^12 points, the order of the largest FFTs run on supercomputers",
          low=1, high=200),
    # --- demand -----------------------------------------------------------------------------
    Field("demand.form", STR, "budget-share", "",
          "Demand for useful work: 'budget-share' (compute's CES share of a budget, see [budget]: "
          "the elasticity falls from demand.substitution towards demand.final_elasticity as the "
          "share rises, and spend never exceeds the budget); 'isoelastic' U = D p^-eps (unbounded; "
          "for the identities); 'saturating' U = D/(1+(p/p_sat)^eps); 'segments' (training, "
          "inference... each with its own curve and parameters).",
          "budget share: Hicks-Marshall derived demand; Saunders (1992, 2000) on backfire",
          choices=demand.FORMS),
    Field("demand.elasticity", FLOAT, LLM_ELASTICITY, "",
          "'isoelastic': the price elasticity of demand for useful work; 'saturating': its upper "
          "bound, reached at high prices. Not used by 'budget-share' (see demand.substitution).",
          "Demirer et al. 2025 (NBER w34608): 1.11 for LLM tokens (facts: openrouter_elasticity)",
          low=0, high=10, random=True),
    Field("demand.substitution", FLOAT, LLM_ELASTICITY, "",
          "'budget-share': elasticity of substitution sigma between compute and the other inputs "
          "of the budget; the price elasticity while compute's share is small. Backfire needs "
          "sigma > 1.",
          "Demirer et al. 2025 (NBER w34608): 1.11 for LLM tokens, where the share is small "
          "(facts: openrouter_elasticity)", low=0, low_open=True, high=10, random=True),
    Field("demand.final_elasticity", FLOAT, 1.0, "",
          "'budget-share': price elasticity eta of demand for what the budget buys; the price "
          "elasticity of compute tends to it as compute's share rises. 1 = the budget does not "
          "respond to its price index.",
          "assumption: unit elasticity at the top (nominal spending out of GDP is stable when "
          "its prices fall)", low=0, low_open=True, high=3, random=True),
    Field("demand.growth", FLOAT, 0.0, "per year",
          "Growth of demand for compute at a constant price (adoption, new uses); with "
          "'budget-share' the growth while compute's share is small.",
          "assumption (estimated jointly with the elasticity by `jevons calibrate`)",
          low=-0.9, high=10, random=True),
    Field("demand.long_run_growth", FLOAT, None, "per year",
          "Demand growth at a constant price that demand.growth fades towards: the yearly log "
          "growth moves from ln(1 + demand.growth) to ln(1 + this), the gap halving every "
          "demand.growth_half_life years. Unset = demand.growth holds in every year.",
          "assumption: the plans identify demand growth for the next year only; the long run is "
          "not identified by them (the fitted scenario draws it from the pre-boom capex trend, "
          "model.calibration.longrun)", low=-0.9, high=10, random=True),
    Field("demand.growth_half_life", FLOAT, 2.0, "years",
          "Years for the gap between demand growth and demand.long_run_growth to halve (in log "
          "growth); used only when demand.long_run_growth is set.",
          "assumption: a boom's excess growth halves in about two years (the fitted scenario "
          "draws it from 1 to 4 years)", low=0, low_open=True, high=1e3, random=True),
    Field("demand.growth_fade_start", FLOAT, None, "year",
          "Year from which demand growth fades towards demand.long_run_growth; until then it is "
          "demand.growth. Unset = time.start (a year before time.start also starts the fade at "
          "time.start).",
          "the fitted scenario sets it to the last year of the capex plans the fit reads (the "
          "years whose growth the plans identify)", low=1990, high=2200),
    Field("demand.saturation_price", FLOAT, 0.01, "x base-year price",
          "'saturating': price p_sat (relative to the base-year price) below which demand stops "
          "responding much.", "assumption: demand stops responding much once useful work costs 1% of its 2024 price (about four years of the trends)", low=0, low_open=True, high=1e6, random=True),
    Field("demand.persistence", FLOAT, 0.0, "",
          "Weight lambda of last year's deviation of quantities from the no-news path (any form): "
          "a shock's first-year response is (1 - lambda) times its long-run response in logs; with "
          "no news nothing changes. 0 = no lag.", "assumption: no lag unless a scenario sets one",
          low=0, high=1, high_open=True, random=True),
    Field("demand.segments", TABLES, (), "", f"'segments': the parts of demand (at most {MAX_SEGMENTS}).", "-"),
    Field("demand.segments[].name", STR, None, "", "Segment name (unique).", "-", required=True),
    Field("demand.segments[].share", FLOAT, None, "share",
          "Share of base-year spend (and, for 'budget-share', of the budget); shares must sum to 1.",
          "-", low=0, low_open=True, high=1, required=True),
    Field("demand.segments[].form", STR, "budget-share", "",
          "The segment's demand curve: " + " or ".join(repr(c) for c in demand.CURVES) + ".", "-",
          choices=tuple(demand.CURVES)),
    Field("demand.segments[].elasticity", FLOAT, None, "",
          "Elasticity of this segment ('isoelastic', 'saturating'; default demand.elasticity).", "-",
          low=0, high=10, random=True),
    Field("demand.segments[].substitution", FLOAT, None, "",
          "Substitution elasticity of this segment ('budget-share'; default demand.substitution).",
          "-", low=0, low_open=True, high=10, random=True),
    Field("demand.segments[].final_elasticity", FLOAT, None, "",
          "Final-demand elasticity of this segment ('budget-share'; default "
          "demand.final_elasticity).", "-", low=0, low_open=True, high=3, random=True),
    Field("demand.segments[].efficiency_doubling_years", FLOAT, None, "years",
          "Algorithmic doubling time of this segment (default efficiency.doubling_years).", "-",
          low=0.05, high=100, random=True),
    Field("demand.segments[].growth", FLOAT, None, "per year",
          "Demand growth of this segment (default demand.growth).", "-", low=-0.9, high=10, random=True),
    Field("demand.segments[].long_run_growth", FLOAT, None, "per year",
          "Long-run demand growth of this segment (default demand.long_run_growth).", "-",
          low=-0.9, high=10, random=True),
    Field("demand.segments[].growth_half_life", FLOAT, None, "years",
          "Half-life of this segment's excess demand growth (default demand.growth_half_life).",
          "-", low=0, low_open=True, high=1e3, random=True),
    Field("demand.segments[].growth_fade_start", FLOAT, None, "year",
          "Year this segment's demand growth starts to fade (default demand.growth_fade_start).",
          "-", low=1990, high=2200),
    Field("demand.segments[].saturation_price", FLOAT, None, "x base-year price",
          "Saturation price if form = 'saturating' (default demand.saturation_price).", "-",
          low=0, low_open=True, high=1e6, random=True),
    # --- budget -----------------------------------------------------------------------------
    Field("budget.usd_bn", FLOAT, WORLD_GDP_2024_USD_BN, "USD bn",
          "'budget-share': the budget in the base year that compute takes a share of; must exceed "
          "base.spend_usd_bn.",
          "world GDP 2024, IMF World Economic Outlook October 2024 (facts: world_gdp_2024_usd_bn)",
          low=0, low_open=True, high=1e7, random=True),
    Field("budget.growth", FLOAT, WORLD_GDP_GROWTH, "per year",
          "'budget-share': growth of the budget per year, in current dollars (nominal, as spend is) with the budget's price index held fixed.",
          "IMF WEO October 2024 real growth 3.2% (facts: world_real_growth_2025_pct) plus about 2% "
          "inflation (assumption)", low=-0.5, high=1, random=True),
    # --- supply -----------------------------------------------------------------------------
    Field("supply.form", STR, "elastic", "",
          "'elastic': FLOP are supplied at the trend cost, whatever the quantity; 'upward-sloping': "
          "the cost of a FLOP rises with the FLOP bought relative to trend capacity (the FLOP the "
          "no-news path would buy), c = c_bar (F / F_bar)^(1 / supply.elasticity); the markup is a "
          "rent (scarcity_markup, scarcity_rent).", "-", choices=("elastic", "upward-sloping")),
    Field("supply.elasticity", FLOAT, 1.0, "",
          "'upward-sloping': price elasticity of FLOP supply eta_s (infinite = 'elastic').",
          "assumption: packaging (CoWoS), HBM and power take one to two years to expand, so a "
          "10% rise in FLOP bought above plan raises their price about 10%",
          low=0, low_open=True, high=1e3, random=True),
    Field("supply.expansion", FLOAT, 0.0, "",
          "'upward-sloping': each year capacity grows by this times last year's log markup "
          "(0 = capacity never responds; 1 = one year's markup is built away the next year).",
          "assumption: capacity does not respond to markups unless a scenario says so", low=0, high=1, random=True),
    # --- value capture ----------------------------------------------------------------------
    Field("value_capture.accelerator_fraction", FLOAT, 0.6, "share",
          "Share of compute spend that buys accelerators (the rest: buildings, power, network).",
          "assumption: accelerators are about 60% of AI data-centre capex (the rest buildings, power, networking); with nvidia_share it reproduces Nvidia's data-center revenue", low=0, high=1, random=True),
    Field("value_capture.nvidia_share", FLOAT, 0.8, "share",
          "Nvidia's share of accelerator spend in the base year.",
          "assumption: with the defaults above, base-year Nvidia data-center revenue is "
          "223 x 0.6 x 0.8 = 107 USD bn, close to FY2025 Q1-Q3 data-center revenue annualised "
          "(22.6 + 26.3 + 30.8) x 4/3 = 106 USD bn (NVIDIA releases)",
          low=0, high=1, random=True),
    Field("value_capture.substitution", FLOAT, 2.0, "",
          "Elasticity of substitution sigma_a between Nvidia's accelerators and the alternatives "
          "(custom silicon: TPU, Trainium, MTIA, Maia; other GPUs) in their price per unit of "
          "performance: Nvidia's spend share has odds proportional to its relative price^(1 - sigma_a).",
          "assumption: close but imperfect substitutes (software lock-in to CUDA)",
          low=0, low_open=True, high=20, random=True),
    Field("value_capture.substitute_gain", FLOAT, 0.0, "per year",
          "Yearly gain of the alternatives' performance per dollar relative to Nvidia's at a "
          "constant margin (cheaper custom silicon moves spend away from Nvidia when sigma_a > 1).",
          "assumption: no relative gain", low=-0.5, high=1, random=True),
    Field("value_capture.nvidia_margin", FLOAT, NVIDIA_OPERATING_MARGIN, "share",
          "Nvidia's operating margin on data-center revenue in the base year; its price is cost / "
          "(1 - margin), so a margin squeeze lowers its relative price.",
          "NVIDIA FY2025 Q3 operating income / revenue, 21.869 / 35.082 (facts: "
          "nvda_operating_income_fy2025_q3)", low=0, high=0.95, random=True),
    Field("value_capture.margin_drift", FLOAT, 0.0, "per year",
          "Change of Nvidia's margin per year (kept within [0, 0.95]).", "assumption: a constant margin unless news says otherwise",
          low=-0.2, high=0.2, random=True),
    Field("value_capture.nvidia_share_drift", FLOAT, 0.0, "per year",
          "A linear drift added to Nvidia's CES share per year (kept within [0, 1]); the price-based "
          "channel is value_capture.substitute_gain.", "assumption: no drift beyond the price channel (value_capture.substitute_gain)", low=-0.5, high=0.5, random=True),
    # --- Monte Carlo ------------------------------------------------------------------------
    Field("montecarlo.draws", INT, 1, "", "Number of draws when the scenario has distributions "
          "(overridden by --draws).", "-", low=1, high=10**8),
    Field("montecarlo.seed", INT, SEED, "", "Seed of the random generator (overridden by --seed).",
          "-", low=0, high=2**63 - 1),
)

BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}

# Distributions a random parameter may take, with their required keys.
DISTRIBUTIONS: dict[str, tuple[str, ...]] = {
    "normal": ("mean", "sd"),
    "lognormal": ("median", "sigma"),
    "uniform": ("low", "high"),
    "triangular": ("low", "mode", "high"),
}


def sections() -> list[str]:
    """Top-level table names, in schema order."""
    out: list[str] = []
    for f in FIELDS:
        head = f.key.split(".")[0]
        if "." in f.key and head not in out:
            out.append(head)
    return out


def children(prefix: str) -> dict[str, Field]:
    """Fields directly under ``prefix`` ('' for the top level), keyed by their last name."""
    out: dict[str, Field] = {}
    depth = 0 if not prefix else prefix.count(".") + 1
    for f in FIELDS:
        parts = f.key.split(".")
        if len(parts) == depth + 1 and (not prefix or f.key.startswith(prefix + ".")):
            out[parts[-1]] = f
    return out


def defaults_for(prefix: str) -> dict[str, Any]:
    """Defaults of the plain keys directly under ``prefix`` (skips required keys and tables)."""
    return {
        name: f.default
        for name, f in children(prefix).items()
        if f.kind != TABLES and f.default is not None
    }


# Units of the output variables (the ``unit`` column of results.csv).
OUTPUT_UNITS: dict[str, str] = {
    "compute_spend": "USD bn",
    "flop_demand": "FLOP per year",
    "price_per_useful_work": "index (base year = 1)",
    "useful_work": "index (base year = 1)",
    "cost_per_flop": "USD per FLOP",
    "useful_work_per_flop": "index (base year = 1)",
    "nvidia_dc_revenue": "USD bn",
    "nvidia_share": "share",
    "nvidia_margin": "share",
    "budget": "USD bn",
    "compute_share_of_budget": "share",
    "scarcity_markup": "x",
    "scarcity_rent": "USD bn",
    "problem_size_log2": "log2(n)",
}

# Keys that were removed, with what to write instead (the loader's error names them).
REMOVED_KEYS: dict[str, str] = {
    "supply.capped": "the vertical FLOP cap was replaced by supply.form = 'upward-sloping' with "
                     "supply.elasticity (the price of a FLOP rises with quantity above trend capacity)",
    "supply.capacity_growth": "trend capacity is now the FLOP the no-news path buys; use "
                              "supply.form = 'upward-sloping', supply.elasticity and supply.expansion",
    "supply.headroom": "trend capacity is now the FLOP the no-news path buys; use "
                       "supply.form = 'upward-sloping', supply.elasticity and supply.expansion",
}


def output_unit(variable: str) -> str:
    """Unit of an output variable; ``compute_spend|<segment>`` has the unit of compute_spend."""
    return OUTPUT_UNITS[variable.split("|", 1)[0]]
