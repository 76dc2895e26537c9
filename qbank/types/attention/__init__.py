"""Attention: projection sizes, parameter counts, scores and weights."""
