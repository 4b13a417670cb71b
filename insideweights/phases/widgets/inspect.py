"""Where display items land: bounds after group transforms, for layout checks in tests.

Phases are plain data, so tests can ask geometric questions without pixels: is
every label inside the safe area at the camera's view, do two labels overlap, is
anything drawn inside a box that must stay opaque. Text bounds use the font
advance table of :mod:`.labels` (within a few percent of the real layout).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from insideweights import theme
from insideweights.display import (
    Arrow,
    Camera,
    Circle,
    Equation,
    Group,
    Heatmap,
    Line,
    Particles,
    Path,
    Polyline,
    Rect,
    Scene,
    Text,
)
from insideweights.phases.widgets.labels import text_box

Bounds = tuple[float, float, float, float]  # x0, y0, x1, y1


@dataclass(frozen=True, slots=True)
class Placed:
    """A leaf item, the matrix taking its coordinates to the scene's, and its opacity."""

    item: object
    matrix: np.ndarray
    opacity: float

    @property
    def bounds(self) -> Bounds | None:
        local = local_bounds(self.item)
        if local is None:
            return None
        return transform_bounds(self.matrix, local)


def group_matrix(group: Group) -> np.ndarray:
    """Child-to-parent matrix of a group: translate, then rotate and scale about origin."""
    ox, oy = group.origin
    angle = math.radians(group.rotate)
    cos, sin = math.cos(angle) * group.scale, math.sin(angle) * group.scale
    linear = np.array([[cos, -sin, 0.0], [sin, cos, 0.0], [0.0, 0.0, 1.0]])
    to_origin = np.array([[1.0, 0.0, -ox], [0.0, 1.0, -oy], [0.0, 0.0, 1.0]])
    back = np.array(
        [[1.0, 0.0, ox + group.translate[0]], [0.0, 1.0, oy + group.translate[1]], [0, 0, 1.0]]
    )
    return back @ linear @ to_origin


def placed_items(items, matrix: np.ndarray | None = None, opacity: float = 1.0) -> Iterator:
    """Every leaf item with its accumulated matrix and opacity (groups flattened)."""
    matrix = np.eye(3) if matrix is None else matrix
    for item in items:
        if isinstance(item, Group):
            yield from placed_items(
                item.items, matrix @ group_matrix(item), opacity * item.opacity
            )
        else:
            yield Placed(item, matrix, opacity * _own_opacity(item))


def _own_opacity(item) -> float:
    if isinstance(item, Text):
        return item.opacity * item.color.a
    if isinstance(item, Heatmap | Equation):
        return item.opacity
    style = getattr(item, "style", None)
    return style.opacity if style is not None else 1.0


def local_bounds(item) -> Bounds | None:
    """Axis-aligned bounds of one leaf item in its own coordinates (None if unknown)."""
    if isinstance(item, Rect | Heatmap):
        return (item.x, item.y, item.x + item.w, item.y + item.h)
    if isinstance(item, Circle):
        return (item.cx - item.r, item.cy - item.r, item.cx + item.r, item.cy + item.r)
    if isinstance(item, Line | Arrow):
        return (
            min(item.x0, item.x1),
            min(item.y0, item.y1),
            max(item.x0, item.x1),
            max(item.y0, item.y1),
        )
    if isinstance(item, Polyline):
        points = np.asarray(item.points)
        return (*points.min(axis=0), *points.max(axis=0))
    if isinstance(item, Particles):
        if len(item.xy) == 0:
            return None
        xy = np.asarray(item.xy)
        lo, hi = xy.min(axis=0) - item.radius, xy.max(axis=0) + item.radius
        return (lo[0], lo[1], hi[0], hi[1])
    if isinstance(item, Path):
        return _path_bounds(item)
    if isinstance(item, Text):
        box = text_box(item.text, item.x, item.y, item.size, item.role, item.align)
        return (box.x, box.y, box.right, box.bottom)
    return None


def _path_bounds(path: Path) -> Bounds | None:
    xs, ys = [], []
    for command in path.commands:
        if command[0] == "A":
            _, cx, cy, r, _, _ = command
            xs += [cx - r, cx + r]
            ys += [cy - r, cy + r]
        elif len(command) > 1:
            xs += list(command[1::2])
            ys += list(command[2::2])
    if not xs:
        return None
    return (min(xs), min(ys), max(xs), max(ys))


def transform_bounds(matrix: np.ndarray, bounds: Bounds) -> Bounds:
    x0, y0, x1, y1 = bounds
    corners = np.array([[x0, y0, 1.0], [x1, y0, 1.0], [x0, y1, 1.0], [x1, y1, 1.0]])
    mapped = corners @ matrix.T
    return (mapped[:, 0].min(), mapped[:, 1].min(), mapped[:, 0].max(), mapped[:, 1].max())


def camera_view(camera: Camera, margin: float = theme.SAFE_MARGIN) -> Bounds:
    """The part of the design plane the camera shows, shrunk by a screen ``margin``."""
    half_w = (theme.DESIGN_WIDTH / 2 - margin) / camera.zoom
    half_h = (theme.DESIGN_HEIGHT / 2 - margin) / camera.zoom
    return (camera.cx - half_w, camera.cy - half_h, camera.cx + half_w, camera.cy + half_h)


def inside(bounds: Bounds, area: Bounds, tolerance: float = 0.5) -> bool:
    return (
        bounds[0] >= area[0] - tolerance
        and bounds[1] >= area[1] - tolerance
        and bounds[2] <= area[2] + tolerance
        and bounds[3] <= area[3] + tolerance
    )


def particles_in_box(particles: Particles, box) -> tuple[int, int]:
    """How many of ``particles`` lie inside ``box`` (x, y, w, h), and how many of those
    are lit (intensity > 0). Positions are the item's own coordinates."""
    x, y, w, h = box
    px, py = particles.xy[:, 0], particles.xy[:, 1]
    inside = (px > x) & (px < x + w) & (py > y) & (py < y + h)
    lit = np.broadcast_to(np.asarray(particles.intensity) > 0.0, inside.shape)
    return int(inside.sum()), int((inside & lit).sum())


def overlap(a: Bounds, b: Bounds) -> float:
    """Area shared by two bounds (0 when they only touch)."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return max(0.0, width) * max(0.0, height)


def _describe(item) -> str:
    if isinstance(item, Text):
        return f"Text {item.text!r}"
    return type(item).__name__


def layout_problems(
    scene: Scene, *, min_opacity: float = 0.05, overlap_fraction: float = 0.03
) -> list[str]:
    """What a careful eye would flag in one scene, as readable lines (empty: none).

    - any visible item (camera items and overlay) reaching outside the safe area of
      the camera's view;
    - any two visible texts whose boxes share more than ``overlap_fraction`` of the
      smaller box (labels colliding by accident).
    """
    problems: list[str] = []
    view = camera_view(scene.camera)
    fixed = camera_view(Camera())
    texts: list[tuple[str, Bounds]] = []
    for items, area in ((scene.items, view), (scene.overlay, fixed)):
        for placed in placed_items(items):
            bounds = placed.bounds
            if bounds is None or placed.opacity < min_opacity:
                continue
            if not inside(bounds, area):
                shown = tuple(round(v) for v in bounds)
                problems.append(f"{_describe(placed.item)} at {shown} leaves the safe area")
            if isinstance(placed.item, Text) and area is view:
                texts.append((placed.item.text, bounds))
    for index, (name_a, a) in enumerate(texts):
        for name_b, b in texts[index + 1 :]:
            smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
            if smaller > 0 and overlap(a, b) > overlap_fraction * smaller:
                problems.append(f"texts {name_a!r} and {name_b!r} overlap")
    return problems
