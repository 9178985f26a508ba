"""The exercise checkers of notebook 05 accept a correct answer, reject wrong
ones and report the untouched stub as not attempted."""

from __future__ import annotations

import numpy as np

from helpers.gradients import check_clip_by_norm, check_gradient_bound


def stub(*args):
    raise NotImplementedError


# ---------------------------------------------------------------- clip_by_norm


def clip_right(grads, threshold):
    norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
    scale = min(1.0, threshold / norm)
    return {k: g * scale for k, g in grads.items()}


def clip_each_array_alone(grads, threshold):  # per-array norms, not the joint norm
    out = {}
    for k, g in grads.items():
        n = np.linalg.norm(g)
        out[k] = g * min(1.0, threshold / n)
    return out


def clip_always_rescale(grads, threshold):  # scales up small gradients too
    norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
    return {k: g * threshold / norm for k, g in grads.items()}


def clip_in_place(grads, threshold):  # right values, but changes the caller's arrays
    norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
    for g in grads.values():
        g *= min(1.0, threshold / norm)
    return grads


def clip_by_value_instead(grads, threshold):
    return {k: np.clip(g, -threshold, threshold) for k, g in grads.items()}


def test_clip_by_norm_checker_accepts_right_answer():
    assert check_clip_by_norm(clip_right, quiet=True).status == "passed"


def test_clip_by_norm_checker_rejects_wrong_answers():
    for wrong in (clip_each_array_alone, clip_always_rescale, clip_by_value_instead):
        assert check_clip_by_norm(wrong, quiet=True).status == "failed", wrong.__name__


def test_clip_by_norm_checker_reports_in_place_change():
    result = check_clip_by_norm(clip_in_place, quiet=True)
    assert result.status == "failed"
    assert any("in place" in m for m in result.messages)


def test_clip_by_norm_checker_stub_not_attempted(capsys):
    assert check_clip_by_norm(stub).status == "not attempted"
    assert "not attempted yet" in capsys.readouterr().out


# ---------------------------------------------------------------- gradient_bound


def bound_right(W_hh, name, steps):
    gamma = {"tanh": 1.0, "sigmoid": 0.25}[name]
    return (gamma * np.linalg.svd(W_hh, compute_uv=False).max()) ** steps


def bound_gamma_always_one(W_hh, name, steps):
    return np.linalg.norm(W_hh, 2) ** steps


def bound_spectral_radius(W_hh, name, steps):  # largest |eigenvalue|, not singular value
    gamma = {"tanh": 1.0, "sigmoid": 0.25}[name]
    return (gamma * np.abs(np.linalg.eigvals(W_hh)).max()) ** steps


def bound_frobenius(W_hh, name, steps):
    gamma = {"tanh": 1.0, "sigmoid": 0.25}[name]
    return (gamma * np.linalg.norm(W_hh)) ** steps


def test_gradient_bound_checker_accepts_right_answer():
    assert check_gradient_bound(bound_right, quiet=True).status == "passed"


def test_gradient_bound_checker_rejects_wrong_answers():
    for wrong in (bound_gamma_always_one, bound_spectral_radius, bound_frobenius):
        assert check_gradient_bound(wrong, quiet=True).status == "failed", wrong.__name__


def test_gradient_bound_checker_stub_not_attempted(capsys):
    assert check_gradient_bound(stub).status == "not attempted"
    assert "not attempted yet" in capsys.readouterr().out
