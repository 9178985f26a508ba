"""An encoder–decoder with and without additive attention (notebook 11 and
``benchmarks/translate.py``): data, attention in numpy, the PyTorch model,
training with teacher forcing, greedy decoding, accuracy by input length.

Time-major like the rest of the course. A padded batch of source characters
``x`` is ``(S, B)`` (``S`` = the longest source in the batch), ``lengths`` is
``(B,)``; the encoder states ``H`` are ``(S, B, E)`` and ``mask`` ``(S, B)`` is
True at real (not padding) positions. A decoder state ``s`` is ``(B, D)``; the
attention weights of one decoder step ``alpha`` are ``(S, B)``, of a whole
output ``(T, S, B)``. Index 0 is padding, 1 an unknown character, 2 the start
marker ``<s>`` and 3 the stop marker ``</s>``.

Attention (Bahdanau et al. 2015, additive scores; read from the decoder's
current state as in Luong et al. 2015)::

    e_j = v_a · tanh(W_a s_t + U_a h_j)        score of source position j
    alpha = softmax over the real positions j  (padding gets weight 0)
    c_t = sum_j alpha_j h_j                    the context vector
    y_t = W_hy [s_t; c_t] + b_y                logits of the next character
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from .progress import ProgressBar
from .repro import get_device
from .scratch import gru_step_forward
from .validate import check_array, check_range, checked

PAD, UNK, BOS, EOS = "<pad>", "<unk>", "<s>", "</s>"
PAD_INDEX, UNK_INDEX, BOS_INDEX, EOS_INDEX = 0, 1, 2, 3
SPECIALS = [PAD, UNK, BOS, EOS]
DATES = Path(__file__).resolve().parent.parent / "assets" / "dates.tsv"
MODELS = DATES.parent / "dates_models"  # the checkpoints notebook 11 loads (FULL = False)
NUMBER_WORDS = DATES.parent / "number_words.tsv"  # English number words -> digits, long inputs
NUMBER_WORDS_MODELS = DATES.parent / "number_words_models"  # trained on it, 8 epochs, seeds 0, 1


# ---------------------------------------------------------------- data


def load_pairs(path=DATES) -> tuple[list[str], list[str]]:
    """Read ``source<TAB>target`` lines (UTF-8); returns ``(sources, targets)``.

    Blank lines are skipped. Every error is one line naming the file and the
    line: a missing file, a file that is not UTF-8, a line without exactly
    one tab or with an empty side, a file with no pairs.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    sources, targets = [], []
    for number, raw in enumerate(path.read_bytes().split(b"\n"), start=1):
        try:
            line = raw.decode("utf-8").rstrip("\r")
        except UnicodeDecodeError as exc:
            raise ValueError(
                f"{path}, line {number}: not UTF-8 (byte {raw[exc.start]:#04x} "
                f"at column {exc.start + 1})"
            ) from None
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            what = "no tab" if len(parts) == 1 else f"{len(parts) - 1} tabs"
            if len(parts) == 2:
                what = "an empty side"
            raise ValueError(
                f"{path}, line {number}: expected 'source<TAB>target', got {what}: {line[:60]!r}"
            )
        sources.append(parts[0])
        targets.append(parts[1])
    if not sources:
        raise ValueError(f"{path}, line 1: the file holds no 'source<TAB>target' pairs")
    return sources, targets


def split_pairs(sources, targets, fractions=(0.8, 0.1, 0.1), seed: int = 0) -> dict:
    """Seeded split into ``{"train", "val", "test"}``, each ``(sources, targets)``.

    The distinct source strings (sorted) are shuffled with
    ``np.random.default_rng(seed)`` and cut by ``fractions``; every pair goes
    where its source went, so no source string is in two splits. Within a
    split the pairs keep the order of the input.
    """
    if len(sources) != len(targets):
        raise ValueError(f"expected one target per source, got {len(sources)} and {len(targets)}")
    if len(fractions) != 3 or any(f < 0 for f in fractions) or abs(sum(fractions) - 1) > 1e-9:
        raise ValueError(f"fractions: expected three numbers >= 0 summing to 1, got {fractions}")
    check_range(seed, "seed", low=0, integer=True)
    distinct = sorted(set(sources))
    order = np.random.default_rng(seed).permutation(len(distinct))
    n_val = int(round(fractions[1] * len(distinct)))
    n_test = int(round(fractions[2] * len(distinct)))
    n_train = len(distinct) - n_val - n_test
    where = {}
    for rank, i in enumerate(order):
        where[distinct[i]] = (
            "train" if rank < n_train else "val" if rank < n_train + n_val else "test"
        )
    parts = {name: ([], []) for name in ("train", "val", "test")}
    for src, tgt in zip(sources, targets):
        parts[where[src]][0].append(src)
        parts[where[src]][1].append(tgt)
    return parts


def build_vocab(texts) -> list[str]:
    """``<pad>, <unk>, <s>, </s>`` (indices 0-3), then the sorted characters of ``texts``."""
    return SPECIALS + sorted(set("".join(texts)))


def encode_pairs(sources, targets, src_vocab, tgt_vocab) -> dict:
    """Pad a list of pairs into time-major tensors, all int64.

    Returns ``{"x": (S, N) source characters, "lengths": (N,),
    "y_in": (T + 1, N) = <s> then the target, "y_out": (T + 1, N) = the target
    then </s>}``, padded with 0; ``S`` and ``T`` are the longest source and
    target. Characters missing from a vocabulary become ``<unk>``.
    ``y_in`` is what the decoder reads (teacher forcing), ``y_out`` what it must write.
    """
    src_index = {c: i for i, c in enumerate(src_vocab)}
    tgt_index = {c: i for i, c in enumerate(tgt_vocab)}
    N, S = len(sources), max(len(s) for s in sources)
    T = max(len(t) for t in targets)
    x = torch.zeros((S, N), dtype=torch.long)
    y_in = torch.zeros((T + 1, N), dtype=torch.long)
    y_out = torch.zeros((T + 1, N), dtype=torch.long)
    for n, (src, tgt) in enumerate(zip(sources, targets)):
        x[: len(src), n] = torch.tensor([src_index.get(c, UNK_INDEX) for c in src])
        ids = [tgt_index.get(c, UNK_INDEX) for c in tgt]
        y_in[: len(ids) + 1, n] = torch.tensor([BOS_INDEX] + ids)
        y_out[: len(ids) + 1, n] = torch.tensor(ids + [EOS_INDEX])
    lengths = torch.tensor([len(s) for s in sources], dtype=torch.long)
    return {"x": x, "lengths": lengths, "y_in": y_in, "y_out": y_out}


def make_batches(data: dict, batch_size: int = 64, seed: int | None = None) -> list[tuple]:
    """Cut ``encode_pairs``'s tensors into batches ``(x, lengths, y_in, y_out)``,
    each trimmed to its own longest source and target; shuffled when ``seed``
    is given, in order otherwise."""
    N = data["x"].shape[1]
    order = np.arange(N) if seed is None else np.random.default_rng(seed).permutation(N)
    batches = []
    for start in range(0, N, batch_size):
        idx = torch.as_tensor(order[start : start + batch_size])
        lengths = data["lengths"][idx]
        T = int((data["y_out"][:, idx] != PAD_INDEX).sum(0).max())
        batches.append(
            (
                data["x"][: int(lengths.max()), idx],
                lengths,
                data["y_in"][:T, idx],
                data["y_out"][:T, idx],
            )
        )
    return batches


# ---------------------------------------------------------------- attention in numpy


def _check_attention(s, H, mask, params):
    dims = {}
    s = check_array(s, "s", ("B", "D"), dims)
    H = check_array(H, "H", ("S", "B", "E"), dims)
    mask = np.asarray(mask)
    if mask.shape != H.shape[:2] or mask.dtype != bool:
        raise ValueError(
            f"mask: expected a bool array of shape {H.shape[:2]}, got {mask.dtype} {mask.shape}"
        )
    if not mask.any(axis=0).all():
        raise ValueError("mask: every sequence needs at least one real position")
    for key, shape in [("W_a", ("A", "D")), ("U_a", ("A", "E")), ("v_a", ("A",))]:
        check_array(params[key], key, shape, dims)
    return {"s": s, "H": H, "mask": mask}


def additive_scores(s, H, W_a, U_a, v_a):
    """e_j = v_a · tanh(W_a s + U_a h_j) for every source position j.

    s: (B, D) decoder state; H: (S, B, E) encoder states; W_a (A, D),
    U_a (A, E), v_a (A,). Returns the scores (S, B).
    """
    a = np.tanh(s @ W_a.T + H @ U_a.T)  # (S, B, A): s's term is the same for every j
    return a @ v_a


def masked_softmax(e, mask):
    """Softmax over the source positions (axis 0) of the scores e (S, B),
    with weight exactly 0 where ``mask`` (S, B) is False (padding)."""
    e = np.where(mask, e, -np.inf)  # exp(-inf) = 0: padding gets no weight
    w = np.exp(e - e.max(axis=0, keepdims=True))  # each column's maximum: no overflow
    return w / w.sum(axis=0, keepdims=True)


def attention_weights(s, H, mask, params):
    """alpha (S, B): the masked softmax of the additive scores of decoder state
    s (B, D) against encoder states H (S, B, E); params hold W_a, U_a, v_a."""
    e = additive_scores(s, H, params["W_a"], params["U_a"], params["v_a"])
    return masked_softmax(e, mask)


def attention_context(alpha, H):
    """c = sum_j alpha_j h_j: alpha (S, B), H (S, B, E) -> the context vectors (B, E)."""
    return (alpha[:, :, None] * H).sum(axis=0)


@checked(_check_attention)
def attention_forward(s, H, mask, params):
    """One attention read: returns ``(c (B, E), alpha (S, B), cache)``."""
    a = np.tanh(s @ params["W_a"].T + H @ params["U_a"].T)  # (S, B, A)
    alpha = masked_softmax(a @ params["v_a"], mask)
    c = attention_context(alpha, H)
    return c, alpha, (s, H, a, alpha, params)


def attention_backward(dc, cache):
    """Gradients of a loss given dL/dc (B, E), through ``attention_forward``.

    Returns ``{"s": (B, D), "H": (S, B, E), "W_a", "U_a", "v_a"}`` (each its
    input's shape). Padding positions get no gradient through the scores.
    """
    s, H, a, alpha, params = cache
    dalpha = (H * dc[None]).sum(axis=2)  # (S, B): c = sum_j alpha_j h_j
    dH = alpha[:, :, None] * dc[None]
    de = alpha * (dalpha - (alpha * dalpha).sum(axis=0, keepdims=True))  # softmax backward
    dv_a = np.einsum("sb,sba->a", de, a)
    dz = de[:, :, None] * params["v_a"] * (1 - a**2)  # (S, B, A): through tanh
    dW_a = dz.sum(axis=0).T @ s
    dU_a = np.einsum("sba,sbe->ae", dz, H)
    ds = dz.sum(axis=0) @ params["W_a"]
    dH += dz @ params["U_a"]
    return {"s": ds, "H": dH, "W_a": dW_a, "U_a": dU_a, "v_a": dv_a}


def decoder_step(y_prev, s_prev, H, mask, params):
    """One decoder step with attention, in numpy.

    y_prev: (B,) previous output characters; s_prev: (B, D); H (S, B, E);
    mask (S, B). params: ``E_y (V, M)`` the output embedding, the decoder GRU's
    ``W_xh, W_hh, b_xh, b_hh``, ``W_a, U_a, v_a``, ``W_hy (V, D + E), b_y (V,)``.
    Returns ``(logits (B, V), s (B, D), alpha (S, B))``.
    """
    x = params["E_y"][y_prev]  # (B, M): embed the previous character
    s, _ = gru_step_forward(x, s_prev, params)  # the new decoder state s_t
    alpha = attention_weights(s, H, mask, params)  # where s_t looks
    c = attention_context(alpha, H)  # what it reads there
    logits = np.concatenate([s, c], axis=1) @ params["W_hy"].T + params["b_y"]
    return logits, s, alpha


def greedy_decode(step, s0, batch_size: int, max_len: int):
    """Write each output one character at a time, feeding back the best guess.

    step(y_prev (B,) ints, s) -> (logits (B, V), new s) runs one decoder step;
    s0 is the decoder's first state (whatever ``step`` uses). Starts from
    ``<s>``; returns ids (B, max_len): each row's characters up to and
    including its first ``</s>``, then ``<pad>`` (0). Stops early once every
    row has written ``</s>``.
    """
    ids = np.full((batch_size, max_len), PAD_INDEX)
    y, s = np.full(batch_size, BOS_INDEX), s0
    done = np.zeros(batch_size, dtype=bool)
    for t in range(max_len):
        logits, s = step(y, s)
        y = logits.argmax(axis=1)  # the model's own guess is the next input
        ids[:, t] = np.where(done, PAD_INDEX, y)
        done |= y == EOS_INDEX
        if done.all():
            break
    return ids


# ---------------------------------------------------------------- the PyTorch model


class Seq2Seq(nn.Module):
    """A GRU encoder–decoder over characters, with or without attention.

    encode(x (S, B), lengths (B,)) -> H (S, B, E), mask (S, B), h_n (1, B, E);
    the encoder's last real state h_n is the decoder's first state.
    decode(y_in (T, B), s0 (1, B, D), H, mask) -> logits (T, B, V), s_T (1, B, D),
    alpha (T, S, B) or None: the decoder reads y_in (the true previous
    characters in training, its own guesses when writing) and each output is
    y_t = W_hy [s_t; c_t] + b_y. With attention c_t = sum_j alpha_tj h_j; without,
    c_t = h_S, the encoder's last real state, the same at every step (Cho et al. 2014).
    forward(x, lengths, y_in) -> logits (T, B, V).
    """

    def __init__(
        self, src_vocab_size, tgt_vocab_size, embed_dim=32, hidden_size=64, attention=True
    ):
        super().__init__()
        for value, name in [(src_vocab_size, "src_vocab_size"), (tgt_vocab_size, "tgt_vocab_size")]:
            check_range(value, name, low=5, integer=True)
        check_range(embed_dim, "embed_dim", low=1, integer=True)
        check_range(hidden_size, "hidden_size", low=1, integer=True)
        self.config = dict(
            src_vocab_size=src_vocab_size,
            tgt_vocab_size=tgt_vocab_size,
            embed_dim=embed_dim,
            hidden_size=hidden_size,
            attention=bool(attention),
        )
        self.embed_x = nn.Embedding(src_vocab_size, embed_dim, padding_idx=PAD_INDEX)
        self.encoder = nn.GRU(embed_dim, hidden_size)
        self.embed_y = nn.Embedding(tgt_vocab_size, embed_dim, padding_idx=PAD_INDEX)  # E_y
        self.decoder = nn.GRU(embed_dim, hidden_size)
        if attention:
            self.W_a = nn.Linear(hidden_size, hidden_size, bias=False)
            self.U_a = nn.Linear(hidden_size, hidden_size, bias=False)
            self.v_a = nn.Linear(hidden_size, 1, bias=False)
        self.out = nn.Linear(2 * hidden_size, tgt_vocab_size)  # W_hy, b_y: reads [s_t; c_t]

    def encode(self, x, lengths):
        packed = pack_padded_sequence(self.embed_x(x), lengths.cpu(), enforce_sorted=False)
        H, h_n = self.encoder(packed)
        H, _ = pad_packed_sequence(H, total_length=x.shape[0])  # (S, B, E), zeros at padding
        return H, x != PAD_INDEX, h_n

    def decode(self, y_in, s0, H, mask):
        s, s_T = self.decoder(self.embed_y(y_in), s0)  # (T, B, D): every decoder state
        if not self.config["attention"]:  # c_t = h_S, the encoder's last state, at every step
            h_S = H[mask.sum(dim=0) - 1, torch.arange(H.shape[1])]  # (B, E): own last real step
            c = h_S.expand_as(s)
            return self.out(torch.cat([s, c], dim=-1)), s_T, None
        a = torch.tanh(self.W_a(s)[:, None] + self.U_a(H)[None])  # (T, S, B, A)
        e = self.v_a(a).squeeze(-1).masked_fill(~mask[None], float("-inf"))  # (T, S, B)
        alpha = torch.softmax(e, dim=1)  # over the source positions
        c = (alpha[..., None] * H[None]).sum(dim=1)  # (T, B, E)
        return self.out(torch.cat([s, c], dim=-1)), s_T, alpha

    def forward(self, x, lengths, y_in):
        H, mask, h_n = self.encode(x, lengths)
        logits, _, _ = self.decode(y_in, h_n, H, mask)
        return logits


def numpy_params(model: Seq2Seq) -> dict:
    """The decoder of an attention ``Seq2Seq`` as ``decoder_step``'s numpy dict (float64)."""
    from .scratch import params_from_torch

    def get(t):
        return t.detach().cpu().double().numpy().copy()

    params = {k: v.astype(np.float64) for k, v in params_from_torch(model.decoder).items()}
    params.update(
        E_y=get(model.embed_y.weight), W_hy=get(model.out.weight), b_y=get(model.out.bias)
    )
    params.update(
        W_a=get(model.W_a.weight), U_a=get(model.U_a.weight), v_a=get(model.v_a.weight)[0]
    )
    return params


# ---------------------------------------------------------------- training


def train_epoch(model, batches, optimizer, clip: float = 1.0) -> float:
    """One pass over ``batches`` with teacher forcing; returns the mean loss.

    The decoder reads the true previous characters ``y_in`` and is scored on
    every next character ``y_out`` (cross-entropy; padding ignored).
    """
    model.train()
    total = 0.0
    for x, lengths, y_in, y_out in batches:
        logits = model(x, lengths, y_in)  # (T, B, V): every step at once
        loss = nn.functional.cross_entropy(
            logits.flatten(0, 1), y_out.flatten(), ignore_index=PAD_INDEX
        )
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimizer.step()
        total += loss.item()
    return total / len(batches)


def fit(
    model,
    data: dict,
    epochs: int = 8,
    lr: float = 1e-2,
    batch_size: int = 128,
    seed: int = 0,
    val: tuple | None = None,
    progress: bool = True,
    name: str = "",
    device=None,
) -> dict:
    """Train ``model`` on ``encode_pairs``'s tensors: Adam, ``epochs`` calls of
    ``train_epoch`` on freshly shuffled batches (seeded).

    val: ``(sources, targets, src_vocab, tgt_vocab)``: after each epoch the
    greedy exact match on them is measured, and the weights of the best epoch
    are kept at the end. Returns ``{"loss": [per epoch], "val_exact": [per
    epoch], "best_epoch", "seconds"}``; a progress bar counts the batches.
    """
    check_range(epochs, "epochs", low=1, integer=True)
    device = get_device() if device is None else torch.device(device)
    torch.manual_seed(seed)
    model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    name = name or ("with attention" if model.config["attention"] else "without attention")
    n_batches = -(-data["x"].shape[1] // batch_size)
    bar = ProgressBar(epochs * n_batches, name, unit="batch", enabled=progress)
    history = {"loss": [], "val_exact": [], "best_epoch": epochs}
    best, best_state, start = -1.0, None, time.perf_counter()
    for epoch in range(epochs):
        batches = [
            tuple(t.to(device) for t in b)
            for b in make_batches(data, batch_size, seed * 1000 + epoch)
        ]
        history["loss"].append(train_epoch(model, batches, optimizer))
        bar.update(n_batches)
        if val is not None:
            sources, targets, src_vocab, tgt_vocab = val
            cap = max(len(t) for t in targets) + 10  # room to write too much
            predictions, _ = translate(model, sources, src_vocab, tgt_vocab, cap)
            history["val_exact"].append(exact_match(predictions, targets))
            if history["val_exact"][-1] > best:
                best, history["best_epoch"] = history["val_exact"][-1], epoch + 1
                best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        bar.set_postfix(loss=f"{history['loss'][-1]:.3f}")
    if best_state is not None:
        model.load_state_dict(best_state)
    history["seconds"] = time.perf_counter() - start
    summary = f"{name}: {epochs} epochs in {history['seconds']:.1f} s, final loss {history['loss'][-1]:.3f}"
    if val is not None:
        summary += f", best validation exact match {best:.3f} (epoch {history['best_epoch']})"
    bar.close(summary)
    return history


# ---------------------------------------------------------------- writing and scoring


@torch.no_grad()
def translate(
    model: Seq2Seq, sources, src_vocab, tgt_vocab, max_len: int = 30, batch_size: int = 512
) -> tuple[list[str], list]:
    """Greedy outputs for ``sources``: ``(texts, attention)``; ``attention[n]`` is
    the (output length, source length) array of weights of ``sources[n]``
    (including the step that wrote ``</s>``), or None without attention."""
    model.eval()
    texts, maps = [], []
    for start in range(0, len(sources), batch_size):
        chunk_texts, chunk_maps = _translate_chunk(
            model, list(sources[start : start + batch_size]), src_vocab, tgt_vocab, max_len
        )
        texts += chunk_texts
        maps += chunk_maps
    return texts, maps


def _translate_chunk(model, chunk, src_vocab, tgt_vocab, max_len):
    device = next(model.parameters()).device
    data = encode_pairs(chunk, ["?"] * len(chunk), src_vocab, tgt_vocab)
    H, mask, h_n = model.encode(data["x"].to(device), data["lengths"])
    alphas = []

    def step(y, s):  # one decoder step for greedy_decode; keeps the attention weights
        logits, s, alpha = model.decode(torch.as_tensor(y, device=device)[None], s, H, mask)
        alphas.append(None if alpha is None else alpha[0].cpu().numpy())
        return logits[0].cpu().numpy(), s

    ids = greedy_decode(step, h_n, len(chunk), max_len)
    texts, maps = [], []
    for b, row in enumerate(ids):
        n = int(np.argmax(row == EOS_INDEX)) if (row == EOS_INDEX).any() else max_len
        texts.append("".join(tgt_vocab[i] for i in row[:n] if i >= len(SPECIALS)))
        if alphas[0] is None:
            maps.append(None)
        else:
            length = int(data["lengths"][b])
            maps.append(np.stack([a[:length, b] for a in alphas[: min(n + 1, len(alphas))]]))
    return texts, maps


def exact_match(predictions, targets) -> float:
    """Share of predictions equal to their target, character for character."""
    return float(np.mean([p == t for p, t in zip(predictions, targets)]))


def accuracy_by_length(sources, predictions, targets, edges) -> dict:
    """Exact match in buckets of source length: ``edges = [a, b, c]`` gives the
    buckets ``a..b-1`` and ``b..c-1``. Returns ``{"labels", "accuracy", "count"}``
    (lists; NaN accuracy for an empty bucket)."""
    lengths = np.array([len(s) for s in sources])
    right = np.array([p == t for p, t in zip(predictions, targets)])
    out = {"labels": [], "accuracy": [], "count": []}
    for lo, hi in zip(edges[:-1], edges[1:]):
        inside = (lengths >= lo) & (lengths < hi)
        out["labels"].append(f"{lo}–{hi - 1}")
        out["count"].append(int(inside.sum()))
        out["accuracy"].append(float(right[inside].mean()) if inside.any() else float("nan"))
    return out


def char_ngram_set(text: str, n: int = 3) -> set[str]:
    """The distinct character n-grams (1..n) of ``text`` with ^ and $ marking its ends."""
    padded = "^" + text + "$"
    return {padded[i : i + k] for k in range(1, n + 1) for i in range(len(padded) - k + 1)}


def translation_memory(train_sources, train_targets, sources, n: int = 3) -> list[str]:
    """For each source, the target of the most similar training source: the
    largest Jaccard overlap of character n-gram sets (the first one on a tie)."""
    index: dict[str, list[int]] = {}
    memory = [char_ngram_set(s, n) for s in train_sources]
    for i, grams in enumerate(memory):
        for g in grams:
            index.setdefault(g, []).append(i)
    sizes = np.array([len(m) for m in memory])
    out = []
    for src in sources:
        grams = char_ngram_set(src, n)
        shared = np.zeros(len(memory))
        for g in grams:
            shared[index.get(g, [])] += 1
        jaccard = shared / (sizes + len(grams) - shared)
        out.append(train_targets[int(np.argmax(jaccard))])
    return out


# ---------------------------------------------------------------- save / load


def save_model(path, model: Seq2Seq, src_vocab, tgt_vocab, history: dict | None = None) -> Path:
    """Save weights (float32), architecture, both vocabularies and the training history."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    torch.save({"config": model.config, "state_dict": state, "src_vocab": list(src_vocab),
                "tgt_vocab": list(tgt_vocab), "history": history or {}}, path)  # fmt: skip
    return path


def load_model(path, device=None) -> tuple[Seq2Seq, list[str], list[str], dict]:
    """Rebuild a model saved by ``save_model``: ``(model in eval mode, src_vocab,
    tgt_vocab, history)``."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    saved = torch.load(path, map_location="cpu", weights_only=True)
    model = Seq2Seq(**saved["config"])
    model.load_state_dict(saved["state_dict"])
    model.to(get_device() if device is None else torch.device(device)).eval()
    return model, saved["src_vocab"], saved["tgt_vocab"], saved["history"]


@torch.no_grad()
def output_probability(model: Seq2Seq, sources, outputs, src_vocab, tgt_vocab) -> np.ndarray:
    """P(output | source) under ``model`` for each pair, stop marker included: (N,).

    The product of the probabilities of the output's characters, each given the
    characters before it (teacher forcing on ``outputs``). For a model's own
    greedy outputs it says how sure the model was of what it wrote.
    """
    model.eval()
    device = next(model.parameters()).device
    data = {
        k: v.to(device) for k, v in encode_pairs(sources, outputs, src_vocab, tgt_vocab).items()
    }
    logp = torch.log_softmax(model(data["x"], data["lengths"], data["y_in"]), dim=-1)
    picked = logp.gather(-1, data["y_out"][..., None])[..., 0] * (data["y_out"] != PAD_INDEX)
    return picked.sum(dim=0).exp().cpu().numpy()
