"""Reel structure: named segments laid end to end, and wipes centred on their boundaries.

Segment k starts at the sum of the lengths before it (exact seconds). Its frames
come from the clock's rounding rule applied to those cumulative times, so segment
k owns frames [round(start_k * fps), round(end_k * fps)) and the segments tile
[0, total_frames) with no gap and no overlap.

The transition between segments k and k+1 is centred on their boundary b: it
covers [b - T/2, b + T/2) in seconds and adds no time. During it both segments
are live: the outgoing one runs past its end by up to T/2, the incoming one is
sampled at negative local times down to -T/2. There is no transition before the
first segment or after the last.

Because a boundary need not fall on a frame, the first frame a segment owns may
lie up to half a frame before its start, so ``local_seconds`` can be slightly
negative there.
"""

from __future__ import annotations

import numbers
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple

from insideweights.timeline.clock import (
    TimelineError,
    frame_count,
    parse_fps,
    to_seconds,
)

__all__ = ["ReelTiming", "ReelSegment", "FrameSlot", "Transition"]


class Transition(NamedTuple):
    """The wipe state at one frame: which segments, how far, and each one's local time."""

    outgoing: int
    incoming: int
    progress: float
    outgoing_seconds: Fraction
    incoming_seconds: Fraction


class FrameSlot(NamedTuple):
    """Where a frame falls: owning segment, time inside it, and the wipe if one runs."""

    frame: int
    seconds: Fraction
    index: int
    local_seconds: Fraction
    transition: Transition | None


@dataclass(frozen=True, slots=True)
class ReelSegment:
    """One segment's place on the reel in exact seconds and in frames (end exclusive)."""

    index: int
    name: str
    seconds: Fraction
    start_seconds: Fraction
    end_seconds: Fraction
    start_frame: int
    end_frame: int

    @property
    def frame_count(self) -> int:
        return self.end_frame - self.start_frame


class ReelTiming:
    """Segment times, frame ranges and transitions of a reel at one frame rate."""

    def __init__(
        self,
        segments: Sequence[tuple[str, object]],
        transition_seconds: object,
        fps: object,
    ) -> None:
        if not segments:
            raise TimelineError("reel segments must list at least one (name, seconds) pair")
        self.fps: Fraction = parse_fps(fps)
        self.transition_seconds: Fraction = to_seconds(transition_seconds, "transition_seconds")
        self.segments: tuple[ReelSegment, ...] = self._lay_out(segments)
        self.duration: Fraction = self.segments[-1].end_seconds
        self.total_frames: int = self.segments[-1].end_frame
        self._start_frames = [segment.start_frame for segment in self.segments]
        self._boundaries = [segment.end_seconds for segment in self.segments[:-1]]
        self._check_transition_fits()

    def _lay_out(self, segments: Sequence[tuple[str, object]]) -> tuple[ReelSegment, ...]:
        laid_out, start, start_frame = [], Fraction(0), 0
        for index, pair in enumerate(segments):
            if not (isinstance(pair, tuple | list) and len(pair) == 2):
                raise TimelineError(f"reel segment {index} must be (name, seconds), got {pair!r}")
            name, raw_seconds = pair
            seconds = to_seconds(raw_seconds, f"reel segment {name!r} seconds", sign="positive")
            end = start + seconds
            end_frame = frame_count(end, self.fps)
            laid_out.append(
                ReelSegment(index, str(name), seconds, start, end, start_frame, end_frame)
            )
            start, start_frame = end, end_frame
        return tuple(laid_out)

    def _check_transition_fits(self) -> None:
        """Each wipe half must fit inside its segment, so two wipes never overlap."""
        half = self.transition_seconds / 2
        last = len(self.segments) - 1
        for segment in self.segments:
            halves = (segment.index > 0) + (segment.index < last)
            if halves * half > segment.seconds:
                raise TimelineError(
                    f"transition_seconds must be at most "
                    f"{float(segment.seconds * 2 / halves):g} so wipes fit inside segment "
                    f"{segment.name!r} ({float(segment.seconds):g} s), "
                    f"got {float(self.transition_seconds):g}"
                )

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(segment.name for segment in self.segments)

    def segment(self, key: int | str) -> ReelSegment:
        """A segment by index or by name."""
        if isinstance(key, str):
            for segment in self.segments:
                if segment.name == key:
                    return segment
            raise KeyError(f"no reel segment named {key!r}; known names: {list(self.names)}")
        return self.segments[key]

    def locate(self, frame: int) -> FrameSlot:
        """Which segment owns ``frame``, its local time, and the wipe state if any."""
        if (
            isinstance(frame, bool)
            or not isinstance(frame, numbers.Integral)
            or not (0 <= frame < self.total_frames)
        ):
            raise TimelineError(
                f"frame must be an integer in [0, {self.total_frames}) for this reel, "
                f"got {frame!r}"
            )
        frame = int(frame)
        seconds = Fraction(frame) / self.fps
        index = bisect_right(self._start_frames, frame) - 1
        local_seconds = seconds - self.segments[index].start_seconds
        return FrameSlot(frame, seconds, index, local_seconds, self._transition_at(seconds))

    def _transition_at(self, seconds: Fraction) -> Transition | None:
        """The wipe covering ``seconds``, if any; wipes never overlap, so at most one does."""
        half = self.transition_seconds / 2
        if half == 0:
            return None
        # Wipe k sits on the end of segment k and covers [b - T/2, b + T/2): bisect the
        # boundaries for the last one that starts its wipe at or before t.
        outgoing = bisect_right(self._boundaries, seconds + half) - 1
        if outgoing < 0 or seconds >= self._boundaries[outgoing] + half:
            return None
        boundary = self._boundaries[outgoing]
        incoming = self.segments[outgoing + 1]
        return Transition(
            outgoing=outgoing,
            incoming=outgoing + 1,
            progress=float((seconds - (boundary - half)) / self.transition_seconds),
            outgoing_seconds=seconds - self.segments[outgoing].start_seconds,
            incoming_seconds=seconds - incoming.start_seconds,
        )

    def __repr__(self) -> str:
        return (
            f"ReelTiming({len(self.segments)} segments, {float(self.duration):g} s, "
            f"{self.total_frames} frames at {self.fps} fps)"
        )
