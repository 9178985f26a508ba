"""Exercises of notebook 11 (see ``helpers.exercises``)."""

import numpy as np

from ..scratch import gru_step_forward
from ..seq2seq import (
    BOS_INDEX,
    EOS_INDEX,
    PAD_INDEX,
    attention_context,
    attention_weights,
    decoder_step,
    greedy_decode,
)
from .core import Exercise, register

# ---------------------------------------------------------------- shared test data


def _attention_case(S=5, B=3, D=4, E=6, A=5, lengths=(5, 3, 1), seed=0, scale=1.0):
    """Random decoder states, encoder states (zeros at padding, as the encoder
    returns them), a mask from ``lengths`` and attention parameters."""
    rng = np.random.default_rng(seed)
    mask = np.arange(S)[:, None] < np.array(lengths)[None, :]  # (S, B)
    H = rng.normal(size=(S, B, E)) * mask[:, :, None]
    params = {
        "W_a": rng.normal(size=(A, D)) * scale,
        "U_a": rng.normal(size=(A, E)) * scale,
        "v_a": rng.normal(size=A) * scale,
    }
    return rng.normal(size=(B, D)), H, mask, params


def _decoder_params(V=9, M=3, D=4, E=6, A=5, seed=1):
    rng = np.random.default_rng(seed)
    return {
        "E_y": rng.normal(size=(V, M)),
        "W_xh": rng.normal(size=(3 * D, M)) * 0.5,
        "W_hh": rng.normal(size=(3 * D, D)) * 0.5,
        "b_xh": rng.normal(size=3 * D) * 0.1,
        "b_hh": rng.normal(size=3 * D) * 0.1,
        "W_a": rng.normal(size=(A, D)),
        "U_a": rng.normal(size=(A, E)),
        "v_a": rng.normal(size=A),
        "W_hy": rng.normal(size=(V, D + E)),
        "b_y": rng.normal(size=V) * 0.1,
    }


# ---------------------------------------------------------------- attention weights


def _weights_cases():
    return [
        ("S = 5, B = 3, lengths 5, 3, 1 (padding in two columns)", _attention_case()),
        ("no padding: S = 4, B = 2, lengths 4, 4", _attention_case(4, 2, lengths=(4, 4), seed=1)),
        ("one source position: S = 1, B = 2", _attention_case(1, 2, lengths=(1, 1), seed=2)),
        (
            "large parameters: scores near ±100 (exp overflows without a shift)",
            _attention_case(6, 2, lengths=(6, 2), seed=3, scale=10.0),
        ),
    ]


def _weights_no_mask(s, H, mask, params):
    a = np.tanh(s @ params["W_a"].T + H @ params["U_a"].T)
    e = a @ params["v_a"]
    w = np.exp(e - e.max(axis=0))
    return w / w.sum(axis=0)


def _weights_batch_axis(s, H, mask, params):
    a = np.tanh(s @ params["W_a"].T + H @ params["U_a"].T)
    e = np.where(mask, a @ params["v_a"], -np.inf)
    w = np.exp(e - e.max(axis=1, keepdims=True))
    return w / w.sum(axis=1, keepdims=True)


def _weights_zero_after(s, H, mask, params):
    a = np.tanh(s @ params["W_a"].T + H @ params["U_a"].T)
    e = a @ params["v_a"]
    w = np.exp(e - e.max(axis=0))
    return w / w.sum(axis=0) * mask  # zeroed after the softmax: columns no longer sum to 1


def _weights_score_zero(s, H, mask, params):
    a = np.tanh(s @ params["W_a"].T + H @ params["U_a"].T)
    e = np.where(mask, a @ params["v_a"], 0.0)  # a score of 0 still gets weight exp(0)
    w = np.exp(e - e.max(axis=0))
    return w / w.sum(axis=0)


def _weights_no_tanh(s, H, mask, params):
    e = np.where(mask, (s @ params["W_a"].T + H @ params["U_a"].T) @ params["v_a"], -np.inf)
    w = np.exp(e - e.max(axis=0))
    return w / w.sum(axis=0)


# ---------------------------------------------------------------- context vector


def _context_cases():
    s, H, mask, params = _attention_case()
    alpha = attention_weights(s, H, mask, params)
    one_hot = np.zeros((4, 2))
    one_hot[[2, 0], [0, 1]] = 1.0
    H2 = np.random.default_rng(5).normal(size=(4, 2, 3))
    return [
        ("weights from the attention above, S = 5, B = 3, E = 6", (alpha, H)),
        ("one-hot weights: position 2 for b = 0, position 0 for b = 1", (one_hot, H2)),
        ("uniform weights over 4 positions, B = 2", (np.full((4, 2), 0.25), H2)),
    ]


def _context_mean(alpha, H):
    return H.mean(axis=0)


def _context_last(alpha, H):
    return H[-1]


def _context_unweighted(alpha, H):
    return H.sum(axis=0)


def _context_batch_axis(alpha, H):
    return (alpha[:, :, None] * H).sum(axis=1)


# ---------------------------------------------------------------- one decoder step


def _step_cases():
    cases = []
    for k, (lengths, y_prev) in enumerate(
        [((5, 3, 1), [2, 5, 8]), ((2, 2, 2), [2, 2, 2]), ((4, 1, 3), [7, 3, 2])]
    ):
        _, H, mask, _ = _attention_case(lengths=lengths, seed=10 + k)
        s_prev = np.random.default_rng(20 + k).normal(size=(3, 4)) * 0.5
        cases.append(
            (f"B = 3, lengths {lengths}, previous characters {y_prev}",
             (np.array(y_prev), s_prev, H, mask, _decoder_params(seed=30 + k))),
        )  # fmt: skip
    return cases


def _step_prev_state(y_prev, s_prev, H, mask, params):
    x = params["E_y"][y_prev]
    s, _ = gru_step_forward(x, s_prev, params)
    alpha = attention_weights(s_prev, H, mask, params)  # looks with s_{t-1}
    c = attention_context(alpha, H)
    return np.concatenate([s, c], axis=1) @ params["W_hy"].T + params["b_y"], s, alpha


def _step_swapped(y_prev, s_prev, H, mask, params):
    x = params["E_y"][y_prev]
    s, _ = gru_step_forward(x, s_prev, params)
    alpha = attention_weights(s, H, mask, params)
    c = attention_context(alpha, H)
    return np.concatenate([c, s], axis=1) @ params["W_hy"].T + params["b_y"], s, alpha


def _step_no_mask(y_prev, s_prev, H, mask, params):
    x = params["E_y"][y_prev]
    s, _ = gru_step_forward(x, s_prev, params)
    alpha = attention_weights(s, H, np.ones_like(mask), params)  # padding attended
    c = attention_context(alpha, H)
    return np.concatenate([s, c], axis=1) @ params["W_hy"].T + params["b_y"], s, alpha


def _step_last_state(y_prev, s_prev, H, mask, params):
    x = params["E_y"][y_prev]
    s, _ = gru_step_forward(x, s_prev, params)
    alpha = attention_weights(s, H, mask, params)
    c = H[-1]  # the bottleneck: the last position instead of the context
    return np.concatenate([s, c], axis=1) @ params["W_hy"].T + params["b_y"], s, alpha


# ---------------------------------------------------------------- greedy decoding


def _table_step(table, lengths):
    """A toy decoder: state = steps taken (B,) ints; the next character is read
    from ``table[previous character]`` and </s> is forced once a row has
    taken ``lengths[b]`` steps."""

    def step(y, s):
        logits = table[y].copy()
        logits[s + 1 >= lengths, EOS_INDEX] = 100.0
        return logits, s + 1

    return step


def _greedy_cases():
    rng = np.random.default_rng(0)
    V = 8
    table = rng.normal(size=(V, V))
    table[:, [PAD_INDEX, BOS_INDEX, EOS_INDEX]] = -50.0  # only </s> by force
    lengths = np.array([3, 6, 1])
    _, H, mask, _ = _attention_case(lengths=(5, 3, 2), seed=7)
    params = _decoder_params(seed=8)
    params["b_y"][EOS_INDEX] = -50.0

    def network(y, s):  # one real attention decoder step, random weights, never stops
        logits, s, _ = decoder_step(y, s, H, mask, params)
        return logits, s

    return [
        ("a toy decoder whose rows stop after 3, 6 and 1 characters, max_len = 8",
         (_table_step(table, lengths), np.zeros(3, dtype=int), 3, 8)),
        ("the same, max_len = 4 (row 1 is cut before its </s>)",
         (_table_step(table, lengths), np.zeros(3, dtype=int), 3, 4)),
        ("every row stops at once, max_len = 5", (_table_step(table, np.array([1, 1])), np.zeros(2, dtype=int), 2, 5)),
        ("one decoder step of this notebook with random weights, B = 3, max_len = 6",
         (network, np.random.default_rng(9).normal(size=(3, 4)) * 0.5, 3, 6)),
    ]  # fmt: skip


def _greedy_always_bos(step, s0, batch_size, max_len):
    ids = np.full((batch_size, max_len), PAD_INDEX)
    s, done = s0, np.zeros(batch_size, dtype=bool)
    for t in range(max_len):
        logits, s = step(np.full(batch_size, BOS_INDEX), s)  # never feeds its guess back
        y = logits.argmax(axis=1)
        ids[:, t] = np.where(done, PAD_INDEX, y)
        done |= y == EOS_INDEX
    return ids


def _greedy_no_stop(step, s0, batch_size, max_len):
    ids = np.full((batch_size, max_len), PAD_INDEX)
    y, s = np.full(batch_size, BOS_INDEX), s0
    for t in range(max_len):
        logits, s = step(y, s)
        y = logits.argmax(axis=1)
        ids[:, t] = y  # keeps writing after </s>
    return ids


def _greedy_stale_state(step, s0, batch_size, max_len):
    ids = np.full((batch_size, max_len), PAD_INDEX)
    y, done = np.full(batch_size, BOS_INDEX), np.zeros(batch_size, dtype=bool)
    for t in range(max_len):
        logits, _ = step(y, s0)  # the state is never carried forward
        y = logits.argmax(axis=1)
        ids[:, t] = np.where(done, PAD_INDEX, y)
        done |= y == EOS_INDEX
    return ids


def _greedy_off_by_one(step, s0, batch_size, max_len):
    ids = np.full((batch_size, max_len), PAD_INDEX)
    y, s, done = np.full(batch_size, BOS_INDEX), s0, np.zeros(batch_size, dtype=bool)
    for t in range(max_len):
        ids[:, t] = np.where(done, PAD_INDEX, y)  # stores the input (starting with <s>)
        logits, s = step(y, s)
        done |= y == EOS_INDEX
        y = logits.argmax(axis=1)
    return ids


register(
    Exercise(
        "11-attention-weights",
        "additive scores and a softmax that ignores padding",
        reference=attention_weights,
        cases=_weights_cases,
        hints=[
            "Two parts: the scores e (S, B), e_j = v_a · tanh(W_a s + U_a h_j), then a softmax over "
            "the source positions (axis 0) in which padding gets weight 0.",
            "Scores in one line: np.tanh(s @ W_a.T + H @ U_a.T) @ v_a — s @ W_a.T is (B, A) and "
            "broadcasts against H @ U_a.T, (S, B, A). For the mask, set the padded scores to "
            "-np.inf before the softmax (exp(-inf) = 0), not after it.",
            "e = np.where(mask, e, -np.inf); w = np.exp(e - e.max(axis=0, keepdims=True)); "
            "return w / w.sum(axis=0, keepdims=True).",
        ],
        mistakes=[
            ("no mask: padding positions get weight", _weights_no_mask),
            (
                "softmax over the batch (axis 1) instead of the source positions",
                _weights_batch_axis,
            ),
            (
                "padding zeroed after the softmax: the weights no longer sum to 1",
                _weights_zero_after,
            ),
            (
                "padded scores set to 0 instead of -inf: exp(0) = 1 still counts",
                _weights_score_zero,
            ),
            ("no tanh: the scores are linear in s and h_j", _weights_no_tanh),
        ],
    ),
    Exercise(
        "11-context",
        "the context vector",
        reference=attention_context,
        cases=_context_cases,
        hints=[
            "c_b = Σ_j alpha[j, b] · H[j, b, :]: a weighted sum over the source positions (axis 0) "
            "for each sequence b separately.",
            "Shapes: alpha is (S, B) and H is (S, B, E); alpha needs one more axis at the end "
            "to multiply every feature of h_j, then sum over axis 0 (S) to leave (B, E).",
            "Give alpha a trailing axis so it broadcasts over the E features: "
            "(alpha[:, :, None] * H).sum(axis=0).",
        ],
        mistakes=[
            ("the plain mean of the encoder states (ignores alpha, counts padding)", _context_mean),
            (
                "the last encoder state H[-1] (the bottleneck, and padding for short inputs)",
                _context_last,
            ),
            ("an unweighted sum of the encoder states", _context_unweighted),
            ("sums over the batch axis instead of the source positions", _context_batch_axis),
        ],
    ),
    Exercise(
        "11-decoder-step",
        "one decoder step with attention",
        reference=decoder_step,
        cases=_step_cases,
        hints=[
            "Four lines, in the order of the equations: embed y_prev (params['E_y'][y_prev]), one GRU "
            "step (gru_step_forward) to get s_t, attention with s_t, then the logits from [s_t; c_t].",
            "alpha = attention_weights(s, H, mask, params) with the NEW state s, "
            "c = attention_context(alpha, H); the output layer reads np.concatenate([s, c], axis=1) "
            "(s first, then c: the order of W_hy's columns).",
            "logits = np.concatenate([s, c], axis=1) @ params['W_hy'].T + params['b_y']; "
            "return logits, s, alpha.",
        ],
        mistakes=[
            (
                "attends with the previous state s_{t-1} (Bahdanau's variant, not this model's)",
                _step_prev_state,
            ),
            ("[c; s] instead of [s; c]: W_hy's columns are in the other order", _step_swapped),
            ("the mask is not passed on: padding is attended", _step_no_mask),
            ("reads the last encoder state H[-1] instead of the context", _step_last_state),
        ],  # fmt: skip
    ),
    Exercise(
        "11-greedy",
        "the greedy decoding loop",
        reference=greedy_decode,
        cases=_greedy_cases,
        hints=[
            "Start with y = <s> (BOS_INDEX) for every row and s = s0. At each of at most max_len steps: "
            "call step, take the argmax of the logits, store it, and feed it back in as the next y.",
            "Keep a boolean array done (B,). Store np.where(done, PAD_INDEX, y), then "
            "done |= (y == EOS_INDEX): a row's </s> is stored, everything after it is <pad>. "
            "Break once done.all().",
            "ids = np.full((B, max_len), PAD_INDEX); for t in range(max_len): logits, s = step(y, s); "
            "y = logits.argmax(axis=1); ids[:, t] = np.where(done, PAD_INDEX, y); done |= y == EOS_INDEX.",
        ],
        mistakes=[
            ("always feeds <s>: the guesses never go back in", _greedy_always_bos),
            ("keeps writing after </s> instead of padding", _greedy_no_stop),
            ("the state is not carried: every step starts again from s0", _greedy_stale_state),
            (
                "off by one: stores the input character (starting with <s>), not the prediction",
                _greedy_off_by_one,
            ),
        ],  # fmt: skip
    ),
)

register(
    Exercise(
        "11-think-bottleneck",
        "why a model without attention does worse on long inputs",
        answer="""
        Without attention the decoder sees the input only through one vector,
        the encoder's state after the last character (here it starts the decoder
        and is read again at every output step, c_t = h_S). Everything the
        output needs — day, month, year — must survive in those 64 numbers
        through every later step of the encoder. In a long input such as
        `miércoles, 31 de diciembre de 2026` the day was read 20 steps before
        the end; each step's update partly overwrites the state, so the
        longer the gap, the weaker and noisier the trace of the day (the
        same gradient problem as notebook 05: the error that would teach the
        encoder to keep it must travel back through those steps). Attention
        removes the gap: at the step that writes the day, the decoder reads
        the encoder states at the day's characters directly, one step away,
        whatever the input's length. On the dates the plain model was still
        improving when its 8 epochs ended, and trained three times as long it
        caught up with attention (section 4): dates are short. On the number
        words (3 to 71 characters), after the same 8 epochs, the plain model's
        exact match fell with length, from 0.78 and 0.79 (the two seeds) on
        inputs under 30 characters to 0.06 and 0.07 on those of 50 and more,
        while attention kept 0.90 to 0.99 in every bucket. That fall is what
        Cho et al. (SSST-8, 2014) and Bahdanau et al. (2015) measured on real
        sentences, much longer than these: the fixed size does not grow with
        the input.
        """,
        hints=["Count the encoder steps between reading the day and the end of the input."],
    ),
    Exercise(
        "11-think-diagonal",
        "what a diagonal attention map means, and why the dates' maps are not diagonal",
        answer="""
        A diagonal map — output t looks at input t, or a band moving steadily
        right — means the two sequences are aligned in order: the t-th output
        is made from roughly the t-th part of the input, as between two
        languages with the same word order (Bahdanau et al.'s English–French
        maps are mostly diagonal, with local bends where adjectives and nouns
        swap). The date maps are not diagonal because the order differs: the
        ISO date is written year first, so the first four output characters
        look at the END of `3 March 2026`, the month looks at the middle
        (the month name, or the digits between the separators) and the day at
        the start — a reversed, block-wise alignment. In en_US `March 3, 2026`
        the month comes first, so the same output characters look elsewhere
        again: the map is the model's reading of each format. The weekday
        (`Tuesday`) gets almost no weight at any step: it carries nothing the
        ISO date needs.
        """,
        hints=[
            "Write 3 March 2026 and 2026-03-03 one above the other and draw a line from each output character to where its information is."
        ],
    ),
)
