"""Draws a display list onto a canvas, and its glowing parts onto an emission layer.

The emission layer is a half-resolution canvas that feeds the bloom: shapes
with ``glow > 0`` are drawn there too, so they bleed light, while everything
else blooms only where it is bright enough to pass the threshold.
"""

from __future__ import annotations

import numpy as np
import skia

from insideweights import display as dl
from insideweights.renderer import equations, text
from insideweights.renderer.canvas import Canvas
from insideweights.renderer.shapes import (
    arrow_head,
    color4f,
    fill_paint,
    shape_path,
    stroke_paint,
)
from insideweights.timeline.color import Rgba

SHAPES = (dl.Rect, dl.Circle, dl.Line, dl.Arrow, dl.Polyline, dl.Path)


class ItemPainter:
    """Paints display-list items on one canvas, optionally only their glowing parts.

    ``emission_only`` turns the painter into the glow pass: only items with
    ``glow > 0`` are drawn, with alpha scaled by their glow strength.
    """

    def __init__(self, canvas: Canvas, emission_only: bool = False) -> None:
        self.canvas = canvas
        self.sk = canvas.skia
        self.emission_only = emission_only
        self.particles: list[tuple[dl.Particles, np.ndarray]] = []

    def draw(self, items, matrix: skia.Matrix, opacity: float = 1.0) -> None:
        self.sk.save()
        self.sk.setMatrix(matrix)
        self._draw_items(items, opacity)
        self.sk.restore()

    def _draw_items(self, items, opacity: float) -> None:
        for item in items:
            if isinstance(item, dl.Group):
                self._draw_group(item, opacity)
            elif isinstance(item, SHAPES):
                self._draw_shape(item, opacity)
            elif isinstance(item, dl.Text):
                self._draw_text(item, opacity)
            elif isinstance(item, dl.Equation):
                self._draw_equation(item, opacity)
            elif isinstance(item, dl.Heatmap):
                self._draw_heatmap(item, opacity)
            elif isinstance(item, dl.Particles):
                self.particles.append((item, self._current_matrix_array()))
            else:
                raise TypeError(f"display list item of unknown type {type(item).__name__}")

    def _draw_group(self, group: dl.Group, opacity: float) -> None:
        combined = opacity * group.opacity
        if combined <= 0.0:
            return
        self.sk.save()
        self.sk.translate(group.translate[0], group.translate[1])
        if group.rotate or group.scale != 1.0:
            ox, oy = group.origin
            self.sk.translate(ox, oy)
            if group.rotate:
                self.sk.rotate(group.rotate)
            if group.scale != 1.0:
                self.sk.scale(group.scale, group.scale)
            self.sk.translate(-ox, -oy)
        if group.clip is not None:
            self.sk.clipRect(skia.Rect.MakeXYWH(*group.clip), doAntiAlias=True)
        self._draw_items(group.items, combined)
        self.sk.restore()

    def _glow_factor(self, glow: float) -> float | None:
        """Alpha multiplier for this pass, or None when the item is not drawn in it."""
        if not self.emission_only:
            return 1.0
        return min(glow, 2.0) if glow > 0 else None

    def _draw_shape(self, item, opacity: float) -> None:
        style: dl.Style = item.style
        factor = self._glow_factor(style.glow)
        if factor is None:
            return
        alpha = opacity * style.opacity * factor
        if alpha <= 0.0:
            return
        path = shape_path(item)
        # The glow pass fills only shapes without an outline: a stroked box glows
        # along its edge, not across its whole face.
        if style.fill is not None and (not self.emission_only or style.stroke is None):
            self.sk.drawPath(path, fill_paint(style.fill, alpha))
        if style.stroke is not None:
            width_scale = 1.6 if self.emission_only else 1.0
            self.sk.drawPath(path, stroke_paint(style, style.stroke, alpha, width_scale))
            if isinstance(item, dl.Arrow) and style.trim >= 1.0:
                self.sk.drawPath(arrow_head(item), fill_paint(style.stroke, alpha))

    def _draw_text(self, item: dl.Text, opacity: float) -> None:
        factor = self._glow_factor(item.glow)
        if factor is None:
            return
        alpha = opacity * item.opacity * factor
        if alpha <= 0.0:
            return
        paint = fill_paint(item.color, alpha)
        run = text.layout_text(item.text, item.role, item.size)
        text.draw_text(self.sk, run, item.x, item.y, paint, item.align)

    def _draw_equation(self, item: dl.Equation, opacity: float) -> None:
        alpha = opacity * item.opacity
        if alpha <= 0.0:
            return
        shape = equations.compile_equation(item.source)
        if item.outline is not None:
            self._draw_equation_outline(item, shape, alpha)
        factor = self._glow_factor(item.glow)
        if factor is None:
            return
        paint = fill_paint(item.color, alpha * factor)
        equations.draw_equation(
            self.sk, shape, item.x, item.y, item.height, paint, item.reveal, item.align, "middle"
        )

    def _draw_equation_outline(self, item: dl.Equation, shape, alpha: float) -> None:
        """A rounded frame around the equation that draws itself on with the reveal."""
        factor = self._glow_factor(item.outline_glow)
        if factor is None:
            return
        placed = equations.placement(shape, item.x, item.y, item.height, item.align, "middle")
        left, top, right, bottom = shape.bounds
        box = placed.mapRect(skia.Rect.MakeLTRB(left, top, right, bottom))
        pad = item.height * 0.35
        box = skia.Rect.MakeLTRB(
            box.left() - pad, box.top() - pad, box.right() + pad, box.bottom() + pad
        )
        outline = dl.Style(
            stroke=item.outline,
            width=item.height * (0.05 if self.emission_only else 0.03),
            trim=item.reveal,
        )
        radius = item.height * 0.3
        path = skia.Path().addRRect(skia.RRect.MakeRectXY(box, radius, radius))
        self.sk.drawPath(path, stroke_paint(outline, item.outline, alpha * factor))

    def _draw_heatmap(self, item: dl.Heatmap, opacity: float) -> None:
        factor = self._glow_factor(item.glow)
        if factor is None:
            return
        alpha = opacity * item.opacity * factor
        if alpha <= 0.0:
            return
        rows, cols = item.values.shape
        cell_w, cell_h = item.w / cols, item.h / rows
        gap = item.gap
        low = np.array(item.low[:4])
        high = np.array(item.high[:4])
        paint = skia.Paint(AntiAlias=True, Style=skia.Paint.kFill_Style)
        for r in range(rows):
            for c in range(cols):
                v = float(item.values[r, c])
                rgba = low + (high - low) * v
                paint.setColor4f(color4f(Rgba(*rgba), alpha))
                self.sk.drawRect(
                    skia.Rect.MakeXYWH(
                        item.x + c * cell_w + gap / 2,
                        item.y + r * cell_h + gap / 2,
                        cell_w - gap,
                        cell_h - gap,
                    ),
                    paint,
                )

    def _current_matrix_array(self) -> np.ndarray:
        m = self.sk.getTotalMatrix()
        return np.array([[m.get(i * 3 + j) for j in range(3)] for i in range(3)])
