"""Gradient flow through deep and recurrent networks: vanishing and exploding scales."""
