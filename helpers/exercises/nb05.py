"""Exercises of notebook 05 (see ``helpers.exercises``)."""
