"""Counting trainable parameters of fully connected layers and networks."""
