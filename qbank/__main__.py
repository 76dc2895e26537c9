"""Allows ``python -m qbank``."""

from qbank.cli import main

main()
