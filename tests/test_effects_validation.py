"""The effect wrappers reject bad input with one clear line: argument, value, rule."""

from __future__ import annotations

import numpy as np
import pytest

from insideweights.renderer.background import background_layer
from insideweights.renderer.bloom import Bloom
from insideweights.renderer.dither import quantise
from insideweights.renderer.jit import set_kernel_threads
from insideweights.renderer.particles import splat_particles
from insideweights.renderer.transitions import crossfade, wipe_left

FRAME = np.zeros((18, 32, 4), np.uint8)
BLOOM = dict(threshold=0.5, intensity=1.0, radius=0.05, levels=3)


def frame():
    return FRAME.copy()


CASES = [
    (
        lambda: Bloom(32, 18).apply(frame().astype(np.float32), **BLOOM),
        r"frame_u8 must be .*uint8.*got a float32 array of shape \(18, 32, 4\)",
    ),
    (
        lambda: Bloom(32, 18).apply(np.zeros((18, 30, 4), np.uint8), **BLOOM),
        r"frame_u8 must be .*\(18, 32, 4\), got .*\(18, 30, 4\)",
    ),
    (
        lambda: Bloom(32, 18).apply(frame(), np.zeros((18, 32, 4), np.uint8), **BLOOM),
        r"emission_u8 must be .*\(9, 16, 4\)",
    ),
    (
        lambda: Bloom(32, 18).apply(frame(), **{**BLOOM, "threshold": 1.5}),
        r"threshold must be a number in \[0.0, 1.0\], got 1.5",
    ),
    (
        lambda: Bloom(32, 18).apply(frame(), **{**BLOOM, "intensity": float("nan")}),
        r"intensity must be .* got nan",
    ),
    (
        lambda: Bloom(32, 18).apply(frame(), **{**BLOOM, "radius": 0}),
        r"radius must be a number in \(0.0, 1.0\], got 0",
    ),
    (
        lambda: Bloom(32, 18).apply(frame(), **{**BLOOM, "levels": 0}),
        r"levels must be an integer in 1..8, got 0",
    ),
    (lambda: Bloom(0, 18), r"bloom width must be a positive integer, got 0"),
    (lambda: Bloom(32, 18).apply(frame()[:, ::2], **BLOOM), r"not C-contiguous"),
    (
        lambda: wipe_left(frame(), frame(), 1.2, frame()),
        r"progress must be a number in \[0.0, 1.0\], got 1.2",
    ),
    (
        lambda: wipe_left(frame(), frame(), 0.5, frame(), softness=-0.1),
        r"softness must be .* got -0.1",
    ),
    (
        lambda: wipe_left(frame(), np.zeros((18, 31, 4), np.uint8), 0.5, frame()),
        r"new must be .*\(18, 32, 4\)",
    ),
    (
        lambda: crossfade(frame(), frame(), 0.5, np.zeros((18, 32, 3), np.uint8)),
        r"out must be .*\(18, 32, 4\)",
    ),
    (
        lambda: crossfade(frame(), frame(), "half", frame()),
        r"progress must be a number .* got 'half'",
    ),
    (
        lambda: splat_particles(
            frame(), np.zeros((3, 3), np.float32), 2.0, (1, 1, 1), np.ones(3, np.float32)
        ),
        r"xy must be a float array of shape \(N, 2\)",
    ),
    (
        lambda: splat_particles(
            frame(), np.full((1, 2), np.nan, np.float32), 2.0, (1, 1, 1), np.ones(1, np.float32)
        ),
        r"xy must be finite",
    ),
    (
        lambda: splat_particles(
            frame(), np.zeros((2, 2), np.float32), 2.0, (1, 1, 1), np.ones(3, np.float32)
        ),
        r"intensity must be a float array of shape \(2,\)",
    ),
    (
        lambda: splat_particles(
            frame(), np.zeros((2, 2), np.float32), 2.0, (1, 2, 1), np.ones(2, np.float32)
        ),
        r"rgb must be 3 sRGB floats in \[0, 1\]",
    ),
    (
        lambda: splat_particles(
            frame(), np.zeros((2, 2), np.float32), -1.0, (1, 1, 1), np.ones(2, np.float32)
        ),
        r"radius_px must be a number in \(0.0, 1000.0\], got -1.0",
    ),
    (
        lambda: splat_particles(
            frame(), np.zeros((2, 2), np.float32), np.ones(3), (1, 1, 1), np.ones(2, np.float32)
        ),
        r"radius_px must be a number or an array of shape \(2,\), got float64 \(3,\)",
    ),
    (
        lambda: splat_particles(
            frame(), np.zeros((2, 2), np.float32), np.array([1.0, 0.0]), (1, 1, 1), np.ones(2)
        ),
        r"radius_px must be in \(0, 1000\] pixels",
    ),
    (
        lambda: quantise(np.zeros((4, 4, 3), np.uint8), np.zeros((4, 4, 4), np.uint8)),
        r"src_float must be a float32/float64 array",
    ),
    (
        lambda: quantise(np.zeros((4, 4, 3), np.float32), np.zeros((4, 5, 4), np.uint8)),
        r"out_u8 must be .*\(4, 4, 4\)",
    ),
    (
        lambda: background_layer(64, 36, (0.1, 0.1), (0, 0, 0), 0.3),
        r"top_rgb must be 3 sRGB floats in \[0, 1\], got \(0.1, 0.1\)",
    ),
    (
        lambda: background_layer(64, 36, (0, 0, 0), (0, 0, 0), 2.0),
        r"vignette_strength must be a number in \[0.0, 1.0\], got 2.0",
    ),
    (lambda: set_kernel_threads(0), r"kernel threads must be an integer in 1..\d+, got 0"),
]


@pytest.mark.parametrize("call, message", CASES)
def test_wrappers_raise_one_clear_line(call, message):
    with pytest.raises(ValueError, match=message) as error:
        call()
    assert "\n" not in str(error.value)
