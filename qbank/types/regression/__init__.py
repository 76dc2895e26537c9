"""Linear regression: regularised least squares and its closed-form minimiser."""
