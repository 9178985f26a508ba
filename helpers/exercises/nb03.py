"""Exercises of notebook 03 (see ``helpers.exercises``)."""

import numpy as np

from ..scratch import last_states, rnn_forward
from .core import Exercise, register


def bidirectional_states(xs, params_fwd, params_bwd):
    """The states of a bidirectional RNN, built from two runs of ``rnn_forward``.

    xs: ``(T, B, D)``; params_fwd, params_bwd: ``W_xh (H, D)``, ``W_hh (H, H)``,
    ``b_h (H,)`` for the forward and the backward direction; both start from
    a zero state. Returns ``(T, B, 2H)``: row ``t`` is ``[h→_t ; h←_t]``, where
    ``h→_t`` has read ``x_1 .. x_t`` and ``h←_t`` has read ``x_T .. x_t``.
    """
    h0 = np.zeros((xs.shape[1], params_fwd["W_hh"].shape[0]))
    hs_fwd, _ = rnn_forward(xs, h0, params_fwd)  # reads x_1 .. x_T
    hs_bwd_reversed, _ = rnn_forward(xs[::-1], h0, params_bwd)  # reads x_T .. x_1
    hs_bwd = hs_bwd_reversed[::-1]  # back in time order: hs_bwd[t] has read x_t .. x_T
    return np.concatenate([hs_fwd, hs_bwd], axis=2)


def stacked_states(xs, layer_params):
    """A stacked (deep) RNN: each layer's states are the next layer's inputs.

    xs: ``(T, B, D)``; layer_params: a list of ``L`` dicts (``W_xh``, ``W_hh``,
    ``b_h``), layer 1 first (layer 1's ``W_xh`` is ``(H, D)``, the others'
    ``(H, H)``); every layer starts from a zero state. Returns ``(output, h_n)``
    as ``nn.RNN(num_layers=L)`` does: ``output (T, B, H)`` the top layer's
    states, ``h_n (L, B, H)`` every layer's last state, layer 1 first.
    """
    inputs, last = xs, []
    for params in layer_params:
        h0 = np.zeros((xs.shape[1], params["W_hh"].shape[0]))
        inputs, _ = rnn_forward(inputs, h0, params)  # this layer's states feed the next
        last.append(inputs[-1])
    return inputs, np.stack(last)


# ------------------------------------------------------------------ cases


def _last_states_cases():
    rng = np.random.default_rng(3)
    cases = []
    for T, B, H in [(1, 1, 2), (5, 3, 2), (6, 4, 3), (7, 1, 2)]:
        lengths = rng.integers(1, T + 1, size=B)
        lengths[0] = T  # one full-length sequence in every batch
        cases.append(
            (f"T={T}, B={B}, lengths={lengths.tolist()}", (rng.standard_normal((T, B, H)), lengths))
        )
    lengths = np.array([2, 5, 1, 3], dtype=np.int32)  # no full-length sequence; int32 lengths
    cases.append(("T=6, B=4, lengths=[2, 5, 1, 3] (int32; none of full length)",
                  (rng.standard_normal((6, 4, 3)), lengths)))  # fmt: skip
    return cases


def _params(rng, D, H, scale=0.6):
    return {
        "W_xh": scale * rng.standard_normal((H, D)),
        "W_hh": scale * rng.standard_normal((H, H)) / np.sqrt(H),
        "b_h": 0.1 * rng.standard_normal(H),
    }


def _bidirectional_cases():
    rng = np.random.default_rng(4)
    cases = []
    for T, B, D, H in [(1, 1, 2, 3), (4, 2, 3, 2), (6, 3, 2, 4)]:
        xs = rng.standard_normal((T, B, D))
        cases.append((f"T={T}, B={B}, D={D}, H={H}", (xs, _params(rng, D, H), _params(rng, D, H))))
    return cases


def _stacked_cases():
    rng = np.random.default_rng(5)
    cases = []
    for T, B, D, H, L in [
        (1, 1, 2, 3, 1),
        (4, 2, 3, 2, 2),
        (5, 3, 2, 4, 3),
        (4, 2, 3, 3, 2),
        (3, 4, 2, 3, 2),  # B != L: h_n's axes cannot be mixed up unnoticed
    ]:
        layers = [_params(rng, D if k == 0 else H, H) for k in range(L)]
        cases.append(
            (
                f"T={T}, B={B}, D={D}, H={H}, {L} layer(s)" + (" (D = H)" if D == H else ""),
                (rng.standard_normal((T, B, D)), layers),
            )
        )
    return cases


# -------------------------------------------------------- classic mistakes


def _stacked_all_read_x(xs, layer_params):
    h0 = np.zeros((xs.shape[1], layer_params[0]["W_hh"].shape[0]))
    runs = [rnn_forward(xs, h0, params)[0] for params in layer_params]  # all read xs
    return runs[-1], np.stack([r[-1] for r in runs])


def _stacked_h_n_top_only(xs, layer_params):
    output, _ = stacked_states(xs, layer_params)
    return output, output[-1:]


def _stacked_h_n_reversed(xs, layer_params):
    output, h_n = stacked_states(xs, layer_params)
    return output, h_n[::-1]


def _stacked_h_n_batch_first(xs, layer_params):
    output, h_n = stacked_states(xs, layer_params)
    return output, np.stack(list(h_n), axis=1)


def _stacked_output_bottom(xs, layer_params):
    h0 = np.zeros((xs.shape[1], layer_params[0]["W_hh"].shape[0]))
    bottom, _ = rnn_forward(xs, h0, layer_params[0])
    return bottom, stacked_states(xs, layer_params)[1]


def _bi_not_reversed_back(xs, pf, pb):
    h0 = np.zeros((xs.shape[1], pf["W_hh"].shape[0]))
    hs_b, _ = rnn_forward(xs[::-1], h0, pb)
    return np.concatenate([rnn_forward(xs, h0, pf)[0], hs_b], axis=2)


def _bi_input_not_reversed(xs, pf, pb):
    h0 = np.zeros((xs.shape[1], pf["W_hh"].shape[0]))
    return np.concatenate([rnn_forward(xs, h0, pf)[0], rnn_forward(xs, h0, pb)[0]], axis=2)


def _bi_wrong_order(xs, pf, pb):
    return np.roll(bidirectional_states(xs, pf, pb), pf["W_hh"].shape[0], axis=2)


def _bi_same_weights(xs, pf, pb):
    return bidirectional_states(xs, pf, pf)


def _bi_stacked_in_time(xs, pf, pb):
    both = bidirectional_states(xs, pf, pb)
    H = pf["W_hh"].shape[0]
    return np.concatenate([both[..., :H], both[..., H:]], axis=0)


register(
    Exercise(
        "03-last-states",
        "each sequence's own last state from a padded batch",
        reference=last_states,
        cases=_last_states_cases,
        hints=[
            "Sequence b's last real element is at step lengths[b] − 1 (steps count from 0). "
            "You need one (step, sequence) pair per sequence.",
            "Integer-array indexing takes one element per pair of index arrays: hs[steps, columns] "
            "with steps = lengths − 1 and columns = np.arange(B) gives shape (B, H).",
            "return hs[lengths - 1, np.arange(hs.shape[1])]",
        ],
        mistakes=[
            (
                "hs[-1]: the last padded step, right only for full-length sequences",
                lambda hs, lengths: hs[-1],
            ),
            (
                "hs[lengths]: off by one (steps count from 0)",
                lambda hs, lengths: hs[
                    np.minimum(lengths, hs.shape[0] - 1), np.arange(hs.shape[1])
                ],
            ),
            (
                "hs[lengths - 1] without the batch index: every sequence's step for every sequence, (B, B, H)",
                lambda hs, lengths: hs[lengths - 1],
            ),
            (
                "the longest length for everyone: hs[lengths.max() - 1]",
                lambda hs, lengths: hs[lengths.max() - 1],
            ),
        ],
    ),
    Exercise(
        "03-bidirectional",
        "a bidirectional RNN from two runs of rnn_forward",
        reference=bidirectional_states,
        cases=_bidirectional_cases,
        hints=[
            "The backward RNN is an ordinary RNN that reads the sequence from its end: "
            "give rnn_forward the time-reversed input xs[::-1].",
            "Its states come out in reading order (x_T first). Reverse them again so that row t "
            "belongs to step t, then join the two directions along the feature axis (axis=2).",
            "h0 = zeros((B, H)); fwd = rnn_forward(xs, h0, params_fwd)[0]; "
            "bwd = rnn_forward(xs[::-1], h0, params_bwd)[0][::-1]; "
            "return np.concatenate([fwd, bwd], axis=2)",
        ],
        mistakes=[
            (
                "the backward states are not put back in time order (row t holds h←_{T+1−t})",
                _bi_not_reversed_back,
            ),
            (
                "the backward RNN reads the input forwards: it never sees the future",
                _bi_input_not_reversed,
            ),
            (
                "[h← ; h→]: the directions in the wrong order (PyTorch puts forward first)",
                _bi_wrong_order,
            ),
            ("the forward weights used for both directions", _bi_same_weights),
            ("concatenated along time (axis 0) instead of features (axis 2)", _bi_stacked_in_time),
        ],
        atol=1e-12,
    ),
    Exercise(
        "03-stacked",
        "a stacked RNN of any depth from rnn_forward",
        reference=stacked_states,
        cases=_stacked_cases,
        hints=[
            "Loop over the layers. What does layer 2 read at step t? Not x_t.",
            "Keep one variable for the current layer's input sequence: xs for layer 1, then the "
            "states the previous layer just produced. Remember each layer's last state as you go.",
            "inputs = xs; for params in layer_params: inputs = rnn_forward(inputs, zeros((B, H)), "
            "params)[0]; keep inputs[-1]. Return (inputs, np.stack(kept)).",
        ],
        mistakes=[
            (
                "every layer reads the input x_t instead of the layer below's states",
                _stacked_all_read_x,
            ),
            (
                "h_n holds only the top layer's last state: (1, B, H), not (L, B, H)",
                _stacked_h_n_top_only,
            ),
            ("h_n in the wrong order: PyTorch puts layer 1 first", _stacked_h_n_reversed),
            (
                "h_n stacked along axis 1, (B, L, H): PyTorch's h_n is (L, B, H), layers first",
                _stacked_h_n_batch_first,
            ),
            (
                "output is the bottom layer's states: PyTorch's output is the top layer's",
                _stacked_output_bottom,
            ),
        ],
        atol=1e-12,
    ),
)
