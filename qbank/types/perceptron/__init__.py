"""Perceptrons: linear separability, feature maps and the perceptron learning rule."""
