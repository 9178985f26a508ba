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
