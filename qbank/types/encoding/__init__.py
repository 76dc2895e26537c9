"""Positional encodings: sinusoidal position vectors."""
