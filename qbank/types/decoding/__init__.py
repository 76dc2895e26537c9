"""Decoding: greedy and beam search over token probabilities."""
