"""GPU nodes and a cluster of them joined by links that light up as data moves."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from insideweights import theme
from insideweights.display import Group, Line, Particles, Path, Rect, Style, Text
from insideweights.phases.widgets._util import (
    Rectangle,
    check_box,
    check_positive,
    clamp01,
    staggered,
)
from insideweights.timeline.color import Rgba, mix_oklab

PINS = 4  # pins drawn on each side of a GPU chip


def gpu_node(
    cx: float,
    cy: float,
    size: float,
    *,
    reveal: float = 1.0,
    activity: float = 0.0,
    colour: Rgba = theme.BLUE,
    hot: Rgba = theme.CYAN,
    label: str | None = None,
) -> Group:
    """A GPU chip icon centred on (cx, cy), ``size`` units square.

    ``activity`` in [0, 1] lights the die from dark panel to ``hot`` with glow
    (a node busy computing). ``reveal`` fades and scales the node in.
    """
    check_positive("gpu_node size", size)
    reveal = clamp01(reveal)
    if reveal <= 0.0:
        return Group(items=())
    activity = clamp01(activity)
    half = size / 2
    body = Rect(
        cx - half,
        cy - half,
        size,
        size,
        Style(fill=theme.PANEL, stroke=colour, width=theme.STROKE_THIN),
        radius=0.14 * size,
    )
    die_half = 0.26 * size
    die_colour = mix_oklab(theme.BLUE_DIM, hot, activity)
    die = Rect(
        cx - die_half,
        cy - die_half,
        2 * die_half,
        2 * die_half,
        Style(fill=die_colour, glow=theme.GLOW * activity),
        radius=0.06 * size,
    )
    # All pins in one path: one draw call instead of 4 x PINS lines per node.
    pin = 0.12 * size
    commands: list = []
    for index in range(PINS):
        offset = -half + (index + 1) * size / (PINS + 1)
        commands += [("M", cx + offset, cy - half - pin), ("L", cx + offset, cy - half)]
        commands += [("M", cx + offset, cy + half), ("L", cx + offset, cy + half + pin)]
        commands += [("M", cx - half - pin, cy + offset), ("L", cx - half, cy + offset)]
        commands += [("M", cx + half, cy + offset), ("L", cx + half + pin, cy + offset)]
    pins = [Path(tuple(commands), Style(stroke=colour, width=theme.STROKE_THIN))]
    items = [*pins, body, die]
    if label:
        items.append(
            Text(
                label,
                cx,
                cy + half + pin + theme.TEXT_TINY * 1.2,
                theme.TEXT_TINY,
                theme.TEXT_DIM,
                role="mono",
                align="center",
            )
        )
    scale = 0.7 + 0.3 * reveal
    return Group(items=tuple(items), opacity=reveal, scale=scale, origin=(cx, cy))


@dataclass(frozen=True, slots=True)
class ClusterLayout:
    """Node centres (row-major) and links (index pairs) of a grid cluster."""

    outer: Rectangle
    rows: int
    cols: int
    node: float
    centres: tuple[tuple[float, float], ...]
    links: tuple[tuple[int, int], ...]


def cluster_layout(x: float, y: float, w: float, h: float, rows: int, cols: int) -> ClusterLayout:
    """A rows x cols grid of GPU nodes in the box, linked to right and lower neighbours."""
    check_box("cluster_layout", w, h)
    if rows < 1 or cols < 1:
        raise ValueError(f"rows and cols must be >= 1, got {rows!r} x {cols!r}")
    pitch_x, pitch_y = w / cols, h / rows
    node = 0.5 * min(pitch_x, pitch_y)
    centres = tuple(
        (x + (c + 0.5) * pitch_x, y + (r + 0.5) * pitch_y)
        for r in range(rows)
        for c in range(cols)
    )
    links = []
    for r in range(rows):
        for c in range(cols):
            index = r * cols + c
            if c + 1 < cols:
                links.append((index, index + 1))
            if r + 1 < rows:
                links.append((index, index + cols))
    return ClusterLayout(Rectangle(x, y, w, h), rows, cols, node, centres, tuple(links))


def _activity(layout: ClusterLayout, seconds: float) -> np.ndarray:
    """Per-node busy level: a wave sweeping across the grid (closed form in time)."""
    rows = np.arange(len(layout.centres)) // layout.cols
    cols = np.arange(len(layout.centres)) % layout.cols
    wave = np.sin(2.2 * float(seconds) - 0.9 * cols - 0.6 * rows)
    return 0.5 + 0.5 * wave


def gpu_cluster(
    layout: ClusterLayout,
    seconds: float,
    *,
    reveal: float = 1.0,
    links: float = 1.0,
    traffic: float = 1.0,
    colour: Rgba = theme.BLUE,
) -> tuple:
    """Nodes, links and data pulses of a cluster at time ``seconds``.

    ``reveal`` brings nodes in one after another; ``links`` draws the links on;
    ``traffic`` (0..1) sets how busy the cluster is: nodes light up in a wave and
    cyan pulses run along the links. Returns (Group of links, Group of nodes,
    Particles of pulses) so callers can layer them.
    """
    activity = _activity(layout, seconds) * clamp01(traffic)
    count = len(layout.centres)
    link_items = []
    lit = clamp01(links)
    for index, (a, b) in enumerate(layout.links):
        shown = staggered(lit, index, len(layout.links), overlap=4.0)
        if shown <= 0.0:
            continue
        (ax, ay), (bx, by) = layout.centres[a], layout.centres[b]
        glow_level = 0.5 * (activity[a] + activity[b])
        tint = mix_oklab(theme.BLUE_DIM, theme.CYAN, 0.55 * glow_level)
        link_items.append(
            Line(
                ax,
                ay,
                ax + (bx - ax) * shown,
                ay + (by - ay) * shown,
                Style(stroke=tint, width=theme.STROKE, glow=0.4 * glow_level),
            )
        )
    nodes = [
        gpu_node(
            cx,
            cy,
            layout.node,
            reveal=staggered(reveal, index, count),
            activity=float(activity[index]),
        )
        for index, (cx, cy) in enumerate(layout.centres)
    ]
    pulses = _pulses(layout, seconds, clamp01(traffic) * lit)
    return Group(items=tuple(link_items)), Group(items=tuple(nodes)), pulses


def _pulses(layout: ClusterLayout, seconds: float, level: float) -> Particles:
    """One pulse per link and direction, bouncing data between neighbours."""
    ends = np.asarray([(layout.centres[a], layout.centres[b]) for a, b in layout.links])
    if len(ends) == 0:
        return Particles(xy=np.zeros((0, 2)), radius=4.0, color=theme.CYAN, intensity=0.0)
    start, stop = ends[:, 0, :], ends[:, 1, :]
    index = np.arange(len(ends), dtype=np.float64)
    phase = (0.8 * float(seconds) + index * 0.618034) % 1.0
    forward = np.where(index % 2 == 0, phase, 1.0 - phase)
    xy = start + (stop - start) * forward[:, None]
    intensity = np.sin(np.pi * phase) * level
    return Particles(xy=xy, radius=0.09 * layout.node, color=theme.CYAN, intensity=intensity)
