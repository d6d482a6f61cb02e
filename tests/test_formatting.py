"""Known answers for the reader's number and table formatting (model.output.formatting, show_table)."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from model.output import formatting
from model.output.book import show_table
from model.output.plotting import style


@pytest.mark.parametrize("value, text", [
    (1234567.891, "1,234,568"),
    (192.252370, "192.3"),
    (16.97, "17.0"),
    (1.2345, "1.23"),
    (0.012345, "0.0123"),
    (-0.00123456, "-0.00123"),
    (2.0, "2"),
    (1500, "1,500"),
    (np.int64(-2500), "-2,500"),
    (-0.0, "0"),
    (-0.0004, "-0.000400"),
    (9.894e14, "9.89 × 10¹⁴"),
    (5.3e-15, "5.30 × 10⁻¹⁵"),
    (float("nan"), ""),
    (float("inf"), "∞"),
    (True, "yes"),
])
def test_format_number_known_answers(value, text):
    assert formatting.format_number(value) == text


def test_a_column_shares_its_decimals_and_a_tiny_value_keeps_its_digits():
    cell = formatting.number_formatter(pd.Series([0.45, 1.2, 2.13, 1.6, 0.0004]))
    assert [cell(v) for v in (0.45, 1.2, 2.13, 0.0004)] == ["0.45", "1.20", "2.13", "0.000400"]
    whole = formatting.number_formatter(pd.Series([3.0, 1200.0]))
    assert [whole(3.0), whole(1200.0)] == ["3", "1,200"]


def test_years_stay_plain_and_dates_are_days():
    frame = pd.DataFrame({"year": [2024, 2025], "value (USD bn)": [1900, 2100],
                          "as_of": pd.to_datetime(["2018-12-31 00:00", "2025-01-27 16:00"])})
    assert formatting.column_kinds(frame) == ["year", "number", "date"]
    html = show_table(frame).to_html()
    assert ">2024<" in html and ">2,024<" not in html
    assert ">1,900<" in html
    assert ">2018-12-31<" in html and "00:00" not in html


def test_no_default_index_and_a_named_index_becomes_a_column():
    frame = pd.DataFrame({"a": [1.5, 2.5]})
    html = show_table(frame).to_html()
    assert "row_heading" not in html and "index_name" not in html
    named = show_table(frame.set_axis(pd.Index(["x", "y"], name="case"))).to_html()
    assert "row_heading" not in named and ">Case<" in named and ">x<" in named
    assert "row_heading" in show_table(frame, index=True).to_html()


def test_headers_are_renamed_for_display_only():
    frame = pd.DataFrame({"T_hw (yr)": [2.46], "hc3 high": [2.72], "fp16_tensor_only": ["yes"]})
    html = show_table(frame, names={"fp16_tensor_only": "FP16 tensor cores only"}).to_html()
    assert "Doubling time (years)" in html and "95% interval, high (HC3)" in html
    assert "FP16 tensor cores only" in html
    assert "T_hw" not in html and "hc3 high" not in html and "fp16_tensor_only" not in html
    assert list(frame.columns) == ["T_hw (yr)", "hc3 high", "fp16_tensor_only"]


def test_caller_formats_win_and_text_is_left_alone():
    frame = pd.DataFrame({"x": [0.123456], "y": [0.123456], "note": ["see {here}"]})
    html = show_table(frame, {"x": "{:.4f}"}).to_html()
    assert ">0.1235<" in html and ">0.123<" in html and ">see {here}<" in html
    shared = show_table(frame, "{:.1f}").to_html()  # a shared format applies to numbers only
    assert ">0.1<" in shared and ">see {here}<" in shared


def test_numbers_align_right_and_tables_lay_out_automatically():
    html = show_table(pd.DataFrame({"n": [1.5], "t": ["a"]})).to_html()
    assert "table-layout: auto" in html
    assert "td.col0" in html and "text-align: right" in html
    assert "–" in show_table(pd.DataFrame({"n": [np.nan, 1.0]})).to_html()


def test_long_tokens_get_break_opportunities_and_html_is_left_alone():
    digest = "e90bfa9e4c005381c1f45f3554aeebc0b6997f98c6ada87584a966d9"
    assert formatting.soft_breaks(digest).replace("<wbr>", "") == digest
    assert formatting.soft_breaks(digest).count("<wbr>") == 3
    assert formatting.soft_breaks("model.calibration.hardware_fit") == \
        "model.<wbr>calibration.<wbr>hardware_<wbr>fit"
    link = '<a href="https://example.org/a/very/long/path/indeed">text</a>'
    assert formatting.soft_breaks(link) == link
    assert formatting.soft_breaks("short words only") == "short words only"


# --- figures: the house style's labels, ticks and colours --------------------------------------------
def test_log_ticks_are_plain_numbers_and_powers_only_beyond_a_million():
    assert [style._plain_or_power(v) for v in (0.001, 0.5, 1, 1000, 1e6, 1e7, 1e-5)] == \
        ["0.001", "0.5", "1", "1,000", "1,000,000", "10⁷", "10⁻⁵"]
    assert [style._plain(v) for v in (0.2, 1, 6, 40, 2000)] == ["0.2", "1", "6", "40", "2,000"]


def test_auto_log_axis_picks_ticks_by_the_range_drawn():
    fig, ax = plt.subplots()
    ax.plot([1, 2], [0.2, 6])
    style.auto_log_axis(ax, "y")
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert "0.2" in labels and "1" in labels and "5" in labels
    assert not any("10^" in t or "×" in t or "$" in t for t in labels)
    plt.close(fig)


def test_sentence_case_keeps_proper_names_and_maths():
    assert style.sentence("compute spend (USD bn)") == "Compute spend (USD bn)"
    assert style.sentence("Epoch AI 2022") == "Epoch AI 2022"
    assert style.sentence(r"$\sigma$ = 1") == r"$\sigma$ = 1"
    assert style.sentence("") == "" and style.sentence(None) is None


def test_every_shipped_scenario_has_its_own_colour_and_name():
    shipped = {p.stem for p in (Path(__file__).resolve().parents[1] / "scenarios").glob("*.toml")}
    assert shipped <= set(style.SCENARIO_COLOURS) and shipped <= set(style.SCENARIO_LABELS)
    colours = [style.SCENARIO_COLOURS[name] for name in shipped]
    assert len(set(colours)) == len(colours)
    assert style.scenario_label("deepseek") == "DeepSeek" and style.scenario_label("x") == "x"
    assert len(set(style.PRECISION_COLOURS.values())) == len(style.PRECISION_COLOURS)


def test_figures_are_rendered_at_150_dpi_or_more():
    assert style.DPI >= 150 and style.RC["savefig.dpi"] >= 150 and style.RC["figure.dpi"] >= 150


def test_lower_case_labels_get_their_proper_names_back_outside_maths():
    assert style.sentence("compute spend in 2030 (usd bn)") == "Compute spend in 2030 (USD bn)"
    assert style.sentence("nvidia's share, 27 january 2025") == "Nvidia's share, 27 January 2025"
    assert style.sentence(r"$\sigma_{gdp}$ and gdp") == r"$\sigma_{gdp}$ and GDP"
    assert style.sentence("flop demand") == "FLOP demand"


def test_symbols_and_short_abbreviations_keep_their_case_in_headers():
    assert [formatting.display_name(n) for n in ("t", "t p", "se (%)", "n", "source", "p05")] == \
        ["t", "t p", "se (%)", "n", "Source", "p05"]


def test_plain_log_ticks_switch_to_powers_of_ten_from_ten_million():
    assert [style._plain(v) for v in (1e6, 2e6, 1e7, 2e7)] == \
        ["1,000,000", "2,000,000", "10⁷", "2×10⁷"]
