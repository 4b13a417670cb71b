"""Chapter marks for the encoded video, written as an ffmpeg metadata (ffmetadata) file."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from numbers import Rational

# Chapter times are stored in milliseconds: fine enough for one chapter per phase, and
# every player reads it.
CHAPTER_TIMEBASE = Fraction(1, 1000)


@dataclass(frozen=True)
class Chapter:
    """One named span of the video, ``[start_seconds, end_seconds)``."""

    title: str
    start_seconds: Fraction
    end_seconds: Fraction

    def __post_init__(self) -> None:
        if not isinstance(self.title, str) or not self.title.strip():
            raise ValueError(f"chapter title must be a non-empty string, got {self.title!r}")
        if "\n" in self.title or "\r" in self.title:
            raise ValueError(f"chapter title must be one line, got {self.title!r}")
        for name in ("start_seconds", "end_seconds"):
            value = getattr(self, name)
            if not isinstance(value, Rational):
                raise ValueError(
                    f"chapter {self.title!r} {name} must be an exact Fraction or int, "
                    f"got {value!r}"
                )
            object.__setattr__(self, name, Fraction(value))
        if self.start_seconds < 0:
            raise ValueError(
                f"chapter {self.title!r} start_seconds must be >= 0, got {self.start_seconds}"
            )
        if self.end_seconds <= self.start_seconds:
            raise ValueError(
                f"chapter {self.title!r} must end after it starts, "
                f"got start {self.start_seconds} and end {self.end_seconds}"
            )


def validate_chapters(chapters: Sequence[Chapter]) -> tuple[Chapter, ...]:
    """Return the chapters as a tuple; raise ValueError unless sorted and non-overlapping."""
    result = tuple(chapters)
    for chapter in result:
        if not isinstance(chapter, Chapter):
            raise ValueError(f"chapters must be Chapter objects, got {chapter!r}")
    for before, after in zip(result, result[1:], strict=False):
        if after.start_seconds < before.end_seconds:
            raise ValueError(
                f"chapters must be in order and not overlap: {after.title!r} starts at "
                f"{after.start_seconds}s, before {before.title!r} ends at {before.end_seconds}s"
            )
    return result


def to_timebase_ticks(seconds: Fraction) -> int:
    """Convert seconds to CHAPTER_TIMEBASE ticks: nearest tick, halves rounded up."""
    return math.floor(seconds / CHAPTER_TIMEBASE + Fraction(1, 2))


def ffmetadata_text(chapters: Sequence[Chapter]) -> str:
    """Return an ffmetadata document holding one [CHAPTER] section per chapter."""
    lines = [";FFMETADATA1"]
    for chapter in chapters:
        lines += [
            "[CHAPTER]",
            f"TIMEBASE={CHAPTER_TIMEBASE.numerator}/{CHAPTER_TIMEBASE.denominator}",
            f"START={to_timebase_ticks(chapter.start_seconds)}",
            f"END={to_timebase_ticks(chapter.end_seconds)}",
            f"title={_escape(chapter.title)}",
        ]
    return "\n".join(lines) + "\n"


def _escape(value: str) -> str:
    """Backslash-escape the characters ffmetadata gives a meaning to."""
    for special in ("\\", "=", ";", "#"):
        value = value.replace(special, "\\" + special)
    return value
