"""Gradient flow on the unrolled graph: the norms match torch autograd at every
step, extreme settings never warn, and the picture draws what it claims."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from helpers.gradflow import (  # noqa: E402
    chain_grad_norms,
    draw_gradient_flow,
    gradient_colorbar,
    log_norms,
    show_gradient_flow,
)
from helpers.scratch import params_from_torch  # noqa: E402

T, B, D, H = 6, 2, 3, 4


def _torch_norms(cell, module, xs, dh_T):
    """||dL/dh_t|| (and ||dL/dc_t||) for t = 0..T by autograd, one step at a time."""
    weights = dict(module.named_parameters())
    step = {"rnn": torch.nn.RNNCell, "lstm": torch.nn.LSTMCell, "gru": torch.nn.GRUCell}[cell](D, H)
    step = step.double()
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(step, name).copy_(weights[name + "_l0"])
    h = torch.zeros(B, H, dtype=torch.float64, requires_grad=True)
    c = torch.zeros(B, H, dtype=torch.float64, requires_grad=True)
    hs, cs = [h], [c]
    for t in range(T):
        x = torch.from_numpy(xs[t])
        if cell == "lstm":
            h, c = step(x, (h, c))
            c.retain_grad()
            cs.append(c)
        else:
            h = step(x, h)
        h.retain_grad()
        hs.append(h)
    (h * torch.from_numpy(dh_T)).sum().backward()
    out = {"h": np.array([s.grad.norm(dim=1).numpy() for s in hs])}
    if cell == "lstm":
        out["c"] = np.array([s.grad.norm(dim=1).numpy() for s in cs])
    return out


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_norms_match_autograd(cell):
    torch.manual_seed(3)
    module = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell](D, H)
    module = module.double()
    rng = np.random.default_rng(4)
    xs = rng.standard_normal((T, B, D))
    dh_T = rng.standard_normal((B, H))
    params = params_from_torch(module)
    if cell == "rnn":
        params = {"W_xh": params["W_xh"], "W_hh": params["W_hh"], "b_h": params["b_h"]}
    ours = chain_grad_norms(cell, xs, np.zeros((B, H)), params, dh_T)
    want = _torch_norms(cell, module, xs, dh_T)
    assert set(ours) == set(want)
    for key in want:
        assert ours[key].shape == (T + 1, B)
        np.testing.assert_allclose(ours[key], want[key], rtol=1e-9, atol=1e-12)


def test_T_equal_1_and_unknown_cell():
    torch.manual_seed(0)
    params = params_from_torch(torch.nn.LSTM(D, H).double())
    out = chain_grad_norms("lstm", np.ones((1, 1, D)), np.zeros((1, H)), params, np.ones((1, H)))
    assert out["h"].shape == out["c"].shape == (2, 1)
    with pytest.raises(ValueError, match="cell"):
        chain_grad_norms(
            "transformer", np.ones((1, 1, D)), np.zeros((1, H)), params, np.ones((1, H))
        )


def test_exploding_relu_reports_inf_without_warnings():
    rng = np.random.default_rng(0)
    params = {"W_xh": rng.standard_normal((H, D)), "W_hh": 50 * np.eye(H), "b_h": np.zeros(H)}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        norms = chain_grad_norms(
            "rnn", np.ones((400, 1, D)), np.zeros((1, H)), params, np.ones((1, H)), "relu"
        )["h"]
        logs = log_norms(np.array([0.0, 1e-400, 1.0, np.inf, np.nan, 1e300]))
    assert np.isinf(norms[0, 0])
    np.testing.assert_array_equal(logs, [-15, -15, 0, 15, 15, 15])


def test_picture_has_one_chain_per_lane_and_widths_follow_the_norm():
    fig, ax = plt.subplots()
    handle = draw_gradient_flow(
        ax, ["RNN $h_t$", "LSTM $c_t$", "LSTM $h_t$"], loss_reads=[True, False, True]
    )
    bar = gradient_colorbar(fig, handle, ax)
    assert len(handle["lanes"]) == 3
    texts = [t.get_text() for t in ax.texts]
    assert {"RNN $h_t$", "LSTM $c_t$", "LSTM $h_t$"} <= set(texts)
    arrows = [a for a in ax.texts if a.get_text() == "$L$"]
    assert len(arrows) == 2  # the loss reads the two h lanes only
    rising = 10.0 ** np.arange(-20, 21, 4.0)  # 11 states, vanishing on the left
    show_gradient_flow(handle, [rising, rising[::-1], np.ones(11)], [("$h_0$", "$h_{10}$")] * 3)
    first = handle["lanes"][0]["edges"]
    assert len(first.get_segments()) == 10
    widths = first.get_linewidths()
    assert np.all(np.diff(widths) >= 0) and widths[-1] > 5 * widths[0]
    assert np.all(np.diff(handle["lanes"][1]["edges"].get_linewidths()) <= 0)
    assert handle["lanes"][0]["ends"][1].get_text() == "$h_{10}$"
    assert "$\\geq 10^{15}$" in [t.get_text() for t in bar.ax.get_yticklabels()]
    show_gradient_flow(handle, [np.ones(3)] * 3)  # T changes: the chains are rebuilt in place
    assert len(handle["lanes"][2]["edges"].get_segments()) == 2
    plt.close(fig)


def _lstm_setting(seed=3):
    torch.manual_seed(seed)
    params = params_from_torch(torch.nn.LSTM(D, H).double())
    rng = np.random.default_rng(seed)
    return params, rng.standard_normal((T, B, D)), rng.standard_normal((B, H))


def test_lstm_crossings_split_the_gradient_between_the_lanes():
    params, xs, dh_T = _lstm_setting()
    h0 = np.zeros((B, H))
    out = chain_grad_norms("lstm", xs, h0, params, dh_T, crossings=True)
    assert set(out) == {"h", "c", "h_to_c", "c_to_h"}
    assert out["h_to_c"].shape == out["c_to_h"].shape == (T + 1, B)
    assert np.all(out["h_to_c"][0] == 0) and np.all(out["c_to_h"][T] == 0)
    # at the last step c_T receives gradient only from h_T: all of dL/dc_T came down
    np.testing.assert_allclose(out["h_to_c"][T], out["c"][T], rtol=1e-12)
    # without the output gate's hidden weights, all of dL/dh_t comes across from c_{t+1}
    no_o = dict(params, W_hh=params["W_hh"].copy())
    no_o["W_hh"][3 * H :] = 0.0
    out = chain_grad_norms("lstm", xs, h0, no_o, dh_T, crossings=True)
    np.testing.assert_allclose(out["c_to_h"][:T], out["h"][:T], rtol=1e-10)
    # with only the output gate's hidden weights, nothing comes across
    only_o = dict(params, W_hh=params["W_hh"].copy())
    only_o["W_hh"][: 3 * H] = 0.0
    out = chain_grad_norms("lstm", xs, h0, only_o, dh_T, crossings=True)
    np.testing.assert_allclose(out["c_to_h"], 0.0, atol=1e-15)
    assert np.all(out["h"][:T] > 0)


def test_crossings_are_drawn_between_the_two_lstm_lanes():
    params, xs, dh_T = _lstm_setting()
    out = chain_grad_norms("lstm", xs[:, :1], np.zeros((1, H)), params, dh_T[:1], crossings=True)
    fig, ax = plt.subplots()
    handle = draw_gradient_flow(ax, ["LSTM $c_t$", "LSTM $h_t$"], crossings=[(0, 1)])
    lanes = [out["c"][:, 0], out["h"][:, 0]]
    show_gradient_flow(handle, lanes, crossing_norms=[(out["h_to_c"][:, 0], out["c_to_h"][:, 0])])
    edges = handle["crossings"][0]["edges"]
    segments = edges.get_segments()
    assert len(segments) == 2 * T  # T down from h_t to c_t, T across from c_t to h_{t-1}
    down, across = np.array(segments[:T]), np.array(segments[T:])
    assert np.all(down[:, 0, 0] == down[:, 1, 0])  # vertical
    assert np.all(across[:, 0, 0] > across[:, 1, 0])  # one step back
    assert np.all(edges.get_linewidths() < max(handle["lanes"][0]["edges"].get_linewidths()))
    plt.close(fig)
