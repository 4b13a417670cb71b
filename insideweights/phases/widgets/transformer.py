"""A transformer drawn as a stack of blocks, built up and labelled by progress values.

Geometry and drawing are separate so callers can attach their own things
(particles, arrows, labels) to exact parts:

- :func:`stack_layout` computes where everything goes (a :class:`StackLayout`);
- :func:`transformer_stack` draws it and returns one ``Group``;
- :func:`token_stream` returns ``Particles`` of cyan tokens flowing up the stack,
  a closed-form function of time (any frame rebuilds alone).

Anatomy, bottom to top: an embeddings row (one vector per token), ``layers``
blocks (each with ``heads`` attention-head tiles joined by connecting lines to
the block's input and output rails), hidden-state dots in every gap between
blocks, and a logits row of bars at the top. Sizes scale with the box, so a
70B "teacher" and a 7B "student" are the same call with different boxes,
``layers`` and ``heads``::

    layout = stack_layout(1100, 120, 520, 840, layers=8)
    group = transformer_stack(1100, 120, 520, 840, layers=8, reveal=0.6, heads=4)
    dots = token_stream(layout, seconds, reveal=1.0)
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from insideweights import theme
from insideweights.display import Circle, Group, Heatmap, Line, Particles, Rect, Style, Text
from insideweights.phases.widgets._util import (
    Rectangle,
    check_box,
    clamp01,
    faded,
    scale_strokes,
    staggered,
)
from insideweights.timeline.color import Rgba

# Proportions of the stack (fractions of its height or of one block)
BAND_FRACTION = 0.085  # embeddings row and logits row, each, of the stack height
GAP_RATIO = 0.5  # gap between blocks as a fraction of one block's height
HEAD_ROW = (0.22, 0.62)  # head tiles span this vertical range of a block (top, bottom)
RAIL_INSET = 0.13  # input/output rails sit this far inside a block (of its height)
BLOCK_INSET = 0.06  # horizontal inset of rails and head row (of the block width)
HEAD_PATTERN_MIN = 10.0  # head tiles smaller than this (design units) skip their pattern
HEAD_PATTERN_CELLS = 4  # attention pattern resolution inside a head tile
LOGIT_BARS = 12  # bars in the logits row
LANE_SPEED_SPREAD = 0.08  # token lanes run up to this fraction faster or slower

# Default label text for each part; callers may override any of them.
LABELS: dict[str, str] = {
    "embeddings": "token embeddings",
    "heads": "attention heads",
    "hidden": "hidden states",
    "logits": "logits",
}
PARTS = tuple(LABELS)


@dataclass(frozen=True, slots=True)
class StackLayout:
    """Where every part of a transformer stack sits (design units, y down).

    ``blocks`` run bottom to top (index 0 is the first layer). ``hidden_y`` are
    the vertical centres of the gaps: between embeddings and block 0, between
    consecutive blocks, and between the last block and the logits. ``lanes`` are
    the x centres of the token columns that flow up through the stack.
    """

    outer: Rectangle
    embeddings: Rectangle
    logits: Rectangle
    blocks: tuple[Rectangle, ...]
    hidden_y: tuple[float, ...]
    lanes: tuple[float, ...]
    heads: int

    @property
    def layers(self) -> int:
        return len(self.blocks)

    @property
    def hidden_radius(self) -> float:
        """Radius of the hidden-state dots: a share of the gap and of the lane pitch,
        so a stack drawn at another scale (phase 2 continues phase 1's) keeps its
        proportions; never under 2 units, or the dots of small stacks vanish."""
        gap = self.embeddings.y - self.blocks[0].bottom
        pitch = self.lanes[1] - self.lanes[0] if len(self.lanes) > 1 else self.outer.w
        return max(2.0, min(0.2 * gap, 0.16 * pitch))

    def head_tiles(self, layer: int) -> tuple[Rectangle, ...]:
        """The attention-head tiles of block ``layer`` (left to right)."""
        block = self.blocks[layer]
        inset = BLOCK_INSET * block.w
        top = block.y + HEAD_ROW[0] * block.h
        tile_h = (HEAD_ROW[1] - HEAD_ROW[0]) * block.h
        span = block.w - 2 * inset
        pitch = span / self.heads
        tile_w = min(pitch * 0.78, tile_h * 1.35)
        return tuple(
            Rectangle(block.x + inset + (i + 0.5) * pitch - tile_w / 2, top, tile_w, tile_h)
            for i in range(self.heads)
        )

    def part_anchor(self, part: str, layer: int | None = None) -> tuple[float, float]:
        """The right-edge point a label for ``part`` points at (mid-stack by default)."""
        middle = self.layers // 2 if layer is None else layer
        if part == "embeddings":
            return self.embeddings.right, self.embeddings.cy
        if part == "logits":
            return self.logits.right, self.logits.cy
        if part == "heads":
            tile = self.head_tiles(middle)[-1]
            return self.blocks[middle].right, tile.cy
        if part == "hidden":
            return self.lanes[-1] + 1.6 * self.hidden_radius, self.hidden_y[middle]
        raise ValueError(f"part must be one of {PARTS}, got {part!r}")


def stack_layout(
    x: float,
    y: float,
    width: float,
    height: float,
    layers: int,
    *,
    heads: int = 4,
    tokens: int = 6,
) -> StackLayout:
    """Compute the geometry of a stack whose bounding box is (x, y, width, height)."""
    check_box("stack_layout", width, height)
    if layers < 1:
        raise ValueError(f"layers must be an integer >= 1, got {layers!r}")
    if heads < 1:
        raise ValueError(f"heads must be an integer >= 1, got {heads!r}")
    if tokens < 1:
        raise ValueError(f"tokens must be an integer >= 1, got {tokens!r}")

    band = BAND_FRACTION * height
    middle = height - 2 * band
    block_h = middle / (layers + (layers + 1) * GAP_RATIO)
    gap = GAP_RATIO * block_h
    block_w = width * 0.9
    block_x = x + (width - block_w) / 2
    bottom = y + height

    embeddings = Rectangle(x, bottom - band, width, band)
    logits = Rectangle(x, y, width, band)
    blocks = tuple(
        Rectangle(block_x, bottom - band - (i + 1) * (block_h + gap), block_w, block_h)
        for i in range(layers)
    )
    hidden = [embeddings.y - gap / 2] + [block.y - gap / 2 for block in blocks]
    pitch = width / tokens
    lanes = tuple(x + (i + 0.5) * pitch for i in range(tokens))
    return StackLayout(
        Rectangle(x, y, width, height), embeddings, logits, blocks, tuple(hidden), lanes, heads
    )


# -- parts ---------------------------------------------------------------------------------


def _outline(box: Rectangle, progress: float, colour: Rgba, glow: float, radius: float):
    """A block outline that draws on with ``progress`` and fills in behind it."""
    if progress <= 0.0:
        return ()
    face = Style(fill=theme.PANEL, opacity=0.85 * progress)
    edge = Style(stroke=colour, width=theme.STROKE, trim=progress, glow=glow)
    return (Rect(*box.box(), face, radius=radius), Rect(*box.box(), edge, radius=radius))


def _read_only(values: np.ndarray) -> np.ndarray:
    """Freeze an array that a cache hands out to every caller."""
    values.setflags(write=False)
    return values


@functools.cache
def _head_pattern(layer: int, head: int) -> np.ndarray:
    """A small attention pattern, causal (lower triangle) and different per head.

    Cached (read-only): phases 4 and 6 ask for the same few dozen patterns every frame.
    """
    size = HEAD_PATTERN_CELLS
    rows, cols = np.indices((size, size))
    phase = 0.9 * head + 0.37 * layer
    score = 0.5 + 0.5 * np.cos(phase + 1.3 * rows - (0.8 + 0.25 * head) * cols)
    return _read_only(np.where(cols <= rows, 0.25 + 0.75 * score, 0.0))


@functools.cache
def _embedding_cells(index: int) -> np.ndarray:
    """The (4, 1) heat values of token lane ``index``'s embedding vector (cached, read-only)."""
    return _read_only(0.5 + 0.5 * np.sin(np.arange(4.0)[:, None] * 1.7 + index * 2.3))


def _heads(layout: StackLayout, layer: int, progress: float, colour: Rgba) -> tuple:
    """Head tiles with connecting lines to the block's input and output rails."""
    if progress <= 0.0:
        return ()
    block = layout.blocks[layer]
    inset = BLOCK_INSET * block.w
    rail_in = block.bottom - RAIL_INSET * block.h
    rail_out = block.y + RAIL_INSET * block.h * 0.7
    wire = Style(stroke=colour, width=theme.STROKE_THIN, opacity=0.7 * progress)
    items: list = [
        Line(block.x + inset, rail_in, block.right - inset, rail_in, wire),
        Line(block.x + inset, rail_out, block.right - inset, rail_out, wire),
    ]
    tile_style = Style(fill=theme.BACKGROUND, stroke=colour, width=theme.STROKE_THIN)
    for head, tile in enumerate(layout.head_tiles(layer)):
        tile_progress = staggered(progress, head, layout.heads, overlap=1.5)
        if tile_progress <= 0.0:
            continue
        fade = Style(stroke=colour, width=theme.STROKE_THIN, opacity=0.8 * tile_progress)
        items.append(Line(tile.cx, rail_in, tile.cx, tile.bottom, fade))
        items.append(Line(tile.cx, tile.y, tile.cx, rail_out, fade))
        radius = 0.12 * min(tile.w, tile.h)
        items.append(Rect(*tile.box(), faded(tile_style, tile_progress), radius=radius))
        if min(tile.w, tile.h) >= HEAD_PATTERN_MIN:
            pad = 0.16 * min(tile.w, tile.h)
            items.append(
                Heatmap(
                    tile.x + pad,
                    tile.y + pad,
                    tile.w - 2 * pad,
                    tile.h - 2 * pad,
                    _head_pattern(layer, head),
                    theme.BACKGROUND,
                    theme.CYAN,
                    gap=0.03 * min(tile.w, tile.h),  # 0.6 on phase 1's tiles; scales with them
                    opacity=0.85 * tile_progress,
                )
            )
    return tuple(items)


def _embeddings(layout: StackLayout, progress: float, colour: Rgba) -> tuple:
    """One small vector (a column of heat cells in a rounded frame) per token lane."""
    if progress <= 0.0:
        return ()
    band = layout.embeddings
    chip_h = band.h * 0.78
    chip_w = min(chip_h * 0.55, (band.w / len(layout.lanes)) * 0.5)
    # Gap, frame outset and corner in proportion to the chip (2, 2 and 3 units on
    # phase 1's 31-unit chips), so a stack drawn at another scale looks the same.
    gap, outset, corner = 0.065 * chip_w, 0.065 * chip_w, 0.1 * chip_w
    items: list = []
    for index, lane in enumerate(layout.lanes):
        chip_progress = staggered(progress, index, len(layout.lanes))
        if chip_progress <= 0.0:
            continue
        left, top = lane - chip_w / 2, band.cy - chip_h / 2
        cells = _embedding_cells(index)
        if chip_progress < 1.0:  # growing in; settled chips share the cached array
            cells = cells * chip_progress
        items.append(Heatmap(left, top, chip_w, chip_h, cells, theme.PANEL, colour, gap=gap))
        frame = Style(stroke=colour, width=theme.STROKE_THIN, opacity=chip_progress)
        box = (left - outset, top - outset, chip_w + 2 * outset, chip_h + 2 * outset)
        items.append(Rect(*box, frame, radius=corner))
    return tuple(items)


def _hidden(layout: StackLayout, progress: float, colour: Rgba) -> tuple:
    """Hidden-state dots in every gap: the vector each token carries between layers."""
    if progress <= 0.0:
        return ()
    radius = layout.hidden_radius
    items: list = []
    count = len(layout.hidden_y)
    for gap_index, gap_y in enumerate(layout.hidden_y):
        gap_progress = staggered(progress, gap_index, count)
        if gap_progress <= 0.0:
            continue
        style = Style(
            fill=theme.BACKGROUND, stroke=colour, width=theme.STROKE_THIN, opacity=gap_progress
        )
        for lane in layout.lanes:
            items.append(Circle(lane, gap_y, radius, style))
    return tuple(items)


def logit_values(count: int = LOGIT_BARS, winner: int = 7) -> np.ndarray:
    """Deterministic bar heights in (0, 1] with one clear winner at index ``winner``."""
    index = np.arange(count, dtype=np.float64)
    values = 0.22 + 0.18 * (0.5 + 0.5 * np.sin(index * 2.1 + 0.4))
    values[winner % count] = 1.0
    return values


def _logits(layout: StackLayout, progress: float, colour: Rgba, values: np.ndarray) -> tuple:
    """A row of bars, the largest in orange: scores for the next token."""
    if progress <= 0.0:
        return ()
    band = layout.logits
    count = len(values)
    pitch = band.w / count
    bar_w = pitch * 0.56
    base = band.bottom - 0.12 * band.h
    top_room = band.h * 0.8
    winner = int(np.argmax(values))
    items: list = [
        Line(band.x, base, band.right, base, Style(stroke=colour, width=theme.STROKE_THIN))
    ]
    for index, value in enumerate(values):
        grow = staggered(progress, index, count)
        if grow <= 0.0:
            continue
        height = top_room * float(value) * grow
        tint = theme.ORANGE if index == winner else colour
        glow = theme.GLOW if index == winner else 0.0
        left = band.x + (index + 0.5) * pitch - bar_w / 2
        items.append(
            Rect(left, base - height, bar_w, height, Style(fill=tint, glow=glow), radius=2)
        )
    return tuple(items)


# -- labels --------------------------------------------------------------------------------


def _label(
    anchor: tuple[float, float], text: str, opacity: float, side: str, reach: float, size: float
) -> tuple:
    """A text label beside ``anchor`` joined to it by a thin leader line.

    The dot and the gaps grow with the text (they are set for ``TEXT_SMALL``), so a
    stack drawn at another scale, as phase 2 continues phase 1's, keeps its labels'
    proportions and the two line up across the wipe.
    """
    if opacity <= 0.0:
        return ()
    ax, ay = anchor
    direction = 1.0 if side == "right" else -1.0
    scale = size / theme.TEXT_SMALL
    start_x, end_x = ax + direction * 6 * scale, ax + direction * reach
    line = Line(start_x, ay, end_x, ay, Style(stroke=theme.TEXT_DIM, width=theme.STROKE_THIN))
    dot = Circle(start_x, ay, 3.5 * scale, Style(fill=theme.TEXT_DIM))
    label = Text(
        text,
        end_x + direction * 12 * scale,
        ay + 0.35 * size,
        size,
        theme.TEXT,
        role="sans-semibold",
        align="left" if side == "right" else "right",
    )
    return (Group(items=(line, dot, label), opacity=opacity),)


def _labels(
    layout: StackLayout,
    labels: Mapping[str, float],
    label_text: Mapping[str, str] | None,
    side: str,
    reach: float,
    size: float,
) -> tuple:
    items: list = []
    for part, opacity in labels.items():
        if part not in LABELS:
            raise ValueError(f"labels keys must be among {PARTS}, got {part!r}")
        text = (label_text or {}).get(part, LABELS[part])
        anchor = layout.part_anchor(part)
        if side == "left":
            anchor = (2 * layout.outer.cx - anchor[0], anchor[1])
        items.extend(_label(anchor, text, clamp01(opacity), side, reach, size))
    return tuple(items)


# -- the stack -----------------------------------------------------------------------------


def transformer_stack(
    x: float,
    y: float,
    width: float,
    height: float,
    layers: int,
    *,
    reveal: float = 1.0,
    heads: int = 4,
    tokens: int = 6,
    heads_reveal: float = 1.0,
    hidden_reveal: float = 1.0,
    logits_reveal: float = 1.0,
    colour: Rgba = theme.BLUE,
    glow: float = 0.0,
    labels: Mapping[str, float] | None = None,
    label_text: Mapping[str, str] | None = None,
    label_side: str = "right",
    label_reach: float = 60.0,
    label_size: float = theme.TEXT_SMALL,
    logits: np.ndarray | None = None,
    highlight_layer: int | None = None,
    highlight: float = 0.0,
    opacity: float = 1.0,
    cache_key: str | None = None,
    line_scale: float = 1.0,
) -> Group:
    """Draw a transformer stack in the box (x, y, width, height).

    Progress values, all in [0, 1]:

    - ``reveal`` builds the skeleton bottom to top: embeddings row, then each block's
      outline drawing on, then the logits baseline;
    - ``heads_reveal`` fills the blocks with attention-head tiles and their wiring
      (blocks light up bottom to top);
    - ``hidden_reveal`` shows the hidden-state dots between layers;
    - ``logits_reveal`` grows the logit bars (largest bar orange).

    ``labels`` maps part names (``"embeddings"``, ``"heads"``, ``"hidden"``,
    ``"logits"``) to label opacity; ``label_text`` overrides a label's words.
    Labels sit on ``label_side`` ("right" or "left") of the stack, ``label_reach``
    units out. ``highlight_layer``/``highlight`` outline one block in orange with
    glow (e.g. the layer being discussed). ``colour`` and ``glow`` style the block
    outlines. ``cache_key`` is passed to the returned ``Group``: give one only if
    every argument is the same whenever the key is. ``line_scale`` multiplies every
    stroke width (e.g. ``1 / zoom`` to keep on-screen line weight under a camera zoom).
    """
    if label_side not in ("right", "left"):
        raise ValueError(f"label_side must be 'right' or 'left', got {label_side!r}")
    arguments = dict(locals())
    key = tuple(_hashable(value) for value in arguments.values())
    stack = _built_stacks.get(key)
    if stack is None:
        stack = _build_stack(**arguments)
        if len(_built_stacks) >= _BUILT_STACKS:
            _built_stacks.pop(next(iter(_built_stacks)))  # oldest first out
        _built_stacks[key] = stack
    return stack


# Stacks built for recent argument sets. A stack is a pure function of its arguments and
# a settled one is asked for with the same arguments frame after frame, so rebuilding it
# (~300 items) is wasted Python; animated arguments simply miss.
_BUILT_STACKS = 64
_built_stacks: dict[tuple, Group] = {}


def _hashable(value):
    """A cache-key form of one ``transformer_stack`` argument (mappings, arrays included)."""
    if isinstance(value, Mapping):
        return tuple(sorted(value.items()))
    if isinstance(value, np.ndarray):
        return (value.dtype.str, value.shape, value.tobytes())
    return value


def _build_stack(
    x,
    y,
    width,
    height,
    layers,
    *,
    reveal,
    heads,
    tokens,
    heads_reveal,
    hidden_reveal,
    logits_reveal,
    colour,
    glow,
    labels,
    label_text,
    label_side,
    label_reach,
    label_size,
    logits,
    highlight_layer,
    highlight,
    opacity,
    cache_key,
    line_scale,
) -> Group:
    """``transformer_stack`` without the cache."""
    layout = stack_layout(x, y, width, height, layers, heads=heads, tokens=tokens)
    reveal = clamp01(reveal)
    parts = layers + 2
    radius = min(10.0, 0.08 * layout.blocks[0].h)

    items: list = []
    items.extend(_embeddings(layout, staggered(reveal, 0, parts), theme.CYAN))
    for layer, block in enumerate(layout.blocks):
        progress = staggered(reveal, layer + 1, parts)
        items.extend(_outline(block, progress, colour, glow, radius))
        items.extend(
            _heads(layout, layer, staggered(heads_reveal, layer, layers) * progress, colour)
        )
    items.extend(
        _hidden(layout, clamp01(hidden_reveal) * staggered(reveal, parts - 2, parts), theme.CYAN)
    )
    logit_bars = logits if logits is not None else logit_values()
    items.extend(
        _logits(
            layout,
            staggered(reveal, parts - 1, parts) * clamp01(logits_reveal),
            colour,
            logit_bars,
        )
    )
    if highlight_layer is not None and highlight > 0.0:
        block = layout.blocks[highlight_layer]
        ring = Style(
            stroke=theme.ORANGE,
            width=theme.STROKE_BOLD,
            glow=theme.GLOW,
            opacity=clamp01(highlight),
        )
        pad = 0.08 * block.h
        items.append(
            Rect(
                block.x - pad,
                block.y - pad,
                block.w + 2 * pad,
                block.h + 2 * pad,
                ring,
                radius=radius + pad,
            )
        )
    if labels:
        items.extend(_labels(layout, labels, label_text, label_side, label_reach, label_size))
    return Group(
        items=scale_strokes(tuple(items), line_scale), opacity=opacity, cache_key=cache_key
    )


# -- token flow ----------------------------------------------------------------------------


def token_stream(
    layout: StackLayout,
    seconds: float,
    *,
    per_lane: int = 7,
    speed: float | None = None,
    radius: float = 4.5,
    colour: Rgba = theme.CYAN,
    reveal: float = 1.0,
    sway: float = 0.0,
    trail: int = 0,
    trail_spacing: float | None = None,
) -> Particles:
    """Cyan token particles rising through the stack's lanes at time ``seconds``.

    Each lane carries ``per_lane`` evenly spaced particles moving up at ``speed``
    design units per second (default: the stack height in 4 s), wrapping from the
    logits back to the embeddings. Position is a closed-form function of time, so
    any frame rebuilds alone. ``reveal`` dims the whole stream; particles also fade
    in at the bottom and out at the top. ``sway`` adds a sideways wobble (units).
    ``trail`` adds that many fading, shrinking-in-brightness copies behind each
    particle, ``trail_spacing`` units apart (default: 1.6 x radius), like a comet tail.
    """
    if per_lane < 1:
        raise ValueError(f"per_lane must be an integer >= 1, got {per_lane!r}")
    bottom = layout.embeddings.cy
    top = layout.logits.bottom
    length = bottom - top
    speed = speed if speed is not None else length / 4.0
    lanes = np.asarray(layout.lanes)
    lane_count = len(lanes)

    slot = np.arange(per_lane, dtype=np.float64)
    lane_index = np.arange(lane_count, dtype=np.float64)
    # Golden-ratio offsets within one slot spacing, and lane speeds that differ by a
    # few percent, keep the lanes from marching in step or lining up diagonally.
    offset = (slot[None, :] + lane_index[:, None] * 0.618034) / per_lane % 1.0
    lane_speed = speed * (1.0 + LANE_SPEED_SPREAD * np.sin(2.4 * lane_index + 0.7))[:, None]
    head = (offset * length + lane_speed * float(seconds)) % length
    spacing = trail_spacing if trail_spacing is not None else 1.6 * radius
    behind = np.arange(trail + 1, dtype=np.float64) * spacing  # 0 is the particle itself
    # Trail copies sit behind the head; those that would fall below the start vanish.
    travelled = np.repeat(head, trail + 1, axis=1) - np.tile(behind, per_lane)[None, :]
    tail_weight = np.tile(1.0 - behind / (spacing * (trail + 1)), per_lane)[None, :]
    slot_count = per_lane * (trail + 1)
    lane_index = np.repeat(lane_index[:, None], slot_count, axis=1)
    ys = bottom - travelled
    xs = np.repeat(lanes[:, None], slot_count, axis=1)
    if sway:
        xs = xs + sway * np.sin(travelled / length * 2 * math.pi * 2 + lane_index)
    fraction = travelled / length
    fade = np.clip(np.minimum(fraction / 0.08, (1.0 - fraction) / 0.12), 0.0, 1.0)
    fade = fade * tail_weight
    xy = np.stack([xs.ravel(), ys.ravel()], axis=1)
    return Particles(
        xy=xy, radius=radius, color=colour, intensity=(fade * clamp01(reveal)).ravel()
    )
