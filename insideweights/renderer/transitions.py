"""Transitions between two finished frames: a soft wipe to the left, and a cross-fade.

Every output column takes a weight of the incoming frame (``wipe_mask``
varies it across the width; a cross-fade holds it constant, so its mixes
come from one 256 x 256 table built per frame), and the two frames are mixed
in linear light, where a fade between two bright lines does not dip in
brightness halfway. Where the weight is 0 or 1, or the
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
from insideweights.renderer.jit import inline, pjit, prange, require_frame, require_number

__all__ = ["DEFAULT_SOFTNESS", "crossfade", "wipe_left", "wipe_mask"]

DEFAULT_SOFTNESS = 0.06  # width of the soft edge as a fraction of the frame width
_MASK = TILE - 1


@inline
def _mix_pixel(old_bytes, new_bytes, out_bytes, y, x, weight, tables, noise):
    """Mix one pixel of two frames in linear light with ``weight`` on ``new``; dither."""
    decode = tables.decode
    for c in range(3):
        a, b = old_bytes[y, x, c], new_bytes[y, x, c]
        if a == b:
            out_bytes[y, x, c] = a
        else:
            linear = decode[a] + weight * (decode[b] - decode[a])
            level = linear_to_level(linear, tables)
            out_bytes[y, x, c] = np.uint8(level + noise[x & _MASK, c])
    alpha = np.float32(old_bytes[y, x, 3])
    alpha += weight * (np.float32(new_bytes[y, x, 3]) - alpha)
    out_bytes[y, x, 3] = np.uint8(alpha + np.float32(0.5))


@pjit
def _mix_columns(old, new, weights, first, stop, out, tables, rpdf):
    """``out = mix(old, new, weights[x])`` per column, in linear light, dithered.

    Columns before ``first`` have weight 0 and from ``stop`` on weight 1, so
    they are plain row copies. Frames come with (H, W) uint32 views, one word
    per pixel, so copies and the "both frames agree" test move whole pixels.
    """
    old_bytes, old_words = old
    new_bytes, new_words = new
    out_bytes, out_words = out
    for y in prange(out_words.shape[0]):
        for x in range(first):
            out_words[y, x] = old_words[y, x]
        for x in range(stop, out_words.shape[1]):
            out_words[y, x] = new_words[y, x]
        noise = rpdf[y & _MASK]
        for x in range(first, stop):
            if old_words[y, x] == new_words[y, x]:
                out_words[y, x] = old_words[y, x]
            else:
                _mix_pixel(old_bytes, new_bytes, out_bytes, y, x, weights[x], tables, noise)


@pjit
def _mix_table(weight, tables, levels):
    """levels[a, b]: the sRGB level of decode(a) mixed with decode(b) at ``weight``."""
    decode = tables.decode
    for a in prange(256):
        for b in range(256):
            linear = decode[a] + weight * (decode[b] - decode[a])
            levels[a, b] = linear_to_level(linear, tables)


@pjit
def _mix_uniform(old, new, levels, out, rpdf):
    """Cross-fade with one weight everywhere: a table lookup per byte, then dither.

    ``levels[a, a] == a`` exactly, so bytes both frames share stay unchanged.
    """
    old_bytes, old_words = old
    new_bytes, new_words = new
    out_bytes, out_words = out
    alpha = levels.shape[0] - 1  # a row of the table kept for alpha: plain lerp, rounded
    for y in prange(out_words.shape[0]):
        noise = rpdf[y & _MASK]
        for x in range(out_words.shape[1]):
            if old_words[y, x] == new_words[y, x]:
                out_words[y, x] = old_words[y, x]
                continue
            for c in range(3):
                level = levels[old_bytes[y, x, c], new_bytes[y, x, c]]
                out_bytes[y, x, c] = np.uint8(level + noise[x & _MASK, c])
            out_bytes[y, x, 3] = np.uint8(
                levels[alpha, 0] * old_bytes[y, x, 3]
                + levels[alpha, 1] * new_bytes[y, x, 3]
                + np.float32(0.5)
            )


def _with_words(frame: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A frame and its one-uint32-per-pixel view (no copy)."""
    return frame, frame.view(np.uint32).reshape(frame.shape[:2])


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
    first = int(np.argmax(weights > 0.0)) if weights.any() else out.shape[1]
    stop = int(np.argmax(weights >= 1.0)) if (weights >= 1.0).any() else out.shape[1]
    _mix_columns(
        _with_words(old), _with_words(new), weights, first, stop, _with_words(out), SRGB, RPDF
    )
    return out


def crossfade(a, b, progress, out):
    """Fade from ``a`` (progress 0, exactly) to ``b`` (progress 1, exactly). Returns ``out``."""
    _check_pair("a", a, "b", b, out)
    progress = require_number("progress", progress, 0.0, 1.0)
    if progress in (0.0, 1.0):
        np.copyto(out, a if progress == 0.0 else b)
        return out
    levels = np.empty((257, 256), dtype=np.float32)
    _mix_table(np.float32(progress), SRGB, levels)
    levels[256, :2] = (1.0 - progress, progress)  # alpha mixes without the sRGB curve
    _mix_uniform(_with_words(a), _with_words(b), levels, _with_words(out), RPDF)
    return out
