"""The second half of the widget notebooks in JupyterLab in headless Chromium (see
``tests/test_browser.py`` and ``coursetools.browser``)."""

from __future__ import annotations

import pytest

from coursetools.browser import assert_notebook_in_browser, split_targets

TARGETS = split_targets()[1]


@pytest.mark.parametrize("path", TARGETS, ids=[p.name for p in TARGETS])
def test_widgets_in_browser(path, lab, browser, shots):
    assert_notebook_in_browser(path, lab, browser, shots)
