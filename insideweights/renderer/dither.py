"""Float -> uint8 quantisation with a fixed dither pattern, so dark gradients never band.

The pattern is a 128 x 128 tile of noise per channel, drawn once from a seeded
PCG64 stream and indexed by (y mod 128, x mod 128). It is the same on every
frame, so a static picture stays static in the video and compresses well, and
any frame can be re-rendered alone and come out identical.

Two flavours, both unbiased (the mean of the output equals the float input):

- ``TPDF`` (triangular, in (-1, 1) levels) for quantising float images such
  as the background gradient: the noise power does not depend on the signal,
  so a slow ramp turns into an even grain with no contours.
- ``RPDF`` (uniform, in (0, 1) levels) for effects that add light to an
  already-quantised frame (bloom, particles, transitions): ``floor(level + u)``
  leaves every byte whose value did not change exactly as it was, so only the
  pixels an effect touches change, while the fractional part of added light
  still dithers without bias.

Values are odd multiples of 1/2048, so ``level + u`` is exact in float32 for
levels up to 255 and ``floor`` never rounds an unchanged byte up.
"""

from __future__ import annotations

import numpy as np

from insideweights.renderer.jit import inline, pjit, prange, require_frame

__all__ = ["RPDF", "TILE", "TPDF", "dither_byte", "quantise"]

TILE = 128  # power of two: the kernels index the tile with a bit mask
_MASK = TILE - 1
_STEPS = 2048


def _uniform_tile(seed: int) -> np.ndarray:
    """(TILE, TILE, 4) float32 in (0, 1): odd multiples of 1 / (2 * _STEPS).

    ``random_raw`` of a seeded PCG64 is stable across NumPy versions.
    """
    raw = np.random.PCG64(seed).random_raw(TILE * TILE * 4)
    steps = (raw >> np.uint64(64 - 11)).astype(np.float64)
    return ((steps + 0.5) / _STEPS).astype(np.float32).reshape(TILE, TILE, 4)


def _frozen(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


RPDF = _frozen(_uniform_tile(0x1D17))
TPDF = _frozen(_uniform_tile(0x2E28) + _uniform_tile(0x3F39) - np.float32(1.0))


@inline
def dither_byte(level, tile, x, y, c):
    """``floor(level + u)`` as a byte, ``u`` from ``tile`` at (x, y, c); level in [0, 255]."""
    value = np.float32(level) + tile[y & _MASK, x & _MASK, c]
    return np.uint8(min(max(value, np.float32(0.0)), np.float32(255.0)))


# TPDF shifted by one half so that truncation rounds; alpha gets no noise, only the half.
_TPDF_ROUNDING = TPDF + np.float32(0.5)
_TPDF_ROUNDING[..., 3] = 0.5
_frozen(_TPDF_ROUNDING)


@pjit
def _quantise_kernel(src, out, offsets):
    """Dithered rounding of sRGB floats in [0, 1]: ``int(255 v + offset)``, clamped."""
    height, width, channels = src.shape
    scale = src.dtype.type(255.0)
    low = src.dtype.type(0.0)
    for y in prange(height):
        row = offsets[y & _MASK]
        src_row = src[y]
        out_row = out[y]
        for x in range(width):
            noise = row[x & _MASK]
            for c in range(channels):
                level = src_row[x, c] * scale + noise[c]
                level = level if level > low else low  # NaN fails the test -> 0
                out_row[x, c] = np.uint8(min(level, scale))
            if channels == 3:
                out_row[x, 3] = 255


def quantise(src_float: np.ndarray, out_u8: np.ndarray) -> np.ndarray:
    """Quantise sRGB-encoded floats (H, W, C) in [0, 1] into ``out_u8`` with TPDF dither.

    C is 3 or 4. ``out_u8`` is uint8 (H, W, 4); with 3 source channels its alpha
    is set to 255. Channel 3 (alpha) is rounded without noise so an opaque
    source stays exactly opaque. Out-of-range values and NaN are clamped.
    """
    ok = (
        isinstance(src_float, np.ndarray)
        and src_float.dtype in (np.float32, np.float64)
        and src_float.ndim == 3
        and src_float.shape[2] in (3, 4)
    )
    if not ok:
        got = getattr(src_float, "dtype", type(src_float).__name__)
        shape = getattr(src_float, "shape", "?")
        raise ValueError(
            f"src_float must be a float32/float64 array of shape (H, W, 3 or 4), "
            f"got {got} with shape {shape}"
        )
    require_frame("out_u8", out_u8, shape=src_float.shape[:2], writeable=True)
    _quantise_kernel(src_float, out_u8, _TPDF_ROUNDING)
    return out_u8
