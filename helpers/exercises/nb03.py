"""Exercises of notebook 03 (see ``helpers.exercises``)."""
