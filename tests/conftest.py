"""Fixtures of the real-browser tests (tests/test_browser*.py): one Chromium and one
JupyterLab server per test module, so each xdist worker running a module has its own."""

from __future__ import annotations

import pytest

from coursetools.browser import CHROMIUM_FLAGS, SCREENSHOTS, Lab, find_chromium


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip(
            "browser test skipped: the 'playwright' package is not installed "
            "(pip install -r requirements-dev.txt)"
        )
    executable = find_chromium()
    if executable is None:
        pytest.skip(
            "browser test skipped: no Chromium found (apt-get install chromium, "
            "or set CHROMIUM=/path/to/chrome)"
        )
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def lab(browser, tmp_path_factory):
    server = Lab(tmp_path_factory.mktemp("jupyterlab"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def shots():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
