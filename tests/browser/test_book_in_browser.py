"""The built book as a reader sees it: headless Chromium, no network.

For every page: no request leaves the machine (every request the page makes is a local file or
inline data, and every local file it asks for exists), MathJax has typeset every equation
(an ``mjx-container`` in each math element) and no raw TeX is left in the text. For every
interactive figure: moving each slider changes the figure's data and its drawing within 100 ms
(each slider is moved three times once the page has settled; the median counts, so that one
move delayed by a busy machine does not decide).

The measured redraw times are written to ``browser-test.json`` beside the built HTML.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from selenium.webdriver.support.ui import WebDriverWait

PROJECT_DIR = Path(__file__).resolve().parents[2]
BOOK_HTML = Path(os.environ.get("JEVONS_BOOK_HTML", PROJECT_DIR / "book" / "_build" / "html"))
REDRAW_LIMIT_MS = 100.0
# chrome:// are the browser's own built-in pages (its start page), never a network request.
LOCAL_SCHEMES = {"file", "data", "blob", "about", "chrome", "chrome-extension", "devtools"}
# TeX left in the page text: a control word (\frac, \varepsilon), \( \) \[ \] or $$.
RAW_TEX = re.compile(r"\\(?:[A-Za-z]+|\(|\)|\[|\])|\$\$")
SKIPPED_DIRS = {"_static", "_sources", "_images", "_downloads"}
TIMINGS: dict[str, list[dict]] = {}


def _pages() -> list[str]:
    if not BOOK_HTML.is_dir():
        return []
    return sorted(str(p.relative_to(BOOK_HTML)) for p in BOOK_HTML.rglob("*.html")
                  if not SKIPPED_DIRS & set(p.relative_to(BOOK_HTML).parts) and not _redirect(p))


def _redirect(path: Path) -> bool:
    """A page that only sends the reader on (index.html -> intro.html): its target is checked."""
    text = path.read_text(errors="replace")
    return len(text) < 1000 and 'http-equiv="Refresh"' in text


PAGES = _pages() or ["index.html"]  # without a build, the fixture fails with what to do
INTERACTIVE = [
    p
    for p in PAGES
    if (BOOK_HTML / p).is_file()
    and 'class="jevons-interactive"' in (BOOK_HTML / p).read_text(errors="replace")
]

WAIT_FOR_MATHJAX = """
const done = arguments[arguments.length - 1];
const started = performance.now();
(function wait() {
  const hasMath = document.querySelector(".math") !== null;  // asked again on every turn
  if (document.readyState !== "complete") {
    setTimeout(wait, 50);
  } else if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    MathJax.startup.promise.then(() => done("ok"), (e) => done("MathJax failed: " + e));
  } else if (!hasMath) {
    done("none");  // Sphinx loads MathJax only on pages with math
  } else if (performance.now() - started > 30000) {
    done("no MathJax after 30 s on a page with math");
  } else {
    setTimeout(wait, 50);
  }
})();
"""

PAGE_STATE = """
const math = document.querySelectorAll("span.math, div.math");
const untypeset = Array.from(math).filter((m) => !m.querySelector("mjx-container"))
  .map((m) => m.textContent.slice(0, 80));
const body = document.body.cloneNode(true);
body.querySelectorAll("pre, code, script, style, mjx-container, .jevons-spec")
  .forEach((n) => n.remove());
return {math: math.length, containers: document.querySelectorAll("mjx-container").length,
        untypeset: untypeset, text: body.textContent};
"""

SETTLE = """
const done = arguments[arguments.length - 1];
(async () => {
  await document.fonts.ready;
  await Promise.all(Array.from(document.querySelectorAll(".jevons-interactive"))
    .map((box) => box.jevonsRedraw));
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => requestAnimationFrame(() => resolve()));
  }
  await new Promise((resolve) => requestIdleCallback(() => resolve(), {timeout: 3000}));
})().then(() => done("ok"), (e) => done(String(e)));
"""

MOVE_CONTROL = """
const [index, axis, target, done] = arguments;
(async () => {
  const box = document.querySelectorAll(".jevons-interactive")[index];
  const plot = box.querySelector(".jevons-plot");
  await box.jevonsRedraw;
  const data = () => JSON.stringify(plot.data.map((t) => [Array.from(t.x || []),
                                                          Array.from(t.y || [])]));
  const drawing = () => Array.from(plot.querySelectorAll(".scatterlayer path"))
    .map((p) => p.getAttribute("d")).join("|");
  const input = box.querySelector('input[data-axis="' + axis + '"]');
  const readout = box.querySelector(".jevons-readout");
  const before = [data(), drawing(), readout.textContent, input.nextElementSibling.textContent];
  if (Number(input.value) === target) { return {error: "already at " + target}; }
  const t0 = performance.now();
  input.value = String(target);
  input.dispatchEvent(new Event("input", {bubbles: true}));
  await box.jevonsRedraw;
  const t1 = performance.now();
  await new Promise((resolve) => requestAnimationFrame(() => resolve()));
  const t2 = performance.now();
  return {id: box.id, axis: axis, traces: plot.data.length,
          redraw_ms: t1 - t0, painted_ms: t2 - t0,
          data_changed: data() !== before[0], drawing_changed: drawing() !== before[1],
          readout_changed: readout.textContent !== before[2],
          label_changed: input.nextElementSibling.textContent !== before[3]};
})().then(done, (e) => done({error: String(e)}));
"""

CONTROLS = """
return Array.from(document.querySelectorAll(".jevons-interactive"))
  .map((box) => Array.from(box.querySelectorAll("input[data-axis]"))
    .map((input) => [Number(input.value), Number(input.max)]));
"""


def _network(driver) -> tuple[list[str], list[str]]:
    """(URLs requested, local files that failed to load) since the last call."""
    requested, failed, urls = [], [], {}
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message["method"] == "Network.requestWillBeSent":
            url = params["request"]["url"]
            urls[params["requestId"]] = url
            requested.append(url)
        elif message["method"] == "Network.loadingFailed":
            failed.append(f"{urls.get(params['requestId'], '?')}: {params.get('errorText')}")
    return requested, failed


def _open(driver, page: str) -> None:
    _network(driver)  # drop the events of earlier pages
    target = (BOOK_HTML / page).resolve().as_uri()
    driver.get(target)
    # get() can return while the previous document is still the current one: wait for ours
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script("return location.href.split('#')[0]") == target
        and d.execute_script("return document.readyState") == "complete")
    state = driver.execute_async_script(WAIT_FOR_MATHJAX)
    assert state in ("ok", "none"), f"{page}: {state}"
    if state == "none":
        assert driver.execute_script("return document.querySelectorAll('.math').length") == 0, (
            f"{page} has math but did not load MathJax"
        )


@pytest.mark.parametrize("page", PAGES)
def test_page_is_offline_and_typeset(browser, book_html, page):
    _open(browser, page)
    state = browser.execute_script(PAGE_STATE)
    requested, failed = _network(browser)
    outside = [u for u in requested if urlparse(u).scheme not in LOCAL_SCHEMES]
    assert not outside, f"{page} requests from outside the machine: {outside[:5]}"
    assert not failed, f"{page}: local files that did not load: {failed[:5]}"
    assert not state["untypeset"], f"{page}: math not typeset: {state['untypeset'][:3]}"
    assert state["containers"] >= state["math"]
    raw = sorted({m.group(0) for m in RAW_TEX.finditer(state["text"])})
    assert not raw, f"{page}: raw TeX in the page text: {raw[:10]}"


@pytest.mark.skipif(not INTERACTIVE, reason="no built page has an interactive figure")
@pytest.mark.parametrize("page", INTERACTIVE)
def test_every_control_redraws_its_figure_fast(browser, book_html, page):
    _open(browser, page)
    assert browser.execute_async_script(SETTLE) == "ok"  # a reader moves a slider after loading
    controls = browser.execute_script(CONTROLS)
    assert controls and all(controls), f"{page}: interactive figures without controls"
    results = []
    for index, sliders in enumerate(controls):
        for axis, (start, top) in enumerate(sliders):
            # three moves of each slider: to the far end, the middle, back to where it opened
            far = 0 if 2 * start > top else top
            middle = top // 2 if top // 2 not in (far, start) else (top // 2 + 1) % (top + 1)
            current = start
            for target in (far, middle, start):
                if target != current:
                    results.append(browser.execute_async_script(MOVE_CONTROL, index, axis, target))
                    current = target
    TIMINGS[page] = results
    _write_timings()
    for r in results:
        assert "error" not in r, f"{page}: {r}"
        where = f"{page} {r['id']} control {r['axis']}"
        assert r["data_changed"] and r["drawing_changed"], f"{where}: the figure is unchanged: {r}"
        assert r["label_changed"], f"{where}: the slider's value label did not change"
    for key in sorted({(r["id"], r["axis"]) for r in results}):
        times = sorted(r["painted_ms"] for r in results if (r["id"], r["axis"]) == key)
        assert times[len(times) // 2] < REDRAW_LIMIT_MS, f"{page} {key}: redraws took {times} ms"
    requested, _ = _network(browser)
    assert all(urlparse(u).scheme in LOCAL_SCHEMES for u in requested)


CDN_SOURCE = re.compile(
    r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//""")
CDN_HOSTS = ("unpkg.com", "jsdelivr.net", "cdnjs.", "cdn.plot.ly", "requirejs", "googleapis.com")


@pytest.mark.parametrize("page", PAGES)
def test_no_page_names_a_cdn(book_html, page):
    """Links in the prose to sources are fine; scripts, styles and images must be local."""
    text = (book_html / page).read_text(errors="replace")
    assert not CDN_SOURCE.findall(text), f"{page} loads an asset from another host"
    named = [host for host in CDN_HOSTS if host in text]
    assert not named, f"{page} names a CDN: {named}"


def _write_timings() -> None:
    out = Path(BOOK_HTML).parent / "browser-test.json"
    try:
        out.write_text(json.dumps(TIMINGS, indent=1))
    except OSError:
        pass
