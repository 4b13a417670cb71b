"""Phase 3 · Why Weights Are Valuable: the pipeline that turns the internet into weights.

Left to right: a cloud of documents (the internet) feeds a tokenizer, where a
sentence breaks into token chips with their ids, which stream into a GPU cluster
whose links light up as data moves. Below, an orange loss curve descends over
training steps on labelled axes, and the cost of one run adds up: GPU count,
days, and the energy computed from them (never typed in twice).
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache

import numpy as np

from insideweights import theme
from insideweights.display import Camera, Group, Line, Path, Polyline, Rect, Scene, Style, Text
from insideweights.phases.common import phase_rng
from insideweights.phases.widgets._util import Rectangle, staggered
from insideweights.phases.widgets.flow import stream
from insideweights.phases.widgets.gpu import cluster_layout, gpu_cluster
from insideweights.phases.widgets.labels import (
    chip_size,
    grow_arrow,
    token_chip,
)
from insideweights.phases.widgets.plot import PlotFrame, axes, progressive_curve
from insideweights.timeline import (
    Timeline,
    in_out_cubic,
    in_out_sine,
    out_cubic,
    parallel,
    smooth,
    tween,
)
from insideweights.timeline import delay as after

NAME = "Why Weights Are Valuable"
SECONDS = 15

# -- the cost of one training run (every shown figure derives from these) ---------------------

GPUS = 4096
DAYS = 65
GPU_KILOWATTS = 0.7  # board power of one H100-class accelerator
DAYS_PER_MONTH = 30.44

GPU_HOURS = GPUS * DAYS * 24
ENERGY_KWH = GPU_HOURS * GPU_KILOWATTS
ENERGY_GWH = ENERGY_KWH / 1e6
MONTHS = DAYS / DAYS_PER_MONTH


def cost_lines() -> dict[str, str]:
    """Every cost text the phase shows, formatted from the inputs above."""
    return {
        "gpus": f"{GPUS:,}",
        "days": f"{DAYS}",
        "months": f"days  (\u2248 {MONTHS:.0f} months)",
        "energy": f"{ENERGY_GWH:.1f}",
        "formula": (
            f"{GPUS:,} GPUs \u00d7 {DAYS} days \u00d7 24 h \u00d7 {GPU_KILOWATTS:g} kW"
            f" \u2248 {ENERGY_GWH:.1f} GWh"
        ),
        "gpu_hours": f"= {GPU_HOURS / 1e6:.1f} M GPU-hours",
    }


# -- layout (design units) --------------------------------------------------------------------

TITLE_Y = 160.0
CLOUD_CENTRE = (274.0, 372.0)
CLOUD_SCALE = 0.8
TOKENS_X = (592.0, 1104.0)  # the tokenization zone
SENTENCE_Y = 300.0
CHIPS_Y = 388.0
IDS_Y = 446.0
CLUSTER = Rectangle(1206.0, 212.0, 630.0, 330.0)
CLUSTER_ROWS, CLUSTER_COLS = 3, 6
PIPE_Y = 372.0  # height of the arrows between stages

TOKENS = ("The", " cat", " sat", " on", " the", " mat", ".")
TOKEN_IDS = (791, 8415, 7731, 389, 279, 5634, 13)  # ids from a common BPE vocabulary
TOKEN_SIZE = theme.TEXT_SMALL
TOKEN_GAP = 9.0

PLOT = PlotFrame(1270.0, 655.0, 540.0, 240.0, x_range=(0.0, 300_000.0), y_range=(0.0, 12.0))
COSTS_X, COSTS_Y = 110.0, 660.0
CARD_W, CARD_H, CARD_GAP = 250.0, 150.0, 36.0

CAMERA_ZOOM = (1.035, 1.0)  # subtle zoom out across the phase


# -- timing ----------------------------------------------------------------------------------

# Every beat below is written in the phase's local seconds. The opening (cloud and stage
# headings) starts LEAD seconds before local 0, so the incoming wipe (local -0.25 to +0.25)
# already reveals a picture instead of an empty screen; later beats keep their times.
LEAD = Fraction(6, 5)


def _local(at: float, anim):
    """``anim`` starting at local time ``at`` (no earlier than -LEAD)."""
    return after(Fraction(at).limit_denominator(1000) + LEAD, anim)


def _fade(name: str, at: float, seconds: float = 0.6, ease=smooth):
    return _local(at, tween(name, seconds, ease=ease))


TIMELINE = Timeline(
    parallel(
        _local(-1.2, tween("cloud", 1.2, start=0.15, ease=in_out_sine)),
        _fade("titles", -1.2, 1.0),
        _fade("pipe_a", 1.3, 0.6),
        _fade("typing", 1.6, 1.0, in_out_sine),
        _fade("split", 2.7, 0.8, in_out_cubic),
        _fade("ids", 3.4, 0.6),
        _fade("pipe_b", 3.6, 0.6),
        _fade("cluster", 3.7, 1.2),
        _fade("links", 4.4, 0.9),
        _fade("traffic", 4.9, 1.0),
        _fade("axes", 5.2, 1.0),
        _fade("training", 5.9, 8.6, in_out_sine),
        _fade("costs_title", 7.4, 0.6),
        _fade("cards", 7.8, 2.2),
        _fade("energy", 9.4, 1.6, out_cubic),
        _fade("formula", 11.0, 0.8),
    )
)


# -- internet ---------------------------------------------------------------------------------

CLOUD_BUMPS = (  # (dx, dy, r) of the circles whose union is the cloud, before scaling
    (0.0, -38.0, 118.0),
    (-122.0, 12.0, 84.0),
    (128.0, 14.0, 88.0),
    (-58.0, -78.0, 78.0),
    (74.0, -64.0, 86.0),
    (0.0, 44.0, 96.0),
    (-170.0, 58.0, 52.0),
    (176.0, 60.0, 50.0),
)


@cache
def cloud_outline() -> np.ndarray:
    """The cloud's boundary: for each ray from the centre, the farthest circle exit."""
    angles = np.linspace(0.0, 2 * np.pi, 360, endpoint=False)
    directions = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    reach = np.zeros(len(angles))
    for dx, dy, r in CLOUD_BUMPS:
        along = directions @ np.array([dx, dy])
        across = dx * dx + dy * dy - along**2
        inside = r * r - across
        exit_distance = along + np.sqrt(np.maximum(inside, 0.0))
        reach = np.maximum(reach, np.where(inside > 0, exit_distance, 0.0))
    reach = reach * CLOUD_SCALE
    cx, cy = CLOUD_CENTRE
    points = np.stack([cx + directions[:, 0] * reach, cy + directions[:, 1] * reach], axis=1)
    points.setflags(write=False)
    return points


PAGES = (  # (dx, dy, tilt) of the documents floating in the cloud
    (-150.0, 20.0, -8.0),
    (-75.0, -60.0, 5.0),
    (0.0, 10.0, -3.0),
    (80.0, -55.0, 7.0),
    (150.0, 25.0, -6.0),
    (-80.0, 70.0, 4.0),
    (78.0, 78.0, -5.0),
)


def _page(cx: float, cy: float, tilt: float, shown: float, index: int) -> Group:
    """A document icon: a page with a folded corner and lines of text."""
    w, h, fold = 46.0, 58.0, 12.0
    left, top = cx - w / 2, cy - h / 2
    outline = Path(
        (
            ("M", left, top),
            ("L", left + w - fold, top),
            ("L", left + w, top + fold),
            ("L", left + w, top + h),
            ("L", left, top + h),
            ("Z",),
        ),
        Style(fill=theme.BACKGROUND, stroke=theme.TEXT_DIM, width=theme.STROKE_THIN),
    )
    text_lines = []
    for row in range(4):
        length = (0.62, 0.7, 0.5, 0.66)[(row + index) % 4] * w
        y = top + 20 + row * 9
        text_lines.append(
            Line(
                left + 8,
                y,
                left + 8 + length - 8,
                y,
                Style(stroke=theme.TEXT_DIM, width=2.0, opacity=0.8),
            )
        )
    return Group(items=(outline, *text_lines), opacity=shown, rotate=tilt, origin=(cx, cy))


def _internet(values, seconds: float) -> tuple:
    shown = values["cloud"]
    items: list = [
        Polyline(cloud_outline(), Style(fill=theme.PANEL, opacity=shown), closed=True),
        Polyline(
            cloud_outline(),
            Style(stroke=theme.BLUE, width=theme.STROKE, trim=shown),
            closed=True,
        ),
    ]
    cx, cy = CLOUD_CENTRE
    for index, (dx, dy, tilt) in enumerate(PAGES):
        page = staggered(shown, index, len(PAGES))
        if page <= 0.0:
            continue
        bob = 5.0 * np.sin(1.3 * seconds + 1.7 * index)
        page_x, page_y = cx + dx * CLOUD_SCALE, cy + dy * CLOUD_SCALE + bob
        items.append(_page(page_x, page_y, tilt, page, index))
    items.append(
        Text(
            "web pages \u00b7 books \u00b7 code",
            cx,
            548.0,
            theme.TEXT_SMALL,
            theme.TEXT_DIM,
            align="center",
            opacity=values["titles"],
        )
    )
    return tuple(items)


# -- tokenization -----------------------------------------------------------------------------


def chip_centres(split: float) -> list[float]:
    """Chip x centres: glued into one sentence at split 0, spaced apart at split 1.

    The mono font makes every character the same width, so at split 0 each chip
    sits exactly where its characters were in the typed sentence.
    """
    gap = TOKEN_GAP * split
    widths = [chip_size(token, TOKEN_SIZE)[0] for token in TOKENS]
    advance = 0.6 * TOKEN_SIZE
    glued = [len(token) * advance for token in TOKENS]
    sizes = [g + (w - g) * split for g, w in zip(glued, widths, strict=True)]
    total = sum(sizes) + gap * (len(TOKENS) - 1)
    left = (TOKENS_X[0] + TOKENS_X[1]) / 2 - total / 2
    centres = []
    for size in sizes:
        centres.append(left + size / 2)
        left += size + gap
    return centres


def _tokenizer(values, seconds: float) -> tuple:
    sentence = "".join(TOKENS)
    middle = (TOKENS_X[0] + TOKENS_X[1]) / 2
    items: list = []
    typed = values["typing"]
    if typed > 0.0:
        count = round(len(sentence) * typed)
        start = middle - len(sentence) * 0.6 * TOKEN_SIZE / 2
        # Once it splits, the raw sentence stays behind, dimmed, as the source text.
        colour = theme.TEXT if values["split"] <= 0.0 else theme.TEXT_DIM
        quote = Text(sentence[:count], start, SENTENCE_Y, TOKEN_SIZE, colour, role="mono")
        items.append(quote)
    split = values["split"]
    if split > 0.0:
        sending = int(seconds * 2.5) % len(TOKENS) if values["traffic"] > 0 else -1
        for index, (token, cx) in enumerate(zip(TOKENS, chip_centres(split), strict=True)):
            drop = CHIPS_Y - SENTENCE_Y
            cy = SENTENCE_Y - 0.36 * TOKEN_SIZE + drop * in_out_sine(split)
            lit = index == sending
            items.append(
                token_chip(
                    cx,
                    cy,
                    token,
                    size=TOKEN_SIZE,
                    opacity=split,
                    colour=theme.ORANGE if lit else theme.CYAN,
                    glow=theme.GLOW if lit else 0.25,
                )
            )
            items.append(
                Text(
                    str(TOKEN_IDS[index]),
                    cx,
                    IDS_Y,
                    theme.TEXT_TINY,
                    theme.TEXT_DIM,
                    role="mono",
                    align="center",
                    opacity=values["ids"],
                )
            )
    return tuple(items)


# -- training ---------------------------------------------------------------------------------


def _cluster(values, seconds: float) -> tuple:
    layout = cluster_layout(*CLUSTER.box(), CLUSTER_ROWS, CLUSTER_COLS)
    links, nodes, pulses = gpu_cluster(
        layout,
        seconds,
        reveal=values["cluster"],
        links=values["links"],
        traffic=values["traffic"],
    )
    return (links, pulses, nodes)


VOCABULARY = 100_000  # the token ids above come from a vocabulary about this size


@cache
def loss_curve() -> tuple[np.ndarray, np.ndarray]:
    """Training loss over steps: a power law from ln(vocabulary) down, with fading noise.

    An untrained model guesses uniformly over the vocabulary, so the first loss is
    ln(VOCABULARY); the noise fades as training settles and never lifts the curve
    above that start.
    """
    steps = np.linspace(0.0, PLOT.x_range[1], 420)
    start = np.log(VOCABULARY)
    trend = 1.6 + (start - 1.6) * (1.0 + steps / 2500.0) ** -0.55
    noise = phase_rng(3, "loss noise").normal(0.0, 1.0, len(steps))
    smoothed = np.convolve(noise, np.ones(5) / 5, mode="same")
    loss = np.minimum(trend + smoothed * (0.05 + 0.22 * np.exp(-steps / 12000)), start)
    loss[0] = start
    loss.setflags(write=False)
    return steps, loss


def _plot(values) -> tuple:
    steps, loss = loss_curve()
    frame = axes(
        PLOT,
        x_ticks=(0, 100_000, 200_000, 300_000),
        y_ticks=(0, 4, 8, 12),
        x_label="training steps",
        y_label="loss",
        tick_format=lambda value: "0" if value == 0 else f"{value / 1000:.0f}k",
        y_tick_format=lambda value: f"{value:g}",
        reveal=values["axes"],
    )
    curve = progressive_curve(PLOT, steps, loss, values["training"])
    return (frame, curve)


def _arrows(values, seconds: float) -> tuple:
    cloud_right = float(cloud_outline()[:, 0].max()) + 16
    items: list = []
    a_end = TOKENS_X[0] - 16
    items.extend(grow_arrow(cloud_right, PIPE_Y, a_end, PIPE_Y, values["pipe_a"]))
    b_start, b_end = TOKENS_X[1] + 12, CLUSTER.x - 6
    items.extend(grow_arrow(b_start, PIPE_Y, b_end, PIPE_Y, values["pipe_b"]))
    a_path = np.array([[cloud_right, PIPE_Y], [a_end - 18, PIPE_Y]])
    b_path = np.array([[b_start, PIPE_Y], [b_end - 18, PIPE_Y]])
    items.append(stream(a_path, seconds, count=4, speed=90, radius=4.0, reveal=values["pipe_a"]))
    items.append(stream(b_path, seconds, count=3, speed=90, radius=4.0, reveal=values["traffic"]))
    return tuple(items)


def _titles(values) -> tuple:
    shown = values["titles"]
    names = (
        ("Internet", CLOUD_CENTRE[0]),
        ("Tokenization", (TOKENS_X[0] + TOKENS_X[1]) / 2),
        ("Distributed training", CLUSTER.cx),
    )
    items = []
    for index, (name, cx) in enumerate(names):
        step = staggered(shown, index, 3, overlap=1.2)
        items.append(
            Text(
                name,
                cx,
                TITLE_Y + (1.0 - in_out_sine(step)) * 14,
                theme.TEXT_LABEL,
                theme.TEXT,
                role="sans-semibold",
                align="center",
                opacity=step,
            )
        )
    return tuple(items)


# -- cost -----------------------------------------------------------------------------------------


def _card(index: int, big: str, small: str, shown: float) -> Group:
    left = COSTS_X + index * (CARD_W + CARD_GAP)
    top = COSTS_Y + 50
    rise = (1.0 - in_out_sine(shown)) * 16
    box = Rect(
        left,
        top + rise,
        CARD_W,
        CARD_H,
        Style(fill=theme.PANEL, stroke=theme.BLUE_DIM, width=theme.STROKE_THIN),
        radius=14,
    )
    number = Text(
        big,
        left + 26,
        top + rise + 72,
        theme.TEXT_TITLE,
        theme.ORANGE,
        role="mono-medium",
        glow=theme.GLOW_SOFT,
    )
    unit = Text(
        small, left + 26, top + rise + 116, theme.TEXT_SMALL, theme.TEXT_DIM, role="sans-semibold"
    )
    return Group(items=(box, number, unit), opacity=shown)


def _costs(values) -> tuple:
    texts = cost_lines()
    items: list = [
        Text(
            "What one training run costs",
            COSTS_X,
            COSTS_Y + 14,
            theme.TEXT_LABEL,
            theme.TEXT,
            role="sans-semibold",
            opacity=values["costs_title"],
        )
    ]
    cards = values["cards"]
    energy = values["energy"]
    shown_energy = texts["energy"] if energy >= 1.0 else f"{ENERGY_GWH * energy:.1f}"
    rows = (
        (texts["gpus"], "GPUs"),
        (texts["days"], texts["months"]),
        (shown_energy, "GWh of electricity"),
    )
    for index, (big, small) in enumerate(rows):
        shown = staggered(cards, index, 3, overlap=1.3)
        if shown > 0.0:
            items.append(_card(index, big, small, shown))
    formula = values["formula"]
    if formula > 0.0:
        baseline = COSTS_Y + 50 + CARD_H + 62
        items.append(
            Text(
                texts["formula"],
                COSTS_X,
                baseline,
                theme.TEXT_SMALL,
                theme.TEXT,
                role="mono",
                opacity=formula,
            )
        )
        items.append(
            Text(
                texts["gpu_hours"],
                COSTS_X,
                baseline + 36,
                theme.TEXT_SMALL,
                theme.TEXT_DIM,
                role="mono",
                opacity=formula,
            )
        )
    return tuple(items)


def camera_at(seconds: float) -> Camera:
    progress = seconds / SECONDS
    eased = 0.8 * in_out_sine(progress) + 0.2 * progress
    start, end = CAMERA_ZOOM
    return Camera(960.0, 540.0, start + (end - start) * eased)


def scene(seconds: Fraction) -> Scene:
    """Phase 3 at local time ``seconds`` (valid slightly before 0 and after SECONDS)."""
    values = TIMELINE.sample(seconds + LEAD)
    time = float(seconds)
    items = (
        *_titles(values),
        *_internet(values, time),
        *_arrows(values, time),
        *_tokenizer(values, time),
        *_cluster(values, time),
        *_plot(values),
        *_costs(values),
    )
    return Scene(items=items, camera=camera_at(time))
