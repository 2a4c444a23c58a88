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
    os._exit(_flushed(code))


def _flushed(code: int) -> int:
    """Flush what the command wrote (``os._exit`` would drop it); the exit status to leave with."""
    for stream in (sys.stdout, sys.stderr):
        if stream is None or stream.closed:  # no stdout at all, or stderr closed after a broken pipe
            continue
        try:
            stream.flush()
        except BrokenPipeError:
            pass  # the reader (`head`) has gone: as in the command itself, not an error
        except OSError as exc:  # a full disk: say so, as Python's own exit would (in one line)
            if stream is sys.stdout and sys.stderr is not None and not sys.stderr.closed:
                print(f"readinglist: cannot write the output: {exc.strerror or exc}", file=sys.stderr)
                sys.stderr.flush()
            return 1
    return code
