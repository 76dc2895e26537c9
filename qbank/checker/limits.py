"""How much of a typed answer the checker reads, so every answer gets a verdict at once.

Anyone can type anything into ``qbank check``, ``qbank drill`` or a practice
page, and the parser and the evaluator are recursive: 10,000 parentheses,
5,000 minus signs or ``2^2^...^2`` used to end in a RecursionError traceback.
So a response longer than ``MAX_LENGTH`` characters is refused before it is
read at all, and one nested deeper than ``MAX_DEPTH`` levels -- brackets
(a function's too), signs and exponents, counted along any path into the
expression -- is refused while it is read, before any recursion gets deep.

Both bounds are far above any real answer (the longest modelled form,
``(exp(x) - exp(-x))/(exp(x) + exp(-x))``, is 37 characters and 3 levels
deep) and far below Python's recursion limit of 1,000 frames (the parser
takes at most 6 frames a level).  ``qbank/practice/checker.js`` applies the
same bounds with the same messages; ``tests/data/checker_cases.json`` holds
cases at and beyond both.
"""

MAX_LENGTH = 2000
MAX_DEPTH = 50
TOO_LONG = f"Too long (at most {MAX_LENGTH} characters)."
TOO_DEEP = f"Too deeply nested (at most {MAX_DEPTH} levels of brackets, signs and powers)."
