"""The first half of the widget notebooks in JupyterLab in headless Chromium, and
the canary that proves the check catches broken demos (``coursetools.browser``
says what is checked; ``tests/test_browser_late.py`` has the other half)."""

from __future__ import annotations

import os

import pytest

from coursetools.browser import (
    assert_notebook_in_browser,
    canary_notebook,
    check_notebook,
    split_targets,
)

TARGETS = split_targets()[0]


@pytest.mark.parametrize("path", TARGETS, ids=[p.name for p in TARGETS])
def test_widgets_in_browser(path, lab, browser, shots):
    assert_notebook_in_browser(path, lab, browser, shots)


@pytest.mark.skipif(
    bool(os.environ.get("BROWSER_TEST_NOTEBOOKS")), reason="custom notebooks chosen"
)
def test_browser_check_catches_broken_demos(lab, browser, shots, tmp_path):
    """The check above is not vacuous: a callback that raises and a widget that
    cannot render are both reported, and the working demo is not."""
    path = tmp_path / "00_browser_canary.ipynb"
    canary_notebook(path)
    problems, notes = check_notebook(lab, browser, path, shots)
    text = "\n".join(problems)
    print("canary problems, as expected:\n  " + text.replace("\n", "\n  "))
    assert any(p.startswith("demo 1") for p in problems) is False, text
    assert any(p.startswith("demo 2") and "did not change" in p for p in problems), text
    assert any("broken on purpose" in p for p in problems), text
    assert any(p.startswith("demo 3") and "did not render" in p for p in problems), text
    assert any(n.startswith("demo 1") and "picture changed" in n for n in notes), notes
