"""The caption strip: one readable label at a time, even while a wipe hands it over."""

from __future__ import annotations

import numpy as np

from insideweights.renderer.canvas import Canvas
from insideweights.renderer.footer import FooterPainter

WIDTH, HEIGHT, STRIP = 480, 270, 40


def strip_text_rows(mix: float | None) -> tuple[np.ndarray, np.ndarray]:
    """(rows of the strip that hold text, the picture above) after painting."""
    canvas = Canvas(WIDTH, HEIGHT)
    canvas.pixels[..., :3] = 77
    canvas.pixels[..., 3] = 255
    footer = FooterPainter(WIDTH, HEIGHT, STRIP)
    if mix is None:
        footer.draw(canvas.skia, canvas.pixels, "1 · Where Intelligence Lives", None, 0.0)
    else:
        footer.draw(canvas.skia, canvas.pixels, "1 · Old", "2 · New", mix)
    strip = canvas.pixels[HEIGHT - STRIP + 2 :, :, :3].astype(int)
    background = np.median(strip.reshape(-1, 3), axis=0)
    inked = np.abs(strip - background).sum(axis=2) > 30
    return np.flatnonzero(inked.any(axis=1)), canvas.pixels[: HEIGHT - STRIP]


def test_a_wipe_never_shows_two_labels_at_once():
    settled, _ = strip_text_rows(None)
    assert settled.size > 5
    for mix in np.linspace(0.02, 0.98, 25):
        rows, _ = strip_text_rows(mix)
        assert rows.size <= settled.size + 1, mix  # never two labels stacked
    assert strip_text_rows(0.5)[0].size == 0  # the hand-over point itself
    for mix in (0.1, 0.9):
        rows, _ = strip_text_rows(mix)
        assert rows.size > 0.5 * settled.size, mix  # a readable one at each end


def test_the_hand_over_stays_inside_the_strip():
    for mix in (0.05, 0.3, 0.7, 0.95):
        _, picture = strip_text_rows(mix)
        assert (picture[..., :3] == 77).all(), mix


def test_a_picture_too_small_for_a_legible_strip_renders_without_one():
    from fractions import Fraction

    from insideweights.compose import FrameProducer

    for width, height in ((16, 16), (24, 24), (100, 16)):
        producer = FrameProducer(Fraction(12), width, height)
        assert not producer.captions
        assert producer.frame(600).shape == (height, width, 4)
    assert FrameProducer(Fraction(12), 160, 90).captions
