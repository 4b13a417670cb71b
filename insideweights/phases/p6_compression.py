"""Phase: Capability Compression (rough first pass, to be replaced)."""

from __future__ import annotations

from fractions import Fraction

from insideweights import theme
from insideweights.display import Camera, Circle, Scene, Style, Text

NAME = "Capability Compression"
SECONDS = 15


def scene(seconds: Fraction) -> Scene:
    t = float(seconds)
    ring = Circle(960, 540, 120 + 20 * t, Style(stroke=theme.CYAN, width=theme.STROKE, glow=1.0))
    title = Text(
        NAME, 960, 560, theme.TEXT_TITLE, theme.TEXT, role="sans-semibold", align="center"
    )
    return Scene(items=(ring, title), camera=Camera(zoom=1.0 + 0.004 * t))
