"""Static background: dark gradient plus vignette, dithered, opaque."""

from __future__ import annotations

import numpy as np
import pytest

from insideweights.renderer.background import background_layer, vignette_gain
from insideweights.renderer.colorspace import SRGB

TOP = (0x0D / 255, 0x13 / 255, 0x21 / 255)
BOTTOM = (0x08 / 255, 0x0B / 255, 0x12 / 255)


def test_gradient_runs_from_top_to_bottom_colour_without_bands():
    layer = background_layer(480, 270, TOP, BOTTOM, 0.0)
    assert layer.shape == (270, 480, 4) and layer.dtype == np.uint8
    assert (layer[..., 3] == 255).all()
    row_means = layer[..., :3].mean(axis=1)
    progress = ((np.arange(270) + 0.5) / 270)[:, None]
    target = (np.array(TOP) + (np.array(BOTTOM) - np.array(TOP)) * progress) * 255
    assert np.abs(row_means - target).max() < 0.5
    # No two neighbouring rows are identical: dithered, not banded.
    assert not np.any(np.all(layer[1:] == layer[:-1], axis=(1, 2)))


def test_vignette_darkens_corners_by_its_strength_in_linear_light():
    flat = (0.3, 0.3, 0.3)
    layer = background_layer(320, 180, flat, flat, 0.4)
    light = SRGB.decode[layer[..., 1]].astype(np.float64)
    centre = light[80:100, 150:170].mean()
    corner = light[:4, :4].mean()
    assert corner / centre == pytest.approx(1.0 - 0.4, abs=0.03)
    gain = vignette_gain(320, 180, 0.4)
    assert gain.max() == pytest.approx(1.0) and gain.min() == pytest.approx(0.6, abs=0.01)


def test_background_is_reproducible():
    first = background_layer(200, 100, TOP, BOTTOM, 0.35)
    second = background_layer(200, 100, TOP, BOTTOM, 0.35)
    np.testing.assert_array_equal(first, second)
