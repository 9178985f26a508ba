"""The figures and the live demo of notebook 09 (a sequence classifier in PyTorch)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..classifier import predict_topk, prefix_probabilities
from ..plotting import COLORS, live_figure, new_figure


def plot_padding_drift(distance, lengths, names):
    """How far each name's hidden state wanders once the layer reads padding.

    distance: (T, B) ``||h_t - h_{T_b}||`` for every step t of the padded batch
    and every name b; lengths: (B,) real lengths; names: the B names. Thin lines
    while a name is read, bold lines on its padding, a circle at its last real
    step (distance 0) and an X at ``out[-1]``. Returns the figure.
    """
    distance, lengths = np.asarray(distance), np.asarray(lengths)
    steps = np.arange(1, distance.shape[0] + 1)
    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    for b, n in enumerate(names):
        color, end = list(COLORS.values())[b], int(lengths[b])
        ax.plot(steps[:end], distance[:end, b], color=color, alpha=0.3, lw=1)  # reading the name
        ax.plot(
            steps[end - 1 :],
            distance[end - 1 :, b],
            color=color,
            lw=2.5,
            marker=".",
            label=f"{n} (length {end})",
        )  # reading padding
        ax.plot(end, 0, "o", color=color, markersize=10, mfc="none")
        ax.plot(steps[-1], distance[-1, b], "X", color=color, markersize=9)
    ax.set_xlabel(f"time step t of the padded batch (T = {len(steps)})")
    ax.set_ylabel(r"$\|h_t - h_{T_b}\|$")
    ax.set_title("Distance from each name's true final state: o = its last real step, X = out[-1]")
    ax.legend(title="bold: steps on padding", loc="upper left", bbox_to_anchor=(1.01, 1))
    return fig


def plot_training_curves(histories, nb_val_accuracy, majority_accuracy):
    """Training loss and validation accuracy per epoch, one line per model.

    histories: ``{model name: train_classifier's history}``; nb_val_accuracy:
    the naive Bayes validation accuracy (a dash-dotted line); majority_accuracy:
    the majority baseline (dashed). Returns the figure.
    """
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(9, 3.4))
    for name, history in histories.items():
        epochs = np.arange(1, len(history["train_loss"]) + 1)
        ax_loss.plot(epochs, history["train_loss"], marker=".", label=name)
        ax_acc.plot(epochs, history["val_accuracy"], marker=".", label=name)
    ax_acc.axhline(nb_val_accuracy, color="black", ls="-.", lw=1.2, label="n-gram naive Bayes")
    ax_acc.axhline(majority_accuracy, color=COLORS["grey"], ls="--", label="majority baseline")
    ax_loss.set(xlabel="epoch", ylabel="cross-entropy (nats)", title="Training loss")
    ax_acc.set(xlabel="epoch", ylabel="accuracy", title="Validation accuracy", ylim=(0, 1))
    ax_loss.legend()
    ax_acc.legend(loc="lower right", fontsize=8)
    return fig


def plot_per_class(per_class, nb_per_class, confusion, classes, name):
    """Per-class accuracy of a network beside naive Bayes, and the network's confusion matrix.

    per_class, nb_per_class: (C,) accuracy on each language's test names;
    confusion: (C, C) counts, row = true language, column = predicted; classes:
    the C names; name: the network's name. Bars are sorted by the network's
    accuracy; matrix cells are coloured by the share of their row. Returns the figure.
    """
    per_class, nb_per_class = np.asarray(per_class), np.asarray(nb_per_class)
    rates = confusion / confusion.sum(axis=1, keepdims=True)
    fig, (ax_bar, ax_cm) = plt.subplots(1, 2, figsize=(9, 4.4), width_ratios=[1, 1.4])
    order = np.argsort(per_class)
    ypos = np.arange(len(classes))
    ax_bar.barh(ypos + 0.2, per_class[order], height=0.4, color=COLORS["blue"], label=name)
    ax_bar.barh(
        ypos - 0.2,
        nb_per_class[order],
        height=0.4,
        color=COLORS["grey"],
        label="n-gram naive Bayes",
    )
    ax_bar.set_yticks(ypos, np.array(classes)[order])
    ax_bar.set(
        xlim=(0, 1),
        xlabel="accuracy on that language's test names",
        ylabel="true language",
        title="Per-class accuracy",
    )
    ax_bar.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2, fontsize=8)
    im = ax_cm.imshow(rates, cmap="Blues", vmin=0, vmax=1)
    ax_cm.grid(False)
    ax_cm.set_xticks(range(len(classes)), classes, rotation=45, ha="right")
    ax_cm.set_yticks(range(len(classes)), classes)
    for i in range(len(classes)):
        for j in range(len(classes)):
            if confusion[i, j]:
                color = "white" if rates[i, j] > 0.5 else "black"
                ax_cm.text(j, i, confusion[i, j], ha="center", va="center", fontsize=7, color=color)
    ax_cm.set(
        xlabel="predicted language", ylabel="true language", title=f"Confusion matrix ({name})"
    )
    fig.colorbar(im, ax=ax_cm, label="share of the true language's names")
    return fig


def letter_by_letter_demo(model, name, vocab, classes, value="Kowalczyk", max_shown=16):
    """A text box and a (C, max_shown) picture: column t is P(language | the first t
    letters), from ``prefix_probabilities`` (one padded batch of every prefix), with
    the most probable language marked; the title gives the top three for the whole
    name (``predict_topk``). Longer names show their first ``max_shown`` letters.

    model: a trained ``NameClassifier``; name: its name in the title; vocab,
    classes: its vocabulary and class names; value: the name shown first.
    The letters sit under the columns as texts, not tick labels, so an update
    redraws only the picture, the marks and the texts.
    """
    import ipywidgets as widgets

    fig, ax = new_figure(width=7.2, height=3.4)
    grid = np.full((len(classes), max_shown), np.nan)
    image = ax.imshow(grid, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    ax.grid(False)
    ax.set_yticks(range(len(classes)), classes)
    ax.set_xticks(range(max_shown), [""] * max_shown)
    ax.set_ylabel("language")
    ax.set_xlabel("after this letter (each column sees only the letters up to it)", labelpad=14)
    fig.colorbar(image, ax=ax, label="P(language | first t letters)", shrink=0.9)
    letters = [
        ax.text(i, -0.02, "", transform=ax.get_xaxis_transform(), ha="center", va="top")
        for i in range(max_shown)
    ]
    marks = ax.plot([], [], "o", color=COLORS["orange"], ms=5, label="most probable")[0]
    title = ax.set_title(" ")
    known = set(vocab[2:])

    def update(surname):
        text = surname.strip()
        shown = text[:max_shown]
        p = prefix_probabilities(model, shown, vocab)  # (t, C); (0, C) for an empty text
        grid[:] = np.nan
        grid[:, : len(shown)] = p.T
        image.set_data(grid)
        for i, letter in enumerate(letters):
            letter.set_text(shown[i] if i < len(shown) else "")
        marks.set_data(np.arange(len(shown)), p.argmax(axis=1) if len(shown) else [])
        if not text:
            title.set_text("Type a surname")
            return "Nothing to classify yet."
        if len(text) == len(shown):  # the last column already holds the whole name
            best = np.argsort(-p[-1], kind="stable")[:3]
            top = [(classes[k], p[-1, k]) for k in best]
        else:
            top = predict_topk(model, text, vocab, classes, k=3)
        title.set_text(f"{name}: " + ", ".join(f"{c} {q:.0%}" for c, q in top))
        notes = []
        unknown = sorted(set(text) - known)
        if unknown:
            notes.append(f"never-seen characters {''.join(unknown[:10])!r} are read as &lt;unk&gt;")
        if len(text) > max_shown:
            notes.append(
                f"the first {max_shown} of {len(text)} letters are drawn; the title uses all"
            )
        if len(text) > 24:
            notes.append("training names have at most 24 characters, so this is extrapolation")
        return "; ".join(notes)

    live_figure(
        fig,
        update,
        {"surname": widgets.Text(value=value, description="surname")},
        title="Which language is this surname, letter by letter?",
    )
