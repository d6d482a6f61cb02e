"""Which facts play which role in the capex-implied fit: for each hyperscaler, the ids of its
2025 plan, its base-year capex and the street's expectation before the plan."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PlanSpec:
    """Where one hyperscaler's plan, base-year capex and street expectation live in the facts.

    ``plan`` is one id (a point) or two (``_low``, ``_high``: a range). ``plan_rounding`` is the
    rounding unit (USD bn) of a point plan stated as "about X" (0 for an exact or derived figure).
    ``base`` is one id, or (total, minus ids...) for a base derived as a total minus the other
    firms. ``base_rounding`` is the base figure's rounding unit, ``base_basis_sd`` an extra log
    standard deviation for a base whose definition is uncertain. ``street`` is the id of the
    street's expectation published just before the plan (None if the tables have none).
    """

    firm: str
    period: str
    plan: tuple[str, ...]
    base: tuple[str, ...]
    plan_rounding: float = 0.0
    base_rounding: float = 0.0
    base_basis_sd: float = 0.0
    street: str | None = None
    vintages: tuple[tuple[str, ...], ...] = ()
    actual: str | None = None
    actual_rounding: float = 0.0
    years_after: int = 0
    year: int = 2025


PLANS: tuple[PlanSpec, ...] = (
    PlanSpec(
        firm="Microsoft", period="fiscal year Jul 2024-Jun 2025",
        plan=("capex_guidance_fy2025_microsoft",), plan_rounding=5.0,
        # Microsoft's fiscal-2024 capex is not in the facts tables (and its calendar Q2 is missing
        # from the SEC XBRL file): derived as Yahoo's four-firm 2024 total minus the other three
        # firms on the same basis. Yahoo's total counts Microsoft's 80 as its 2025 figure, so the
        # derived base is Microsoft's preceding year on Yahoo's basis; FY vs calendar year and the
        # treatment of finance leases are uncertain: a 5% basis error (log sd 0.05).
        base=("capex_2024_big4_yahoo", "capex_2024_meta", "capex_2024_alphabet", "capex_2024_amazon"),
        base_rounding=1.0, base_basis_sd=0.05,
        actual="capex_fy2025_microsoft_incl_leases", actual_rounding=0.1,
    ),
    PlanSpec(
        firm="Meta", period="calendar 2025",
        plan=("capex_guidance_2025_meta_low", "capex_guidance_2025_meta_high"),
        base=("capex_2024_meta",), base_rounding=0.01,
        street="capex_consensus_2025_meta_before_guidance",
        vintages=(("capex_guidance_2025_meta_2025_04_30_low", "capex_guidance_2025_meta_2025_04_30_high"),
                  ("capex_guidance_2025_meta_2025_07_30_low", "capex_guidance_2025_meta_2025_07_30_high"),
                  ("capex_guidance_2025_meta_2025_10_29_low", "capex_guidance_2025_meta_2025_10_29_high")),
        actual="capex_2025_meta", actual_rounding=0.01,
    ),
    PlanSpec(
        firm="Alphabet", period="calendar 2025",
        plan=("capex_guidance_2025_alphabet",), plan_rounding=5.0,
        base=("capex_2024_alphabet",), base_rounding=0.1,
        street="capex_consensus_2025_alphabet_visible_alpha",
        vintages=(("capex_guidance_2025_alphabet_2025_04_24",), ("capex_guidance_2025_alphabet_2025_07_23",),
                  ("capex_guidance_2025_alphabet_2025_10_29_low", "capex_guidance_2025_alphabet_2025_10_29_high")),
        actual="capex_2025_alphabet", actual_rounding=0.1,
    ),
    PlanSpec(
        firm="Amazon", period="calendar 2025",
        # the used row is the Q4 run-rate x 4 (net cash capex); its variant (the press's ~100)
        # gives the measurement range
        plan=("capex_guidance_2025_amazon",),
        base=("capex_2024_amazon",), base_rounding=1.0,
        vintages=(("capex_guidance_2025_amazon_2025_07_31",), ("capex_guidance_2025_amazon_2025_10_30",)),
        # AP's rounded 125, the basis of the guidance (the gross figure is 131.8: another basis)
        actual="capex_2025_amazon", actual_rounding=1.0,
    ),
)

NEXT_PLANS: tuple[PlanSpec, ...] = (
    # The 2026 plans, stated with the 2025 results, over the 2025 actuals on the same basis.
    # Microsoft states no fiscal-2026 figure in the facts (only the street's), so it has none.
    PlanSpec(firm="Meta (2026 plan)", period="calendar 2026",
             plan=("capex_guidance_2026_meta_low", "capex_guidance_2026_meta_high"),
             base=("capex_2025_meta",), base_rounding=0.01, years_after=1, year=2026),
    PlanSpec(firm="Alphabet (2026 plan)", period="calendar 2026",
             plan=("capex_guidance_2026_alphabet_low", "capex_guidance_2026_alphabet_high"),
             base=("capex_2025_alphabet",), base_rounding=0.1, years_after=1, year=2026),
    PlanSpec(firm="Amazon (2026 plan)", period="calendar 2026", plan=("capex_guidance_2026_amazon",),
             plan_rounding=5.0, base=("capex_2025_amazon",), base_rounding=1.0, years_after=1, year=2026),
)
"""Plans for the second year after the news, used from the date they are stated. Their street
figures are not used as revisions: a year after the news the street knew it, so the ratio holds
no DeepSeek term."""

ALL_PLANS: tuple[PlanSpec, ...] = PLANS + NEXT_PLANS



EXTRA_FACT_ROLES: dict[str, str] = {
    "capex_guidance_2025_amazon_press": "Amazon: range of the plan (variant)",
    "capex_consensus_2025_alphabet_other": "Alphabet: range of the street figure (variant)",
    "algo_progress_halving_months": "ln P: algorithmic doubling time (with its 95% interval)",
    "llama31_405b_to_deepseek_v3_gpu_hours_ratio": "news size S: lower anchor",
    "o1_to_r1_price_ratio_input": "news size S: upper anchor",
}
"""Facts the fit reads besides the plans' own rows: variants that widen a range, and the trend
and news priors (:func:`model.calibration.inputs.market_prior`)."""


def fact_roles(plans: tuple[PlanSpec, ...] = PLANS,
               extra: dict[str, str] = EXTRA_FACT_ROLES) -> dict[str, str]:
    """Every facts id the capex-implied fit reads, with the role it plays, in reading order:
    each firm's plan, base-year capex and street expectation, then the totals a derived base
    is computed from, then ``extra``."""
    roles: dict[str, str] = {}
    for spec in plans:
        for fid in spec.plan:
            roles[fid] = f"{spec.firm}: {spec.year} plan"
        for vintage in spec.vintages:
            for fid in vintage:
                roles[fid] = f"{spec.firm}: {spec.year} plan, later vintage"
        if spec.actual:
            roles[spec.actual] = f"{spec.firm}: {spec.year} actual"
        if len(spec.base) == 1:
            roles[spec.base[0]] = f"{spec.firm}: base-year capex"
        if spec.street:
            roles[spec.street] = f"{spec.firm}: street expectation before the plan"
    for spec in plans:
        if len(spec.base) > 1:  # a total minus the other firms (their rows are listed above)
            roles[spec.base[0]] = f"{spec.firm}: base-year capex, derived as this total minus the other firms"
    return roles | extra
