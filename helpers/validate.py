"""Input checks shared by every helper: a bad argument fails early, naming what
was expected and what was given."""

from __future__ import annotations

import functools
import inspect
import numbers

import numpy as np


def _fmt(shape, dims) -> str:
    parts = []
    for s in shape:
        if isinstance(s, str):
            parts.append(f"{s}={dims[s]}" if s in dims else s)
        else:
            parts.append(str(s))
    return "(" + ", ".join(parts) + ")"


def check_array(x, name: str, shape=None, dims: dict | None = None, floating: bool = True):
    """Return ``x`` as a numpy array after checking its type, dtype and shape.

    shape: a tuple of ints and/or dimension names, e.g. ``("T", "B", "D")``.
        A name seen before (in ``dims``) must have the same size again, so a
        batch size ``B`` must agree between ``xs`` and ``h0``.
    dims: a dict shared between calls; names are bound in it.
    floating: require a floating-point dtype (float32 or float64).
    """
    if dims is None:
        dims = {}
    if type(x).__module__.startswith("torch"):
        raise TypeError(
            f"{name}: expected a numpy array, got a torch.Tensor; "
            "pass tensor.detach().cpu().numpy() instead"
        )
    if not isinstance(x, np.ndarray):
        if isinstance(x, (list, tuple, numbers.Number)):
            x = np.asarray(x, dtype=float if floating else None)
        else:
            raise TypeError(f"{name}: expected a numpy array, got {type(x).__name__}")
    if floating and not np.issubdtype(x.dtype, np.floating):
        raise TypeError(
            f"{name}: expected a floating-point array (float32 or float64), got dtype {x.dtype}"
        )
    if shape is not None:
        want = _fmt(shape, dims)
        if x.ndim != len(shape):
            raise ValueError(
                f"{name}: expected {len(shape)} dimensions {want}, "
                f"got {x.ndim} with shape {tuple(x.shape)}"
            )
        for s, got in zip(shape, x.shape):
            if isinstance(s, str):
                if s in dims and dims[s] != got:
                    raise ValueError(
                        f"{name}: expected shape {want} (size of {s} set by an earlier "
                        f"argument), got {tuple(x.shape)}"
                    )
                dims[s] = got
            elif s != got:
                raise ValueError(f"{name}: expected shape {want}, got {tuple(x.shape)}")
    return x


def check_range(value, name: str, low=None, high=None, integer: bool = False):
    """Check that a scalar lies in ``[low, high]`` (either end may be None)."""
    kind = "an integer" if integer else "a number"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: expected {kind}, got {type(value).__name__} {value!r}")
    if integer and not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: expected an integer, got {value!r}")
    if not np.isfinite(value):
        raise ValueError(f"{name}: expected a finite number, got {value!r}")
    if (low is not None and value < low) or (high is not None and value > high):
        lo = "-inf" if low is None else low
        hi = "inf" if high is None else high
        raise ValueError(f"{name}: expected a value in [{lo}, {hi}], got {value!r}")
    return value


def check_params(params, name: str, keys) -> dict:
    """Check that ``params`` is a dict holding exactly ``keys``."""
    if not isinstance(params, dict):
        raise TypeError(f"{name}: expected a dict of arrays, got {type(params).__name__}")
    missing = [k for k in keys if k not in params]
    extra = [k for k in params if k not in keys]
    if missing or extra:
        raise KeyError(
            f"{name}: expected keys {sorted(keys)}, got {sorted(params)} "
            f"(missing {missing}, unexpected {extra})"
        )
    return params


def checked(check):
    """Decorator: run ``check`` on the arguments once, before the function body.

    ``check`` takes the same arguments as the function (by name) and raises on
    bad input; it may return a dict of converted arguments (for example a list
    turned into an array by ``check_array``), which replace the ones given.
    The function body then holds only the math, and ``show_source`` shows it
    with the decorator line naming where its checks live::

        def _check_forward(X, W, b):
            dims = {}
            return {"X": check_array(X, "X", ("N", "D"), dims), ...}

        @checked(_check_forward)
        def forward(X, W, b):
            return X @ W.T + b
    """

    def decorate(fn):
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def with_checks(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            converted = check(**bound.arguments)
            if converted:
                bound.arguments.update(converted)
            return fn(*bound.args, **bound.kwargs)

        return with_checks

    return decorate
