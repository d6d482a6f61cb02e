"""The book's pages need nothing from the internet, and each says how recent its data are.

* **MathJax** is served from the book's own ``_static/mathjax``: the files of MathJax 3 that the
  pinned package ``sphinx-mathjax-offline`` installs (``tex-chtml.js``, its fonts and the TeX
  extensions it loads on demand) are copied at the end of the build, and ``mathjax_path``
  points at them. The package's own Sphinx hook is not used: it sets ``mathjax_path`` while
  extensions load, where the book's configuration can still replace it, and copies nothing
  after a build with warnings.
* **plotly.js** (``plotly.min.js`` of the installed ``plotly`` package) goes to ``_static`` as
  well, and only pages with an interactive figure (``model.output.plotting.interactive``) load
  it, with ``_static/controls.js`` and ``controls.css`` that drive the figures' sliders.
* **sphinx-thebe's scripts** (loaded by Jupyter Book, unused: the book has no live-code launch
  button) are left out of every page: they hold thebe's CDN address.
* **The data date**: a line at the top of every page (the theme's announcement bar) with the
  date of the newest curated fact (``data/facts``, read by ``model.data.facts``) and the default
  information cutoff of the fits (``model.constants.DEFAULT_AS_OF``).
"""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import plotly

from model.constants import DEFAULT_AS_OF
from model.data.facts import load_facts

HERE = Path(__file__).resolve().parent
STATIC = HERE.parent / "_static"  # book/_static: controls.js, controls.css
MATHJAX_PACKAGE = "sphinx-mathjax-offline"
MATHJAX_ENTRY = "mathjax/tex-chtml.js"  # relative to _static
PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
INTERACTIVE_MARK = 'class="jevons-interactive"'


def mathjax_source() -> Path:
    """The MathJax 3 folder installed by the pinned ``sphinx-mathjax-offline`` package."""
    package = importlib.import_module(MATHJAX_PACKAGE)
    folder = Path(package.__file__).resolve().parent / "static" / "mathjax"
    if not (folder / "tex-chtml.js").is_file():
        raise FileNotFoundError(
            f"{folder}: no tex-chtml.js; reinstall {MATHJAX_PACKAGE} (make book)"
        )
    return folder


def data_date_line() -> str:
    """The announcement: the newest curated fact's date and the fits' default cutoff."""
    newest = load_facts()["as_of"].max()
    return (
        f"Data as of {newest:%Y-%m-%d}: the newest curated fact in data/facts. Each fit uses "
        f"only what was known on its as-of date ({DEFAULT_AS_OF} unless the page says otherwise)."
    )


def _configure(app, config) -> None:
    config.mathjax_path = MATHJAX_ENTRY
    config.html_static_path = [*config.html_static_path, str(STATIC)]
    options = dict(config.html_theme_options or {})
    options["announcement"] = data_date_line()
    config.html_theme_options = options


def _is_thebe(script) -> bool:
    """sphinx-thebe's scripts: live code through Binder, which the book does not offer (no launch
    button), with the CDN address of thebe written into every page."""
    name = str(getattr(script, "filename", "") or "")
    body = str(getattr(script, "attributes", {}).get("body", ""))
    return name.endswith("sphinx-thebe.js") or "THEBE_JS_URL" in body


def _page_assets(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if isinstance(scripts, list):  # this page's list (Sphinx restores it for the next page)
        scripts[:] = [script for script in scripts if not _is_thebe(script)]
    if INTERACTIVE_MARK in context.get("body", ""):
        app.add_js_file("plotly.min.js", priority=400)
        app.add_js_file("controls.js", priority=410)
        app.add_css_file("controls.css")


def _copy_assets(app, exception) -> None:
    if app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    shutil.copytree(mathjax_source(), static / "mathjax", dirs_exist_ok=True)
    shutil.copy2(PLOTLY_JS, static / "plotly.min.js")


def setup(app):
    app.connect("config-inited", _configure, priority=900)  # after the book's own settings
    app.connect("html-page-context", _page_assets)
    app.connect("build-finished", _copy_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
