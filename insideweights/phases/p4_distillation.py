"""Phase 4 · Distillation Overview: a 70B teacher hands its softmax to a 7B student.

The teacher (left) reads a prompt and emits a probability distribution, drawn as a
column of bars with values. Copies of that vector ride a glowing cyan stream across
to the much smaller student (right), whose own output bars slowly take on the
teacher's shape. The key-term caption "Distillation" names the stream.

The "10×" is honest twice over, and the two measures agree: the student's box has
one tenth of the teacher's area (each side divided by √10), and it holds one tenth
of the attention-head tiles (4 layers × 2 heads = 8 against 10 layers × 8 heads = 80).
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import cache

import numpy as np

from insideweights import theme
from insideweights.display import Arrow, Camera, Group, Line, Rect, Scene, Style, Text
from insideweights.phases import softmax_math as sm
from insideweights.phases.common import phase_rng
from insideweights.phases.widgets import (
    logit_values,
    stack_layout,
    token_stream,
    transformer_stack,
)
from insideweights.phases.widgets._util import Box, backing_opacity
from insideweights.phases.widgets.distill import (
    BarColumn,
    FlowSeeds,
    bar_column,
    bezier_points,
    flow,
    row_progress,
    vector_brackets,
)
from insideweights.timeline import (
    Timeline,
    delay,
    in_out_cubic,
    out_cubic,
    parallel,
    smooth,
    tween,
)

NAME = "Distillation Overview"
SECONDS = 15
PHASE = 4

# -- layout (design units) -----------------------------------------------------------------

SIZE_RATIO = 10.0  # teacher : student, in drawn area and in head tiles (see module doc)
TEACHER_BOX = (170.0, 170.0, 540.0, 740.0)  # x, y, w, h
TEACHER_LAYERS, TEACHER_HEADS = 10, 8
_SIDE = 1.0 / math.sqrt(SIZE_RATIO)
STUDENT_W, STUDENT_H = TEACHER_BOX[2] * _SIDE, TEACHER_BOX[3] * _SIDE
STUDENT_BOX = (1640.0, TEACHER_BOX[1] + TEACHER_BOX[3] - STUDENT_H, STUDENT_W, STUDENT_H)
STUDENT_LAYERS, STUDENT_HEADS = 4, 2
SIZE_LABEL_GAP = 62.0  # from a stack's bottom to its size label's baseline
RATIO_NOTE = f"{SIZE_RATIO:.0f}\u00d7 fewer parameters"
RATIO_NOTE_INSET = 170.0  # the note's arrow keeps clear of the size labels

COLUMN = BarColumn(
    x=830.0,
    y=320.0,
    length=280.0,
    row_height=70.0,
    bar_height=34.0,
    label_size=theme.TEXT_LABEL,
    value_size=theme.TEXT_LABEL,
    labels_right=True,
)
COLUMN_TITLE = "next-token probabilities"
LONGEST_LABEL = 170.0  # "Transformer" at TEXT_LABEL, measured once; the bracket clears it
BRACKET_LEFT = COLUMN.x - 26.0
BRACKET_RIGHT = COLUMN.label_x + LONGEST_LABEL + 26.0
BRACKET_PAD = 10.0

# Stream from the teacher's logits into the column, and from the column to the student.
_MID = COLUMN.y + 2 * COLUMN.row_height  # vertical middle of the four rows
EMIT_CURVE = np.array([[716.0, 202.0], [790.0, 202.0], [720.0, _MID], [BRACKET_LEFT - 8.0, _MID]])
FLOW_CURVE = np.array(
    [[BRACKET_RIGHT + 8.0, _MID], [1600.0, _MID], [1725.0, 520.0], [1725.0, 664.0]]
)
FLOW_PARTICLES = 220
EMIT_PARTICLES = 60
PACKETS = 2  # bar-vector copies riding the stream at once
PACKET_SECONDS = 2.4  # time one copy takes from the column to the student
PACKET_BAR_LENGTH = 130.0
PACKET_BAR_HEIGHT = 14.0
PACKET_ROW = 21.0

CAPTION = "Distillation"
CAPTION_XY = (1600.0, 380.0)  # overlay: beside the stream it names

CAMERA_ZOOM_START, CAMERA_ZOOM_RATE = 1.0, 0.0022  # per second, continuous drift
CAMERA_PAN = (960.0, 540.0, 0.9)  # cx, cy, and cx drift per second toward the student

# -- timing (seconds) ----------------------------------------------------------------------

# The timeline runs LEAD seconds ahead of the phase clock, so the first build is already
# under way while the incoming wipe carries the phase in (it never brings in a blank frame).
LEAD = Fraction(2, 5)

TL = Timeline(
    parallel(
        tween("teacher", 2.2, ease=smooth),
        delay(0.6, tween("teacher_heads", 2.0, ease=smooth)),
        delay(0.8, tween("student", 1.8, ease=smooth)),
        delay(1.4, tween("student_heads", 1.6, ease=smooth)),
        delay(1.6, tween("labels", 1.0, ease=smooth)),
        delay(2.4, tween("tokens", 0.8, ease=smooth)),
        delay(2.8, tween("logits", 1.0, ease=out_cubic)),
        delay(3.3, tween("emit", 0.8, ease=smooth)),
        delay(3.6, tween("column", 1.8, ease=in_out_cubic)),
        delay(5.0, tween("flow", 1.0, ease=smooth)),
        delay(5.6, tween("caption", 0.8, ease=smooth)),
        delay(7.0, tween("learned", 5.0, ease=in_out_cubic)),
        delay(7.2, tween("student_tokens", 1.0, ease=smooth)),
    )
)
PACKETS_START = 5.1  # timeline seconds when the first copy leaves the column


# -- parts ---------------------------------------------------------------------------------


@cache
def _flow_seeds() -> tuple[FlowSeeds, FlowSeeds]:
    emit = FlowSeeds.draw(phase_rng(PHASE, "emit stream"), EMIT_PARTICLES)
    stream = FlowSeeds.draw(phase_rng(PHASE, "distillation stream"), FLOW_PARTICLES)
    return emit, stream


@cache
def _untrained_logits() -> np.ndarray:
    """The student's output bars before it has learned: nearly flat, a little noisy."""
    rng = phase_rng(PHASE, "untrained student logits")
    return 0.34 + 0.1 * rng.random(len(logit_values()))


def _size_label(box, size_text: str, role_text: str, opacity: float) -> Group:
    """ "70B teacher": the size big, the role dimmer, on one baseline under the stack."""
    x, y, w, h = box
    centre, baseline = x + w / 2, y + h + SIZE_LABEL_GAP
    big = Text(size_text, centre - 8, baseline, theme.TEXT_TITLE, theme.TEXT, "sans-bold", "right")
    small = Text(role_text, centre + 10, baseline, theme.TEXT_LABEL, theme.TEXT_DIM, "sans")
    return Group(items=(big, small), opacity=opacity)


def _ratio_note(opacity: float) -> Group:
    """A thin arrow between the two size labels: the student has a tenth of the parameters."""
    left = TEACHER_BOX[0] + TEACHER_BOX[2] + RATIO_NOTE_INSET
    right = STUDENT_BOX[0] - RATIO_NOTE_INSET
    y = TEACHER_BOX[1] + TEACHER_BOX[3] + SIZE_LABEL_GAP - 0.35 * theme.TEXT_LABEL
    style = Style(stroke=theme.TEXT_DIM, width=theme.STROKE_THIN, trim=opacity)
    note = Text(
        RATIO_NOTE,
        (left + right) / 2,
        y - 18.0,
        theme.TEXT_SMALL,
        theme.TEXT_DIM,
        align="center",
    )
    return Group(items=(Arrow(left, y, right, y, style, head=12.0), note), opacity=opacity)


def _built_key(name: str, values, progress_names) -> str | None:
    """A cache key once every named progress is complete (the drawing is then fixed)."""
    return name if all(values[key] >= 1.0 for key in progress_names) else None


def _teacher(values) -> tuple:
    x, y, w, h = TEACHER_BOX
    stack = transformer_stack(
        x,
        y,
        w,
        h,
        TEACHER_LAYERS,
        heads=TEACHER_HEADS,
        reveal=values["teacher"],
        heads_reveal=values["teacher_heads"],
        logits_reveal=values["logits"],
        cache_key=_built_key("p4 teacher", values, ("teacher", "teacher_heads", "logits")),
    )
    labels = values["labels"]
    return (stack, _size_label(TEACHER_BOX, "70B", "teacher", labels), _ratio_note(labels))


def _student(values, learned: float) -> tuple:
    x, y, w, h = STUDENT_BOX
    logits = _untrained_logits() + (logit_values() - _untrained_logits()) * learned
    glow = theme.GLOW_SOFT * math.sin(math.pi * learned)
    stack = transformer_stack(
        x,
        y,
        w,
        h,
        STUDENT_LAYERS,
        heads=STUDENT_HEADS,
        reveal=values["student"],
        heads_reveal=values["student_heads"],
        logits_reveal=values["flow"],
        logits=logits,
        glow=glow,
    )
    return (stack, _size_label(STUDENT_BOX, "7B", "student", values["labels"]))


def _column(values) -> Group:
    reveal = values["column"]
    count = len(sm.CHOICES)
    texts = tuple(
        sm.fmt_percent(round(sm.PERCENT_VALUES[i] * row_progress(reveal, i, count)))
        for i in range(count)
    )
    bars = bar_column(
        COLUMN,
        sm.TEACHER_PROBS,
        labels=sm.CHOICES,
        texts=texts,
        reveal=reveal,
        glow=theme.GLOW_SOFT,
        highlight=0 if reveal >= 1.0 else None,
    )
    title = Text(
        COLUMN_TITLE,
        COLUMN.x,
        COLUMN.y - BRACKET_PAD - 16.0,
        theme.TEXT_TINY,
        theme.TEXT_DIM,
        role="sans-semibold",
        opacity=min(1.0, 2.0 * reveal),
    )
    brackets = vector_brackets(
        BRACKET_LEFT,
        BRACKET_RIGHT,
        COLUMN.y - BRACKET_PAD,
        COLUMN.y + COLUMN.height(count) + BRACKET_PAD,
        reveal=min(1.0, 1.6 * reveal),
    )
    return Group(items=(title, brackets, bars))


def _packet(u: float, strength: float) -> tuple[Group, tuple[Box, float]]:
    """One copy of the softmax vector riding the stream at parameter ``u``; its box and
    opacity.

    It sits on a card of the background colour, and the stream's particles clear the
    box (they are drawn over everything), so the copy reads as carried, not crossed.
    """
    (point,), _ = bezier_points(FLOW_CURVE, np.array([u]))
    fade = strength * math.sin(math.pi * u) ** 0.6
    scale = 1.0 - 0.45 * u  # it shrinks as it nears the small student
    count = len(sm.TEACHER_PROBS)
    top = -PACKET_ROW * count / 2
    half, pad = PACKET_BAR_LENGTH / 2 + 12.0, 7.0
    items = []
    for index, prob in enumerate(sm.TEACHER_PROBS):
        row_top = top + index * PACKET_ROW + (PACKET_ROW - PACKET_BAR_HEIGHT) / 2
        tint = theme.ORANGE if index == 0 else theme.CYAN
        style = Style(fill=tint, glow=theme.GLOW)
        length = max(3.0, PACKET_BAR_LENGTH * prob)
        items.append(Rect(-PACKET_BAR_LENGTH / 2, row_top, length, PACKET_BAR_HEIGHT, style, 2.0))
    # The same brackets as the column it copies: it reads as "that vector, in transit".
    items.append(vector_brackets(-half, half, top - pad, -top + pad, reveal=1.0, arm=9.0))
    x, y = float(point[0]), float(point[1])
    box = (x - half * scale, y + (top - pad) * scale, 2 * half * scale, 2 * (pad - top) * scale)
    # The card turns opaque before the copy has faded in (and stays until it has nearly
    # faded out), so the column's bracket and the guide curve never show through it.
    card_style = Style(fill=theme.BACKGROUND, opacity=backing_opacity(fade))
    card = Rect(-half, top - pad, 2 * half, 2 * (pad - top), card_style, 4.0)
    copy = Group(items=(card, Group(items=tuple(items), opacity=fade)))
    group = Group(items=(copy,), translate=(x, y), scale=scale)
    return group, (box, fade)


def _packets(seconds: float, strength: float) -> list[tuple[Group, tuple[Box, float]]]:
    """The copies on the stream now, each with its box (see ``_packet``)."""
    if strength <= 0.0 or seconds < PACKETS_START:
        return []
    travelled = (seconds - PACKETS_START) / PACKET_SECONDS
    found = []
    for index in range(PACKETS):
        lap = travelled - index / PACKETS
        if lap < 0.0:
            continue  # this copy has not left yet
        found.append(_packet(lap % 1.0, strength))
    return found


def _caption(opacity: float) -> tuple:
    if opacity <= 0.0:
        return ()
    x, y = CAPTION_XY
    text = Text(
        CAPTION,
        x,
        y,
        theme.TEXT_HEADING,
        theme.TEXT,
        role="sans-semibold",
        align="center",
        glow=theme.GLOW_SOFT,
    )
    half = 120.0 * opacity
    rule = Line(
        x - half, y + 18, x + half, y + 18, Style(stroke=theme.CYAN, width=theme.STROKE, glow=1.0)
    )
    return (Group(items=(text, rule), opacity=opacity, translate=(0.0, 10.0 * (1 - opacity))),)


def _camera(seconds: float) -> Camera:
    cx, cy, drift = CAMERA_PAN
    return Camera(cx + drift * seconds, cy, CAMERA_ZOOM_START + CAMERA_ZOOM_RATE * seconds)


# -- scene ---------------------------------------------------------------------------------


def scene(seconds: Fraction) -> Scene:
    """The phase at local time ``seconds`` (also called slightly outside [0, SECONDS])."""
    values = TL.sample(seconds + LEAD)
    t = float(seconds)
    emit_seeds, stream_seeds = _flow_seeds()
    teacher_layout = stack_layout(*TEACHER_BOX, TEACHER_LAYERS, heads=TEACHER_HEADS)
    student_layout = stack_layout(*STUDENT_BOX, STUDENT_LAYERS, heads=STUDENT_HEADS)
    packets = _packets(float(seconds + LEAD), values["flow"])
    stream = flow(
        FLOW_CURVE,
        stream_seeds,
        t,
        strength=values["flow"],
        speed=0.3,
        width=30.0,
        clear=tuple(clearing for _, clearing in packets),
    )

    items = [
        *_teacher(values),
        token_stream(teacher_layout, t, reveal=values["tokens"]),
        *_student(values, values["learned"]),
        token_stream(student_layout, t, per_lane=3, radius=3.0, reveal=values["student_tokens"]),
        flow(EMIT_CURVE, emit_seeds, t, strength=values["emit"], speed=0.5, width=10.0),
        _column(values),
        stream,
        *(packet for packet, _ in packets),
    ]
    return Scene(items=tuple(items), camera=_camera(t), overlay=_caption(values["caption"]))
