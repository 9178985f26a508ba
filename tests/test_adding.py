"""helpers.adding: the adding problem's data, its 1/6 baseline, the models and
a short training run."""

import numpy as np
import pytest
import torch

from helpers.adding import (
    BASELINE_MSE,
    CELLS,
    SequenceRegressor,
    make_adding_data,
    smooth,
    train_adding,
)


def test_data_shapes_markers_and_targets():
    xs, ys = make_adding_data(500, 20, torch.Generator().manual_seed(0))
    assert xs.shape == (20, 500, 2) and ys.shape == (500,)
    assert xs.dtype == torch.float32
    values, markers = xs[..., 0], xs[..., 1]
    assert torch.all((values >= 0) & (values < 1))
    assert torch.all(markers.sum(0) == 2)  # exactly two markers per sequence
    assert torch.all(markers[:10].sum(0) == 1) and torch.all(markers[10:].sum(0) == 1)
    torch.testing.assert_close(ys, (values * markers).sum(0))


def test_data_is_seeded():
    a = make_adding_data(8, 10, torch.Generator().manual_seed(3))
    b = make_adding_data(8, 10, torch.Generator().manual_seed(3))
    assert all(torch.equal(u, v) for u, v in zip(a, b))


def test_constant_one_scores_one_sixth():
    _, ys = make_adding_data(200_000, 4, torch.Generator().manual_seed(1))
    mse = torch.mean((ys - 1.0) ** 2).item()
    assert BASELINE_MSE == pytest.approx(1 / 6)
    assert mse == pytest.approx(1 / 6, abs=0.003)
    assert ys.mean().item() == pytest.approx(1.0, abs=0.005)


def test_bad_arguments():
    with pytest.raises(ValueError, match="T"):
        make_adding_data(4, 1)
    with pytest.raises(TypeError, match="n"):
        make_adding_data(2.5, 10)
    with pytest.raises(ValueError, match="cell"):
        SequenceRegressor("transformer")


@pytest.mark.parametrize("cell", CELLS)
def test_models_shapes(cell):
    torch.manual_seed(0)
    model = SequenceRegressor(cell, hidden_size=5)
    xs, _ = make_adding_data(3, 7)
    assert model(xs).shape == (3,)


def test_irnn_is_identity_initialised_relu():
    model = SequenceRegressor("irnn", hidden_size=4)
    assert model.rnn.nonlinearity == "relu"
    torch.testing.assert_close(model.rnn.weight_hh_l0.detach(), torch.eye(4))
    assert not model.rnn.bias_hh_l0.any() and not model.rnn.bias_ih_l0.any()


def test_short_training_run_reduces_the_loss():
    torch.set_num_threads(1)
    run = train_adding(
        "gru", T=10, hidden_size=16, steps=150, lr=1e-2, progress=False, eval_every=50
    )
    assert run["eval_steps"] == [0, 50, 100, 150]
    assert len(run["train"]) == 150
    assert run["final"] < 0.5 * run["eval"][0]
    assert run["final"] < BASELINE_MSE / 2
    again = train_adding(
        "gru", T=10, hidden_size=16, steps=150, lr=1e-2, progress=False, eval_every=50
    )
    assert again["eval"] == run["eval"]  # seeded


def test_progress_ends_with_one_summary_line(capsys):
    torch.set_num_threads(1)
    run = train_adding("lstm", T=6, hidden_size=4, steps=3, eval_every=2, n_eval=20)
    out = capsys.readouterr().out.strip().splitlines()
    assert out == [
        f"LSTM: 3 steps in {run['seconds']:.1f} s, final held-out MSE {run['final']:.4f}"
    ]
    train_adding("lstm", T=6, hidden_size=4, steps=3, n_eval=20, progress=False)
    assert capsys.readouterr() == ("", "")  # progress=False: silent


def test_smooth():
    np.testing.assert_allclose(smooth([1, 3, 5, 7], window=2), [1, 2, 4, 6])
    assert smooth(np.ones(10), window=25).shape == (10,)


def test_adding_targets_checker(capsys):
    from helpers.adding import adding_targets, check_adding_targets

    xs, ys = make_adding_data(6, 9, torch.Generator().manual_seed(5))
    torch.testing.assert_close(adding_targets(xs), ys)
    assert check_adding_targets(lambda xs: (xs[..., 0] * xs[..., 1]).sum(0)).status == "passed"
    assert check_adding_targets(lambda xs: xs[..., 0].sum(0)).status == "failed"  # ignores markers
    assert (
        check_adding_targets(lambda xs: (xs[..., 0] * xs[..., 1]).sum(1)).status == "failed"
    )  # wrong axis
    assert check_adding_targets(lambda xs: (xs[..., 0] * xs[..., 1]).mean(0)).status == "failed"

    def stub(xs):
        raise NotImplementedError

    assert check_adding_targets(stub).status == "not attempted"
    assert "not attempted yet" in capsys.readouterr().out
