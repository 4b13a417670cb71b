"""Phase 2 · Open vs Closed Weights: the same kind of model, opened up or locked away.

It opens on phase 1's transformer exactly as that phase left it on screen (the
camera starts zoomed in so the smaller stack here fills the same pixels), then the
camera pans and pulls back to a split screen. Left, "Open-weight": the model opens
into weight tensors (heat maps and a number matrix) and a block's compute graph,
with the names of open-weight families. Right, "Closed-weight": a locked black box
that only trades text: prompts go in, text comes out, and nothing inside is drawn.
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import cache

import numpy as np

from insideweights import theme
from insideweights.display import (
    Camera,
    Circle,
    Equation,
    Group,
    Line,
    Path,
    Rect,
    Scene,
    Style,
    Text,
)
from insideweights.phases import p1_intelligence as p1
from insideweights.phases.common import phase_rng
from insideweights.phases.widgets import (
    gaussian_weights,
    heat_values,
    matrix_size,
    number_matrix,
    stack_layout,
    tensor_grid,
    token_stream,
    transformer_stack,
)
from insideweights.phases.widgets._util import Box, Rectangle, clamp01, staggered
from insideweights.phases.widgets.flow import stream
from insideweights.phases.widgets.labels import (
    centred_baseline,
    chip_size,
    grow_arrow,
    key_term,
    labelled_box,
    text_width,
    token_chip,
)
from insideweights.phases.widgets.padlock import padlock
from insideweights.timeline import (
    Timeline,
    in_out_cubic,
    in_out_sine,
    out_back,
    parallel,
    smooth,
    there_and_back,
    tween,
)
from insideweights.timeline import delay as after

NAME = "Open vs Closed Weights"
SECONDS = 15

OPEN_MODELS = ("Llama", "Qwen", "Mistral", "DeepSeek", "GLM")

# -- layout (design units) --------------------------------------------------------------------

# The open model: phase 1's stack, same proportions, smaller.
STACK_H = 430.0
STACK_SCALE = STACK_H / p1.STACK_H
STACK_W = p1.STACK_W * STACK_SCALE
STACK_X, STACK_Y = 112.0, 238.0
OPEN_LAYER = 3  # the block that opens into tensors

DIVIDER_X = 960.0
CAPTION_Y = 152.0
LEFT_X = 100.0
RIGHT_X = 1010.0

PANEL = Rectangle(452.0, 228.0, 470.0, 446.0)  # the opened block's tensors
GRID_SIZE = 118.0
GRID_CELLS = 8
GRAPH_Y = 792.0
NAMES_Y = 905.0

BOX = Rectangle(1440.0, 262.0, 400.0, 450.0)  # the closed model: never drawn inside
REQUEST_Y, RESPONSE_Y = 420.0, 575.0
CLIENT_X = RIGHT_X + 10.0
TEXT_CHIP = theme.TEXT_SMALL  # prompt and answer chips
ANSWER_STOP = 30.0  # the answer chip halts this far right of the client: clear of the arrowhead
CYCLE_START, CYCLE_SECONDS = 5.7, 3.1
PAYLOADS = (
    ("\u201cTranslate \u2018bonjour\u2019\u201d", "\u201chello\u201d"),
    ("\u201c2 + 2 = ?\u201d", "\u201c4\u201d"),
    ("\u201cCapital of Peru?\u201d", "\u201cLima\u201d"),
    ("\u201cSummarise this page\u201d", "\u201cIt explains\u2026\u201d"),
)

CAMERA_END = (960.0, 540.0, 1.0)
CAMERA_DRIFT = 0.015  # zoom added slowly after the pan, so the picture never freezes
PAN_START, PAN_SECONDS = 0.3, 3.0

# -- timing ----------------------------------------------------------------------------------


def _fade(name: str, at: float, seconds: float = 0.6, ease=smooth):
    return after(at, tween(name, seconds, ease=ease))


TIMELINE = Timeline(
    parallel(
        _fade("pan", PAN_START, PAN_SECONDS, in_out_cubic),
        after(0.15, tween("old_labels", 0.7, start=1.0, end=0.0)),
        _fade("divider", 2.7, 0.9),
        _fade("caption_open", 3.0, 0.7),
        _fade("caption_closed", 3.3, 0.7),
        _fade("box", 3.4, 1.0),
        _fade("lock", 4.4, 0.45, out_back),
        _fade("lock_flash", 4.7, 0.8, there_and_back),
        _fade("focus", 3.6, 0.5),
        _fade("open", 4.0, 0.9, in_out_sine),
        _fade("grids", 4.6, 1.4),
        _fade("matrix", 5.5, 1.8, in_out_sine),
        _fade("graph", 6.6, 1.6),
        _fade("arrows", 5.0, 0.7),
        _fade("names", 8.4, 2.6),
        _fade("footnote", 9.5, 0.8),
    )
)


# -- camera ----------------------------------------------------------------------------------


def opening_camera() -> Camera:
    """The camera under which this phase's stack lands on phase 1's final pixels."""
    end = p1.camera_at(p1.SECONDS)
    zoom = end.zoom / STACK_SCALE
    cx = STACK_X - STACK_SCALE * (p1.STACK_X_END - end.cx)
    cy = STACK_Y - STACK_SCALE * (p1.STACK_Y - end.cy)
    return Camera(cx, cy, zoom)


def camera_at(seconds: float, pan: float) -> Camera:
    """Pan and pull back from the opening camera to the split screen, always drifting in.

    The drift is a slow linear zoom that never stops, so no two frames are alike
    even while the pan holds; it is zero at local time 0, where the pan starts
    exactly on phase 1's final camera.
    """
    start = opening_camera()
    x1, y1, z1 = CAMERA_END
    drift = CAMERA_DRIFT * seconds / SECONDS
    zoom = math.exp(math.log(start.zoom) + (math.log(z1) - math.log(start.zoom)) * pan)
    return Camera(
        start.cx + (x1 - start.cx) * pan,
        start.cy + (y1 - start.cy) * pan,
        zoom + drift,
    )


def line_scale(seconds: float, pan: float) -> float:
    """Stroke factor that eases the on-screen line weight from phase 1's to this phase's.

    Strokes are in world units, so under the opening zoom they would look thicker
    than the same lines did in phase 1; dividing by the zoom keeps them continuous.
    """
    start_weight = p1.CAMERA_END[2]  # phase 1's final zoom: its on-screen line weight
    end_weight = CAMERA_END[2]
    weight = start_weight + (end_weight - start_weight) * pan
    return weight / camera_at(seconds, pan).zoom


# -- left: the open model ----------------------------------------------------------------------


def _stack(values, seconds: float) -> tuple:
    lines = line_scale(seconds, values["pan"])
    old = values["old_labels"]
    labels = {part: old for part in ("embeddings", "heads", "hidden", "logits")} if old else None
    group = transformer_stack(
        STACK_X,
        STACK_Y,
        STACK_W,
        STACK_H,
        p1.LAYERS,
        heads=p1.HEADS,
        tokens=p1.TOKENS,
        labels=labels,
        label_side="left",
        label_reach=48.0 * STACK_SCALE,
        label_size=theme.TEXT_SMALL * STACK_SCALE,
        highlight_layer=OPEN_LAYER,
        highlight=values["focus"],
        line_scale=lines,
    )
    layout = stack_layout(
        STACK_X, STACK_Y, STACK_W, STACK_H, p1.LAYERS, heads=p1.HEADS, tokens=p1.TOKENS
    )
    # Phase 1's stream continued: same pattern, and the same on-screen size at the cut
    # because particles scale with the stack (the camera zoom makes up the rest).
    radius = p1.TOKEN_RADIUS * STACK_SCALE
    trail = {"trail": p1.TRAIL["trail"], "trail_spacing": p1.TRAIL["trail_spacing"] * STACK_SCALE}
    flow = token_stream(layout, seconds + p1.SECONDS, per_lane=5, radius=radius, **trail)
    items = [group, flow]
    if old > 0.0:
        tile = layout.head_tiles(p1.FOCUS_LAYER)[p1.FOCUS_HEAD]
        pad = 6.0 * STACK_SCALE
        ring = Style(stroke=theme.ORANGE, width=theme.STROKE * lines, glow=theme.GLOW, opacity=old)
        items.append(Rect(tile.x - pad, tile.y - pad, tile.w + 2 * pad, tile.h + 2 * pad, ring, 3))
    return tuple(items)


@cache
def _tensors() -> tuple[np.ndarray, ...]:
    """Heat values of W_Q, W_K, W_V and the printed W_O patch, built once."""
    rng = phase_rng(2, "open tensors")
    grids = tuple(heat_values(gaussian_weights(rng, GRID_CELLS, GRID_CELLS)) for _ in range(3))
    printed = gaussian_weights(rng, 4, 4, std=0.05)
    printed[np.abs(printed) < 0.002] = 0.0031
    return (*grids, printed)


def _opened(values) -> tuple:
    """Wedge lines from the highlighted block to a panel of its weight tensors."""
    opening = values["open"]
    if opening <= 0.0:
        return ()
    layout = stack_layout(
        STACK_X, STACK_Y, STACK_W, STACK_H, p1.LAYERS, heads=p1.HEADS, tokens=p1.TOKENS
    )
    block = layout.blocks[OPEN_LAYER]
    pad = 0.08 * block.h
    wedge = Style(stroke=theme.ORANGE, width=theme.STROKE_THIN, opacity=0.55, trim=opening)
    frame = Style(stroke=theme.BLUE, width=theme.STROKE, trim=opening)
    items: list = [
        Line(block.right + pad, block.y - pad, PANEL.x, PANEL.y, wedge),
        Line(block.right + pad, block.bottom + pad, PANEL.x, PANEL.bottom, wedge),
        Rect(*PANEL.box(), Style(fill=theme.PANEL, opacity=0.9 * opening), radius=14.0),
        Rect(*PANEL.box(), frame, radius=14.0),
    ]
    title = Text(
        "layer 40 \u00b7 attention weights",
        PANEL.x + 28,
        PANEL.y + 42,
        theme.TEXT_SMALL,
        theme.TEXT_DIM,
        role="sans-semibold",
        opacity=opening,
    )
    items.append(title)
    items.extend(_grids(values["grids"]))
    items.extend(_printed(values["matrix"]))
    return tuple(items)


# Weight names are typeset (W with a subscript), at about the small text's size.
WEIGHT_LABEL_HEIGHT = 0.95 * theme.TEXT_SMALL


def _grids(progress: float) -> tuple:
    if progress <= 0.0:
        return ()
    items: list = []
    pitch = (PANEL.w - 56) / 3
    top = PANEL.y + 70
    for index, name in enumerate(("W_Q", "W_K", "W_V")):
        shown = staggered(progress, index, 3, overlap=1.5)
        left = PANEL.x + 28 + index * pitch + (pitch - GRID_SIZE) / 2
        items.append(
            tensor_grid(left, top, GRID_SIZE, GRID_SIZE, _tensors()[index], reveal=shown, gap=1.8)
        )
        items.append(
            Equation(
                name,
                left + GRID_SIZE / 2,
                top + GRID_SIZE + 27,
                WEIGHT_LABEL_HEIGHT,
                theme.TEXT,
                align="center",
                opacity=shown,
            )
        )
    return tuple(items)


def _printed(progress: float) -> tuple:
    if progress <= 0.0:
        return ()
    values = _tensors()[3]
    width, height = matrix_size(4, 4, decimals=3)
    left = PANEL.x + 32
    top = PANEL.bottom - height - 32
    matrix = number_matrix(
        left, top, values, decimals=3, reveal=min(1.0, 2.5 * progress), resolve=progress
    )
    label = Equation(
        "W_O",
        left + width + 30,
        top + height / 2,
        WEIGHT_LABEL_HEIGHT,
        theme.TEXT,
        align="left",
        opacity=progress,
    )
    return (matrix, label)


GRAPH_NODES = ("x", "RMSNorm", "Attention", "+", "RMSNorm", "MLP", "+")


def graph_layout() -> tuple[Rectangle, ...]:
    """Boxes of the compute-graph nodes, spread across the open half."""
    size = theme.TEXT_SMALL
    widths = [
        1.6 * size if name in ("x", "+") else text_width(name, "sans-semibold", size) + 30
        for name in GRAPH_NODES
    ]
    span = (PANEL.right - LEFT_X) - sum(widths)
    gap = span / (len(widths) - 1)
    height = 1.9 * size
    boxes, left = [], LEFT_X
    for width in widths:
        boxes.append(Rectangle(left, GRAPH_Y - height / 2, width, height))
        left += width + gap
    return tuple(boxes)


def _graph(progress: float) -> tuple:
    """One block's compute graph: norm, attention, MLP, with residual skips arching over."""
    if progress <= 0.0:
        return ()
    boxes = graph_layout()
    items: list = []
    for index, (name, box) in enumerate(zip(GRAPH_NODES, boxes, strict=True)):
        shown = staggered(progress, index, len(boxes), overlap=2.5)
        if shown <= 0.0:
            continue
        if name in ("x", "+"):
            ring = Style(
                fill=theme.PANEL,
                stroke=theme.CYAN if name == "x" else theme.TEXT_DIM,
                width=theme.STROKE_THIN,
                opacity=shown,
            )
            items.append(Circle(box.cx, box.cy, box.w / 2, ring))
            items.append(
                Text(
                    name,
                    box.cx,
                    centred_baseline(box.cy, theme.TEXT_SMALL),
                    theme.TEXT_SMALL,
                    theme.TEXT,
                    role="sans-semibold",
                    align="center",
                    opacity=shown,
                )
            )
        else:
            items.append(
                labelled_box(
                    *box.box(), name, reveal=shown, size=theme.TEXT_SMALL, width=theme.STROKE_THIN
                )
            )
        if index > 0:
            before = boxes[index - 1]
            items.extend(
                grow_arrow(
                    before.right + 4,
                    box.cy,
                    box.x - 4,
                    box.cy,
                    shown,
                    width=theme.STROKE_THIN,
                    head=10,
                )
            )
    skips = clamp01(progress * 1.4 - 0.4)
    for start, end in ((0, 3), (3, 6)):
        if skips <= 0.0:
            break
        a, b = boxes[start], boxes[end]
        lift = 46.0
        arc = Path(
            (("M", a.cx, a.y), ("C", a.cx, a.y - lift, b.cx, b.y - lift, b.cx, b.y)),
            Style(stroke=theme.TEXT_DIM, width=theme.STROKE_THIN, trim=skips, dash=(6.0, 5.0)),
        )
        items.append(arc)
    return tuple(items)


def names_layout() -> tuple[Rectangle, ...]:
    """Name chips spread evenly across the open half."""
    size = theme.TEXT_LABEL
    widths = [text_width(name, "sans-semibold", size) + 46 for name in OPEN_MODELS]
    gap = ((PANEL.right - LEFT_X) - sum(widths)) / (len(widths) - 1)
    boxes, left = [], LEFT_X
    for width in widths:
        boxes.append(Rectangle(left, NAMES_Y - 28, width, 56))
        left += width + gap
    return tuple(boxes)


def _names(progress: float) -> tuple:
    if progress <= 0.0:
        return ()
    items: list = []
    for index, (name, box) in enumerate(zip(OPEN_MODELS, names_layout(), strict=True)):
        shown = staggered(progress, index, len(OPEN_MODELS), overlap=1.6)
        if shown <= 0.0:
            continue
        rise = (1.0 - in_out_sine(shown)) * 18.0
        chip = labelled_box(
            box.x,
            box.y + rise,
            box.w,
            box.h,
            name,
            reveal=shown,
            size=theme.TEXT_LABEL,
            stroke=theme.CYAN,
            glow=0.35 * shown,
        )
        items.append(chip)
    return tuple(items)


# -- right: the closed model ---------------------------------------------------------------------


def _box(values, seconds: float) -> tuple:
    """The black box and its padlock; its face pulses while it answers."""
    shown = values["box"]
    if shown <= 0.0:
        return ()
    busy = _busy(seconds)
    edge = theme.BLUE_DIM if busy <= 0.0 else theme.BLUE
    items: list = [
        Rect(*BOX.box(), Style(fill=theme.BLACK_BOX, opacity=shown), radius=18.0),
        Rect(
            *BOX.box(),
            Style(stroke=edge, width=theme.STROKE, trim=shown, glow=0.6 * busy),
            radius=18.0,
        ),
    ]
    items.append(
        padlock(
            BOX.cx,
            BOX.cy,
            150.0,
            closed=values["lock"],
            opacity=clamp01(shown * 2 - 1),
            glow=theme.GLOW * max(values["lock_flash"], 0.3 * busy),
            colour=theme.TEXT_DIM,
        )
    )
    items.append(
        Text(
            "API only",
            BOX.cx,
            BOX.y - 22,
            theme.TEXT_SMALL,
            theme.TEXT_DIM,
            role="sans-semibold",
            align="center",
            opacity=shown,
        )
    )
    return tuple(items)


def _cycle(seconds: float) -> tuple[int, float]:
    """Which request is in flight and the seconds since it was sent (index -1: none yet)."""
    since = seconds - CYCLE_START
    if since < 0:
        return -1, 0.0
    index = int(since // CYCLE_SECONDS)
    return index, since - index * CYCLE_SECONDS


def _busy(seconds: float) -> float:
    """How hard the box is 'thinking' (0..1): a bump after each prompt goes in."""
    index, since = _cycle(seconds)
    if index < 0:
        return 0.0
    return there_and_back(clamp01((since - 1.25) / 0.7))


def _traffic(values, seconds: float) -> tuple:
    """Request and response arrows, their labels, cyan flow and travelling payloads."""
    shown = values["arrows"]
    if shown <= 0.0:
        return ()
    edge = BOX.x - 8.0
    items: list = []
    items.extend(grow_arrow(CLIENT_X, REQUEST_Y, edge, REQUEST_Y, shown, colour=theme.TEXT_DIM))
    items.extend(grow_arrow(edge, RESPONSE_Y, CLIENT_X, RESPONSE_Y, shown, colour=theme.TEXT_DIM))
    items.append(
        Text(
            "prompt \u2192",
            CLIENT_X,
            REQUEST_Y - 40,
            theme.TEXT_LABEL,
            theme.TEXT,
            role="sans-semibold",
            opacity=shown,
        )
    )
    items.append(
        Text(
            "\u2190 text",
            CLIENT_X,
            RESPONSE_Y + 58,
            theme.TEXT_LABEL,
            theme.TEXT,
            role="sans-semibold",
            opacity=shown,
        )
    )
    request_path = np.array([[CLIENT_X, REQUEST_Y], [edge - 12, REQUEST_Y]])
    response_path = np.array([[edge - 12, RESPONSE_Y], [CLIENT_X, RESPONSE_Y]])
    chips = _payloads(seconds, edge)
    clear = tuple(box for _, box in chips)  # each stream makes way for the chip riding it
    for path in (request_path, response_path):
        items.append(
            stream(path, seconds, count=10, speed=170, radius=3.5, reveal=shown, clear=clear)
        )
    items.extend(chip for chip, _ in chips)
    return tuple(items)


def _payloads(seconds: float, edge: float) -> list[tuple[Group, tuple[Box, float]]]:
    """The current prompt chip sliding into the box and the answer chip sliding out,
    each with its box and opacity (the streams' particles make way for them).

    Chips shrink into (and grow out of) a point just left of the box, so no part of
    a payload is ever inside it; the answer stops short of its arrow's head.
    """
    index, since = _cycle(seconds)
    if index < 0:
        return []
    prompt, answer = PAYLOADS[index % len(PAYLOADS)]
    found = []
    width, _ = chip_size(prompt, TEXT_CHIP, "sans")
    travel = in_out_sine(clamp01(since / 1.1))
    start_x, end_x = CLIENT_X + width / 2, edge - 14 - width / 2
    if since < 1.45:
        cx = start_x + (end_x - start_x) * travel
        shrink = 1.0 - smooth(clamp01((since - 1.1) / 0.35))
        found.append(
            _payload(prompt, cx, REQUEST_Y, edge, theme.CYAN, clamp01(since / 0.25), shrink)
        )
    out_start = 1.95
    if since >= out_start:
        width, _ = chip_size(answer, TEXT_CHIP, "sans")
        grow = smooth(clamp01((since - out_start) / 0.3))
        move = in_out_sine(clamp01((since - out_start - 0.2) / 0.8))
        start_x, end_x = edge - 14 - width / 2, CLIENT_X + ANSWER_STOP + width / 2
        cx = start_x + (end_x - start_x) * move
        fade = 1.0 - clamp01((since - (CYCLE_SECONDS - 0.3)) / 0.3)
        found.append(_payload(answer, cx, RESPONSE_Y, edge, theme.ORANGE, fade, grow, 0.4))
    return found


def _payload(text, cx, cy, edge, colour, opacity, scale, glow=0.0):
    """One chip scaled about the point left of the box (x = edge - 10), and its box."""
    chip = token_chip(
        cx,
        cy,
        text,
        size=TEXT_CHIP,
        role="sans",
        colour=colour,
        opacity=opacity,
        glow=glow,
        backing=True,
    )
    scale = max(scale, 1e-3)
    width, height = chip_size(text, TEXT_CHIP, "sans")
    origin = edge - 10
    left = origin + (cx - width / 2 - origin) * scale
    box = (left, cy - height / 2 * scale, width * scale, height * scale)
    return Group(items=(chip,), scale=scale, origin=(origin, cy)), (box, opacity)


# -- the scene ---------------------------------------------------------------------------------


def _split(values) -> tuple:
    items: list = []
    if values["divider"] > 0.0:
        style = Style(
            stroke=theme.TEXT_DIM,
            width=theme.STROKE_THIN,
            opacity=0.45,
            dash=(10.0, 8.0),
            trim=values["divider"],
        )
        items.append(Line(DIVIDER_X, 112.0, DIVIDER_X, 960.0, style))
    items.append(
        key_term(
            LEFT_X, CAPTION_Y, "Open-weight", reveal=values["caption_open"], accent=theme.CYAN
        )
    )
    items.append(key_term(RIGHT_X, CAPTION_Y, "Closed-weight", reveal=values["caption_closed"]))
    if values["footnote"] > 0.0:
        items.append(
            Text(
                "weights never leave the provider",
                BOX.cx,
                BOX.bottom + 56,
                theme.TEXT_SMALL,
                theme.TEXT_DIM,
                align="center",
                opacity=values["footnote"],
            )
        )
    return tuple(items)


def scene(seconds: Fraction) -> Scene:
    """Phase 2 at local time ``seconds`` (valid slightly before 0 and after SECONDS)."""
    values = TIMELINE.sample(seconds)
    time = float(seconds)
    items = (
        *_split(values),
        *_stack(values, time),
        *_opened(values),
        *_graph(values["graph"]),
        *_names(values["names"]),
        *_traffic(values, time),
        *_box(values, time),
    )
    return Scene(items=items, camera=camera_at(time, values["pan"]))
