"""Device icons: phone, laptop, server and edge box as clean vector line art.

Every icon is drawn inside a ``size`` x ``size`` box centred on (cx, cy), with the
theme's stroke widths whatever its size, so a row of mixed devices reads as one
family. ``lit`` in [0, 1] lights the device's display area (a phone's screen, a
laptop's screen, a server's drive bays, an edge box's front panel) from the dark
panel colour towards a soft cyan, for "a model is running here".
:func:`device_slots` returns those display areas, so callers can place things on
them (e.g. particles that land on the screen).
"""

from __future__ import annotations

from insideweights import theme
from insideweights.display import Circle, Group, Line, Path, Rect, Style
from insideweights.phases.widgets._util import Box, check_positive, clamp01
from insideweights.timeline.color import Rgba, mix_oklab

KINDS = ("phone", "laptop", "server", "edge")

SCREEN_DARK = theme.BLACK_BOX
SCREEN_LIT = mix_oklab(theme.BLACK_BOX, theme.CYAN, 0.22)
LED_ON = theme.CYAN
LED_OFF = theme.BLUE_DIM


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"device kind must be one of {', '.join(KINDS)}; got {kind!r}")


def _screen_colour(lit: float) -> Rgba:
    return mix_oklab(SCREEN_DARK, SCREEN_LIT, clamp01(lit))


# -- geometry in units of the icon box (centre at 0, 0; the box spans -0.5 .. 0.5) -------


def _slots_unit(kind: str) -> tuple[Box, ...]:
    """Display areas in box units: where a running model shows."""
    if kind == "phone":
        return ((-0.215, -0.36, 0.43, 0.72),)
    if kind == "laptop":
        return ((-0.355, -0.375, 0.71, 0.42),)
    if kind == "server":
        return tuple((-0.16, top + 0.06, 0.5, 0.12) for top in _server_unit_tops())
    return ((-0.34, 0.02, 0.68, 0.2),)


def _server_unit_tops() -> tuple[float, ...]:
    return (-0.41, -0.12, 0.17)


def device_slots(kind: str, cx: float, cy: float, size: float) -> tuple[Box, ...]:
    """The device's display areas as (x, y, w, h) boxes in the caller's units."""
    _check_kind(kind)
    check_positive("device size", size)
    return tuple(
        (cx + x * size, cy + y * size, w * size, h * size) for x, y, w, h in _slots_unit(kind)
    )


# -- icons -------------------------------------------------------------------------------


def _phone(s: float, outline: Style, screen: Style, detail: Style) -> list:
    body_w, body_h = 0.54 * s, 0.96 * s
    x, y, w, h = _slots_unit("phone")[0]
    return [
        Rect(-body_w / 2, -body_h / 2, body_w, body_h, outline, radius=0.1 * s),
        Rect(x * s, y * s, w * s, h * s, screen, radius=0.03 * s),
        Line(-0.05 * s, -0.415 * s, 0.05 * s, -0.415 * s, detail),
        Line(-0.07 * s, 0.42 * s, 0.07 * s, 0.42 * s, detail),
    ]


def _laptop(s: float, outline: Style, screen: Style, detail: Style) -> list:
    x, y, w, h = _slots_unit("laptop")[0]
    pad = 0.035 * s
    lid = Rect(
        x * s - pad, y * s - pad, w * s + 2 * pad, h * s + 2 * pad, outline, radius=0.04 * s
    )
    hinge_y = (y + h) * s + pad
    base = Path(
        (
            ("M", -0.43 * s, hinge_y + 0.035 * s),
            ("L", 0.43 * s, hinge_y + 0.035 * s),
            ("L", 0.5 * s, hinge_y + 0.12 * s),
            ("L", -0.5 * s, hinge_y + 0.12 * s),
            ("Z",),
        ),
        outline,
    )
    notch_y = hinge_y + 0.075 * s
    return [
        lid,
        Rect(x * s, y * s, w * s, h * s, screen, radius=0.015 * s),
        base,
        Line(-0.07 * s, notch_y, 0.07 * s, notch_y, detail),
    ]


def _server(s: float, outline: Style, screen: Style, detail: Style, lit: float) -> list:
    items: list = []
    unit_w, unit_h = 0.8 * s, 0.24 * s
    led = Style(fill=mix_oklab(LED_OFF, LED_ON, clamp01(lit)), glow=theme.GLOW_SOFT * lit)
    for top, slot in zip(_server_unit_tops(), _slots_unit("server"), strict=True):
        y = top * s
        items.append(Rect(-unit_w / 2, y, unit_w, unit_h, outline, radius=0.035 * s))
        x0, y0, w0, h0 = slot
        items.append(Rect(x0 * s, y0 * s, w0 * s, h0 * s, screen, radius=0.015 * s))
        items.append(Circle(-0.3 * s, y + unit_h / 2, 0.028 * s, led))
        items.append(Line(-0.24 * s, y + 0.08 * s, -0.24 * s, y + 0.16 * s, detail))
    return items


def _edge(s: float, outline: Style, screen: Style, detail: Style, lit: float) -> list:
    box_top, box_h = -0.08 * s, 0.42 * s
    items: list = [Rect(-0.44 * s, box_top, 0.88 * s, box_h, outline, radius=0.06 * s)]
    tip = Style(fill=mix_oklab(LED_OFF, LED_ON, clamp01(lit)), glow=theme.GLOW_SOFT * lit)
    for side in (-1.0, 1.0):
        x = side * 0.28 * s
        items.append(Line(x, box_top, x + side * 0.06 * s, -0.4 * s, outline))
        items.append(Circle(x + side * 0.06 * s, -0.4 * s, 0.035 * s, tip))
    x, y, w, h = _slots_unit("edge")[0]
    items.append(Rect(x * s, y * s, w * s, h * s, screen, radius=0.02 * s))
    items.append(Line(-0.3 * s, -0.025 * s, 0.3 * s, -0.025 * s, detail))
    return items


def device(
    kind: str,
    cx: float,
    cy: float,
    size: float,
    *,
    lit: float = 0.0,
    outline: Rgba = theme.BLUE,
    opacity: float = 1.0,
    scale: float = 1.0,
    glow: float = 0.0,
) -> Group:
    """The ``kind`` icon centred on (cx, cy) in a ``size`` box.

    ``scale`` grows the icon about its centre (for pop-in entrances) without
    thickening its strokes' relation to other icons; ``glow`` makes the outline bloom.
    """
    _check_kind(kind)
    check_positive("device size", size)
    outline_style = Style(fill=theme.PANEL, stroke=outline, width=theme.STROKE, glow=glow)
    screen = Style(
        fill=_screen_colour(lit),
        stroke=theme.BLUE_DIM,
        width=theme.STROKE_THIN,
        glow=theme.GLOW_SOFT * 0.4 * clamp01(lit),
    )
    detail = Style(stroke=theme.BLUE_DIM, width=theme.STROKE)
    if kind == "phone":
        items = _phone(size, outline_style, screen, detail)
    elif kind == "laptop":
        items = _laptop(size, outline_style, screen, detail)
    elif kind == "server":
        items = _server(size, outline_style, screen, detail, lit)
    else:
        items = _edge(size, outline_style, screen, detail, lit)
    return Group(items=tuple(items), translate=(cx, cy), scale=scale, opacity=opacity)
