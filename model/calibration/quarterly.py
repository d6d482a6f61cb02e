"""Quarterly forecasts as of any date: Nvidia's next fiscal quarter of data-center revenue, the
four hyperscalers' next calendar quarter of capex and the calendar year containing it.

Every forecast is grown from an exit run-rate, the last quarter reported by the as-of date ``D``,
by a quarterly log growth of

    g / 4,  g = g_engine + drift + usage + supply   (annual log growth)

* ``g_engine``: the fitted engine's growth of compute spend (capex) or of Nvidia's data-center
  revenue for the calendar year of the target quarter, one value per posterior draw of the fit
  as of ``D`` (elasticity, demand growth, trends, the DeepSeek news);
* ``drift``: how far final capex ended above the first plan, log(outcome / first plan), from the
  plan vintages whose outcome is known at ``D`` (the company's own where it has one, else the
  mean over every known vintage; 0 when none is known). The engine's demand growth is fitted to
  the plans, so plans that drift up understate growth by this much;
* ``usage``: the token volumes (:mod:`model.calibration.usage`) give a second reading of spend
  growth, tokens times the price per token, ``(eps - 1)(d - r) + s`` for each elasticity draw
  (``d`` the price fall per token, ``r`` reasoning-token intensity, ``s`` the demand shift, their
  posteriors given the series). It is pooled with the engine's growth by precision and reported
  as two terms: the intensity term ``(1 - eps) r`` (more tokens per task, not a price fall) and
  the demand shift with the price term. With wide priors the reading is imprecise, so its weight
  is small;
* ``supply``: the cloud backlogs (contracted demand the capacity has yet to serve) give a third
  reading, their annual log growth, pooled the same way once two readings are known (their
  disagreement measures their precision). The capacity statements in ``statements.csv`` (e.g.
  Alphabet's CFO on 4 February 2025: more demand than capacity) are listed in the notes; they
  carry no number and move nothing.

Intervals (central 95%) come from the draws of ``g`` plus, each quarter ahead, a normal shock
with the historical scatter of quarterly log growth (a median absolute deviation, robust to the
one-off jumps of 2023): Nvidia's own data-center quarters, and for capex the pooled quarters of
the hyperscaler series known at ``D`` (with the SEC XBRL file's Alphabet and Amazon history).

Each result carries the naive baselines a user would reach for (the latest guidance or plan, the
run-rate, last quarter's growth compounded), a table of how much each input moves the median (the
median with every term less the median without it) and the swings: each input from its low to its
high value, the others as fitted, and the median's change (:meth:`QuarterForecast.swings_table`).
Every function reads only facts dated on or before ``D`` (and SEC XBRL quarters 45 days after
their end, as :mod:`model.calibration.longrun` does).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from model.calibration.forecast import DrawSummary
from model.calibration.longrun import CAPEX_DATASET, LAG_DAYS
from model.calibration.market import draw_market_inputs
from model.calibration.usage import UsageEvidence, usage_evidence
from model.constants import EVENT_YEAR, SEED
from model.data import load_dataset
from model.data.facts import load_facts, load_statements
from model.dates import parse_date
from model.engine.params import Params, Segment, Shock, ValueCapture
from model.engine.simulation import simulate
from model.errors import DataError, JevonsError
from model.summary import Summary, interval_label, interval_text

FIRST_AS_OF = "2025-01-29"  # the first day every series has its last 2024 quarter or guidance
COMPANIES = ("MSFT", "GOOGL", "AMZN", "META")
LATEST_GUIDANCE = "latest guidance"
LATEST_PLAN = "latest plan"
RUN_RATE = "run-rate"
GROWTH_COMPOUNDED = "last quarter's growth compounded"
SCATTER_WINDOW = 8  # quarters of growth behind Nvidia's scatter
CAPEX_SCATTER_FROM = 2019  # first year of the pooled capex growth scatter
MAD_TO_SD = 1.4826
THIN_VINTAGES = 3  # fewer known plan outcomes than this: the drift is stated as thin


@dataclass(frozen=True)
class CapexSeries:
    """Where one hyperscaler's quarterly capex lives in the facts, and on what definition."""

    company: str
    firm: str  # the word in its facts ids
    pattern: str  # the quarter rows (groups: year, quarter number)
    definition: str
    note_words: str  # every quarter row's note states the definition (or "same definition")
    fiscal: bool = False  # ids name Microsoft's fiscal quarters (fiscal year to June)
    xbrl_ticker: str | None = None  # the SEC XBRL file has the same definition
    annual: str | None = None  # calendar-year row (format with the year) for a Q4 by difference
    plan_scale: tuple[str, str] | None = None  # (gross, net) 2024 ids: plans are net, quarters gross
    outcome: str = ""  # full-year outcome id on the plans' basis (format with the year)


SERIES = {
    "MSFT": CapexSeries(
        "MSFT", "microsoft", r"capex_fy(\d{4})_q([1-4])_microsoft_incl_leases",
        "capex including finance leases (fiscal quarters mapped to calendar quarters)",
        "finance leases", fiscal=True, outcome="capex_fy{year}_microsoft_incl_leases"),
    "GOOGL": CapexSeries(
        "GOOGL", "alphabet", r"capex_(\d{4})_q([1-4])_alphabet",
        "cash purchases of property and equipment", "purchases of property and equipment",
        xbrl_ticker="GOOG", annual="capex_{year}_alphabet", outcome="capex_{year}_alphabet"),
    "AMZN": CapexSeries(
        "AMZN", "amazon", r"capex_(\d{4})_q([1-4])_amazon_gross",
        "gross cash purchases of property and equipment", "purchases of property and equipment",
        xbrl_ticker="AMZN", annual="capex_{year}_amazon_gross",
        plan_scale=("capex_2024_amazon_gross", "capex_2024_amazon"), outcome="capex_{year}_amazon"),
    "META": CapexSeries(
        "META", "meta", r"capex_(\d{4})_q([1-4])_meta",
        "capex including principal payments on finance leases",
        "principal payments on finance leases", outcome="capex_{year}_meta"),
}
_PLAN = re.compile(r"capex_guidance_(fy)?(\d{4})_(microsoft|alphabet|amazon|meta)"
                   r"(?:_(\d{4}_\d{2}_\d{2}))?(?:_(low|high))?$")
_NV_QUARTER = re.compile(r"nvda_(dc_revenue|revenue|revenue_guidance)_fy(\d{4})_q([1-4])$")

# Cloud backlogs as capex-growth evidence: (label, earlier id or None, later id or ratio id, years).
SUPPLY = (
    ("Google Cloud backlog, Q2 to Q3 2025", "google_cloud_backlog_2025_q2", "google_cloud_backlog_2025_q3", 0.25),
    ("Google Cloud backlog, Q3 to Q4 2025", "google_cloud_backlog_2025_q3", "google_cloud_backlog_2025_q4", 0.25),
    ("AWS backlog, Q4 2025 over Q4 2024", None, "aws_backlog_growth_2025_q4_yoy", 1.0),
)
CAPACITY_WORDS = ("capacity", "short supply")  # statements read as capacity signals
Z95 = 1.96


# --- dates and quarters ------------------------------------------------------------------------


def last_data_date() -> pd.Timestamp:
    """The newest ``as_of`` in the facts tables: the last date a forecast can be made on."""
    return pd.Timestamp(load_facts()["as_of"].max())


def check_forecast_date(as_of) -> pd.Timestamp:
    """Parse ``as_of`` and check it lies in [FIRST_AS_OF, the last data date]."""
    stamp = parse_date(as_of, "as_of")
    last = last_data_date()
    if not pd.Timestamp(FIRST_AS_OF) <= stamp <= last:
        raise JevonsError(f"as_of {stamp:%Y-%m-%d}: outside the quarterly forecasts' range; allowed: "
                          f"{FIRST_AS_OF} to {last:%Y-%m-%d} (the last data date of the facts tables)")
    return stamp


def quarter_label(quarter: pd.Period) -> str:
    return f"{quarter.year}Q{quarter.quarter}"


def _fiscal_to_calendar(fy: int, q: int) -> pd.Period:
    """Microsoft's fiscal quarter (year to June) as a calendar quarter."""
    return pd.Period(year=fy - 1 if q <= 2 else fy, quarter=(q + 1) % 4 + 1, freq="Q")


def _gap(a: pd.Period, b: pd.Period) -> int:
    """Quarters from ``a`` to ``b``."""
    return (b - a).n


def _where(row) -> str:
    return f"{row['file']} line {row['line']} ({row['id']})"


# --- the quarterly series as known on a date ---------------------------------------------------


def capex_quarters(company: str, as_of=None) -> pd.DataFrame:
    """One hyperscaler's capex by calendar quarter (USD bn) on its own definition, known on
    ``as_of`` (every row when None).

    Facts rows first; for Alphabet and Amazon, earlier quarters from the SEC XBRL file (the same
    definition), each known 45 days after its end, and a fourth quarter as the calendar year less
    the first three. Columns ``quarter`` (Period), ``value``, ``known``, ``source``.

    Raises DataError (one line naming the file, line and id) for a quarter row whose period is
    not the calendar quarter its id names or whose note does not state the definition.
    """
    spec = SERIES[company]
    day = None if as_of is None else parse_date(as_of, "as_of")
    facts = load_facts(day)
    rows = {}
    for row in facts[facts["used"] & facts["id"].str.fullmatch(spec.pattern)].to_dict("records"):
        m = re.fullmatch(spec.pattern, row["id"])
        year, q = int(m[1]), int(m[2])
        quarter = _fiscal_to_calendar(year, q) if spec.fiscal else pd.Period(year=year, quarter=q, freq="Q")
        start, end = quarter.start_time.normalize(), quarter.end_time.normalize()
        if pd.isna(row["period_start"]) or (row["period_start"], row["period_end"]) != (start, end):
            got = "none" if pd.isna(row["period_start"]) else \
                f"{row['period_start']:%Y-%m-%d}..{row['period_end']:%Y-%m-%d}"
            raise DataError(f"{_where(row)}: period {got}; allowed: the calendar quarter the id names, "
                            f"{start:%Y-%m-%d}..{end:%Y-%m-%d}")
        note = str(row["note"]).lower()
        if spec.note_words not in note and "same definition" not in note:
            raise DataError(f"{_where(row)}: the note does not state the definition; allowed: a note "
                            f"saying '{spec.note_words}' (or 'same definition')")
        rows[quarter] = (row["value"], row["as_of"], row["id"])
    if spec.xbrl_ticker:
        for quarter, value, known, source in _xbrl_quarters(spec, facts, day):
            rows.setdefault(quarter, (value, known, source))
    out = pd.DataFrame([(k, *v) for k, v in sorted(rows.items())],
                       columns=["quarter", "value", "known", "source"])
    return out


def _xbrl_quarters(spec: CapexSeries, facts: pd.DataFrame, day: pd.Timestamp | None):
    """SEC XBRL quarters of one firm known on ``day``: Q1-Q3 as filed, Q4 as the year (the XBRL
    annual row, or the facts' calendar-year row once dated) less Q1-Q3."""
    frame = load_dataset(CAPEX_DATASET)
    frame = frame[(frame["ticker"] == spec.xbrl_ticker) & (frame["year"] >= CAPEX_SCATTER_FROM - 1)]
    values = {(int(r.year), int(r.quarter)): r.payments_usd / 1e9 for r in frame.itertuples()}
    annual = facts[facts["used"]].set_index("id")
    for (year, q), value in sorted(values.items()):
        if q == 0:
            continue
        quarter = pd.Period(year=year, quarter=q, freq="Q")
        known = quarter.end_time.normalize() + pd.Timedelta(days=LAG_DAYS)
        if day is None or known <= day:
            yield quarter, value, known, f"SEC XBRL {spec.xbrl_ticker} {year}Q{q}"
    for year in sorted({y for y, _ in values}):
        first3 = [values.get((year, q)) for q in (1, 2, 3)]
        if None in first3:
            continue
        q3_known = pd.Period(year=year, quarter=3, freq="Q").end_time.normalize() + pd.Timedelta(days=LAG_DAYS)
        candidates = []
        fid = spec.annual.format(year=year)
        if fid in annual.index:
            candidates.append((annual.loc[fid, "value"], max(annual.loc[fid, "as_of"], q3_known),
                               f"{fid} less SEC XBRL Q1-Q3"))
        if (year, 0) in values:
            candidates.append((values[(year, 0)], pd.Timestamp(year + 1, 1, 1) + pd.Timedelta(days=LAG_DAYS - 1),
                               f"SEC XBRL {spec.xbrl_ticker} {year} less Q1-Q3"))
        known_ones = [c for c in candidates if day is None or c[1] <= day]
        if known_ones:
            total, known, source = min(known_ones, key=lambda c: c[1])
            yield pd.Period(year=year, quarter=4, freq="Q"), total - sum(first3), known, source


@dataclass(frozen=True)
class NvidiaQuarter:
    fy: int
    q: int

    @property
    def label(self) -> str:
        return f"FY{self.fy}Q{self.q}"

    def next(self) -> NvidiaQuarter:
        return NvidiaQuarter(self.fy + (self.q == 4), self.q % 4 + 1)

    @property
    def calendar_year(self) -> int:
        return self.fy - 1  # three of its months (Q4: two of three) fall in this calendar year


def nvidia_quarters(as_of=None) -> pd.DataFrame:
    """Nvidia's fiscal quarters known on ``as_of``: columns ``quarter`` (NvidiaQuarter),
    ``dc_revenue``, ``revenue``, ``guidance`` (revenue outlook for the quarter, NaN if none),
    ``known`` (the report date, NaT if not reported)."""
    day = None if as_of is None else parse_date(as_of, "as_of")
    facts = load_facts(day)
    table: dict[NvidiaQuarter, dict] = {}
    for row in facts[facts["used"] & facts["id"].str.fullmatch(_NV_QUARTER)].to_dict("records"):
        m = _NV_QUARTER.fullmatch(row["id"])
        days = None if pd.isna(row["period_start"]) else (row["period_end"] - row["period_start"]).days
        if days is None or not 83 <= days <= 97:
            raise DataError(f"{_where(row)}: period of {days} days; allowed: one Nvidia fiscal "
                            "quarter (13 or 14 weeks, ending on the last Sunday of April, July, "
                            "October or January)")
        entry = table.setdefault(NvidiaQuarter(int(m[2]), int(m[3])), {})
        entry[m[1]] = row["value"]
        if m[1] == "dc_revenue":
            entry["known"] = row["as_of"]
    out = pd.DataFrame([{"quarter": k, "dc_revenue": v.get("dc_revenue", np.nan),
                         "revenue": v.get("revenue", np.nan), "guidance": v.get("revenue_guidance", np.nan),
                         "known": v.get("known", pd.NaT)}
                        for k, v in sorted(table.items(), key=lambda kv: (kv[0].fy, kv[0].q))])
    return out


# --- plans and their drift ---------------------------------------------------------------------


def plan_vintages(as_of=None) -> pd.DataFrame:
    """Every full-year capex plan known on ``as_of``, one row per vintage (a range's midpoint):
    columns ``firm``, ``year``, ``fiscal``, ``stated`` (date), ``plan`` (USD bn), ``ids``."""
    facts = load_facts(None if as_of is None else parse_date(as_of, "as_of"))
    facts = facts[facts["used"] & (facts["basis"].isin(["guidance", "derived"]))]
    groups: dict[tuple, list] = {}
    for row in facts.to_dict("records"):
        m = _PLAN.fullmatch(row["id"])
        if not m or pd.isna(row["period_start"]) or (row["period_end"] - row["period_start"]).days < 360:
            continue
        key = (m[3], int(m[2]), bool(m[1]), row["as_of"])
        groups.setdefault(key, []).append((row["value"], row["id"]))
    rows = [{"firm": firm, "year": year, "fiscal": fiscal, "stated": stated,
             "plan": float(np.mean([v for v, _ in items])), "ids": ", ".join(i for _, i in items)}
            for (firm, year, fiscal, stated), items in groups.items()]
    return pd.DataFrame(rows, columns=["firm", "year", "fiscal", "stated", "plan", "ids"]) \
        .sort_values(["firm", "year", "stated"]).reset_index(drop=True)


@dataclass(frozen=True)
class Drift:
    """log(final / first plan) over the plan vintages whose outcome is known on a date."""

    table: pd.DataFrame  # firm, year, first_plan, outcome, log_drift
    by_firm: dict[str, float]
    pooled: float

    @property
    def thin(self) -> bool:
        return len(self.table) < THIN_VINTAGES

    def for_firm(self, firm: str) -> float:
        return self.by_firm.get(firm, self.pooled)

    def text(self) -> str:
        if self.table.empty:
            return "no plan with a known outcome: no drift correction"
        pairs = ", ".join(f"{r.firm} {'FY' if r.fiscal else ''}{r.year} {np.exp(r.log_drift) - 1:+.1%}"
                          for r in self.table.itertuples())
        return (f"final over first plan: {pairs}; mean {np.exp(self.pooled) - 1:+.1%}"
                + (f" (thin: {len(self.table)} vintage(s))" if self.thin else ""))


def plan_drift(as_of) -> Drift:
    """How far final capex ended above the first plan, firm by firm, from what is known on
    ``as_of`` (plans and outcomes on the plans' own basis)."""
    stamp = parse_date(as_of, "as_of")
    facts = load_facts(stamp)
    values = facts[facts["used"]].set_index("id")["value"]
    plans = plan_vintages(stamp)
    by_company = {s.firm: s for s in SERIES.values()}
    rows = []
    for (firm, year, fiscal), group in plans.groupby(["firm", "year", "fiscal"], sort=True):
        outcome_id = by_company[firm].outcome.format(year=year)
        if fiscal != outcome_id.startswith("capex_fy") or outcome_id not in values.index:
            continue
        first = group.iloc[0]["plan"]
        rows.append({"firm": firm, "year": year, "fiscal": fiscal, "first_plan": first,
                     "outcome": float(values[outcome_id]),
                     "log_drift": float(np.log(values[outcome_id] / first))})
    table = pd.DataFrame(rows, columns=["firm", "year", "fiscal", "first_plan", "outcome", "log_drift"])
    by_firm = table.groupby("firm")["log_drift"].mean().to_dict() if len(table) else {}
    pooled = float(table["log_drift"].mean()) if len(table) else 0.0
    return Drift(table, {k: float(v) for k, v in by_firm.items()}, pooled)


def latest_plan(company: str, year: int, as_of) -> tuple[float, pd.Timestamp] | None:
    """The latest calendar-year plan for ``year`` known on ``as_of``, on the quarters'
    definition (Amazon's net plans scaled by its 2024 gross/net ratio); None if there is none."""
    spec = SERIES[company]
    plans = plan_vintages(as_of)
    plans = plans[(plans["firm"] == spec.firm) & (plans["year"] == year) & ~plans["fiscal"]]
    if plans.empty:
        return None
    plan = float(plans.iloc[-1]["plan"])
    if spec.plan_scale:
        facts = load_facts(parse_date(as_of, "as_of")).set_index("id")["value"]
        gross, net = spec.plan_scale
        if gross not in facts.index or net not in facts.index:
            return None
        plan *= facts[gross] / facts[net]
    return plan, plans.iloc[-1]["stated"]


def plan_per_quarter(company: str, quarter: pd.Period, quarters: pd.DataFrame, as_of) -> float | None:
    """The plan's rate for ``quarter``: the latest plan of its year (Microsoft: fiscal year) less
    the year's reported quarters, spread over the quarters left; None when there is no plan or a
    quarter of the year before ``quarter`` is missing from the tables."""
    spec = SERIES[company]
    reported = dict(zip(quarters["quarter"], quarters["value"], strict=True))
    if spec.fiscal:
        fy = quarter.year + (quarter.quarter >= 3)
        plans = plan_vintages(as_of)
        plans = plans[(plans["firm"] == spec.firm) & (plans["year"] == fy) & plans["fiscal"]]
        if plans.empty:
            return None
        plan = float(plans.iloc[-1]["plan"])
        months = pd.period_range(pd.Period(year=fy - 1, quarter=3, freq="Q"), periods=4, freq="Q")
    else:
        found = latest_plan(company, quarter.year, as_of)
        if found is None:
            return None
        plan = found[0]
        months = pd.period_range(pd.Period(year=quarter.year, quarter=1, freq="Q"), periods=4, freq="Q")
    before = [p for p in months if p < quarter]
    if any(p not in reported for p in before):
        return None
    left = [p for p in months if p >= quarter and p not in reported]
    return (plan - sum(reported[p] for p in before)) / len(left)


# --- growth signals ------------------------------------------------------------------------------


@dataclass(frozen=True)
class EngineGrowth:
    """Annual log growth from the fitted engine for one calendar year, one value per draw."""

    year: int
    spend: np.ndarray
    nvidia: np.ndarray
    cost_decline: np.ndarray  # annual log fall of the cost of useful work (hardware + algorithms)
    source: str
    elasticity: np.ndarray | None = None  # the posterior draws behind it (None: a stand-in engine)


def posterior_draws(calibration, draws: int, seed: int) -> tuple[np.ndarray, np.ndarray, dict]:
    """The draws of :func:`model.calibration.fit.forecast_draws` (the same streams, so the same
    numbers), read from a fit without importing it: ``fit`` may import this module. The trends
    and the news come from the fit's forecast prior (``calibration.forecast_prior``: the news
    over trend, S_news)."""
    rng = np.random.default_rng([seed, 20])
    eps = rng.choice(calibration.combination.estimate.draws, draws)
    growth = calibration.capex.demand_growth_given(eps, rng=np.random.default_rng([seed, 21]))
    return eps, growth, draw_market_inputs(calibration.forecast_prior, draws, seed + 1)


def engine_growth(as_of, year: int, calibration, *, draws: int = 4000, seed: int = SEED) -> EngineGrowth:
    """The fitted engine's growth of compute spend and of Nvidia's data-center revenue from
    ``year - 1`` to ``year``, for the posterior draws of ``calibration`` (a
    :class:`model.calibration.fit.Calibration` made as of ``as_of``)."""
    stamp = parse_date(as_of, "as_of")
    if calibration is None or calibration.as_of != stamp:
        made = "none" if calibration is None else f"a fit as of {calibration.as_of:%Y-%m-%d}"
        raise JevonsError(f"as_of {stamp:%Y-%m-%d}: {made} given; allowed: the fit "
                          "(model.calibration.fit.fit) made on the same date")
    eps, growth, inputs = posterior_draws(calibration, draws, seed)
    params = Params(
        name="quarterly", start=min(2024, year - 1), end=max(year, 2025),
        hardware_doubling_years=inputs["hardware_doubling_years"],
        segments=(Segment("all", 1.0, eps, inputs["efficiency_doubling_years"], growth),),
        shocks=(Shock(EVENT_YEAR, inputs["factor"], inputs["coverage"], inputs["diffusion_years"],
                      label="DeepSeek"),),
        value_capture=ValueCapture(nvidia_share_drift=inputs["nvidia_share_drift"]),
    )
    out = simulate(params).variables
    i = year - params.start
    spend, nvidia = out["compute_spend"], out["nvidia_dc_revenue"]
    decline = np.log(2.0) / inputs["hardware_doubling_years"] + np.log(2.0) / inputs["efficiency_doubling_years"]
    return EngineGrowth(year, np.log(spend[:, i] / spend[:, i - 1]), np.log(nvidia[:, i] / nvidia[:, i - 1]),
                        np.broadcast_to(decline, eps.shape).astype(float),
                        f"fit as of {stamp:%Y-%m-%d}, {draws} draws", np.asarray(eps, dtype=float))


@dataclass(frozen=True)
class Usage:
    """The token volumes known on a date read as spend growth and pooled with the engine's."""

    table: pd.DataFrame  # the usage series (model.calibration.usage.usage_observations)
    shift: float  # added to the engine's annual log growth: intensity + demand
    weight: float  # the usage reading's weight in the pooled growth
    intensity: float = 0.0  # the part of ``shift`` from reasoning-token intensity
    reading: float = float("nan")  # the usage reading of annual log spend growth (median)
    sd: float = float("nan")  # its sd
    evidence: UsageEvidence | None = None
    intensity_range: tuple[float, float] = (0.0, 0.0)  # the intensity term at r's prior 95% ends
    demand_range: tuple[float, float] = (0.0, 0.0)  # the demand term at the reading's 95% ends

    @property
    def demand(self) -> float:
        """The part of ``shift`` from the demand shift and the price term."""
        return self.shift - self.intensity

    def text(self) -> str:
        if self.table.empty:
            return "no token volumes known: not used"
        return (f"{len(self.table)} series, token growth "
                + ", ".join(f"{np.exp(g):.1f}x" for g in self.table["growth"])
                + f" a year; spend reading {self.reading:+.2f} (sd {self.sd:.2f}) a year, weight "
                f"{self.weight:.1%}, shift {self.shift:+.3f} a year (intensity {self.intensity:+.3f})")


def usage_signal(as_of, engine_spend: np.ndarray, elasticity: np.ndarray | None = None) -> Usage:
    """The usage reading of annual log spend growth for the elasticity draws (the usage
    evidence's own median when None), pooled with the engine's spend growth by precision:
    weight = var(engine) / (var(engine) + var(reading)). Nothing before the first usage fact."""
    evidence = usage_evidence(as_of, draws=1000)
    if evidence is None:
        return Usage(pd.DataFrame(columns=["label", "growth", "years", "known", "bound", "weak", "sources"]),
                     0.0, 0.0)
    eps = np.full(1, evidence.estimate.median) if elasticity is None else np.asarray(elasticity, dtype=float)
    parts = evidence.spend_growth_given(eps)
    reading = float(np.median(parts["total"]))
    var = float(np.mean(parts["sd"] ** 2) + np.var(parts["total"]))
    engine_var = float(np.var(engine_spend))
    weight = engine_var / (engine_var + var) if engine_var + var > 0 else 0.0
    shift = weight * (reading - float(np.median(engine_spend)))
    intensity = weight * float(np.median(parts["intensity"]))
    lever = weight * float(np.median(1.0 - eps))
    prior = evidence.prior
    r_range = (prior.intensity_mean - Z95 * prior.intensity_sd, prior.intensity_mean + Z95 * prior.intensity_sd)
    demand = shift - intensity
    half = Z95 * weight * float(np.sqrt(var))
    return Usage(evidence.table, shift, weight, intensity, reading, float(np.sqrt(var)), evidence,
                 tuple(sorted(lever * r for r in r_range)), (demand - half, demand + half))


@dataclass(frozen=True)
class Supply:
    """Supply signals known on a date: cloud backlog growth pooled with the engine's spend growth,
    and the capacity statements (text only)."""

    table: pd.DataFrame  # label, growth (annual log)
    shift: float
    weight: float
    sd: float
    statements: tuple[str, ...] = ()

    def text(self) -> str:
        said = "; ".join(self.statements) if self.statements else "none"
        if len(self.table) < 2:
            return (f"{len(self.table)} backlog reading(s): not used (two are needed to measure "
                    f"their precision); capacity statements: {said}")
        return (f"{len(self.table)} backlog readings, growth "
                + ", ".join(f"{np.exp(g):.2f}x" for g in self.table["growth"])
                + f" a year; weight {self.weight:.1%}, shift {self.shift:+.3f} a year; capacity "
                f"statements: {said}")


def supply_signal(as_of, engine_spend: np.ndarray) -> Supply:
    """Cloud backlog growth a year from the facts known on ``as_of``, pooled with the engine's
    spend growth by precision (the readings' variance from their disagreement, over their
    number); fewer than two readings: zero. The capacity statements known on ``as_of`` are
    listed, not used."""
    stamp = parse_date(as_of, "as_of")
    values = load_facts(stamp).set_index("id")["value"]
    rows = []
    for label, earlier, later, years in SUPPLY:
        if later not in values.index or (earlier is not None and earlier not in values.index):
            continue
        ratio = values[later] if earlier is None else values[later] / values[earlier]
        rows.append({"label": label, "growth": float(np.log(ratio) / years)})
    table = pd.DataFrame(rows, columns=["label", "growth"])
    said = load_statements(stamp)
    said = said[said["statement"].str.lower().str.contains("|".join(CAPACITY_WORDS))]
    statements = tuple(f"{r.stated_by}, {r.as_of:%Y-%m-%d}" for r in said.itertuples())
    if len(table) < 2:
        return Supply(table, 0.0, 0.0, float("nan"), statements)
    var = float(np.var(table["growth"], ddof=1) / len(table))
    engine_var = float(np.var(engine_spend))
    weight = engine_var / (engine_var + var)
    shift = weight * (float(table["growth"].mean()) - float(np.median(engine_spend)))
    return Supply(table, shift, weight, float(np.sqrt(var)), statements)


def robust_scatter(growth: np.ndarray) -> float:
    """Median absolute deviation of quarterly log growth around its median, as a normal sd."""
    growth = np.asarray(growth, dtype=float)
    return float(MAD_TO_SD * np.median(np.abs(growth - np.median(growth))))


def capex_scatter(series: dict[str, pd.DataFrame]) -> float:
    """Pooled scatter of quarterly capex log growth: each company's consecutive quarters since
    CAPEX_SCATTER_FROM, centred on the company's own median."""
    pooled = []
    for frame in series.values():
        frame = frame[frame["quarter"].map(lambda p: p.year) >= CAPEX_SCATTER_FROM]
        q = frame["quarter"].to_numpy()
        consecutive = np.array([_gap(a, b) == 1 for a, b in zip(q[:-1], q[1:], strict=True)], dtype=bool)
        growth = np.diff(np.log(frame["value"].to_numpy()))[consecutive]
        if growth.size:
            pooled.append(growth - np.median(growth))
    if not pooled or sum(g.size for g in pooled) < 4:
        raise DataError("capex quarters: fewer than 4 quarter-on-quarter growths known; allowed: "
                        "an as-of date by which the facts and the SEC XBRL file hold them")
    return robust_scatter(np.concatenate(pooled))


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuarterForecast(DrawSummary):
    """One forecast (a quarter or a year, one company or the total) with its baselines."""

    name: str
    target: str
    draws: np.ndarray
    baselines: dict[str, float | None]
    baseline_label: str
    base_level: float
    base_label: str
    inputs: tuple[tuple[str, str, float], ...] = ()  # (input, value used, moves the median by)
    unit: str = "USD bn"
    swings: tuple[tuple[str, str, str, float, float], ...] = ()  # (input, low, high, median at each)

    @property
    def baseline(self) -> float:
        return float(self.baselines[self.baseline_label])

    def inputs_table(self) -> pd.DataFrame:
        return pd.DataFrame(self.inputs, columns=["input", "value", f"moves the median ({self.unit})"])

    def swings_table(self) -> pd.DataFrame:
        """Each input from its low to its high value, the others as fitted: the medians and the
        change (high less low), largest change first."""
        frame = pd.DataFrame(self.swings, columns=["input", "low", "high", "median at low", "median at high"])
        frame["change"] = frame["median at high"] - frame["median at low"]
        return frame.reindex(frame["change"].abs().sort_values(ascending=False).index).reset_index(drop=True)

    def summary(self) -> Summary:
        rows = [("median", f"{self.median:,.2f} {self.unit}"),
                (interval_label("forecast"), interval_text(self.interval)),
                ("grown from", f"{self.base_level:,.2f} ({self.base_label})")]
        rows += [(f"baseline: {k}", "-" if v is None else f"{v:,.2f}") for k, v in self.baselines.items()]
        return Summary.of(f"Forecast {self.name}, {self.target}", rows,
                          tables=[("what each input moves", self.inputs_table())] if self.inputs else ())

    def to_dict(self) -> dict:
        return {"median": self.median, "interval": list(self.interval), "baseline": self.baseline,
                "baseline_label": self.baseline_label,
                "baselines": {k: None if v is None else float(v) for k, v in self.baselines.items()},
                "base_level": self.base_level, "base_label": self.base_label,
                "inputs": [{"input": a, "value": b, "moves_median": c} for a, b, c in self.inputs],
                "swings": [{"input": a, "low": lo, "high": hi, "median_at_low": m0, "median_at_high": m1}
                           for a, lo, hi, m0, m1 in self.swings]}


@dataclass(frozen=True)
class NvidiaForecast:
    """Nvidia's data-center revenue in the first fiscal quarter not reported on ``as_of``."""

    as_of: pd.Timestamp
    quarter: str
    forecast: QuarterForecast
    notes: tuple[str, ...] = ()

    @property
    def median(self) -> float:
        return self.forecast.median

    @property
    def interval(self) -> tuple[float, float]:
        return self.forecast.interval

    def summary(self) -> Summary:
        inner = self.forecast.summary()
        return Summary.of(f"Nvidia data-center revenue {self.quarter}, as of {self.as_of:%Y-%m-%d} "
                          "(USD bn)", inner.rows, tables=inner.tables, notes=self.notes)

    def to_dict(self) -> dict:
        f = self.forecast.to_dict()
        return {"quarter": self.quarter, **{k: f[k] for k in ("median", "interval", "baseline", "baseline_label")},
                "baselines": f["baselines"], "base_level": f["base_level"], "base_label": f["base_label"],
                "inputs": f["inputs"], "swings": f["swings"], "as_of": f"{self.as_of:%Y-%m-%d}",
                "notes": list(self.notes)}


@dataclass(frozen=True)
class CapexForecast:
    """The four hyperscalers' capex in a calendar quarter (or the year containing it)."""

    as_of: pd.Timestamp
    quarter: str
    year: int | None  # set for the year forecast
    companies: dict[str, QuarterForecast]
    total: QuarterForecast
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def target(self) -> str:
        return self.quarter if self.year is None else str(self.year)

    def summary(self) -> Summary:
        table = pd.DataFrame([
            {"company": name, "definition": SERIES[name].definition if name in SERIES else "sum",
             "median": round(f.median, 2), "interval": interval_text(f.interval),
             "baseline": round(f.baseline, 2), "baseline label": f.baseline_label}
            for name, f in [*self.companies.items(), ("total", self.total)]])
        return Summary.of(f"Hyperscaler capex {self.target}, as of {self.as_of:%Y-%m-%d} (USD bn)",
                          [("median", f"{self.total.median:,.1f}"),
                           (interval_label("forecast"), interval_text(self.total.interval))],
                          tables=[("by company", table), ("what each input moves (total)",
                                                          self.total.inputs_table()),
                                  ("each input from its low to its high value (total)",
                                   self.total.swings_table())],
                          notes=self.notes)

    def to_dict(self) -> dict:
        def block(f: QuarterForecast) -> dict:
            d = f.to_dict()
            return {k: d[k] for k in ("median", "interval", "baseline", "baseline_label", "baselines",
                                      "base_level", "base_label")}

        out = {"quarter": self.quarter}
        if self.year is not None:
            out["year"] = str(self.year)
        out["companies"] = {c: block(f) | {"definition": SERIES[c].definition} for c, f in self.companies.items()}
        total = self.total.to_dict()
        out["total"] = block(self.total) | {"inputs": total["inputs"], "swings": total["swings"]}
        out["as_of"] = f"{self.as_of:%Y-%m-%d}"
        out["notes"] = list(self.notes)
        return out


# --- the forecasts -----------------------------------------------------------------------------


def paths(last: float, growth: np.ndarray, scatter: float, steps: int, rng: np.random.Generator) -> np.ndarray:
    """Levels ``1..steps`` quarters after ``last`` (draws x steps): log growth ``growth / 4`` a
    quarter (annual, per draw) plus a normal shock of sd ``scatter`` each quarter."""
    growth = np.asarray(growth, dtype=float)
    shocks = rng.normal(0.0, scatter, size=(growth.size, steps)) if scatter > 0 else np.zeros((growth.size, steps))
    logs = np.log(last) + np.cumsum(growth[:, None] / 4.0 + shocks, axis=1)
    return np.exp(logs)


def _moves(make, terms: dict[str, float | np.ndarray]) -> tuple[tuple[str, str, float], ...]:
    """How much each growth term moves the median: the median with every term less the median
    without that one (the same shocks)."""
    full = float(np.median(make(terms)))
    out = []
    for name, value in terms.items():
        without = dict(terms) | {name: 0.0 * np.asarray(value)}
        shown = np.median(value) if np.ndim(value) else value
        out.append((name, f"{shown:+.3f} a year (log)", full - float(np.median(make(without)))))
    return tuple(out)


def _swings(make, terms: dict, ranges: dict[str, tuple[float, float]]) -> tuple:
    """Each term of ``ranges`` set to its low, then its high value (every other term as fitted):
    (input, low, high, median at low, median at high)."""
    out = []
    for name, (lo, hi) in ranges.items():
        at = [float(np.median(make(dict(terms) | {name: np.full_like(np.asarray(terms[name], float), v)})))
              for v in (lo, hi)]
        out.append((name, f"{lo:+.3f} a year (log)", f"{hi:+.3f} a year (log)", *at))
    return tuple(out)


def _ranges(engine_growth_draws, drift: Drift, usage: Usage, supply: Supply, names: tuple[str, ...]) -> dict:
    """The low and high value of each growth term: the engine's growth at its 2.5% and 97.5%
    quantiles; the drift over the known vintages' lowest and highest (none known: 0); the usage
    terms at their 95% ends; the backlog term at its 95% ends (not used: 0)."""
    lo, hi = np.quantile(engine_growth_draws, [0.025, 0.975])
    drifts = drift.table["log_drift"]
    half = Z95 * supply.weight * supply.sd if supply.weight else 0.0
    values = [(float(lo), float(hi)),
              (float(drifts.min()), float(drifts.max())) if len(drifts) else (0.0, 0.0),
              usage.demand_range, usage.intensity_range, (supply.shift - half, supply.shift + half)]
    return dict(zip(names, values, strict=True))


def _terms(engine_name: str, engine_draws, drift_name: str, drift: float, usage: Usage,
           supply: Supply) -> dict:
    return {engine_name: engine_draws, drift_name: drift, USAGE_DEMAND: usage.demand,
            USAGE_INTENSITY: usage.intensity, SUPPLY_BACKLOG: supply.shift}


USAGE_DEMAND = "usage: demand shift and price (token volumes)"
USAGE_INTENSITY = "usage: reasoning-token intensity"
SUPPLY_BACKLOG = "supply: cloud backlogs"


def _growth(terms: dict) -> np.ndarray:
    return sum(np.asarray(v, dtype=float) for v in terms.values())


def nvidia_next_quarter(as_of, *, draws: int = 4000, seed: int = SEED, calibration=None,
                        engine: EngineGrowth | None = None) -> NvidiaForecast:
    """Nvidia's data-center revenue in the first fiscal quarter not reported on ``as_of``."""
    stamp = check_forecast_date(as_of)
    table = nvidia_quarters(stamp)
    reported = table[table["known"].notna()]
    if len(reported) < 3:
        raise DataError(f"as_of {stamp:%Y-%m-%d}: fewer than 3 Nvidia quarters reported; allowed: a "
                        "date by which nvidia.csv holds them")
    last, prev = reported.iloc[-1], reported.iloc[-2]
    target = last["quarter"].next()
    engine = engine or engine_growth(stamp, target.calendar_year, calibration, draws=draws, seed=seed)
    drift = plan_drift(stamp)
    usage = usage_signal(stamp, engine.spend, engine.elasticity)
    supply = supply_signal(stamp, engine.spend)
    growth_hist = np.diff(np.log(reported["dc_revenue"].to_numpy()))[-SCATTER_WINDOW:]
    scatter = robust_scatter(growth_hist)
    terms = _terms("engine growth (Nvidia data-center revenue)", engine.nvidia,
                   "guidance drift (buyers' plans)", drift.pooled, usage, supply)
    base = float(last["dc_revenue"])

    def make(t, rng_seed=(seed, 31)):
        return paths(base, _growth(t), scatter, 1, np.random.default_rng(rng_seed))[:, 0]

    share = float(last["dc_revenue"] / last["revenue"])
    guidance = table.loc[table["quarter"] == target, "guidance"]
    baselines = {
        LATEST_GUIDANCE: float(guidance.iloc[0]) * share if len(guidance) and np.isfinite(guidance.iloc[0]) else None,
        RUN_RATE: base,
        GROWTH_COMPOUNDED: base * base / float(prev["dc_revenue"]),
    }
    forecast = QuarterForecast(
        "nvidia_dc_revenue_next_quarter_usd_bn", target.label, make(terms), baselines,
        LATEST_GUIDANCE if baselines[LATEST_GUIDANCE] is not None else RUN_RATE, base,
        f"{last['quarter'].label} data-center revenue (reported {last['known']:%Y-%m-%d})",
        inputs=(*_moves(make, terms), ("historical scatter", f"{scatter:.3f} a quarter (log sd)", 0.0)),
        swings=_swings(make, terms, _ranges(engine.nvidia, drift, usage, supply, tuple(terms))))
    notes = (f"engine: {engine.source}", f"drift: {drift.text()}", f"usage: {usage.text()}",
             f"supply: {supply.text()}",
             f"latest guidance: the {target.label} revenue outlook x the {last['quarter'].label} "
             f"data-center share {share:.3f}")
    return NvidiaForecast(stamp, target.label, forecast, notes)


def _capex_state(stamp: pd.Timestamp):
    series = {c: capex_quarters(c, stamp) for c in COMPANIES}
    for c, frame in series.items():
        if len(frame) < 1:
            raise DataError(f"as_of {stamp:%Y-%m-%d}: no {c} capex quarter known; allowed: a date "
                            "by which capex.csv holds one")
    target = max(frame["quarter"].iloc[-1] for frame in series.values()) + 1
    return series, target


def _capex(stamp: pd.Timestamp, year_forecast: bool, draws: int, seed: int, calibration,
           engine: EngineGrowth | None) -> CapexForecast:
    series, target = _capex_state(stamp)
    engine = engine or engine_growth(stamp, target.year, calibration, draws=draws, seed=seed)
    drift = plan_drift(stamp)
    usage = usage_signal(stamp, engine.spend, engine.elasticity)
    supply = supply_signal(stamp, engine.spend)
    scatter = capex_scatter(series)
    companies: dict[str, QuarterForecast] = {}
    makers = {}
    all_terms = {}
    quarters = pd.period_range(pd.Period(year=target.year, quarter=1, freq="Q"), periods=4, freq="Q")
    for k, (c, frame) in enumerate(series.items()):
        last_q, last = frame["quarter"].iloc[-1], float(frame["value"].iloc[-1])
        prev = frame[frame["quarter"] == last_q - 1]["value"]
        reported = dict(zip(frame["quarter"], frame["value"], strict=True))
        wanted = [q for q in quarters if q not in reported] if year_forecast else [target]
        known_sum = sum(reported.get(q, 0.0) for q in quarters) if year_forecast else 0.0
        steps = _gap(last_q, max(wanted)) if wanted else 0
        index = [_gap(last_q, q) - 1 for q in wanted]
        terms = _terms("engine growth (compute spend)", engine.spend, "guidance drift",
                       drift.for_firm(SERIES[c].firm), usage, supply)

        def make(t, last=last, steps=steps, index=index, known_sum=known_sum, k=k):
            if steps == 0:
                return np.full(np.shape(engine.spend), known_sum)
            levels = paths(last, _growth(t), scatter, steps, np.random.default_rng((seed, 41, k)))
            return known_sum + levels[:, index].sum(axis=1)

        ratio = last / float(prev.iloc[0]) if len(prev) else 1.0
        future = {q: _gap(last_q, q) for q in wanted}
        plan = _plan_baseline(c, wanted, frame, stamp, known_sum, last)
        baselines = {LATEST_PLAN: plan,
                     RUN_RATE: known_sum + last * len(wanted),
                     GROWTH_COMPOUNDED: known_sum + sum(last * ratio ** h for h in future.values())}
        label = (f"{quarter_label(last_q)} ({frame['source'].iloc[-1]})"
                 + ("" if len(prev) else "; no earlier quarter on this definition: growth baseline = run-rate"))
        companies[c] = QuarterForecast(
            f"capex {c}", str(target.year) if year_forecast else quarter_label(target), make(terms),
            {k2: v for k2, v in baselines.items()}, LATEST_PLAN if plan is not None else RUN_RATE, last,
            label, inputs=_moves(make, terms),
            swings=_swings(make, terms, _ranges(engine.spend, drift, usage, supply, tuple(terms))))
        makers[c], all_terms[c] = make, terms

    def total(t_by_company):
        return sum(makers[c](t_by_company[c]) for c in COMPANIES)

    moves = []
    full = float(np.median(total(all_terms)))
    for name in next(iter(all_terms.values())):
        without = {c: t | {name: 0.0 * np.asarray(t[name])} for c, t in all_terms.items()}
        value = np.median(all_terms["MSFT"][name]) if name.startswith("engine") else \
            float(np.mean([np.median(t[name]) for t in all_terms.values()]))
        moves.append((name, f"{value:+.3f} a year (log; mean over companies)", full - float(np.median(total(without)))))
    moves.append(("historical scatter", f"{scatter:.3f} a quarter (log sd)", 0.0))
    names = tuple(next(iter(all_terms.values())))
    swings = []
    for name, (lo, hi) in _ranges(engine.spend, drift, usage, supply, names).items():
        at = [float(np.median(total({c: t | {name: np.full_like(np.asarray(t[name], float), v)}
                                     for c, t in all_terms.items()}))) for v in (lo, hi)]
        swings.append((name, f"{lo:+.3f} a year (log)", f"{hi:+.3f} a year (log)", *at))
    plan_total = sum(f.baselines[f.baseline_label] for f in companies.values())
    tot_baselines = {
        LATEST_PLAN: plan_total,
        RUN_RATE: sum(f.baselines[RUN_RATE] for f in companies.values()),
        GROWTH_COMPOUNDED: sum(f.baselines[GROWTH_COMPOUNDED] for f in companies.values()),
    }
    no_plan = [c for c, f in companies.items() if f.baseline_label != LATEST_PLAN]
    label_total = f"{'year' if year_forecast else 'quarter'} total of the four"
    tot = QuarterForecast(
        "capex total", companies["MSFT"].target, total(all_terms), tot_baselines,
        LATEST_PLAN if len(no_plan) < len(COMPANIES) else RUN_RATE,
        sum(f.base_level for f in companies.values()), label_total + ", from each one's last quarter",
        inputs=tuple(moves), swings=tuple(swings))
    notes = (f"engine: {engine.source}", f"drift: {drift.text()}", f"usage: {usage.text()}",
             f"supply: {supply.text()}",
             "latest plan: each firm's newest plan for the year less its reported quarters, spread "
             "over the quarters left (Amazon's net plans x its 2024 gross/net ratio; Microsoft's fiscal "
             "plan)" + (f"; no plan known for {', '.join(no_plan)}: run-rate instead" if no_plan else ""))
    return CapexForecast(stamp, quarter_label(target), target.year if year_forecast else None,
                         companies, tot, notes)


def _plan_baseline(company, wanted, frame, stamp, known_sum, last) -> float | None:
    """The latest plan for the quarters ``wanted`` (plus ``known_sum``); where a quarter has no
    plan rate (Microsoft beyond its planned fiscal year) the run-rate fills it; None when no
    quarter has one."""
    fiscal = SERIES[company].fiscal
    first: dict[int, pd.Period] = {}
    for q in wanted:  # the plan's rate is set by the first quarter left in its (fiscal) year
        first.setdefault(q.year + (fiscal and q.quarter >= 3), q)
    by_year = {y: plan_per_quarter(company, q, frame, stamp) for y, q in first.items()}
    rates = [by_year[q.year + (fiscal and q.quarter >= 3)] for q in wanted]
    if all(r is None for r in rates):
        return None
    return known_sum + sum(last if r is None else r for r in rates)


def capex_next_quarter(as_of, *, draws: int = 4000, seed: int = SEED, calibration=None,
                       engine: EngineGrowth | None = None) -> CapexForecast:
    """Each hyperscaler's capex and the total in the first calendar quarter none of them has
    reported on ``as_of`` (a company that has not reported the quarter before is forecast two
    quarters ahead)."""
    return _capex(check_forecast_date(as_of), False, draws, seed, calibration, engine)


def capex_year(as_of, *, draws: int = 4000, seed: int = SEED, calibration=None,
               engine: EngineGrowth | None = None) -> CapexForecast:
    """The same for the calendar year containing that quarter: its reported quarters plus the
    forecast of the rest."""
    return _capex(check_forecast_date(as_of), True, draws, seed, calibration, engine)


def forecasts_as_of(as_of, *, draws: int = 4000, seed: int = SEED, calibration=None) -> dict:
    """The three JSON blocks of ``jevons calibrate --json`` for ``as_of``:
    ``nvidia_dc_revenue_next_quarter_usd_bn``, ``capex_next_quarter_usd_bn`` and
    ``capex_year_usd_bn``, from ``calibration``, the fit as of ``as_of``
    (:func:`model.calibration.backtest.forecasts_as_of` makes the fit itself)."""
    results = forecast_results(as_of, draws=draws, seed=seed, calibration=calibration)
    return {name: r.to_dict() for name, r in results.items()}


def forecast_results(as_of, *, draws: int = 4000, seed: int = SEED, calibration=None,
                     engines: dict[int, EngineGrowth] | None = None) -> dict:
    """The three forecasts as result objects (one fit as of ``as_of``, ``calibration``, serves
    them all; ``engines`` by calendar year replaces it, for tests)."""
    stamp = check_forecast_date(as_of)
    engines = dict(engines or {})

    def engine(year):
        if year not in engines:
            engines[year] = engine_growth(stamp, year, calibration, draws=draws, seed=seed)
        return engines[year]

    nv_year = nvidia_quarters(stamp).dropna(subset=["known"]).iloc[-1]["quarter"].next().calendar_year
    _, target = _capex_state(stamp)
    return {
        "nvidia_dc_revenue_next_quarter_usd_bn": nvidia_next_quarter(stamp, seed=seed, engine=engine(nv_year)),
        "capex_next_quarter_usd_bn": capex_next_quarter(stamp, seed=seed, engine=engine(target.year)),
        "capex_year_usd_bn": capex_year(stamp, seed=seed, engine=engine(target.year)),
    }
