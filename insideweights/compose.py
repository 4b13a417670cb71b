"""Frame index -> finished RGBA frame: phases, camera, effects, wipes and the footer.

``FrameProducer.frame(i)`` is a pure function of ``i``: it asks the reel which
phase (or which two phases, during a wipe) owns the frame, renders their
scenes, wipes between them and draws the caption strip. Nothing is carried
over from the previous frame, so any frame, range or chunk renders alone.
"""

from __future__ import annotations

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


@dataclass(frozen=True, slots=True)
class FrameContent:
    """What frame ``index`` shows, before any pixels: for tests and tooling."""

    index: int
    slot: FrameSlot
    scene: Scene
    incoming: Scene | None
    caption: str
    next_caption: str | None
    caption_mix: float


def footer_height(height: int) -> int:
    """Height of the caption strip in pixels (even, so 4:2:0 chroma rows align)."""
    return 2 * round(height * theme.FOOTER_FRACTION / 2)


def main_viewport(width: int, height: int, captions: bool) -> Viewport:
    """The pixel rectangle phases draw into: everything above the footer."""
    main_height = height - footer_height(height) if captions else height
    return Viewport(0.0, 0.0, float(width), float(main_height))


class FrameProducer:
    """Renders frames of the reel at one size and frame rate into a reused buffer."""

    def __init__(self, fps: Fraction, width: int, height: int, captions: bool = True) -> None:
        self.fps = fps
        self.width = width
        self.height = height
        self.captions = captions
        self.timing: ReelTiming = reel_timing(fps)
        viewport = main_viewport(width, height, captions)
        self._outgoing = SceneRenderer(width, height, viewport)
        self._incoming = SceneRenderer(width, height, viewport)
        self._footer = FooterPainter(width, height, footer_height(height)) if captions else None
        self._out = Canvas(width, height)

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

        The same buffer is returned every call: consume it before the next.
        """
        content = self.content(index)
        outgoing = self._outgoing.render(content.scene)
        out = self._out.pixels
        if content.incoming is None:
            np.copyto(out, outgoing)
        else:
            incoming = self._incoming.render(content.incoming)
            wipe_left(outgoing, incoming, content.caption_mix, out)
        if self._footer is not None:
            self._footer.draw(
                self._out.skia, out, content.caption, content.next_caption, content.caption_mix
            )
        return out
