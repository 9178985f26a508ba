"""The numpy RNN in helpers.scratch against torch autograd and finite differences."""

import matplotlib
import numpy as np
import pytest
import torch

from helpers.numerics import gradient_check, rel_error
from helpers.scratch import (
    params_from_torch,
    rnn_backward,
    rnn_forward,
    rnn_step_backward,
    rnn_step_forward,
)

matplotlib.use("Agg")
torch.set_num_threads(1)

# (T, B, D, H): includes T = 1 and B = 1
SHAPES = [(1, 1, 1, 1), (1, 3, 2, 4), (5, 1, 3, 2), (4, 2, 3, 5), (7, 3, 1, 3), (3, 4, 6, 1)]


def torch_reference(T, B, D, H, seed, bias=True):
    """A float64 nn.RNN, random inputs, and torch's outputs and gradients."""
    torch.manual_seed(seed)
    module = torch.nn.RNN(D, H, bias=bias).double()
    with torch.no_grad():  # weights large enough that tanh is not nearly linear
        for p in module.parameters():
            p.mul_(2.0)
    xs = torch.randn(T, B, D, dtype=torch.float64, requires_grad=True)
    h0 = torch.randn(1, B, H, dtype=torch.float64).mul(0.5).requires_grad_()
    out, _ = module(xs, h0)
    dhs = torch.randn(T, B, H, dtype=torch.float64)
    out.backward(dhs)
    grads = {
        "W_xh": module.weight_ih_l0.grad,
        "W_hh": module.weight_hh_l0.grad,
        "xs": xs.grad,
        "h0": h0.grad[0],
    }
    if bias:
        grads["b_h"] = module.bias_ih_l0.grad  # equals bias_hh_l0.grad
    numpy_in = (xs.detach().numpy(), h0.detach()[0].numpy(), dhs.numpy())
    return module, numpy_in, out.detach().numpy(), {k: v.numpy() for k, v in grads.items()}


@pytest.mark.parametrize("T,B,D,H", SHAPES)
@pytest.mark.parametrize("seed", [0, 1])
def test_forward_and_backward_match_torch(T, B, D, H, seed):
    module, (xs, h0, dhs), out, want = torch_reference(T, B, D, H, seed)
    params = params_from_torch(module)
    hs, cache = rnn_forward(xs, h0, params)
    assert hs.shape == (T, B, H) and hs.dtype == np.float64
    assert rel_error(hs, out) <= 1e-9
    grads = rnn_backward(dhs, cache)
    assert set(grads) == {"W_xh", "W_hh", "b_h", "xs", "h0"}
    for key, value in want.items():
        assert grads[key].shape == value.shape, key
        assert rel_error(grads[key], value) <= 1e-8, key


def test_no_bias_module_gives_zero_bias():
    module, (xs, h0, _), out, _ = torch_reference(3, 2, 2, 3, seed=3, bias=False)
    params = params_from_torch(module)
    assert np.all(params["b_h"] == 0)
    assert rel_error(rnn_forward(xs, h0, params)[0], out) <= 1e-9


def test_two_biases_are_summed():
    module = torch.nn.RNN(2, 3).double()
    p = params_from_torch(module)
    want = (module.bias_ih_l0 + module.bias_hh_l0).detach().numpy()
    assert np.array_equal(p["b_h"], want)


@pytest.mark.parametrize("T,B,D,H", [(1, 1, 2, 2), (4, 2, 3, 3)])
def test_gradients_match_finite_differences(T, B, D, H):
    rng = np.random.default_rng(T * 10 + B)
    point = {
        "W_xh": rng.standard_normal((H, D)),
        "W_hh": rng.standard_normal((H, H)),
        "b_h": rng.standard_normal(H),
        "xs": rng.standard_normal((T, B, D)),
        "h0": rng.standard_normal((B, H)) * 0.5,
    }
    dhs = rng.standard_normal((T, B, H))  # loss = sum(dhs * hs)

    def loss(p):
        hs, _ = rnn_forward(p["xs"], p["h0"], {k: p[k] for k in ("W_xh", "W_hh", "b_h")})
        return float(np.sum(dhs * hs))

    _, cache = rnn_forward(point["xs"], point["h0"], {k: point[k] for k in ("W_xh", "W_hh", "b_h")})
    errors = gradient_check(loss, point, rnn_backward(dhs, cache))
    assert set(errors) == set(point)
    assert max(errors.values()) < 1e-7, errors


def test_step_functions_agree_with_full_pass():
    rng = np.random.default_rng(0)
    p = {
        "W_xh": rng.standard_normal((3, 2)),
        "W_hh": rng.standard_normal((3, 3)),
        "b_h": np.ones(3),
    }
    x, h_prev = rng.standard_normal((4, 2)), rng.standard_normal((4, 3))
    h, cache = rnn_step_forward(x, h_prev, p)
    hs, full_cache = rnn_forward(x[None], h_prev, p)
    assert np.array_equal(h, hs[0])
    dh = rng.standard_normal((4, 3))
    step = rnn_step_backward(dh, cache)
    full = rnn_backward(dh[None], full_cache)
    assert np.allclose(step["x"], full["xs"][0]) and np.allclose(step["h_prev"], full["h0"])


def test_float32_is_preserved():
    rng = np.random.default_rng(0)
    p = {
        k: v.astype(np.float32)
        for k, v in {
            "W_xh": rng.standard_normal((3, 2)),
            "W_hh": rng.standard_normal((3, 3)),
            "b_h": np.zeros(3),
        }.items()
    }
    hs, cache = rnn_forward(np.ones((2, 1, 2), np.float32), np.zeros((1, 3), np.float32), p)
    assert hs.dtype == np.float32
    g = rnn_backward(np.ones((2, 1, 3), np.float32), cache)
    assert all(v.dtype == np.float32 for v in g.values())


def test_inputs_are_not_modified():
    rng = np.random.default_rng(1)
    p = {
        "W_xh": rng.standard_normal((3, 2)),
        "W_hh": rng.standard_normal((3, 3)),
        "b_h": np.ones(3),
    }
    xs, h0 = rng.standard_normal((4, 2, 2)), rng.standard_normal((2, 3))
    copies = [a.copy() for a in (xs, h0, *p.values())]
    hs, cache = rnn_forward(xs, h0, p)
    dhs = np.ones_like(hs)
    rnn_backward(dhs, cache)
    for a, b in zip((xs, h0, *p.values()), copies):
        assert np.array_equal(a, b)
    assert np.all(dhs == 1)


# ---- bad inputs fail with messages naming expected and actual ----------------

GOOD = {"W_xh": np.zeros((3, 2)), "W_hh": np.zeros((3, 3)), "b_h": np.zeros(3)}


@pytest.mark.parametrize(
    "xs,h0,params,error,words",
    [
        (np.zeros((2, 4)), np.zeros((4, 3)), GOOD, ValueError, ["xs", "3 dimensions", "(2, 4)"]),
        (np.zeros((5, 4, 2)), np.zeros((2, 3)), GOOD, ValueError, ["h0", "B=4", "(2, 3)"]),
        (np.zeros((5, 4, 7)), np.zeros((4, 3)), GOOD, ValueError, ["W_xh", "D=7", "(3, 2)"]),
        (
            np.zeros((5, 4, 2)),
            np.zeros((4, 3)),
            {**GOOD, "W_hh": np.zeros((3, 4))},
            ValueError,
            ["W_hh", "(3, 4)"],
        ),
        (
            np.zeros((5, 4, 2)),
            np.zeros((4, 3)),
            {**GOOD, "b_h": np.zeros(5)},
            ValueError,
            ["b_h", "H=3", "(5,)"],
        ),
        (np.zeros((5, 4, 2), dtype=int), np.zeros((4, 3)), GOOD, TypeError, ["xs", "int64"]),
        (torch.zeros(5, 4, 2), np.zeros((4, 3)), GOOD, TypeError, ["xs", "torch"]),
        (
            np.zeros((5, 4, 2)),
            np.zeros((4, 3)),
            {"W_xh": GOOD["W_xh"]},
            KeyError,
            ["missing", "W_hh"],
        ),
    ],
)
def test_bad_inputs_raise_clear_errors(xs, h0, params, error, words):
    with pytest.raises(error) as info:
        rnn_forward(xs, h0, params)
    for word in words:
        assert word in str(info.value), (word, str(info.value))


def test_backward_checks_dhs_shape():
    _, cache = rnn_forward(np.zeros((5, 4, 2)), np.zeros((4, 3)), GOOD)
    with pytest.raises(ValueError, match=r"dhs: expected shape \(5, 4, 3\), got \(5, 4, 2\)"):
        rnn_backward(np.zeros((5, 4, 2)), cache)
    with pytest.raises(TypeError, match="rnn_forward"):
        rnn_backward(np.zeros((5, 4, 3)), None)


def test_empty_sequence_is_rejected():
    with pytest.raises(ValueError, match="at least one time step"):
        rnn_forward(np.zeros((0, 4, 2)), np.zeros((4, 3)), GOOD)


def test_shown_code_has_no_checks_in_steps_or_loops():
    """Issue 13: inputs are checked once at the entry; the per-step functions
    and the loops over time are the bare math."""
    import inspect

    from helpers import scratch

    for name in dir(scratch):
        fn = getattr(scratch, name)
        if not inspect.isfunction(fn) or fn.__module__ != scratch.__name__:
            continue
        source = inspect.getsource(fn)
        if "_step_" in name and not name.startswith("check_"):  # g3 migrates the checker
            assert "check" not in source, name
        loop = source.split("    for ", 1)[1] if "    for " in source else ""
        if name.split("_")[0] in ("rnn", "lstm", "gru"):
            assert "check" not in loop, f"{name} checks inside its loop over time"


def test_params_from_torch_shows_the_bias_sum():
    import inspect

    assert "b_ih + b_hh" in inspect.getsource(params_from_torch)


def test_params_from_torch_rejects_other_modules():
    with pytest.raises(TypeError, match=r"nn\.RNN.*got Linear"):
        params_from_torch(torch.nn.Linear(2, 3))
    with pytest.raises(ValueError, match="tanh"):
        params_from_torch(torch.nn.RNN(2, 3, nonlinearity="relu"))
    with pytest.raises(ValueError, match="layer"):
        params_from_torch(torch.nn.RNN(2, 3), layer=1)
    with pytest.raises(ValueError, match="bidirectional"):
        params_from_torch(torch.nn.RNN(2, 3), reverse=True)


def test_params_from_torch_layers_and_directions():
    module = torch.nn.RNN(2, 3, num_layers=2, bidirectional=True)
    p = params_from_torch(module, layer=1, reverse=True)
    assert p["W_xh"].shape == (3, 6)
    assert np.array_equal(p["W_hh"], module.weight_hh_l1_reverse.detach().numpy())


# ---- the diagram helper -----------------------------------------------------


@pytest.mark.parametrize("T", [1, 8])
def test_draw_unrolled_rnn(T):
    from matplotlib.figure import Figure

    from helpers.diagrams import draw_unrolled_rnn

    ax = Figure().subplots()
    parts = draw_unrolled_rnn(ax, T, outputs="last", cell_label="tanh", highlight=T)
    assert len(parts["cells"]) == T and list(parts["outputs"]) == [T]
    assert len(parts["inputs"]) == T
    ax.figure.canvas.draw() if hasattr(ax.figure.canvas, "draw") else None


def test_draw_unrolled_rnn_decoder_feedback_and_labels():
    from matplotlib.colors import to_hex
    from matplotlib.figure import Figure

    from helpers.diagrams import draw_unrolled_rnn

    ax = Figure().subplots()
    parts = draw_unrolled_rnn(
        ax, 6, inputs=[1, 2, 3], decoder_from=4, feedback=True, input_labels={4: "START"}
    )
    colours = [to_hex(cell.get_facecolor()) for cell in parts["cells"]]
    assert len(set(colours[:3])) == 1 and len(set(colours[3:])) == 1
    assert colours[0] != colours[3]  # the decoder's cells have a colour of their own
    assert set(parts["inputs"]) == {1, 2, 3, 4, 5, 6}  # steps 4-6 get fed-back inputs
    texts = [t.get_text() for t in ax.texts]
    assert "START" in texts and "$x_{4}$" not in texts
    dashed = [p for p in ax.patches if p.get_linestyle() not in ("-", "solid")]
    assert dashed, "feedback arrows and fed-back input boxes are dashed"
    ax.figure.canvas.draw()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"T": 0},
        {"T": 3, "decoder_from": 4},
        {"T": 3, "input_labels": {0: "START"}},
        {"T": 2.5},
        {"T": 3, "highlight": 4},
        {"T": 3, "inputs": [0]},
        {"T": 3, "outputs": "middle"},
    ],
)
def test_draw_unrolled_rnn_rejects_bad_arguments(kwargs):
    from matplotlib.figure import Figure

    from helpers.diagrams import draw_unrolled_rnn

    with pytest.raises((ValueError, TypeError)):
        draw_unrolled_rnn(Figure().subplots(), **kwargs)


# ---- the temporal XOR data -----------------------------------------------------


def test_temporal_xor():
    from helpers.sequences import temporal_xor

    bits, is_xor = temporal_xor(15, batch=4, rng=3)
    assert bits.shape == is_xor.shape == (15, 4) and bits.dtype == np.float64  # time-major
    assert set(np.unique(bits)) <= {0.0, 1.0}
    triples = bits.T.reshape(4, 5, 3).astype(int)
    assert np.array_equal(triples[..., 2], triples[..., 0] ^ triples[..., 1])
    assert np.array_equal(is_xor[:, 0], np.arange(15) % 3 == 2)
    assert np.array_equal(bits, temporal_xor(15, batch=4, rng=3)[0])  # seeded
    with pytest.raises(ValueError, match="T"):
        temporal_xor(0)
    with pytest.raises(TypeError, match="batch"):
        temporal_xor(2, batch=1.5)


def test_temporal_xor_random_phase():
    from helpers.sequences import temporal_xor

    bits, is_xor = temporal_xor(40, batch=300, rng=1, random_phase=True)
    b = bits.astype(int)
    for t in range(2, 40):  # every marked bit is the XOR of the two before it
        assert np.all(b[t][is_xor[t]] == (b[t - 1] ^ b[t - 2])[is_xor[t]])
    first_xor = is_xor[:3].argmax(axis=0)  # where the first XOR bit falls: 0, 1 or 2
    assert set(first_xor.tolist()) == {0, 1, 2}
    assert np.all(is_xor.sum(axis=0) >= 13)
