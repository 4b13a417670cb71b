"""Frame index -> finished RGBA frame: phases, camera, effects, wipes and the footer.

``FrameProducer.frame(i)`` is a pure function of ``i``: it asks the reel which
phase (or which two phases, during a wipe) owns the frame, renders their
scenes, wipes between them and draws the caption strip. Nothing is carried
over from the previous frame except caches keyed by content (laid-out text,
recorded groups), so any frame, range or chunk renders alone.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from insideweights import theme
from insideweights.display import Scene
from insideweights.phases.reel import PHASES, reel_timing
from insideweights.renderer.camera import Viewport
from insideweights.renderer.canvas import Canvas
from insideweights.renderer.footer import FooterPainter
from insideweights.renderer.scene_renderer import SceneRenderer
from insideweights.renderer.transitions import wipe_left
from insideweights.timeline import FrameSlot, ReelTiming

STAGES = ("timeline", "draw", "effects", "convert")
MIN_FOOTER = 6  # pixels: below this the caption text would be under two pixels tall
# Painted caption strips kept for reuse: one per phase, plus the few frames of each wipe.
_STRIP_CACHE_SIZE = 64


class Stopwatch:
    """Wall and CPU seconds spent per pipeline stage, summed over frames (for benchmarks).

    The producer calls ``start`` when a frame begins and ``lap(stage)`` when a stage
    ends; each lap charges the time since the previous mark to that stage. CPU time
    is the whole process's (all threads), so parallel kernels show their real cost.
    """

    def __init__(self) -> None:
        self.wall = dict.fromkeys(STAGES, 0.0)
        self.cpu = dict.fromkeys(STAGES, 0.0)
        self.frames = 0
        self._wall = self._cpu = 0.0

    def start(self) -> None:
        self.frames += 1
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def lap(self, stage: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        self.wall[stage] += wall - self._wall
        self.cpu[stage] += cpu - self._cpu
        self._wall, self._cpu = wall, cpu


class _NoStopwatch:
    """The default: timing costs nothing when nobody asks for it."""

    def start(self) -> None:
        pass

    def lap(self, stage: str) -> None:
        pass


@dataclass(frozen=True, slots=True)
class FrameContent:
    """What frame ``index`` shows, before any pixels: for tests and tooling."""

    index: int
    slot: FrameSlot
    scene: Scene
    incoming: Scene | None
    caption: str
    next_caption: str | None
    transition_progress: float


def footer_height(width: int, height: int) -> int:
    """Height of the caption strip in pixels (even, so 4:2:0 chroma rows align).

    It is a fraction of the height of the 16:9 picture the frame holds, so a
    portrait frame gets a strip sized like the picture above it, not a giant one.
    """
    picture_height = min(height, width * 9 / 16)
    return 2 * round(picture_height * theme.FOOTER_FRACTION / 2)


def main_viewport(width: int, height: int, captions: bool) -> Viewport:
    """The pixel rectangle phases draw into: everything above the footer."""
    main_height = height - footer_height(width, height) if captions else height
    return Viewport(0.0, 0.0, float(width), float(main_height))


class FrameProducer:
    """Renders frames of the reel at one size and frame rate into reused buffers.

    ``buffers`` output buffers are used in turn, so with ``buffers=2`` a writer
    thread may still be sending one frame while the next is drawn into the other.
    ``stopwatch`` (see :class:`Stopwatch`) receives per-stage timings.
    """

    def __init__(
        self,
        fps: Fraction,
        width: int,
        height: int,
        captions: bool = True,
        *,
        buffers: int = 1,
        stopwatch: Stopwatch | None = None,
    ) -> None:
        if isinstance(buffers, bool) or not isinstance(buffers, int) or buffers < 1:
            raise ValueError(f"buffers must be a positive int, got {buffers!r}")
        self.fps = fps
        self.width = width
        self.height = height
        # A picture too small for a legible strip (under MIN_FOOTER pixels) gets none.
        captions = captions and footer_height(width, height) >= MIN_FOOTER
        self.captions = captions
        self.timing: ReelTiming = reel_timing(fps)
        self.stopwatch = stopwatch or _NoStopwatch()
        viewport = main_viewport(width, height, captions)
        self._renderer = SceneRenderer(width, height, viewport)
        self._incoming = Canvas(width, height)
        self._footer = (
            FooterPainter(width, height, footer_height(width, height)) if captions else None
        )
        self._outputs = [Canvas(width, height) for _ in range(buffers)]
        self._turn = 0
        self._strips: dict[tuple, np.ndarray] = {}

    @property
    def total_frames(self) -> int:
        return self.timing.total_frames

    def content(self, index: int) -> FrameContent:
        """The scenes and caption of frame ``index`` (no drawing)."""
        slot = self.timing.locate(index)
        transition = slot.transition
        if transition is None:
            phase = PHASES[slot.index]
            return FrameContent(
                index, slot, phase.scene(slot.local_seconds), None, phase.label, None, 0.0
            )
        old, new = PHASES[transition.outgoing], PHASES[transition.incoming]
        return FrameContent(
            index,
            slot,
            old.scene(transition.outgoing_seconds),
            new.scene(transition.incoming_seconds),
            old.label,
            new.label,
            transition.progress,
        )

    def frame(self, index: int) -> np.ndarray:
        """Frame ``index`` as an (height, width, 4) uint8 RGBA buffer.

        The buffer is reused ``buffers`` calls later: consume it before then.
        """
        clock = self.stopwatch
        clock.start()
        content = self.content(index)
        clock.lap("timeline")
        out = self._outputs[self._turn]
        self._turn = (self._turn + 1) % len(self._outputs)
        # The outgoing scene is drawn straight into the output buffer: no copy.
        self._renderer.render(content.scene, out, clock)
        if content.incoming is not None:
            self._renderer.render(content.incoming, self._incoming, clock)
            wipe_left(
                out.pixels,
                self._incoming.pixels,
                content.transition_progress,
                out.pixels,
                softness=theme.WIPE_SOFTNESS,
            )
            clock.lap("effects")
        if self._footer is not None:
            self._draw_footer(out, content)
            clock.lap("draw")
        return out.pixels

    def _draw_footer(self, out: Canvas, content: FrameContent) -> None:
        """Paint the caption strip, or copy it in when it was painted before.

        The strip covers its rows completely and depends only on the captions and
        their mix, so a copy of the painted rows is exact and far cheaper than
        laying out and drawing the text again.
        """
        key = (content.caption, content.next_caption, content.transition_progress)
        rows = slice(self._footer.top, self.height)
        strip = self._strips.get(key)
        if strip is not None:
            out.pixels[rows] = strip
            return
        self._footer.draw(
            out.skia,
            out.pixels,
            content.caption,
            content.next_caption,
            content.transition_progress,
        )
        if len(self._strips) >= _STRIP_CACHE_SIZE:
            self._strips.clear()
        self._strips[key] = out.pixels[rows].copy()
