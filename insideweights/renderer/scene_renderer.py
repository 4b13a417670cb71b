"""One scene -> one finished RGBA frame: background, vectors, particles, bloom."""

from __future__ import annotations

import numpy as np
import skia

from insideweights import theme
from insideweights.display import Scene
from insideweights.renderer.background import background_layer
from insideweights.renderer.bloom import Bloom
from insideweights.renderer.camera import Viewport, overlay_matrix, view_matrix
from insideweights.renderer.canvas import Canvas
from insideweights.renderer.draw import ItemPainter, PictureCache, RasterCache
from insideweights.renderer.particles import splat_particles


def _rgb(color) -> tuple[float, float, float]:
    return (color.r, color.g, color.b)


class _NoLaps:
    def lap(self, stage: str) -> None:
        pass


class SceneRenderer:
    """Renders scenes at one output size into a canvas the caller owns.

    The background (gradient and vignette) never changes, so it is built once
    and copied in at the start of every frame. The half-resolution emission
    layer, the bloom buffers and the recorded groups are kept between frames.
    """

    def __init__(self, width: int, height: int, viewport: Viewport) -> None:
        self.viewport = viewport
        self.width, self.height = width, height
        # Effects run on the rows the viewport covers; the caption strip below is
        # painted over whatever lands there, so glowing it would be wasted work.
        self.rows = max(1, min(height, round(viewport.y + viewport.height)))
        self.emission = Canvas((width + 1) // 2, (self.rows + 1) // 2)
        self.background = background_layer(
            width,
            height,
            _rgb(theme.BACKGROUND_TOP),
            _rgb(theme.BACKGROUND_BOTTOM),
            theme.VIGNETTE,
        )[: self.rows]
        self.bloom = Bloom(width, self.rows)
        self.pictures = PictureCache()
        self.rasters = RasterCache()

    def render(self, scene: Scene, target: Canvas, clock=None) -> np.ndarray:
        """Draw ``scene`` into ``target`` (same size as this renderer); returns its pixels.

        ``clock.lap(stage)`` is called after drawing ("draw") and after the
        particles and bloom ("effects").
        """
        clock = clock or _NoLaps()
        main = target.pixels[: self.rows]  # C-contiguous: whole rows
        np.copyto(main, self.background)
        self.emission.clear((0.0, 0.0, 0.0, 0.0))

        matrix = view_matrix(self.viewport, scene.camera)
        fixed = overlay_matrix(self.viewport)
        painter = ItemPainter(target, pictures=self.pictures, rasters=self.rasters)
        painter.draw(scene.items, matrix)
        painter.draw(scene.overlay, fixed)

        glow = ItemPainter(
            self.emission, emission_only=True, pictures=self.pictures, rasters=self.rasters
        )
        glow.draw(scene.items, _halved(matrix))
        glow.draw(scene.overlay, _halved(fixed))
        clock.lap("draw")

        self._splat(main, painter.particles)
        self.bloom.apply(
            main,
            self.emission.pixels,
            threshold=theme.BLOOM_THRESHOLD,
            intensity=theme.BLOOM_INTENSITY,
            radius=theme.BLOOM_RADIUS,
            levels=theme.BLOOM_LEVELS,
        )
        clock.lap("effects")
        return target.pixels

    def _splat(self, pixels: np.ndarray, particle_sets) -> None:
        """All particle sets of the scene in one call per target (each call has a fixed cost)."""
        if not particle_sets:
            return
        xy, radius, rgb, intensity = [], [], [], []
        for particles, matrix in particle_sets:
            points = _transform(particles.xy, matrix)
            count = len(points)
            scale = float(np.sqrt(abs(np.linalg.det(matrix[:2, :2]))))
            xy.append(points)
            radius.append(np.full(count, particles.radius * scale, np.float32))
            rgb.append(np.broadcast_to(np.array(_rgb(particles.color)), (count, 3)))
            intensity.append(
                np.broadcast_to(np.asarray(particles.intensity, dtype=np.float32), (count,))
            )
        xy, radius = np.concatenate(xy), np.concatenate(radius)
        rgb, intensity = np.concatenate(rgb), np.concatenate(intensity).astype(np.float32)
        splat_particles(pixels, xy, radius, rgb, intensity)
        # The emission layer is half resolution: halve the radius with the coordinates,
        # or every glow source comes out twice the particle's size.
        splat_particles(self.emission.pixels, xy * 0.5, radius * 0.5, rgb, intensity)


def _halved(matrix: skia.Matrix) -> skia.Matrix:
    return skia.Matrix.Concat(skia.Matrix.Scale(0.5, 0.5), matrix)


def _transform(xy: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """Apply a 3x3 affine matrix to (N, 2) points; returns float32 pixel coordinates."""
    points = np.asarray(xy, dtype=np.float64)
    out = points @ matrix[:2, :2].T + matrix[:2, 2]
    return out.astype(np.float32)
