"""A character-level sequence classifier in PyTorch (notebook 09 and
``benchmarks/classifier.py``): data, model, training, evaluation.

Shapes follow PyTorch's recurrent layers, time-major like the rest of the course:
a padded batch of character indices ``x`` is ``(T, B)`` (``T`` = the longest
name in the batch, ``B`` = batch size), ``lengths`` is ``(B,)`` and the logits
are ``(B, C)`` for ``C`` classes. Index 0 is padding, index 1 an unknown
character.
"""

from __future__ import annotations

import copy
import math
import time
from collections import Counter
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from .progress import ProgressBar
from .repro import get_device
from .validate import check_range, checked

PAD, UNK = "<pad>", "<unk>"
PAD_INDEX, UNK_INDEX = 0, 1
RECURRENT_LAYERS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}
DATA = Path(__file__).resolve().parent.parent / "assets" / "names.tsv"


# ---------------------------------------------------------------- data


def load_tsv(path=DATA) -> tuple[list[str], list[str]]:
    """Read ``text<TAB>label`` lines; returns ``(texts, labels)``, two lists of str.

    A first line ``text<TAB>label`` is a header and skipped; blank lines are
    skipped. Any other line without exactly one tab, or with an empty text or
    label, is an error naming the line.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"load_tsv: no file at {path}")
    texts, labels = [], []
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip() or (number == 1 and line == "text\tlabel"):
                continue
            parts = line.split("\t")
            if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
                raise ValueError(
                    f"load_tsv: {path.name} line {number}: expected 'text<TAB>label', got {line!r}"
                )
            texts.append(parts[0])
            labels.append(parts[1].strip())
    if not texts:
        raise ValueError(f"load_tsv: {path} holds no rows")
    return texts, labels


def _check_texts_labels(texts, labels) -> None:
    if not isinstance(texts, (list, tuple)) or not all(isinstance(t, str) for t in texts):
        raise TypeError("texts: expected a list of strings")
    if not isinstance(labels, (list, tuple)) or len(labels) != len(texts):
        raise ValueError(
            f"labels: expected one label per text ({len(texts)}), got "
            f"{len(labels) if isinstance(labels, (list, tuple)) else type(labels).__name__}"
        )


def split_dataset(texts, labels, fractions=(0.8, 0.1, 0.1), seed: int = 0) -> dict:
    """Seeded, stratified split into ``{"train", "val", "test"}``, each ``(texts, labels)``.

    Within every label (in sorted order) the examples are sorted, shuffled
    with ``np.random.default_rng(seed)`` and cut by ``fractions``, so each
    split keeps the class proportions and the result is the same on every
    machine and for every input order.
    """
    _check_texts_labels(texts, labels)
    if len(fractions) != 3 or any(f < 0 for f in fractions) or abs(sum(fractions) - 1) > 1e-9:
        raise ValueError(
            f"fractions: expected three non-negative numbers summing to 1, got {fractions}"
        )
    check_range(seed, "seed", low=0, integer=True)
    rng = np.random.default_rng(seed)
    parts = {"train": [], "val": [], "test": []}
    by_label: dict[str, list[str]] = {}
    for t, y in zip(texts, labels):
        by_label.setdefault(y, []).append(t)
    for y in sorted(by_label):
        items = sorted(by_label[y])
        order = rng.permutation(len(items))
        n_val = int(round(fractions[1] * len(items)))
        n_test = int(round(fractions[2] * len(items)))
        n_train = len(items) - n_val - n_test
        cuts = {"train": order[:n_train], "val": order[n_train : n_train + n_val]}
        cuts["test"] = order[n_train + n_val :]
        for name, idx in cuts.items():
            parts[name] += [(items[i], y) for i in sorted(idx)]
    return {name: ([t for t, _ in rows], [y for _, y in rows]) for name, rows in parts.items()}


def build_vocab(texts) -> list[str]:
    """The sorted characters of ``texts``, after ``<pad>`` (index 0) and ``<unk>`` (1)."""
    _check_texts_labels(texts, list(texts))
    return [PAD, UNK] + sorted(set("".join(texts)))


def encode(text: str, vocab: list[str]) -> torch.Tensor:
    """Character indices of ``text``, shape ``(len(text),)``, int64; unknown characters -> 1."""
    if not isinstance(text, str):
        raise TypeError(f"text: expected a str, got {type(text).__name__}")
    index = {c: i for i, c in enumerate(vocab)}
    return torch.tensor([index.get(c, UNK_INDEX) for c in text], dtype=torch.long)


class NamesDataset(torch.utils.data.Dataset):
    """``(character indices (T_i,), class index)`` pairs, encoded once up front.

    classes: the sorted list of labels; ``classes[k]`` is class ``k``.
    """

    def __init__(self, texts, labels, vocab: list[str], classes: list[str]):
        _check_texts_labels(texts, labels)
        unknown = sorted(set(labels) - set(classes))
        if unknown:
            raise ValueError(f"labels: {unknown} not in classes {classes}")
        if any(len(t) == 0 for t in texts):
            raise ValueError("texts: an empty string cannot be classified")
        index = {c: k for k, c in enumerate(classes)}
        self.texts = list(texts)
        self.items = [(encode(t, vocab), index[y]) for t, y in zip(texts, labels)]

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]


def collate_batch(batch):
    """Pad a list of ``(ids (T_i,), label)`` pairs into one time-major batch.

    Returns ``x`` (T, B) int64 padded with 0 after each sequence, ``lengths``
    (B,) int64 (the real length of each sequence) and ``y`` (B,) int64,
    in the order given (``T = max(T_i)``).
    """
    if not batch:
        raise ValueError("collate_batch: expected a non-empty list of (ids, label) pairs")
    lengths = torch.tensor([len(ids) for ids, _ in batch], dtype=torch.long)
    if int(lengths.min()) == 0:
        raise ValueError("collate_batch: a sequence of length 0 cannot be classified")
    x = torch.full((int(lengths.max()), len(batch)), PAD_INDEX, dtype=torch.long)
    for b, (ids, _) in enumerate(batch):
        x[: len(ids), b] = ids
    y = torch.tensor([label for _, label in batch], dtype=torch.long)
    return x, lengths, y


def make_loader(dataset, batch_size: int = 128, shuffle: bool = False, seed: int = 0):
    """A ``DataLoader`` over ``dataset`` using ``collate_batch``; shuffling is seeded."""
    check_range(batch_size, "batch_size", low=1, integer=True)
    generator = torch.Generator().manual_seed(seed)
    return torch.utils.data.DataLoader(
        dataset,
        batch_size=batch_size,
        shuffle=shuffle,
        collate_fn=collate_batch,
        generator=generator,
    )


def prepare_data(path=DATA, seed: int = 0) -> dict:
    """Load a ``text<TAB>label`` file, split it and encode it: everything a run needs.

    Returns ``{"splits": split_dataset(...), "classes": sorted labels,
    "vocab": build_vocab(training texts), "datasets": {"train", "val", "test"}
    as ``NamesDataset``}``. The vocabulary comes from the training split only;
    characters seen only in validation or test become ``<unk>``.
    """
    texts, labels = load_tsv(path)
    splits = split_dataset(texts, labels, seed=seed)
    classes = sorted(set(labels))
    if len(classes) < 2:
        raise ValueError(f"{path}: expected at least two labels, got {classes}")
    vocab = build_vocab(splits["train"][0])
    datasets = {name: NamesDataset(t, y, vocab, classes) for name, (t, y) in splits.items()}
    return {"splits": splits, "classes": classes, "vocab": vocab, "datasets": datasets}


def last_real_step(out: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """Each sequence's output at its own last real step: ``out[lengths[b] - 1, b]``.

    out: (T, B, H) outputs of a recurrent layer run on a padded batch.
    lengths: (B,) real lengths, 1 <= lengths[b] <= T.
    Returns (B, H). (``out[-1]`` would be wrong: for a short sequence it is the
    state after reading padding.)
    """
    return out[lengths - 1, torch.arange(out.shape[1])]


# ---------------------------------------------------------------- model


class NameClassifier(nn.Module):
    """Embedding -> nn.RNN / nn.LSTM / nn.GRU -> last real hidden state -> Linear ``out``.

    forward(x (T, B) int64, lengths (B,)) -> logits (B, C). The padded batch is
    packed (``pack_padded_sequence``), so the recurrent layer stops at each
    sequence's own end and its final state ``h_n`` is the last *real* step.
    bidirectional: a second layer reads each name backwards; the classifier
    sees both final states side by side (2H numbers). pool: ``"last"`` classifies
    from the last real state, ``"max"`` from the largest value of each unit over
    all real steps. dropout: the share of embedding and classifier-input entries
    zeroed at random while training.
    """

    def __init__(
        self,
        vocab_size: int,
        num_classes: int,
        embed_dim: int = 32,
        hidden_size: int = 64,
        cell: str = "rnn",
        num_layers: int = 1,
        bidirectional: bool = False,
        dropout: float = 0.0,
        pool: str = "last",
    ):
        super().__init__()
        if pool not in ("last", "max"):
            raise ValueError(f"pool: expected 'last' or 'max', got {pool!r}")
        if cell not in RECURRENT_LAYERS:
            raise ValueError(f"cell: expected one of {sorted(RECURRENT_LAYERS)}, got {cell!r}")
        for value, name in [(vocab_size, "vocab_size"), (num_classes, "num_classes")]:
            check_range(value, name, low=2, integer=True)
        for value, name in [
            (embed_dim, "embed_dim"),
            (hidden_size, "hidden_size"),
            (num_layers, "num_layers"),
        ]:
            check_range(value, name, low=1, integer=True)
        check_range(dropout, "dropout", low=0, high=0.9)
        self.config = dict(
            vocab_size=vocab_size,
            num_classes=num_classes,
            embed_dim=embed_dim,
            hidden_size=hidden_size,
            cell=cell,
            num_layers=num_layers,
            bidirectional=bool(bidirectional),
            dropout=dropout,
            pool=pool,
        )
        self.embed = nn.Embedding(vocab_size, embed_dim, padding_idx=PAD_INDEX)
        between_layers = dropout if num_layers > 1 else 0.0
        self.rnn = RECURRENT_LAYERS[cell](
            embed_dim, hidden_size, num_layers, dropout=between_layers, bidirectional=bidirectional
        )
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(hidden_size * (2 if bidirectional else 1), num_classes)  # W_hy, b_y

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        packed = pack_padded_sequence(self.drop(self.embed(x)), lengths.cpu(), enforce_sorted=False)
        out, h_n = self.rnn(packed)  # h_n: (layers * directions, B, H), at the last real step
        if self.config["pool"] == "max":  # each unit's largest value over the real steps
            out, _ = pad_packed_sequence(out, padding_value=float("-inf"))  # (T, B, dirs * H)
            return self.out(self.drop(out.max(dim=0).values))
        if isinstance(h_n, tuple):  # an LSTM returns (h_n, c_n)
            h_n = h_n[0]
        if self.rnn.bidirectional:  # forward after the last letter, backward after the first
            h = torch.cat([h_n[-2], h_n[-1]], dim=1)
        else:
            h = h_n[-1]
        return self.out(self.drop(h))


def count_parameters(model: nn.Module) -> int:
    """Number of trainable parameters."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


# ---------------------------------------------------------------- training


def training_step(model, optimizer, x, lengths, y, clip: float = 1.0) -> float:
    """One update: cross-entropy of ``model(x, lengths)`` against ``y`` (B,),
    backward, clip the gradient norm to ``clip`` (0: no clipping), optimizer step.
    Returns the batch's mean loss."""
    optimizer.zero_grad()
    loss = nn.functional.cross_entropy(model(x, lengths), y)
    loss.backward()
    if clip > 0:
        nn.utils.clip_grad_norm_(model.parameters(), clip)
    optimizer.step()
    return loss.item()


def classifier_epochs(model, train_loader, val_loader, epochs, lr, clip, device):
    """The training loop of notebook 09, one epoch at a time (a generator).

    Each epoch: ``training_step`` on every batch of ``train_loader`` (Adam,
    cross-entropy, clipping), then the accuracy on ``val_loader``; it yields
    ``(mean training loss per name, validation accuracy)``. When the last epoch
    is done, the weights of the epoch with the best validation accuracy are put
    back (early stopping without stopping). ``train_classifier`` runs it with a
    progress bar and a timer.
    """
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    best_accuracy, best_weights = -1.0, None
    for _ in range(epochs):
        model.train()
        total, count = 0.0, 0
        for x, lengths, y in train_loader:
            loss = training_step(model, optimizer, x.to(device), lengths, y.to(device), clip)
            total, count = total + loss * len(y), count + len(y)
        accuracy = evaluate(model, val_loader, device)["accuracy"] if val_loader else float("nan")
        if accuracy > best_accuracy:  # model selection on the validation split
            best_accuracy, best_weights = accuracy, copy.deepcopy(model.state_dict())
        yield total / count, accuracy
    if best_weights is not None:
        model.load_state_dict(best_weights)


def _check_training(model, train_loader, val_loader, epochs, lr, clip, seed, progress, device):
    check_range(epochs, "epochs", low=1, integer=True)
    check_range(lr, "lr", low=0)
    check_range(clip, "clip", low=0)


@checked(_check_training)
def train_classifier(
    model: NameClassifier,
    train_loader,
    val_loader=None,
    epochs: int = 10,
    lr: float = 5e-3,
    clip: float = 1.0,
    seed: int = 0,
    progress: bool = True,
    device=None,
) -> dict:
    """Train with Adam and gradient-norm clipping: ``classifier_epochs`` with a
    progress bar, a timer and a record of every epoch.

    Returns ``{"train_loss": [per epoch], "val_accuracy": [per epoch; empty
    without ``val_loader``], "elapsed": [seconds since the start, at the end of
    each epoch], "best_epoch" (0-based, None without validation), "seconds"}``;
    the model keeps the weights of the best validation epoch. ``device``
    defaults to ``get_device()``. ``progress``: a bar counts the epochs, then
    one summary line is printed.
    """
    device = get_device() if device is None else torch.device(device)
    torch.manual_seed(seed)
    model.to(device)
    history = {"train_loss": [], "val_accuracy": [], "elapsed": [], "best_epoch": None}
    start = time.perf_counter()
    name = f"nn.{getattr(model, 'config', {}).get('cell', 'model').upper()}"
    bar = ProgressBar(epochs, name, unit="epoch", enabled=progress)
    loop = classifier_epochs(model, train_loader, val_loader, epochs, lr, clip, device)
    for loss, accuracy in loop:
        history["train_loss"].append(loss)
        history["elapsed"].append(time.perf_counter() - start)
        bar.update(1)
        if val_loader is not None:
            history["val_accuracy"].append(accuracy)
            bar.set_postfix(loss=f"{loss:.3f}", val_acc=f"{accuracy:.3f}")
    if val_loader is not None:
        history["best_epoch"] = int(np.argmax(history["val_accuracy"]))  # the first best
    history["seconds"] = time.perf_counter() - start
    summary = (
        f"{name}: {epochs} epoch{'s' if epochs > 1 else ''} ({epochs * len(train_loader)} batches) in "
        f"{history['seconds']:.1f} s, final training loss {history['train_loss'][-1]:.3f}"
    )
    if history["best_epoch"] is not None:
        best = history["best_epoch"]
        summary += (
            f", best validation accuracy {history['val_accuracy'][best]:.3f} (epoch {best + 1})"
        )
    bar.close(summary)
    return history


def train_per_example(
    model: NameClassifier,
    dataset: NamesDataset,
    epochs: int = 1,
    lr: float = 1e-3,
    clip: float = 1.0,
    seed: int = 0,
    progress: bool = True,
    device=None,
) -> dict:
    """The loop of introductory tutorials: one sequence per forward/backward/step.

    Same model, loss, optimizer (Adam) and clipping as ``train_classifier``, but
    no batching and no padding: every name is its own batch of one. Returns
    ``{"train_loss": [per epoch], "seconds"}``. For comparison only; it is slow.
    ``progress``: a bar counts the names, then one summary line is printed.
    """
    check_range(epochs, "epochs", low=1, integer=True)
    device = get_device() if device is None else torch.device(device)
    model.to(device)
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = {"train_loss": []}
    start = time.perf_counter()
    name = f"nn.{getattr(model, 'config', {}).get('cell', 'model').upper()}, one name per step"
    bar = ProgressBar(epochs * len(dataset), name, unit="name", enabled=progress)
    for _ in range(epochs):
        model.train()
        total = 0.0
        for i in torch.randperm(len(dataset), generator=generator).tolist():
            ids, label = dataset[i]
            x = ids.view(-1, 1).to(device)  # (T, 1)
            lengths = torch.tensor([len(ids)])
            y = torch.tensor([label], device=device)
            total += training_step(model, optimizer, x, lengths, y, clip)
            bar.update(1)
        history["train_loss"].append(total / len(dataset))
    history["seconds"] = time.perf_counter() - start
    bar.close(
        f"{name}: {epochs} epoch{'s' if epochs > 1 else ''} ({epochs * len(dataset)} steps) in "
        f"{history['seconds']:.1f} s, final training loss {history['train_loss'][-1]:.3f}"
    )
    return history


# ---------------------------------------------------------------- evaluation


@torch.no_grad()
def evaluate(model: NameClassifier, loader, device=None) -> dict:
    """Accuracy, per-class accuracy and the confusion matrix on ``loader``.

    Returns ``{"accuracy": float, "per_class": (C,) array (recall of each
    class; NaN for a class absent from the data), "confusion": (C, C) int
    array (row = true class, column = predicted), "probs": (N, C),
    "predictions": (N,), "targets": (N,)}``, in the loader's order.
    """
    device = next(model.parameters()).device if device is None else torch.device(device)
    model.eval()
    probs, targets = [], []
    for x, lengths, y in loader:
        probs.append(torch.softmax(model(x.to(device), lengths), dim=1).cpu())
        targets.append(y)
    probs = torch.cat(probs).numpy()
    targets = torch.cat(targets).numpy()
    predictions = probs.argmax(axis=1)
    c = model.config["num_classes"]
    confusion = np.zeros((c, c), dtype=np.int64)
    np.add.at(confusion, (targets, predictions), 1)
    support = confusion.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_class = np.where(support > 0, np.diag(confusion) / support, np.nan)
    return {
        "accuracy": float((predictions == targets).mean()),
        "per_class": per_class,
        "confusion": confusion,
        "probs": probs,
        "predictions": predictions,
        "targets": targets,
    }


def majority_baseline(train_labels, test_labels) -> tuple[str, float]:
    """The most common training label and the test accuracy of always predicting it."""
    if not train_labels or not test_labels:
        raise ValueError("majority_baseline: expected non-empty label lists")
    top = sorted(Counter(train_labels).items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return top, float(np.mean([y == top for y in test_labels]))


def paired_comparison(correct_a, correct_b) -> dict:
    """Compare two classifiers scored on the same N examples, name by name.

    correct_a, correct_b: (N,) bool, whether each model got example i right.
    Returns ``{"difference": accuracy of b - accuracy of a, "se": its standard
    error from the per-example differences d_i = b_i - a_i, sqrt(var(d) / N),
    "only_a", "only_b": how many examples only a (only b) gets right, "p":
    McNemar's exact two-sided p-value}``. Examples both models get right (or
    wrong) say nothing about which is better; McNemar's test asks whether the
    ``only_a + only_b`` disagreements split more unevenly than fair coin flips would.
    """
    a, b = np.asarray(correct_a, dtype=bool), np.asarray(correct_b, dtype=bool)
    d = b.astype(float) - a.astype(float)
    only_a, only_b = int(np.sum(a & ~b)), int(np.sum(b & ~a))
    n, k = only_a + only_b, min(only_a, only_b)
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2**n if n else 0.5
    return {
        "difference": float(d.mean()),
        "se": float(d.std(ddof=1) / np.sqrt(len(d))),
        "only_a": only_a,
        "only_b": only_b,
        "p": min(1.0, 2 * tail),
    }


@torch.no_grad()
def predict_topk(
    model: NameClassifier, text: str, vocab: list[str], classes: list[str], k: int = 3
):
    """The ``k`` most probable classes for ``text``: ``[(class, probability), ...]``.

    Characters the model never saw count as ``<unk>``; an empty (or all
    whitespace) text raises ValueError.
    """
    if not isinstance(text, str):
        raise TypeError(f"text: expected a str, got {type(text).__name__}")
    text = text.strip()
    if not text:
        raise ValueError("text: expected at least one character, got an empty string")
    check_range(k, "k", low=1, high=len(classes), integer=True)
    device = next(model.parameters()).device
    model.eval()
    ids = encode(text, vocab).view(-1, 1).to(device)
    probs = torch.softmax(model(ids, torch.tensor([ids.shape[0]])), dim=1)[0].cpu()
    top = torch.topk(probs, k)
    return [(classes[int(i)], float(p)) for p, i in zip(top.values, top.indices)]


@torch.no_grad()
def prefix_probabilities(model: NameClassifier, text: str, vocab: list[str]) -> np.ndarray:
    """P(class | the first t characters of ``text``) for t = 1..len(text): shape (T, C).

    All T prefixes go through the model as one padded batch (column t - 1 holds
    the first t characters). An empty text gives a (0, C) array.
    """
    ids = encode(text, vocab)
    T = len(ids)
    if T == 0:
        return np.zeros((0, model.config["num_classes"]))
    model.eval()
    device = next(model.parameters()).device
    steps = torch.arange(T)
    x = torch.where(steps[:, None] <= steps[None, :], ids[:, None], PAD_INDEX)  # (T, T)
    logits = model(x.to(device), steps + 1)
    return torch.softmax(logits, dim=1).cpu().numpy()


# ---------------------------------------------------------------- the n-gram baseline

START, END = "^", "$"  # markers: "^K" is a first letter, "i$" a last one


def char_ngrams(text: str, n_max: int = 4) -> list[str]:
    """Every substring of length 1..n_max of ``^text$`` (with repeats):
    ``char_ngrams("Vos", 2)`` -> ``['^', 'V', 'o', 's', '$', '^V', 'Vo', 'os', 's$']``."""
    padded = START + text + END
    return [padded[i : i + n] for n in range(1, n_max + 1) for i in range(len(padded) - n + 1)]


def _check_naive_bayes(texts, labels, classes, alpha, n_max) -> None:
    _check_texts_labels(texts, labels)
    check_range(alpha, "alpha", low=1e-12)
    check_range(n_max, "n_max", low=1, integer=True)


@checked(_check_naive_bayes)
def fit_naive_bayes(texts, labels, classes, alpha: float = 0.1, n_max: int = 4) -> dict:
    """A multinomial naive Bayes on character n-grams, fitted by counting.

    log P(c) = log(share of training names in class c); log P(g | c) =
    log((count of n-gram g in class c + alpha) / (all n-grams of c + alpha G)),
    G = number of distinct training n-grams. Returns ``{"log_prior": (C,),
    "log_likelihood": (C, G), "index": {n-gram: column}, "n_max": n_max}``.
    """
    grams = [char_ngrams(t, n_max) for t in texts]
    index = {g: j for j, g in enumerate(sorted({g for gs in grams for g in gs}))}
    row = {c: k for k, c in enumerate(classes)}
    counts = np.zeros((len(classes), len(index)))
    for gs, y in zip(grams, labels):
        np.add.at(counts[row[y]], [index[g] for g in gs], 1)
    prior = np.bincount([row[y] for y in labels], minlength=len(classes)) / len(labels)
    smoothed = counts + alpha
    return {
        "log_prior": np.log(prior),
        "log_likelihood": np.log(smoothed / smoothed.sum(axis=1, keepdims=True)),
        "index": index,
        "n_max": n_max,
    }


def naive_bayes_log_posterior(text: str, nb: dict) -> np.ndarray:
    """log P(c | text) for every class, shape (C,): the prior plus the log-likelihood
    of each n-gram of ``text`` seen in training (unseen ones carry no evidence),
    normalised with log-sum-exp."""
    ids = [nb["index"][g] for g in char_ngrams(text, nb["n_max"]) if g in nb["index"]]
    scores = nb["log_prior"] + nb["log_likelihood"][:, ids].sum(axis=1)
    return scores - np.logaddexp.reduce(scores)


def naive_bayes_accuracy(nb: dict, texts, labels, classes) -> float:
    """Share of ``texts`` whose most probable class is their label."""
    predicted = [classes[int(np.argmax(naive_bayes_log_posterior(t, nb)))] for t in texts]
    return float(np.mean([p == y for p, y in zip(predicted, labels)]))


def tune_naive_bayes(
    splits: dict, classes, alphas=(0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0), n_max: int = 4
):
    """Fit on ``splits["train"]`` for each smoothing ``alpha``, keep the one with the best
    validation accuracy. Returns ``(nb, {alpha: validation accuracy})``."""
    models, scores = {}, {}
    for alpha in alphas:
        models[alpha] = fit_naive_bayes(*splits["train"], classes, alpha, n_max)
        scores[alpha] = naive_bayes_accuracy(models[alpha], *splits["val"], classes)
    best = max(scores, key=scores.get)  # the first (smallest) alpha on a tie
    return models[best], scores


# ---------------------------------------------------------------- save / load


def save_model(path, model: NameClassifier, vocab: list[str], classes: list[str]) -> Path:
    """Save weights, architecture, vocabulary and class names in one file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    torch.save(
        {
            "config": model.config,
            "state_dict": state,
            "vocab": list(vocab),
            "classes": list(classes),
        },
        path,
    )
    return path


def load_model(path, device=None) -> tuple[NameClassifier, list[str], list[str]]:
    """Rebuild a model saved by ``save_model``; returns ``(model, vocab, classes)`` in eval mode."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"load_model: no file at {path}")
    saved = torch.load(path, map_location="cpu", weights_only=True)
    model = NameClassifier(**saved["config"])
    model.load_state_dict(saved["state_dict"])
    model.to(get_device() if device is None else torch.device(device)).eval()
    return model, saved["vocab"], saved["classes"]
