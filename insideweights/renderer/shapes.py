"""Display-list shapes to Skia paths and paints (no drawing here)."""

from __future__ import annotations

import math

import numpy as np
import skia

from insideweights.display import Arrow, Circle, Line, Path, Polyline, Rect, Style
from insideweights.timeline.color import Rgba


def color4f(color: Rgba, opacity: float = 1.0) -> skia.Color4f:
    return skia.Color4f(color.r, color.g, color.b, max(0.0, min(1.0, color.a * opacity)))


def fill_paint(color: Rgba, opacity: float) -> skia.Paint:
    paint = skia.Paint(AntiAlias=True, Style=skia.Paint.kFill_Style)
    paint.setColor4f(color4f(color, opacity))
    return paint


def stroke_paint(style: Style, color: Rgba, opacity: float, width_scale: float = 1.0):
    paint = skia.Paint(AntiAlias=True, Style=skia.Paint.kStroke_Style)
    paint.setColor4f(color4f(color, opacity))
    paint.setStrokeWidth(style.width * width_scale)
    paint.setStrokeCap(skia.Paint.kRound_Cap)
    paint.setStrokeJoin(skia.Paint.kRound_Join)
    effects = []
    if style.dash is not None:
        effects.append(skia.DashPathEffect.Make(list(style.dash), 0.0))
    if style.trim < 1.0:
        # Skia returns None for a trim that keeps (almost) the whole path, e.g. 1 - 1e-9.
        trim = skia.TrimPathEffect.Make(0.0, max(0.0, style.trim))
        if trim is not None:
            effects.append(trim)
    if len(effects) == 1:
        paint.setPathEffect(effects[0])
    elif len(effects) == 2:
        paint.setPathEffect(skia.PathEffect.MakeCompose(effects[0], effects[1]))
    return paint


def shape_path(item) -> skia.Path:
    """The outline of a shape item as a Skia path in design units."""
    if isinstance(item, Rect):
        rect = skia.Rect.MakeXYWH(item.x, item.y, item.w, item.h)
        if item.radius > 0:
            return skia.Path().addRRect(skia.RRect.MakeRectXY(rect, item.radius, item.radius))
        return skia.Path().addRect(rect)
    if isinstance(item, Circle):
        return skia.Path().addCircle(item.cx, item.cy, item.r)
    if isinstance(item, Line):
        return skia.Path().moveTo(item.x0, item.y0).lineTo(item.x1, item.y1)
    if isinstance(item, Arrow):
        return arrow_shaft(item)
    if isinstance(item, Polyline):
        return polyline_path(item.points, item.closed)
    if isinstance(item, Path):
        return command_path(item.commands)
    raise TypeError(f"not a shape item: {type(item).__name__}")


def polyline_path(points: np.ndarray, closed: bool) -> skia.Path:
    """The points joined by straight lines (``closed``: back to the first), as one contour.

    Plotted curves have thousands of points; building a list of ``skia.Point``
    costs about a microsecond each, so the path is assembled in Skia's own
    serialised form with numpy and read back in one call.
    """
    points = np.asarray(points, dtype=np.float32).reshape(-1, 2)
    if len(points) == 0:
        return skia.Path()
    if _SERIALISED_POLYLINES:
        path = skia.Path()
        if path.readFromMemory(_serialised_polyline(points, closed)):
            return path
    return _listed_polyline(points, closed)


# Skia's serialised path: int32 header (format version 5, winding fill), point, conic
# and verb counts, float32 x/y pairs, uint8 verbs, zero padding to a multiple of 4.
_PATH_FORMAT = 5
_MOVE, _LINE, _CLOSE = 0, 1, 5


def _serialised_polyline(points: np.ndarray, closed: bool) -> bytes:
    verbs = np.full(len(points) + int(closed), _LINE, dtype=np.uint8)
    verbs[0] = _MOVE
    if closed:
        verbs[-1] = _CLOSE
    header = np.array([_PATH_FORMAT, len(points), 0, len(verbs)], dtype="<i4")
    padding = bytes(-len(verbs) % 4)
    return header.tobytes() + points.astype("<f4").tobytes() + verbs.tobytes() + padding


def _listed_polyline(points: np.ndarray, closed: bool) -> skia.Path:
    path = skia.Path()
    path.addPoly([skia.Point(x, y) for x, y in points.tolist()], closed)
    return path


def _serialised_form_matches() -> bool:
    """True when this Skia reads the serialised form back as the same path."""
    sample = np.array([[0.5, 1.0], [2.0, 3.5], [4.0, 1.5]], dtype=np.float32)
    for closed in (False, True):
        path = skia.Path()
        ok = path.readFromMemory(_serialised_polyline(sample, closed))
        if not ok or path != _listed_polyline(sample, closed):
            return False
    return True


_SERIALISED_POLYLINES = _serialised_form_matches()


def command_path(commands) -> skia.Path:
    path = skia.Path()
    for command in commands:
        op = command[0]
        if op == "M":
            path.moveTo(command[1], command[2])
        elif op == "L":
            path.lineTo(command[1], command[2])
        elif op == "Q":
            path.quadTo(*command[1:5])
        elif op == "C":
            path.cubicTo(*command[1:7])
        elif op == "A":
            cx, cy, r, start, sweep = command[1:6]
            oval = skia.Rect.MakeLTRB(cx - r, cy - r, cx + r, cy + r)
            path.arcTo(oval, start, sweep, False)
        elif op == "Z":
            path.close()
        else:
            raise ValueError(f"path command must be one of M L Q C A Z, got {op!r}")
    return path


def arrow_shaft(arrow: Arrow) -> skia.Path:
    """The arrow's line, stopping where the head begins so the tip stays sharp."""
    dx, dy = arrow.x1 - arrow.x0, arrow.y1 - arrow.y0
    length = math.hypot(dx, dy)
    if length == 0:
        return skia.Path()
    cut = min(arrow.head * 0.8, length)
    ux, uy = dx / length, dy / length
    return skia.Path().moveTo(arrow.x0, arrow.y0).lineTo(arrow.x1 - ux * cut, arrow.y1 - uy * cut)


def arrow_head(arrow: Arrow) -> skia.Path:
    """A filled triangular head whose tip is exactly at (x1, y1)."""
    dx, dy = arrow.x1 - arrow.x0, arrow.y1 - arrow.y0
    length = math.hypot(dx, dy)
    path = skia.Path()
    if length == 0:
        return path
    ux, uy = dx / length, dy / length
    px, py = -uy, ux
    base_x, base_y = arrow.x1 - ux * arrow.head, arrow.y1 - uy * arrow.head
    half = arrow.head * 0.55
    path.moveTo(arrow.x1, arrow.y1)
    path.lineTo(base_x + px * half, base_y + py * half)
    path.lineTo(base_x - px * half, base_y - py * half)
    path.close()
    return path
