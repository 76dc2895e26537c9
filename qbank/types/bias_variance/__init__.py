"""Generalisation: the bias-variance decomposition of the expected error."""
