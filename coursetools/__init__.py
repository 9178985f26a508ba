"""Tooling for the course's authors, tests and benchmarks (not for learners).

- ``coursetools.notebooks``: find, stamp, run, clean and save the notebooks
  (``python -m coursetools save notebooks/NN_name.ipynb``).
- ``coursetools.sweep``: record every live demo a notebook makes and move each
  control to its extremes (the tests and ``benchmarks/notebooks.py`` use it).
- ``coursetools.pytest_plugin``: runs that sweep at the end of nbval's own run
  of each notebook, so every notebook is executed once for both.
"""
