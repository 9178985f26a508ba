"""Exercises of notebook 02 (see ``helpers.exercises``)."""
