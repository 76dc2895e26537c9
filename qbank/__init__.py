"""qbank: randomised deep-learning exam questions with worked solutions.

Each question type samples fresh numbers from a seeded generator, solves them,
and renders question and solution through Jinja2 LaTeX templates.
"""

__version__ = "0.1.0"
