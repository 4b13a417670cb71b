"""Parsing and checking of user-facing values: sizes, frame ranges, phases.

Each parser raises :class:`UsageError` with one line that names the option,
the value received and the rule it broke.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

SIZE_PRESETS = {
    "720p": (1280, 720),
    "1080p": (1920, 1080),
    "1440p": (2560, 1440),
    "2160p": (3840, 2160),
    "4k": (3840, 2160),
    "vertical": (1080, 1920),
}
MAX_SIDE = 8192
MIN_FPS = 1
MAX_FPS = 1000
MIN_SIDE = 16
# Containers and encoders store the frame rate as a ratio of (at most 32-bit) integers;
# keeping both terms small keeps the rate the file states exactly the one asked for.
MAX_RATE_TERM = 1_000_000


class UsageError(ValueError):
    """A bad command-line value; the message is shown to the user as is."""


# A whole number as users type it: ASCII digits only (int() would also take "1_000",
# "+5" and other scripts' digits), and few enough of them to convert without Python's
# limit on long integer strings; longer ones are simply out of every range.
_WHOLE = re.compile(r"[0-9]{1,18}")
_TOO_LONG = 10**18


# Seconds as a decimal, ASCII only, with at most a three-digit exponent (Fraction would
# happily expand "1e999999999" digit by digit).
_SECONDS = re.compile(r"(?:[0-9]{1,18}(?:\.[0-9]{0,18})?|\.[0-9]{1,18})(?:[eE][+-]?[0-9]{1,3})?")


def _whole(text: str) -> int | None:
    """``text`` (spaces around allowed) as a non-negative int, or None if it is not one."""
    text = text.strip()
    if _WHOLE.fullmatch(text):
        return int(text)
    return _TOO_LONG if text.isascii() and text.isdigit() else None


def echo(text: str, limit: int = 40) -> str:
    """``repr`` of a user's value for an error line, shortened when it is very long."""
    return repr(text) if len(text) <= limit else repr(text[:limit]) + f"... ({len(text)} chars)"


def parse_size(text: str, option: str = "--size") -> tuple[int, int]:
    """``1920x1080`` or a preset name -> (width, height); both sides must be even."""
    key = text.strip().lower()
    if key in SIZE_PRESETS:
        return SIZE_PRESETS[key]
    match = re.fullmatch(r"([0-9]+)\s*[x\u00d7]\s*([0-9]+)", key)
    if not match:
        presets = ", ".join(SIZE_PRESETS)
        raise UsageError(
            f"{option} must be WIDTHxHEIGHT (e.g. 1920x1080) or one of {presets}, got {echo(text)}"
        )
    for side, digits in (("width", match.group(1)), ("height", match.group(2))):
        if not MIN_SIDE <= _whole(digits) <= MAX_SIDE:
            raise UsageError(
                f"{option} {side} must be between {MIN_SIDE} and {MAX_SIDE} "
                f"pixels, got {echo(digits)} in {echo(text)}"
            )
    width, height = int(match.group(1)), int(match.group(2))
    return width, height


def require_fps_range(fps: Fraction, text: str, option: str = "--fps") -> Fraction:
    """Frame rates the reel and the encoders can honour: 1 to 1000 frames per second."""
    if not MIN_FPS <= fps <= MAX_FPS:
        raise UsageError(
            f"{option} must be between {MIN_FPS} and {MAX_FPS} frames per second, got {echo(text)}"
        )
    if fps.numerator > MAX_RATE_TERM or fps.denominator > MAX_RATE_TERM:
        raise UsageError(
            f"{option} must be a ratio of whole numbers up to {MAX_RATE_TERM:,} (video files "
            f"store the rate exactly as such a ratio), got {echo(text)}"
        )
    return fps


def require_even(width: int, height: int, option: str = "--size") -> None:
    """4:2:0 video halves the chroma planes, so both sides must be even."""
    if width % 2 or height % 2:
        raise UsageError(
            f"{option} must have an even width and height for 4:2:0 video, got {width}x{height}"
        )


@dataclass(frozen=True, slots=True)
class FrameRange:
    start: int
    stop: int  # exclusive

    def __len__(self) -> int:
        return self.stop - self.start

    def indices(self) -> range:
        return range(self.start, self.stop)


def parse_frame_range(text: str, total: int, option: str = "--frames") -> FrameRange:
    """``START:END`` (END exclusive, either may be empty) within ``[0, total)``."""
    match = re.fullmatch(r"\s*([0-9]*)\s*:\s*([0-9]*)\s*", text)
    if not match:
        raise UsageError(
            f"{option} must be START:END with whole frame numbers (END exclusive), "
            f"got {echo(text)}"
        )
    start = _whole(match.group(1)) if match.group(1) else 0
    stop = _whole(match.group(2)) if match.group(2) else total
    if not 0 <= start < stop <= total:
        raise UsageError(
            f"{option} must satisfy 0 <= START < END <= {total} "
            f"(the reel's frame count at this fps), got {echo(text)}"
        )
    return FrameRange(start, stop)


def parse_phase(text: str, count: int, option: str = "--phase") -> int:
    """A phase number 1..count -> its zero-based index."""
    number = _whole(text)
    if number is None or not 1 <= number <= count:
        raise UsageError(f"{option} must be a phase number from 1 to {count}, got {echo(text)}")
    return number - 1


def parse_frame_index(text: str, total: int, option: str = "--frame") -> int:
    index = _whole(text)
    if index is None or not 0 <= index < total:
        raise UsageError(
            f"{option} must be a whole frame number from 0 to {total - 1} "
            f"at this fps, got {echo(text)}"
        )
    return index


def parse_workers(text: str, limit: int, option: str = "--workers") -> int:
    """A process count from 1 to ``limit`` (twice the CPU count: each worker has its own
    ffmpeg and frame buffers, and more only compete for the same cores)."""
    count = _whole(text)
    if count is None or not 1 <= count <= limit:
        raise UsageError(f"{option} must be a whole number from 1 to {limit}, got {echo(text)}")
    return count


def parse_time(text: str, fps: Fraction, total: int, option: str = "--time") -> int:
    """Seconds -> the frame showing that instant (the last frame starting at or before it)."""
    seconds = Fraction(-1)
    if _SECONDS.fullmatch(text.strip()):
        seconds = Fraction(text.strip())
    duration = Fraction(total) / fps
    if not 0 <= seconds < duration:
        raise UsageError(
            f"{option} must be a number of seconds from 0 to below "
            f"{float(duration):g}, got {echo(text)}"
        )
    return int(seconds * fps)
