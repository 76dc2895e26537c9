"""Transformers: feed-forward blocks and encoder-layer parameter counts."""
