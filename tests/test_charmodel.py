"""The character-level model of notebook 06 (helpers.charmodel): gradients by
finite differences and against torch autograd, the data pipeline, sampling, and
a short training run that beats the unigram baseline on held-out text."""

import numpy as np
import pytest
import torch

from helpers.charmodel import (
    adagrad_init,
    adagrad_update,
    bigram_loss,
    char_rnn_eval_loss,
    char_rnn_loss_and_grads,
    choose_on_validation,
    ids_to_text,
    init_char_rnn,
    load_text,
    ngram_loss,
    ngram_probs,
    one_hot,
    output_loss_and_grads,
    sample_chars,
    stream_chunks,
    text_chars,
    text_to_ids,
    train_char_rnn,
    train_char_rnn_logged,
    train_step,
    unigram_loss,
)
from helpers.numerics import gradient_check, rel_error

torch.set_num_threads(1)


def _model(V, H, seed, scale=1.0):
    rng = np.random.default_rng(seed)
    params = init_char_rnn(V, H, rng)
    params["W_hy"] = rng.standard_normal((V, H)) * scale  # not the tiny initial W_hy
    params["b_y"] = rng.standard_normal(V) * 0.3
    params["W_hh"] = rng.standard_normal((H, H)) * 0.8  # tanh well out of its linear range
    params["b_h"] = rng.standard_normal(H) * 0.3
    return params, rng


@pytest.mark.parametrize("T,B,H,V", [(1, 1, 2, 3), (4, 3, 5, 6), (6, 1, 3, 4)])
def test_output_layer_gradients_match_finite_differences(T, B, H, V):
    rng = np.random.default_rng(T * 100 + B)
    point = {
        "hs": np.tanh(rng.standard_normal((T, B, H))),
        "W_hy": rng.standard_normal((V, H)),
        "b_y": rng.standard_normal(V),
    }
    targets = rng.integers(0, V, size=(T, B))
    loss, dW_hy, db_y, dhs = output_loss_and_grads(
        point["hs"], targets, point["W_hy"], point["b_y"]
    )
    errors = gradient_check(
        lambda p: output_loss_and_grads(p["hs"], targets, p["W_hy"], p["b_y"])[0],
        point,
        {"hs": dhs, "W_hy": dW_hy, "b_y": db_y},
    )
    assert max(errors.values()) < 1e-7, errors
    # the loss is the mean -log p of the targets, in nats per character
    ys = point["hs"] @ point["W_hy"].T + point["b_y"]
    p = np.exp(ys) / np.exp(ys).sum(-1, keepdims=True)
    want = -np.mean(np.log(np.take_along_axis(p, targets[..., None], -1)))
    assert abs(loss - want) < 1e-12


def test_output_layer_is_stable_for_huge_logits():
    rng = np.random.default_rng(0)
    hs = np.tanh(rng.standard_normal((3, 2, 4)))
    targets = rng.integers(0, 5, size=(3, 2))
    loss, *grads = output_loss_and_grads(
        hs, targets, rng.standard_normal((5, 4)) * 1000, np.zeros(5)
    )
    assert np.isfinite(loss) and all(np.all(np.isfinite(g)) for g in grads)


@pytest.mark.parametrize("T,B,V,H", [(1, 1, 3, 2), (5, 2, 6, 4), (8, 3, 5, 3)])
def test_model_gradients_match_torch_autograd(T, B, V, H):
    params, rng = _model(V, H, seed=T + 10 * B)
    inputs = rng.integers(0, V, size=(T, B))
    targets = rng.integers(0, V, size=(T, B))
    h0 = np.tanh(rng.standard_normal((B, H)))
    loss, grads, h_last = char_rnn_loss_and_grads(params, inputs, targets, h0)

    tp = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    h = torch.tensor(h0)
    xs = torch.nn.functional.one_hot(torch.tensor(inputs), V).double()
    logits = []
    for t in range(T):
        h = torch.tanh(xs[t] @ tp["W_xh"].T + h @ tp["W_hh"].T + tp["b_h"])
        logits.append(h @ tp["W_hy"].T + tp["b_y"])
    torch_loss = torch.nn.functional.cross_entropy(
        torch.stack(logits).reshape(T * B, V), torch.tensor(targets).reshape(T * B)
    )
    torch_loss.backward()
    assert abs(loss - torch_loss.item()) < 1e-12
    assert rel_error(h_last, h) < 1e-12
    for k in params:
        assert rel_error(grads[k], tp[k].grad) < 1e-10, k


def test_model_gradients_match_finite_differences():
    params, rng = _model(5, 3, seed=7)
    inputs, targets = rng.integers(0, 5, size=(4, 2)), rng.integers(0, 5, size=(4, 2))
    h0 = np.tanh(rng.standard_normal((2, 3)))
    _, grads, _ = char_rnn_loss_and_grads(params, inputs, targets, h0)
    errors = gradient_check(
        lambda p: char_rnn_loss_and_grads(p, inputs, targets, h0)[0], params, grads
    )
    assert max(errors.values()) < 1e-7, errors


def test_train_step_changes_nothing_in_place_and_lowers_the_loss():
    params, rng = _model(6, 4, seed=3, scale=0.3)
    memory = adagrad_init(params)
    inputs, targets = rng.integers(0, 6, size=(5, 2)), rng.integers(0, 6, size=(5, 2))
    h0 = np.zeros((2, 4))
    before = {k: v.copy() for k, v in params.items()}
    new, memory2, loss, h_last = train_step(params, memory, inputs, targets, h0, lr=0.05)
    assert all(np.array_equal(before[k], params[k]) for k in params)
    assert all(not memory[k].any() for k in memory)
    assert char_rnn_loss_and_grads(new, inputs, targets, h0)[0] < loss
    assert h_last.shape == (2, 4)


def test_adagrad_first_step_moves_each_weight_by_lr():
    params = {"w": np.array([1.0, -2.0, 3.0])}
    grads = {"w": np.array([0.5, -4.0, 1e-2])}
    new, memory = adagrad_update(params, grads, adagrad_init(params), lr=0.1)
    np.testing.assert_allclose(new["w"], params["w"] - 0.1 * np.sign(grads["w"]), rtol=1e-4)
    np.testing.assert_allclose(memory["w"], grads["w"] ** 2)


def test_vocab_encode_decode_one_hot():
    text = load_text()
    chars = text_chars(text)
    ids = text_to_ids(text, chars)
    assert ids.dtype == np.int64 and ids_to_text(ids[:200], chars) == text[:200]
    assert len(chars) == len(set(text)) == 72 and len(text) == 80_783
    x = one_hot(ids[:7].reshape(7, 1), len(chars))
    assert x.shape == (7, 1, 72) and np.array_equal(x.argmax(-1)[:, 0], ids[:7]) and x.sum() == 7
    with pytest.raises(ValueError, match="not in the vocabulary"):
        text_to_ids("ü", chars)
    with pytest.raises(TypeError, match="integers"):
        one_hot(np.array([0.0]), 3)


def test_stream_chunks_are_contiguous_per_stream():
    ids = np.arange(103)
    chunks = stream_chunks(ids, B=4, T=5)
    assert len(chunks) == 5  # (103 - 1) // 4 = 25 per stream, 5 chunks of 5
    inputs = np.concatenate([c[0] for c in chunks])  # (25, 4)
    targets = np.concatenate([c[1] for c in chunks])
    assert inputs.dtype == targets.dtype == np.int64
    np.testing.assert_array_equal(targets, inputs + 1)  # next character
    np.testing.assert_array_equal(inputs[:, 1], np.arange(25, 50))  # stream 1 reads on
    with pytest.raises(ValueError, match="too few"):
        stream_chunks(np.arange(10), B=4, T=5)


def test_sampling_is_seeded_and_temperature_sharpens():
    params, _ = _model(6, 4, seed=5, scale=2.0)
    h = np.zeros((1, 4))
    a = sample_chars(params, h, 0, 50, 1.0, np.random.default_rng(1))
    b = sample_chars(params, h, 0, 50, 1.0, np.random.default_rng(1))
    assert a.dtype == np.int64 and a.shape == (50,) and np.array_equal(a, b)
    cold = sample_chars(params, h, 0, 300, 0.05, np.random.default_rng(2))
    hot = sample_chars(params, h, 0, 300, 20.0, np.random.default_rng(2))
    assert len(set(hot.tolist())) == 6  # nearly uniform: every character shows up
    assert len(set(cold.tolist())) < len(set(hot.tolist()))


def test_baselines_on_a_known_text():
    train = np.array([0, 1, 0, 1, 0, 1, 0, 1])
    # unigram with add-1: p(0) = p(1) = 5/11, p(2) = 1/11; the first character is not predicted
    assert (
        abs(unigram_loss(train, np.array([0, 1, 2]), 3) - (np.log(11 / 5) + np.log(11)) / 2) < 1e-12
    )
    # a perfectly alternating text: the bigram model is nearly certain
    assert bigram_loss(train, np.array([0, 1, 0, 1]), 3, alpha=1e-6) < 1e-4


def test_short_training_beats_the_unigram_baseline_on_held_out_text():
    text = load_text()[:30_000]
    chars = text_chars(load_text())
    ids = text_to_ids(text, chars)
    n = int(0.9 * len(ids))
    train, held_out = ids[:n], ids[n:]
    V = len(chars)
    rng = np.random.default_rng(0)
    params = init_char_rnn(V, 64, rng)
    start = char_rnn_eval_loss(params, held_out)
    assert abs(start - np.log(V)) < 0.05  # untrained: nearly uniform
    params, history = train_char_rnn_logged(
        params, train, epochs=1, B=8, T=25, lr=0.03, progress=False
    )
    loss = char_rnn_eval_loss(params, held_out)
    unigram = unigram_loss(train, held_out, V)
    assert history["loss"][-1] < history["loss"][0]
    assert loss < unigram - 0.2, (loss, unigram)


def test_the_plain_loop_and_the_logged_one_train_alike():
    ids = text_to_ids(load_text()[:3000], text_chars(load_text()))
    V = len(text_chars(load_text()))
    start = init_char_rnn(V, 16, np.random.default_rng(0))
    plain = train_char_rnn(start, ids, epochs=1, B=4, T=10)
    logged, history = train_char_rnn_logged(start, ids, epochs=1, B=4, T=10, progress=False)
    for k in plain:
        np.testing.assert_array_equal(plain[k], logged[k])
    assert len(history["grad_norm"]) == len(stream_chunks(ids, 4, 10))


def test_the_logged_gradient_norm_is_the_applied_one():
    ids = text_to_ids(load_text()[:3000], text_chars(load_text()))
    V = len(text_chars(load_text()))
    start = init_char_rnn(V, 16, np.random.default_rng(0))
    inputs, targets = stream_chunks(ids, 4, 10)[0]
    _, grads, _ = char_rnn_loss_and_grads(start, inputs, targets, np.zeros((4, 16)))
    norm = np.sqrt(sum(float((g**2).sum()) for g in grads.values()))
    _, free = train_char_rnn_logged(start, ids, 1, 4, 10, max_norm=1e6, progress=False)
    _, clipped = train_char_rnn_logged(start, ids, 1, 4, 10, max_norm=norm / 2, progress=False)
    assert abs(free["grad_norm"][0] - norm) < 1e-9 * norm
    assert abs(clipped["grad_norm"][0] - norm / 2) < 1e-9 * norm


def test_add_k_ngrams_are_the_unigram_and_bigram_baselines_and_sum_to_one():
    rng = np.random.default_rng(0)
    train, held = rng.integers(0, 5, 400), rng.integers(0, 5, 60)
    assert abs(ngram_loss(train, held, 5, 1, k=1.0) - unigram_loss(train, held, 5)) < 1e-12
    assert abs(ngram_loss(train, held, 5, 2, k=0.1) - bigram_loss(train, held, 5)) < 1e-12
    # every next character after one fixed context: the probabilities sum to 1
    for n, kw in ((3, {"k": 0.5}), (4, {"beta": 2.0})):
        context = np.array([2, 4, 1])[-(n - 1) :]
        total = sum(ngram_probs(train, np.append(context, x), 5, n, **kw)[-1] for x in range(5))
        assert abs(total - 1.0) < 1e-12, (n, total)


def test_validation_picks_the_smoothing_without_the_held_out_text():
    ids = text_to_ids(load_text()[:20_000], text_chars(load_text()))
    V = len(text_chars(load_text()))
    best, losses = choose_on_validation(ids, V, 3, "k", (0.01, 0.1, 1.0))
    assert best == min(losses, key=losses.get) and len(losses) == 3
