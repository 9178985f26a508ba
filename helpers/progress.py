"""Progress bars for training loops that read right in a saved notebook."""

from __future__ import annotations


class ProgressBar:
    """A tqdm bar while a loop runs, replaced by one plain line when it ends.

    ``update(n)`` and ``set_postfix(**values)`` work as in tqdm;
    ``close(summary)`` removes the bar and shows ``summary`` instead. In Jupyter
    the bar is a widget shown through a display handle, and ``close`` replaces
    that output with the summary as plain text: a saved notebook then reads
    right in every viewer (one without widgets, such as GitHub, would show the
    bar's first state, 0 %). In a terminal the text bar is cleared and the
    summary printed. With ``enabled=False`` nothing is shown or printed.
    Used by ``helpers.classifier.train_classifier``, ``train_per_example`` and
    ``helpers.adding.train_adding``.
    """

    def __init__(self, total: int, desc: str = "", unit: str = "it", enabled: bool = True):
        self.bar, self.handle = None, None
        if not enabled:
            return
        from tqdm.auto import tqdm
        from tqdm.notebook import tqdm_notebook

        options = dict(total=total, desc=desc, unit=unit, leave=False, mininterval=0.5)
        if issubclass(tqdm, tqdm_notebook):  # Jupyter: show the widget through a handle
            from IPython.display import display

            self.bar = tqdm(display=False, **options)
            self.handle = display(self.bar.container, display_id=True)
        else:
            self.bar = tqdm(**options)

    def update(self, n: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def set_postfix(self, **values) -> None:
        if self.bar is not None:
            self.bar.set_postfix(values)

    def close(self, summary: str) -> None:
        if self.bar is None:
            return
        self.bar.close()
        if self.handle is not None:  # replace the widget by plain text
            self.handle.update({"text/plain": summary}, raw=True)
        else:
            print(summary, flush=True)
        self.bar = None
