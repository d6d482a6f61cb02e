"""The built book in headless Chromium with the network blocked (``make browser-test``).

Every test here is marked ``browser`` and left out of ``make test`` (``-m "not browser"`` in
pyproject.toml); it needs Debian's ``chromium`` and ``chromium-driver`` and a built book
(``make book``). ``JEVONS_BOOK_HTML`` points at another built copy.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
BOOK_HTML = Path(os.environ.get("JEVONS_BOOK_HTML", PROJECT_DIR / "book" / "_build" / "html"))
CHROMEDRIVER = os.environ.get("JEVONS_CHROMEDRIVER", "/usr/bin/chromedriver")
CHROME_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # no host name resolves: nothing leaves the machine
    "--window-size=1400,900",
)


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def book_html() -> Path:
    if not (BOOK_HTML / "index.html").is_file():
        pytest.fail(f"{BOOK_HTML}: no built book (index.html); run `make book` first")
    return BOOK_HTML


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium driven by chromedriver, logging every network event."""
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    if not Path(CHROMEDRIVER).is_file() or shutil.which("chromium") is None:
        pytest.fail(
            f"chromium and {CHROMEDRIVER} are needed: apt-get install chromium chromium-driver"
        )
    profile = tempfile.mkdtemp(prefix="jevons-chromium-")
    options = webdriver.ChromeOptions()
    for flag in (*CHROME_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_script_timeout(90)
    driver.set_page_load_timeout(120)
    driver.execute_cdp_cmd("Network.enable", {})
    # Belt and braces: any http(s) or ws request is refused (and still logged, so it fails a test).
    driver.execute_cdp_cmd(
        "Network.setBlockedURLs", {"urls": ["http://*", "https://*", "ws://*", "wss://*"]}
    )
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
