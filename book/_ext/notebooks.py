"""Each chapter's executed notebook as a download (``.ipynb`` in the page's download menu).

Jupyter Book 1 (MyST-NB) executes every MyST-markdown chapter into
``_build/jupyter_execute/<page>.ipynb`` and stores the glued values beside it in
``<page>.glue.json``. For each page that has one, this extension writes a copy into the HTML
output's ``_sources/<page>.ipynb`` and sets the page's ``ipynb_source``, which makes
sphinx-book-theme list it in the download menu (".ipynb", next to ".md" and ".pdf").

The copy is the executed notebook (code and outputs) with one change a reader needs outside the
book: the ``{glue:text}`name:fmt``` and ``{glue}`name``` roles in its markdown are replaced by
the values the build glued, formatted as on the page, so the prose reads with numbers in
JupyterLab too. Re-running the notebook recomputes the cells; the "numbers used in the text"
tables of ``model.output.book`` then show the new values.

The extension also sets ``JEVONS_BOOK_BUILD=1`` for the build, so that those live tables are not
shown on the book's pages (the kernels that execute the chapters inherit the environment).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

BOOK_BUILD_ENV = "JEVONS_BOOK_BUILD"  # the same name as model.output.book.BOOK_BUILD_ENV
EXECUTED_FOLDER = "jupyter_execute"
# {glue:text}`key:fmt`, {glue:text}`key`, {glue}`key` (and {glue:}`key`).
GLUE_ROLE = re.compile(r"\{glue(?::text|:)?\}`([^`]+)`")


def format_value(data: dict[str, Any], spec: str) -> str:
    """A glued value's ``text/plain`` as the ``glue:text`` role prints it with ``spec``."""
    from myst_nb.core.variables import format_plain_text

    return format_plain_text(data["text/plain"], spec)


def fill_glue(text: str, glue: dict[str, Any]) -> str:
    """``text`` with every glue role whose key ``glue`` holds replaced by its formatted value;
    roles naming other documents (``doc::key``) or unknown keys are left as they are."""

    def replace(match: re.Match) -> str:
        content = match.group(1)
        if "::" in content:
            return match.group(0)
        key, _, spec = content.partition(":")  # keys hold no ':'; the spec may
        item = glue.get(key)
        if not item or "text/plain" not in item.get("data", {}):
            return match.group(0)
        try:
            return format_value(item["data"], spec or "s")
        except (TypeError, ValueError):
            return match.group(0)

    return GLUE_ROLE.sub(replace, text)


def downloadable_notebook(executed: Path) -> dict[str, Any]:
    """The executed notebook ``executed`` as a reader downloads it: glue roles in the markdown
    replaced by the glued values (from ``<page>.glue.json`` beside it, when there is one)."""
    notebook = json.loads(executed.read_text(encoding="utf-8"))
    glue_file = executed.with_name(executed.name[: -len(".ipynb")] + ".glue.json")
    glue = json.loads(glue_file.read_text(encoding="utf-8")) if glue_file.is_file() else {}
    if glue:
        for cell in notebook.get("cells", []):
            if cell.get("cell_type") != "markdown":
                continue
            source = cell.get("source", "")
            text = "".join(source) if isinstance(source, list) else source
            cell["source"] = fill_glue(text, glue)
    return notebook


def copy_notebook(build_dir: Path, html_dir: Path, pagename: str) -> str | None:
    """Write the downloadable notebook of ``pagename`` into ``<html>/_sources``; returns its
    path relative to ``_sources`` (``chapters/scenarios.ipynb``), or None when the page was not
    executed as a notebook."""
    executed = build_dir / EXECUTED_FOLDER / f"{pagename}.ipynb"
    if not executed.is_file():
        return None
    relative = f"{pagename}.ipynb"
    target = html_dir / "_sources" / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(downloadable_notebook(executed), indent=1, ensure_ascii=False) + "\n"
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)
    return relative


def add_notebook_download(app, pagename, templatename, context, doctree) -> None:
    """``html-page-context`` handler: offer the page's executed notebook for download."""
    if app.builder.format != "html" or doctree is None:
        return
    relative = copy_notebook(Path(app.outdir).parent, Path(app.outdir), pagename)
    if relative is not None:
        context["ipynb_source"] = relative


def setup(app):
    os.environ[BOOK_BUILD_ENV] = "1"
    # before sphinx-book-theme builds its header buttons (priority 501)
    app.connect("html-page-context", add_notebook_download, priority=500)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
