"""The bidirectional and stacked diagrams of notebook 03 draw what they claim:
the number of boxes, arrows and the labels for given arguments."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import FancyBboxPatch  # noqa: E402
from matplotlib.text import Annotation  # noqa: E402

from helpers.diagrams import draw_bidirectional_rnn, draw_stacked_rnn  # noqa: E402


def _texts(ax):
    return [t.get_text() for t in ax.texts if not isinstance(t, Annotation)]


def _counts(ax):
    boxes = sum(isinstance(p, FancyBboxPatch) for p in ax.patches)
    arrows = sum(isinstance(t, Annotation) for t in ax.texts)
    return boxes, arrows


@pytest.mark.parametrize("T", [1, 3, 5])
def test_bidirectional_every_output_reads_both_directions(T):
    fig, ax = plt.subplots()
    parts = draw_bidirectional_rnn(ax, T)
    assert len(parts["forward"]) == len(parts["backward"]) == T
    assert sorted(parts["inputs"]) == sorted(parts["outputs"]) == list(range(1, T + 1))
    # per step: x, h->, h<-, y boxes; arrows: two recurrent, two from x, two into y
    assert _counts(ax) == (4 * T, 6 * T)
    assert len(parts["arrows"]) == 6 * T
    texts = _texts(ax)
    for t in range(1, T + 1):
        assert rf"$\overrightarrow{{h}}_{{{t}}}$" in texts
        assert rf"$\overleftarrow{{h}}_{{{t}}}$" in texts
        assert f"$y_{{{t}}}$" in texts and f"$x_{{{t}}}$" in texts
    assert r"$\overrightarrow{h}_0$" in texts  # the forward chain starts at step 0
    assert rf"$\overleftarrow{{h}}_{{{T + 1}}}$" in texts  # the backward one after step T
    plt.close(fig)


def test_bidirectional_many_to_one():
    fig, ax = plt.subplots()
    parts = draw_bidirectional_rnn(ax, 4, outputs="last")
    assert list(parts["outputs"]) == [4]
    assert _counts(ax) == (3 * 4 + 1, 4 * 4 + 2)
    plt.close(fig)


@pytest.mark.parametrize("T, layers, dense", [(1, 1, 0), (4, 2, 0), (4, 2, 1), (3, 3, 2)])
def test_stacked_draws_each_layer_and_dense_layer(T, layers, dense):
    fig, ax = plt.subplots()
    parts = draw_stacked_rnn(ax, T, layers=layers, dense=dense)
    assert sorted(parts["cells"]) == [(l, t) for l in range(1, layers + 1) for t in range(1, T + 1)]
    assert sorted(parts["dense"]) == [(k, t) for k in range(1, dense + 1) for t in range(1, T + 1)]
    # boxes: x, the layers, the dense layers, y per step; arrows: one in time per
    # layer and step, one up into every box above the input
    assert _counts(ax) == ((2 + layers + dense) * T, (2 * layers + dense + 1) * T)
    texts = _texts(ax)
    for layer in range(1, layers + 1):
        name = f"h^{{({layer})}}" if layers > 1 else "h"
        assert f"${name}_0$" in texts
        assert f"${name}_{{{T}}}$" in texts
    if dense == 1:
        assert f"$z_{{{T}}}$" in texts
    elif dense > 1:
        assert f"$z^{{({dense})}}_{{{T}}}$" in texts
    plt.close(fig)


def test_stacked_many_to_one_has_one_output_and_its_dense_layer():
    fig, ax = plt.subplots()
    parts = draw_stacked_rnn(ax, 5, layers=2, dense=1, outputs="last")
    assert list(parts["outputs"]) == [5] and list(parts["dense"]) == [(1, 5)]
    assert _counts(ax) == (5 + 10 + 1 + 1, 10 + 5 + 5 + 1 + 1)
    plt.close(fig)


def test_bad_arguments_are_rejected():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="layers"):
        draw_stacked_rnn(ax, 3, layers=0)
    with pytest.raises(ValueError, match="outputs"):
        draw_bidirectional_rnn(ax, 3, outputs="middle")
    plt.close(fig)


@pytest.mark.parametrize("layers", [2, 3, 6])
def test_stacked_gives_each_layer_its_own_colour(layers):
    # one colour = one set of shared weights: the cells of a layer share a colour,
    # and no two layers do
    from matplotlib.colors import to_hex

    fig, ax = plt.subplots()
    parts = draw_stacked_rnn(ax, 3, layers=layers)
    colours = {}
    for (layer, _t), cell in parts["cells"].items():
        colours.setdefault(layer, set()).add(to_hex(cell.get_edgecolor()))
    assert all(len(c) == 1 for c in colours.values())
    assert len(set.union(*colours.values())) == layers
    plt.close(fig)


def test_decoder_states_are_named_apart_from_the_encoders():
    from helpers.diagrams import draw_unrolled_rnn

    fig, ax = plt.subplots()
    draw_unrolled_rnn(
        ax, 7, inputs=[1, 2, 3, 4, 5], input_labels={5: "START"}, outputs=[5, 6, 7],
        decoder_from=5, decoder_state="s", feedback=True,
    )  # fmt: skip
    texts = _texts(ax)
    assert {"$h_{4}$", "$s_{1}$", "$s_{3}$", "$y_{1}$", "$y_{3}$"} <= set(texts)
    assert "$h_{5}$" not in texts and "$y_{5}$" not in texts
    assert {"START", "$y_{2}$"} <= set(texts) and "$x_{6}$" not in texts  # fed-back inputs
    with pytest.raises(ValueError, match="decoder_from"):
        draw_unrolled_rnn(ax, 3, decoder_state="s")
    plt.close(fig)
