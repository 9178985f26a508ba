"""A character-level language model in numpy (notebook 06), after Karpathy's min-char-rnn.

The model reads one character at a time and predicts the next:

    x_t = onehot(c_t)                              (V,)  V = vocabulary size
    h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h)      (H,)  helpers.scratch.rnn_forward
    y_t = W_hy h_t + b_y                           (V,)  logits
    p_t = softmax(y_t)                             probabilities of the next character
    L   = mean over steps of -log p_t[c_{t+1}]     nats per character

Everything is time-major like the rest of the course: a batch of ``B``
streams of ``T`` characters is an integer array ``(T, B)``; hidden states are
``(T, B, H)``. Parameters live in one dict with the course's names and
PyTorch's layout ``(out_features, in_features)``:
``W_xh (H, V)``, ``W_hh (H, H)``, ``b_h (H,)``, ``W_hy (V, H)``, ``b_y (V,)``.

The recurrent part reuses ``helpers.scratch`` (``rnn_forward``,
``rnn_backward``, ``rnn_step_forward``), the softmax ``helpers.activations``
and the clipping ``helpers.gradients.clip_by_norm``; this module adds the
pieces around them: the text and its vocabulary, the output layer's loss and
gradient, Adagrad, the training step, truncated BPTT over a stream, sampling
with a temperature, and the unigram and bigram baselines.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .activations import log_softmax, softmax
from .gradients import clip_by_norm
from .progress import ProgressBar
from .scratch import RNN_KEYS, rnn_backward, rnn_forward, rnn_step_forward
from .validate import check_array, check_params, check_range, checked

ASSETS = Path(__file__).resolve().parent.parent / "assets"
PARAM_KEYS = ("W_xh", "W_hh", "b_h", "W_hy", "b_y")

# ============================================================================
# The text as integers
# ============================================================================


def load_text(name: str = "botchan.txt") -> str:
    """A text shipped in ``assets/`` (default: chapters I-IV of *Botchan*, 80,783 characters)."""
    return (ASSETS / name).read_text(encoding="utf-8")


def text_chars(text: str) -> list[str]:
    """The distinct characters of ``text``, sorted: character ``chars[i]`` has id ``i``."""
    if not isinstance(text, str) or not text:
        raise ValueError(f"text: expected a non-empty string, got {text!r:.40}")
    return sorted(set(text))


def text_to_ids(text: str, chars: list[str]) -> np.ndarray:
    """``text`` as an int64 array of ids into ``chars``; a character not in it raises."""
    index = {c: i for i, c in enumerate(chars)}
    missing = sorted(set(text) - set(index))
    if missing:
        raise ValueError(f"text: characters {missing} are not in the vocabulary")
    return np.array([index[c] for c in text], dtype=np.int64)


def ids_to_text(ids, chars: list[str]) -> str:
    """The string whose characters have ids ``ids`` (any integer array)."""
    return "".join(chars[int(i)] for i in np.asarray(ids).ravel())


def one_hot(ids, V: int) -> np.ndarray:
    """``(..., V)`` float64 array with a 1 at each id: ``x_t = onehot(c_t)``."""
    ids = np.asarray(ids)
    if not np.issubdtype(ids.dtype, np.integer):
        raise TypeError(f"ids: expected integers, got dtype {ids.dtype}")
    if ids.size and (ids.min() < 0 or ids.max() >= V):
        raise ValueError(f"ids: expected values in [0, {V}), got {ids.min()} to {ids.max()}")
    return np.eye(V)[ids]


# ============================================================================
# The model: parameters, the output layer, loss and gradients
# ============================================================================


def init_char_rnn(V: int, H: int, rng: np.random.Generator) -> dict:
    """Small random weights, zero biases: ``W_xh (H, V)``, ``W_hh (H, H)``,
    ``b_h (H,)``, ``W_hy (V, H)``, ``b_y (V,)`` (float64).

    ``W_xh`` (std 0.3) and ``W_hh`` (std ``0.5 / sqrt(H)``) keep the
    untrained network well inside tanh's linear range; ``W_hy`` (std 0.01) is
    tiny, so the untrained model predicts nearly uniformly: loss ``log V``.
    """
    check_range(V, "V", low=1, integer=True)
    check_range(H, "H", low=1, integer=True)
    return {
        "W_xh": rng.standard_normal((H, V)) * 0.3,  # one-hot x: picks one column
        "W_hh": rng.standard_normal((H, H)) * (0.5 / np.sqrt(H)),
        "b_h": np.zeros(H),
        "W_hy": rng.standard_normal((V, H)) * 0.01,
        "b_y": np.zeros(V),
    }


def output_loss_and_grads(hs, targets, W_hy, b_y):
    """The output layer, its loss and its gradients, for every step at once.

    hs: ``(T, B, H)`` hidden states; targets: ``(T, B)`` integer ids of the
    next characters; W_hy: ``(V, H)``; b_y: ``(V,)``.
    ``y_t = W_hy h_t + b_y``, ``p_t = softmax(y_t)``, and the loss is the mean
    over all ``T * B`` predictions of ``-log p_t[target]`` (nats per character).
    Returns ``(loss, dW_hy (V, H), db_y (V,), dhs (T, B, H))``, where ``dhs`` is
    what ``rnn_backward`` takes: the gradient reaching each ``h_t`` from its output.
    """
    T, B = targets.shape
    N = T * B  # predictions averaged over
    ys = hs @ W_hy.T + b_y  # (T, B, V) logits
    t, b = np.arange(T)[:, None], np.arange(B)[None, :]  # index every (step, stream)
    loss = -log_softmax(ys)[t, b, targets].mean()  # log_softmax: no log(0)
    dys = softmax(ys)  # dL/dy_t = (p_t - onehot(target)) / N
    dys[t, b, targets] -= 1.0
    dys /= N
    dW_hy = np.einsum("tbv,tbh->vh", dys, hs)  # sum over steps and streams
    db_y = dys.sum(axis=(0, 1))
    dhs = dys @ W_hy  # (T, B, H)
    return float(loss), dW_hy, db_y, dhs


def _check_model(params, inputs, targets, h0) -> None:
    """Validate once, at the public entry: shapes agree and ids are integers."""

    check_params(params, "params", PARAM_KEYS)
    dims = {}
    check_array(params["W_hy"], "params['W_hy']", ("V", "H"), dims)
    check_array(params["W_xh"], "params['W_xh']", ("H", "V"), dims)
    check_array(params["W_hh"], "params['W_hh']", ("H", "H"), dims)
    check_array(params["b_h"], "params['b_h']", ("H",), dims)
    check_array(params["b_y"], "params['b_y']", ("V",), dims)
    for name, ids in (("inputs", inputs), ("targets", targets)):
        ids = np.asarray(ids)
        if not np.issubdtype(ids.dtype, np.integer):
            raise TypeError(f"{name}: expected integer ids, got dtype {ids.dtype}")
        check_array(ids, name, ("T", "B"), dims, floating=False)
    check_array(h0, "h0", ("B", "H"), dims)


@checked(_check_model)
def char_rnn_loss_and_grads(params, inputs, targets, h0):
    """Forward and backward over one chunk of ``T`` characters of ``B`` streams.

    params: the model's dict (see the module docstring); inputs, targets:
    ``(T, B)`` integer ids (targets are the inputs shifted by one character);
    h0: ``(B, H)`` the state carried in from the previous chunk.
    Returns ``(loss, grads, h_last)``: the mean loss (nats per character), a
    dict of gradients with the keys of ``params``, and ``hs[-1]`` ``(B, H)``,
    the state to carry into the next chunk.
    """
    V = params["W_hy"].shape[0]
    xs = one_hot(inputs, V)  # (T, B, V)
    hs, cache = rnn_forward(xs, h0, {k: params[k] for k in RNN_KEYS})
    loss, dW_hy, db_y, dhs = output_loss_and_grads(hs, targets, params["W_hy"], params["b_y"])
    g = rnn_backward(dhs, cache)  # BPTT: dhs from the outputs, dh_next from later steps
    grads = {"W_xh": g["W_xh"], "W_hh": g["W_hh"], "b_h": g["b_h"], "W_hy": dW_hy, "b_y": db_y}
    return loss, grads, hs[-1]


# ============================================================================
# Training: Adagrad, one step, truncated BPTT over a stream
# ============================================================================


def adagrad_init(params: dict) -> dict:
    """Adagrad's memory: one array of zeros per parameter."""
    return {k: np.zeros_like(v) for k, v in params.items()}


def adagrad_update(params: dict, grads: dict, memory: dict, lr: float, eps: float = 1e-8):
    """One Adagrad step (as in min-char-rnn): ``m += g**2``, ``w -= lr * g / sqrt(m + eps)``.

    Each weight gets its own step size, large while its gradients have been
    small. Returns new ``(params, memory)`` dicts; the inputs are not changed.
    """
    memory = {k: memory[k] + grads[k] ** 2 for k in params}
    params = {k: params[k] - lr * grads[k] / np.sqrt(memory[k] + eps) for k in params}
    return params, memory


def train_step(params, memory, inputs, targets, h0, lr: float = 0.03, max_norm: float = 5.0):
    """One training step on one chunk: forward, backward, clip, Adagrad update.

    params, memory: the model's and Adagrad's dicts; inputs, targets: ``(T, B)``
    integer ids; h0: ``(B, H)`` the state carried in from the previous chunk.
    Returns ``(params, memory, loss, h_last)``: the updated dicts (new arrays;
    nothing is changed in place), the chunk's loss before the update, and the
    last hidden state, to carry into the next chunk.
    """
    loss, grads, h_last = char_rnn_loss_and_grads(params, inputs, targets, h0)
    grads = clip_by_norm(grads, max_norm)  # notebook 05: one joint norm for every array
    params, memory = adagrad_update(params, grads, memory, lr)
    return params, memory, loss, h_last


def stream_chunks(ids, B: int, T: int):
    """Cut one long stream of ids into ``B`` parallel streams and chunks of ``T`` steps.

    The text is split into ``B`` contiguous pieces (column ``b`` of a chunk
    continues where column ``b`` of the previous chunk stopped), so a hidden
    state carried from one chunk to the next has read the text just before.
    Returns a list of ``(inputs, targets)`` pairs of ``(T, B)`` int64 arrays,
    targets being the inputs shifted one character ahead.
    """
    ids = check_array(np.asarray(ids), "ids", ("N",), floating=False)
    check_range(B, "B", low=1, integer=True)
    check_range(T, "T", low=1, integer=True)
    per_stream = (len(ids) - 1) // B
    n_chunks = per_stream // T
    if n_chunks < 1:
        raise ValueError(f"ids: {len(ids)} characters are too few for B={B} streams of T={T}")
    usable = n_chunks * T
    starts = np.arange(B) * per_stream
    cols = starts[None, :] + np.arange(usable + 1)[:, None]  # (usable + 1, B)
    stream = ids[cols]
    return [(stream[i : i + T], stream[i + 1 : i + T + 1]) for i in range(0, usable, T)]


def train_char_rnn(
    params,
    train_ids,
    epochs: int = 1,
    B: int = 16,
    T: int = 25,
    lr: float = 0.03,
    max_norm: float = 5.0,
    step=train_step,
    after_step=None,
):
    """Truncated BPTT over ``train_ids``: ``step`` (``train_step`` unless another
    function with its arguments and results is given) on every chunk of
    ``stream_chunks(train_ids, B, T)``, carrying each stream's hidden state from
    one chunk to the next (reset to zeros at the start of every epoch).

    after_step: if given, called as ``after_step(params, memory, loss)`` after
    every step (``train_char_rnn_logged`` records the run with it).
    Returns the trained parameters.
    """
    chunks = stream_chunks(train_ids, B, T)
    memory = adagrad_init(params)
    for _ in range(epochs):
        h = np.zeros((B, params["W_hh"].shape[0]))  # a fresh start for every pass
        for inputs, targets in chunks:
            params, memory, loss, h = step(params, memory, inputs, targets, h, lr, max_norm)
            if after_step is not None:
                after_step(params, memory, loss)
    return params


def train_char_rnn_logged(
    params,
    train_ids,
    epochs: int = 1,
    B: int = 16,
    T: int = 25,
    progress: bool = True,
    every: int = 20,
    sample_every: int = 0,
    sample=None,
    **options,
):
    """``train_char_rnn`` (``options``: its ``lr``, ``max_norm`` and ``step``, by name)
    with a progress bar, a record of the run and, every
    ``sample_every`` steps (0: never), a line of text from ``sample(params)``
    (a function returning a string), as min-char-rnn prints while it trains.

    Returns ``(params, history)``: ``history["step"]`` and ``history["loss"]`` (the
    training loss averaged over the ``every`` chunks up to that step, nats per
    character; one point for a shorter run), and ``history["grad_norm"]``, the
    joint norm of the gradient each step applied, after clipping (read from
    Adagrad's memory, which adds the squared applied gradient): a value of
    the threshold ``max_norm`` means clipping fired, any smaller one is the gradient's own norm.
    """
    n_chunks = len(stream_chunks(train_ids, B, T))
    bar = ProgressBar(epochs * n_chunks, desc="training", unit="chunk", enabled=progress)
    history = {"step": [], "loss": [], "grad_norm": []}
    state = {"recent": [], "step": 0, "memory_total": 0.0}

    def after_step(params, memory, loss):
        state["step"] += 1
        total = sum(float(m.sum()) for m in memory.values())
        history["grad_norm"].append(float(np.sqrt(max(total - state["memory_total"], 0.0))))
        state["memory_total"] = total
        state["recent"].append(loss)
        if len(state["recent"]) == every:
            history["step"].append(state["step"])
            history["loss"].append(float(np.mean(state["recent"])))
            bar.set_postfix(loss=f"{history['loss'][-1]:.3f}")
            state["recent"] = []
        bar.update()
        if sample_every and sample is not None and state["step"] % sample_every == 0:
            print(f"--- step {state['step']}, loss {loss:.2f} ---\n{sample(params)}", flush=True)

    params = train_char_rnn(params, train_ids, epochs, B, T, after_step=after_step, **options)
    if not history["loss"]:  # a run shorter than ``every`` chunks: one point
        history["step"].append(state["step"])
        history["loss"].append(float(np.mean(state["recent"])))
    bar.close(
        f"trained {state['step']} chunks of {T} x {B} characters; "
        f"last loss {history['loss'][-1]:.3f}"
    )
    return params, history


# ============================================================================
# Evaluation and baselines (nats per character on held-out text)
# ============================================================================


def char_rnn_eval_loss(params, ids, T: int = 250) -> float:
    """Mean ``-log p(next character)`` over ``ids`` read as one stream (B = 1),
    in chunks of ``T`` with the state carried across: every character but the
    first is predicted once, from everything before it."""
    ids = check_array(np.asarray(ids), "ids", ("N",), floating=False)
    V, H = params["W_hy"].shape
    rnn = {k: params[k] for k in RNN_KEYS}
    h, total, count = np.zeros((1, H)), 0.0, 0
    for i in range(0, len(ids) - 1, T):
        inputs = ids[i : i + T][:, None]
        targets = ids[i + 1 : i + T + 1][:, None]
        inputs = inputs[: len(targets)]
        hs, _ = rnn_forward(one_hot(inputs, V), h, rnn)
        loss, *_ = output_loss_and_grads(hs, targets, params["W_hy"], params["b_y"])
        total += loss * len(targets)
        count += len(targets)
        h = hs[-1]
    return total / count


def unigram_loss(train_ids, eval_ids, V: int, alpha: float = 1.0) -> float:
    """Cross-entropy (nats/char) on ``eval_ids`` of the character frequencies of
    ``train_ids`` (add-``alpha`` smoothing, so an unseen character is not log 0).
    It ignores context: the best a model can do that never looks back."""
    counts = np.bincount(train_ids, minlength=V) + alpha
    logp = np.log(counts / counts.sum())
    return float(-logp[eval_ids[1:]].mean())


def bigram_loss(train_ids, eval_ids, V: int, alpha: float = 0.1) -> float:
    """Cross-entropy (nats/char) on ``eval_ids`` of ``p(next | previous character)``
    counted on ``train_ids`` (add-``alpha`` smoothing): a context of one character."""
    counts = np.full((V, V), alpha)
    np.add.at(counts, (train_ids[:-1], train_ids[1:]), 1.0)
    logp = np.log(counts / counts.sum(axis=1, keepdims=True))
    return float(-logp[eval_ids[:-1], eval_ids[1:]].mean())


def _context_keys(ids, order: int, V: int) -> np.ndarray:
    """One integer per position for the ``order - 1`` characters before it (the text
    is padded at its start with the id ``V``, "before the text")."""
    padded = np.concatenate([np.full(order - 1, V, dtype=np.int64), ids])
    keys = np.zeros(len(ids), dtype=np.int64)
    for j in range(order - 1):
        keys = keys * (V + 1) + padded[j : j + len(ids)]
    return keys


def _counts(train_keys, query_keys) -> np.ndarray:
    """How often each of ``query_keys`` occurs in ``train_keys``."""
    seen, counts = np.unique(train_keys, return_counts=True)
    where = np.searchsorted(seen, query_keys).clip(max=len(seen) - 1)
    return np.where(seen[where] == query_keys, counts[where], 0)


def ngram_probs(train_ids, eval_ids, V: int, n: int, k: float = 0.0, beta: float = 0.0):
    """``p(eval_ids[i] | the n - 1 characters before it)`` for every position, from
    counts ``c`` on ``train_ids``; a context is padded at the text's start.

    k > 0: add-k smoothing of the order-``n`` counts alone,
        ``(c(ctx, x) + k) / (c(ctx) + k V)``.
    beta > 0 (k = 0): every order from 1 to ``n`` interpolated, each order's counts
        smoothed towards the order below, ``p_m = (c(ctx_m, x) + beta p_{m-1}) /
        (c(ctx_m) + beta)`` from ``p_0 = 1 / V``: a context seen often trusts its
        counts, an unseen one falls back on the shorter context.
    Returns a float64 array shaped like ``eval_ids``.
    """
    train_ids, eval_ids = np.asarray(train_ids), np.asarray(eval_ids)
    if (k > 0) == (beta > 0):
        raise ValueError(f"give one of k > 0 (add-k) or beta > 0 (interpolated), got {k}, {beta}")
    p = np.full(len(eval_ids), 1.0 / V)
    for order in range(n if k > 0 else 1, n + 1):
        context_train = _context_keys(train_ids, order, V)
        context_eval = _context_keys(eval_ids, order, V)
        pair = _counts(context_train * V + train_ids, context_eval * V + eval_ids)
        total = _counts(context_train, context_eval)
        if k > 0:
            p = (pair + k) / (total + k * V)
        else:
            p = (pair + beta * p) / (total + beta)
    return p


def ngram_loss(train_ids, eval_ids, V: int, n: int, k: float = 0.0, beta: float = 0.0) -> float:
    """Cross-entropy (nats/char) of ``ngram_probs`` on ``eval_ids``, every character
    but the first predicted once (as ``char_rnn_eval_loss`` scores the RNN)."""
    return float(-np.log(ngram_probs(train_ids, eval_ids, V, n, k, beta)[1:]).mean())


def choose_on_validation(train_ids, V: int, n: int, name: str, grid, fraction: float = 0.1):
    """The value of the smoothing ``name`` ("k" or "beta") in ``grid`` whose order-``n``
    model, counted on the first ``1 - fraction`` of ``train_ids``, scores best on its
    last ``fraction`` (a validation slice: the held-out text is never looked at).
    Returns ``(best value, {value: validation loss})``."""
    cut = int((1 - fraction) * len(train_ids))
    fit, valid = train_ids[:cut], train_ids[cut:]
    losses = {value: ngram_loss(fit, valid, V, n, **{name: value}) for value in grid}
    return min(losses, key=losses.get), losses


# ============================================================================
# Sampling
# ============================================================================


def sample_chars(params, h, seed_id, n: int, temperature: float, rng: np.random.Generator):
    """Generate ``n`` characters, one at a time, feeding each back in.

    params: the model's dict; h: ``(1, H)`` the state to start from; seed_id:
    the id of the character read first; temperature > 0: the logits are divided
    by it before the softmax (below 1: sharper, safer, more repetitive; above
    1: flatter, more random). Each character is drawn with ``rng.choice(V, p=p)``.
    Returns an int64 array ``(n,)`` of the generated ids (the seed not included).
    """
    V = params["W_hy"].shape[0]
    rnn = {k: params[k] for k in RNN_KEYS}
    out = np.empty(n, dtype=np.int64)
    c = seed_id
    for i in range(n):
        h, _ = rnn_step_forward(one_hot(np.array([c]), V), h, rnn)  # (1, H)
        y = params["W_hy"] @ h[0] + params["b_y"]  # (V,) logits
        p = softmax(y / temperature)
        c = rng.choice(V, p=p)
        out[i] = c
    return out
