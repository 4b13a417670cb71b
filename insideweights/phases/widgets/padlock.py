"""A padlock icon whose shackle can drop shut: the mark of closed weights."""

from __future__ import annotations

from insideweights import theme
from insideweights.display import Circle, Group, Path, Rect, Style
from insideweights.phases.widgets._util import check_positive, clamp01
from insideweights.timeline.color import Rgba

SHACKLE_LIFT = 0.32  # how far the open shackle rises, as a fraction of ``size``


def padlock(
    cx: float,
    cy: float,
    size: float,
    *,
    closed: float = 1.0,
    colour: Rgba = theme.TEXT,
    accent: Rgba = theme.ORANGE,
    glow: float = 0.0,
    opacity: float = 1.0,
) -> Group:
    """A padlock centred on (cx, cy), ``size`` units tall overall.

    ``closed`` 0 -> 1 lowers the shackle into the body (0 = open, lifted and
    swung); ``glow`` lights the outline (accent keyhole) when it snaps shut.
    """
    check_positive("padlock size", size)
    if opacity <= 0.0:
        return Group(items=())
    closed = clamp01(closed)
    body_w, body_h = 0.78 * size, 0.52 * size
    body_x, body_y = cx - body_w / 2, cy + size / 2 - body_h
    radius = 0.28 * body_w
    lift = (1.0 - closed) * SHACKLE_LIFT * size
    arc_cy = body_y - 0.16 * size - lift
    stroke = Style(stroke=colour, width=0.085 * size, glow=glow)
    right_end = body_y + 0.04 * size - lift if closed < 0.999 else body_y + 0.04 * size
    shackle = Path(
        (
            ("M", cx - radius, body_y + 0.04 * size),
            ("L", cx - radius, arc_cy),
            ("A", cx, arc_cy, radius, 180.0, 180.0),
            ("L", cx + radius, right_end - (1.0 - closed) * 0.12 * size),
        ),
        stroke,
    )
    body = Rect(
        body_x,
        body_y,
        body_w,
        body_h,
        Style(fill=colour, glow=glow * 0.6),
        radius=0.14 * size,
    )
    hole_y = body_y + 0.42 * body_h
    keyhole = (
        Circle(cx, hole_y, 0.075 * size, Style(fill=theme.BLACK_BOX)),
        Rect(cx - 0.03 * size, hole_y, 0.06 * size, 0.17 * size, Style(fill=theme.BLACK_BOX)),
    )
    glint = Circle(cx, hole_y, 0.04 * size, Style(fill=accent, glow=glow, opacity=clamp01(glow)))
    return Group(items=(shackle, body, *keyhole, glint), opacity=opacity)
