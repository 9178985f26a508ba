"""Exercises of notebook 06 (see ``helpers.exercises``)."""
