"""The exact clock: frame rates, durations and frame counts as rational numbers.

Time is never accumulated in floats. A frame rate is a ``Fraction`` of frames per
second, a duration is a ``Fraction`` of seconds, and frame ``i`` happens at exactly
``i / fps`` seconds.

Frame rates accept integers (``60``), decimals (``23.976``, ``"29.97"``) and ratios
(``"60000/1001"``). The NTSC decimals 23.976, 29.97, 47.952, 59.94 and 119.88 stand
for their exact ratios 24000/1001, 30000/1001, 48000/1001, 60000/1001 and
120000/1001, as every video tool understands them.

Rounding rule (the only place a duration becomes a number of frames):

    frame count = seconds * fps, rounded to the nearest integer, exact halves up

computed as ``floor(seconds * fps + 1/2)`` in exact arithmetic. So 100 s is 6000
frames at 60 fps, 2400 at 24, 3000 at 30 and 2997 at 30000/1001 (2997.003 frames).
"""

from __future__ import annotations

import decimal
import math
import numbers
import re
from fractions import Fraction
from typing import Literal

__all__ = [
    "TimelineError",
    "parse_fps",
    "to_seconds",
    "to_fraction",
    "frame_count",
    "frame_time",
]

Sign = Literal["positive", "non-negative", "any"]

# Decimal spellings of the NTSC rates; they mean the /1001 ratios, not the decimals.
_NTSC_RATIOS = {
    Fraction("23.976"): Fraction(24000, 1001),
    Fraction("29.97"): Fraction(30000, 1001),
    Fraction("47.952"): Fraction(48000, 1001),
    Fraction("59.94"): Fraction(60000, 1001),
    Fraction("119.88"): Fraction(120000, 1001),
}

_SIGN_RULES = {
    "positive": "a positive number",
    "non-negative": "a number >= 0",
    "any": "a finite number",
}


class TimelineError(ValueError):
    """A frame rate, duration, easing or animation that breaks a timeline rule."""


_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?(?:/[0-9]+)?")


def _exact(value: object) -> Fraction | None:
    """The exact rational a value spells, or None when it spells no finite number.

    Floats convert through their shortest repr, so ``0.01`` becomes 1/100 rather
    than the binary neighbour 5764607523034235/576460752303423488.
    """
    if isinstance(value, bool):
        return None
    try:
        if isinstance(value, Fraction | numbers.Integral):
            return Fraction(value)
        if isinstance(value, decimal.Decimal):
            return Fraction(value) if value.is_finite() else None
        if isinstance(value, numbers.Real):
            number = float(value)
            return Fraction(repr(number)) if math.isfinite(number) else None
        if isinstance(value, str):
            # Fraction also reads other scripts' digits ("٦٠"), "6_0" and exponents it
            # would expand digit by digit ("1e999999999"); a frame rate or a time typed
            # like that is a mistake, so only plain ASCII decimals and ratios count.
            text = value.strip()
            return Fraction(text) if _NUMBER.fullmatch(text) else None
    except (ValueError, ZeroDivisionError, OverflowError):
        return None
    return None


def to_fraction(value: object, what: str, *, sign: Sign = "any") -> Fraction:
    """Convert a number (int, float, Decimal, Fraction or text) to an exact Fraction.

    ``sign`` is the rule the value must obey; ``what`` names it in the error.
    """
    number = _exact(value)
    ok = number is not None and (
        sign == "any"
        or (sign == "positive" and number > 0)
        or (sign == "non-negative" and number >= 0)
    )
    if not ok:
        raise TimelineError(f"{what} must be {_SIGN_RULES[sign]}, got {value!r}")
    return number


def to_seconds(value: object, what: str = "seconds", *, sign: Sign = "non-negative") -> Fraction:
    """Convert seconds given as int, float, Decimal, Fraction or text to an exact Fraction.

    ``sign`` is the rule the value must obey: "non-negative" for durations (the
    default), "positive" for lengths that must not vanish, "any" for points in
    time that may lie before zero. ``what`` names the quantity in the error.
    """
    return to_fraction(value, what, sign=sign)


def parse_fps(value: object, what: str = "fps") -> Fraction:
    """Parse a frame rate into exact frames per second; NTSC decimals become /1001 ratios."""
    fps = _exact(value)
    if fps is None or fps <= 0:
        shown = repr(value) if len(repr(value)) <= 42 else repr(value)[:40] + "..."
        raise TimelineError(
            f"{what} must be a positive number (integer, decimal like 29.97 or ratio "
            f"like 60000/1001), got {shown}"
        )
    return _NTSC_RATIOS.get(fps, fps)


def frame_count(seconds: object, fps: object) -> int:
    """Frames needed to show ``seconds`` at ``fps``: nearest integer, exact halves up."""
    exact_seconds = to_seconds(seconds, "duration")
    exact_fps = parse_fps(fps)
    return math.floor(exact_seconds * exact_fps + Fraction(1, 2))


def frame_time(frame: int, fps: object) -> Fraction:
    """The exact time in seconds of frame ``frame`` (frame 0 is at 0 s)."""
    if isinstance(frame, bool) or not isinstance(frame, numbers.Integral) or frame < 0:
        raise TimelineError(f"frame must be an integer >= 0, got {frame!r}")
    return Fraction(int(frame)) / parse_fps(fps)
