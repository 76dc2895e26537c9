"""The one exception type that reaches the user as a one-line message.

Anything raised as ``QbankError`` is the user's to fix (a bad spec, an unknown
type id, a TeX error in their instructions); the CLI prints it on one line and
exits with ``exit_code``.  Any other exception is a bug in qbank.
"""


class QbankError(Exception):
    """A problem with the user's input or environment, reported in one line."""

    exit_code = 2


class BuildError(QbankError):
    """A build step (TeX compile, file move) failed after validation passed."""

    exit_code = 1


class PinnedParamError(QbankError):
    """A pinned parameter of the wrong type or shape; ``key`` is its path in ``params``."""

    def __init__(self, type_id: str, key: str, message: str, cross_key: bool = False):
        super().__init__(f"{type_id}: {key}: {message}" if key else f"{type_id}: {message}")
        self.type_id = type_id
        self.key = key
        self.message = message
        self.cross_key = cross_key
