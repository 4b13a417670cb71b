"""Small helpers every widget shares: clamping, staggered progress, rectangles."""

from __future__ import annotations

from dataclasses import dataclass

Box = tuple[float, float, float, float]  # x, y, w, h in design units


def clamp01(value: float) -> float:
    """``value`` limited to [0, 1]."""
    return 0.0 if value <= 0.0 else 1.0 if value >= 1.0 else float(value)


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
