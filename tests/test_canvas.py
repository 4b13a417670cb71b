"""The canvas writes exact RGBA bytes, whatever the platform's native order."""

import numpy as np
import skia

from insideweights.renderer.canvas import Canvas


def _fill(canvas: Canvas, x: int, color: skia.Color4f) -> None:
    paint = skia.Paint(Color4f=color)
    canvas.skia.drawRect(skia.Rect.MakeXYWH(x, 0, 1, 1), paint)


def test_primary_colours_and_translucent_white_have_exact_bytes():
    canvas = Canvas(4, 1)
    canvas.clear((0.0, 0.0, 0.0, 1.0))
    _fill(canvas, 0, skia.Color4f(1, 0, 0, 1))
    _fill(canvas, 1, skia.Color4f(0, 1, 0, 1))
    _fill(canvas, 2, skia.Color4f(0, 0, 1, 1))
    _fill(canvas, 3, skia.Color4f(1, 1, 1, 0.5))

    expected = np.array(
        [[[255, 0, 0, 255], [0, 255, 0, 255], [0, 0, 255, 255], [128, 128, 128, 255]]],
        dtype=np.uint8,
    )
    np.testing.assert_array_equal(canvas.pixels, expected)


def test_buffer_is_reused_between_frames():
    canvas = Canvas(8, 8)
    before = canvas.pixels.ctypes.data
    canvas.clear((1.0, 0.0, 0.0, 1.0))
    canvas.clear((0.0, 1.0, 0.0, 1.0))
    assert canvas.pixels.ctypes.data == before
    assert tuple(canvas.pixels[3, 3]) == (0, 255, 0, 255)


def test_a_trim_just_below_one_draws_the_whole_dashed_stroke():
    from insideweights.display import Line, Style
    from insideweights.renderer.shapes import shape_path, stroke_paint
    from insideweights.timeline import Rgba

    white = Rgba(1.0, 1.0, 1.0)
    style = Style(stroke=white, width=2.0, dash=(4.0, 2.0), trim=1.0 - 1e-9)
    canvas = Canvas(40, 8)
    canvas.clear()
    canvas.skia.drawPath(shape_path(Line(0, 4, 40, 4, style)), stroke_paint(style, white, 1.0))
    assert canvas.pixels[4, :, 0].max() == 255
