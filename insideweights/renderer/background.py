"""The static backdrop: a very dark vertical gradient with a subtle vignette, dithered.

The renderer builds it once per output size and copies it under every frame.
The gradient is
interpolated between the two sRGB-encoded colours (even steps to the eye);
the vignette darkens towards the corners in linear light, as a real lens
would. Quantisation uses the TPDF dither from ``dither.py``, so the long,
shallow ramps of a near-black gradient show grain finer than one level
instead of bands.
"""

from __future__ import annotations

import numpy as np

from insideweights.renderer.colorspace import SRGB, decode_srgb, linear_to_level
from insideweights.renderer.dither import quantise
from insideweights.renderer.jit import pjit, prange, require_number

__all__ = ["VIGNETTE_START", "background_layer", "vignette_gain"]

VIGNETTE_START = 0.25  # distance from the centre (1 = corner) where darkening begins


def _rgb(name: str, value) -> np.ndarray:
    rgb = np.asarray(value, dtype=np.float64) if np.ndim(value) == 1 else None
    if rgb is None or rgb.shape != (3,) or not np.all((rgb >= 0.0) & (rgb <= 1.0)):
        raise ValueError(f"{name} must be 3 sRGB floats in [0, 1], got {value!r}")
    return rgb


def vignette_gain(width: int, height: int, strength: float) -> np.ndarray:
    """(H, W) linear-light multiplier: 1 in the centre, 1 - strength in the corners.

    Distance is measured from the frame centre in units of the half-diagonal,
    so the falloff is round and reaches exactly the corners at any aspect.
    """
    y = (np.arange(height, dtype=np.float32) + 0.5 - height / 2.0)[:, None]
    x = (np.arange(width, dtype=np.float32) + 0.5 - width / 2.0)[None, :]
    distance = np.hypot(x, y) * np.float32(2.0 / np.hypot(width, height))
    ramp = np.clip((distance - VIGNETTE_START) / (1.0 - VIGNETTE_START), 0.0, 1.0)
    smooth = ramp * ramp * (3.0 - 2.0 * ramp)
    return (1.0 - strength * smooth).astype(np.float32)


@pjit
def _shade(row_linear, gain, tables, out):
    """out[y, x] = sRGB encoding (0..1) of row_linear[y] * gain[y, x]."""
    for y in prange(out.shape[0]):
        for x in range(out.shape[1]):
            for c in range(3):
                level = linear_to_level(row_linear[y, c] * gain[y, x], tables)
                out[y, x, c] = level * np.float32(1.0 / 255.0)


def background_layer(
    width: int, height: int, top_rgb, bottom_rgb, vignette_strength: float
) -> np.ndarray:
    """An opaque (height, width, 4) uint8 RGBA frame: gradient top -> bottom, vignette.

    ``top_rgb`` / ``bottom_rgb`` are sRGB-encoded floats in [0, 1];
    ``vignette_strength`` in [0, 1] is how much light the corners lose.
    """
    for name, value in (("width", width), ("height", height)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"background {name} must be a positive integer, got {value!r}")
    top, bottom = _rgb("top_rgb", top_rgb), _rgb("bottom_rgb", bottom_rgb)
    strength = require_number("vignette_strength", vignette_strength, 0.0, 1.0)

    progress = ((np.arange(height) + 0.5) / height)[:, None]
    row_linear = decode_srgb(top + (bottom - top) * progress).astype(np.float32)  # (H, 3)
    encoded = np.empty((height, width, 3), dtype=np.float32)
    _shade(row_linear, vignette_gain(width, height, strength), SRGB, encoded)
    layer = np.empty((height, width, 4), dtype=np.uint8)
    return quantise(encoded, layer)
