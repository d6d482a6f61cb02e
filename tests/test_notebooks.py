"""Chapters as notebooks: the glue helpers' live "numbers used in the text" tables (shown in a
real kernel, not in the book's build), the book extension that offers each executed chapter as
an ``.ipynb`` download with its glue roles filled in, and the ``make lab`` / ``make book`` targets.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
import yaml
from nbclient import NotebookClient

from model.output import book

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "book" / "_ext"))
notebooks = importlib.import_module("notebooks")

GLUE_CELL = ("from model.output.book import glue_values, glue_value\n"
             "glue_values({'share': 0.0019987654, 'n': 1250, 'name': 'NVDA'}, prefix='t_')\n"
             "glue_value('t_date', __import__('datetime').date(2025, 1, 27))")


def run_in_kernel(source: str) -> list[dict]:
    """Execute one code cell in a real IPython kernel; its outputs."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={
        "metadata": {"path": str(PROJECT)}}).execute()
    return nb.cells[0].outputs


def shown_tables(outputs) -> list[str]:
    return [o["data"]["text/html"] for o in outputs
            if o.get("output_type") == "display_data" and "text/html" in o.get("data", {})
            and "numbers used in the text" in o["data"]["text/html"]]


def glued(outputs) -> dict[str, str]:
    return {o["metadata"]["scrapbook"]["name"]: o["data"]["application/papermill.record/text/plain"]
            for o in outputs if "scrapbook" in o.get("metadata", {})}


def test_a_live_kernel_shows_the_glued_numbers(monkeypatch):
    monkeypatch.delenv(book.BOOK_BUILD_ENV, raising=False)
    outputs = run_in_kernel(GLUE_CELL)
    tables = shown_tables(outputs)
    assert len(tables) == 2  # one table per glue call
    assert "<code>t_share</code>" in tables[0] and "0.00199877" in tables[0]
    assert "1,250" in tables[0] and "NVDA" in tables[0]
    assert "<code>t_date</code>" in tables[1] and "2025-01-27" in tables[1]
    assert glued(outputs) == {"t_share": "0.0019987654", "t_n": "1250", "t_name": "'NVDA'",
                              "t_date": "'2025-01-27'"}


def test_the_book_build_glues_without_showing_tables(monkeypatch):
    monkeypatch.setenv(book.BOOK_BUILD_ENV, "1")
    outputs = run_in_kernel(GLUE_CELL)
    assert shown_tables(outputs) == []
    assert set(glued(outputs)) == {"t_share", "t_n", "t_name", "t_date"}


def test_outside_a_kernel_nothing_is_displayed(monkeypatch, capsys):
    monkeypatch.delenv(book.BOOK_BUILD_ENV, raising=False)
    assert not book.live_notebook()
    table = book.GluedNumbers({"x": 1.0 / 3.0, "flag": True})
    assert repr(table) == "numbers used in the text:\n  x     0.333333\n  flag  True"
    assert notebooks.BOOK_BUILD_ENV == book.BOOK_BUILD_ENV


def fake_build(tmp_path: Path) -> Path:
    build = tmp_path / "_build"
    executed = build / "jupyter_execute" / "chapters"
    executed.mkdir(parents=True)
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell(
            "Spend falls {glue:text}`drop:.1f`% ({glue:text}`label`); elasticity "
            "{glue}`eps`; {glue:text}`other::key:.2f` and {glue:text}`unknown:.2f` stay."),
        nbformat.v4.new_code_cell("x = 1", outputs=[nbformat.v4.new_output(
            "stream", name="stdout", text="1\n")]),
    ])
    nbformat.write(nb, executed / "demo.ipynb")
    (executed / "demo.glue.json").write_text(json.dumps({
        "drop": {"data": {"text/plain": "-13.4321"}, "metadata": {}},
        "label": {"data": {"text/plain": "'the fitted scenario'"}, "metadata": {}},
        "eps": {"data": {"text/plain": "1.2"}, "metadata": {}},
    }))
    (build / "html").mkdir()
    return build


def test_the_extension_offers_the_executed_notebook_with_numbers(tmp_path):
    build = fake_build(tmp_path)
    app = SimpleNamespace(builder=SimpleNamespace(format="html"), outdir=str(build / "html"))
    context: dict = {}
    notebooks.add_notebook_download(app, "chapters/demo", "page.html", context, doctree=object())
    assert context["ipynb_source"] == "chapters/demo.ipynb"
    copied = nbformat.read(build / "html" / "_sources" / "chapters" / "demo.ipynb", as_version=4)
    assert copied.cells[0].source == (
        "Spend falls -13.4% (the fitted scenario); elasticity 1.2; "
        "{glue:text}`other::key:.2f` and {glue:text}`unknown:.2f` stay.")
    assert copied.cells[1].outputs[0]["text"] == "1\n"  # outputs kept
    context = {}
    notebooks.add_notebook_download(app, "chapters/not_a_notebook", "page.html", context, object())
    assert "ipynb_source" not in context


def test_the_extension_is_registered_before_the_theme_buttons(monkeypatch):
    monkeypatch.delenv(notebooks.BOOK_BUILD_ENV, raising=False)
    calls = []
    app = SimpleNamespace(connect=lambda event, fn, priority=500: calls.append((event, fn, priority)))
    notebooks.setup(app)
    assert calls == [("html-page-context", notebooks.add_notebook_download, 500)]
    import os
    assert os.environ[notebooks.BOOK_BUILD_ENV] == "1"
    config = yaml.safe_load((PROJECT / "book" / "_config.yml").read_text())
    assert config["sphinx"]["local_extensions"]["notebooks"] == "_ext/"


def make_dry_run(target: str) -> str:
    result = subprocess.run(["make", "-n", "-s", target], cwd=PROJECT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.skipif(subprocess.run(["which", "make"], capture_output=True).returncode != 0,
                    reason="make is not installed")
def test_make_lab_and_the_data_check_of_make_book():
    lab = make_dry_run("lab")
    assert "pip install --quiet -c requirements.lock -e '.[dev,lab]'" in lab
    assert '"defaultViewers": {"markdown": "Jupytext Notebook"}' in lab
    assert "jupyter-lab --ServerApp.root_dir=book" in lab
    build = make_dry_run("book").splitlines()
    check = next(i for i, line in enumerate(build) if "jevons data fetch --missing" in line)
    assert check < next(i for i, line in enumerate(build) if "jupyter-book build" in line)
