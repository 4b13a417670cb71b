"""Phase 5 · Soft Targets & Loss: logits become a softmax, soft targets, and the loss.

The teacher (left, fed by the prompt "Explain self-attention" typed below it) stays
on screen while the right side walks through three stages:

A. logits → probabilities: a table whose numbers appear column by column (z, e^z,
   their sum, p = e^z / Σ) while one bar per row morphs through the three steps;
B. one-hot vs soft targets: the label's single 1 against the teacher's soft
   distribution, then a temperature knob that softens it (softmax of z / τ);
C. the distillation loss writes itself on with a glowing outline, and its KL term
   plays out: the student's bars move toward the teacher's while the KL readout falls.

Every number comes from ``softmax_math`` (computed from the displayed logits).
Temperature is written τ everywhere, so the subscript T can only mean "teacher".
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import cache

import numpy as np

from insideweights import theme
from insideweights.display import Camera, Equation, Group, Line, Rect, Scene, Style, Text
from insideweights.phases import softmax_math as sm
from insideweights.phases.common import phase_rng
from insideweights.phases.widgets import stack_layout, token_stream, transformer_stack
from insideweights.phases.widgets.distill import (
    MONO_ADVANCE,
    BarChart,
    FlowSeeds,
    TargetChart,
    bar_chart,
    falling_plot,
    flow,
    legend_chip,
    nudge_arrows,
    prompt_box,
    row_progress,
    target_chart,
    temperature_knob,
)
from insideweights.timeline import (
    Timeline,
    delay,
    in_out_cubic,
    linear,
    mix_oklab,
    out_cubic,
    parallel,
    sequence,
    smooth,
    tween,
)

NAME = "Soft Targets & Loss"
SECONDS = 20
PHASE = 5

# -- equations (typst math; each is the one source the renderer and the tests compile) ------

SOFTMAX_EQUATION = "p_i = e^(z_i) / (sum_j e^(z_j))"
TEMPERATURE_EQUATION = "p_i^((tau)) = e^(z_i \\/ tau) / (sum_j e^(z_j \\/ tau))"
LOSS_EQUATION = (
    'cal(L) = alpha dot tau^2 dot "KL"(p_T^((tau)) parallel p_S^((tau)))'
    ' + (1 - alpha) dot "CE"(y, p_S)'
)
KL_EQUATION = '"KL"(p_T^((tau)) parallel p_S^((tau)))'
HEADER_EQUATIONS = ("z_i", "e^(z_i)", "p_i")
EQUATIONS = (SOFTMAX_EQUATION, TEMPERATURE_EQUATION, LOSS_EQUATION, KL_EQUATION, *HEADER_EQUATIONS)

# -- layout: the left column (teacher and prompt) ---------------------------------------------

PROMPT = "Explain self-attention"
PROMPT_BOX = (90.0, 905.0, 480.0, 84.0)
TEACHER_BOX = (130.0, 280.0, 300.0, 540.0)
TEACHER_LAYERS, TEACHER_HEADS = 6, 4
TEACHER_TITLE = ("70B", "teacher")
INPUT_CURVE = np.array([[330.0, 900.0], [330.0, 870.0], [280.0, 860.0], [280.0, 826.0]])
CARET_PERIOD = 1.0  # seconds per caret blink cycle

# -- layout: stage A (the softmax table) --------------------------------------------------------

ROW_TOP, ROW_HEIGHT = 450.0, 76.0
LABEL_RIGHT = 820.0
NUMBER_RIGHT = (975.0, 1150.0, 1300.0)  # right edges of the z, e^z and p columns
NUMBER_WIDTH = 130.0  # the sum rule spans the column's last this-many units
NUMBER_INK = 5 * MONO_ADVANCE * theme.TEXT_LABEL  # five mono characters, e.g. "21.12"
FOCUS_PAD = 26.0
HEADER_Y, HEADER_HEIGHT = 398.0, 34.0
BAR_AXIS, BAR_LONGEST = 1390.0, 430.0  # the longest bar in every state is this long
SUM_LABEL = "sum"
STEP_WORDS = ("logits", "exponentiate", "sum", "divide")  # named over the orange frame
SOFTMAX_XY, SOFTMAX_HEIGHT = (1235.0, 215.0), 124.0
EMIT_A_CURVE = np.array([[436.0, 306.0], [560.0, 306.0], [520.0, 600.0], [640.0, 600.0]])

# -- layout: stage B (hard vs soft targets, temperature) --------------------------------------

TARGETS = TargetChart(x=700.0, base=800.0, height=380.0)
LEGEND_Y = 330.0
HARD_LEGEND = "hard target (one-hot label)"
SOFT_LEGEND = "soft targets (teacher)"
KNOB_XY, KNOB_RADIUS = (1650.0, 620.0), 74.0
TEMPERATURE_RANGE = (1.0, 3.0)
TEMPERATURE_XY, TEMPERATURE_HEIGHT = (1650.0, 360.0), 96.0
EMIT_B_CURVE = np.array([[436.0, 306.0], [560.0, 306.0], [560.0, 600.0], [676.0, 600.0]])

# -- layout: stage C (loss and KL) ---------------------------------------------------------------

LOSS_XY, LOSS_HEIGHT = (1235.0, 150.0), 74.0
KL_CHART = BarChart(
    x=720.0, base=740.0, height=580.0, bar_width=84.0, pitch=150.0, label_size=theme.TEXT_SMALL
)
KL_ROWS_Y = (836.0, 890.0)  # baselines of the teacher and student number rows
KL_ROW_LABELS = ("teacher", "student")
KL_ROW_LABEL_RIGHT = 690.0
KL_TITLE = f"soft targets at \u03c4 = {sm.SOFT_TEMPERATURE:.0f}"
KL_READOUT_XY = (1600.0, 400.0)
KL_PLOT_BOX = (1400.0, 590.0, 420.0, 240.0)
KL_CURVE_SAMPLES = 61
EMIT_C_CURVE = np.array([[436.0, 306.0], [560.0, 306.0], [600.0, 520.0], [700.0, 520.0]])

STAGE_SLIDE = 70.0  # stages slide this far as they cross-fade
CAMERA_ZOOM_START, CAMERA_ZOOM_RATE = 1.0, 0.0014

# -- timing (seconds) -----------------------------------------------------------------------------

# The timeline runs LEAD seconds ahead of the phase clock, so the first build is already
# under way while the incoming wipe carries the phase in (it never brings in a blank frame).
LEAD = Fraction(2, 5)

TL = Timeline(
    parallel(
        # stage A
        tween("prompt", 0.6, ease=smooth),
        delay(0.35, tween("typing", 1.6, ease=linear)),
        delay(0.1, tween("teacher", 1.4, ease=smooth)),
        delay(0.5, tween("teacher_heads", 1.2, ease=smooth)),
        delay(1.6, tween("tokens", 0.6, ease=smooth)),
        delay(1.5, tween("table", 0.6, ease=smooth)),
        delay(2.3, tween("logits", 1.4, ease=out_cubic)),
        delay(2.3, tween("focus_on", 0.4, ease=smooth)),
        delay(8.2, tween("focus_on", 0.5, start=1.0, end=0.0, ease=smooth)),
        delay(3.8, tween("focus_x", 0.5, start=0.0, end=1.0, ease=in_out_cubic)),
        delay(6.4, tween("focus_x", 0.5, start=1.0, end=2.0, ease=in_out_cubic)),
        delay(3.8, tween("step", 0.4, start=0.0, end=1.0, ease=smooth)),
        delay(5.4, tween("step", 0.4, start=1.0, end=2.0, ease=smooth)),
        delay(6.4, tween("step", 0.4, start=2.0, end=3.0, ease=smooth)),
        delay(3.9, tween("exp", 1.4, ease=smooth)),
        delay(4.0, tween("bar_state", 1.2, start=0.0, end=1.0, ease=in_out_cubic)),
        delay(6.6, tween("bar_state", 1.2, start=1.0, end=2.0, ease=in_out_cubic)),
        delay(5.4, tween("sum", 0.8, ease=smooth)),
        delay(5.2, tween("softmax_eq", 1.6, ease=linear)),
        delay(6.5, tween("divide", 1.6, ease=in_out_cubic)),
        delay(8.1, tween("winner", 0.5, ease=smooth)),
        delay(8.9, tween("stage_b", 0.8, ease=in_out_cubic)),
        # stage B
        delay(9.5, tween("hard", 0.8, ease=smooth)),
        delay(10.2, tween("soft", 1.0, ease=out_cubic)),
        delay(11.2, tween("knob", 0.6, ease=smooth)),
        delay(11.2, tween("temperature_eq", 1.0, ease=linear)),
        delay(12.0, tween("temperature", 1.2, start=1.0, end=sm.SOFT_TEMPERATURE)),
        delay(13.5, tween("stage_c", 0.7, ease=in_out_cubic)),
        # stage C
        delay(14.0, tween("loss_eq", 1.6, ease=linear)),
        delay(
            15.1,
            sequence(
                tween("loss_glow", 0.5, start=0.0, end=theme.GLOW_STRONG, ease=out_cubic),
                tween("loss_glow", 0.9, start=theme.GLOW_STRONG, end=theme.GLOW_SOFT),
            ),
        ),
        delay(14.8, tween("kl_panel", 0.8, ease=smooth)),
        delay(15.8, tween("learned", 3.6, ease=in_out_cubic)),
    )
)


# -- shared parts ---------------------------------------------------------------------------------


@cache
def _seeds(purpose: str, count: int) -> FlowSeeds:
    return FlowSeeds.draw(phase_rng(PHASE, purpose), count)


def _teacher(values, seconds: float) -> tuple:
    """The teacher stack with its title, the token stream and the prompt feeding it."""
    x, y, w, h = TEACHER_BOX
    built = min(values["teacher"], values["teacher_heads"], values["tokens"]) >= 1.0
    stack = transformer_stack(
        x,
        y,
        w,
        h,
        TEACHER_LAYERS,
        heads=TEACHER_HEADS,
        reveal=values["teacher"],
        heads_reveal=values["teacher_heads"],
        logits_reveal=values["tokens"],
        cache_key="p5 teacher" if built else None,
    )
    layout = stack_layout(x, y, w, h, TEACHER_LAYERS, heads=TEACHER_HEADS)
    size, role = TEACHER_TITLE
    centre, baseline = x + w / 2, y - 26.0
    title = Group(
        items=(
            Text(size, centre - 6, baseline, theme.TEXT_LABEL, theme.TEXT, "sans-bold", "right"),
            Text(role, centre + 8, baseline, theme.TEXT_LABEL, theme.TEXT_DIM),
        ),
        opacity=values["teacher"],
    )
    stream = token_stream(layout, seconds, per_lane=5, radius=4.0, reveal=values["tokens"])
    feed = flow(
        INPUT_CURVE,
        _seeds("prompt into teacher", 24),
        seconds,
        strength=values["tokens"],
        speed=0.6,
        width=8.0,
        guide=False,
    )
    return (stack, title, stream, feed)


def _prompt(values, seconds: float) -> Group:
    caret_on = (seconds % CARET_PERIOD) < 0.55 * CARET_PERIOD
    return prompt_box(
        *PROMPT_BOX, PROMPT, typed=values["typing"], caret_on=caret_on, reveal=values["prompt"]
    )


def _stage(items, shown: float, slide: float) -> Group:
    """A stage's items cross-fading and sliding horizontally by ``slide`` units."""
    if shown <= 0.0:
        return Group(items=())
    return Group(items=tuple(items), opacity=shown, translate=(slide, 0.0))


def _row_baseline(index: float, size: float = theme.TEXT_LABEL) -> float:
    return ROW_TOP + (index + 0.5) * ROW_HEIGHT + 0.36 * size


# -- stage A: the softmax table ------------------------------------------------------------------


def _bar_lengths(state: float) -> np.ndarray:
    """Bar lengths while the bars morph: 0 = logits, 1 = e^z, 2 = probabilities."""
    stages = [
        np.asarray(values, dtype=np.float64) * (BAR_LONGEST / max(values))
        for values in (sm.TEACHER_LOGITS, sm.EXP_VALUES, sm.TEACHER_PROBS)
    ]
    if state <= 1.0:
        return stages[0] + (stages[1] - stages[0]) * state
    return stages[1] + (stages[2] - stages[1]) * (state - 1.0)


def table_texts(values) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The z, e^z and p columns as displayed (numbers count up with their rows)."""
    count = len(sm.CHOICES)
    z_texts, e_texts, p_texts = [], [], []
    for index in range(count):
        grown = row_progress(values["logits"], index, count)
        z_texts.append(sm.fmt_number(sm.TEACHER_LOGITS[index] * grown, sm.LOGIT_DECIMALS))
        exp_grown = row_progress(values["exp"], index, count)
        e_texts.append(sm.fmt_number(sm.EXP_VALUES[index] * exp_grown, sm.EXP_DECIMALS))
        p_grown = row_progress(values["divide"], index, count)
        p_texts.append(sm.fmt_percent(round(sm.PERCENT_VALUES[index] * p_grown)))
    return tuple(z_texts), tuple(e_texts), tuple(p_texts)


def _number_column(texts, column: int, reveal: float, colours) -> list:
    """One column of right-aligned numbers; ``colours`` has one colour per row."""
    count = len(texts)
    items = []
    for index, text in enumerate(texts):
        shown = row_progress(reveal, index, count)
        if shown > 0.0:
            items.append(
                Text(
                    text,
                    NUMBER_RIGHT[column],
                    _row_baseline(index),
                    theme.TEXT_LABEL,
                    colours[index],
                    "mono-medium",
                    "right",
                    opacity=shown,
                )
            )
    return items


def _headers(values) -> list:
    items = []
    for column, name in enumerate(("logits", "exp", "divide")):
        reveal = min(1.0, 2.5 * values[name])
        if reveal <= 0.0:
            continue
        items.append(
            Equation(
                HEADER_EQUATIONS[column],
                NUMBER_RIGHT[column] - 0.5 * NUMBER_INK,
                HEADER_Y,
                HEADER_HEIGHT,
                theme.TEXT_DIM,
                reveal=reveal,
            )
        )
    return items


def _focus(values) -> list:
    """An orange frame that walks from column to column as each step happens."""
    shown = values["focus_on"]
    if shown <= 0.0:
        return []
    position = values["focus_x"]
    lower = int(math.floor(position))
    upper = min(lower + 1, len(NUMBER_RIGHT) - 1)
    right = NUMBER_RIGHT[lower] + (NUMBER_RIGHT[upper] - NUMBER_RIGHT[lower]) * (position - lower)
    top = HEADER_Y - 0.9 * HEADER_HEIGHT
    bottom = ROW_TOP + 5.0 * ROW_HEIGHT
    style = Style(stroke=theme.ORANGE, width=theme.STROKE, glow=theme.GLOW_SOFT, opacity=shown)
    centre = right - 0.5 * NUMBER_INK
    width = NUMBER_INK + 2 * FOCUS_PAD
    items: list = [Rect(centre - width / 2, top, width, bottom - top, style, radius=14.0)]
    for index, word in enumerate(STEP_WORDS):
        weight = max(0.0, 1.0 - 2.0 * abs(values["step"] - index)) * shown
        if weight > 0.0:
            items.append(
                Text(
                    word,
                    centre,
                    top - 18.0,
                    theme.TEXT_SMALL,
                    theme.ORANGE,
                    "sans-semibold",
                    "center",
                    opacity=weight,
                )
            )
    return items


def _bars(values) -> list:
    lengths = _bar_lengths(values["bar_state"])
    count = len(lengths)
    bar_height = 0.46 * ROW_HEIGHT
    axis = Style(stroke=theme.TEXT_DIM, width=theme.STROKE_THIN, opacity=values["table"])
    items: list = [Line(BAR_AXIS, ROW_TOP + 8, BAR_AXIS, ROW_TOP + count * ROW_HEIGHT - 8, axis)]
    items.extend(_bar_header(values))
    for index, length in enumerate(lengths):
        grown = row_progress(values["logits"], index, count)
        if grown <= 0.0:
            continue
        span = float(length) * grown
        tint = theme.CYAN
        glow = theme.GLOW_SOFT
        if index == 0 and values["winner"] > 0.0:
            tint = mix_oklab(theme.CYAN, theme.ORANGE, values["winner"])
            glow = theme.GLOW
        top = ROW_TOP + (index + 0.5) * ROW_HEIGHT - bar_height / 2
        left = min(BAR_AXIS, BAR_AXIS + span)
        if abs(span) > 0.5:
            items.append(Rect(left, top, abs(span), bar_height, Style(fill=tint, glow=glow), 4.0))
    return items


def _bar_header(values) -> list:
    """Over the bars, the quantity they show now: z, then e^z, then p.

    Each label fades out before the next fades in (both are clear of each other at
    the half-way state) and slides a little in the direction of the change.
    """
    state = values["bar_state"]
    items = []
    for index, source in enumerate(HEADER_EQUATIONS):
        offset = state - index
        weight = max(0.0, 1.0 - 2.0 * abs(offset)) * values["table"]
        if weight > 0.0:
            items.append(
                Equation(
                    source,
                    BAR_AXIS + 24.0,
                    HEADER_Y - 24.0 * offset,
                    HEADER_HEIGHT,
                    theme.TEXT_DIM,
                    align="left",
                    opacity=weight,
                )
            )
    return items


def _sum_row(values) -> list:
    shown = values["sum"]
    if shown <= 0.0:
        return []
    right = NUMBER_RIGHT[1]
    rule_y = ROW_TOP + 4.0 * ROW_HEIGHT + 6.0
    rule = Style(stroke=theme.TEXT_DIM, width=theme.STROKE_THIN, trim=shown)
    baseline = _row_baseline(4.0)
    items = [
        Line(right - NUMBER_WIDTH, rule_y, right, rule_y, rule),
        Text(
            SUM_LABEL,
            LABEL_RIGHT,
            baseline,
            theme.TEXT_LABEL,
            theme.TEXT_DIM,
            align="right",
            opacity=shown,
        ),
        Text(
            sm.EXP_SUM_TEXT,
            right,
            baseline,
            theme.TEXT_LABEL,
            theme.TEXT,
            "mono-medium",
            "right",
            opacity=shown,
        ),
    ]
    if values["divide"] >= 1.0:
        p_right = NUMBER_RIGHT[2]
        items.append(Line(p_right - NUMBER_WIDTH * 0.6, rule_y, p_right, rule_y, rule))
        total = sm.fmt_percent(sum(sm.PERCENT_VALUES))
        items.append(
            Text(
                total,
                p_right,
                baseline,
                theme.TEXT_LABEL,
                theme.TEXT_DIM,
                "mono-medium",
                "right",
                opacity=values["winner"],
            )
        )
    return items


def _stage_a(values, seconds: float) -> tuple:
    table = values["table"]
    z_texts, e_texts, p_texts = table_texts(values)
    labels = [
        Text(
            choice,
            LABEL_RIGHT,
            _row_baseline(index),
            theme.TEXT_LABEL,
            theme.TEXT,
            align="right",
            opacity=row_progress(table, index, len(sm.CHOICES)),
        )
        for index, choice in enumerate(sm.CHOICES)
    ]
    plain = (theme.TEXT,) * len(sm.CHOICES)
    winner = (mix_oklab(theme.TEXT, theme.ORANGE, values["winner"]),) + plain[1:]
    items = [
        *_focus(values),
        *labels,
        *_headers(values),
        *_number_column(z_texts, 0, values["logits"], plain),
        *_number_column(e_texts, 1, values["exp"], plain),
        *_number_column(p_texts, 2, values["divide"], winner),
        *_sum_row(values),
        *_bars(values),
        Equation(
            SOFTMAX_EQUATION, *SOFTMAX_XY, SOFTMAX_HEIGHT, theme.TEXT, reveal=values["softmax_eq"]
        ),
    ]
    shown = 1.0 - values["stage_b"]
    emit = flow(
        EMIT_A_CURVE,
        _seeds("teacher to table", 50),
        seconds,
        strength=min(table, shown),
        speed=0.45,
        width=12.0,
    )
    return (_stage(items, shown, -STAGE_SLIDE * values["stage_b"]), emit)


# -- stage B: one-hot vs soft targets, temperature ----------------------------------------------


def temperature_texts(values) -> tuple[str, tuple[str, ...]]:
    """The knob readout and the soft-target values it produces, as displayed."""
    temperature = sm.shown_temperature(values["temperature"])
    readout = f"\u03c4 = {sm.fmt_number(temperature, sm.TEMPERATURE_DECIMALS)}"
    soft = sm.softened_percent(temperature)
    return readout, tuple(sm.fmt_percent(value, sm.PERCENT_DECIMALS_SOFT) for value in soft)


HARD_TARGET = tuple(1.0 if index == 0 else 0.0 for index in range(len(sm.CHOICES)))
HARD_TEXTS = tuple(sm.fmt_percent(100 * value) for value in HARD_TARGET)


def _stage_b(values, seconds: float) -> tuple:
    readout, soft_texts = temperature_texts(values)
    soft = tuple(value / 100 for value in sm.softened_percent(values["temperature"]))
    chart = target_chart(
        TARGETS,
        HARD_TARGET,
        soft,
        labels=sm.CHOICES,
        hard_texts=HARD_TEXTS,
        soft_texts=soft_texts,
        hard_reveal=values["hard"],
        soft_reveal=values["soft"],
    )
    legend = (
        legend_chip(
            TARGETS.x,
            LEGEND_Y,
            HARD_LEGEND,
            filled=None,
            outline=theme.TEXT_DIM,
            opacity=values["hard"],
        ),
        legend_chip(
            TARGETS.x + 440.0,
            LEGEND_Y,
            SOFT_LEGEND,
            filled=theme.CYAN,
            outline=None,
            opacity=values["soft"],
        ),
    )
    low, high = TEMPERATURE_RANGE
    knob = temperature_knob(
        *KNOB_XY,
        KNOB_RADIUS,
        values["temperature"],
        readout,
        low=low,
        high=high,
        reveal=values["knob"],
    )
    equation = Equation(
        TEMPERATURE_EQUATION,
        *TEMPERATURE_XY,
        TEMPERATURE_HEIGHT,
        theme.TEXT,
        reveal=values["temperature_eq"],
    )
    shown = values["stage_b"] * (1.0 - values["stage_c"])
    slide = STAGE_SLIDE * (1.0 - values["stage_b"]) - STAGE_SLIDE * values["stage_c"]
    emit = flow(
        EMIT_B_CURVE,
        _seeds("teacher to soft targets", 50),
        seconds,
        strength=min(shown, values["soft"]),
        speed=0.45,
        width=12.0,
    )
    return (_stage((chart, *legend, knob, equation), shown, slide), emit)


# -- stage C: the loss and its KL term ------------------------------------------------------------


def kl_texts(learned: float) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """Teacher row, student row and KL readout, exactly as displayed."""
    teacher = tuple(sm.fmt_percent(v, sm.PERCENT_DECIMALS_SOFT) for v in sm.teacher_soft_percent())
    student = tuple(
        sm.fmt_percent(v, sm.PERCENT_DECIMALS_SOFT) for v in sm.student_soft_percent(learned)
    )
    return teacher, student, sm.kl_text(learned)


@cache
def _kl_curve() -> np.ndarray:
    """The readout's value along the whole learning move, for the falling plot."""
    steps = np.linspace(0.0, 1.0, KL_CURVE_SAMPLES)
    return np.array([sm.kl_value(float(step)) for step in steps])


def _kl_rows(learned: float) -> list:
    teacher, student, _ = kl_texts(learned)
    items = []
    for row, (texts, colour) in enumerate(((teacher, theme.ORANGE), (student, theme.CYAN))):
        baseline = KL_ROWS_Y[row]
        items.append(
            Text(
                KL_ROW_LABELS[row],
                KL_ROW_LABEL_RIGHT,
                baseline,
                theme.TEXT_SMALL,
                colour,
                "sans-semibold",
                "right",
            )
        )
        for index, text in enumerate(texts):
            items.append(
                Text(
                    text,
                    KL_CHART.centre_x(index),
                    baseline,
                    theme.TEXT_SMALL,
                    theme.TEXT,
                    "mono-medium",
                    "center",
                )
            )
    return items


def _stage_c(values, seconds: float) -> tuple:
    learned = values["learned"]
    teacher = np.asarray(sm.teacher_soft_percent()) / 100
    student = np.asarray(sm.student_soft_percent(learned)) / 100
    _, _, readout = kl_texts(learned)
    panel = values["kl_panel"]
    arrows_on = math.sin(math.pi * min(1.0, learned * 1.15)) ** 0.5
    curve = _kl_curve()
    panel_items = (
        Text(
            KL_TITLE, KL_CHART.x - 30.0, 330.0, theme.TEXT_SMALL, theme.TEXT_DIM, "sans-semibold"
        ),
        bar_chart(KL_CHART, student, labels=sm.CHOICES, reveal=panel, glow=theme.GLOW_SOFT),
        bar_chart(KL_CHART, teacher, reveal=panel, outline_only=True, colour=theme.ORANGE),
        nudge_arrows(KL_CHART, student, teacher, opacity=panel * arrows_on),
        *_kl_rows(learned),
        Equation(KL_EQUATION, KL_READOUT_XY[0], KL_READOUT_XY[1], 54.0, theme.TEXT),
        Text(
            readout,
            KL_READOUT_XY[0],
            KL_READOUT_XY[1] + 100.0,
            theme.TEXT_TITLE,
            theme.ORANGE,
            "mono-medium",
            "center",
            glow=theme.GLOW_SOFT,
        ),
        falling_plot(
            KL_PLOT_BOX,
            curve,
            learned,
            top_value=float(curve[0]) * 1.1,
            x_label="training steps",
            y_label="KL",
        ),
    )
    loss = Equation(
        LOSS_EQUATION,
        *LOSS_XY,
        LOSS_HEIGHT,
        theme.TEXT,
        reveal=values["loss_eq"],
        outline=theme.ORANGE,
        outline_glow=values["loss_glow"],
    )
    shown = values["stage_c"]
    slide = STAGE_SLIDE * (1.0 - shown)
    emit = flow(
        EMIT_C_CURVE,
        _seeds("teacher to KL targets", 50),
        seconds,
        strength=min(shown, panel),
        speed=0.45,
        width=12.0,
    )
    return (_stage((loss, Group(items=panel_items, opacity=panel)), shown, slide), emit)


# -- scene ----------------------------------------------------------------------------------------


def _camera(seconds: float) -> Camera:
    return Camera(960.0 + 0.6 * seconds, 540.0, CAMERA_ZOOM_START + CAMERA_ZOOM_RATE * seconds)


def scene(seconds: Fraction) -> Scene:
    """The phase at local time ``seconds`` (also called slightly outside [0, SECONDS])."""
    values = TL.sample(seconds + LEAD)
    t = float(seconds)
    items = (
        *_teacher(values, t),
        _prompt(values, t),
        *_stage_a(values, t),
        *_stage_b(values, t),
        *_stage_c(values, t),
    )
    return Scene(items=items, camera=_camera(t))
