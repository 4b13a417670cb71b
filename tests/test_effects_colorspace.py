"""sRGB tables: exact round trip at byte levels, accurate in between, safe at the ends;
the smooth (vectorisable) curves: close to the exact ones."""

from __future__ import annotations

import numpy as np

from insideweights.renderer.colorspace import (
    SRGB,
    decode_srgb,
    encode_srgb,
    linear_to_level,
    smooth_decode,
    smooth_level,
)
from insideweights.renderer.jit import jit


@jit
def _smooth_curves(bytes_, linear, decoded, levels):
    for k in range(bytes_.shape[0]):
        decoded[k] = smooth_decode(bytes_[k])
    for k in range(linear.shape[0]):
        levels[k] = smooth_level(linear[k])


def test_every_byte_level_round_trips_exactly():
    for byte in range(256):
        assert linear_to_level(SRGB.decode[byte], SRGB) == byte


def test_encoding_between_levels_is_within_a_hundredth_of_a_level():
    linear = np.linspace(0.0, 1.0, 20001)
    got = np.array([linear_to_level(np.float32(v), SRGB) for v in linear])
    assert np.abs(got - encode_srgb(linear) * 255.0).max() < 0.01
    assert np.all(np.diff(got) >= 0)


def test_out_of_range_and_nan_clamp():
    assert linear_to_level(-1.0, SRGB) == 0.0
    assert linear_to_level(float("nan"), SRGB) == 0.0
    assert linear_to_level(7.0, SRGB) == 255.0
    assert linear_to_level(float("inf"), SRGB) == 255.0


def smooth(bytes_, linear):
    decoded = np.empty(len(bytes_), np.float32)
    levels = np.empty(len(linear), np.float32)
    _smooth_curves(bytes_.astype(np.float32), linear.astype(np.float32), decoded, levels)
    return decoded.astype(np.float64), levels.astype(np.float64)


def test_smooth_curves_stay_within_three_thousandths_of_a_level():
    every_byte = np.arange(256)
    linear = np.random.default_rng(11).random(200_000) ** 4  # dense near black
    decoded, levels = smooth(every_byte, linear)
    assert np.abs(levels - 255.0 * encode_srgb(linear)).max() < 0.003
    # Decoding is judged by where it lands once encoded: the error that matters.
    _, round_trip = smooth(every_byte, decoded)
    assert np.abs(round_trip - every_byte).max() < 0.003
    assert np.abs(decoded - decode_srgb(every_byte / 255.0)).max() < 2e-5
    assert np.all(np.diff(decoded) > 0)
    # Monotonic up to the same error (float32 rounding, the seam at the linear segment).
    assert np.diff(smooth(every_byte, np.sort(linear))[1]).min() > -0.003
    ends, end_levels = smooth(np.array([0]), np.array([0.0, 1.0]))
    assert ends[0] == 0.0 and end_levels[0] == 0.0
    assert abs(end_levels[1] - 255.0) < 0.003
