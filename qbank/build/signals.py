"""SIGINT, SIGTERM and SIGHUP as an exception, so a build can clean up before it exits.

Python's default SIGTERM and SIGHUP end the process on the spot: the TeX
workers would go on typesetting into a hidden folder nobody removes.  Inside
``stop_on_signals()`` each of the three raises ``Interrupted`` in the main
thread instead; the build's ``except``/``finally`` blocks kill TeX and remove
the partial folder, and the CLI prints one line and exits with 128 + the
signal number (130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP), as a shell
reports a process that the signal ended.

``Interrupted`` is not a ``KeyboardInterrupt``: click turns that into an
"Aborted!" of its own, and code that treats Ctrl-C as "stop asking" (the
drill) must not swallow a SIGTERM.  Once one signal has been raised, further
ones are ignored until the block ends, so a second Ctrl-C cannot cut the
clean-up (well under a second) short; SIGKILL remains, and the next build
sweeps what it leaves (see ``folders``).  A signal the parent set to be
ignored (``nohup``, a background job of a script) stays ignored.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator

STOPPING_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Interrupted(BaseException):
    """A stopping signal arrived; ``exit_code`` is the shell's 128 + signal number."""

    def __init__(self, signum: int, outcome: str = ""):
        super().__init__(signum, outcome)
        self.signum = signum
        self.outcome = outcome

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    def __str__(self) -> str:
        name = signal.Signals(self.signum).name
        return f"interrupted by {name}" + (f"; {self.outcome}" if self.outcome else "")


@contextmanager
def stop_on_signals(outcome: str = "") -> Iterator[None]:
    """Raise ``Interrupted(signum, outcome)`` on the first stopping signal inside the block.

    ``outcome`` completes the message ("nothing was written").  Outside the
    main thread, where Python cannot handle signals, the block runs as is.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    raised = False

    def handler(signum, frame):
        nonlocal raised
        if raised:
            return  # already stopping: let the clean-up finish
        raised = True
        raise Interrupted(signum, outcome)

    previous = {}
    for signum in STOPPING_SIGNALS:
        if signal.getsignal(signum) is not signal.SIG_IGN:
            previous[signum] = signal.signal(signum, handler)
    try:
        yield
    finally:
        for signum, old in previous.items():
            if old is not None:  # None: a handler set outside Python, which cannot be restored
                signal.signal(signum, old)
