"""sRGB <-> linear light for the effect kernels: lookup tables and two jitted helpers.

Light adds in linear space, but frames are stored as sRGB bytes. Decoding a
byte is a 256-entry table. Encoding goes the other way without calling ``pow``:
``linear_to_level`` returns the *fractional sRGB level* (0.0 .. 255.0) of a
linear value by finding the two byte levels whose decoded values bracket it
and interpolating between them. That makes the round trip exact
(``linear_to_level(DECODE[k]) == k``), so an effect that adds no light
reproduces its input byte for byte, and the fractional part is what the
dithering step turns into an unbiased rounding decision.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from insideweights.renderer.jit import inline

__all__ = [
    "SRGB",
    "SrgbTables",
    "decode_srgb",
    "encode_srgb",
    "linear_to_level",
    "smooth_decode",
    "smooth_level",
]

BUCKETS = 4096  # finer than one byte level everywhere, so the bracket search takes <= 1 step


def decode_srgb(encoded: np.ndarray | float) -> np.ndarray:
    """The exact sRGB transfer curve, encoded [0, 1] -> linear [0, 1] (float64)."""
    value = np.clip(np.asarray(encoded, dtype=np.float64), 0.0, 1.0)
    return np.where(value <= 0.04045, value / 12.92, ((value + 0.055) / 1.055) ** 2.4)


def encode_srgb(linear: np.ndarray | float) -> np.ndarray:
    """The exact inverse curve, linear [0, 1] -> encoded [0, 1] (float64), clamped."""
    value = np.clip(np.asarray(linear, dtype=np.float64), 0.0, 1.0)
    return np.where(value <= 0.0031308, value * 12.92, 1.055 * value ** (1.0 / 2.4) - 0.055)


class SrgbTables(NamedTuple):
    """Tables passed into kernels (Numba accepts a named tuple of arrays as one argument).

    ``decode``: (257,) float32, linear value of each byte; entry 256 is a
    sentinel above 1 that stops the bracket search. ``bucket``: (BUCKETS + 1,)
    uint8, the highest byte whose linear value is <= i / BUCKETS.
    ``inv_step``: (256,) float32, 1 / (decode[k + 1] - decode[k]).
    """

    decode: np.ndarray
    bucket: np.ndarray
    inv_step: np.ndarray


def _build_tables() -> SrgbTables:
    decode = np.empty(257, dtype=np.float32)
    decode[:256] = decode_srgb(np.arange(256) / 255.0)
    decode[256] = 2.0
    edges = np.arange(BUCKETS + 1, dtype=np.float32) / np.float32(BUCKETS)
    bucket = (np.searchsorted(decode[:256], edges, side="right") - 1).astype(np.uint8)
    steps = decode[1:256].astype(np.float64) - decode[:255]
    inv_step = np.zeros(256, dtype=np.float32)
    inv_step[:255] = 1.0 / steps
    for array in (decode, bucket, inv_step):
        array.setflags(write=False)
    return SrgbTables(decode, bucket, inv_step)


SRGB = _build_tables()


@inline
def linear_to_level(linear, tables):
    """Linear light -> fractional sRGB level in [0, 255] (float32); exact at byte levels.

    Branch-free: every bucket holds at most one level boundary (the darkest
    levels are 1 / (255 * 12.92) > 1 / BUCKETS apart, and the spacing only
    grows), so one comparison finds the bracketing level. NaN maps to 0.
    """
    value = np.float32(linear)
    value = min(value if value > np.float32(0.0) else np.float32(0.0), np.float32(1.0))
    decode = tables.decode
    level = np.int64(tables.bucket[np.int64(value * np.float32(BUCKETS))])
    level += np.int64(decode[level + 1] <= value)
    return np.float32(level) + (value - decode[level]) * tables.inv_step[level]


# -- smooth approximations for vectorised kernels -------------------------------------------
#
# The table lookups above are gathers, which the compiler will not vectorise on
# this hardware. Kernels that touch every byte of a frame (the bloom composite)
# use these polynomials instead: plain arithmetic and two square roots, so a
# loop over bytes runs 8 or 16 at a time. Least-squares fits, done once offline
# and frozen here as float32 so every machine evaluates the same numbers;
# ``tests/test_effects_colorspace.py`` checks their error against the exact curve.

# Encoded [0.04045, 1] -> linear, in v = byte / 255 (degree 7), fitted with weights equal
# to the encoding's slope, so that decoding a byte and encoding it again with the
# polynomial below lands within 0.003 levels of where it started.
_DECODE = (
    0.0008610508521087468,
    0.03503136336803436,
    0.489520400762558,
    0.8313882946968079,
    -0.7397603988647461,
    0.6590291857719421,
    -0.3637442886829376,
    0.08768897503614426,
)
# Linear [0.0031308, 1] -> sRGB level (0..255), in r = linear ** (1/4) (degree 6),
# where the curve is r ** (5/3), smooth enough for a short polynomial: error < 0.002 levels.
_ENCODE = (
    -15.243125915527344,
    36.264808654785156,
    345.3318176269531,
    -210.749755859375,
    159.35385131835938,
    -76.0661392211914,
    16.109161376953125,
)
_D0, _D1, _D2, _D3, _D4, _D5, _D6, _D7 = (np.float32(c) for c in _DECODE)
_E0, _E1, _E2, _E3, _E4, _E5, _E6 = (np.float32(c) for c in _ENCODE)


@inline
def smooth_decode(byte):
    """sRGB byte -> linear light (float32), branch-free; see ``_DECODE`` for the error."""
    v = np.float32(byte) * np.float32(1.0 / 255.0)
    p = _D6 + v * _D7
    p = _D3 + v * (_D4 + v * (_D5 + v * p))
    p = _D0 + v * (_D1 + v * (_D2 + v * p))
    return p if v > np.float32(0.04045) else v * np.float32(1.0 / 12.92)


@inline
def smooth_level(linear):
    """Linear light in [0, 1] -> fractional sRGB level (float32), branch-free."""
    r = np.sqrt(np.sqrt(linear))
    p = _E4 + r * (_E5 + r * _E6)
    p = _E0 + r * (_E1 + r * (_E2 + r * (_E3 + r * p)))
    return p if linear > np.float32(0.0031308) else np.float32(255.0 * 12.92) * linear
