import sys
from pathlib import Path

import pytest

# tests import their shared notebook tooling (tests/nbtools.py) by name
sys.path.insert(0, str(Path(__file__).resolve().parent))


def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (``--dist loadgroup``), keep each file's tests on one
    worker: a notebook's cells must run in order in one kernel (nbval), and
    module fixtures such as the browser test's JupyterLab start once. The fresh
    runs of tests/test_notebooks.py are independent and the longest, so they
    spread over the workers."""
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        name = Path(str(item.fspath)).name
        if name != "test_notebooks.py":
            item.add_marker(pytest.mark.xdist_group(name))
