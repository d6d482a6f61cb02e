"""A scenario file's inline comments are the sources the parameter tables show."""

from __future__ import annotations

from model.output import tables
from model.scenarios.files import key_comments
from model.scenarios.loader import load_scenario


def test_key_comments_reads_tables_arrays_and_skips_hashes_in_strings(tmp_path):
    path = tmp_path / "x.toml"
    path.write_text(
        'description = "a # in a string"  # the description\n'
        "[demand]\n"
        'substitution = { dist = "lognormal", median = 0.9, sigma = 0.1 }  # the fit\n'
        "growth = 0.3\n"
        "# a line of comment only = not a key\n"
        "[[efficiency.shocks]]\n"
        "factor = 11  # first shock\n"
        "[[efficiency.shocks]]\n"
        "factor = 27  # second shock\n",
        encoding="utf-8")
    assert key_comments(path) == {"description": "the description", "demand.substitution": "the fit",
                                  "efficiency.shocks[0].factor": "first shock",
                                  "efficiency.shocks[1].factor": "second shock"}
    assert key_comments(tmp_path / "missing.toml") == {}


def test_parameter_table_shows_the_fitted_files_own_sources():
    table = tables.parameter_table(load_scenario("fitted")).set_index("key")["source"]
    comments = key_comments("scenarios/fitted.toml")
    assert table["demand.substitution"] == comments["demand.substitution"]
    assert "combined elasticity" in table["demand.substitution"]
