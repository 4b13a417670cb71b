"""Colours: ``Rgba``, the one colour type of the project, and perceptual mixing in OKLab.

``Rgba`` holds sRGB-encoded channels as floats in [0, 1] (what a hex code means)
and straight (not premultiplied) alpha. Mixing two colours by lerping the encoded
channels darkens and muddies the middle; ``mix_oklab`` instead decodes to linear
light, moves to OKLab (a space where equal steps look equal), lerps there and
converts back, so a blue-to-orange fade passes through a clean, even middle.
The OKLab matrices are the published ones by Bjorn Ottosson (2020).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from insideweights.timeline.clock import TimelineError

__all__ = ["Rgba", "mix_oklab", "srgb_to_oklab", "oklab_to_srgb"]

_HEX = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{8})")


class Rgba(NamedTuple):
    """An sRGB-encoded colour with straight alpha, every channel a float in [0, 1]."""

    r: float
    g: float
    b: float
    a: float = 1.0

    @classmethod
    def hex(cls, code: str) -> Rgba:
        """Parse ``"#RRGGBB"`` or ``"#RRGGBBAA"`` (the ``#`` is optional)."""
        match = _HEX.fullmatch(code.strip()) if isinstance(code, str) else None
        if match is None:
            raise TimelineError(
                f"colour must be a hex code '#RRGGBB' or '#RRGGBBAA', got {code!r}"
            )
        digits = match.group(1)
        channels = [int(digits[i : i + 2], 16) / 255.0 for i in range(0, len(digits), 2)]
        return cls(*channels)

    def with_alpha(self, alpha: float) -> Rgba:
        """The same colour with alpha replaced."""
        return self._replace(a=float(alpha))

    def to_hex(self) -> str:
        """``"#RRGGBBAA"`` with each channel clamped and rounded to 8 bits."""
        return "#" + "".join(f"{round(min(1.0, max(0.0, c)) * 255):02X}" for c in self)


# Where the sRGB curve switches from its straight segment to the power law: the
# point where the two branches actually meet. The standard rounds it to 0.04045
# (and 0.0031308 linear), leaving a ~1e-8 step between the branches that breaks
# round trips near the knee.
_ENCODED_KNEE = 0.04044823627710709
_LINEAR_KNEE = _ENCODED_KNEE / 12.92


def _decode(channel: float) -> float:
    """sRGB transfer curve -> linear light."""
    if channel <= _ENCODED_KNEE:
        return channel / 12.92
    return ((channel + 0.055) / 1.055) ** 2.4


def _encode(channel: float) -> float:
    """Linear light -> sRGB transfer curve, clamped to the displayable range."""
    channel = min(1.0, max(0.0, channel))
    if channel <= _LINEAR_KNEE:
        return channel * 12.92
    return 1.055 * channel ** (1.0 / 2.4) - 0.055


# Linear sRGB -> cone responses, and cube-rooted cones -> (L, a, b), as published.
_RGB_TO_LMS = np.array(
    [
        [0.4122214708, 0.5363325363, 0.0514459929],
        [0.2119034982, 0.6806995451, 0.1073969566],
        [0.0883024619, 0.2817188376, 0.6299787005],
    ]
)
_LMS_TO_LAB = np.array(
    [
        [0.2104542553, 0.7936177850, -0.0040720468],
        [1.9779984951, -2.4285922050, 0.4505937099],
        [0.0259040371, 0.7827717662, -0.8086757660],
    ]
)
# The published inverses are rounded to 10 digits and leave ~1e-6 of round-trip error;
# inverting in double precision makes there-and-back exact to ~1e-15.
_LMS_TO_RGB = np.linalg.inv(_RGB_TO_LMS).tolist()
_LAB_TO_LMS = np.linalg.inv(_LMS_TO_LAB).tolist()
_RGB_TO_LMS = _RGB_TO_LMS.tolist()
_LMS_TO_LAB = _LMS_TO_LAB.tolist()


def _apply(matrix: list[list[float]], vector: tuple[float, float, float]) -> list[float]:
    """A 3x3 matrix times a 3-vector, in plain floats (faster than numpy at this size)."""
    return [row[0] * vector[0] + row[1] * vector[1] + row[2] * vector[2] for row in matrix]


def srgb_to_oklab(colour: Rgba) -> tuple[float, float, float]:
    """The (L, a, b) OKLab coordinates of a colour's RGB part."""
    return _oklab_of(float(colour[0]), float(colour[1]), float(colour[2]))


@lru_cache(maxsize=4096)  # tweens mix the same few end colours on every frame
def _oklab_of(red: float, green: float, blue: float) -> tuple[float, float, float]:
    linear = (_decode(red), _decode(green), _decode(blue))
    cones = [math.cbrt(response) for response in _apply(_RGB_TO_LMS, linear)]
    lightness, a, b = _apply(_LMS_TO_LAB, cones)
    return lightness, a, b


def oklab_to_srgb(lightness: float, a: float, b: float, alpha: float = 1.0) -> Rgba:
    """An OKLab point back to sRGB, channels clamped into gamut."""
    cones = [root**3 for root in _apply(_LAB_TO_LMS, (lightness, a, b))]
    red, green, blue = (_encode(channel) for channel in _apply(_LMS_TO_RGB, cones))
    return Rgba(red, green, blue, min(1.0, max(0.0, alpha)))


def mix_oklab(c0: Rgba, c1: Rgba, t: float) -> Rgba:
    """Colour ``t`` of the way from ``c0`` to ``c1`` through OKLab; alpha mixes linearly.

    ``t`` may leave [0, 1] (overshooting easings); the result is clamped into gamut.
    At exactly 0 and 1 the inputs come back unchanged, free of round-trip error.
    """
    if t == 0.0:
        return Rgba(*c0)
    if t == 1.0:
        return Rgba(*c1)
    lab0, lab1 = srgb_to_oklab(c0), srgb_to_oklab(c1)
    mixed = (p + (q - p) * t for p, q in zip(lab0, lab1, strict=True))
    return oklab_to_srgb(*mixed, alpha=c0.a + (c1.a - c0.a) * t)
