"""sRGB tables: exact round trip at byte levels, accurate in between, safe at the ends."""

from __future__ import annotations

import numpy as np

from insideweights.renderer.colorspace import SRGB, encode_srgb, linear_to_level


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
