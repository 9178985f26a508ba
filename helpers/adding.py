"""The adding problem: a long-memory benchmark for recurrent networks.

Each input sequence has two channels. Channel 0 holds values drawn from
U[0, 1]; channel 1 is a marker that is 1 at exactly two positions (one in the
first half of the sequence, one in the second) and 0 elsewhere. The target is
the sum of the two marked values. Always answering 1 (the mean of the target)
scores a mean squared error of Var(u1 + u2) = 2/12 = 1/6; a model beats that
only if it holds the first marked value until the second marker, and the sum
until the last step.

Adapted from experiment 4 of Hochreiter & Schmidhuber (1997), where the values
lie in [-1, 1], both markers fall in the first half and the target is
rescaled. Values from U[0, 1] with the plain sum as target follow Le, Jaitly &
Hinton (2015), who compared tanh RNNs, IRNNs and LSTMs on the task; one marker
in each half is our choice. Data are time-major, like the rest of the course:
``xs`` has shape ``(T, B, 2)``.
"""

from __future__ import annotations

import time

import numpy as np
import torch
from torch import nn

from .progress import ProgressBar
from .validate import check_range, checked

BASELINE_MSE = 1 / 6
"""Mean squared error of the constant prediction 1 (the target's variance)."""

ONE_VALUE_MSE = 1 / 12
"""Mean squared error of the best model that uses only one of the two marked
values (answers ``u + 1/2``): the variance of the value it ignores."""

ADDING_MODELS = ("rnn", "irnn", "lstm", "gru")
MODEL_NAMES = {"rnn": "tanh RNN", "irnn": "IRNN", "lstm": "LSTM", "gru": "GRU"}


def _check_adding_data(n, T, generator=None):
    check_range(n, "n", low=1, integer=True)
    check_range(T, "T", low=2, integer=True)


@checked(_check_adding_data)
def make_adding_data(n: int, T: int, generator: torch.Generator | None = None):
    """Draw ``n`` adding-problem sequences of length ``T``.

    Returns ``(xs, ys)``: ``xs`` float32 of shape ``(T, n, 2)`` (channel 0 the
    values, channel 1 the two markers) and ``ys`` of shape ``(n,)``, the sum of
    the two marked values. The first marker is uniform over the first half of
    the sequence, the second over the second half.
    """
    values = torch.rand(T, n, generator=generator)
    half = T // 2
    first = torch.randint(0, half, (n,), generator=generator)
    second = torch.randint(half, T, (n,), generator=generator)
    markers = torch.zeros(T, n)
    cols = torch.arange(n)
    markers[first, cols] = 1.0
    markers[second, cols] = 1.0
    xs = torch.stack([values, markers], dim=-1)
    ys = values[first, cols] + values[second, cols]
    return xs, ys


def irnn_layer(input_size: int, hidden_size: int) -> nn.RNN:
    """An ``nn.RNN`` initialised as the IRNN of Le, Jaitly & Hinton (2015):
    ReLU, ``W_hh`` the identity, both biases zero and small random input
    weights ``W_xh ~ N(0, 0.001^2)``."""
    rnn = nn.RNN(input_size, hidden_size, nonlinearity="relu")
    with torch.no_grad():
        rnn.weight_hh_l0.copy_(torch.eye(hidden_size))
        rnn.weight_ih_l0.normal_(0.0, 0.001)
        rnn.bias_ih_l0.zero_()
        rnn.bias_hh_l0.zero_()
    return rnn


def init_forget_bias(lstm: nn.LSTM, value: float = 1.0) -> nn.LSTM:
    """Set the forget-gate bias of a one-layer ``nn.LSTM`` to ``value``, in place.

    PyTorch adds two biases, ``bias_ih_l0`` and ``bias_hh_l0`` (each ``(4H,)``,
    blocks in the order input, forget, cell, output); the forget gate's is
    their sum over rows ``H : 2H``. We put ``value`` in the first and 0 in the
    second, so the sum is ``value``. Returns the same module.
    """
    H = lstm.hidden_size
    with torch.no_grad():
        lstm.bias_ih_l0[H : 2 * H] = value
        lstm.bias_hh_l0[H : 2 * H] = 0.0
    return lstm


class SequenceRegressor(nn.Module):
    """A one-layer recurrent cell followed by a linear output layer on its last state.

    cell: "rnn" (tanh), "irnn" (``irnn_layer``), "lstm" or "gru". forget_bias:
    for the LSTM, the initial forget-gate bias (``init_forget_bias``; None
    keeps PyTorch's default). Input ``xs`` of shape ``(T, B, 2)``; output of
    shape ``(B,)``, computed from ``h_T``.
    """

    def __init__(
        self,
        cell: str = "lstm",
        hidden_size: int = 32,
        input_size: int = 2,
        forget_bias: float | None = None,
    ):
        super().__init__()
        if cell not in ADDING_MODELS:
            raise ValueError(f"cell: expected one of {ADDING_MODELS}, got {cell!r}")
        check_range(hidden_size, "hidden_size", low=1, integer=True)
        self.cell = cell
        if cell == "rnn":
            self.rnn = nn.RNN(input_size, hidden_size)  # tanh
        elif cell == "irnn":
            self.rnn = irnn_layer(input_size, hidden_size)
        elif cell == "lstm":
            self.rnn = nn.LSTM(input_size, hidden_size)
            if forget_bias is not None:
                init_forget_bias(self.rnn, forget_bias)
        else:
            self.rnn = nn.GRU(input_size, hidden_size)
        self.out = nn.Linear(hidden_size, 1)

    def forward(self, xs: torch.Tensor) -> torch.Tensor:
        hs, _ = self.rnn(xs)
        return self.out(hs[-1]).squeeze(-1)


def param_count(model: nn.Module) -> int:
    """The number of trainable numbers in ``model``."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def adding_mse(model: nn.Module, xs: torch.Tensor, ys: torch.Tensor) -> float:
    """Mean squared error of ``model`` on ``(xs, ys)``, without gradients."""
    model.eval()
    with torch.no_grad():
        loss = torch.mean((model(xs) - ys) ** 2).item()
    model.train()
    return loss


def train_adding_loop(model, T, steps, batch_size, opt, clip, data_gen, after_step, device=None):
    """The training loop of ``train_adding``: a fresh batch every step, the
    squared error, a clipped gradient step. ``after_step(step, loss)`` runs
    after each step (``train_adding`` records the loss and evaluates there).

    model: maps ``xs (T, B, 2)`` to ``(B,)``; opt: its optimiser; clip: the
    largest gradient norm (0 or None: no clipping); data_gen: the
    ``torch.Generator`` of the training batches.
    """
    for step in range(1, steps + 1):
        xs, ys = (t.to(device) for t in make_adding_data(batch_size, T, data_gen))
        loss = torch.mean((model(xs) - ys) ** 2)
        opt.zero_grad()
        loss.backward()
        if clip:
            nn.utils.clip_grad_norm_(model.parameters(), clip)
        opt.step()
        after_step(step, loss.item())


def train_adding(
    cell: str,
    T: int = 50,
    hidden_size: int = 32,
    steps: int = 500,
    batch_size: int = 64,
    lr: float = 1e-2,
    clip: float = 1.0,
    seed: int = 0,
    eval_every: int = 25,
    n_eval: int = 1000,
    forget_bias: float | None = None,
    device=None,
    progress: bool = True,
) -> dict:
    """Train a ``SequenceRegressor`` on fresh adding-problem batches with Adam.

    Runs ``train_adding_loop`` (every step draws a new batch, so there is no
    overfitting to speak of; gradients are clipped to norm ``clip``) and
    keeps the books around it: every ``eval_every`` steps the MSE on a fixed
    held-out set of ``n_eval`` sequences is recorded. Seeded: the same
    arguments give the same curves on the same machine.

    Returns ``{"cell", "steps": [...], "train": [...] (one loss per step),
    "eval_steps": [...], "eval": [...], "final": last eval MSE, "seconds",
    "model", "opt", "data_gen"}``: the last three let ``train_adding_loop``
    continue the same run (same optimiser state, same stream of batches). ``progress``: a bar counts the steps, then one summary line
    is printed (``helpers.progress.ProgressBar``). ``forget_bias``: see
    ``SequenceRegressor``.
    """
    check_range(steps, "steps", low=1, integer=True)
    check_range(batch_size, "batch_size", low=1, integer=True)
    check_range(lr, "lr", low=0)
    check_range(eval_every, "eval_every", low=1, integer=True)
    device = torch.device("cpu") if device is None else torch.device(device)
    torch.manual_seed(seed)
    model = SequenceRegressor(cell, hidden_size, forget_bias=forget_bias).to(device)
    data_gen = torch.Generator().manual_seed(seed + 1)
    eval_gen = torch.Generator().manual_seed(12345)  # the same held-out set for every model
    x_eval, y_eval = (t.to(device) for t in make_adding_data(n_eval, T, eval_gen))
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    train_losses, eval_steps, eval_losses = [], [0], [adding_mse(model, x_eval, y_eval)]
    bar = ProgressBar(steps, MODEL_NAMES[cell], unit="step", enabled=progress)

    def after_step(step, loss):
        train_losses.append(loss)
        if step % eval_every == 0 or step == steps:
            eval_steps.append(step)
            eval_losses.append(adding_mse(model, x_eval, y_eval))
            bar.set_postfix(eval_mse=f"{eval_losses[-1]:.3f}")
        bar.update()

    start = time.perf_counter()
    train_adding_loop(model, T, steps, batch_size, opt, clip, data_gen, after_step, device)
    seconds = time.perf_counter() - start
    bar.close(
        f"{MODEL_NAMES[cell]}: {steps} steps in {seconds:.1f} s, "
        f"final held-out MSE {eval_losses[-1]:.4f}"
    )
    return {
        "cell": cell,
        "steps": list(range(1, steps + 1)),
        "train": train_losses,
        "eval_steps": eval_steps,
        "eval": eval_losses,
        "final": eval_losses[-1],
        "seconds": seconds,
        "model": model,
        "opt": opt,
        "data_gen": data_gen,
    }


def smooth(values, window: int = 25) -> np.ndarray:
    """Trailing moving average of a loss curve (same length; the first points
    average what is available)."""
    check_range(window, "window", low=1, integer=True)
    v = np.asarray(values, dtype=float)
    c = np.cumsum(np.insert(v, 0, 0.0))
    n = np.arange(1, v.size + 1)
    lo = np.maximum(n - window, 0)
    return (c[n] - c[lo]) / (n - lo)


def adding_targets(xs):
    """The adding problem's target from its input: ``xs (T, B, 2) -> (B,)``,
    the sum over time of value times marker."""
    return (xs[..., 0] * xs[..., 1]).sum(0)


def gru_gates(gru: nn.GRU, xs: torch.Tensor):
    """Run a one-layer ``nn.GRU`` over ``xs (T, B, D)`` from ``h_0 = 0`` and
    return ``(hs, zs)`` as numpy arrays, both ``(T, B, H)``: the states and the
    update gates, ``z_t = sigmoid(W_xz x_t + b_xz + W_hz h_{t-1} + b_hz)``
    (rows ``H : 2H`` of PyTorch's reset, update, new blocks; ``z = 1`` keeps
    the state)."""
    H = gru.hidden_size
    z_rows = slice(H, 2 * H)
    with torch.no_grad():
        hs, _ = gru(xs)
        h_prev = torch.cat([torch.zeros_like(hs[:1]), hs[:-1]])  # h_{t-1} for every t
        zs = torch.sigmoid(
            xs @ gru.weight_ih_l0[z_rows].T + gru.bias_ih_l0[z_rows]
            + h_prev @ gru.weight_hh_l0[z_rows].T + gru.bias_hh_l0[z_rows]
        )  # fmt: skip
    return hs.numpy(), zs.numpy()
