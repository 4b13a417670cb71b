"""Declarative animations: build with tween/wait/sequence/parallel/..., then sample anywhere.

An ``Anim`` is an immutable description: a duration plus a flat list of segments,
each moving one named value from a start value to an end value over
[start, end) seconds with an easing curve. Composition only shifts segment times,
all in exact ``Fraction`` seconds, so 100 chained ``wait(0.01)`` last exactly 1 s.

``Timeline(anim)`` sorts the segments per name once. Sampling a name at time t
finds the last segment starting at or before t by bisection, so any frame costs
the same no matter where it lies and frames can be sampled in any order:

- before a name's first segment: that segment's start value;
- inside a segment [start, end): the eased interpolation;
- at or after a segment's end: its end value, until a later segment of that name
  starts. So the frame at an animation's end time shows its end state, an
  animation shorter than a frame shows its end state on the next frame, and a
  zero-length tween jumps at its start time.

Segments of one name may touch but not overlap: one value cannot follow two
tweens at once, and the error says which two collide.
"""

from __future__ import annotations

import numbers
from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from insideweights.timeline.clock import TimelineError, to_fraction, to_seconds
from insideweights.timeline.color import Rgba, mix_oklab
from insideweights.timeline.easing import Ease, smooth

__all__ = [
    "Anim",
    "Segment",
    "tween",
    "wait",
    "sequence",
    "parallel",
    "stagger",
    "delay",
    "loop",
    "Timeline",
    "Sample",
]

Value = Any  # float | tuple[float, ...] | Rgba | np.ndarray
Lerp = Callable[[Value, Value, float], Value]


# -- values --------------------------------------------------------------------------------


def _lerp_number(start: float, end: float, eased: float) -> float:
    if eased == 1.0:
        return end  # exact: start + (end - start) * 1 can miss end by an ulp
    return start + (end - start) * eased


def _lerp_tuple(start: tuple, end: tuple, eased: float) -> tuple[float, ...]:
    if eased == 1.0:
        return end
    return tuple(a + (b - a) * eased for a, b in zip(start, end, strict=True))


def _lerp_array(start: np.ndarray, end: np.ndarray, eased: float) -> np.ndarray:
    if eased == 0.0:
        return start
    if eased == 1.0:
        return end
    return start + (end - start) * eased


def _is_real(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _frozen_array(value: object) -> np.ndarray:
    array = np.array(value, dtype=np.float64)  # a private copy: callers may reuse theirs
    array.setflags(write=False)
    return array


def _same_kind(start: Value, end: Value) -> Lerp | None:
    """How to interpolate between ``start`` and ``end``, or None if they do not match."""
    if isinstance(start, Rgba) or isinstance(end, Rgba):
        both = isinstance(start, Rgba) and isinstance(end, Rgba)
        return mix_oklab if both else None  # a colour never mixes with a plain tuple
    if _is_real(start) and _is_real(end):
        return _lerp_number
    if isinstance(start, np.ndarray) and isinstance(end, np.ndarray):
        return _lerp_array if start.shape == end.shape else None
    if isinstance(start, tuple | list) and isinstance(end, tuple | list):
        numeric = all(map(_is_real, (*start, *end)))
        return _lerp_tuple if numeric and len(start) == len(end) else None
    return None


def _normalise(name: str, start: Value, end: Value) -> tuple[Value, Value, Lerp]:
    """Check that start and end are the same kind of value; store private float copies."""
    lerp = _same_kind(start, end)
    if lerp is None:
        raise TimelineError(
            f"tween {name!r}: start and end must be two numbers, two tuples of numbers of one "
            f"length, two Rgba colours or two numpy arrays of one shape, "
            f"got {start!r} and {end!r}"
        )
    if lerp is mix_oklab:
        return Rgba(*map(float, start)), Rgba(*map(float, end)), lerp
    if lerp is _lerp_number:
        return float(start), float(end), lerp
    if lerp is _lerp_array:
        return _frozen_array(start), _frozen_array(end), lerp
    return tuple(map(float, start)), tuple(map(float, end)), lerp


# -- building ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class Segment:
    """One named value moving from ``start_value`` to ``end_value`` over [start, end) s."""

    name: str
    start: Fraction
    end: Fraction
    start_value: Value
    end_value: Value
    ease: Ease
    lerp: Lerp

    def shifted(self, offset: Fraction) -> Segment:
        return Segment(
            self.name,
            self.start + offset,
            self.end + offset,
            self.start_value,
            self.end_value,
            self.ease,
            self.lerp,
        )


@dataclass(frozen=True, slots=True, eq=False)
class Anim:
    """An immutable animation: a duration in exact seconds and its segments, relative to 0."""

    duration: Fraction
    segments: tuple[Segment, ...] = ()

    def shifted(self, offset: Fraction) -> tuple[Segment, ...]:
        return tuple(segment.shifted(offset) for segment in self.segments)


def _check_anims(label: str, anims: tuple) -> None:
    for anim in anims:
        if not isinstance(anim, Anim):
            raise TimelineError(f"{label} takes animations (Anim), got {anim!r}")


def tween(
    name: str, seconds: object, *, start: Value = 0.0, end: Value = 1.0, ease: Ease = smooth
) -> Anim:
    """Move the value called ``name`` from ``start`` to ``end`` over ``seconds``, eased.

    Values may be numbers, tuples of numbers (points), ``Rgba`` colours (mixed in
    OKLab) or numpy arrays of one shape (paths, point sets).
    """
    if not isinstance(name, str) or not name:
        raise TimelineError(f"tween name must be a non-empty string, got {name!r}")
    if not callable(ease):
        raise TimelineError(f"tween {name!r}: ease must be an easing function, got {ease!r}")
    length = to_seconds(seconds, f"tween {name!r} seconds")
    start_value, end_value, lerp = _normalise(name, start, end)
    segment = Segment(name, Fraction(0), length, start_value, end_value, ease, lerp)
    return Anim(length, (segment,))


def wait(seconds: object) -> Anim:
    """Hold: nothing changes for ``seconds``."""
    return Anim(to_seconds(seconds, "wait seconds"))


def sequence(*anims: Anim) -> Anim:
    """Play animations one after another; the duration is the sum."""
    _check_anims("sequence", anims)
    segments, offset = [], Fraction(0)
    for anim in anims:
        segments.extend(anim.shifted(offset))
        offset += anim.duration
    return Anim(offset, tuple(segments))


def parallel(*anims: Anim) -> Anim:
    """Start animations together; the duration is the longest one's."""
    _check_anims("parallel", anims)
    duration = max((anim.duration for anim in anims), default=Fraction(0))
    return Anim(duration, tuple(segment for anim in anims for segment in anim.segments))


def stagger(*anims: Anim, lag_ratio: object = 0.1) -> Anim:
    """Start each animation ``lag_ratio`` x its predecessor's duration after that one started.

    ``lag_ratio=0`` is ``parallel``; ``lag_ratio=1`` is ``sequence``.
    """
    _check_anims("stagger", anims)
    lag = to_fraction(lag_ratio, "stagger lag_ratio", sign="non-negative")
    segments, offset, duration = [], Fraction(0), Fraction(0)
    for anim in anims:
        segments.extend(anim.shifted(offset))
        duration = max(duration, offset + anim.duration)
        offset += lag * anim.duration
    return Anim(duration, tuple(segments))


def delay(seconds: object, anim: Anim) -> Anim:
    """Start ``anim`` after ``seconds`` of holding."""
    _check_anims("delay", (anim,))
    offset = to_seconds(seconds, "delay seconds")
    return Anim(offset + anim.duration, anim.shifted(offset))


def loop(anim: Anim, times: int) -> Anim:
    """Play ``anim`` ``times`` times back to back."""
    _check_anims("loop", (anim,))
    if isinstance(times, bool) or not isinstance(times, numbers.Integral) or times < 1:
        raise TimelineError(f"loop times must be an integer >= 1, got {times!r}")
    return sequence(*([anim] * int(times)))


# -- sampling ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class _Track:
    """All segments of one name sorted by start, plus float copies of their times.

    Rounding to float is monotone, so a strict float comparison already decides
    the exact one; only float ties fall back to the slower exact Fractions. The
    answers are therefore exact while most comparisons cost a float compare.
    """

    starts: tuple[Fraction, ...]
    segments: tuple[Segment, ...]
    end: Fraction
    float_starts: tuple[float, ...]
    float_ends: tuple[float, ...]
    float_lengths: tuple[float, ...]

    def value_at(self, seconds: Fraction, float_seconds: float) -> Value:
        index = bisect_right(self.float_starts, float_seconds) - 1
        while index >= 0 and self.starts[index] > seconds:
            index -= 1  # a float tie hid an exact start that lies after ``seconds``
        if index < 0:
            return self.segments[0].start_value

        segment = self.segments[index]
        float_end = self.float_ends[index]
        if float_seconds > float_end or (float_seconds == float_end and seconds >= segment.end):
            return segment.end_value

        # Strictly inside [start, end): float precision is plenty for an easing input.
        progress = (float_seconds - self.float_starts[index]) / self.float_lengths[index]
        eased = segment.ease(min(1.0, max(0.0, progress)))
        return segment.lerp(segment.start_value, segment.end_value, eased)


def _build_track(name: str, segments: list[Segment]) -> _Track:
    ordered = sorted(segments, key=lambda segment: (segment.start, segment.end))
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after.start < before.end:
            raise TimelineError(
                f"tweens of {name!r} overlap: [{float(before.start):g}, {float(before.end):g}) s "
                f"and [{float(after.start):g}, {float(after.end):g}) s; one value can follow "
                f"only one tween at a time"
            )
    return _Track(
        starts=tuple(segment.start for segment in ordered),
        segments=tuple(ordered),
        end=max(segment.end for segment in ordered),
        float_starts=tuple(float(segment.start) for segment in ordered),
        float_ends=tuple(float(segment.end) for segment in ordered),
        float_lengths=tuple(float(segment.end - segment.start) for segment in ordered),
    )


class Timeline:
    """A compiled animation that answers "what is every value at time t" in O(log n)."""

    def __init__(self, anim: Anim) -> None:
        _check_anims("Timeline", (anim,))
        grouped: dict[str, list[Segment]] = {}
        for segment in anim.segments:
            grouped.setdefault(segment.name, []).append(segment)
        self.duration: Fraction = anim.duration
        self._tracks = {name: _build_track(name, group) for name, group in grouped.items()}

    @property
    def names(self) -> tuple[str, ...]:
        """Every animated name, in order of first declaration."""
        return tuple(self._tracks)

    def sample(self, seconds: object) -> Sample:
        """All values at ``seconds`` (Fraction, int or float; floats read as their repr)."""
        return Sample(self, to_seconds(seconds, "sample time", sign="any"))

    def value(self, name: str, seconds: object) -> Value:
        """One value at ``seconds``; same as ``sample(seconds)[name]``."""
        exact = to_seconds(seconds, "sample time", sign="any")
        return self._track(name).value_at(exact, float(exact))

    def progress(self, name: str, seconds: object) -> float:
        """Linear 0..1 from the start of ``name``'s first segment to the end of its last."""
        track = self._track(name)
        at = to_seconds(seconds, "sample time", sign="any")
        first, last = track.starts[0], track.end
        if at >= last:
            return 1.0
        if at <= first:
            return 0.0
        return float((at - first) / (last - first))

    def _track(self, name: str) -> _Track:
        track = self._tracks.get(name)
        if track is None:
            raise KeyError(
                f"no animated value named {name!r}; known names: {sorted(self._tracks)}"
            )
        return track

    def __repr__(self) -> str:
        return f"Timeline({float(self.duration):g} s, {len(self._tracks)} names)"


class Sample(Mapping):
    """Read-only values of a timeline at one instant; each value is computed on first read."""

    __slots__ = ("_timeline", "_cache", "seconds", "_float_seconds")

    def __init__(self, timeline: Timeline, seconds: Fraction) -> None:
        self._timeline = timeline
        self._cache: dict[str, Value] = {}
        self.seconds = seconds
        self._float_seconds = float(seconds)

    def __getitem__(self, name: str) -> Value:
        if name not in self._cache:
            track = self._timeline._track(name)
            self._cache[name] = track.value_at(self.seconds, self._float_seconds)
        return self._cache[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._timeline.names)

    def __len__(self) -> int:
        return len(self._timeline.names)

    def __contains__(self, name: object) -> bool:
        return name in self._timeline._tracks

    def __repr__(self) -> str:
        values = ", ".join(f"{name!r}: {self[name]!r}" for name in self)
        return f"Sample(t={float(self.seconds):g} s, {{{values}}})"
