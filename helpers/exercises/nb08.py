"""Exercises of notebook 08 (see ``helpers.exercises``)."""
