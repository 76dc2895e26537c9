"""Retrieval metrics: precision, recall and average precision of ranked results."""
