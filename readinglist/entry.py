"""The ``readinglist`` command (and ``python -m readinglist``), started as cheaply as it can be.

A plain search is a process of a tenth of a second, most of it start-up, so
for that command alone (see :func:`readinglist.cli_quick.quick_search_args`):

- the cyclic garbage collector stays off: loading the modules would run it
  several times over objects that all live to the end, and a search makes
  little garbage (its answer is at most ``--limit`` papers);
- the process ends with ``os._exit`` once the output is flushed: the library
  is closed by then, and tearing the interpreter down (a last collection,
  every module cleared) only costs time. Measured together, about a fifth of
  the CPU time of a search at 100k papers (docs/performance.md).

Every other command, the app first of all, runs as usual.
"""

import gc
import os
import sys


def main() -> int:
    """Run the command line; a plain search does not return (it exits the process)."""
    argv = sys.argv[1:]
    from readinglist.cli_quick import quick_search_args

    if quick_search_args(argv) is None:
        from readinglist.cli import main as run

        return run(argv)
    gc.disable()
    from readinglist.cli import main as run

    code = run(argv)
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        pass  # the reader (`head`) has gone: as in the command itself, not an error
    try:
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # ValueError: stderr was closed after a broken pipe
        pass
    os._exit(code)
