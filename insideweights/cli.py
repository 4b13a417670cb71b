"""The command line: ``render``, ``still`` and ``phases``.

Only this module knows about arguments, progress bars and exit codes.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import time
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

from tqdm import tqdm

from insideweights import __version__, jobs
from insideweights.options import (
    FrameRange,
    UsageError,
    parse_frame_index,
    parse_frame_range,
    parse_phase,
    parse_size,
    parse_time,
    parse_workers,
    require_even,
    require_fps_range,
)
from insideweights.out_option import check_png_folder, output_path
from insideweights.phases.reel import PHASES, TRANSITION_SECONDS, reel_timing
from insideweights.renderer.output_files import OutputPathError
from insideweights.renderer.sink import CONTAINERS, EncoderError
from insideweights.timeline import TimelineError, parse_fps

log = logging.getLogger("insideweights")

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_SIGINT = 130
EXIT_SIGTERM = 143


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line and exit with code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _add_picture_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--fps",
        default="60",
        help="frame rate: 60, 30, 24, 23.976, 29.97, 59.94 or a ratio like "
        "60000/1001 (default 60)",
    )
    parser.add_argument(
        "--size",
        default="1920x1080",
        help="WIDTHxHEIGHT or a preset: 720p, 1080p, 1440p, 2160p, vertical "
        "(1080x1920); default 1920x1080",
    )
    parser.add_argument(
        "--no-captions",
        action="store_true",
        help="drop the footer caption strip; the picture uses the whole frame",
    )
    _add_verbosity(parser)


def _add_verbosity(parser: argparse.ArgumentParser) -> None:
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument("--quiet", action="store_true", help="print only errors")
    verbosity.add_argument("--verbose", action="store_true", help="say more about each step")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="insideweights",
        description="Render the Inside Weights explainer reel (100 s, seven phases).",
    )
    parser.add_argument("--version", action="version", version=f"insideweights {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    render = commands.add_parser(
        "render",
        help="render the reel (or a part) to a video or PNGs",
        description="Render the reel, or part of it, to a file.",
    )
    _add_picture_options(render)
    render.add_argument(
        "--quality",
        choices=("draft", "standard", "high"),
        default="standard",
        help="encoder preset and quality (default standard)",
    )
    render.add_argument(
        "--format",
        choices=("mp4", "webm", "png"),
        default="mp4",
        help="mp4 (H.264), webm (VP9) or png (a folder of numbered frames)",
    )
    render.add_argument(
        "--out",
        help="output file (or folder for png); default "
        "insideweights.mp4 / .webm / insideweights_frames/",
    )
    part = render.add_mutually_exclusive_group()
    part.add_argument(
        "--frames", metavar="START:END", help="render only frames START..END-1 (END exclusive)"
    )
    part.add_argument("--phase", metavar="N", help="render only phase N (1-7)")
    render.add_argument(
        "--workers",
        default="1",
        metavar="N",
        help="render in N processes, each encoding a chunk (default 1)",
    )
    render.add_argument(
        "--reproducible",
        action="store_true",
        help="byte-identical files from run to run and for any --workers: pinned encoder "
        "threads and bit-exact muxing (VP9 also gives up row multithreading: slower)",
    )

    still = commands.add_parser(
        "still",
        help="render one frame to a PNG",
        description="Render a single frame to a PNG file.",
    )
    _add_picture_options(still)
    which = still.add_mutually_exclusive_group(required=True)
    which.add_argument("--frame", metavar="N", help="frame index at the chosen fps")
    which.add_argument("--time", metavar="SECONDS", help="time in seconds from the start")
    still.add_argument("--out", help="output PNG (default frame_NNNNNN.png)")

    sheet = commands.add_parser(
        "contact-sheet",
        help="render one still per phase and per wipe onto one PNG",
        description="Render the middle of every phase and every wipe midpoint as a grid.",
    )
    sheet.add_argument(
        "--out", default="contact_sheet.png", help="output PNG (default contact_sheet.png)"
    )
    sheet.add_argument("--tile", default="480x270", help="size of each tile (default 480x270)")
    _add_verbosity(sheet)

    phases = commands.add_parser(
        "phases",
        help="print the phase table",
        description="Print the phases with their times and frames.",
    )
    phases.add_argument("--fps", default="60", help="frame rate for the frame columns")
    return parser


def _configure_logging(args: argparse.Namespace) -> None:
    level = logging.INFO
    if getattr(args, "quiet", False):
        level = logging.WARNING
    elif getattr(args, "verbose", False):
        level = logging.DEBUG
    logging.basicConfig(level=level, format="%(message)s", stream=sys.stderr)


class Terminated(BaseException):
    """Raised in the main thread when SIGTERM arrives, so cleanup runs as for Ctrl-C."""


_SIGNALS_SEEN: list[int] = []
# Outputs this command has finished: a signal that lands after one is complete (while
# the summary is logged, say) must not claim that nothing was written.
_WRITTEN: list[Path] = []


def _raise_terminated(signum, frame) -> None:
    _SIGNALS_SEEN.append(signum)
    raise Terminated()


def _raise_interrupted(signum, frame) -> None:
    _SIGNALS_SEEN.append(signum)
    raise KeyboardInterrupt()


def _quiet_unraisable(unraisable) -> None:
    """Drop the signal exceptions that land in a C callback (e.g. llvmlite while Numba
    compiles): Python would print them as a traceback, though the signal is handled."""
    if issubclass(unraisable.exc_type, (KeyboardInterrupt, Terminated)):
        return
    sys.__unraisablehook__(unraisable)


def _picture(args: argparse.Namespace) -> tuple[Fraction, int, int]:
    fps = require_fps_range(parse_fps(args.fps, what="--fps"), args.fps)
    width, height = parse_size(args.size)
    return fps, width, height


def _default_out(container: str) -> Path:
    if container == "png":
        return Path("insideweights_frames")
    return Path(f"insideweights.{container}")


def _note_idle_workers(request: jobs.RenderRequest) -> None:
    """Say so when the range has fewer chunks than --workers asks for processes.

    Chunks start on keyframes and do not depend on the worker count (that is what
    keeps the frames identical to a one-worker render), so a short range may be a
    single chunk, rendered by this process alone.
    """
    chunks = jobs.plan_chunks(request)
    if request.workers > len(chunks):
        log.info(
            "note: %d frame(s) make %d chunk(s) of up to %d frames, so %d of the %d "
            "--workers will render",
            len(request.frames),
            len(chunks),
            max(len(chunk) for chunk in chunks),
            len(chunks),
            request.workers,
        )


def _progress_bar(total: int, args: argparse.Namespace):
    """A tqdm bar on stderr when it is a terminal (or with --verbose); in a pipe or a
    log, one plain line per tenth of the frames instead (none with --quiet)."""
    if not args.quiet and not sys.stderr.isatty() and not args.verbose:
        return _ProgressLines(total)
    show = not args.quiet and (sys.stderr.isatty() or args.verbose)
    return tqdm(
        total=total,
        unit="frame",
        disable=not show,
        file=sys.stderr,
        smoothing=0.05,
    )


class _ProgressLines:
    """Progress for logs: "frames 600/6000 (10%), 27.1 frames/s" at each tenth."""

    STEPS = 10

    def __init__(self, total: int) -> None:
        self.total, self.done, self.said = total, 0, 0
        self.started = time.perf_counter()

    def __enter__(self) -> _ProgressLines:
        return self

    def __exit__(self, *exc) -> None:
        pass

    def set_description(self, text: str, refresh: bool = True) -> None:
        pass

    def update(self, count: int) -> None:
        self.done += count
        step = self.done * self.STEPS // self.total
        if step > self.said and self.done < self.total:
            self.said = step
            rate = self.done / max(time.perf_counter() - self.started, 1e-9)
            log.info(
                "frames %d/%d (%d%%), %.1f frames/s",
                self.done,
                self.total,
                100 * self.done // self.total,
                rate,
            )


def run_render(args: argparse.Namespace) -> int:
    fps, width, height = _picture(args)
    timing = reel_timing(fps)
    if args.phase is not None:
        frames = jobs.phase_frames(timing, parse_phase(args.phase, len(PHASES)))
    elif args.frames is not None:
        frames = parse_frame_range(args.frames, timing.total_frames)
    else:
        frames = FrameRange(0, timing.total_frames)
    if args.format != "png":
        require_even(width, height)
    workers = parse_workers(args.workers, 2 * (os.cpu_count() or 1))
    suffixes = () if args.format == "png" else CONTAINERS[args.format].suffixes
    out = output_path(args.out, _default_out(args.format), suffixes, f"--format {args.format}")
    if args.format == "png":
        check_png_folder(out, frames)
    request = jobs.RenderRequest(
        fps,
        width,
        height,
        not args.no_captions,
        frames,
        out,
        args.format,
        args.quality,
        workers=workers,
        deterministic=args.reproducible,
    )
    _note_idle_workers(request)
    log.debug(
        "rendering frames %d..%d at %s fps, %dx%d, to %s",
        frames.start,
        frames.stop - 1,
        fps,
        width,
        height,
        out,
    )
    started = time.perf_counter()
    with _progress_bar(len(frames), args) as bar:

        def advance(index: int, phase: str) -> None:
            bar.set_description(phase, refresh=False)
            bar.update(1)

        jobs.render(request, advance)
    _WRITTEN.append(out)
    wall = time.perf_counter() - started
    log.info(
        "rendered %d frame(s) (%.2f s of video, %dx%d at %s fps) in %.1f s (%.1f frames/s)"
        " -> %s (%s)",
        len(frames),
        len(frames) / fps,
        width,
        height,
        fps,
        wall,
        len(frames) / wall if wall > 0 else 0.0,
        out,
        _size_text(out),
    )
    return EXIT_OK


def _size_text(out: Path) -> str:
    """The output's size on disk, for the summary line (a PNG folder counts its files)."""
    files = list(out.iterdir()) if out.is_dir() else [out]
    total = sum(f.stat().st_size for f in files if f.is_file())
    if total < 2**20:
        return f"{total / 2**10:.0f} KiB"
    return f"{total / 2**20:.1f} MiB"


def run_still(args: argparse.Namespace) -> int:
    fps, width, height = _picture(args)
    total = reel_timing(fps).total_frames
    if args.frame is not None:
        index = parse_frame_index(args.frame, total)
    else:
        index = parse_time(args.time, fps, total)
    out = output_path(args.out, Path(f"frame_{index:06d}.png"), (".png",), "a still")
    jobs.still(fps, width, height, not args.no_captions, index, out)
    _WRITTEN.append(out)
    log.info("frame %d (%.3f s) -> %s", index, index / fps, out)
    return EXIT_OK


def run_phases(args: argparse.Namespace) -> int:
    fps = require_fps_range(parse_fps(args.fps, what="--fps"), args.fps)
    timing = reel_timing(fps)
    print(f"{'#':>2}  {'phase':<26} {'start s':>8} {'end s':>8} {'frames':>13}  at {fps} fps")
    for index, phase in enumerate(PHASES):
        segment = timing.segment(index)
        print(
            f"{phase.number:>2}  {phase.name:<26} {float(segment.start_seconds):>8.3f} "
            f"{float(segment.end_seconds):>8.3f} "
            f"{segment.start_frame:>6}-{segment.end_frame - 1:<6}"
        )
    print(
        f"    total {float(timing.total_frames / fps):.3f} s, {timing.total_frames} frames; "
        f"wipes of {float(TRANSITION_SECONDS)} s centred on each boundary"
    )
    return EXIT_OK


MAX_TILE = (1920, 1080)


def run_contact_sheet(args: argparse.Namespace) -> int:
    from insideweights.contact_sheet import render_contact_sheet

    width, height = parse_size(args.tile, option="--tile")
    if width > MAX_TILE[0] or height > MAX_TILE[1]:
        raise UsageError(
            f"--tile must be at most {MAX_TILE[0]}x{MAX_TILE[1]} (the sheet holds "
            f"{len(PHASES) * 2 - 1} tiles), got {args.tile!r}"
        )
    out = output_path(args.out, Path("contact_sheet.png"), (".png",), "a contact sheet")
    out = render_contact_sheet(out, tile_width=width, tile_height=height)
    _WRITTEN.append(out)
    log.info("contact sheet -> %s", out)
    return EXIT_OK


COMMANDS = {
    "render": run_render,
    "still": run_still,
    "phases": run_phases,
    "contact-sheet": run_contact_sheet,
}


def _exit_code(error: BaseException, command: str) -> int:
    """Map what ended a command to its exit code and one line on stderr.

    A signal can surface as another exception: Ctrl-C while Numba compiles is
    swallowed by llvmlite and re-raised as a RuntimeError, so a signal seen during
    the command decides the outcome whatever exception arrives.
    """
    signum = _SIGNALS_SEEN[-1] if _SIGNALS_SEEN else None
    written = f"{_WRITTEN[-1]} was already complete" if _WRITTEN else "nothing was written"
    if isinstance(error, Terminated) or signum == signal.SIGTERM:
        print(f"insideweights {command}: terminated; {written}", file=sys.stderr)
        return EXIT_SIGTERM
    if isinstance(error, KeyboardInterrupt) or signum == signal.SIGINT:
        print(f"insideweights {command}: interrupted; {written}", file=sys.stderr)
        return EXIT_SIGINT
    if isinstance(error, (UsageError, TimelineError)):
        print(f"insideweights {command}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    if isinstance(error, (OutputPathError, EncoderError, OSError)):
        print(f"insideweights {command}: error: {error}", file=sys.stderr)
        return EXIT_FAILED
    raise error


# Options whose value may look like an option itself ("--fps -60", "--time -1"): argparse
# would answer "expected one argument"; glued as "--fps=-60", the value reaches the
# option's own check, which names the rule.
_VALUE_OPTIONS = ("--fps", "--size", "--frames", "--phase", "--frame", "--time", "--tile")


def _values_glued(argv: list[str]) -> list[str]:
    glued: list[str] = []
    for token in argv:
        if glued and glued[-1] in _VALUE_OPTIONS and token.startswith("-") and token != "--":
            glued[-1] = f"{glued[-1]}={token}"
        else:
            glued.append(token)
    return glued


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(_values_glued(sys.argv[1:] if argv is None else list(argv)))
    _configure_logging(args)
    _SIGNALS_SEEN.clear()
    _WRITTEN.clear()
    previous_term = signal.signal(signal.SIGTERM, _raise_terminated)
    previous_int = signal.signal(signal.SIGINT, _raise_interrupted)
    sys.unraisablehook = _quiet_unraisable
    try:
        return COMMANDS[args.command](args)
    except Exception as error:
        return _exit_code(error, args.command)
    except (KeyboardInterrupt, Terminated) as error:
        return _exit_code(error, args.command)
    finally:
        signal.signal(signal.SIGTERM, previous_term)
        signal.signal(signal.SIGINT, previous_int)
        sys.unraisablehook = sys.__unraisablehook__
