"""Activation functions: sigmoid, tanh, GELU and softmax, their values and identities."""
