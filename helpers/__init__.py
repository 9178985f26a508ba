"""Shared code for the RNN course notebooks.

Small, plain functions; names follow the course notation (see README). Each
module's docstrings state array shapes. Import what a notebook needs, e.g.
``from helpers import seed_all, rel_error, gradient_check``.
"""

from .checking import CheckResult, run_cases
from .numerics import gradient_check, numerical_gradient, rel_error
from .plotting import COLORS, live_figure, new_figure, use_course_style
from .repro import get_device, seed_all
from .source import show_source
from .validate import check_array, check_range

__all__ = [
    "COLORS",
    "CheckResult",
    "check_array",
    "run_cases",
    "check_range",
    "get_device",
    "gradient_check",
    "live_figure",
    "new_figure",
    "numerical_gradient",
    "rel_error",
    "seed_all",
    "show_source",
    "use_course_style",
]
