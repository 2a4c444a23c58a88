"""Importing sqlite-utils without numpy.

sqlite-utils imports numpy at module level when it is installed (to store numpy
values), and numpy is installed now for finding papers by meaning: every
command that writes (``star``, ``tag``, an import, the app's first write) would
pay 60-100 ms for a module nothing of ours asks sqlite-utils to use. While
sqlite-utils loads, numpy is hidden, unless something already imported it.
"""

from __future__ import annotations

import sys
import threading

_LOCK = threading.Lock()


def load_sqlite_utils() -> None:
    """Import sqlite-utils (once) with numpy hidden from it; call before ``import sqlite_utils``.

    The model's loader calls this before it imports numpy, under the same
    lock, so another thread never finds numpy hidden.
    """
    if "sqlite_utils" in sys.modules:
        return
    with _LOCK:
        if "sqlite_utils" in sys.modules:
            return
        hide = "numpy" not in sys.modules
        if hide:
            sys.modules["numpy"] = None  # type: ignore[assignment]  # makes `import numpy` fail
        try:
            import sqlite_utils  # noqa: F401
        finally:
            if hide and sys.modules.get("numpy", 0) is None:
                del sys.modules["numpy"]


def numpy_lock() -> threading.Lock:
    """The lock to hold while importing numpy for the first time (see :func:`load_sqlite_utils`)."""
    return _LOCK
