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
from typing import NamedTuple

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


def _decode(channel: float) -> float:
    """sRGB transfer curve -> linear light."""
    if channel <= 0.04045:
        return channel / 12.92
    return ((channel + 0.055) / 1.055) ** 2.4


def _encode(channel: float) -> float:
    """Linear light -> sRGB transfer curve, clamped to the displayable range."""
    channel = min(1.0, max(0.0, channel))
    if channel <= 0.0031308:
        return channel * 12.92
    return 1.055 * channel ** (1.0 / 2.4) - 0.055


def srgb_to_oklab(colour: Rgba) -> tuple[float, float, float]:
    """The (L, a, b) OKLab coordinates of a colour's RGB part."""
    r, g, b = (_decode(c) for c in colour[:3])
    long_cone = math.cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b)
    mid_cone = math.cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b)
    short_cone = math.cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b)
    return (
        0.2104542553 * long_cone + 0.7936177850 * mid_cone - 0.0040720468 * short_cone,
        1.9779984951 * long_cone - 2.4285922050 * mid_cone + 0.4505937099 * short_cone,
        0.0259040371 * long_cone + 0.7827717662 * mid_cone - 0.8086757660 * short_cone,
    )


def oklab_to_srgb(lightness: float, a: float, b: float, alpha: float = 1.0) -> Rgba:
    """An OKLab point back to sRGB, channels clamped into gamut."""
    long_cone = (lightness + 0.3963377774 * a + 0.2158037573 * b) ** 3
    mid_cone = (lightness - 0.1055613458 * a - 0.0638541728 * b) ** 3
    short_cone = (lightness - 0.0894841775 * a - 1.2914855480 * b) ** 3
    return Rgba(
        _encode(4.0767416621 * long_cone - 3.3077115913 * mid_cone + 0.2309699292 * short_cone),
        _encode(-1.2684380046 * long_cone + 2.6097574011 * mid_cone - 0.3413193965 * short_cone),
        _encode(-0.0041960863 * long_cone - 0.7034186147 * mid_cone + 1.7076147010 * short_cone),
        min(1.0, max(0.0, alpha)),
    )


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
