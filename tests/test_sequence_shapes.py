"""Notebook 03's from-scratch pieces (the exercises' references) against PyTorch."""

import numpy as np
import torch

from helpers.exercises.nb03 import bidirectional_states
from helpers.scratch import last_states, params_from_torch


def test_bidirectional_states_match_torch():
    torch.manual_seed(0)
    for T, B, D, H in [(1, 1, 2, 3), (6, 3, 4, 5)]:
        birnn = torch.nn.RNN(D, H, bidirectional=True).double()
        xs = torch.randn(T, B, D, dtype=torch.float64)
        with torch.no_grad():
            output, _ = birnn(xs)
        ours = bidirectional_states(
            xs.numpy(), params_from_torch(birnn), params_from_torch(birnn, reverse=True)
        )
        np.testing.assert_allclose(ours, output.numpy(), rtol=1e-12, atol=1e-14)


def test_last_states_match_packed_h_n():
    torch.manual_seed(1)
    T, B, D, H = 7, 4, 3, 5
    rnn = torch.nn.RNN(D, H).double()
    xs = torch.randn(T, B, D, dtype=torch.float64)
    lengths = torch.tensor([7, 2, 5, 1])
    with torch.no_grad():
        hs, _ = rnn(xs)
        _, h_n = rnn(torch.nn.utils.rnn.pack_padded_sequence(xs, lengths, enforce_sorted=False))
    np.testing.assert_allclose(last_states(hs.numpy(), lengths.numpy()), h_n[0].numpy(), atol=1e-14)


def test_stacked_states_match_torch():
    from helpers.exercises.nb03 import stacked_states

    torch.manual_seed(2)
    for T, B, D, H, L in [(1, 1, 2, 3, 1), (5, 3, 4, 2, 3)]:
        deep = torch.nn.RNN(D, H, num_layers=L).double()
        xs = torch.randn(T, B, D, dtype=torch.float64)
        with torch.no_grad():
            output, h_n = deep(xs)
        layers = [params_from_torch(deep, layer=k) for k in range(L)]
        ours, ours_h_n = stacked_states(xs.numpy(), layers)
        np.testing.assert_allclose(ours, output.numpy(), rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(ours_h_n, h_n.numpy(), rtol=1e-12, atol=1e-14)


def test_keyword_batch_labels_say_whether_the_keyword_is_inside_each_sequence():
    import torch

    from helpers.sequences import keyword_batch

    torch.manual_seed(0)
    (tokens, lengths), labels = keyword_batch(B=200, T_max=9, keyword=7, pad=10)
    assert tokens.shape == (9, 200) and lengths.shape == labels.shape == (200,)
    assert lengths[0] == 9 and lengths.min() >= 2
    for b in range(200):
        real, padding = tokens[: lengths[b], b], tokens[lengths[b] :, b]
        assert (padding == 10).all() and (real != 10).all()
        assert bool((real == 7).any()) == bool(labels[b])  # label 1 exactly when 7 is inside
    assert 0.3 < labels.float().mean() < 0.7
