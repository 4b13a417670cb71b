"""Particles glow from a source their own size in the half-resolution emission layer."""

from __future__ import annotations

import numpy as np

from insideweights import theme
from insideweights.display import Particles, Scene
from insideweights.renderer.camera import Viewport
from insideweights.renderer.canvas import Canvas
from insideweights.renderer.particles import splat_particles
from insideweights.renderer.scene_renderer import SceneRenderer

WIDTH, HEIGHT = 384, 216


def _emission_after(particles: Particles) -> tuple[SceneRenderer, np.ndarray]:
    renderer = SceneRenderer(WIDTH, HEIGHT, Viewport(0.0, 0.0, WIDTH, HEIGHT))
    renderer.render(Scene(items=(particles,)), Canvas(WIDTH, HEIGHT))
    return renderer, renderer.emission.pixels.copy()


def test_emission_sprite_is_half_the_frame_sprite_radius():
    design_xy = np.array([[theme.DESIGN_WIDTH / 2, theme.DESIGN_HEIGHT / 2]])
    particles = Particles(xy=design_xy, radius=60.0, color=theme.CYAN, intensity=1.0)
    renderer, emission = _emission_after(particles)
    fit = renderer.viewport.fit
    centre = (design_xy * fit).astype(np.float32)
    expected = np.zeros_like(emission)
    intensity = np.ones(1, np.float32)
    rgb = (theme.CYAN.r, theme.CYAN.g, theme.CYAN.b)
    splat_particles(expected, centre * 0.5, 60.0 * fit * 0.5, rgb, intensity)
    assert emission.max() > 0
    np.testing.assert_array_equal(emission, expected)
