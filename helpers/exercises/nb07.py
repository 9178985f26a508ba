"""Exercises of notebook 07 (see ``helpers.exercises``)."""
