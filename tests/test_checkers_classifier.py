"""The exercise checkers of notebook 09 accept a correct answer, reject wrong
ones and report the untouched stub as not attempted."""

from __future__ import annotations

import torch

from helpers.classifier import check_collate, check_last_real_step


def stub(*args):
    raise NotImplementedError


# ---------------------------------------------------------------- collate_batch


def collate_right(batch):
    lengths = torch.tensor([len(ids) for ids, _ in batch])
    x = torch.nn.utils.rnn.pad_sequence([ids for ids, _ in batch])  # (T, B), zeros after
    return x, lengths, torch.tensor([label for _, label in batch])


def collate_batch_first(batch):  # (B, T) instead of (T, B)
    x, lengths, y = collate_right(batch)
    return x.T, lengths, y


def collate_lengths_after_padding(batch):  # every length = T
    x, _, y = collate_right(batch)
    return x, torch.full((x.shape[1],), x.shape[0]), y


def collate_sorted(batch):  # sorts by length but leaves the labels in the old order
    batch_sorted = sorted(batch, key=lambda item: -len(item[0]))
    x, lengths, _ = collate_right(batch_sorted)
    return x, lengths, torch.tensor([label for _, label in batch])


def collate_pad_front(batch):  # padding before the name
    T = max(len(ids) for ids, _ in batch)
    x = torch.zeros(T, len(batch), dtype=torch.long)
    for b, (ids, _) in enumerate(batch):
        x[T - len(ids) :, b] = ids
    return x, torch.tensor([len(ids) for ids, _ in batch]), torch.tensor([y for _, y in batch])


def test_collate_checker_accepts_correct():
    assert check_collate(collate_right, quiet=True).status == "passed"


def test_collate_checker_rejects_wrong():
    for wrong in [
        collate_batch_first,
        collate_lengths_after_padding,
        collate_sorted,
        collate_pad_front,
    ]:
        assert check_collate(wrong, quiet=True).status == "failed", wrong.__name__


def test_collate_checker_stub_not_attempted(capsys):
    assert check_collate(stub).status == "not attempted"
    assert "not attempted yet" in capsys.readouterr().out


# ---------------------------------------------------------------- last_real_step


def last_right(out, lengths):
    return torch.stack([out[n - 1, b] for b, n in enumerate(lengths.tolist())])


def last_padded(out, lengths):  # the classic mistake: the last padded step
    return out[-1]


def last_off_by_one(out, lengths):  # out[lengths] runs one step too far (or off the end)
    return out[lengths.clamp(max=out.shape[0] - 1), torch.arange(out.shape[1])]


def last_first_step(out, lengths):
    return out[0]


def test_last_step_checker_accepts_correct():
    assert check_last_real_step(last_right, quiet=True).status == "passed"


def test_last_step_checker_rejects_wrong():
    for wrong in [last_padded, last_off_by_one, last_first_step]:
        assert check_last_real_step(wrong, quiet=True).status == "failed", wrong.__name__


def test_last_step_checker_stub_not_attempted():
    assert check_last_real_step(stub, quiet=True).status == "not attempted"
