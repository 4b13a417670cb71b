import os
import sys


def _interrupted(error: BaseException | None) -> bool:
    """Whether a KeyboardInterrupt is this exception or caused it (an import hook may
    wrap it: 'The above exception was the direct cause of ...')."""
    while error is not None:
        if isinstance(error, KeyboardInterrupt):
            return True
        error = error.__cause__ or error.__context__
    return False


try:
    # Importing pulls in numba, skia and numpy (about a second): Ctrl-C in that time
    # must end the program like Ctrl-C later does, with one line, not a traceback.
    from insideweights.cli import main
except BaseException as error:
    if not _interrupted(error):
        raise
    print("insideweights: interrupted; nothing was written", file=sys.stderr, flush=True)
    # Nothing has been opened or started yet; leave at once, so that interpreter
    # shutdown cannot turn the handled interrupt back into death by SIGINT.
    os._exit(130)

raise SystemExit(main())
