"""Exercises of notebook 04 (see ``helpers.exercises``)."""
