"""Render jobs: a list of frame indices through the producer into a sink.

``render``, ``still`` and chunked renders are all the same loop over a
different list of indices. Nothing here knows about arguments, progress bars
or exit codes: callers pass a progress callback.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from insideweights.compose import FrameProducer
from insideweights.options import FrameRange
from insideweights.phases.reel import PHASES
from insideweights.renderer.chapters import Chapter
from insideweights.renderer.png_sink import PngSequenceSink, write_png
from insideweights.renderer.sink import FfmpegSink
from insideweights.timeline import ReelTiming

Progress = Callable[[int, str], None]


@dataclass(frozen=True, slots=True)
class RenderRequest:
    fps: Fraction
    width: int
    height: int
    captions: bool
    frames: FrameRange
    out: Path
    container: str  # "mp4", "webm" or "png"
    quality: str


def phase_frames(timing: ReelTiming, phase_index: int) -> FrameRange:
    segment = timing.segment(phase_index)
    return FrameRange(segment.start_frame, segment.end_frame)


def phase_name_of(timing: ReelTiming, frame: int) -> str:
    return PHASES[timing.locate(frame).index].label


def chapters_for(timing: ReelTiming, frames: FrameRange) -> list[Chapter]:
    """One chapter per phase that the range touches, in seconds from the range start."""
    fps = timing.fps
    chapters = []
    for index, phase in enumerate(PHASES):
        segment = timing.segment(index)
        start = max(segment.start_frame, frames.start)
        stop = min(segment.end_frame, frames.stop)
        if start < stop:
            chapters.append(
                Chapter(
                    phase.label,
                    Fraction(start - frames.start) / fps,
                    Fraction(stop - frames.start) / fps,
                )
            )
    return chapters


def render(request: RenderRequest, on_frame: Progress | None = None) -> None:
    """Render ``request.frames`` to ``request.out``; the file appears only when complete."""
    producer = FrameProducer(request.fps, request.width, request.height, request.captions)
    if request.container == "png":
        sink = PngSequenceSink(request.out, start_index=request.frames.start)
    else:
        sink = FfmpegSink(
            request.out,
            request.width,
            request.height,
            request.fps,
            container=request.container,
            quality=request.quality,
            chapters=chapters_for(producer.timing, request.frames),
        )
    with sink:
        for index in request.frames.indices():
            sink.write(producer.frame(index))
            if on_frame is not None:
                on_frame(index, phase_name_of(producer.timing, index))


def still(fps: Fraction, width: int, height: int, captions: bool, index: int, out: Path) -> None:
    """Render frame ``index`` alone to a PNG at ``out`` (written atomically)."""
    producer = FrameProducer(fps, width, height, captions)
    write_png(out, producer.frame(index))
