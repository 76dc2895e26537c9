"""Logistic regression: cross-entropy gradients and gradient-descent steps."""
