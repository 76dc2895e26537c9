"""Conceptual questions: pools of items written as data (pools/*.yaml), one type per topic."""
