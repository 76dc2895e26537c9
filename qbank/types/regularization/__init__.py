"""Regularisation: dropout and its scaling, expected activity and thinned networks."""
