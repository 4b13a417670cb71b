"""Phase 6 · Capability Compression: what moves from teacher to student, and what it buys.

Act 1 (0-6 s): the 70B teacher (left) and the 7B student (right) stand on their own.
Three glowing lanes join matching parts: attention maps (heat-map tiles), hidden
representations (vectors) and embeddings (a point cloud whose shape survives the
trip). Packets travel each lane, shrinking as they reach the smaller model, and the
student's receiving part flashes as each one lands.

Act 2 (6-15 s): both models step aside into the left column, the lanes keep
flowing, and five metric rows slide in on the right, each bar moving from the
teacher's value to the student's while its figure counts, then a direction badge.
Every figure comes from :mod:`insideweights.phases.model_figures`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import cache

import numpy as np

from insideweights import theme
from insideweights.display import Camera, Group, Particles, Path, Scene, Style, Text
from insideweights.phases import model_figures
from insideweights.phases.common import phase_rng
from insideweights.phases.widgets import StackLayout, stack_layout, tensor_grid, transformer_stack
from insideweights.phases.widgets.metrics import RowLayout, metric_legend, metric_row
from insideweights.timeline import (
    Timeline,
    delay,
    in_out_cubic,
    in_out_sine,
    out_cubic,
    parallel,
    smooth,
    tween,
)
from insideweights.timeline.color import mix_oklab

NAME = "Capability Compression"
SECONDS = 15
PHASE = 6

# -- layout (design units) -------------------------------------------------------------------

Box = tuple[float, float, float, float]
TEACHER_LAYERS, TEACHER_HEADS = 8, 4
STUDENT_LAYERS, STUDENT_HEADS = 4, 2
TEACHER_ACT1: Box = (170.0, 175.0, 420.0, 780.0)
STUDENT_ACT1: Box = (1500.0, 350.0, 240.0, 430.0)
TEACHER_ACT2: Box = (95.0, 290.0, 270.0, 520.0)
STUDENT_ACT2: Box = (500.0, 435.0, 150.0, 270.0)
LABEL_GAP = 38.0  # from a model's top edge up to its name's baseline

LANES = ("attention maps", "hidden representations", "embeddings")
LANE_LABEL_LIFT = (74.0, 86.0, -78.0)  # label baseline above (+) or below (-) the lane middle
PACKET_PERIOD = 1.5  # seconds between packets on one lane
PACKET_TRAVEL = 1.25  # seconds a packet takes to cross
PACKET_LANE_LAG = 0.5  # seconds between the lanes' first packets
PACKETS_FIRST = 1.6  # first packet leaves
PACKETS_LAST_ARRIVAL = 6.0  # no packet lands after this: act 2 starts moving the models
STREAM_PARTICLES = 70  # per lane
STREAM_SPEED = 0.28  # lane lengths per second
STREAM_WIDTH = 14.0  # half-width of a long lane's stream at its middle
STREAM_FULL_LENGTH = 800.0  # lanes at least this long show every stream particle

METRICS_X = 760.0
METRICS_WIDTH = 1080.0
METRICS_TOP = 250.0
METRICS_PITCH = 140.0
LEGEND_BASELINE = 200.0
NOTE_BASELINE = 985.0
ROW_LAYOUT = RowLayout(width=METRICS_WIDTH)

CAMERA_ZOOM_START = 1.0
CAMERA_ZOOM_RATE = 0.0022  # per second: a slow push-in that never stops

# -- timeline --------------------------------------------------------------------------------

ROW_START = 7.1
ROW_LAG = 0.5


def _rows_timeline():
    rows = []
    for index in range(len(model_figures.METRICS)):
        start = ROW_START + ROW_LAG * index
        rows.append(_at(start, tween(f"row{index}", 0.6, ease=out_cubic)))
        rows.append(_at(start + 0.35, tween(f"count{index}", 1.4, ease=in_out_cubic)))
        rows.append(_at(start + 1.65, tween(f"badge{index}", 0.45, ease=smooth)))
    return rows


def _at(seconds: float, anim):
    """``anim`` starting at local time ``seconds`` (exact: timeline times are Fractions)."""
    return delay(Fraction(seconds).limit_denominator(1000) + LEAD, anim)


# Beats are written in local seconds; the timeline itself runs LEAD seconds ahead of the
# phase clock. Only the opening build starts before local 0, so the incoming wipe (local
# -0.25 to +0.25) reveals both models already standing, not an empty screen.
LEAD = Fraction(11, 10)

TL = Timeline(
    parallel(
        _at(-1.1, tween("build", 1.3, ease=smooth)),
        _at(-0.8, tween("heads", 1.3, ease=smooth)),
        _at(-0.45, tween("names", 0.6, ease=smooth)),
        *(_at(1.1 + 0.4 * i, tween(f"lane{i}", 0.8, ease=smooth)) for i in range(3)),
        _at(5.7, tween("lane_labels", 0.5, start=1.0, end=0.0, ease=smooth)),
        _at(6.0, tween("act2", 1.4, ease=in_out_cubic)),
        _at(6.9, tween("legend", 0.6, ease=smooth)),
        *_rows_timeline(),
        _at(11.0, tween("note", 0.7, ease=smooth)),
    )
)


# -- geometry --------------------------------------------------------------------------------


def _lerp_box(start: Box, end: Box, eased: float) -> Box:
    return tuple(a + (b - a) * eased for a, b in zip(start, end, strict=True))


@dataclass(frozen=True, slots=True)
class Models:
    """Both stacks' boxes and layouts at one instant."""

    teacher_box: Box
    student_box: Box
    teacher: StackLayout
    student: StackLayout


def _models(act2: float) -> Models:
    teacher_box = _lerp_box(TEACHER_ACT1, TEACHER_ACT2, act2)
    student_box = _lerp_box(STUDENT_ACT1, STUDENT_ACT2, act2)
    return Models(
        teacher_box,
        student_box,
        stack_layout(*teacher_box, TEACHER_LAYERS, heads=TEACHER_HEADS),
        stack_layout(*student_box, STUDENT_LAYERS, heads=STUDENT_HEADS),
    )


def _lane_ends(models: Models, lane: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """Where lane ``lane`` leaves the teacher and enters the student."""
    teacher, student = models.teacher, models.student
    if lane == 0:
        start = (teacher.blocks[TEACHER_LAYERS - 2].right, teacher.blocks[TEACHER_LAYERS - 2].cy)
        end = (student.blocks[STUDENT_LAYERS - 1].x, student.blocks[STUDENT_LAYERS - 1].cy)
    elif lane == 1:
        start = (teacher.outer.right, teacher.hidden_y[TEACHER_LAYERS // 2])
        end = (student.outer.x, student.hidden_y[STUDENT_LAYERS // 2])
    else:
        start = (teacher.embeddings.right, teacher.embeddings.cy)
        end = (student.embeddings.x, student.embeddings.cy)
    return start, end


def _lane_control(models: Models, lane: int) -> np.ndarray:
    """The lane's cubic Bezier: leaves and arrives horizontally."""
    (sx, sy), (ex, ey) = _lane_ends(models, lane)
    reach = 0.42 * (ex - sx)
    return np.array([(sx + 8.0, sy), (sx + reach, sy), (ex - reach, ey), (ex - 8.0, ey)])


def _bezier(control: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points and unit normals of the cubic Bezier at parameters ``u``."""
    u = np.asarray(u, dtype=np.float64)[..., None]
    p0, p1, p2, p3 = control
    v = 1.0 - u
    points = v**3 * p0 + 3 * v * v * u * p1 + 3 * v * u * u * p2 + u**3 * p3
    tangent = 3 * v * v * (p1 - p0) + 6 * v * u * (p2 - p1) + 3 * u * u * (p3 - p2)
    length = np.maximum(np.hypot(tangent[..., 0], tangent[..., 1]), 1e-9)[..., None]
    normal = np.concatenate([-tangent[..., 1:2], tangent[..., 0:1]], axis=-1) / length
    return points, normal


# -- lanes: guide, stream, packets -----------------------------------------------------------


@cache
def _stream_seeds(lane: int) -> tuple[np.ndarray, ...]:
    """Per-particle (offset along the lane, sideways spread, brightness, thinning rank)."""
    rng = phase_rng(PHASE, f"stream-{lane}")
    offsets = (np.arange(STREAM_PARTICLES) + rng.random(STREAM_PARTICLES)) / STREAM_PARTICLES
    spread = rng.normal(0.0, 0.45, STREAM_PARTICLES).clip(-1.0, 1.0)
    brightness = 0.45 + 0.55 * rng.random(STREAM_PARTICLES)
    rank = rng.permutation(STREAM_PARTICLES) / STREAM_PARTICLES
    return offsets, spread, brightness, rank


def _stream(control: np.ndarray, lane: int, seconds: float, strength: float) -> Particles:
    """Cyan particles drifting along the lane; a closed-form function of time."""
    offsets, spread, brightness, rank = _stream_seeds(lane)
    u = np.mod(offsets + STREAM_SPEED * seconds, 1.0)
    points, normal = _bezier(control, u)
    # A short lane (act 2) keeps the same density per unit length and a narrower stream,
    # so it reads as the same flow seen smaller rather than a bright, crowded worm.
    share = min(1.0, float(np.hypot(*(control[3] - control[0]))) / STREAM_FULL_LENGTH)
    width = STREAM_WIDTH * share * share * np.sin(np.pi * u)
    xy = points + normal * (spread * width)[:, None]
    ends = np.minimum(u / 0.1, (1.0 - u) / 0.1).clip(0.0, 1.0)
    kept = rank < max(share, 0.25)
    return Particles(xy, 3.0, theme.CYAN, np.where(kept, brightness * ends * strength, 0.0))


def _guide(control: np.ndarray, shown: float) -> Path:
    p0, p1, p2, p3 = control
    style = Style(
        stroke=theme.CYAN,
        width=theme.STROKE,
        glow=theme.GLOW_SOFT,
        opacity=0.4 * shown,
        trim=shown,
    )
    return Path((("M", *p0), ("C", *p1, *p2, *p3)), style)


@cache
def _launches(lane: int) -> tuple[float, ...]:
    """Launch times of lane ``lane``'s packets: every period, all landed by act 2."""
    first = PACKETS_FIRST + PACKET_LANE_LAG * lane
    count = math.floor((PACKETS_LAST_ARRIVAL - PACKET_TRAVEL - first) / PACKET_PERIOD) + 1
    return tuple(first + index * PACKET_PERIOD for index in range(max(0, count)))


def _packet_clock(lane: int, seconds: float) -> tuple[float | None, float]:
    """(travel progress of the packet in flight or None, seconds since the last landing)."""
    travel, since = None, math.inf
    for launch in _launches(lane):
        if launch <= seconds < launch + PACKET_TRAVEL:
            travel = (seconds - launch) / PACKET_TRAVEL
        if launch + PACKET_TRAVEL <= seconds:
            since = seconds - launch - PACKET_TRAVEL
    return travel, since


@cache
def _attention_pattern() -> np.ndarray:
    """A 6 x 6 causal attention map: each row attends mostly to a few earlier tokens."""
    rng = phase_rng(PHASE, "attention")
    scores = rng.normal(0.0, 1.0, (6, 6)) + 1.6 * np.eye(6)
    scores = np.where(np.tril(np.ones((6, 6))) > 0, scores, -np.inf)
    weights = np.exp(scores - scores.max(axis=1, keepdims=True))
    weights /= weights.sum(axis=1, keepdims=True)
    return np.sqrt(weights)  # square root lifts the small weights into view


@cache
def _hidden_vector() -> np.ndarray:
    rng = phase_rng(PHASE, "hidden")
    return (0.5 + 0.5 * np.tanh(rng.normal(0.0, 1.0, (10, 1)))).clip(0.08, 1.0)


@cache
def _embedding_cloud() -> np.ndarray:
    """Three loose clusters in a unit disc: the shape that should survive the trip."""
    rng = phase_rng(PHASE, "embeddings")
    centres = np.array([(-0.45, -0.25), (0.4, -0.35), (0.05, 0.45)])
    members = rng.integers(0, 3, 54)
    return centres[members] + rng.normal(0.0, 0.16, (54, 2))


def _packet(lane: int, control: np.ndarray, travel: float) -> tuple:
    """The packet of lane ``lane`` at travel progress ``travel``, shrinking on the way."""
    eased = in_out_sine(travel)
    points, _ = _bezier(control, np.array([eased]))
    x, y = float(points[0, 0]), float(points[0, 1])
    fade = min(1.0, travel / 0.12, (1.0 - travel) / 0.12)
    shrink = 1.0 - 0.5 * eased
    if lane == 0:
        side = 92.0 * shrink
        grid = tensor_grid(
            x - side / 2,
            y - side / 2,
            side,
            side,
            _attention_pattern(),
            low=theme.PANEL,
            high=theme.CYAN,
            outline=theme.CYAN,
            glow=theme.GLOW_SOFT,
            opacity=fade,
        )
        return (grid,)
    if lane == 1:
        width, height = 24.0 * (1.0 - 0.3 * eased), 150.0 * shrink
        vector = tensor_grid(
            x - width / 2,
            y - height / 2,
            width,
            height,
            _hidden_vector(),
            low=theme.PANEL,
            high=theme.CYAN,
            outline=theme.CYAN,
            glow=theme.GLOW_SOFT,
            opacity=fade,
        )
        return (vector,)
    cloud = _embedding_cloud() * (48.0 * shrink) + (x, y)
    return (Particles(cloud, 4.0, theme.CYAN, 0.95 * fade),)


def _lane_label(control: np.ndarray, lane: int, opacity: float) -> Text:
    points, _ = _bezier(control, np.array([0.5]))
    x, y = points[0]
    return Text(
        LANES[lane],
        float(x),
        float(y) - LANE_LABEL_LIFT[lane],
        theme.TEXT_LABEL,
        theme.TEXT,
        role="sans-semibold",
        align="center",
        opacity=opacity,
    )


# -- models ----------------------------------------------------------------------------------


def _arrival_flash(seconds: float) -> float:
    """0-1: how brightly the student glows from the packets that just landed."""
    flash = 0.0
    for lane in range(len(LANES)):
        _, since = _packet_clock(lane, seconds)
        if 0.0 <= since < 1.0:
            flash = max(flash, math.exp(-4.0 * since))
    return flash


def _model_name(box: Box, name: str, size_text: str, opacity: float) -> Group:
    x, y, w, _ = box
    baseline = y - LABEL_GAP
    return Group(
        items=(
            Text(
                name,
                x + w / 2 - 8.0,
                baseline,
                theme.TEXT_LABEL,
                theme.TEXT,
                role="sans-semibold",
                align="right",
            ),
            Text(
                size_text,
                x + w / 2 + 8.0,
                baseline,
                theme.TEXT_LABEL,
                theme.ORANGE,
                role="mono-medium",
                align="left",
                glow=theme.GLOW_SOFT,
            ),
        ),
        opacity=opacity,
    )


def _models_group(models: Models, values, seconds: float) -> Group:
    build, heads = values["build"], values["heads"]
    flash = _arrival_flash(seconds)
    learned = min(1.0, max(0.0, (seconds - PACKETS_FIRST) / 4.0))
    student_colour = mix_oklab(theme.BLUE, theme.CYAN, 0.35 * learned + 0.4 * flash)
    settled = build == 1.0 and heads == 1.0 and values["act2"] in (0.0, 1.0)
    teacher = transformer_stack(
        *models.teacher_box,
        TEACHER_LAYERS,
        heads=TEACHER_HEADS,
        reveal=build,
        heads_reveal=heads,
        # Between moves the teacher is identical frame after frame: let the renderer keep it.
        cache_key=f"p6-teacher-act{values['act2']:g}" if settled else None,
    )
    student = transformer_stack(
        *models.student_box,
        STUDENT_LAYERS,
        heads=STUDENT_HEADS,
        reveal=build,
        heads_reveal=heads,
        colour=student_colour,
        glow=theme.GLOW * (0.2 + 0.8 * flash),
    )
    names = values["names"]
    params = model_figures.METRICS[0]
    return Group(
        items=(
            teacher,
            student,
            _model_name(models.teacher_box, "Teacher", params.teacher_text, names),
            _model_name(models.student_box, "Student", params.student_text, names),
        )
    )


def _lanes_group(models: Models, values, seconds: float) -> Group:
    items: list = []
    packets: list = []
    labels = values["lane_labels"]
    for lane in range(len(LANES)):
        shown = values[f"lane{lane}"]
        if shown <= 0.0:
            continue
        control = _lane_control(models, lane)
        items.append(_guide(control, shown))
        items.append(_stream(control, lane, seconds, shown))
        if labels * shown > 0.0:
            items.append(_lane_label(control, lane, labels * shown))
        travel, _ = _packet_clock(lane, seconds)
        if travel is not None:
            packets.extend(_packet(lane, control, travel))
    return Group(items=(*items, *packets))


# -- metrics ---------------------------------------------------------------------------------


def _metrics_group(values) -> Group:
    teacher = model_figures.METRICS[0]
    items: list = [
        metric_legend(
            METRICS_X,
            LEGEND_BASELINE,
            f"Teacher \u00b7 {teacher.teacher_text}",
            f"Student \u00b7 {teacher.student_text}",
            appear=values["legend"],
        )
    ]
    for index, metric in enumerate(model_figures.METRICS):
        items.append(
            metric_row(
                metric,
                METRICS_X,
                METRICS_TOP + index * METRICS_PITCH,
                layout=ROW_LAYOUT,
                appear=values[f"row{index}"],
                progress=values[f"count{index}"],
                badge=values[f"badge{index}"],
            )
        )
    note = values["note"]
    if note > 0.0:
        items.append(
            Text(
                model_figures.assumptions_note(),
                METRICS_X,
                NOTE_BASELINE,
                theme.TEXT_SMALL,
                theme.TEXT_DIM,
                opacity=note,
            )
        )
    return Group(items=tuple(items))


# -- scene -----------------------------------------------------------------------------------


def camera(seconds: float) -> Camera:
    """A slow push-in at constant speed, so no two frames are ever the same."""
    return Camera(zoom=CAMERA_ZOOM_START + CAMERA_ZOOM_RATE * (seconds + 0.25))


def scene(seconds: Fraction) -> Scene:
    values = TL.sample(seconds + LEAD)
    at = float(seconds)
    models = _models(values["act2"])
    return Scene(
        items=(
            _models_group(models, values, at),
            _lanes_group(models, values, at),
            _metrics_group(values),
        ),
        camera=camera(at),
    )
