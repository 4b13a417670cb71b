"""Particle splats: race-free determinism, edge clipping, conserved light, saturation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from insideweights.renderer.colorspace import SRGB
from insideweights.renderer.dither import TILE
from insideweights.renderer.jit import interleaved_order
from insideweights.renderer.particles import ParticleSplatter, splat_particles

CYAN = (0x22 / 255, 0xE5 / 255, 0xFF / 255)


def opaque(height, width, rgb=(10, 14, 23)):
    frame = np.zeros((height, width, 4), np.uint8)
    frame[..., :3] = rgb
    frame[..., 3] = 255
    return frame


def cloud(count, width, height, seed=0, margin=12.0):
    rng = np.random.default_rng(seed)
    xy = np.stack(
        [
            rng.uniform(-margin, width + margin, count),
            rng.uniform(-margin, height + margin, count),
        ],
        axis=1,
    ).astype(np.float32)
    return xy, rng.uniform(0.2, 1.5, count).astype(np.float32)


def test_same_output_twice_and_serial_equals_parallel():
    xy, intensity = cloud(3000, 320, 180)
    results = []
    for parallel in (True, True, False):
        frame = opaque(180, 320)
        splat_particles(frame, xy, 3.0, CYAN, intensity, parallel=parallel)
        results.append(frame)
    np.testing.assert_array_equal(results[0], results[1])
    np.testing.assert_array_equal(results[0], results[2])
    assert not np.array_equal(results[0], opaque(180, 320))


def test_one_radius_per_particle_equals_one_call_per_radius_apart():
    """Sets far apart do not interact: one call with per-particle radii equals a call per set."""
    xy = np.array([[40.0, 40.0], [60.5, 42.25], [250.0, 120.0], [270.25, 140.5]], np.float32)
    radius = np.array([2.0, 2.0, 6.5, 6.5], np.float32)
    intensity = np.array([1.0, 0.6, 0.8, 1.2], np.float32)
    together = opaque(180, 320)
    splat_particles(together, xy, radius, CYAN, intensity)
    apart = opaque(180, 320)
    for part in (slice(0, 2), slice(2, 4)):
        splat_particles(apart, xy[part], float(radius[part][0]), CYAN, intensity[part])
    np.testing.assert_array_equal(together, apart)
    assert (together != opaque(180, 320)).any(axis=2)[100:160, 230:290].sum() > 4 * 40


def test_edges_clip_exactly_like_a_larger_frame_cropped():
    """Splatting into the frame equals splatting into a padded frame and cropping.

    The pad is one dither tile wide, so both see the same dither pattern.
    """
    height, width = 100, 150
    xy, intensity = cloud(800, width, height, seed=3, margin=20.0)
    xy = np.concatenate([xy, [[0, 0], [width, height], [-4, 50], [width + 4, 50], [75, -4]]])
    # Coordinates on a 1/64 grid, so that shifting by the pad is exact in float32.
    xy = (np.round(xy * 64) / 64).astype(np.float32)
    intensity = np.concatenate([intensity, np.ones(5, np.float32)])

    frame = opaque(height, width)
    splat_particles(frame, xy, 5.0, CYAN, intensity)
    padded = opaque(height + 2 * TILE, width + 2 * TILE)
    splat_particles(padded, xy + TILE, 5.0, CYAN, intensity)
    np.testing.assert_array_equal(frame, padded[TILE:-TILE, TILE:-TILE])


def test_particles_far_outside_change_nothing():
    frame = opaque(64, 64)
    xy = np.array([[-100, 10], [200, 10], [10, -50], [10, 1e6]], np.float32)
    splat_particles(frame, xy, 4.0, CYAN, np.ones(4, np.float32))
    np.testing.assert_array_equal(frame, opaque(64, 64))


@pytest.mark.parametrize("radius", [0.6, 2.0, 4.5])
def test_total_light_is_the_same_wherever_the_particle_sits(radius):
    """Light = intensity * pi r^2 / 3 * colour, within 2 %, at any sub-pixel offset."""
    expected = 0.8 * math.pi * radius**2 / 3.0
    for offset in (0.0, 0.25, 0.5, 0.8):
        frame = opaque(40, 40, (0, 0, 0))
        xy = np.array([[20.0 + offset, 20.0 + offset / 2]], np.float32)
        splat_particles(frame, xy, radius, (1.0, 1.0, 1.0), np.array([0.8], np.float32))
        light = SRGB.decode[frame[..., 1]].astype(np.float64).sum()
        assert light == pytest.approx(expected, rel=0.02)


def test_light_saturates_at_255_without_wrapping():
    frame = opaque(32, 32, (200, 200, 200))
    xy = np.full((50, 2), 16.0, np.float32)
    splat_particles(frame, xy, 3.0, CYAN, np.full(50, 5.0, np.float32))
    assert frame[16, 16, :3].tolist() == [255, 255, 255]
    assert frame.min() >= 200  # nothing wrapped around to a dark value


def test_per_particle_colours_and_transparent_layers_stay_premultiplied():
    layer = np.zeros((32, 64, 4), np.uint8)
    xy = np.array([[16, 16], [48, 16]], np.float32)
    colours = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    splat_particles(layer, xy, 4.0, colours, np.ones(2, np.float32))
    assert layer[16, 16, 0] > 200 and layer[16, 16, 2] == 0
    assert layer[16, 48, 2] > 200 and layer[16, 48, 0] == 0
    assert np.all(layer[..., 3] >= layer[..., :3].max(axis=-1))


def test_scratch_is_clean_between_calls():
    splatter = ParticleSplatter(96, 64)
    xy, intensity = cloud(200, 96, 64, seed=5)
    first, second = opaque(64, 96), opaque(64, 96)
    splatter.splat(first, xy, 3.0, CYAN, intensity)
    splatter.splat(second, xy, 3.0, CYAN, intensity)
    np.testing.assert_array_equal(first, second)
    assert not splatter._scratch.any()


def test_interleaved_order_is_a_permutation_whose_halves_span_the_frame():
    order = interleaved_order(68)
    assert sorted(order.tolist()) == list(range(68))
    first, second = order[:34], order[34:]
    for half in (first, second):
        assert half.min() < 10 and half.max() > 58
