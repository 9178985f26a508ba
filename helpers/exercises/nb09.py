"""Exercises of notebook 09 (see ``helpers.exercises``)."""
