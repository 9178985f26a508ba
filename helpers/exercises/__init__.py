"""Every exercise of the course, in one registry.

    from helpers.exercises import EXERCISES
    ex = EXERCISES["04-bptt-loop"]
    ex.check(my_function)   # runs it against the reference, prints a verdict
    ex.hint()               # the next hint, one more each call
    ex.solution()           # the reference (its source) or a worked answer
    progress(4)             # which exercises of notebook 04 passed in this kernel

Ids start with the notebook's number. Each notebook's exercises are defined
in ``nbNN.py`` beside this file, next to nothing else; the machinery they use
(``Exercise``, ``register``) is in ``core.py``. The references are the
functions that ``helpers`` teaches, so what the checker compares against is
what the notebook shows once the exercise is done.
"""

# Each notebook's exercises, in course order (importing a module registers them;
# a new notebook's module is one more name in this line).
from . import nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08, nb09, nb10, nb11  # noqa: F401
from .core import EXERCISES, Exercise, progress, register

__all__ = ["EXERCISES", "Exercise", "progress", "register"]
