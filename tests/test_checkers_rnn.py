"""The padded-batch helper ``last_states`` (notebook 03; its exercise is
``03-last-states`` in ``helpers.exercises``); the
RNN exercises of notebooks 02 and 04 are in ``helpers.exercises`` and tested by
tests/test_exercises.py and tests/test_scratch_rnn.py."""

import numpy as np


def test_last_states_validates():
    import pytest

    from helpers.scratch import last_states

    with pytest.raises(ValueError, match=r"lengths: expected values in \[1, 3\]"):
        last_states(np.zeros((3, 2, 1)), np.array([0, 3]))
    with pytest.raises(TypeError, match="integers"):
        last_states(np.zeros((3, 2, 1)), np.array([1.0, 3.0]))
    with pytest.raises(ValueError, match="B=2"):
        last_states(np.zeros((3, 2, 1)), np.array([1, 2, 3]))


# ---- the exercises of notebooks 02 and 04 accept any correct answer ------------


def test_rnn_exercises_accept_answers_written_differently(capsys):
    from helpers.exercises import EXERCISES
    from helpers.scratch import rnn_step_forward

    def step(x, h_prev, params):  # the concatenated form of notebook 02
        W = np.concatenate([params["W_xh"], params["W_hh"]], axis=1)
        return np.tanh(np.concatenate([x, h_prev], axis=1) @ W.T + params["b_h"])

    def forward(xs, h0, params):  # states as a list, caches built with an index
        hs, caches, h = [], [], h0
        for t in range(len(xs)):
            h, c = rnn_step_forward(xs[t], h, params)
            hs.append(h)
            caches.append(c)
        return hs, caches

    def step_backward(dh, cache):  # column-vector math, one example at a time
        x, h_prev, h, p = cache
        out = {k: 0 for k in ("W_xh", "W_hh", "b_h")}
        dx, dhp = np.zeros_like(x), np.zeros_like(h_prev)
        for b in range(x.shape[0]):
            d = dh[b] * (1 - h[b] ** 2)
            dx[b], dhp[b] = p["W_xh"].T @ d, p["W_hh"].T @ d
            out["W_xh"] = out["W_xh"] + np.outer(d, x[b])
            out["W_hh"] = out["W_hh"] + np.outer(d, h_prev[b])
            out["b_h"] = out["b_h"] + d
        return {"x": dx, "h_prev": dhp, **out}

    def bptt(dhs, cache):  # the step written inline, lists reversed at the end
        grads = {"W_xh": 0.0, "W_hh": 0.0, "b_h": 0.0}
        dxs, dh_next = [], 0.0
        for x, h_prev, h, p in reversed(cache):
            delta = (dhs[len(cache) - 1 - len(dxs)] + dh_next) * (1 - h**2)
            grads["W_xh"] = grads["W_xh"] + delta.T @ x
            grads["W_hh"] = grads["W_hh"] + delta.T @ h_prev
            grads["b_h"] = grads["b_h"] + delta.sum(0)
            dxs.append(delta @ p["W_xh"])
            dh_next = delta @ p["W_hh"]
        return {**grads, "xs": np.stack(dxs[::-1]), "h0": dh_next}

    for ex_id, answer in [
        ("02-rnn-step", step),
        ("02-rnn-forward", forward),
        ("04-step-backward", step_backward),
        ("04-bptt-loop", bptt),
    ]:
        assert EXERCISES[ex_id].check(answer), ex_id
    result = EXERCISES["04-bptt-loop"].check(bptt, quiet=True)
    assert any("central differences" in m for m in result.messages)


def test_rnn_forward_exercise_names_unusable_caches(capsys):
    from helpers.exercises import EXERCISES

    def no_caches(xs, h0, params):
        return EXERCISES["02-rnn-forward"].reference(xs, h0, params)[0], None

    assert EXERCISES["02-rnn-forward"].check(no_caches).status == "failed"
    assert "rnn_backward cannot use the caches you returned" in capsys.readouterr().out
