"""Metric rows: teacher vs student bars, a live figure and a glowing direction badge.

One row reads, top to bottom and left to right::

    Latency  per token                       70 ms → 7 ms      ↓
    ██████████████████████████████ (teacher, blue)            10×
    ███ (student, cyan: shrinks from the teacher's length)

Bars are linear in the metric's value and share one scale per row (the larger of
the two values fills ``bar_width``). The student's figure counts from the teacher's
value to its own as its bar moves, so the number always matches the bar.
"""

from __future__ import annotations

from dataclasses import dataclass

from insideweights import theme
from insideweights.display import Arrow, Group, Rect, Style, Text
from insideweights.phases.model_figures import DOWN, Metric, compact_number
from insideweights.phases.widgets._util import check_positive, clamp01
from insideweights.timeline.color import Rgba

TEACHER_COLOUR = theme.BLUE
STUDENT_COLOUR = theme.CYAN
BADGE_COLOUR = theme.ORANGE


@dataclass(frozen=True, slots=True)
class RowLayout:
    """Vertical and horizontal measures of one row, in design units from its top-left."""

    width: float = 960.0
    badge_width: float = 200.0
    header_baseline: float = 30.0
    note_x: float = 235.0  # the dim note starts here, clear of the longest metric name
    teacher_bar_y: float = 48.0
    student_bar_y: float = 74.0
    bar_height: float = 18.0
    slide: float = 60.0  # how far a row travels as it slides in from the right

    @property
    def bar_width(self) -> float:
        return self.width - self.badge_width

    @property
    def height(self) -> float:
        return self.student_bar_y + self.bar_height


def _bar(x: float, y: float, w: float, layout: RowLayout, colour: Rgba, glow: float) -> Rect:
    height = layout.bar_height
    style = Style(fill=colour.with_alpha(0.9), glow=glow)
    return Rect(x, y, max(w, height), height, style, radius=height / 2)


def _badge(metric: Metric, x: float, y: float, layout: RowLayout, shown: float) -> list:
    """The direction arrow (travelling the way the metric moved) and the factor text."""
    if shown <= 0.0:
        return []
    span = layout.height - 8.0
    top, bottom = y + 4.0, y + 4.0 + span
    drift = (1.0 - shown) * 18.0
    if metric.direction == DOWN:
        start, end = top - drift, bottom - drift
    else:
        start, end = bottom + drift, top + drift
    arrow_x = x + 26.0
    arrow_style = Style(
        stroke=BADGE_COLOUR, width=theme.STROKE_BOLD, glow=theme.GLOW, opacity=shown
    )
    factor = f"{compact_number(metric.factor)}\u00d7"
    return [
        Arrow(arrow_x, start, arrow_x, end, arrow_style, head=20.0),
        Text(
            factor,
            arrow_x + 30.0,
            y + layout.height / 2 + 0.36 * theme.TEXT_HEADING,
            theme.TEXT_HEADING,
            BADGE_COLOUR,
            role="sans-bold",
            opacity=shown,
            glow=theme.GLOW_SOFT,
        ),
    ]


def metric_row(
    metric: Metric,
    x: float,
    y: float,
    *,
    layout: RowLayout = RowLayout(),
    appear: float = 1.0,
    progress: float = 1.0,
    badge: float = 1.0,
) -> Group:
    """One metric at top-left (x, y).

    ``appear`` slides the row in from the right and fades it in; ``progress`` (eased)
    moves the student's bar and figure from the teacher's value to the student's;
    ``badge`` fades in the direction arrow and factor.
    """
    check_positive("metric_row width", layout.width)
    appear, progress, badge = clamp01(appear), clamp01(progress), clamp01(badge)
    if appear <= 0.0:
        return Group(items=())

    scale = layout.bar_width / max(metric.teacher, metric.student)
    student_now = metric.teacher * (metric.student / metric.teacher) ** progress
    header_y = y + layout.header_baseline
    figure = f"{metric.teacher_text} \u2192 {metric.value_text(progress)}"
    items = [
        Text(metric.name, x, header_y, theme.TEXT_LABEL, theme.TEXT, role="sans-semibold"),
        Text(metric.note, x + layout.note_x, header_y, theme.TEXT_SMALL, theme.TEXT_DIM),
        Text(
            figure,
            x + layout.bar_width,
            header_y,
            theme.TEXT_LABEL,
            theme.TEXT,
            role="mono-medium",
            align="right",
        ),
        _bar(x, y + layout.teacher_bar_y, metric.teacher * scale, layout, TEACHER_COLOUR, 0.0),
        _bar(
            x,
            y + layout.student_bar_y,
            student_now * scale,
            layout,
            STUDENT_COLOUR,
            theme.GLOW_SOFT,
        ),
        *_badge(metric, x + layout.bar_width, y, layout, badge),
    ]
    slide = (1.0 - appear) * layout.slide
    return Group(items=tuple(items), translate=(slide, 0.0), opacity=appear)


def metric_legend(x: float, y: float, teacher: str, student: str, *, appear: float = 1.0):
    """Two colour keys, "■ teacher  ■ student", with their left end at (x, baseline y)."""
    appear = clamp01(appear)
    if appear <= 0.0:
        return Group(items=())
    swatch = theme.TEXT_SMALL * 0.8
    items = []
    for index, (label, colour) in enumerate(
        ((teacher, TEACHER_COLOUR), (student, STUDENT_COLOUR))
    ):
        left = x + index * 300.0
        items.append(
            Rect(left, y - swatch, swatch, swatch, Style(fill=colour), radius=swatch * 0.25)
        )
        items.append(
            Text(label, left + swatch * 1.6, y, theme.TEXT_SMALL, theme.TEXT_DIM, role="sans")
        )
    return Group(items=tuple(items), opacity=appear)
