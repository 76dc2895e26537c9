"""Backpropagation: Jacobians of layer compositions and gradients by the chain rule."""
