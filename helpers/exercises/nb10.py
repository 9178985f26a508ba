"""Exercises of notebook 10 (see ``helpers.exercises``)."""
