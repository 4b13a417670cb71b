"""Maps design units to pixels through a 2D camera (centre, zoom, roll).

Vectors are drawn under this matrix, so text and strokes stay crisp at every
zoom: nothing is scaled as a bitmap.
"""

from __future__ import annotations

from dataclasses import dataclass

import skia

from insideweights import theme
from insideweights.display import Camera


@dataclass(frozen=True, slots=True)
class Viewport:
    """The pixel rectangle the design box is fitted into (the main area)."""

    x: float
    y: float
    width: float
    height: float

    @property
    def fit(self) -> float:
        """Pixels per design unit when the whole design box is shown (contain fit)."""
        return min(self.width / theme.DESIGN_WIDTH, self.height / theme.DESIGN_HEIGHT)


def view_matrix(viewport: Viewport, camera: Camera | None = None) -> skia.Matrix:
    """The matrix taking design units to pixels for ``camera`` inside ``viewport``.

    The camera's centre lands on the viewport's centre; ``zoom`` scales about it
    and ``rotation`` rolls the picture about it.
    """
    camera = camera or Camera()
    matrix = skia.Matrix()
    matrix.setTranslate(viewport.x + viewport.width / 2, viewport.y + viewport.height / 2)
    scale = viewport.fit * camera.zoom
    matrix.preScale(scale, scale)
    if camera.rotation:
        matrix.preRotate(camera.rotation)
    matrix.preTranslate(-camera.cx, -camera.cy)
    return matrix


def overlay_matrix(viewport: Viewport) -> skia.Matrix:
    """Design units to pixels with the neutral camera (for items fixed to the frame)."""
    return view_matrix(viewport, Camera())
