"""Particles streaming along a path, as a closed-form function of time.

``stream(points, seconds)`` places ``count`` particles along a polyline at
``(offset + speed * seconds) % length``: no state between frames, so any frame
rebuilds alone and frames can render in any order or on any worker.
"""

from __future__ import annotations

import numpy as np

from insideweights import theme
from insideweights.display import Particles
from insideweights.phases.widgets._util import Box, clamp01, clearance
from insideweights.timeline.color import Rgba

GOLDEN = 0.6180339887498949  # irrational spacing: particles never line up in rows


def _as_points(points) -> np.ndarray:
    array = np.asarray(points, dtype=np.float64)
    if array.ndim != 2 or array.shape[1] != 2 or len(array) < 2:
        raise ValueError(f"points must be an (N >= 2, 2) array of x, y, got shape {array.shape}")
    return array


def polyline_length(points) -> float:
    """Total length of the polyline through ``points``."""
    array = _as_points(points)
    return float(np.hypot(*np.diff(array, axis=0).T).sum())


def points_along(points, distances: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions (N, 2) at arc-length ``distances`` along the polyline, and unit tangents."""
    array = _as_points(points)
    steps = np.diff(array, axis=0)
    lengths = np.hypot(steps[:, 0], steps[:, 1])
    cumulative = np.concatenate([[0.0], np.cumsum(lengths)])
    distances = np.clip(np.asarray(distances, dtype=np.float64), 0.0, cumulative[-1])
    segment = np.clip(np.searchsorted(cumulative, distances, side="right") - 1, 0, len(steps) - 1)
    safe = np.where(lengths[segment] > 0, lengths[segment], 1.0)
    along = (distances - cumulative[segment]) / safe
    xy = array[segment] + steps[segment] * along[:, None]
    tangent = steps[segment] / safe[:, None]
    return xy, tangent


def stream(
    points,
    seconds: float,
    *,
    count: int = 24,
    speed: float = 240.0,
    radius: float = 4.0,
    colour: Rgba = theme.CYAN,
    reveal: float = 1.0,
    spread: float = 0.0,
    fade: float = 0.1,
    phase: float = 0.0,
    clear: tuple[tuple[Box, float], ...] = (),
) -> Particles:
    """``count`` particles flowing from the first point to the last at ``speed`` units/s.

    ``spread`` scatters particles sideways (units, fixed per particle) so a stream
    has width; ``fade`` is the fraction of the path over which they fade in at the
    start and out at the end; ``phase`` shifts the pattern (for several streams
    on one path). ``reveal`` dims the whole stream. ``clear`` holds boxes (x, y, w, h)
    with their opacity that the particles make way for (see ``clearance``).
    """
    if count < 1:
        raise ValueError(f"count must be an integer >= 1, got {count!r}")
    length = polyline_length(points)
    slots = np.arange(count, dtype=np.float64)
    offsets = ((slots * GOLDEN + phase) % 1.0) * length
    travelled = (offsets + speed * float(seconds)) % length
    xy, tangent = points_along(points, travelled)
    if spread:
        side = np.sin(slots * 12.9898 + phase * 78.233) * spread
        xy = xy + np.stack([-tangent[:, 1], tangent[:, 0]], axis=1) * side[:, None]
    fraction = travelled / length
    ends = np.minimum(fraction, 1.0 - fraction) / max(fade, 1e-6)
    intensity = np.clip(ends, 0.0, 1.0) * clamp01(reveal) * clearance(xy, clear)
    return Particles(xy=xy, radius=radius, color=colour, intensity=intensity)
