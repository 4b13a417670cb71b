"""Dithered quantisation: no banding on dark ramps, unbiased, fixed pattern, alpha untouched."""

from __future__ import annotations

import numpy as np
import pytest

from insideweights.renderer.dither import RPDF, TPDF, quantise

# The brief's ramp: #0A0E17 -> #141A26 across 1920 columns (10 to 15 levels per channel,
# so plain rounding gives flat runs of ~130-190 identical columns).
START = np.array([0x0A, 0x0E, 0x17]) / 255.0
END = np.array([0x14, 0x1A, 0x26]) / 255.0
WIDTH, HEIGHT = 1920, 270
MAX_IDENTICAL_RUN = 2  # stated bound: never more than 2 adjacent identical columns


def ramp() -> np.ndarray:
    progress = (np.arange(WIDTH) / (WIDTH - 1))[None, :, None]
    row = START + (END - START) * progress
    return np.broadcast_to(row, (HEIGHT, WIDTH, 3)).astype(np.float32)


def longest_identical_run(image: np.ndarray) -> int:
    same = np.all(image[:, 1:] == image[:, :-1], axis=(0, 2))
    longest = current = 1
    for equal in same:
        current = current + 1 if equal else 1
        longest = max(longest, current)
    return longest


def test_dark_ramp_has_no_flat_runs_and_tracks_the_float_ramp():
    src = ramp()
    out = np.empty((HEIGHT, WIDTH, 4), np.uint8)
    quantise(src, out)

    assert longest_identical_run(out[..., :3]) <= MAX_IDENTICAL_RUN
    column_means = out[..., :3].mean(axis=0)
    target = src[0] * 255.0
    assert np.abs(column_means - target).max() < 0.5
    # The check can fail: plain rounding bands into long flat runs.
    rounded = np.round(src * 255.0).astype(np.uint8)
    assert longest_identical_run(rounded) > 100


def test_quantise_is_the_same_every_call():
    src = ramp()
    first = quantise(src, np.empty((HEIGHT, WIDTH, 4), np.uint8))
    second = quantise(src, np.empty((HEIGHT, WIDTH, 4), np.uint8))
    np.testing.assert_array_equal(first, second)


def test_quantise_is_unbiased_at_every_fraction():
    """Each fraction fills one whole 128 x 128 noise tile; its mean must land within 0.03."""
    fractions = np.linspace(0.0, 1.0, 20, endpoint=False)
    levels = 100.0 + fractions
    columns = np.repeat(levels / 255.0, 128)
    src = np.ascontiguousarray(np.broadcast_to(columns[None, :, None], (128, columns.size, 3)))
    out = quantise(src, np.empty((128, columns.size, 4), np.uint8))
    means = out[..., :3].reshape(128, 20, 128, 3).mean(axis=(0, 2, 3))
    assert np.abs(means - levels).max() < 0.03
    assert out[..., :3].min() >= 99 and out[..., :3].max() <= 102  # error stays within 1 level


def test_alpha_is_rounded_without_noise_and_three_channels_become_opaque():
    src = np.full((64, 64, 4), 0.5, np.float32)
    src[..., 3] = 1.0
    out = quantise(src, np.empty((64, 64, 4), np.uint8))
    assert (out[..., 3] == 255).all()
    out3 = quantise(np.full((8, 8, 3), 0.2, np.float32), np.zeros((8, 8, 4), np.uint8))
    assert (out3[..., 3] == 255).all()


def test_out_of_range_and_nan_are_clamped():
    src = np.array([[[-1.0, 2.0, np.nan]]], np.float32)
    out = quantise(src, np.zeros((1, 1, 4), np.uint8))
    assert out[0, 0, :3].tolist() == [0, 255, 0]


def test_noise_tiles_have_the_promised_distributions():
    assert RPDF.min() > 0.0 and RPDF.max() < 1.0
    assert RPDF.mean() == pytest.approx(0.5, abs=0.01)
    assert TPDF.min() > -1.0 and TPDF.max() < 1.0
    assert TPDF.mean() == pytest.approx(0.0, abs=0.01)
    # Triangular: about 1/4 of the mass beyond +-0.5 (a uniform one would have 1/2).
    assert np.mean(np.abs(TPDF) > 0.5) == pytest.approx(0.25, abs=0.02)
    # Odd multiples of 1/2048: level + u is exact in float32 and never rounds up to 256.
    assert np.all((RPDF * 4096) % 2 == 1)
    assert not RPDF.flags.writeable and not TPDF.flags.writeable
