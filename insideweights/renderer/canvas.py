"""A Skia raster surface that draws straight into a reused numpy buffer."""

from __future__ import annotations

import numpy as np
import skia

# Explicit byte order: the platform's "native" N32 colour type is BGRA on some
# machines and RGBA on others, which would silently swap red and blue.
COLOR_TYPE = skia.ColorType.kRGBA_8888_ColorType
ALPHA_TYPE = skia.AlphaType.kPremul_AlphaType


class Canvas:
    """An RGBA premultiplied (height, width, 4) uint8 buffer with a Skia canvas over it.

    The buffer is allocated once; every frame draws into the same memory.
    """

    def __init__(self, width: int, height: int) -> None:
        if width <= 0 or height <= 0:
            raise ValueError(f"canvas size must be positive, got {width}x{height}")
        self.width = width
        self.height = height
        self.pixels = np.zeros((height, width, 4), dtype=np.uint8)
        info = skia.ImageInfo.Make(width, height, COLOR_TYPE, ALPHA_TYPE)
        self._surface = skia.Surface.MakeRasterDirect(info, self.pixels)
        if self._surface is None:
            raise RuntimeError(f"Skia could not wrap a {width}x{height} raster surface")
        self.skia = self._surface.getCanvas()

    def clear(self, rgba: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 1.0)) -> None:
        """Fill the whole buffer with one colour (sRGB floats, unpremultiplied)."""
        self.skia.resetMatrix()
        self.skia.clear(skia.Color4f(*rgba))

    def copy_from(self, pixels: np.ndarray) -> None:
        """Overwrite the buffer with ``pixels`` (same shape), e.g. a cached background."""
        np.copyto(self.pixels, pixels)

    def snapshot(self) -> skia.Image:
        return self._surface.makeImageSnapshot()
