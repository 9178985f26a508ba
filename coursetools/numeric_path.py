"""Two numeric paths, so a pinned output that hinges on the last bits of a run is caught.

The same code on the same library versions gives slightly different floating-point
results on different CPUs: numpy picks SIMD kernels for ``tanh``, ``exp``, sums...
by what the CPU offers (AVX2, AVX-512), and PyTorch picks its vectorised kernels
the same way. A training run amplifies those last bits, so a pinned output
(``# NBVAL_CHECK_OUTPUT``) that prints the last digits of a trajectory, or an
order decided by a near tie, holds on the author's machine and fails on a
learner's (issue 20: notebook 04's loss spikes).

* the **default** path: what the CPU offers. ``python -m coursetools save`` runs
  notebooks on it, so saved outputs come from the author's machine as it is.
* the **alt** path: numpy's dispatched SIMD kernels all turned off, so numpy
  runs its baseline code (``NPY_DISABLE_CPU_FEATURES``). nbval's kernels run on
  it by default (``--numeric-path=alt`` in pyproject.toml), so every test run
  compares each pinned output across two numeric paths: saved on the default
  path, re-run on the alt path. Measured on a 2-core AMD EPYC (AVX-512): no
  measurable cost (notebook 10: 25.1 CPU-s against 25.3; notebook 04's XOR
  training 3.6-4.0 CPU-s on every path); it changes notebook 04's loss spikes.
* the **alt-torch** path: the alt path, and PyTorch's vectorised kernels at
  their lowest level too (``ATEN_CPU_CAPABILITY=default``). Not the test run's
  default: it costs notebook 10 about 13 % more CPU time (28.7 CPU-s against
  25.3), and on it, as on the alt path, only notebook 04's loss spikes changed.

A pin that fails only on the alt path is fragile, not the code: round further
from a boundary, compare with a margin, or pin an order that does not hinge on a
near tie. ``python -m pytest --numeric-path=default notebooks/NN_x.ipynb``
re-runs a notebook on the default path.
"""

from __future__ import annotations

PATHS = ("alt", "alt-torch", "default")


def numpy_dispatch_targets() -> list[str]:
    """The SIMD targets this numpy build dispatches to at run time (empty if unknown)."""
    try:
        import numpy as np
    except ImportError:
        return []
    core = getattr(np, "_core", None) or getattr(np, "core", None)
    try:
        return list(core._multiarray_umath.__cpu_dispatch__)
    except AttributeError:
        return []


def environment(path: str) -> dict[str, str]:
    """The environment variables that put a fresh Python process (a kernel) on ``path``."""
    if path not in PATHS:
        raise ValueError(f"numeric path: expected one of {PATHS}, got {path!r}")
    if path == "default":
        return {}
    env = {"ATEN_CPU_CAPABILITY": "default"} if path == "alt-torch" else {}
    targets = numpy_dispatch_targets()
    if targets:  # numpy refuses (with a warning) a name it does not dispatch to
        env["NPY_DISABLE_CPU_FEATURES"] = " ".join(targets)
    return env


def describe() -> str:
    """Which SIMD kernels this process's numpy and PyTorch use (one line)."""
    import numpy as np
    import torch

    core = getattr(np, "_core", None) or getattr(np, "core", None)
    features = getattr(core._multiarray_umath, "__cpu_features__", {})
    simd = [name for name in numpy_dispatch_targets() if features.get(name)]
    return (
        f"numpy SIMD beyond its baseline: {simd}; "
        f"PyTorch CPU capability: {torch.backends.cpu.get_cpu_capability()}"
    )
