"""Wipe-left and cross-fade: exact ends, direction of travel, linear-light mixing."""

from __future__ import annotations

import numpy as np
import pytest

from insideweights.renderer.colorspace import SRGB
from insideweights.renderer.transitions import crossfade, wipe_left, wipe_mask

HEIGHT, WIDTH = 90, 320


def scene(seed: int) -> np.ndarray:
    """A busy opaque frame: random bytes everywhere, so any mix-up shows."""
    frame = np.random.default_rng(seed).integers(0, 256, (HEIGHT, WIDTH, 4), dtype=np.uint8)
    frame[..., 3] = 255
    return frame


OLD, NEW = scene(1), scene(2)


def test_wipe_ends_are_exactly_old_and_new():
    out = np.empty_like(OLD)
    np.testing.assert_array_equal(wipe_left(OLD, NEW, 0.0, out), OLD)
    np.testing.assert_array_equal(wipe_left(OLD, NEW, 1.0, out), NEW)
    np.testing.assert_array_equal(wipe_left(OLD, NEW, 0.0, out, softness=0.0), OLD)
    np.testing.assert_array_equal(wipe_left(OLD, NEW, 1.0, out, softness=0.0), NEW)


def test_wipe_halfway_shows_old_on_the_left_and_new_on_the_right():
    softness = 0.1
    out = wipe_left(OLD, NEW, 0.5, np.empty_like(OLD), softness=softness)
    half_edge = int(np.ceil(softness * WIDTH / 2))
    left = slice(0, WIDTH // 2 - half_edge)
    right = slice(WIDTH // 2 + half_edge, WIDTH)
    np.testing.assert_array_equal(out[:, left], OLD[:, left])
    np.testing.assert_array_equal(out[:, right], NEW[:, right])
    middle = out[:, WIDTH // 2 - half_edge + 1 : WIDTH // 2 + half_edge - 1]
    assert not np.array_equal(
        middle, OLD[:, WIDTH // 2 - half_edge + 1 : WIDTH // 2 + half_edge - 1]
    )


def test_wipe_edge_travels_from_right_to_left():
    edges = []
    for progress in np.linspace(0.0, 1.0, 11):
        weights = wipe_mask(WIDTH, progress, 0.06)
        assert np.all(np.diff(weights) >= 0)  # new frame on the right of the edge
        edges.append(np.argmax(weights >= 0.5) if weights.max() >= 0.5 else WIDTH)
    assert edges[0] == WIDTH and edges[-1] == 0
    assert np.all(np.diff(edges) < 0)


def test_wipe_out_may_alias_an_input():
    expected = wipe_left(OLD, NEW, 0.3, np.empty_like(OLD))
    in_place = OLD.copy()
    wipe_left(in_place, NEW, 0.3, in_place)
    np.testing.assert_array_equal(in_place, expected)


def test_crossfade_ends_are_exact_and_middle_mixes_in_linear_light():
    out = np.empty_like(OLD)
    np.testing.assert_array_equal(crossfade(OLD, NEW, 0.0, out), OLD)
    np.testing.assert_array_equal(crossfade(OLD, NEW, 1.0, out), NEW)

    red = np.zeros((8, 8, 4), np.uint8)
    red[..., 0], red[..., 3] = 255, 255
    blue = np.zeros_like(red)
    blue[..., 2], blue[..., 3] = 255, 255
    middle = crossfade(red, blue, 0.5, np.empty_like(red))
    # Half the light of a full channel is byte 188 in sRGB (a naive byte average gives 127).
    assert SRGB.decode[middle[..., 0]].mean() == pytest.approx(0.5, abs=0.01)
    assert middle[..., 0].min() >= 187 and middle[..., 0].max() <= 188
    assert (middle[..., 3] == 255).all()


def test_shared_pixels_never_flicker_during_a_transition():
    shared = OLD.copy()
    shared[:, :100] = NEW[:, :100]
    for progress in (0.1, 0.37, 0.5, 0.93):
        out = crossfade(shared, NEW, progress, np.empty_like(OLD))
        np.testing.assert_array_equal(out[:, :100], NEW[:, :100])
