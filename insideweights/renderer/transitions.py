"""Transitions between two finished frames: a soft wipe to the left, and a cross-fade.

Both are one kernel: every output column takes a weight of the incoming frame
(``wipe_mask`` varies it across the width, a cross-fade holds it constant),
and the two frames are mixed in linear light, where a fade between two bright
lines does not dip in brightness halfway. Where the weight is 0 or 1, or the
two frames already agree on a byte, that byte is copied, so progress 0 gives
exactly the old frame and progress 1 exactly the new one, and a background
shared by both scenes does not flicker during the transition. Mixed bytes are
dithered with the RPDF pattern of ``dither.py``.

``progress`` is linear time through the transition; pass an eased value to
shape the motion.
"""

from __future__ import annotations

import numpy as np

from insideweights.renderer.colorspace import SRGB, linear_to_level
from insideweights.renderer.dither import RPDF, TILE
from insideweights.renderer.jit import pjit, prange, require_frame, require_number

__all__ = ["DEFAULT_SOFTNESS", "crossfade", "wipe_left", "wipe_mask"]

DEFAULT_SOFTNESS = 0.06  # width of the soft edge as a fraction of the frame width
_MASK = TILE - 1


@pjit
def _mix_columns(old, new, weights, out, tables, rpdf):
    """``out = mix(old, new, weights[x])`` per column, in linear light, dithered."""
    decode = tables.decode
    for y in prange(out.shape[0]):
        noise = rpdf[y & _MASK]
        for x in range(out.shape[1]):
            weight = weights[x]
            if weight <= 0.0:
                for c in range(4):
                    out[y, x, c] = old[y, x, c]
            elif weight >= 1.0:
                for c in range(4):
                    out[y, x, c] = new[y, x, c]
            else:
                for c in range(3):
                    first, second = old[y, x, c], new[y, x, c]
                    if first == second:
                        out[y, x, c] = first
                    else:
                        linear = decode[first] + weight * (decode[second] - decode[first])
                        level = linear_to_level(linear, tables)
                        out[y, x, c] = np.uint8(level + noise[x & _MASK, c])
                alpha = np.float32(old[y, x, 3])
                alpha += weight * (np.float32(new[y, x, 3]) - alpha)
                out[y, x, 3] = np.uint8(alpha + np.float32(0.5))


def wipe_mask(width: int, progress: float, softness: float = DEFAULT_SOFTNESS) -> np.ndarray:
    """(width,) float32 weight of the incoming frame per column for a wipe to the left.

    A smoothstep edge ``softness * width`` pixels wide travels from just past
    the right border (progress 0: all weights 0) to just past the left border
    (progress 1: all weights 1); columns right of the edge show the new frame.
    """
    edge = softness * width
    centre = (width + edge) * (1.0 - progress) - 0.5 * edge
    columns = np.arange(width, dtype=np.float64) + 0.5
    if edge <= 0.0:
        return (columns >= centre).astype(np.float32)
    ramp = np.clip((columns - (centre - 0.5 * edge)) / edge, 0.0, 1.0)
    return (ramp * ramp * (3.0 - 2.0 * ramp)).astype(np.float32)


def _check_pair(first_name, first, second_name, second, out):
    require_frame(first_name, first)
    require_frame(second_name, second, shape=first.shape[:2])
    require_frame("out", out, shape=first.shape[:2], writeable=True)


def wipe_left(old, new, progress, out, softness=DEFAULT_SOFTNESS):
    """Wipe from ``old`` to ``new``: a soft edge moves right to left as progress goes 0 -> 1.

    Left of the edge shows ``old``, right of it ``new``. ``out`` may be
    ``old`` or ``new`` itself. Returns ``out``.
    """
    _check_pair("old", old, "new", new, out)
    progress = require_number("progress", progress, 0.0, 1.0)
    softness = require_number("softness", softness, 0.0, 1.0)
    weights = wipe_mask(out.shape[1], progress, softness)
    _mix_columns(old, new, weights, out, SRGB, RPDF)
    return out


def crossfade(a, b, progress, out):
    """Fade from ``a`` (progress 0, exactly) to ``b`` (progress 1, exactly). Returns ``out``."""
    _check_pair("a", a, "b", b, out)
    progress = require_number("progress", progress, 0.0, 1.0)
    weights = np.full(out.shape[1], progress, dtype=np.float32)
    _mix_columns(a, b, weights, out, SRGB, RPDF)
    return out
