"""The caption strip: a thin footer with the current phase's step label."""

from __future__ import annotations

import numpy as np
import skia

from insideweights import theme
from insideweights.renderer import text
from insideweights.renderer.shapes import fill_paint


class FooterPainter:
    """Draws the footer strip at the bottom of a frame, handing its label over in a wipe."""

    def __init__(self, width: int, height: int, strip_height: int) -> None:
        self.width = width
        self.height = height
        self.top = height - strip_height
        self.strip_height = strip_height
        self.text_size = strip_height * theme.FOOTER_TEXT
        self.margin = width * theme.FOOTER_MARGIN

    def draw(
        self,
        canvas: skia.Canvas,
        pixels: np.ndarray,
        label: str,
        next_label: str | None,
        mix: float,
    ) -> None:
        """Paint the strip on ``canvas`` (whose buffer is ``pixels``)."""
        pixels[self.top :, :, :3] = np.asarray(
            [round(c * 255) for c in theme.FOOTER_BACKGROUND[:3]], dtype=np.uint8
        )
        pixels[self.top :, :, 3] = 255
        canvas.resetMatrix()
        line = fill_paint(theme.FOOTER_LINE, 1.0)
        canvas.drawRect(
            skia.Rect.MakeXYWH(0, self.top, self.width, max(1.0, self.height / 540)), line
        )
        baseline = self.top + self.strip_height * 0.5 + self.text_size * 0.36
        if next_label is None:
            self._label(canvas, label, baseline, 1.0)
            return
        canvas.save()
        canvas.clipRect(skia.Rect.MakeLTRB(0, self.top, self.width, self.height))
        self._hand_over(canvas, label, next_label, mix, baseline)
        canvas.restore()

    def _hand_over(self, canvas, label: str, next_label: str, mix: float, baseline: float):
        # The old label rises and fades out in the first half of the wipe, the new one
        # rises into place in the second half: never two labels on top of each other
        # (an earlier cross-fade overlapped them, unreadable, for a few frames).
        rise = self.text_size * 0.9
        fade_out = min(1.0, max(0.0, (0.5 - mix) / 0.5))
        fade_in = min(1.0, max(0.0, (mix - 0.5) / 0.5))
        if fade_out > 0.0:
            self._label(canvas, label, baseline - rise * (1.0 - fade_out), fade_out)
        if fade_in > 0.0:
            self._label(canvas, next_label, baseline + rise * (1.0 - fade_in), fade_in)

    def _label(self, canvas: skia.Canvas, label: str, baseline: float, alpha: float) -> None:
        number, _, name = label.partition(" \u00b7 ")
        run_number = text.layout_text(number + " \u00b7 ", "sans-semibold", self.text_size)
        text.draw_text(canvas, run_number, self.margin, baseline, fill_paint(theme.CYAN, alpha))
        run_name = text.layout_text(name, "sans", self.text_size)
        text.draw_text(
            canvas,
            run_name,
            self.margin + run_number.advance,
            baseline,
            fill_paint(theme.TEXT, alpha),
        )
