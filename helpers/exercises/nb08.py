"""Exercises of notebook 08 (see ``helpers.exercises``)."""

import torch
from torch import nn

from ..adding import adding_targets, init_forget_bias, irnn_layer, make_adding_data
from ..checking import FAILED, NOT_ATTEMPTED, PASSED, CheckResult
from .core import Exercise, register


def _targets_cases():
    gen = torch.Generator().manual_seed(70)
    return [
        (f"T={T}, B={B}", (make_adding_data(B, T, gen)[0],)) for T, B in [(2, 1), (10, 4), (50, 7)]
    ]


def _call(learner, *args):
    """(result, None) or (None, CheckResult) when the learner's code raised."""
    try:
        return learner(*args), None
    except NotImplementedError:
        return None, CheckResult("", NOT_ATTEMPTED, ["not attempted yet"])
    except Exception as err:  # noqa: BLE001 - a learner's crash is a verdict, not an error
        return None, CheckResult("", FAILED, [f"raised {type(err).__name__}: {err}"])


def _verdict(name: str, messages: list[str]) -> CheckResult:
    ok = all(m.startswith("✓") for m in messages)
    return CheckResult(name, PASSED if ok else FAILED, messages)


# ---- the IRNN's initialisation ---------------------------------------------------------


def _irnn_problems(rnn, D: int, H: int) -> list[str]:
    if not isinstance(rnn, nn.RNN):
        return [f"expected an nn.RNN, got {type(rnn).__name__}"]
    problems = []
    if rnn.nonlinearity != "relu":
        problems.append(f"nonlinearity {rnn.nonlinearity!r}: the IRNN uses 'relu'")
    if rnn.bidirectional:
        problems.append(
            "bidirectional=True: the IRNN reads the sequence in one direction "
            "(a second direction, weight_hh_l0_reverse, is left at PyTorch's default)"
        )
    if rnn.batch_first:
        problems.append(
            "batch_first=True: the course's batches are time-major, (T, B, D); "
            "leave batch_first=False"
        )
    if (rnn.input_size, rnn.hidden_size, rnn.num_layers) != (D, H, 1):
        problems.append(
            f"sizes (input, hidden, layers) = {(rnn.input_size, rnn.hidden_size, rnn.num_layers)},"
            f" expected {(D, H, 1)}"
        )
        return problems
    if not rnn.bias:
        problems.append("bias=False: keep PyTorch's two biases and set them to zero")
        return problems
    W_hh = rnn.weight_hh_l0.detach()
    if not torch.equal(W_hh, torch.eye(H)):
        diag = W_hh.diagonal()
        what = f"diagonal from {diag.min().item():.3g} to {diag.max().item():.3g}"
        off = (W_hh - torch.diag(diag)).abs().max().item()
        problems.append(
            f"W_hh (weight_hh_l0) is not the identity: {what}, largest off-diagonal {off:.3g}"
        )
    for name in ("bias_ih_l0", "bias_hh_l0"):
        b = getattr(rnn, name).detach()
        if b.abs().max().item() != 0.0:
            problems.append(f"{name} is not zero (largest |entry| {b.abs().max().item():.3g})")
    W_xh = rnn.weight_ih_l0.detach()
    big = W_xh.abs().max().item()
    if big > 0.01:
        problems.append(
            f"W_xh (weight_ih_l0) is not small: largest |entry| {big:.3g}, expected N(0, 0.001²)"
        )
    elif big == 0.0:
        problems.append("W_xh (weight_ih_l0) is all zeros: draw it from N(0, 0.001²)")
    elif W_xh.numel() >= 50 and abs(W_xh.mean().item()) > 5 * 0.001 / W_xh.numel() ** 0.5:
        problems.append(
            f"W_xh (weight_ih_l0) is not centred on zero: its mean is {W_xh.mean().item():.2g}, "
            "draw it from N(0, 0.001²)"
        )
    elif W_xh.numel() >= 200 and not 0.0005 < W_xh.std().item() < 0.002:
        problems.append(f"W_xh's standard deviation is {W_xh.std().item():.2g}, expected 0.001")
    return problems


def _check_irnn(learner) -> CheckResult:
    messages = []
    for D, H in [(2, 32), (1, 1), (3, 100)]:
        torch.manual_seed(D * 1000 + H)
        rnn, crash = _call(learner, D, H)
        if crash is not None:
            return CheckResult("irnn_layer", crash.status, crash.messages)
        problems = _irnn_problems(rnn, D, H)
        head = f"input_size={D}, hidden_size={H}"
        messages.append(f"✓ {head}" if not problems else f"✗ {head}: " + "; ".join(problems))
    return _verdict("irnn_layer", messages)


def _irnn_tanh(D, H):
    rnn = nn.RNN(D, H)  # tanh, with the IRNN's parameters copied in
    rnn.load_state_dict(irnn_layer(D, H).state_dict())
    return rnn


def _irnn_scaled(D, H):
    rnn = irnn_layer(D, H)
    with torch.no_grad():
        rnn.weight_hh_l0.mul_(0.5)
    return rnn


def _irnn_one_bias(D, H):
    rnn = irnn_layer(D, H)
    with torch.no_grad():
        rnn.bias_ih_l0.uniform_(-(H**-0.5), H**-0.5)  # left at PyTorch's default
    return rnn


def _irnn_default_inputs(D, H):
    rnn = irnn_layer(D, H)
    with torch.no_grad():
        rnn.weight_ih_l0.uniform_(-(H**-0.5), H**-0.5)  # PyTorch's default, not small
    return rnn


def _irnn_bidirectional(D, H):
    rnn = nn.RNN(D, H, nonlinearity="relu", bidirectional=True)
    rnn.load_state_dict(irnn_layer(D, H).state_dict(), strict=False)  # forward direction only
    return rnn


def _irnn_batch_first(D, H):
    rnn = nn.RNN(D, H, nonlinearity="relu", batch_first=True)
    rnn.load_state_dict(irnn_layer(D, H).state_dict())
    return rnn


def _irnn_positive_inputs(D, H):
    rnn = irnn_layer(D, H)
    with torch.no_grad():
        rnn.weight_ih_l0.uniform_(0.0, 0.002)  # small, spread like N(0, 0.001²), but all > 0
    return rnn


# ---- the LSTM's forget-gate bias ---------------------------------------------------------


def _check_forget_bias(learner) -> CheckResult:
    messages = []
    for D, H, value in [(2, 32, 1.0), (1, 1, 2.5), (3, 5, 0.0)]:
        torch.manual_seed(10 * H + D)
        lstm = nn.LSTM(D, H)
        before = {k: v.detach().clone() for k, v in lstm.named_parameters()}
        out, crash = _call(learner, lstm, value)
        if crash is not None:
            return CheckResult("init_forget_bias", crash.status, crash.messages)
        head = f"H={H}, value={value}"
        if out is not lstm:
            messages.append(f"✗ {head}: return the same nn.LSTM you were given (changed in place)")
            continue
        problems = []
        b = (lstm.bias_ih_l0 + lstm.bias_hh_l0).detach()
        b0 = before["bias_ih_l0"] + before["bias_hh_l0"]
        forget = b[H : 2 * H]
        if not torch.allclose(forget, torch.full((H,), value), atol=1e-6):
            problems.append(
                f"the forget gate's bias (bias_ih_l0 + bias_hh_l0, rows H:2H) runs from "
                f"{forget.min().item():.3g} to {forget.max().item():.3g}, expected {value}"
            )
        others = torch.cat([b[:H], b[2 * H :]]) - torch.cat([b0[:H], b0[2 * H :]])
        if others.abs().max().item() > 1e-6:
            problems.append(
                "the input, cell or output gate's bias changed: only rows H:2H are the forget gate"
            )
        for name in ("weight_ih_l0", "weight_hh_l0"):
            if not torch.equal(getattr(lstm, name).detach(), before[name]):
                problems.append(f"{name} changed: only the biases should")
        messages.append(f"✓ {head}" if not problems else f"✗ {head}: " + "; ".join(problems))
    return _verdict("init_forget_bias", messages)


def _bias_first_block(lstm, value=1.0):
    with torch.no_grad():
        lstm.bias_ih_l0[: lstm.hidden_size] = value
        lstm.bias_hh_l0[: lstm.hidden_size] = 0.0
    return lstm


def _bias_only_ih(lstm, value=1.0):
    H = lstm.hidden_size
    with torch.no_grad():
        lstm.bias_ih_l0[H : 2 * H] = value
    return lstm


def _bias_both_set(lstm, value=1.0):
    H = lstm.hidden_size
    with torch.no_grad():
        lstm.bias_ih_l0[H : 2 * H] = value
        lstm.bias_hh_l0[H : 2 * H] = value
    return lstm


def _bias_added(lstm, value=1.0):
    H = lstm.hidden_size
    with torch.no_grad():
        lstm.bias_ih_l0[H : 2 * H] += value
    return lstm


register(
    Exercise(
        "08-adding-targets",
        "the adding problem's target from its input",
        reference=adding_targets,
        cases=_targets_cases,
        hints=[
            "Channel 0 holds the values u_t, channel 1 the markers m_t; the target is Σ_t m_t u_t.",
            "xs is (T, B, 2): xs[..., 0] and xs[..., 1] are the two channels, each (T, B). "
            "Which axis is time?",
            "return (xs[..., 0] * xs[..., 1]).sum(0): element by element, then summed over time "
            "(axis 0), giving (B,). A new tensor: `*=` would change the caller's batch.",
        ],
        mistakes=[
            ("ignores the markers: sums every value", lambda xs: xs[..., 0].sum(0)),
            (
                "sums over the batch (axis 1) instead of time",
                lambda xs: (xs[..., 0] * xs[..., 1]).sum(1),
            ),
            ("averages over time instead of summing", lambda xs: (xs[..., 0] * xs[..., 1]).mean(0)),
            (
                "the values multiplied by the markers in place (xs[..., 0] *= ...): "
                "the caller's batch changes",
                lambda xs: xs[..., 0].mul_(xs[..., 1]).sum(0),
            ),
        ],
    ),
    Exercise(
        "08-irnn-init",
        "the IRNN: an nn.RNN initialised as Le et al. (2015)",
        reference=irnn_layer,
        checker=_check_irnn,
        hints=[
            "Four things to set: the nonlinearity (a constructor argument), W_hh, both biases, W_xh. "
            "PyTorch calls them weight_hh_l0, bias_ih_l0, bias_hh_l0 and weight_ih_l0.",
            "Build nn.RNN(input_size, hidden_size, nonlinearity='relu'); then, inside `with torch.no_grad():`, "
            "change the parameters in place with .copy_(...), .zero_() and .normal_(mean, std).",
            "weight_hh_l0.copy_(torch.eye(hidden_size)); bias_ih_l0.zero_(); bias_hh_l0.zero_(); "
            "weight_ih_l0.normal_(0.0, 0.001); return the module.",
        ],
        mistakes=[
            ("tanh instead of ReLU: the identity then only holds near 0", _irnn_tanh),
            ("a scaled identity 0.5·I: the state halves at every step", _irnn_scaled),
            ("only one of PyTorch's two biases set to zero", _irnn_one_bias),
            ("W_xh left at PyTorch's default U(±1/√H), not small", _irnn_default_inputs),
            ("bidirectional=True: two directions instead of one", _irnn_bidirectional),
            ("batch_first=True: the course's batches are (T, B, D)", _irnn_batch_first),
            ("W_xh drawn from U(0, 0.002): small, but not centred on zero", _irnn_positive_inputs),
        ],
    ),
    Exercise(
        "08-forget-bias",
        "the LSTM's forget-gate bias, in PyTorch's layout",
        reference=init_forget_bias,
        checker=_check_forget_bias,
        hints=[
            "nn.LSTM stacks four gate blocks of H rows in the order input, forget, cell, output, "
            "and adds two biases, bias_ih_l0 and bias_hh_l0. Which rows, and what must their sum be?",
            "The forget gate is rows H:2H, and the bias the gate sees is bias_ih_l0[H:2H] + bias_hh_l0[H:2H]: "
            "setting only one of them leaves the other's random values in the sum.",
            "with torch.no_grad(): bias_ih_l0[H:2H] = value; bias_hh_l0[H:2H] = 0.0; then return lstm.",
        ],
        mistakes=[
            (
                "the first block (rows 0:H) is the input gate, not the forget gate",
                _bias_first_block,
            ),
            ("only bias_ih_l0 set: bias_hh_l0's random values are still added", _bias_only_ih),
            ("both biases set to the value: the gate sees twice the value", _bias_both_set),
            ("value added to the default instead of set", _bias_added),
        ],
    ),
    Exercise(
        "08-predict-curves",
        "which curves leave the 1/6 line?",
        answer="""
        The tanh RNN stays on the line: the gradient from the loss at step T back to the first
        marker is a product of 25–50 Jacobians with norms below 1 (notebook 05), so it never learns
        that u_{t₁} matters. The GRU leaves it within a few hundred steps: its update gate can sit
        near 1, which copies the state and lets the gradient through. The LSTM can too, but with
        PyTorch's default biases its forget gate starts near 0.5 and its plateau lasts longer than
        the fast run. The IRNN starts with W_hh = I, so nothing vanishes at the start, but at a
        learning rate of 1e-3 it moves slowly: not within the fast run. The seeds agree on who leaves
        the line in 300 steps; they disagree on how long the plateaus last (see the longer runs).
        """,
        hints=["Which of the four can copy its state from step to step at the start of training?"],
    ),
    Exercise(
        "08-predict-query",
        "which models track the first value?",
        answer="""
        Only a model below the 1/12 line can: it must have stored u_{t₁}. In the fast run that is the
        GRU (all seeds): its bar follows the dashed line as u_{t₁} moves. The others answer about
        1 whatever u_{t₁} is, or at best about u_{t₂} + 1/2: the recent value is easy to use, since
        it arrives close to the end, but the early one has been forgotten.
        """,
        hints=[
            "A model that has not learned to remember cannot react to something it has forgotten."
        ],
    ),
    Exercise(
        "08-explore",
        "explore: longer runs, shorter sequences, other rates and seeds",
        answer="""
        What we saw (`python benchmarks/adding_long.py explore` prints it):

        1. Trained for 1500 steps at T = 50, the LSTM first got below MSE 0.05 at step 400, 650 and 450 for
           seeds 0, 1 and 2, and ended near 1e-3 or below: a longer plateau, not a failure.
           (`FULL = True` makes the task harder as well, T = 100.)
        2. At T = 100 the GRU's plateau is longer but it still learns within 300 steps: below 0.05
           at step 200, 225 and 225 (seeds 0, 1, 2), final MSE 0.003, 0.003 and 0.001.
        3. At learning rate 1e-2 the IRNN stays on the line for every seed (final 0.167, 0.167,
           0.165), with larger bumps along the way (up to about 0.2): bigger steps make it jumpier,
           not better. Le et al. trained it with small steps for a reason.
        4. A forget-gate bias of 4 does not get the LSTM off the line within 300 steps either (final
           0.169, 0.166, 0.177): a gate that keeps the memory is not enough, the LSTM must still learn
           to write u at the marker and to read the sum out, and that takes longer here.
        """,
        hints=["Change one thing at a time and compare with the seeds of the saved run."],
    ),
)
