"""Show a helper's source where it is taught, so code is never pasted twice."""

from __future__ import annotations

import inspect
from pathlib import Path


def show_source(obj) -> None:
    """Display the source code of a function (or module) from ``helpers``,
    syntax-highlighted, with the file it lives in."""
    from IPython.display import display

    if not (inspect.isfunction(obj) or inspect.ismodule(obj) or inspect.isclass(obj)):
        raise TypeError(
            f"show_source: expected a function, class or module, got {type(obj).__name__}"
        )
    source = inspect.getsource(obj).rstrip()
    path = Path(inspect.getsourcefile(inspect.unwrap(obj)))  # @checked: the function's own file
    where = f"{path.parent.name}/{path.name}"
    markdown = f"`{where}`\n```python\n{source}\n```"
    display({"text/markdown": markdown, "text/plain": f"# {where}\n{source}"}, raw=True)
