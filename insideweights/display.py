"""The display list: what one frame shows, as plain immutable data.

Phases return a :class:`Scene`; the renderer turns it into pixels. Nothing here
knows Skia, so tests can ask *what* is on screen (labels, numbers, equations)
without reading pixels.

Coordinates are design units: the main area is a logical 1920 x 1080 box
(``theme.DESIGN_WIDTH`` x ``theme.DESIGN_HEIGHT``), origin top-left, y down. The
renderer fits that box into the actual main area of any output size, so every
resolution composes the same picture. Sizes (stroke widths, text sizes) are in
the same units.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from insideweights.timeline.color import Rgba

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Style:
    """How a shape is painted.

    ``glow`` is the strength with which the shape also emits light into the
    bloom layer (0 = no extra emission; bright shapes still bloom a little
    through the bright pass). ``trim`` draws only that fraction of the outline,
    for write-on reveals. ``opacity`` multiplies fill and stroke alpha.
    """

    fill: Rgba | None = None
    stroke: Rgba | None = None
    width: float = 3.0
    glow: float = 0.0
    opacity: float = 1.0
    dash: tuple[float, float] | None = None
    trim: float = 1.0


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    style: Style
    radius: float = 0.0


@dataclass(frozen=True, slots=True)
class Circle:
    cx: float
    cy: float
    r: float
    style: Style


@dataclass(frozen=True, slots=True)
class Line:
    x0: float
    y0: float
    x1: float
    y1: float
    style: Style


@dataclass(frozen=True, slots=True)
class Arrow:
    """A straight arrow from (x0, y0) to (x1, y1) with a filled head at the end."""

    x0: float
    y0: float
    x1: float
    y1: float
    style: Style
    head: float = 16.0


@dataclass(frozen=True, slots=True, eq=False)
class Polyline:
    """Connected points, e.g. a plotted curve; ``points`` has shape (N, 2)."""

    points: np.ndarray
    style: Style
    closed: bool = False


@dataclass(frozen=True, slots=True)
class Path:
    """A general vector path as SVG-like commands.

    Each command is a tuple: ``("M", x, y)``, ``("L", x, y)``,
    ``("Q", cx, cy, x, y)``, ``("C", c1x, c1y, c2x, c2y, x, y)``,
    ``("A", cx, cy, r, start_deg, sweep_deg)`` (an arc appended to the contour)
    or ``("Z",)``.
    """

    commands: tuple[tuple, ...]
    style: Style


@dataclass(frozen=True, slots=True)
class Text:
    """A run of text whose baseline starts (or centres, or ends) at (x, y).

    ``role`` picks the bundled font: "sans", "sans-semibold", "sans-bold",
    "mono", "mono-medium".
    """

    text: str
    x: float
    y: float
    size: float
    color: Rgba
    role: str = "sans"
    align: str = "left"
    opacity: float = 1.0
    glow: float = 0.0


@dataclass(frozen=True, slots=True)
class Equation:
    """Typeset math (a typst math source) placed by its centre-left-right anchor.

    ``y`` is the vertical centre of the equation's box; ``height`` is the box
    height in design units. ``reveal`` in [0, 1] is the write-on progress.
    ``outline`` draws a glowing rounded frame around the equation.
    """

    source: str
    x: float
    y: float
    height: float
    color: Rgba
    align: str = "center"
    reveal: float = 1.0
    opacity: float = 1.0
    glow: float = 0.0
    outline: Rgba | None = None
    outline_glow: float = 0.0


@dataclass(frozen=True, slots=True, eq=False)
class Heatmap:
    """A grid of cells coloured between ``low`` and ``high`` by ``values`` in [0, 1]."""

    x: float
    y: float
    w: float
    h: float
    values: np.ndarray
    low: Rgba
    high: Rgba
    gap: float = 0.0
    opacity: float = 1.0
    glow: float = 0.0


@dataclass(frozen=True, slots=True, eq=False)
class Particles:
    """Many small glowing points; ``xy`` has shape (N, 2) in design units.

    ``intensity`` is a scalar or an (N,) array of per-particle brightness in [0, 1].
    """

    xy: np.ndarray
    radius: float
    color: Rgba
    intensity: float | np.ndarray = 1.0


@dataclass(frozen=True, slots=True)
class Group:
    """Children drawn under a local transform and a shared opacity.

    The transform maps child coordinates to the parent: translate, then rotate
    (degrees) and scale about ``origin``. ``clip`` (x, y, w, h in child units)
    hides anything outside it. ``cache_key`` promises that the children are
    identical whenever the key is, so the renderer may record them once.
    """

    items: tuple
    translate: Point = (0.0, 0.0)
    scale: float = 1.0
    rotate: float = 0.0
    origin: Point = (0.0, 0.0)
    opacity: float = 1.0
    clip: tuple[float, float, float, float] | None = None
    cache_key: str | None = None


@dataclass(frozen=True, slots=True)
class Camera:
    """Where the camera looks (design units), how close (zoom) and its roll (degrees)."""

    cx: float = 960.0
    cy: float = 540.0
    zoom: float = 1.0
    rotation: float = 0.0


Item = (
    Rect | Circle | Line | Arrow | Polyline | Path | Text | Equation | Heatmap | Particles | Group
)


@dataclass(frozen=True, slots=True)
class Scene:
    """Everything one phase shows at one instant: items under a camera.

    ``overlay`` items are drawn after the camera, fixed to the main area
    (e.g. key-term captions that should not zoom).
    """

    items: tuple
    camera: Camera = field(default_factory=Camera)
    overlay: tuple = ()


def walk(items) -> Iterator:
    """Yield every item depth-first, descending into groups (groups included)."""
    for item in items:
        yield item
        if isinstance(item, Group):
            yield from walk(item.items)


def visible_texts(scene: Scene, min_opacity: float = 0.05) -> list[str]:
    """Texts the scene shows with at least ``min_opacity`` (group opacity applied)."""
    found: list[str] = []

    def visit(items, opacity: float) -> None:
        for item in items:
            if isinstance(item, Group):
                visit(item.items, opacity * item.opacity)
            elif isinstance(item, Text) and opacity * item.opacity * item.color.a >= min_opacity:
                found.append(item.text)

    visit(scene.items, 1.0)
    visit(scene.overlay, 1.0)
    return found
