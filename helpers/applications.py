"""Two applications of recurrent networks (notebook 10).

Forecasting a time series: windows of a series, honest baselines, a
one-step-ahead GRU forecaster and multi-step forecasting by feeding each
prediction back in as the next input.

Generating text one character at a time: a GRU that writes surnames in a
chosen language (one-to-many), trained with teacher forcing and sampled with
a temperature.

Shapes: a series is ``(N,)``; windows are ``(M, L)`` (one window of ``L``
consecutive values per row); inside the recurrent layers everything is
time-major, ``(T, B, D)``, like the rest of the course. Character batches are
``(T, B)`` int64.
"""

from __future__ import annotations

import copy
import csv
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from torch import nn

from .activations import softmax
from .validate import check_array, check_range, checked

ASSETS = Path(__file__).resolve().parent.parent / "assets"
CO2_CSV = ASSETS / "co2_monthly.csv"

# ================================================================ forecasting


def load_co2(path=CO2_CSV) -> tuple[list[str], np.ndarray]:
    """Monthly mean CO2 at Mauna Loa from ``assets/co2_monthly.csv``.

    Returns ``(months, co2)``: ``months`` a list of ``"YYYY-MM"`` strings and
    ``co2`` a float64 array ``(N,)`` in ppm (N = 526, March 1958 to December 2001).
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"load_co2: no file at {path}")
    months, values = [], []
    with path.open(newline="") as f:
        for row in csv.DictReader(f):
            months.append(row["month"])
            values.append(float(row["co2_ppm"]))
    return months, np.array(values)


def _check_windows(series, L) -> dict:
    series = check_array(series, "series", shape=("N",))
    check_range(L, "L (the window length)", low=1, high=len(series) - 1, integer=True)
    return {"series": series}


@checked(_check_windows)
def make_windows(series, L: int) -> tuple[np.ndarray, np.ndarray]:
    """Cut a series into (input window, next value) pairs.

    series: (N,) values in time order.
    L: the window length, how many past values the forecaster sees (1 <= L < N).
    Returns ``X`` (N - L, L) with ``X[i] = series[i : i + L]`` and ``y`` (N - L,)
    with ``y[i] = series[i + L]``, the value right after window ``i``.
    """
    n = len(series) - L
    X = np.lib.stride_tricks.sliding_window_view(series, L)[:n].copy()
    return X, series[L:].copy()


def last_value_forecast(series, start: int) -> np.ndarray:
    """The "persistence" baseline: predict ``series[t]`` by ``series[t - 1]``.

    Returns the predictions for t = start, ..., N - 1, shape (N - start,).
    """
    series = check_array(series, "series", shape=("N",))
    check_range(start, "start", low=1, high=len(series), integer=True)
    return series[start - 1 : -1].copy()


def seasonal_naive_forecast(series, start: int, period: int = 12) -> np.ndarray:
    """The seasonal naive baseline: predict ``series[t]`` by ``series[t - period]``,
    the value one season (12 months) earlier.

    Returns the predictions for t = start, ..., N - 1, shape (N - start,).
    """
    series = check_array(series, "series", shape=("N",))
    check_range(period, "period", low=1, integer=True)
    check_range(start, "start", low=period, high=len(series), integer=True)
    return series[start - period : len(series) - period].copy()


def seasonal_difference_forecast(series, start: int, period: int = 12) -> np.ndarray:
    """The seasonal difference baseline: predict ``series[t]`` by
    ``series[t - 1] + (series[t - period] - series[t - period - 1])``, the last
    value plus the change between the same two months one season earlier.

    Returns the predictions for t = start, ..., N - 1, shape (N - start,).
    """
    series = check_array(series, "series", shape=("N",))
    check_range(period, "period", low=1, integer=True)
    check_range(start, "start", low=period + 1, high=len(series), integer=True)
    last = last_value_forecast(series, start)
    return (
        last
        + seasonal_naive_forecast(series, start, period)
        - series[start - period - 1 : -period - 1]
    )


def seasonal_drift_forecast(series, origins, K: int, window: int, period: int = 12) -> np.ndarray:
    """Seasonal naive plus drift, ``K`` months ahead of every origin.

    The forecast made at origin ``o`` (the first month not yet known) for month
    ``o - 1 + h``, h = 1..K, is the same month ``m`` seasons back plus the mean
    monthly growth of the last ``window`` months times the ``m * period``
    months in between, ``m = ceil(h / period)``:
    ``x̂ = x[o-1+h - m p] + m p (x[o-1] - x[o-1-window]) / window``.
    A ``window`` that is a multiple of ``period`` measures the growth over whole
    years, so the seasonal cycle cancels out of it. Only ``series[:o]`` is used.
    series: (N,); origins: (S,) ints with ``window < o <= N``. Returns (S, K).
    """
    series = check_array(series, "series", shape=("N",))
    origins = np.asarray(origins, dtype=int)
    check_range(window, "window", low=1, high=int(origins.min()) - 1, integer=True)
    check_range(K, "K (the horizon)", low=1, integer=True)
    h = np.arange(1, K + 1)
    back = period * np.ceil(h / period).astype(int)  # months back to the same month: m p
    last = series[origins - 1]
    slope = (last - series[origins - 1 - window]) / window  # ppm per month
    return series[origins[:, None] - 1 + h - back] + back * slope[:, None]


def mae(pred, target) -> float:
    """Mean absolute error between two arrays of the same shape."""
    pred = check_array(pred, "pred")
    target = check_array(target, "target", shape=pred.shape)
    return float(np.mean(np.abs(pred - target)))


def rmse(pred, target) -> float:
    """Root mean squared error between two arrays of the same shape."""
    pred = check_array(pred, "pred")
    target = check_array(target, "target", shape=pred.shape)
    return float(np.sqrt(np.mean((pred - target) ** 2)))


class GRUForecaster(nn.Module):
    """One step ahead: a window of L past values -> the next value.

    forward(windows (B, L) float32, in the series' units) -> (B,) predictions.
    The GRU reads the window *relative to its last value*, divided by
    ``scale``, and predicts the change to the next value. Working with changes
    makes the model blind to the level of the series, so a trend that climbs
    above every value seen in training is no problem.
    """

    def __init__(self, hidden_size: int = 32, scale: float = 1.0):
        super().__init__()
        check_range(hidden_size, "hidden_size", low=1, integer=True)
        check_range(scale, "scale", low=1e-12)
        self.gru = nn.GRU(input_size=1, hidden_size=hidden_size)
        self.out = nn.Linear(hidden_size, 1)  # W_hy, b_y
        self.scale = float(scale)

    def forward(self, windows: torch.Tensor) -> torch.Tensor:
        last = windows[:, -1:]  # (B, 1)
        x = ((windows - last) / self.scale).T.unsqueeze(-1)  # (L, B, 1), time-major
        _, h_T = self.gru(x)  # h_T: (1, B, H), the state after the last value
        change = self.out(h_T[-1])[:, 0]  # (B,)
        return last[:, 0] + self.scale * change


def _check_forecaster_data(model, X, y, epochs, batch_size, lr, seed) -> dict:
    X = check_array(X, "X", shape=("M", "L"))
    y = check_array(y, "y", shape=(X.shape[0],))
    check_range(epochs, "epochs", low=1, integer=True)
    check_range(batch_size, "batch_size", low=1, integer=True)
    check_range(lr, "lr", low=0)
    return {"X": X, "y": y}


@checked(_check_forecaster_data)
def train_forecaster(
    model: GRUForecaster,
    X,
    y,
    epochs: int = 60,
    batch_size: int = 32,
    lr: float = 1e-2,
    seed: int = 0,
) -> list[float]:
    """Fit ``model`` to windows ``X`` (M, L) and next values ``y`` (M,) with Adam.

    The loss is the mean squared error of the predicted change, in units of
    ``model.scale``. Mini-batches are shuffled with a generator seeded by
    ``seed``. Returns the mean training loss of each epoch.
    """
    device = next(model.parameters()).device
    Xt = torch.tensor(X, dtype=torch.float32, device=device)
    yt = torch.tensor(y, dtype=torch.float32, device=device)
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    model.train()
    for _ in range(epochs):
        order = torch.randperm(len(Xt), generator=gen)
        total = 0.0
        for i in range(0, len(Xt), batch_size):
            idx = order[i : i + batch_size].to(device)
            loss = torch.mean(((model(Xt[idx]) - yt[idx]) / model.scale) ** 2)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        losses.append(total / len(Xt))
    model.eval()
    return losses


def gru_predict(model: GRUForecaster, X) -> np.ndarray:
    """The model's one-step-ahead predictions for windows ``X`` (M, L) -> (M,) float64."""
    X = check_array(X, "X", shape=("M", "L"))
    device = next(model.parameters()).device
    with torch.no_grad():
        return model(torch.tensor(X, dtype=torch.float32, device=device)).double().cpu().numpy()


def _check_recursive(predict_next, history, K) -> dict:
    check_range(K, "K (the horizon)", low=1, integer=True)
    return {"history": check_array(history, "history", shape=("B", "L"))}


@checked(_check_recursive)
def forecast_recursive(predict_next: Callable, history, K: int) -> np.ndarray:
    """Forecast ``K`` values ahead (the horizon) by feeding each prediction back in.

    predict_next: maps windows (B, L) to next values (B,) (e.g.
        ``lambda X: gru_predict(model, X)``).
    history: (B, L) the last L known values of B series.
    Step k predicts from the window that ends with the k most recent
    *predictions*: no true value after the history is ever used.
    Returns (B, K): column k is the forecast k + 1 steps ahead.
    """
    window = history.astype(np.float64)  # a copy: history is never changed
    forecast = np.empty((window.shape[0], K))
    for k in range(K):
        forecast[:, k] = predict_next(window)  # x̂_{t+k+1}
        window = np.concatenate([window[:, 1:], forecast[:, k : k + 1]], axis=1)  # drop the oldest
    return forecast


# ================================================================ generation

MARK = "."
"""Index 0 of every generator vocabulary: read first ("start"), emitted last ("end")."""
UNK = "?"
"""Index 1: any character the training names never contain. Never sampled."""


def build_char_vocab(names) -> list[str]:
    """``[MARK, UNK] + sorted characters of names``; character ``vocab[i]`` has index i.

    Build it from the training names only; characters that appear only in
    other splits are encoded as ``UNK``.
    """
    if not isinstance(names, (list, tuple)) or not all(isinstance(n, str) for n in names):
        raise TypeError("names: expected a list of strings")
    chars = sorted(set("".join(names)))
    for mark in (MARK, UNK):
        if mark in chars:
            raise ValueError(f"names: the marker {mark!r} must not occur in a name")
    return [MARK, UNK] + chars


def encode_names(names, vocab: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
    """Teacher-forcing batch for a list of names.

    The input at step t is the previous character (the marker at t = 0); the
    target is the current one (the marker after the last character, "stop").
    Characters not in ``vocab`` become ``UNK`` (index 1).
    Returns ``inputs`` (T, B) int64 padded with 0 and ``targets`` (T, B) int64
    padded with -100 (ignored by the loss), ``T = max(len(name)) + 1``.
    """
    if not names:
        raise ValueError("names: expected at least one name")
    index = {c: i for i, c in enumerate(vocab)}
    T = max(len(n) for n in names) + 1
    inputs = torch.zeros((T, len(names)), dtype=torch.long)
    targets = torch.full((T, len(names)), -100, dtype=torch.long)
    for b, name in enumerate(names):
        ids = [index.get(c, 1) for c in name]
        inputs[1 : len(ids) + 1, b] = torch.tensor(ids, dtype=torch.long)
        targets[: len(ids) + 1, b] = torch.tensor(ids + [0], dtype=torch.long)
    return inputs, targets


class NameGenerator(nn.Module):
    """A character-level GRU that writes a name in a given language.

    At every step the GRU reads the previous character's embedding next to an
    embedding of the language, so the condition is present at every step:
    ``x_t = [E_char c_{t-1}; E_lang l]``, ``h_t = GRU(x_t, h_{t-1})``,
    ``y_t = W_hy h_t + b_y`` (logits over the next character).

    forward(inputs (T, B) int64, languages (B,) int64, h0 (1, B, H) or None)
    -> (logits (T, B, V), h_T (1, B, H)).
    """

    def __init__(
        self,
        vocab_size: int,
        n_languages: int,
        hidden_size: int = 128,
        char_dim: int = 32,
        lang_dim: int = 8,
    ):
        super().__init__()
        self.char_embed = nn.Embedding(vocab_size, char_dim)
        self.lang_embed = nn.Embedding(n_languages, lang_dim)
        self.gru = nn.GRU(char_dim + lang_dim, hidden_size)
        self.out = nn.Linear(hidden_size, vocab_size)  # W_hy, b_y

    def forward(self, inputs: torch.Tensor, languages: torch.Tensor, h0=None):
        T, B = inputs.shape
        lang = self.lang_embed(languages).unsqueeze(0).expand(T, B, -1)  # (T, B, lang_dim)
        x = torch.cat([self.char_embed(inputs), lang], dim=-1)  # (T, B, char_dim + lang_dim)
        hs, h_T = self.gru(x, h0)  # hs: (T, B, H), every h_t
        return self.out(hs), h_T


def name_nll(model: NameGenerator, inputs, targets, languages) -> float:
    """Mean negative log-likelihood per character (stop included), in nats."""
    device = next(model.parameters()).device
    model.eval()
    with torch.no_grad():
        logits, _ = model(inputs.to(device), languages.to(device))
        loss = nn.functional.cross_entropy(
            logits.reshape(-1, logits.shape[-1]), targets.reshape(-1).to(device), ignore_index=-100
        )
    return float(loss)


def train_name_generator(
    model: NameGenerator,
    names,
    languages,
    vocab: list[str],
    epochs: int = 8,
    batch_size: int = 64,
    lr: float = 5e-3,
    clip: float = 1.0,
    seed: int = 0,
    val=None,
) -> dict:
    """Teacher forcing: predict every next character of every name, cross-entropy, Adam.

    names: list of str; languages: list of int (the language index of each).
    Gradients are clipped to norm ``clip``. Mini-batches are shuffled with a
    generator seeded by ``seed`` and padded to their own longest name.
    val: optional ``(names, languages)`` held out from training. The
        validation loss is measured after every epoch and the weights of the
        best epoch are put back at the end (early stopping).
    Returns ``{"train": [...], "val": [...], "best_epoch": k}``: the mean
    training and validation loss (nats per character) of each epoch (``val``
    empty without validation data) and the epoch (1-based) whose weights the
    model keeps.
    """
    if len(names) != len(languages):
        raise ValueError(f"languages: expected one per name ({len(names)}), got {len(languages)}")
    check_range(epochs, "epochs", low=1, integer=True)
    check_range(batch_size, "batch_size", low=1, integer=True)
    langs = torch.tensor(languages, dtype=torch.long)
    if len(langs) and (int(langs.min()) < 0 or int(langs.max()) >= model.lang_embed.num_embeddings):
        raise ValueError(
            f"languages: expected indices in [0, {model.lang_embed.num_embeddings - 1}], "
            f"got [{int(langs.min())}, {int(langs.max())}]"
        )
    device = next(model.parameters()).device
    langs = langs.to(device)
    gen = torch.Generator().manual_seed(seed)
    if val is not None:
        if len(val) != 2 or len(val[0]) != len(val[1]):
            raise ValueError("val: expected (names, languages) of equal length")
        val_inputs, val_targets = encode_names(list(val[0]), vocab)
        val_langs = torch.tensor(val[1], dtype=torch.long)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    history = {"train": [], "val": [], "best_epoch": epochs}
    best_state, best_loss = None, float("inf")
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.randperm(len(names), generator=gen).tolist()
        total, count = 0.0, 0
        for i in range(0, len(order), batch_size):
            idx = order[i : i + batch_size]
            inputs, targets = encode_names([names[j] for j in idx], vocab)
            inputs, targets = inputs.to(device), targets.to(device)
            logits, _ = model(inputs, langs[idx])
            loss = nn.functional.cross_entropy(
                logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=-100
            )
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), clip)
            opt.step()
            n = int((targets != -100).sum())
            total, count = total + loss.item() * n, count + n
        history["train"].append(total / count)
        if val is not None:
            history["val"].append(name_nll(model, val_inputs, val_targets, val_langs))
            if history["val"][-1] < best_loss:
                best_loss, history["best_epoch"] = history["val"][-1], epoch
                best_state = copy.deepcopy(model.state_dict())
    if best_state is not None:
        model.load_state_dict(best_state)
    model.eval()
    return history


def _check_temperature(logits, tau) -> dict:
    logits = check_array(logits, "logits")
    if logits.ndim == 0:
        raise ValueError("logits: expected at least 1 dimension (the vocabulary), got a scalar")
    check_range(tau, "tau (the temperature)", low=0)
    return {"logits": logits}


@checked(_check_temperature)
def softmax_temperature(logits, tau: float) -> np.ndarray:
    """Probabilities ``softmax(logits / τ)`` along the last axis.

    logits: (..., V). tau: τ >= 0. τ = 1 is the model's own distribution,
    τ < 1 sharpens it, τ > 1 flattens it towards uniform. τ = 0 is the limit
    τ -> 0: all mass on the largest logit (greedy; the first one on a tie).
    Subtracting each row's maximum is what keeps exp from overflowing (every
    exponent is then <= 0); doing it before dividing by τ also survives a τ
    so small that y / τ itself would overflow (the other entries become 0).
    Entries of -inf get probability 0.
    """
    if tau == 0:
        return np.eye(logits.shape[-1])[np.argmax(logits, axis=-1)]
    shifted = logits - np.max(logits, axis=-1, keepdims=True)  # <= 0
    with np.errstate(over="ignore", under="ignore"):  # -5 / 1e-320 = -inf; exp(-inf) = 0
        return softmax(shifted / tau)


def sample_next(logits, tau: float, rng: np.random.Generator) -> np.ndarray:
    """Draw one index per row from ``softmax(logits / τ)``.

    logits: (B, V) scores y_t (an entry of -inf is never drawn).
    tau: τ >= 0; τ = 0 gives the argmax of each row (the first one on a tie).
    rng: a numpy Generator; it makes the draws, one uniform number per row.
    Returns (B,) int64.
    """
    probs = softmax_temperature(logits, tau)  # (B, V), each row sums to 1
    cdf = np.cumsum(probs, axis=-1)
    u = rng.random(len(probs)) * cdf[:, -1]  # uniform in [0, total): total is 1 up to rounding
    # inverse CDF: the first index whose cumulative probability exceeds u (never one of p = 0)
    return (cdf <= u[:, None]).sum(axis=-1)


def _check_sampling(model, vocab, language, n, tau, seed, max_len, return_logits) -> None:
    check_range(n, "n", low=1, integer=True)
    check_range(max_len, "max_len", low=1, integer=True)
    check_range(language, "language", low=0, high=model.lang_embed.num_embeddings - 1, integer=True)
    check_range(tau, "tau (the temperature)", low=0)


@checked(_check_sampling)
def sample_names(
    model: NameGenerator,
    vocab: list[str],
    language: int,
    n: int = 10,
    tau: float = 1.0,
    seed: int = 0,
    max_len: int = 20,
    return_logits: bool = False,
):
    """Write ``n`` names in ``language``, one character at a time, at temperature ``tau``.

    Each step feeds the character just drawn back in and draws the next with
    ``sample_next``; a name stops at the marker (or at ``max_len`` characters).
    The first character is never the stop marker (no name is empty) and the
    unknown symbol is never drawn. Draws use ``np.random.default_rng(seed)``:
    the same arguments give the same names.
    Returns the list of names; with ``return_logits`` also the masked logits
    each draw was made from, (steps, n, V) (rows of finished names included).
    """
    rng = np.random.default_rng(seed)
    device = next(model.parameters()).device
    langs = torch.full((n,), language, dtype=torch.long, device=device)
    x = torch.zeros((1, n), dtype=torch.long, device=device)  # the start marker
    h = None
    chars = np.zeros((n, max_len), dtype=np.int64)
    done = np.zeros(n, dtype=bool)
    seen = []
    model.eval()
    with torch.no_grad():
        for t in range(max_len):
            logits, h = model(x, langs, h)
            y_t = logits[0].double().cpu().numpy()  # (n, V)
            y_t[:, 1] = -np.inf  # never the unknown symbol
            if t == 0:
                y_t[:, 0] = -np.inf  # a name has at least one character
            seen.append(y_t)
            nxt = sample_next(y_t, tau, rng)
            nxt[done] = 0  # finished names stay finished
            chars[:, t] = nxt
            done |= nxt == 0
            if done.all():
                break
            x = torch.tensor(nxt, dtype=torch.long, device=device)[None, :]
    names = []
    for row in chars:
        stop = np.flatnonzero(row == 0)
        names.append("".join(vocab[i] for i in row[: stop[0] if len(stop) else max_len]))
    return (names, np.stack(seen)) if return_logits else names


def bigram_nll(train_names, train_langs, names, langs, vocab: list[str], alpha: float = 0.1):
    """Per-character NLL (nats) of a count-based baseline: a smoothed bigram
    table per language, ``P(c_t | c_{t-1}, language)`` with add-``alpha`` counts."""
    index = {c: i for i, c in enumerate(vocab)}
    V, n_languages = len(vocab), max(max(train_langs), max(langs)) + 1
    counts = np.full((n_languages, V, V), alpha)
    for name, lang in zip(train_names, train_langs):
        ids = [0] + [index.get(c, 1) for c in name] + [0]
        np.add.at(counts[lang], (ids[:-1], ids[1:]), 1)
    logp = np.log(counts / counts.sum(axis=2, keepdims=True))
    total, count = 0.0, 0
    for name, lang in zip(names, langs):
        ids = [0] + [index.get(c, 1) for c in name] + [0]
        total -= logp[lang, ids[:-1], ids[1:]].sum()
        count += len(ids) - 1
    return total / count
