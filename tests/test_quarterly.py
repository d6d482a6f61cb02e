"""Quarterly forecasts as of any date (model.calibration.quarterly): known answers on synthetic
facts tables, the as-of guarantee at every vintage, the JSON blocks and the bad inputs."""

from __future__ import annotations

import csv
import json

import numpy as np
import pandas as pd
import pytest
from test_reverse_dcf import perturbed_facts

from model.calibration import quarterly as qt
from model.calibration.backtest import default_vintages, forecasts_as_of
from model.errors import DataError, JevonsError
from model.paths import FACTS_DIR

COLUMNS = ["id", "value", "unit", "as_of", "period_start", "period_end", "basis", "used",
           "variant_of", "stated_by", "source", "note"]
NOTES = {"microsoft": "Capex including finance leases.", "alphabet": "Purchases of property and equipment.",
         "amazon": "Gross purchases of property and equipment.",
         "meta": "Capex including principal payments on finance leases."}
N = 64


def engine(spend=0.0, nvidia=0.0, year=2025, spread=0.0):
    """A stand-in for the fitted engine: constant (or evenly spread) annual log growth."""
    jitter = np.linspace(-spread, spread, N)
    return qt.EngineGrowth(year, np.full(N, spend) + jitter, np.full(N, nvidia) + jitter,
                           np.full(N, 1.3), "test engine")


def engines(**kw):
    return {y: engine(year=y, **kw) for y in (2024, 2025, 2026)}


def row(fid, value, as_of, start, end, basis="reported", note=""):
    return {"id": fid, "value": repr(float(value)), "unit": "USD bn", "as_of": as_of, "period_start": start,
            "period_end": end, "basis": basis, "used": "yes", "variant_of": "", "stated_by": "test",
            "source": "https://example.com/x", "note": note}


def capex_id(firm: str, quarter: pd.Period) -> str:
    if firm == "microsoft":
        fy, q = quarter.year + (quarter.quarter >= 3), (quarter.quarter + 1) % 4 + 1
        return f"capex_fy{fy}_q{q}_microsoft_incl_leases"
    return f"capex_{quarter.year}_q{quarter.quarter}_{firm}" + ("_gross" if firm == "amazon" else "")


def world(tmp_path, levels=None, growth=1.0, nvidia_growth=1.1, plans=(), last="2026-03-31", extra=()):
    """Synthetic facts tables: each hyperscaler's capex for 2024Q1..2025Q4 growing by ``growth``
    a quarter from ``levels``, reported 30 days after each quarter; Nvidia data-center revenue
    growing by ``nvidia_growth`` a quarter, revenue = dc / 0.9, each quarter's outlook = its
    revenue. Returns the directory (JEVONS_FACTS_DIR)."""
    levels = levels or {"microsoft": 20.0, "alphabet": 12.0, "amazon": 15.0, "meta": 10.0}
    rows = []
    for firm, level in levels.items():
        for k, quarter in enumerate(pd.period_range("2024Q1", "2025Q4", freq="Q")):
            start, end = quarter.start_time, quarter.end_time.normalize()
            rows.append(row(capex_id(firm, quarter), level * growth ** k, f"{end + pd.Timedelta(days=30):%Y-%m-%d}",
                            f"{start:%Y-%m-%d}", f"{end:%Y-%m-%d}", note=NOTES[firm]))
    rows += list(plans)
    nv = []
    start = pd.Timestamp("2024-01-29")
    for k in range(9):  # FY2025Q1 .. FY2027Q1
        fy, q = 2025 + k // 4, k % 4 + 1
        end = start + pd.Timedelta(days=90)
        dc = 20.0 * nvidia_growth ** k
        span = (f"{start:%Y-%m-%d}", f"{end:%Y-%m-%d}")
        guide_day = f"{start - pd.Timedelta(days=5):%Y-%m-%d}"
        nv.append(row(f"nvda_revenue_guidance_fy{fy}_q{q}", dc / 0.9, guide_day, *span, basis="guidance"))
        if k < 8:
            day = f"{end + pd.Timedelta(days=25):%Y-%m-%d}"
            nv.append(row(f"nvda_dc_revenue_fy{fy}_q{q}", dc, day, *span))
            nv.append(row(f"nvda_revenue_fy{fy}_q{q}", dc / 0.9, day, *span))
        start = end + pd.Timedelta(days=1)
    nv.append(row("last_row", 1.0, last, "", ""))
    nv += list(extra)
    directory = tmp_path / "facts"
    directory.mkdir()
    for name, table in (("capex.csv", rows), ("nvidia.csv", nv)):
        with open(directory / name, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(table)
    return directory


@pytest.fixture
def no_xbrl(monkeypatch):
    """The SEC XBRL history left out, so a synthetic world is the whole series."""
    empty = pd.DataFrame({"ticker": pd.Series([], dtype=str), "year": pd.Series([], dtype=float),
                          "quarter": pd.Series([], dtype=float), "payments_usd": pd.Series([], dtype=float)})
    monkeypatch.setattr(qt, "load_dataset", lambda name: empty)


# --- known answers -----------------------------------------------------------------------------


def test_a_flat_world_is_forecast_exactly_by_the_run_rate_and_the_model(tmp_path, monkeypatch, no_xbrl):
    monkeypatch.setenv("JEVONS_FACTS_DIR", str(world(tmp_path)))
    as_of = "2025-08-15"  # 2025Q2 reported (2025-07-30), 2025Q3 not
    nq = qt.capex_next_quarter(as_of, engine=engine())
    assert nq.quarter == "2025Q3"
    assert nq.total.baselines[qt.RUN_RATE] == pytest.approx(57.0)
    assert nq.total.median == pytest.approx(57.0, abs=1e-12)  # no growth, no scatter in a flat world
    assert nq.total.interval == pytest.approx((57.0, 57.0))
    assert nq.total.baseline_label == qt.RUN_RATE  # no plans in the tables
    year = qt.capex_year(as_of, engine=engine())
    assert year.year == 2025 and year.total.median == pytest.approx(4 * 57.0)
    assert year.companies["MSFT"].baselines[qt.RUN_RATE] == pytest.approx(80.0)


def test_constant_growth_is_what_compounding_last_quarter_gets_right(tmp_path, monkeypatch, no_xbrl):
    g = 1.05
    monkeypatch.setenv("JEVONS_FACTS_DIR", str(world(tmp_path, growth=g)))
    nq = qt.capex_next_quarter("2025-08-15", engine=engine(spend=4 * np.log(g)))
    outcome = sum(v * g ** 6 for v in (20.0, 12.0, 15.0, 10.0))  # 2025Q3 is quarter 6 from 2024Q1
    assert nq.total.baselines[qt.GROWTH_COMPOUNDED] == pytest.approx(outcome)
    assert nq.total.median == pytest.approx(outcome)  # engine growth = the world's growth
    assert nq.total.baselines[qt.RUN_RATE] == pytest.approx(outcome / g)
    # the inputs table: the engine's growth moves the median by outcome - run-rate
    moves = dict((name, move) for name, _, move in nq.total.inputs)
    assert moves["engine growth (compute spend)"] == pytest.approx(outcome - outcome / g)
    assert moves["guidance drift"] == 0.0


def test_nvidia_next_quarter_on_a_constant_growth_world(tmp_path, monkeypatch, no_xbrl):
    monkeypatch.setenv("JEVONS_FACTS_DIR", str(world(tmp_path)))
    r = qt.nvidia_next_quarter("2025-12-31", engine=engine(nvidia=4 * np.log(1.1)))
    assert r.quarter == "FY2026Q4"
    outcome = 20.0 * 1.1 ** 7
    assert r.forecast.baselines[qt.GROWTH_COMPOUNDED] == pytest.approx(outcome)
    assert r.forecast.baselines[qt.LATEST_GUIDANCE] == pytest.approx(outcome)  # outlook x dc share
    assert r.forecast.baseline_label == qt.LATEST_GUIDANCE
    assert r.median == pytest.approx(outcome)
    slower = qt.nvidia_next_quarter("2025-12-31", engine=engine(nvidia=0.0))
    assert slower.median == pytest.approx(outcome / 1.1)


def test_the_plan_baseline_spreads_the_rest_of_the_plan(tmp_path, monkeypatch, no_xbrl):
    plan = [row("capex_guidance_2025_meta_low", 50, "2025-02-01", "2025-01-01", "2025-12-31", "guidance"),
            row("capex_guidance_2025_meta_high", 54, "2025-02-01", "2025-01-01", "2025-12-31", "guidance")]
    monkeypatch.setenv("JEVONS_FACTS_DIR", str(world(tmp_path, plans=plan)))
    nq = qt.capex_next_quarter("2025-08-15", engine=engine())
    meta = nq.companies["META"]
    assert meta.baseline_label == qt.LATEST_PLAN
    assert meta.baseline == pytest.approx((52.0 - 20.0) / 2)  # Q1, Q2 reported at 10 each
    assert nq.companies["MSFT"].baseline_label == qt.RUN_RATE
    assert nq.total.baselines[qt.LATEST_PLAN] == pytest.approx(16.0 + 20 + 12 + 15)
    year = qt.capex_year("2025-08-15", engine=engine())
    assert year.companies["META"].baseline == pytest.approx(52.0)


def test_the_drift_is_the_log_of_outcome_over_the_first_plan(tmp_path, monkeypatch, no_xbrl):
    plans = [row("capex_guidance_2024_meta_low", 30, "2023-10-25", "2024-01-01", "2024-12-31", "guidance"),
             row("capex_guidance_2024_meta_high", 35, "2023-10-25", "2024-01-01", "2024-12-31", "guidance"),
             row("capex_guidance_2024_meta_2024_10_30_low", 38, "2024-10-30", "2024-01-01", "2024-12-31", "guidance"),
             row("capex_guidance_2024_meta_2024_10_30_high", 40, "2024-10-30", "2024-01-01", "2024-12-31", "guidance"),
             row("capex_2024_meta", 39.23, "2025-01-29", "2024-01-01", "2024-12-31")]
    monkeypatch.setenv("JEVONS_FACTS_DIR", str(world(tmp_path, plans=plans)))
    drift = qt.plan_drift("2025-08-15")
    assert drift.for_firm("meta") == pytest.approx(np.log(39.23 / 32.5))
    assert drift.for_firm("alphabet") == drift.pooled  # no vintage of its own: the pooled mean
    assert drift.thin and "thin" in drift.text()
    assert qt.plan_drift("2025-01-28").table.empty  # the outcome not yet known
    with_drift = qt.capex_next_quarter("2025-08-15", engine=engine())
    moves = dict((name, move) for name, _, move in with_drift.total.inputs)
    assert with_drift.total.median == pytest.approx(57.0 * np.exp(np.log(39.23 / 32.5) / 4))
    assert moves["guidance drift"] > 0


def test_drift_and_usage_on_the_real_tables():
    assert qt.plan_drift("2025-01-28").table.empty
    meta = qt.plan_drift("2025-01-29")  # Meta's 2024 outcome: its first plan (30-35) was low
    assert meta.by_firm == {"meta": pytest.approx(np.log(39.23 / 32.5))} and meta.thin
    msft = qt.plan_drift("2025-07-30")
    assert msft.by_firm["microsoft"] == pytest.approx(np.log(88.2 / 80)) and msft.thin
    late = qt.plan_drift("2026-03-31")
    assert set(late.by_firm) == {"microsoft", "meta", "alphabet", "amazon"} and not late.thin
    assert late.for_firm("meta") == pytest.approx((np.log(72.22 / 62.5) + np.log(39.23 / 32.5)) / 2)
    spend = np.random.default_rng(1).normal(0.38, 0.05, 500)
    eps = np.random.default_rng(2).normal(0.9, 0.05, 500)
    assert qt.usage_signal("2025-02-10", spend, eps).shift == 0.0  # no token facts yet
    one = qt.usage_signal("2025-04-30", spend, eps)
    assert len(one.table) == 1 and 0 < one.weight < 0.1  # one series, wide priors: little weight
    usage = qt.usage_signal("2025-12-31", spend, eps)
    assert len(usage.table) == 5 and 0 < usage.weight < 0.1
    assert usage.shift == pytest.approx(usage.weight * (usage.reading - np.median(spend)))
    assert usage.shift == pytest.approx(usage.intensity + usage.demand)
    lo, hi = usage.intensity_range
    assert lo <= usage.intensity <= hi
    # the supply signal: two Google backlog readings by 2026-02-04, none before 2025-10-29
    assert qt.supply_signal("2025-10-28", spend).shift == 0.0
    assert qt.supply_signal("2025-10-29", spend).weight == 0.0  # one reading: precision unknown
    supply = qt.supply_signal("2026-03-31", spend)
    assert len(supply.table) == 3 and 0 < supply.weight < 0.2
    assert supply.table["growth"].iloc[0] == pytest.approx(4 * np.log(155 / 106))
    assert any("Ashkenazi" in s for s in supply.statements)
    assert all("Ashkenazi" not in s for s in qt.supply_signal("2025-02-03", spend).statements)


def test_the_swings_set_one_input_from_its_low_to_its_high(tmp_path, monkeypatch, no_xbrl):
    g = 1.05
    monkeypatch.setenv("JEVONS_FACTS_DIR", str(world(tmp_path, growth=g)))
    nq = qt.capex_next_quarter("2025-08-15", engine=engine(spend=4 * np.log(g), spread=0.2))
    table = nq.total.swings_table()
    row = table.set_index("input").loc["engine growth (compute spend)"]
    last = sum(v * g ** 5 for v in (20.0, 12.0, 15.0, 10.0))  # 2025Q2, the run-rate
    lo, hi = np.quantile(np.full(N, 4 * np.log(g)) + np.linspace(-0.2, 0.2, N), [0.025, 0.975])
    assert row["median at low"] == pytest.approx(last * np.exp(lo / 4))  # no scatter in this world
    assert row["median at high"] == pytest.approx(last * np.exp(hi / 4))
    assert row["change"] == pytest.approx(row["median at high"] - row["median at low"])
    assert table["change"].abs().is_monotonic_decreasing
    assert table.set_index("input").loc["guidance drift", "change"] == 0.0  # no plan outcome known


def test_capex_series_on_their_definitions():
    googl = qt.capex_quarters("GOOGL", "2025-02-10")
    assert googl["quarter"].iloc[-1] == pd.Period("2024Q4", freq="Q")
    assert googl["value"].iloc[-1] == pytest.approx(52.5 - (12.012 + 13.186 + 13.061))
    assert "capex_2024_alphabet" in googl["source"].iloc[-1]
    msft = qt.capex_quarters("MSFT")
    assert msft.set_index("quarter").loc[pd.Period("2025Q3", freq="Q"), "value"] == 34.9  # fiscal Q1 2026
    assert qt.capex_quarters("META", "2025-01-28").empty


# --- the as-of guarantee -------------------------------------------------------------------------


@pytest.mark.parametrize("as_of", [f"{d:%Y-%m-%d}" for d in default_vintages()] + ["2025-01-29"])
def test_later_facts_change_nothing(as_of, tmp_path, monkeypatch):
    before = json.dumps({k: r.to_dict() for k, r in qt.forecast_results(as_of, engines=engines(spread=0.1)).items()})
    monkeypatch.setenv("JEVONS_FACTS_DIR", str(perturbed_facts(tmp_path / "facts", as_of)))
    after = json.dumps({k: r.to_dict() for k, r in qt.forecast_results(as_of, engines=engines(spread=0.1)).items()})
    assert after == before


def test_the_facts_it_reads_do_move_it(tmp_path, monkeypatch):
    """The check above can fail: a changed row dated before the vintage changes the forecast."""
    before = qt.capex_next_quarter("2025-12-31", engine=engine(0.3)).total.median
    dst = tmp_path / "facts"
    dst.mkdir()
    for path in FACTS_DIR.glob("*.csv"):
        (dst / path.name).write_text(path.read_text().replace("capex_2025_q3_meta,19.37,", "capex_2025_q3_meta,29.37,"))
    monkeypatch.setenv("JEVONS_FACTS_DIR", str(dst))
    assert qt.capex_next_quarter("2025-12-31", engine=engine(0.3)).total.median > before + 9


def test_the_whole_pipeline_with_the_fit_ignores_later_facts(tmp_path, monkeypatch):
    as_of = "2025-09-30"
    before = json.dumps(forecasts_as_of(as_of, draws=200))
    monkeypatch.setenv("JEVONS_FACTS_DIR", str(perturbed_facts(tmp_path / "facts", as_of)))
    assert json.dumps(forecasts_as_of(as_of, draws=200)) == before


# --- the JSON blocks ------------------------------------------------------------------------------


def test_the_three_json_blocks_have_the_issue_shape():
    doc = {k: r.to_dict() for k, r in qt.forecast_results("2026-03-31", engines=engines(spend=0.3, spread=0.1)).items()}
    assert list(doc) == ["nvidia_dc_revenue_next_quarter_usd_bn", "capex_next_quarter_usd_bn", "capex_year_usd_bn"]
    nv = doc["nvidia_dc_revenue_next_quarter_usd_bn"]
    assert {"quarter", "median", "interval", "baseline", "baseline_label"} <= set(nv)
    assert nv["quarter"] == "FY2027Q1" and nv["baseline_label"] == qt.LATEST_GUIDANCE
    assert nv["baseline"] == pytest.approx(78 * 62.31 / 68.13)
    for key in ("capex_next_quarter_usd_bn", "capex_year_usd_bn"):
        block = doc[key]
        assert block["quarter"] == "2026Q1"
        assert list(block["companies"]) == list(qt.COMPANIES)
        for part in [*block["companies"].values(), block["total"]]:
            assert {"median", "interval", "baseline"} <= set(part)
            lo, hi = part["interval"]
            assert lo < part["median"] < hi
    assert doc["capex_year_usd_bn"]["year"] == "2026"
    assert doc["capex_year_usd_bn"]["companies"]["META"]["baseline"] == pytest.approx(125.0)
    assert json.loads(json.dumps(doc, allow_nan=False)) == doc
    text = qt.forecast_results("2026-03-31", engines=engines(spend=0.3))["capex_year_usd_bn"].summary().as_text()
    assert "what each input moves" in text and "MSFT" in text


# --- bad inputs ----------------------------------------------------------------------------------


@pytest.mark.parametrize("as_of", ["2025-01-28", "2026-04-01"])
def test_a_date_outside_the_range_is_one_line(as_of):
    with pytest.raises(JevonsError) as err:
        qt.capex_next_quarter(as_of, engine=engine())
    assert as_of in str(err.value) and "allowed: 2025-01-29 to 2026-03-31" in str(err.value)
    with pytest.raises(JevonsError, match=as_of):
        qt.nvidia_next_quarter(as_of, engine=engine())


def test_the_forecasts_need_the_fit_of_their_date():
    with pytest.raises(JevonsError, match="allowed: the fit"):
        qt.capex_next_quarter("2025-06-30")


def test_a_malformed_date_is_one_line():
    with pytest.raises(JevonsError, match="YYYY-MM-DD"):
        qt.capex_year("2025-13-01", engine=engine())


def test_a_quarter_row_with_the_wrong_period_names_file_line_and_id(tmp_path, monkeypatch, no_xbrl):
    directory = world(tmp_path)
    path = directory / "capex.csv"
    path.write_text(path.read_text().replace("capex_2025_q2_meta,10.0,USD bn,2025-07-30,2025-04-01,2025-06-30",
                                             "capex_2025_q2_meta,10.0,USD bn,2025-07-30,2025-04-01,2025-07-31"))
    monkeypatch.setenv("JEVONS_FACTS_DIR", str(directory))
    with pytest.raises(DataError) as err:
        qt.capex_next_quarter("2025-08-15", engine=engine())
    message = str(err.value)
    assert "capex.csv line" in message and "capex_2025_q2_meta" in message and "2025-04-01..2025-06-30" in message


def test_a_quarter_row_without_its_definition_is_refused(tmp_path, monkeypatch, no_xbrl):
    directory = world(tmp_path)
    path = directory / "capex.csv"
    path.write_text(path.read_text().replace("Capex including principal payments on finance leases.", "Capex."))
    monkeypatch.setenv("JEVONS_FACTS_DIR", str(directory))
    with pytest.raises(DataError, match="capex_2024_q1_meta.*definition"):
        qt.capex_next_quarter("2025-08-15", engine=engine())


def test_an_nvidia_row_spanning_a_year_is_refused(tmp_path, monkeypatch, no_xbrl):
    bad = row("nvda_dc_revenue_fy2030_q1", 5, "2025-01-01", "2024-01-01", "2024-12-31")
    monkeypatch.setenv("JEVONS_FACTS_DIR", str(world(tmp_path, extra=[bad])))
    with pytest.raises(DataError, match="nvda_dc_revenue_fy2030_q1.*one Nvidia fiscal quarter"):
        qt.nvidia_next_quarter("2025-08-15", engine=engine())
