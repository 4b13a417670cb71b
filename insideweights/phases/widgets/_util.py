"""Small helpers every widget shares: clamping, staggered progress, rectangles."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from insideweights.display import Group, Style

Box = tuple[float, float, float, float]  # x, y, w, h in design units


SNAP = 1e-9  # progress this close to 0 or 1 is exactly 0 or 1 (float noise from arithmetic)


def clamp01(value: float) -> float:
    """``value`` limited to [0, 1]; values within ``SNAP`` of an end become that end.

    Snapping matters for write-on reveals: a trim of 0.9999999999 is not a finished
    outline to Skia (it returns no path effect near 1), and reads as "still drawing".
    """
    if value <= SNAP:
        return 0.0
    if value >= 1.0 - SNAP:
        return 1.0
    return float(value)


def staggered(progress: float, index: int, count: int, overlap: float = 2.0) -> float:
    """Progress of part ``index`` of ``count`` parts revealed in turn by one ``progress``.

    Each part takes ``overlap`` part-slots, so neighbours overlap; part 0 starts at
    progress 0 and the last part ends exactly at progress 1.
    """
    if count <= 1:
        return clamp01(progress)
    span = count - 1 + overlap
    return clamp01((progress * span - index) / overlap)


def check_positive(name: str, value: float) -> None:
    """Raise one clear line unless ``value`` is a positive number."""
    if not value > 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}")


def check_box(owner: str, width: float, height: float) -> None:
    check_positive(f"{owner} width", width)
    check_positive(f"{owner} height", height)


@dataclass(frozen=True, slots=True)
class Rectangle:
    """An axis-aligned rectangle with named edges (design units)."""

    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def box(self) -> Box:
        return (self.x, self.y, self.w, self.h)

    def contains(self, px: float, py: float) -> bool:
        return self.x <= px <= self.right and self.y <= py <= self.bottom


def faded(style: Style, factor: float) -> Style:
    """``style`` with its opacity multiplied by ``factor``."""
    return replace(style, opacity=style.opacity * factor)


def scale_strokes(items: tuple, factor: float) -> tuple:
    """``items`` with every stroke width multiplied by ``factor`` (groups included).

    For widgets shown under a camera zoom that should keep their on-screen line
    weight: pass ``1 / zoom`` relative to the zoom they were designed for.
    """
    if factor == 1.0:
        return items
    scaled = []
    for item in items:
        if isinstance(item, Group):
            scaled.append(replace(item, items=scale_strokes(item.items, factor)))
        elif hasattr(item, "style") and isinstance(item.style, Style):
            scaled.append(
                replace(item, style=replace(item.style, width=item.style.width * factor))
            )
        else:
            scaled.append(item)
    return tuple(scaled)


# Things that ride a line or a stream (chips, bar copies) sit on an opaque backing that
# is fully there once the thing itself is this opaque: fading in or out, it never lets
# the line or the stream show through its text.
SOLID_FROM = 1.0 / 3.0


def backing_opacity(opacity: float) -> float:
    """Opacity of a riding thing's backing card when the thing has ``opacity``."""
    return clamp01(opacity / SOLID_FROM)


def clearance(xy: np.ndarray, boxes, soft: float = 6.0) -> np.ndarray:
    """Per point, the light left by ``boxes`` ((x, y, w, h), opacity): none inside a box
    whose backing is opaque (see ``backing_opacity``), all of it farther than ``soft``
    outside every box, linear between.

    Particles are drawn over everything, so a stream lets things that ride it (chips,
    bar copies) show by dimming its particles with this."""
    gain = np.ones(len(xy))
    for (x, y, w, h), opacity in boxes:
        # Distance outside the box along each axis (0 inside), then the larger of the two.
        outside_x = np.maximum(np.maximum(x - xy[:, 0], xy[:, 0] - (x + w)), 0.0)
        outside_y = np.maximum(np.maximum(y - xy[:, 1], xy[:, 1] - (y + h)), 0.0)
        edge = np.clip(np.maximum(outside_x, outside_y) / soft, 0.0, 1.0)
        gain *= 1.0 - backing_opacity(opacity) * (1.0 - edge)
    return gain
