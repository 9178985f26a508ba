"""helpers.seq2seq: the numpy attention step and its gradients against PyTorch
autograd and finite differences, masking of padding, a short training run that
learns, and ``benchmarks/translate.py``'s one-line errors on bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from helpers.numerics import gradient_check, rel_error
from helpers.seq2seq import (
    BOS_INDEX,
    DATES,
    EOS_INDEX,
    PAD_INDEX,
    Seq2Seq,
    accuracy_by_length,
    attention_backward,
    attention_forward,
    attention_weights,
    build_vocab,
    decoder_step,
    encode_pairs,
    exact_match,
    fit,
    greedy_decode,
    load_pairs,
    numpy_params,
    split_pairs,
    translate,
    translation_memory,
)

ROOT = Path(__file__).resolve().parent.parent


def attention_point(seed=0, S=5, B=3, D=4, E=6, A=5, lengths=(5, 3, 1)):
    g = np.random.default_rng(seed)
    mask = np.arange(S)[:, None] < np.array(lengths)[None, :]
    point = {
        "s": g.normal(size=(B, D)),
        "H": g.normal(size=(S, B, E)),  # padding NOT zeroed: the mask alone must hide it
        "W_a": g.normal(size=(A, D)),
        "U_a": g.normal(size=(A, E)),
        "v_a": g.normal(size=A),
    }
    return point, mask


def test_attention_weights_are_a_masked_distribution():
    point, mask = attention_point()
    alpha = attention_weights(point["s"], point["H"], mask, point)
    assert alpha.shape == mask.shape
    assert np.all(alpha[~mask] == 0.0)
    np.testing.assert_allclose(alpha.sum(axis=0), 1.0, rtol=1e-12)
    assert np.all(alpha[mask] > 0)
    # changing a padded encoder state changes nothing
    H2 = point["H"].copy()
    H2[~mask] = 1e6
    c1, a1, _ = attention_forward(point["s"], point["H"], mask, point)
    c2, a2, _ = attention_forward(point["s"], H2, mask, point)
    np.testing.assert_array_equal(a1, a2)
    np.testing.assert_allclose(c1, c2, rtol=1e-12)


def test_attention_is_stable_for_huge_scores():
    point, mask = attention_point(seed=1)
    point["v_a"] = point["v_a"] * 1e4
    alpha = attention_weights(point["s"], point["H"], mask, point)
    assert np.all(np.isfinite(alpha))
    np.testing.assert_allclose(alpha.sum(axis=0), 1.0)


def test_attention_backward_matches_finite_differences():
    point, mask = attention_point()
    dc = np.random.default_rng(3).normal(size=(3, 6))

    def loss(p):
        c, _, _ = attention_forward(p["s"], p["H"], mask, p)
        return float((c * dc).sum())

    _, _, cache = attention_forward(point["s"], point["H"], mask, point)
    grads = attention_backward(dc, cache)
    errors = gradient_check(loss, point, grads)
    assert set(errors) == {"s", "H", "W_a", "U_a", "v_a"}
    assert max(errors.values()) < 1e-7, errors
    assert np.all(grads["H"][~mask] == 0)  # padding gets no gradient


def test_attention_backward_matches_autograd():
    point, mask = attention_point(seed=2)
    dc = np.random.default_rng(4).normal(size=(3, 6))
    t = {k: torch.tensor(v, requires_grad=True) for k, v in point.items()}
    a = torch.tanh(t["s"] @ t["W_a"].T + t["H"] @ t["U_a"].T)
    e = (a @ t["v_a"]).masked_fill(~torch.tensor(mask), float("-inf"))
    alpha = torch.softmax(e, dim=0)
    c = (alpha[:, :, None] * t["H"]).sum(0)
    (c * torch.tensor(dc)).sum().backward()
    _, _, cache = attention_forward(point["s"], point["H"], mask, point)
    grads = attention_backward(dc, cache)
    for k in point:
        assert rel_error(grads[k], t[k].grad) < 1e-12, k


def test_attention_checks_its_inputs():
    point, mask = attention_point()
    with pytest.raises(ValueError, match="mask"):
        attention_forward(point["s"], point["H"], mask[:, :2], point)
    with pytest.raises(ValueError, match="at least one real position"):
        attention_forward(point["s"], point["H"], np.zeros_like(mask), point)
    with pytest.raises(ValueError, match="W_a"):
        attention_forward(point["s"], point["H"], mask, {**point, "W_a": np.zeros((5, 7))})


def small_model(attention=True, seed=0):
    torch.manual_seed(seed)
    return Seq2Seq(12, 9, embed_dim=3, hidden_size=4, attention=attention).double()


def test_numpy_decoder_step_matches_the_torch_model():
    model = small_model()
    x = torch.tensor([[4, 5, 6], [7, 8, 0], [9, 0, 0]])  # (S, B) with padding
    lengths = torch.tensor([3, 2, 1])
    with torch.no_grad():
        H, mask, h_n = model.encode(x, lengths)
        y = torch.tensor([[BOS_INDEX, 5, 7]])
        logits, s, alpha = model.decode(y, h_n, H, mask)
    got = decoder_step(y[0].numpy(), h_n[0].numpy(), H.numpy(), mask.numpy(), numpy_params(model))
    for mine, theirs in zip(got, (logits[0], s[0], alpha[0])):
        assert rel_error(mine, theirs) < 1e-12
    assert np.all(got[2][~mask.numpy()] == 0)


def test_torch_decoder_ignores_padding_and_uses_each_last_real_state():
    for attention in (True, False):
        model = small_model(attention)
        x = torch.tensor([[4, 7], [5, 8], [6, 0]])
        lengths = torch.tensor([3, 2])
        y_in = torch.tensor([[BOS_INDEX, BOS_INDEX], [5, 6]])
        with torch.no_grad():
            both = model(x, lengths, y_in)
            alone = model(x[:2, 1:], lengths[1:], y_in[:, 1:])  # the second input, unpadded
        assert rel_error(both[:, 1], alone[:, 0]) < 1e-12, attention


def test_greedy_decode_stops_and_pads():
    table = np.full((6, 6), -1.0)
    table[BOS_INDEX, 4] = table[4, 5] = table[5, EOS_INDEX] = 1.0  # <s> -> 4 -> 5 -> </s>

    def step(y, s):
        return table[y], s

    ids = greedy_decode(step, None, 2, 6)
    np.testing.assert_array_equal(ids, [[4, 5, EOS_INDEX, 0, 0, 0]] * 2)
    assert greedy_decode(step, None, 1, 2).tolist() == [[4, 5]]  # cut at max_len


def test_split_keeps_each_source_in_one_split():
    sources = ["a", "b", "a", "c", "d", "b", "e", "f", "g", "h"] * 3
    targets = [str(i) for i in range(len(sources))]
    parts = split_pairs(sources, targets, seed=1)
    seen = [set(parts[k][0]) for k in ("train", "val", "test")]
    assert not (seen[0] & seen[1] or seen[0] & seen[2] or seen[1] & seen[2])
    assert sum(len(p[0]) for p in parts.values()) == len(sources)
    assert split_pairs(sources, targets, seed=1) == parts


def test_encode_pairs_shifts_the_target():
    vocab = build_vocab(["ab"])
    data = encode_pairs(["ba", "a"], ["ab", "b"], vocab, vocab)
    a, b = vocab.index("a"), vocab.index("b")
    assert data["y_in"][:, 0].tolist() == [BOS_INDEX, a, b]
    assert data["y_out"][:, 0].tolist() == [a, b, EOS_INDEX]
    assert data["y_out"][:, 1].tolist() == [b, EOS_INDEX, PAD_INDEX]
    assert data["x"][:, 1].tolist() == [a, PAD_INDEX]


def test_scores_and_memory():
    assert exact_match(["a", "b"], ["a", "c"]) == 0.5
    got = accuracy_by_length(["ab", "abcd", "abc"], ["x", "y", "z"], ["x", "n", "z"], [1, 3, 5])
    assert got["count"] == [1, 2] and got["accuracy"] == [1.0, 0.5]
    assert translation_memory(["3 March", "4 April"], ["03-03", "04-04"], ["3 Marc"]) == ["03-03"]


def test_a_short_training_run_learns_to_reverse():
    """Reversal of short digit strings: with attention it is learned in seconds."""
    torch.set_num_threads(1)
    g = np.random.default_rng(0)
    sources = ["".join(g.choice(list("0123456789"), size=g.integers(3, 6))) for _ in range(900)]
    targets = [s[::-1] for s in sources]
    vocab = build_vocab(sources)
    data = encode_pairs(sources[:800], targets[:800], vocab, vocab)
    torch.manual_seed(0)
    model = Seq2Seq(len(vocab), len(vocab), embed_dim=16, hidden_size=32, attention=True)
    history = fit(model, data, epochs=8, lr=2e-2, batch_size=50, progress=False, device="cpu")
    assert history["loss"][-1] < history["loss"][0] / 3
    predictions, maps = translate(model, sources[800:], vocab, vocab, max_len=8)
    assert exact_match(predictions, targets[800:]) > 0.5
    assert maps[0].shape == (len(predictions[0]) + 1, len(sources[800]))  # + the </s> step


def test_the_shipped_dates_file():
    sources, targets = load_pairs(DATES)
    assert len(sources) > 10_000 and len(set(sources)) == len(sources)
    assert all(len(t) == 10 and t[4] == "-" and t[7] == "-" for t in targets)


def test_the_shipped_models_load_and_are_good():
    from helpers.seq2seq import MODELS, load_model

    sources, targets = load_pairs(DATES)
    test_src, test_tgt = split_pairs(sources, targets, seed=0)["test"]
    model, src_vocab, tgt_vocab, _ = load_model(MODELS / "attention_seed0.pt", "cpu")
    predictions, _ = translate(model, test_src[:200], src_vocab, tgt_vocab)
    assert exact_match(predictions, test_tgt[:200]) > 0.9


def test_the_shipped_number_words_file_is_the_generators_output(tmp_path):
    from helpers.seq2seq import NUMBER_WORDS

    out = tmp_path / "number_words.tsv"
    result = subprocess.run(
        [sys.executable, str(ROOT / "assets" / "make_number_words.py"), str(out)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == NUMBER_WORDS.read_bytes()
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_nw", ROOT / "assets" / "make_number_words.py"
    )
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    spot = {
        42301: "forty-two thousand three hundred and one",
        7005: "seven thousand and five",
        100000: "one hundred thousand",
        999999: "nine hundred and ninety-nine thousand nine hundred and ninety-nine",
        0: "zero",
        15: "fifteen",
    }
    assert {n: make.in_words(n) for n in spot} == spot
    pairs = dict(zip(*load_pairs(NUMBER_WORDS)))
    assert len(pairs) == 3000 and all(make.in_words(int(t)) == s for s, t in pairs.items())


def test_the_shipped_number_words_models_load_and_show_the_bottleneck():
    from helpers.seq2seq import NUMBER_WORDS, NUMBER_WORDS_MODELS, accuracy_by_length, load_model

    sources, targets = load_pairs(NUMBER_WORDS)
    test_src, test_tgt = split_pairs(sources, targets, seed=0)["test"]
    by_length = {}
    for kind in ["plain", "attention"]:
        model, src_vocab, tgt_vocab, _ = load_model(NUMBER_WORDS_MODELS / f"{kind}_seed0.pt", "cpu")
        predictions, _ = translate(model, test_src, src_vocab, tgt_vocab)
        by_length[kind] = accuracy_by_length(test_src, predictions, test_tgt, [3, 30, 50, 73])
    assert sum(by_length["attention"]["count"]) == len(test_src)
    assert np.all(np.array(by_length["attention"]["accuracy"]) > 0.8)
    plain = by_length["plain"]["accuracy"]
    assert plain[0] - plain[-1] > 0.3  # without attention, accuracy falls with input length


# ---------------------------------------------------------------- the benchmark's errors


def load_benchmark():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "translate_benchmark", ROOT / "benchmarks" / "translate.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "no such file"),
        (b"", "line 1: the file holds no"),
        (b"\n\n", "line 1: the file holds no"),
        (
            b"3 March 2026\t2026-03-03\nno tab here\n",
            "line 2: expected 'source<TAB>target', got no tab",
        ),
        (b"a\tb\tc\n", "line 1: expected 'source<TAB>target', got 2 tabs"),
        (b"a\tb\n\t2026\n", "line 2: expected 'source<TAB>target', got an empty side"),
        (b"a\tb\nmars\tok\nf\xe9vrier\t2\n", "line 3: not UTF-8"),
    ],
)
def test_benchmark_bad_input_is_one_line(tmp_path, capsys, content, message):
    path = tmp_path / "pairs.tsv"
    if content is not None:
        path.write_bytes(content)
    assert load_benchmark().main(["--data", str(path), "--no-progress"]) == 2
    out = capsys.readouterr()
    lines = out.err.strip().splitlines()
    assert len(lines) == 1 and out.out == "", out
    assert lines[0].startswith("translate.py: error: ") and str(path) in lines[0]
    assert message in lines[0], lines[0]


def test_benchmark_from_the_command_line_prints_no_traceback(tmp_path):
    path = tmp_path / "pairs.tsv"
    path.write_bytes(b"ok\tfine\nno tab\n")
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "translate.py"), "--data", str(path)],
        capture_output=True, text=True, timeout=300, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode == 2
    assert (
        result.stderr
        == f"translate.py: error: {path}, line 2: expected 'source<TAB>target', got no tab: 'no tab'\n"
    )
