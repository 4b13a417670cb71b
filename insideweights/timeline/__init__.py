"""Time for the reel: an exact clock, easing curves, declarative animations, reel layout.

This package knows no pixels and no story; nothing here imports the rest of
``insideweights``. Typical use::

    from insideweights import timeline as tl

    anim = tl.sequence(
        tl.tween("opacity", 0.5, ease=tl.smooth),
        tl.parallel(
            tl.tween("x", 2, start=0.0, end=0.6, ease=tl.in_out_cubic),
            tl.tween("colour", 2, start=tl.Rgba.hex("#3D7BFF"), end=tl.Rgba.hex("#FF8A1F")),
        ),
    )
    timeline = tl.Timeline(anim)
    values = timeline.sample(tl.frame_time(90, 60))  # values["x"], values["colour"], ...

Frame i is at exactly i / fps seconds; a duration becomes frames by rounding
seconds * fps to the nearest integer, exact halves up (see ``clock``).
"""

from insideweights.timeline import easing
from insideweights.timeline.animation import (
    Anim,
    Sample,
    Segment,
    Timeline,
    delay,
    loop,
    parallel,
    sequence,
    stagger,
    tween,
    wait,
)
from insideweights.timeline.clock import (
    TimelineError,
    frame_count,
    frame_time,
    parse_fps,
    to_fraction,
    to_seconds,
)
from insideweights.timeline.color import Rgba, mix_oklab, oklab_to_srgb, srgb_to_oklab
from insideweights.timeline.easing import *  # noqa: F403 - the whole curve catalogue
from insideweights.timeline.easing import EASINGS, PULSES, Ease
from insideweights.timeline.reel import FrameSlot, ReelSegment, ReelTiming, Transition

__all__ = [
    "Anim",
    "EASINGS",
    "Ease",
    "FrameSlot",
    "PULSES",
    "ReelSegment",
    "ReelTiming",
    "Rgba",
    "Sample",
    "Segment",
    "Timeline",
    "TimelineError",
    "Transition",
    "delay",
    "easing",
    "frame_count",
    "frame_time",
    "loop",
    "mix_oklab",
    "oklab_to_srgb",
    "parallel",
    "parse_fps",
    "sequence",
    "srgb_to_oklab",
    "stagger",
    "to_fraction",
    "to_seconds",
    "tween",
    "wait",
    *easing.__all__,
]
