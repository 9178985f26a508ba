"""The padded-batch helper ``last_states`` (notebook 03) and its checker; the
RNN exercises of notebooks 02 and 04 are in ``helpers.exercises`` and tested by
tests/test_exercises.py and tests/test_scratch_rnn.py."""

import numpy as np


def stub(*args):
    raise NotImplementedError


def test_last_states_checker():
    from helpers.scratch import check_last_states

    assert check_last_states(lambda hs, lengths: hs[lengths - 1, np.arange(hs.shape[1])])
    assert check_last_states(lambda hs, lengths: hs[-1]).status == "failed"
    assert (
        check_last_states(lambda hs, lengths: hs[lengths, np.arange(hs.shape[1])]).status
        == "failed"
    )
    assert check_last_states(lambda hs, lengths: hs[lengths - 1]).status == "failed"
    assert check_last_states(stub).status == "not attempted"


def test_last_states_validates():
    import pytest

    from helpers.scratch import last_states

    with pytest.raises(ValueError, match=r"lengths: expected values in \[1, 3\]"):
        last_states(np.zeros((3, 2, 1)), np.array([0, 3]))
    with pytest.raises(TypeError, match="integers"):
        last_states(np.zeros((3, 2, 1)), np.array([1.0, 3.0]))
    with pytest.raises(ValueError, match="B=2"):
        last_states(np.zeros((3, 2, 1)), np.array([1, 2, 3]))
