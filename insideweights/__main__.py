import sys

try:
    # Importing pulls in numba, skia and numpy (about a second): Ctrl-C in that time
    # must end the program like Ctrl-C later does, with one line, not a traceback.
    from insideweights.cli import main
except KeyboardInterrupt:
    print("insideweights: interrupted; nothing was written", file=sys.stderr)
    raise SystemExit(130) from None

raise SystemExit(main())
