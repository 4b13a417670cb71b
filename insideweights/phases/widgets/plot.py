"""Plots: labelled axes with ticks, and a curve drawn on progressively with a glowing tip."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from insideweights import theme
from insideweights.display import Arrow, Circle, Group, Line, Polyline, Style, Text
from insideweights.phases.widgets._util import check_box, clamp01, staggered
from insideweights.timeline.color import Rgba

TICK = 10.0  # tick length (design units)


@dataclass(frozen=True, slots=True)
class PlotFrame:
    """Maps data coordinates to design units inside the box (x, y, w, h), y up in data."""

    x: float
    y: float
    w: float
    h: float
    x_range: tuple[float, float]
    y_range: tuple[float, float]

    def __post_init__(self) -> None:
        check_box("PlotFrame", self.w, self.h)
        for name, (low, high) in (("x_range", self.x_range), ("y_range", self.y_range)):
            if not high > low:
                raise ValueError(f"{name} must rise (low < high), got {(low, high)!r}")

    def to_design(self, data_x, data_y) -> tuple[np.ndarray, np.ndarray]:
        """Design coordinates of data points (arrays or scalars)."""
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        px = self.x + (np.asarray(data_x, dtype=np.float64) - x0) / (x1 - x0) * self.w
        py = self.y + self.h - (np.asarray(data_y, dtype=np.float64) - y0) / (y1 - y0) * self.h
        return px, py


def axes(
    frame: PlotFrame,
    *,
    x_ticks: Sequence[float] = (),
    y_ticks: Sequence[float] = (),
    x_label: str = "",
    y_label: str = "",
    tick_format: Callable[[float], str] = lambda value: f"{value:g}",
    y_tick_format: Callable[[float], str] | None = None,
    reveal: float = 1.0,
    colour: Rgba = theme.TEXT_DIM,
    size: float = theme.TEXT_TINY,
    label_size: float = theme.TEXT_SMALL,
) -> Group:
    """Two axes with arrow heads, ticks and tick labels; axis names at their ends.

    ``reveal`` draws the axes on, then the ticks appear in turn, then the names.
    The x name sits centred under the tick labels; the y name above the y axis.
    """
    reveal = clamp01(reveal)
    if reveal <= 0.0:
        return Group(items=())
    y_tick_format = y_tick_format or tick_format
    origin_x, origin_y = frame.x, frame.y + frame.h
    draw = clamp01(reveal / 0.5)
    style = Style(stroke=colour, width=theme.STROKE)
    items: list = [
        Arrow(origin_x, origin_y, origin_x + (frame.w + 24) * draw, origin_y, style, head=12),
        Arrow(origin_x, origin_y, origin_x, origin_y - (frame.h + 24) * draw, style, head=12),
    ]
    ticks = clamp01((reveal - 0.35) / 0.5)
    tick_style = Style(stroke=colour, width=theme.STROKE_THIN)
    for index, value in enumerate(x_ticks):
        shown = staggered(ticks, index, len(x_ticks))
        if shown <= 0.0:
            continue
        px, _ = frame.to_design(value, frame.y_range[0])
        px = float(px)
        items.append(Line(px, origin_y, px, origin_y + TICK, _opaque(tick_style, shown)))
        items.append(
            Text(
                tick_format(value),
                px,
                origin_y + TICK + 1.1 * size,
                size,
                colour,
                role="sans",
                align="center",
                opacity=shown,
            )
        )
    for index, value in enumerate(y_ticks):
        shown = staggered(ticks, index, len(y_ticks))
        if shown <= 0.0:
            continue
        _, py = frame.to_design(frame.x_range[0], value)
        py = float(py)
        items.append(Line(origin_x - TICK, py, origin_x, py, _opaque(tick_style, shown)))
        items.append(
            Text(
                y_tick_format(value),
                origin_x - TICK - 8,
                py + 0.36 * size,
                size,
                colour,
                role="sans",
                align="right",
                opacity=shown,
            )
        )
    names = clamp01((reveal - 0.7) / 0.3)
    if names > 0.0 and x_label:
        items.append(
            Text(
                x_label,
                frame.x + frame.w / 2,
                origin_y + TICK + 1.1 * size + 1.5 * label_size,
                label_size,
                theme.TEXT,
                role="sans-semibold",
                align="center",
                opacity=names,
            )
        )
    if names > 0.0 and y_label:
        items.append(
            Text(
                y_label,
                origin_x,
                frame.y - 24 - 0.7 * label_size,
                label_size,
                theme.TEXT,
                role="sans-semibold",
                align="center",
                opacity=names,
            )
        )
    return Group(items=tuple(items))


def _opaque(style: Style, opacity: float) -> Style:
    return Style(stroke=style.stroke, width=style.width, opacity=opacity)


def progressive_curve(
    frame: PlotFrame,
    data_x: np.ndarray,
    data_y: np.ndarray,
    progress: float,
    *,
    colour: Rgba = theme.ORANGE,
    width: float = theme.STROKE_BOLD,
    glow: float = theme.GLOW,
    tip_radius: float = 7.0,
    tip_glow: float = theme.GLOW_STRONG,
) -> Group:
    """The curve through (data_x, data_y) drawn up to ``progress`` of its x span.

    The visible end is interpolated between samples, so the curve grows smoothly,
    and a glowing dot rides on the tip while it is still drawing (it fades once
    the curve is complete). Returns an empty group at progress 0.
    """
    progress = clamp01(progress)
    data_x = np.asarray(data_x, dtype=np.float64)
    data_y = np.asarray(data_y, dtype=np.float64)
    if data_x.shape != data_y.shape or data_x.ndim != 1 or len(data_x) < 2:
        raise ValueError(
            "data_x and data_y must be 1-D arrays of one length >= 2, "
            f"got {data_x.shape} and {data_y.shape}"
        )
    if progress <= 0.0:
        return Group(items=())
    end_x = data_x[0] + (data_x[-1] - data_x[0]) * progress
    keep = data_x < end_x
    xs = np.append(data_x[keep], end_x)
    ys = np.append(data_y[keep], np.interp(end_x, data_x, data_y))
    px, py = frame.to_design(xs, ys)
    points = np.stack([px, py], axis=1)
    items: list = [Polyline(points, Style(stroke=colour, width=width, glow=glow))]
    tip = 1.0 - clamp01((progress - 0.97) / 0.03)
    if tip > 0.0:
        items.append(
            Circle(
                float(px[-1]),
                float(py[-1]),
                tip_radius,
                Style(fill=colour, glow=tip_glow, opacity=tip),
            )
        )
    return Group(items=tuple(items))
