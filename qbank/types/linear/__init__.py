"""Linear layers: what stacking them without activations computes."""
