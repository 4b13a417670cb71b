"""Soft glowing particles, added to a frame (or the emission layer) in linear light.

Each particle is a round sprite with the compact profile (1 - d^2 / r^2)^2,
scaled so that its total light equals the continuous profile's
(``intensity * pi * r^2 / 3`` times its colour) wherever it sits relative to
the pixel grid; a particle gliding across pixels therefore keeps a steady
brightness. Sprites smaller than a pixel are spread over a one-pixel radius
with the same total light.

Race-free parallelism (gather, not scatter): the frame is cut into bands of
rows; each band owns its rows, collects the particles that touch it in index
order, accumulates their light in its thread's float scratch area, and writes
its own pixels once (decode, add, re-encode, RPDF dither, saturating at 255).
Particles are sorted by y first, so a band only looks at the particles whose
footprint reaches it.
The result does not depend on the number of threads, and every pixel is
quantised once however many particles overlap it.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from insideweights.renderer.colorspace import SRGB, decode_srgb, linear_to_level
from insideweights.renderer.dither import RPDF, TILE
from insideweights.renderer.jit import (
    inline,
    interleaved_order,
    pick,
    prange,
    require_frame,
    require_number,
    serial_and_parallel,
)

__all__ = ["BAND_ROWS", "ParticleSplatter", "splat_particles"]

BAND_ROWS = 16
MIN_FOOTPRINT = 1.0  # sprites are drawn at least this many pixels in radius
# A sprite pixel costs a fraction of what the bloom kernels spend per pixel, so it takes
# this many of them before a second thread pays for its wake-up (see ``jit.pick``).
PIXELS_PER_BLOOM_PIXEL = 8
_MASK = TILE - 1


def _gains(xy, footprints, radii, intensity, gains):
    """Per particle: intensity * (continuous light) / (light of the sampled footprint)."""
    for i in prange(xy.shape[0]):
        footprint = footprints[i]
        reach = footprint * footprint
        ideal = math.pi * radii[i] * radii[i] / 3.0
        px, py = xy[i, 0], xy[i, 1]
        total = 0.0
        for y in range(int(math.floor(py - footprint)), int(math.ceil(py + footprint)) + 1):
            dy = y + 0.5 - py
            for x in range(int(math.floor(px - footprint)), int(math.ceil(px + footprint)) + 1):
                dx = x + 0.5 - px
                distance = dx * dx + dy * dy
                if distance < reach:
                    falloff = 1.0 - distance / reach
                    total += falloff * falloff
        gains[i] = intensity[i] * ideal / total if total > 0.0 else 0.0


@inline
def _row_span(px, dy2, reach, width):
    """Columns [start, stop) whose pixel centres lie strictly inside the footprint."""
    room = reach - dy2
    if room <= 0.0:
        return 0, 0
    half = math.sqrt(room)
    # Pixel x is inside when |x + 0.5 - px| < half.
    start = max(int(math.floor(px - 0.5 - half)) + 1, 0)
    stop = min(int(math.ceil(px - 0.5 + half)), width)
    return start, stop


def _splat(target, xy, footprints, colors, gains, spans, order, scratch, tables, rpdf):
    """Accumulate the light of each band's particles, then composite the band once.

    Particles arrive sorted by y; band b gathers particles ``spans[b, 0]`` to
    ``spans[b, 1]``, the only ones whose footprint reaches its rows. Each row
    of a footprint visits just the columns inside the circle. The composite
    pass revisits the same footprints, writes each lit pixel once and zeroes
    its light, so ``scratch`` is all zeros between calls.
    """
    height, width = target.shape[0], target.shape[1]
    band_rows = scratch.shape[1]
    decode = tables.decode
    for task in prange(order.shape[0]):
        band = order[task]
        top = band * band_rows
        bottom = min(top + band_rows, height)
        area = scratch[numba.get_thread_id()]  # one band at a time per thread
        # Accumulate light in sorted particle order (deterministic).
        for i in range(spans[band, 0], spans[band, 1]):
            px, py, gain = xy[i, 0], xy[i, 1], gains[i]
            if gain <= 0.0:
                continue
            footprint = footprints[i]
            reach = footprint * footprint
            red, green, blue = colors[i, 0], colors[i, 1], colors[i, 2]
            for y in range(
                max(int(math.floor(py - footprint)), top), min(int(py + footprint) + 1, bottom)
            ):
                dy = y + 0.5 - py
                start, stop = _row_span(px, dy * dy, reach, width)
                for x in range(start, stop):
                    dx = x + 0.5 - px
                    falloff = 1.0 - (dx * dx + dy * dy) / reach
                    weight = np.float32(gain * falloff * falloff)
                    area[y - top, x, 0] += weight * red
                    area[y - top, x, 1] += weight * green
                    area[y - top, x, 2] += weight * blue
        # Composite every lit pixel once (then zero it), visiting the same footprints.
        for i in range(spans[band, 0], spans[band, 1]):
            px, py = xy[i, 0], xy[i, 1]
            footprint = footprints[i]
            reach = footprint * footprint
            for y in range(
                max(int(math.floor(py - footprint)), top), min(int(py + footprint) + 1, bottom)
            ):
                dy = y + 0.5 - py
                start, stop = _row_span(px, dy * dy, reach, width)
                for x in range(start, stop):
                    red, green = area[y - top, x, 0], area[y - top, x, 1]
                    blue = area[y - top, x, 2]
                    if red <= 0.0 and green <= 0.0 and blue <= 0.0:
                        continue
                    area[y - top, x, 0] = area[y - top, x, 1] = area[y - top, x, 2] = 0.0
                    brightest = target[y, x, 3]
                    for c, light in ((0, red), (1, green), (2, blue)):
                        level = linear_to_level(decode[target[y, x, c]] + light, tables)
                        value = np.uint8(level + rpdf[y & _MASK, x & _MASK, c])
                        target[y, x, c] = value
                        brightest = max(brightest, value)
                    # Keep premultiplied alpha valid on a transparent layer: alpha >= colour.
                    target[y, x, 3] = brightest


_GAINS = serial_and_parallel(_gains)
_SPLAT = serial_and_parallel(_splat)


class ParticleSplatter:
    """Particle splatting for targets of one size; keeps a scratch band per kernel thread."""

    def __init__(self, width: int, height: int) -> None:
        for name, value in (("width", width), ("height", height)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"splat {name} must be a positive integer, got {value!r}")
        self.width, self.height = width, height
        self._bands = -(-height // BAND_ROWS)
        threads = numba.config.NUMBA_NUM_THREADS
        self._scratch = np.zeros((threads, BAND_ROWS, width, 3), dtype=np.float32)
        self._order = interleaved_order(self._bands)

    def splat(self, target_u8, xy, radius_px, rgb, intensity, *, parallel=True):
        """Add the particles to ``target_u8`` in place (see ``splat_particles``)."""
        require_frame("target", target_u8, shape=(self.height, self.width), writeable=True)
        xy, colors, intensity = _check_particles(xy, rgb, intensity)
        radius = _check_radii(radius_px, xy.shape[0])
        if xy.shape[0] == 0:
            return target_u8
        footprints = np.maximum(radius, MIN_FOOTPRINT).astype(np.float32)
        footprint = float(footprints.max())
        gains = np.empty(xy.shape[0], dtype=np.float32)
        # Pixels the passes visit: few particles are cheaper on one thread than waking others.
        work = int(((2 * footprints + 2) ** 2).sum()) // PIXELS_PER_BLOOM_PIXEL
        pick(_GAINS, work)(xy, footprints, radius, intensity, gains)

        # Sort by y (stably, so equal inputs give equal sums) and find each band's span.
        by_row = np.argsort(xy[:, 1], kind="stable")
        xy, colors, gains = xy[by_row], colors[by_row], gains[by_row]
        footprints = footprints[by_row]
        tops = np.arange(self._bands, dtype=np.float64) * BAND_ROWS
        bottoms = np.minimum(tops + BAND_ROWS, self.height)
        spans = np.stack(
            [
                np.searchsorted(xy[:, 1], tops - footprint, side="right"),
                np.searchsorted(xy[:, 1], bottoms + footprint, side="left"),
            ],
            axis=1,
        ).astype(np.int64)
        kernel = pick(_SPLAT, work) if parallel else _SPLAT[0]
        kernel(
            target_u8,
            xy,
            footprints,
            colors,
            gains,
            spans,
            self._order,
            self._scratch,
            SRGB,
            RPDF,
        )
        return target_u8


def _check_particles(xy, rgb, intensity):
    """Validate and convert: float32 xy (N, 2), linear colours (N, 3), intensity (N,)."""
    xy = np.asarray(xy)
    if xy.ndim != 2 or xy.shape[1] != 2 or not np.issubdtype(xy.dtype, np.floating):
        raise ValueError(f"xy must be a float array of shape (N, 2), got {xy.dtype} {xy.shape}")
    if not np.all(np.isfinite(xy)):
        raise ValueError("xy must be finite pixel coordinates, got NaN or infinity")
    count = xy.shape[0]
    intensity = np.asarray(intensity)
    if intensity.shape != (count,) or not np.issubdtype(intensity.dtype, np.floating):
        raise ValueError(
            f"intensity must be a float array of shape ({count},), "
            f"got {intensity.dtype} {intensity.shape}"
        )
    if not np.all(np.isfinite(intensity) & (intensity >= 0.0)):
        raise ValueError("intensity must be finite and >= 0, got a negative, NaN or inf value")
    rgb = np.asarray(rgb, dtype=np.float64)
    if rgb.shape not in ((3,), (count, 3)) or not np.all((rgb >= 0.0) & (rgb <= 1.0)):
        raise ValueError(
            f"rgb must be 3 sRGB floats in [0, 1] or an ({count}, 3) array of them, "
            f"got shape {rgb.shape}"
        )
    colors = np.broadcast_to(decode_srgb(rgb), (count, 3)).astype(np.float32)
    return (
        np.ascontiguousarray(xy, dtype=np.float32),
        colors,
        np.ascontiguousarray(intensity, dtype=np.float32),
    )


def _check_radii(radius_px, count: int) -> np.ndarray:
    """One radius for all particles or one each, every one in (0, 1000]: float32 (N,)."""
    if np.ndim(radius_px) == 0:
        radius = require_number("radius_px", radius_px, 0.0, 1000.0, low_open=True)
        return np.full(count, radius, dtype=np.float32)
    radii = np.asarray(radius_px)
    if radii.shape != (count,) or not np.issubdtype(radii.dtype, np.number):
        raise ValueError(
            f"radius_px must be a number or an array of shape ({count},), "
            f"got {radii.dtype} {radii.shape}"
        )
    if not np.all((radii > 0.0) & (radii <= 1000.0)):
        raise ValueError("radius_px must be in (0, 1000] pixels, got a value outside")
    return radii.astype(np.float32)


_splatters: dict[tuple[int, int], ParticleSplatter] = {}


def splat_particles(target_u8, xy, radius_px, rgb, intensity, *, parallel=True):
    """Add soft round glowing sprites to ``target_u8`` (uint8 RGBA, premultiplied sRGB).

    ``xy``: (N, 2) float pixel coordinates (x right, y down; pixel (i, j)
    covers [i, i+1) x [j, j+1)). ``radius_px``: sprite radius in pixels, one
    for all or an (N,) array of one per particle.
    ``rgb``: one sRGB colour (3 floats in [0, 1]) or one per particle (N, 3).
    ``intensity``: (N,) float32, the linear-light gain at a sprite's centre.
    Light adds in linear space and saturates at 255; particles partly or
    wholly outside the frame are clipped. ``parallel=False`` runs the same
    kernel on one thread (identical output). Scratch buffers are kept per
    target size.
    """
    require_frame("target", target_u8)
    height, width = target_u8.shape[:2]
    splatter = _splatters.get((width, height))
    if splatter is None:
        splatter = _splatters[(width, height)] = ParticleSplatter(width, height)
    return splatter.splat(target_u8, xy, radius_px, rgb, intensity, parallel=parallel)
