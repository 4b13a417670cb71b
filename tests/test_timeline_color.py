"""Colour: hex parsing, alpha, and perceptual OKLab mixing."""

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from insideweights.timeline import Rgba, TimelineError, mix_oklab, oklab_to_srgb, srgb_to_oklab

channel = st.floats(0.0, 1.0)
colours = st.builds(Rgba, channel, channel, channel, channel)


def test_hex_parses_rgb_and_rgba():
    assert Rgba.hex("#22E5FF") == Rgba(0x22 / 255, 0xE5 / 255, 1.0, 1.0)
    assert Rgba.hex("#22E5FF80") == Rgba(0x22 / 255, 0xE5 / 255, 1.0, 128 / 255)
    assert Rgba.hex("ff8a1f") == Rgba.hex("#FF8A1F")
    assert Rgba.hex("#0A0E17").to_hex() == "#0A0E17FF"


@pytest.mark.parametrize("bad", ["#22E5F", "#GGGGGG", "22E5FF0", "", 0x22E5FF])
def test_bad_hex_is_named(bad):
    with pytest.raises(TimelineError, match="colour must be a hex code"):
        Rgba.hex(bad)


def test_with_alpha_keeps_the_colour():
    orange = Rgba.hex("#FF8A1F")
    faded = orange.with_alpha(0.25)
    assert faded[:3] == orange[:3] and faded.a == 0.25


def test_known_oklab_coordinates():
    # Reference values published with the OKLab definition.
    assert srgb_to_oklab(Rgba(1.0, 1.0, 1.0)) == pytest.approx((1.0, 0.0, 0.0), abs=1e-4)
    assert srgb_to_oklab(Rgba(1.0, 0.0, 0.0)) == pytest.approx(
        (0.62796, 0.22486, 0.12585), abs=1e-4
    )


def test_oklab_midpoint_differs_from_srgb_byte_midpoint():
    blue, orange = Rgba.hex("#3D7BFF"), Rgba.hex("#FF8A1F")
    oklab_middle = mix_oklab(blue, orange, 0.5)
    byte_middle = [round((a * 255 + b * 255) / 2) for a, b in zip(blue, orange, strict=True)]
    oklab_bytes = [round(c * 255) for c in oklab_middle]
    assert max(abs(a - b) for a, b in zip(oklab_bytes, byte_middle, strict=True)) >= 10
    # Black to white: perceptual middle grey is darker than the encoded-value average.
    grey = mix_oklab(Rgba(0.0, 0.0, 0.0), Rgba(1.0, 1.0, 1.0), 0.5)
    assert grey.r == pytest.approx(grey.g) == pytest.approx(grey.b)
    assert 0.35 < grey.r < 0.45


@given(colours, colours)
def test_mix_returns_the_ends_exactly(c0, c1):
    assert mix_oklab(c0, c1, 0.0) == c0
    assert mix_oklab(c0, c1, 1.0) == c1


@given(colours, colours, st.floats(0.0, 1.0))
def test_alpha_mixes_linearly_and_channels_stay_in_gamut(c0, c1, t):
    mixed = mix_oklab(c0, c1, t)
    assert mixed.a == pytest.approx(c0.a + (c1.a - c0.a) * t)
    assert all(0.0 <= c <= 1.0 for c in mixed)


def test_overshooting_mix_is_clamped_into_gamut():
    mixed = mix_oklab(Rgba.hex("#3D7BFF"), Rgba.hex("#FF8A1F"), 1.4)
    assert all(0.0 <= c <= 1.0 for c in mixed)


@given(colours)
@example(Rgba(0.0, 0.0, 0.04045))  # near the knee of the sRGB curve
@example(Rgba(0.0, 0.5, 0.04045))
@example(Rgba(0.0, 0.5, 0.04044823627710709))
def test_oklab_round_trip(colour):
    back = oklab_to_srgb(*srgb_to_oklab(colour), alpha=colour.a)
    assert back == pytest.approx(colour, abs=1e-9)
