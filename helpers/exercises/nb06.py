"""Exercises of notebook 06 (see ``helpers.exercises``): the character-level model."""

import numpy as np

from ..activations import log_softmax, softmax
from ..charmodel import (
    adagrad_update,
    char_rnn_loss_and_grads,
    init_char_rnn,
    output_loss_and_grads,
    sample_chars,
    train_step,
)
from ..gradients import clip_by_norm
from ..scratch import RNN_KEYS, rnn_step_forward
from .core import Exercise, register

# ---------------------------------------------------------------- 06-output-layer


# (T, B, H, V, scale of W_hy): T = 1 and B = 1 first; the last gives logits near ±1000
_OUTPUT_SHAPES = [(1, 1, 3, 4, 1.0), (4, 3, 5, 6, 1.0), (6, 2, 4, 7, 1.0), (3, 2, 4, 5, 300.0)]


def _output_cases():
    rng = np.random.default_rng(60)
    cases = []
    for T, B, H, V, scale in _OUTPUT_SHAPES:
        hs = np.tanh(rng.standard_normal((T, B, H)))
        targets = rng.integers(0, V, size=(T, B))
        W_hy = rng.standard_normal((V, H)) * scale
        b_y = rng.standard_normal(V)
        what = f"T={T}, B={B}, H={H}, V={V}" + (", logits near ±1000" if scale > 1 else "")
        cases.append((what, (hs, targets, W_hy, b_y)))
    return cases


def _stable(ys):
    return log_softmax(ys)


def _output_variant(hs, targets, W_hy, b_y, average=True, wrong_index=False, logp=None):
    T, B = targets.shape
    ys = hs @ W_hy.T + b_y
    t, b = np.arange(T)[:, None], np.arange(B)[None, :]
    logps = (logp or (lambda y: np.log(softmax(y))))(ys)
    N = T * B if average else 1
    loss = -logps[t, b, targets].sum() / N
    dys = softmax(ys)
    if wrong_index:
        dys[..., targets] -= 1.0  # every position loses 1 at every target of the batch
    else:
        dys[t, b, targets] -= 1.0
    dys /= N
    return float(loss), np.einsum("tbv,tbh->vh", dys, hs), dys.sum((0, 1)), dys @ W_hy


register(
    Exercise(
        "06-output-layer",
        "the output layer's loss and gradients, every step at once",
        reference=output_loss_and_grads,
        cases=_output_cases,
        hints=[
            "Compute all logits at once: ys = hs @ W_hy.T + b_y has shape (T, B, V). "
            "The loss is the mean over all T*B predictions of -log p[target].",
            "Take the log-probabilities stably, along the last axis (V): with m = ys.max(-1, "
            "keepdims=True), logp = ys - m - np.log(np.exp(ys - m).sum(-1, keepdims=True)) "
            "(never np.log(softmax(ys)): it gives log 0 = -inf when a probability underflows). "
            "Pick the target entries with index arrays t = np.arange(T)[:, None], "
            "b = np.arange(B)[None, :]: logp[t, b, targets], shape (T, B).",
            "dys = softmax(ys); dys[t, b, targets] -= 1; dys /= T * B. Then dW_hy = sum over t, b of "
            "the outer product dy h^T (np.einsum('tbv,tbh->vh', dys, hs)), db_y = dys.sum((0, 1)), "
            "dhs = dys @ W_hy.",
        ],
        mistakes=[
            (
                "the loss and gradients summed over the T*B predictions instead of averaged",
                lambda *a: _output_variant(*a, average=False, logp=_stable),
            ),
            (
                "p - 1 at the wrong index: dys[..., targets] -= 1 subtracts at every target of "
                "the batch for every position (use dys[t, b, targets])",
                lambda *a: _output_variant(*a, wrong_index=True, logp=_stable),
            ),
            (
                "log(softmax(y)): a probability that underflows to 0 gives an infinite loss",
                lambda *a: _output_variant(*a),
            ),
            (
                "dW_hy transposed: its shape is (V, H), like W_hy (sum of dy_t h_t^T)",
                lambda *a: (lambda r: (r[0], r[1].T, r[2], r[3]))(
                    _output_variant(*a, logp=_stable)
                ),
            ),
        ],
        rtol=1e-6,
        atol=1e-10,
    )
)

# ---------------------------------------------------------------- 06-train-step


def _small_model(rng, V, H, scale=1.0):
    params = init_char_rnn(V, H, rng)
    params["W_hy"] = rng.standard_normal((V, H)) * scale  # a model that has learned something
    params["b_y"] = rng.standard_normal(V) * 0.1
    memory = {k: rng.uniform(0.0, 0.5, v.shape) for k, v in params.items()}
    return params, memory


def _train_step_cases():
    rng = np.random.default_rng(61)
    cases = []
    for T, B, V, H, max_norm in [(1, 1, 4, 3, 5.0), (5, 3, 6, 4, 5.0), (7, 2, 5, 6, 0.05)]:
        params, memory = _small_model(rng, V, H)
        inputs = rng.integers(0, V, size=(T, B))
        targets = rng.integers(0, V, size=(T, B))
        h0 = np.tanh(rng.standard_normal((B, H)))
        what = f"T={T}, B={B}, V={V}, H={H}, max_norm={max_norm}" + (
            " (the gradient gets clipped)" if max_norm < 1 else ""
        )
        cases.append((what, (params, memory, inputs, targets, h0, 0.1, max_norm)))
    return cases


def _step_no_clip(params, memory, inputs, targets, h0, lr, max_norm):
    loss, grads, h_last = char_rnn_loss_and_grads(params, inputs, targets, h0)
    params, memory = adagrad_update(params, grads, memory, lr)
    return params, memory, loss, h_last


def _step_h0(params, memory, inputs, targets, h0, lr, max_norm):
    params, memory, loss, _ = train_step(params, memory, inputs, targets, h0, lr, max_norm)
    return params, memory, loss, np.zeros_like(h0)


def _step_ascent(params, memory, inputs, targets, h0, lr, max_norm):
    return train_step(params, memory, inputs, targets, h0, -lr, max_norm)


def _step_sgd(params, memory, inputs, targets, h0, lr, max_norm):
    loss, grads, h_last = char_rnn_loss_and_grads(params, inputs, targets, h0)
    grads = clip_by_norm(grads, max_norm)
    return {k: params[k] - lr * grads[k] for k in params}, memory, loss, h_last


def _step_output_only(params, memory, inputs, targets, h0, lr, max_norm):
    # BPTT skipped: the recurrent weights get no gradient
    loss, grads, h_last = char_rnn_loss_and_grads(params, inputs, targets, h0)
    grads = {k: (g if k in ("W_hy", "b_y") else np.zeros_like(g)) for k, g in grads.items()}
    grads = clip_by_norm(grads, max_norm)
    params, memory = adagrad_update(params, grads, memory, lr)
    return params, memory, loss, h_last


register(
    Exercise(
        "06-train-step",
        "one training step: forward, BPTT, clip, Adagrad, and the state to carry on",
        reference=train_step,
        cases=_train_step_cases,
        hints=[
            "Four pieces you have, in order: the forward pass (one_hot, rnn_forward, the output "
            "layer), the backward pass (output_loss_and_grads gives dhs; rnn_backward turns it "
            "into the recurrent weights' gradients), clip_by_norm on all five gradients together, "
            "then adagrad_update.",
            "rnn_forward and rnn_backward take only W_xh, W_hh, b_h: pass "
            "{k: params[k] for k in ('W_xh', 'W_hh', 'b_h')}. The state to return is hs[-1], "
            "the last step's hidden state: the next chunk starts from it.",
            "xs = one_hot(inputs, V); hs, cache = rnn_forward(xs, h0, rnn_params); "
            "loss, dW_hy, db_y, dhs = output_loss_and_grads(hs, targets, params['W_hy'], params['b_y']); "
            "g = rnn_backward(dhs, cache); grads = {W_xh, W_hh, b_h from g, W_hy: dW_hy, b_y: db_y}; "
            "grads = clip_by_norm(grads, max_norm); params, memory = adagrad_update(params, grads, memory, lr); "
            "return params, memory, loss, hs[-1].",
        ],
        mistakes=[
            ("no clipping: clip_by_norm(grads, max_norm) before the update", _step_no_clip),
            (
                "the state is not carried: return hs[-1] (the last state), not zeros or h0",
                _step_h0,
            ),
            ("the update goes uphill: w - lr * g / sqrt(m), not w + ...", _step_ascent),
            ("plain gradient descent: Adagrad divides by sqrt of the summed squares", _step_sgd),
            (
                "only the output layer learns: the BPTT gradients of W_xh, W_hh, b_h are missing",
                _step_output_only,
            ),
        ],
        rtol=1e-6,
        atol=1e-10,
    )
)

# ---------------------------------------------------------------- 06-sample


# (V, H, n, temperature, seed of the generator the draws come from)
_SAMPLE_SETTINGS = [(5, 4, 1, 1.0, 0), (6, 5, 30, 1.0, 1), (6, 5, 30, 0.5, 2), (7, 3, 25, 2.0, 3)]


def _sample_cases():
    rng = np.random.default_rng(62)
    cases = []
    for V, H, n, temperature, seed in _SAMPLE_SETTINGS:
        params, _ = _small_model(rng, V, H, scale=2.0)
        h = np.tanh(rng.standard_normal((1, H)))
        seed_id = int(rng.integers(V))
        what = f"V={V}, n={n}, temperature={temperature}"
        cases.append((what, (params, h, seed_id, n, temperature, np.random.default_rng(seed))))
    return cases


def _sampler(argmax=False, temp_mul=False, feed_seed=False, keep_h=False, global_rng=False):
    def sample(params, h, seed_id, n, temperature, rng):
        V = params["W_hy"].shape[0]
        rnn = {k: params[k] for k in RNN_KEYS}
        out, c, h0 = np.empty(n, dtype=np.int64), seed_id, h
        for i in range(n):
            h, _ = rnn_step_forward(
                np.eye(V)[[seed_id if feed_seed else c]], h0 if keep_h else h, rnn
            )
            y = params["W_hy"] @ h[0] + params["b_y"]
            p = softmax(y * temperature if temp_mul else y / temperature)
            draw = np.random.choice if global_rng else rng.choice  # noqa: NPY002 - a mistake
            c = int(np.argmax(p)) if argmax else draw(V, p=p)
            out[i] = c
        return out

    return sample


register(
    Exercise(
        "06-sample",
        "sampling with a temperature, one character at a time",
        reference=sample_chars,
        cases=_sample_cases,
        hints=[
            "A loop of n steps. Each step: one RNN step (rnn_step_forward on the one-hot of the "
            "current character, shape (1, V)), the logits y = W_hy h + b_y, the probabilities "
            "p = softmax(y / temperature), a draw from p. The drawn character is the next input.",
            "Draw with rng.choice(V, p=p), the rng passed in (not np.random, the global "
            "generator: its draws cannot be repeated), exactly once per step, so your draws "
            "match the reference's. Not np.argmax: that is greedy decoding, the same text every time and "
            "soon a loop. Keep the new h for the next step; return the n drawn ids as an int array.",
            "c = seed_id; for i in range(n): h, _ = rnn_step_forward(one_hot(np.array([c]), V), h, rnn); "
            "y = params['W_hy'] @ h[0] + params['b_y']; p = softmax(y / temperature); "
            "c = rng.choice(V, p=p); out[i] = c.",
        ],
        mistakes=[
            (
                "argmax instead of a draw: greedy decoding ignores the probabilities",
                _sampler(argmax=True),
            ),
            ("the temperature multiplies the logits; it divides them", _sampler(temp_mul=True)),
            (
                "the sampled character is not fed back: every step reads the seed",
                _sampler(feed_seed=True),
            ),
            (
                "the hidden state is not carried: every step starts from the first h",
                _sampler(keep_h=True),
            ),
            (
                "np.random.choice: the global RNG, not the rng passed in (draws cannot be repeated)",
                _sampler(global_rng=True),
            ),
        ],
    )
)

# ---------------------------------------------------------------- questions

register(
    Exercise(
        "06-why-baselines",
        "why compare with the unigram and bigram baselines?",
        answer="""
        A loss means little on its own: 2.1 nats per character is good or bad only
        against what a simpler model gets on the same held-out text. The **unigram**
        model knows only how often each character occurs (spaces and `e` are common,
        `Q` is rare) and ignores what came before; any model that reads context must
        beat it, or it has learnt nothing but the frequencies. The **bigram** model
        sees exactly one previous character. An RNN that beats the bigram uses more
        than the last character: it has carried something in its hidden state across
        several steps (inside a word, after a quote mark, at the start of a line).
        Both are measured on held-out text, because on the training text a model can
        also win by memorising.
        """,
        hints=[
            "What would a model that never looks back score? And one that looks back one character?"
        ],
    ),
    Exercise(
        "06-temperature",
        "what does the temperature do at its extremes?",
        answer="""
        Sampling draws from `softmax(y / τ)`. As `τ → 0` the largest logit dominates:
        the distribution becomes one-hot on the argmax, and sampling turns into greedy
        decoding (deterministic, and prone to loops such as `the the the`). At `τ = 1`
        the model's own distribution is used: the text is as varied as the model
        thinks the language is. As `τ → ∞` every logit is divided towards 0 and the
        distribution becomes uniform over the `V` characters: random letters. The
        loss we train and report is always measured at `τ = 1`; the temperature only
        changes how we *use* the model.
        """,
        hints=["Divide the logits (2, 1, 0) by 0.1 and by 10, then take the softmax."],
    ),
)
