"""Loss functions: cross-entropy, entropy, focal loss and their gradients."""
