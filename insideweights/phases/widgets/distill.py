"""Widgets for the distillation phases: probability bars, a prompt box, a temperature
knob, target charts and a glowing flow between two points.

Each widget takes a position in design units, the values to show and progress
values in [0, 1], and returns a ``Group``; nothing here keeps state between frames,
and no widget measures text with the renderer: mono text is laid out with the
font's fixed advance (``MONO_ADVANCE``), proportional text is only ever anchored
(left, centre or right), never measured.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from insideweights import theme
from insideweights.display import (
    Arrow,
    Circle,
    Group,
    Line,
    Particles,
    Path,
    Polyline,
    Rect,
    Style,
    Text,
)
from insideweights.phases.widgets._util import Box, check_positive, clamp01, clearance, staggered
from insideweights.timeline.color import Rgba

MONO_ADVANCE = 0.6  # JetBrains Mono advance width as a fraction of the font size
CAP_HEIGHT = 0.72  # cap height of Inter / JetBrains Mono as a fraction of the size
TRACK_ALPHA = 0.55  # the faint full-length track behind each bar
BAR_ALPHA = 0.9
KNOB_START_DEG = 135.0  # dial from bottom-left, clockwise over the top, to bottom-right
KNOB_SWEEP_DEG = 270.0


def _faded(colour: Rgba, alpha: float) -> Rgba:
    return Rgba(colour.r, colour.g, colour.b, colour.a * alpha)


def _baseline(centre_y: float, size: float) -> float:
    """The baseline that centres capital letters / digits of ``size`` on ``centre_y``."""
    return centre_y + 0.5 * CAP_HEIGHT * size


# -- horizontal probability bars -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BarColumn:
    """Where a column of horizontal bars sits: one row per choice, top to bottom.

    ``x`` is where the bars start (labels end just left of it), ``y`` the top of
    the first row, ``length`` the bar length for the value 1.0.
    """

    x: float
    y: float
    length: float
    row_height: float = 62.0
    bar_height: float = 30.0
    label_size: float = theme.TEXT_SMALL
    value_size: float = theme.TEXT_SMALL
    labels_right: bool = False  # labels after a fixed value column instead of before the bars
    value_chars: int = 4  # width of that fixed value column, in mono characters

    def row_y(self, index: int) -> float:
        """Vertical centre of row ``index``."""
        return self.y + (index + 0.5) * self.row_height

    def bar_end(self, index: int, fraction: float) -> tuple[float, float]:
        """The point where bar ``index`` ends when it shows ``fraction``."""
        return self.x + self.length * fraction, self.row_y(index)

    @property
    def value_x(self) -> float:
        """Left edge of the fixed value column (used when ``labels_right``)."""
        return self.x + self.length + 0.6 * self.value_size

    @property
    def label_x(self) -> float:
        """Where labels start when ``labels_right``; where they end otherwise."""
        if self.labels_right:
            return self.value_x + (self.value_chars + 1) * MONO_ADVANCE * self.value_size
        return self.x - 0.7 * self.label_size

    def height(self, rows: int) -> float:
        return rows * self.row_height


ROW_OVERLAP = 1.5  # rows of a column grow in turn, this many row-slots each


def row_progress(reveal: float, index: int, count: int) -> float:
    """How far row ``index`` of a column revealed by ``reveal`` has grown (0-1).

    Callers use it to count a row's number up in step with its bar.
    """
    return staggered(clamp01(reveal), index, count, overlap=ROW_OVERLAP)


def bar_column(
    layout: BarColumn,
    fractions,
    *,
    labels=None,
    texts=None,
    colour: Rgba = theme.CYAN,
    reveal: float = 1.0,
    opacity: float = 1.0,
    glow: float = 0.0,
    track: bool = True,
    highlight: int | None = None,
    text_colour: Rgba = theme.TEXT,
) -> Group:
    """Horizontal bars of ``fractions`` (0-1) with labels on the left and values on the right.

    ``reveal`` grows the bars in turn from the top and fades their texts in.
    ``highlight`` draws that row's bar and value in orange with glow.
    """
    check_positive("bar_column length", layout.length)
    reveal = clamp01(reveal)
    if reveal <= 0.0 or opacity <= 0.0:
        return Group(items=())
    count = len(fractions)
    items: list = []
    for index, fraction in enumerate(fractions):
        grown = row_progress(reveal, index, count)
        if grown <= 0.0:
            continue
        centre = layout.row_y(index)
        top = centre - layout.bar_height / 2
        tint = theme.ORANGE if highlight == index else colour
        if track:
            track_style = Style(fill=_faded(theme.PANEL, TRACK_ALPHA), opacity=grown)
            items.append(Rect(layout.x, top, layout.length, layout.bar_height, track_style, 4.0))
        width = layout.length * clamp01(fraction) * grown
        if width > 0.5:
            bar_glow = theme.GLOW if highlight == index else glow
            style = Style(fill=_faded(tint, BAR_ALPHA), glow=bar_glow)
            items.append(Rect(layout.x, top, width, layout.bar_height, style, 4.0))
        if labels is not None:
            items.append(
                Text(
                    labels[index],
                    layout.label_x,
                    _baseline(centre, layout.label_size),
                    layout.label_size,
                    theme.TEXT,
                    role="sans",
                    align="left" if layout.labels_right else "right",
                    opacity=grown,
                )
            )
        if texts is not None:
            value_colour = theme.ORANGE if highlight == index else text_colour
            value_x = layout.value_x if layout.labels_right else layout.x + width
            items.append(
                Text(
                    texts[index],
                    value_x + (0.0 if layout.labels_right else 0.6 * layout.value_size),
                    _baseline(centre, layout.value_size),
                    layout.value_size,
                    value_colour,
                    role="mono-medium",
                    opacity=grown,
                    glow=theme.GLOW_SOFT if highlight == index else 0.0,
                )
            )
    return Group(items=tuple(items), opacity=opacity)


# -- vertical bar chart ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BarChart:
    """Vertical bars standing on a baseline at ``base`` y; ``x`` is the left of bar 0.

    ``height`` is the bar height for the value 1.0; bars are ``bar_width`` wide
    with ``pitch`` between their left edges.
    """

    x: float
    base: float
    height: float
    bar_width: float = 70.0
    pitch: float = 110.0
    label_size: float = theme.TEXT_TINY
    value_size: float = theme.TEXT_SMALL

    def bar_x(self, index: int) -> float:
        return self.x + index * self.pitch

    def centre_x(self, index: int) -> float:
        return self.bar_x(index) + self.bar_width / 2

    def top(self, fraction: float) -> float:
        return self.base - self.height * fraction

    def width(self, count: int) -> float:
        return (count - 1) * self.pitch + self.bar_width


def bar_chart(
    layout: BarChart,
    fractions,
    *,
    labels=None,
    texts=None,
    colour: Rgba = theme.CYAN,
    reveal: float = 1.0,
    opacity: float = 1.0,
    glow: float = 0.0,
    outline_only: bool = False,
    value_colour: Rgba = theme.TEXT,
) -> Group:
    """Vertical bars of ``fractions`` (0-1) with values above and labels below.

    ``outline_only`` draws dashed outlines instead of filled bars: a target the
    other bars are measured against.
    """
    check_positive("bar_chart height", layout.height)
    reveal = clamp01(reveal)
    if reveal <= 0.0 or opacity <= 0.0:
        return Group(items=())
    count = len(fractions)
    items: list = []
    axis_style = Style(stroke=_faded(theme.TEXT_DIM, 0.7), width=theme.STROKE_THIN)
    left, right = (
        layout.x - 0.25 * layout.pitch,
        layout.x + layout.width(count) + 0.25 * (layout.pitch - layout.bar_width),
    )
    if not outline_only:
        items.append(Line(left, layout.base, right, layout.base, axis_style))
    for index, fraction in enumerate(fractions):
        grown = row_progress(reveal, index, count)
        if grown <= 0.0:
            continue
        x = layout.bar_x(index)
        bar_height = layout.height * clamp01(fraction) * grown
        if outline_only:
            style = Style(stroke=colour, width=theme.STROKE, dash=(10.0, 8.0), opacity=grown)
            items.append(Rect(x, layout.base - bar_height, layout.bar_width, bar_height, style))
        elif bar_height > 0.5:
            style = Style(fill=_faded(colour, BAR_ALPHA), glow=glow)
            items.append(Rect(x, layout.base - bar_height, layout.bar_width, bar_height, style))
        if texts is not None:
            items.append(
                Text(
                    texts[index],
                    layout.centre_x(index),
                    layout.base - bar_height - 0.7 * layout.value_size,
                    layout.value_size,
                    value_colour,
                    role="mono-medium",
                    align="center",
                    opacity=grown,
                )
            )
        if labels is not None:
            items.append(
                Text(
                    labels[index],
                    layout.centre_x(index),
                    layout.base + 1.6 * layout.label_size,
                    layout.label_size,
                    theme.TEXT_DIM,
                    align="center",
                    opacity=grown,
                )
            )
    return Group(items=tuple(items), opacity=opacity)


# -- prompt box --------------------------------------------------------------------------------


def prompt_box(
    x: float,
    y: float,
    w: float,
    h: float,
    text: str,
    *,
    typed: float,
    caret_on: bool,
    title: str = "PROMPT",
    size: float = theme.TEXT_LABEL,
    reveal: float = 1.0,
    opacity: float = 1.0,
) -> Group:
    """A rounded input box whose mono ``text`` types itself in as ``typed`` goes 0 -> 1.

    The caret sits after the last typed character; ``caret_on`` blinks it (the
    caller derives it from time, e.g. from the fractional part of seconds).
    """
    check_positive("prompt_box width", w)
    check_positive("prompt_box height", h)
    reveal = clamp01(reveal)
    if reveal <= 0.0 or opacity <= 0.0:
        return Group(items=())
    shown = text[: int(math.floor(clamp01(typed) * len(text) + 1e-9))]
    left = x + 0.9 * size
    baseline = _baseline(y + h / 2, size)
    frame = Style(fill=theme.PANEL, stroke=theme.BLUE, width=theme.STROKE, trim=reveal)
    items: list = [
        Rect(x, y, w, h, frame, radius=0.22 * h),
        Text(
            title,
            x + 0.2 * h,
            y - 0.6 * theme.TEXT_TINY,
            theme.TEXT_TINY,
            theme.TEXT_DIM,
            role="sans-semibold",
            opacity=reveal,
        ),
    ]
    if shown:
        items.append(Text(shown, left, baseline, size, theme.TEXT, role="mono", opacity=reveal))
    if caret_on:
        caret_x = left + len(shown) * MONO_ADVANCE * size + 0.08 * size
        caret = Style(fill=theme.CYAN, glow=theme.GLOW_SOFT, opacity=reveal)
        items.append(Rect(caret_x, y + 0.25 * h, 0.1 * size, 0.5 * h, caret))
    return Group(items=tuple(items), opacity=opacity)


# -- temperature knob --------------------------------------------------------------------------


def knob_angle(temperature: float, low: float, high: float) -> float:
    """The pointer angle (degrees, clockwise from +x) for ``temperature`` in [low, high]."""
    share = clamp01((temperature - low) / (high - low))
    return KNOB_START_DEG + KNOB_SWEEP_DEG * share


def temperature_knob(
    cx: float,
    cy: float,
    radius: float,
    temperature: float,
    readout: str,
    *,
    low: float,
    high: float,
    label: str = "temperature",
    reveal: float = 1.0,
    opacity: float = 1.0,
) -> Group:
    """A dial whose orange arc and pointer show ``temperature`` between ``low`` and ``high``.

    ``readout`` is the text under the dial (e.g. "τ = 2.00"); the caller formats it
    so that the value printed is the value the bars were computed from.
    """
    check_positive("temperature_knob radius", radius)
    reveal = clamp01(reveal)
    if reveal <= 0.0 or opacity <= 0.0:
        return Group(items=())
    ring = radius * 1.28
    angle = knob_angle(temperature, low, high)
    track = Style(stroke=theme.BLUE_DIM, width=theme.STROKE_BOLD, trim=reveal)
    value = Style(stroke=theme.ORANGE, width=theme.STROKE_BOLD, glow=theme.GLOW)
    body = Style(fill=theme.PANEL, stroke=theme.BLUE, width=theme.STROKE, opacity=reveal)
    pointer = Style(stroke=theme.ORANGE, width=theme.STROKE_BOLD, glow=theme.GLOW_SOFT)
    radians = math.radians(angle)
    items: list = [
        Path((("A", cx, cy, ring, KNOB_START_DEG, KNOB_SWEEP_DEG),), track),
        Circle(cx, cy, radius, body),
    ]
    sweep = angle - KNOB_START_DEG
    if sweep > 0.5 and reveal >= 1.0:
        items.append(Path((("A", cx, cy, ring, KNOB_START_DEG, sweep),), value))
    for tick in (KNOB_START_DEG, KNOB_START_DEG + KNOB_SWEEP_DEG):
        t = math.radians(tick)
        inner, outer = ring + 10.0, ring + 24.0
        items.append(
            Line(
                cx + inner * math.cos(t),
                cy + inner * math.sin(t),
                cx + outer * math.cos(t),
                cy + outer * math.sin(t),
                Style(stroke=theme.TEXT_DIM, width=theme.STROKE_THIN, opacity=reveal),
            )
        )
    for tick, value in ((KNOB_START_DEG, low), (KNOB_START_DEG + KNOB_SWEEP_DEG, high)):
        t = math.radians(tick)
        reach = ring + 40.0
        items.append(
            Text(
                f"{value:g}",
                cx + reach * math.cos(t),
                cy + reach * math.sin(t) + 0.36 * theme.TEXT_TINY,
                theme.TEXT_TINY,
                theme.TEXT_DIM,
                role="mono",
                align="center",
                opacity=reveal,
            )
        )
    tip = radius * 0.78
    items.append(Line(cx, cy, cx + tip * math.cos(radians), cy + tip * math.sin(radians), pointer))
    items.append(Circle(cx, cy, radius * 0.12, Style(fill=theme.ORANGE)))
    items.append(
        Text(
            readout,
            cx,
            cy + ring + 1.6 * theme.TEXT_LABEL,
            theme.TEXT_LABEL,
            theme.TEXT,
            role="sans-semibold",
            align="center",
            opacity=reveal,
        )
    )
    items.append(
        Text(
            label,
            cx,
            cy - ring - 0.9 * theme.TEXT_TINY - 10.0,
            theme.TEXT_SMALL,
            theme.TEXT_DIM,
            align="center",
            opacity=reveal,
        )
    )
    return Group(items=tuple(items), opacity=opacity)


# -- arrows between bars ---------------------------------------------------------------------


def nudge_arrows(
    layout: BarChart, current, target, *, opacity: float = 1.0, min_gap: float = 22.0
) -> Group:
    """Orange arrows from each bar's top toward its target height (gradient direction)."""
    items: list = []
    for index, (now, goal) in enumerate(zip(current, target, strict=True)):
        y0, y1 = layout.top(now), layout.top(goal)
        length = abs(y1 - y0)
        if length < min_gap:
            continue  # too short to read as an arrow: the bar is already close
        x = layout.centre_x(index) + 0.5 * layout.bar_width + 16.0
        style = Style(stroke=theme.ORANGE, width=theme.STROKE, glow=theme.GLOW_SOFT)
        items.append(Arrow(x, y0, x, y1, style, head=min(14.0, 0.45 * length)))
    return Group(items=tuple(items), opacity=opacity)


# -- glowing flow along a curve ----------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class FlowSeeds:
    """Per-particle constants of a flow, drawn once from a seeded generator."""

    offsets: np.ndarray  # (N,) start position along the curve, 0-1
    lanes: np.ndarray  # (N,) sideways offset, -1..1
    speeds: np.ndarray  # (N,) speed multiplier
    brightness: np.ndarray  # (N,) 0.5..1

    @classmethod
    def draw(cls, rng: np.random.Generator, count: int) -> FlowSeeds:
        lanes = np.clip(rng.normal(0.0, 0.45, count), -1.0, 1.0)
        return cls(
            offsets=rng.random(count),
            lanes=lanes,
            speeds=rng.uniform(0.8, 1.25, count),
            brightness=rng.uniform(0.5, 1.0, count),
        )


def bezier_points(control: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points and unit normals of the cubic Bezier ``control`` (4 x 2) at parameters ``u``."""
    u = u[:, None]
    v = 1.0 - u
    p0, p1, p2, p3 = control
    points = v**3 * p0 + 3 * v * v * u * p1 + 3 * v * u * u * p2 + u**3 * p3
    tangent = 3 * v * v * (p1 - p0) + 6 * v * u * (p2 - p1) + 3 * u * u * (p3 - p2)
    length = np.maximum(np.hypot(tangent[:, 0], tangent[:, 1]), 1e-9)[:, None]
    normal = np.column_stack((-tangent[:, 1], tangent[:, 0])) / length
    return points, normal


def flow(
    control: np.ndarray,
    seeds: FlowSeeds,
    seconds: float,
    *,
    strength: float,
    speed: float = 0.35,
    width: float = 26.0,
    radius: float = 3.2,
    colour: Rgba = theme.CYAN,
    guide: bool = True,
    clear: tuple[tuple[Box, float], ...] = (),
) -> Group:
    """Cyan particles streaming along the Bezier ``control`` from its start to its end.

    Positions are a closed-form function of ``seconds`` (offset + speed x t, wrapped),
    so any frame builds alone. ``strength`` (0-1) fades the stream in and out; the
    particles dim near both ends so the stream seems to leave and enter its targets.
    Particles are drawn over everything, so things that ride the stream pass their
    boxes (x, y, w, h) with their opacity as ``clear``: the particles fade out
    inside them, as far as the opacity says.
    """
    strength = clamp01(strength)
    if strength <= 0.0:
        return Group(items=())
    u = np.mod(seeds.offsets + speed * seeds.speeds * seconds, 1.0)
    points, normal = bezier_points(control, u)
    swell = np.sin(np.pi * u)  # the stream is widest mid-way, pinched at both ends
    xy = points + normal * (seeds.lanes * width * swell)[:, None]
    ends = np.minimum(u / 0.08, (1.0 - u) / 0.08).clip(0.0, 1.0)
    intensity = seeds.brightness * ends * strength * clearance(xy, clear)
    items: list = []
    if guide:
        p0, p1, p2, p3 = control
        path = (("M", *p0), ("C", *p1, *p2, *p3))
        style = Style(
            stroke=colour, width=theme.STROKE, glow=theme.GLOW_SOFT, opacity=0.35 * strength
        )
        items.append(Path(path, style))
    items.append(Particles(xy, radius, colour, intensity))
    return Group(items=tuple(items))


# -- hard (one-hot) vs soft targets ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TargetChart:
    """Grouped vertical bars: per choice a hard-target bar (outline) beside a soft one (fill).

    ``x`` is the left of group 0, ``base`` the baseline y, ``height`` the bar height
    for the value 1.0.
    """

    x: float
    base: float
    height: float
    pitch: float = 180.0
    bar_width: float = 56.0
    gap: float = 12.0
    label_size: float = theme.TEXT_SMALL
    value_size: float = theme.TEXT_SMALL

    def hard_x(self, index: int) -> float:
        return self.x + index * self.pitch

    def soft_x(self, index: int) -> float:
        return self.hard_x(index) + self.bar_width + self.gap

    def centre_x(self, index: int) -> float:
        return self.hard_x(index) + self.bar_width + self.gap / 2

    def width(self, count: int) -> float:
        return (count - 1) * self.pitch + 2 * self.bar_width + self.gap


def _value_text(text: str, x: float, top: float, size: float, colour: Rgba, opacity: float):
    return Text(
        text,
        x,
        top - 0.6 * size,
        size,
        colour,
        role="mono-medium",
        align="center",
        opacity=opacity,
    )


def target_chart(
    layout: TargetChart,
    hard,
    soft,
    *,
    labels,
    hard_texts,
    soft_texts,
    hard_reveal: float,
    soft_reveal: float,
    opacity: float = 1.0,
) -> Group:
    """The one-hot label (dim outlined bars, 1 or 0) against the teacher's soft targets.

    The hard bars appear first (``hard_reveal``); the soft bars grow beside them
    (``soft_reveal``), showing how much the teacher also believes the other choices.
    """
    check_positive("target_chart height", layout.height)
    if opacity <= 0.0 or (hard_reveal <= 0.0 and soft_reveal <= 0.0):
        return Group(items=())
    count = len(labels)
    axis = Style(stroke=_faded(theme.TEXT_DIM, 0.7), width=theme.STROKE_THIN, trim=hard_reveal)
    items: list = [
        Line(
            layout.x - 24.0, layout.base, layout.x + layout.width(count) + 24.0, layout.base, axis
        )
    ]
    for index in range(count):
        shown_hard = row_progress(hard_reveal, index, count)
        shown_soft = row_progress(soft_reveal, index, count)
        if shown_hard > 0.0:
            height = layout.height * clamp01(hard[index]) * shown_hard
            style = Style(
                fill=_faded(theme.TEXT_DIM, 0.18), stroke=theme.TEXT_DIM, width=theme.STROKE
            )
            x = layout.hard_x(index)
            items.append(Rect(x, layout.base - height, layout.bar_width, height, style, 3.0))
            items.append(
                _value_text(
                    hard_texts[index],
                    x + layout.bar_width / 2,
                    layout.base - height,
                    layout.value_size,
                    theme.TEXT_DIM,
                    shown_hard,
                )
            )
            items.append(
                Text(
                    labels[index],
                    layout.centre_x(index),
                    layout.base + 1.5 * layout.label_size,
                    layout.label_size,
                    theme.TEXT,
                    align="center",
                    opacity=shown_hard,
                )
            )
        if shown_soft > 0.0:
            height = layout.height * clamp01(soft[index]) * shown_soft
            x = layout.soft_x(index)
            style = Style(fill=_faded(theme.CYAN, BAR_ALPHA), glow=theme.GLOW_SOFT)
            if height > 0.5:
                items.append(Rect(x, layout.base - height, layout.bar_width, height, style, 3.0))
            items.append(
                _value_text(
                    soft_texts[index],
                    x + layout.bar_width / 2,
                    layout.base - height,
                    layout.value_size,
                    theme.CYAN,
                    shown_soft,
                )
            )
    return Group(items=tuple(items), opacity=opacity)


def legend_chip(
    x: float, y: float, text: str, *, filled: Rgba | None, outline: Rgba | None, opacity: float
) -> Group:
    """A small swatch followed by its caption; (x, y) is the swatch's left, text baseline."""
    size = theme.TEXT_SMALL
    swatch = Style(
        fill=_faded(filled, BAR_ALPHA) if filled is not None else None,
        stroke=outline,
        width=theme.STROKE,
    )
    chip = Rect(x, y - 0.8 * size, 0.9 * size, 0.9 * size, swatch, 3.0)
    label = Text(text, x + 1.5 * size, y, size, theme.TEXT, opacity=1.0)
    return Group(items=(chip, label), opacity=clamp01(opacity))


# -- a falling curve (e.g. the KL readout over training) ---------------------------------------


def falling_plot(
    box: tuple[float, float, float, float],
    values: np.ndarray,
    progress: float,
    *,
    top_value: float,
    x_label: str,
    y_label: str,
    reveal: float = 1.0,
    colour: Rgba = theme.ORANGE,
) -> Group:
    """Axes in ``box`` (x, y, w, h) and the curve ``values`` drawn up to ``progress`` (0-1).

    ``values`` are samples at evenly spaced progress; a glowing dot marks the
    current end of the curve. ``top_value`` is the value at the top of the box.
    """
    x, y, w, h = box
    check_positive("falling_plot width", w)
    check_positive("falling_plot height", h)
    reveal = clamp01(reveal)
    if reveal <= 0.0:
        return Group(items=())
    axis = Style(stroke=theme.TEXT_DIM, width=theme.STROKE_THIN, trim=reveal)
    items: list = [
        Line(x, y, x, y + h, axis),
        Line(x, y + h, x + w, y + h, axis),
        Text(
            x_label,
            x + w,
            y + h + 1.5 * theme.TEXT_TINY,
            theme.TEXT_TINY,
            theme.TEXT_DIM,
            align="right",
            opacity=reveal,
        ),
        Text(
            y_label,
            x - 12.0,
            y + 0.7 * theme.TEXT_TINY,
            theme.TEXT_TINY,
            theme.TEXT_DIM,
            align="right",
            opacity=reveal,
        ),
    ]
    count = len(values)
    reach = clamp01(progress) * (count - 1)
    whole = int(math.floor(reach))
    shares = np.arange(whole + 1, dtype=np.float64)
    levels = np.asarray(values[: whole + 1], dtype=np.float64)
    if reach > whole and whole + 1 < count:
        part = reach - whole
        tail = values[whole] + (values[whole + 1] - values[whole]) * part
        shares = np.append(shares, reach)
        levels = np.append(levels, tail)
    xs = x + w * shares / (count - 1)
    ys = y + h * (1.0 - np.clip(levels / top_value, 0.0, 1.0))
    line = Style(stroke=colour, width=theme.STROKE_BOLD, glow=theme.GLOW_SOFT, opacity=reveal)
    if len(xs) >= 2:
        items.append(Polyline(np.column_stack((xs, ys)), line))
    dot = Style(fill=colour, glow=theme.GLOW, opacity=reveal)
    items.append(Circle(float(xs[-1]), float(ys[-1]), 7.0, dot))
    return Group(items=tuple(items))


def vector_brackets(
    left: float, right: float, top: float, bottom: float, *, reveal: float, arm: float = 16.0
) -> Group:
    """Square brackets at ``left`` and ``right`` spanning [top, bottom]: "this is one vector".

    ``reveal`` draws both brackets on from their middles outwards.
    """
    reveal = clamp01(reveal)
    if reveal <= 0.0:
        return Group(items=())
    style = Style(stroke=theme.TEXT_DIM, width=theme.STROKE, trim=reveal)
    middle = (top + bottom) / 2
    items = []
    for x, direction in ((left, 1.0), (right, -1.0)):
        for end in (top, bottom):
            commands = (("M", x, middle), ("L", x, end), ("L", x + direction * arm, end))
            items.append(Path(commands, style))
    return Group(items=tuple(items))
