"""Wrong answers that the checkers used to accept (issue 20), each written by
hand as a registered mistake: each fails now, with a verdict that says what
is wrong. (tests/test_exercises.py checks that every registered mistake fails.)"""

from __future__ import annotations

import numpy as np
import pytest

from helpers.exercises import EXERCISES

HOLES = [
    # (exercise, the registered mistake's description starts with, the verdict says)
    ("01-softmax", "each row's minimum", ["NaN or inf where the reference is finite",
                                         "This looks like a classic mistake: each row's minimum"]),
    ("08-irnn-init", "bidirectional=True", ["bidirectional=True: the IRNN reads the sequence in one direction"]),
    ("08-irnn-init", "batch_first=True", ["batch_first=True: the course's batches are time-major"]),
    ("08-irnn-init", "W_xh drawn from U(0, 0.002)", ["W_xh (weight_ih_l0) is not centred on zero"]),
    ("03-stacked", "h_n stacked along axis 1", ["expected shape (2, 4, 3), got (4, 2, 3)",
                                                "This looks like a classic mistake: h_n stacked along axis 1"]),
    ("05-jacobian-product", "the product in the wrong order", ["✗ T=6, H=4, relu"]),
    ("05-jacobian-product", "each Jacobian transposed", ["✗ T=6, H=4, relu"]),
    ("10-softmax-temperature", "τ = 0 replaced by a tiny τ", ["expected 1, got 0.5",
                                                             "This looks like a classic mistake: τ = 0 replaced"]),
    ("08-adding-targets", "the values multiplied by the markers in place", ["changed its input in place (argument 1)"]),
    ("09-last-real-step", "lengths.sub_(1)", ["changed its input in place (argument 2)"]),
    ("10-sample-next", "one uniform for the whole batch", ["all 200 rows drew the same index: one uniform for the whole batch"]),
    ("10-sample-next", "ignores the Generator", ["the same seed gave other indices", "not np.random"]),
    ("06-sample", "np.random.choice", ["your draws depend on the global random state (np.random)"]),
]  # fmt: skip


@pytest.mark.parametrize("ex_id, mistake, says", HOLES, ids=[f"{h[0]}: {h[1]}" for h in HOLES])
def test_hole_is_closed(ex_id, mistake, says, capsys):
    ex = EXERCISES[ex_id]
    wrong = [fn for description, fn in ex.mistakes if description.startswith(mistake)]
    assert len(wrong) == 1, f"{ex_id}: no registered mistake '{mistake}'"
    assert ex.check(wrong[0]).status == "failed"
    out = capsys.readouterr().out
    for words in says:
        assert words in out, f"{ex_id}: the verdict does not say '{words}':\n{out}"


def test_one_uniform_is_not_blamed_on_np_random(capsys):
    ex = EXERCISES["10-sample-next"]
    one_uniform = next(fn for d, fn in ex.mistakes if d.startswith("one uniform"))
    ex.check(one_uniform)
    assert "np.random" not in capsys.readouterr().out


def test_clamped_temperature_is_not_told_it_divides_by_zero(capsys):
    ex = EXERCISES["10-softmax-temperature"]
    clamped = next(fn for d, fn in ex.mistakes if d.startswith("τ = 0 replaced"))
    ex.check(clamped)
    assert "divides by zero" not in capsys.readouterr().out


def test_relu_jacobian_case_is_not_degenerate():
    ex = EXERCISES["05-jacobian-product"]
    (description, args), *_ = [c for c in ex.cases() if "relu" in c[0]]
    want = ex.reference(*args)
    assert np.abs(want).max() > 0.1, description
    for mistake, wrong in ex.mistakes:  # each is caught by the ReLU case alone
        got = wrong(*args)
        assert not np.allclose(got, want), f"the ReLU case does not catch '{mistake}'"


def test_hints_name_only_what_the_notebook_imports():
    assert not any("log_softmax" in h for h in EXERCISES["06-output-layer"].hints)


def test_messages_do_not_name_the_reference(capsys):
    ex = EXERCISES["02-rnn-step"]  # the notebook's function is my_rnn_step
    ex.check(np.zeros(3))
    out = capsys.readouterr().out
    assert "rnn_step" not in out and "without calling it" in out
