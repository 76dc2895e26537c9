"""Convolutional networks: output sizes, parameter counts, convolution and pooling."""
