"""The drawing shortcuts give the pictures of the plain way of drawing."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import skia

from insideweights import display as dl
from insideweights import theme
from insideweights.compose import FrameProducer, Stopwatch
from insideweights.renderer.canvas import Canvas
from insideweights.renderer.draw import ItemPainter, PictureCache, RasterCache
from insideweights.renderer.shapes import color4f
from insideweights.timeline.color import Rgba

BACKDROP = (0.05, 0.06, 0.1, 1.0)


def _painted(items, size=(96, 96), matrix=None, pictures=None, rasters=None) -> np.ndarray:
    canvas = Canvas(*size)
    canvas.clear(BACKDROP)
    ItemPainter(canvas, pictures=pictures, rasters=rasters).draw(items, matrix or skia.Matrix())
    return canvas.pixels.astype(np.int16)


def _cells_one_by_one(item: dl.Heatmap, matrix: skia.Matrix, size=(96, 96)) -> np.ndarray:
    """The reference: every cell its own antialiased rectangle path."""
    canvas = Canvas(*size)
    canvas.clear(BACKDROP)
    sk = canvas.skia
    sk.setMatrix(matrix)
    rows, cols = item.values.shape
    cell_w, cell_h = item.w / cols, item.h / rows
    low, high = np.array(item.low), np.array(item.high)
    for r in range(rows):
        for c in range(cols):
            rgba = low + (high - low) * item.values[r, c]
            paint = skia.Paint(AntiAlias=True, Color4f=color4f(Rgba(*rgba), item.opacity))
            rect = skia.Rect.MakeXYWH(
                item.x + c * cell_w + item.gap / 2,
                item.y + r * cell_h + item.gap / 2,
                cell_w - item.gap,
                cell_h - item.gap,
            )
            sk.drawPath(skia.Path().addRect(rect), paint)
    return canvas.pixels.astype(np.int16)


def test_heatmap_with_clear_gaps_matches_cells_drawn_one_by_one():
    values = np.random.default_rng(3).random((5, 7))
    item = dl.Heatmap(8.3, 10.6, 70.0, 50.0, values, theme.PANEL, theme.CYAN, gap=2.0)
    matrix = skia.Matrix.Scale(1.05, 1.05)
    difference = np.abs(_painted((item,), matrix=matrix) - _cells_one_by_one(item, matrix))
    # Inside the cells and in the gaps: the same bytes. On the antialiased rim a lone
    # rectangle gets Skia's exact rect coverage, a path of many rectangles its
    # supersampled coverage (quarter-pixel steps vertically): close, not equal.
    rim = np.zeros(difference.shape[:2], bool)
    rows, cols = values.shape
    for r in range(rows + 1):
        for edge in (item.y + r * item.h / rows - 1.0, item.y + r * item.h / rows + 1.0):
            rim[max(0, int(edge * 1.05) - 1) : int(edge * 1.05) + 2, :] = True
    for c in range(cols + 1):
        for edge in (item.x + c * item.w / cols - 1.0, item.x + c * item.w / cols + 1.0):
            rim[:, max(0, int(edge * 1.05) - 1) : int(edge * 1.05) + 2] = True
    assert difference[~rim].max() == 0
    assert difference.max() <= 40 and difference.mean() < 0.5


def test_heatmap_cells_narrower_than_a_pixel_gap_still_match_closely():
    values = np.random.default_rng(4).random((6, 6))
    item = dl.Heatmap(20.4, 20.2, 13.0, 13.0, values, theme.BACKGROUND, theme.CYAN, gap=0.6)
    matrix = skia.Matrix.Scale(2.0, 2.0)
    ours, reference = _painted((item,), matrix=matrix), _cells_one_by_one(item, matrix)
    difference = np.abs(ours - reference)
    # Straddled pixels differ only by the order the two cells are blended in.
    assert difference.mean() < 0.5
    assert np.percentile(difference, 99.5) <= 8


def test_heatmap_shows_each_cells_own_colour_inside_it():
    values = np.array([[0.0, 1.0], [1.0, 0.0]])
    item = dl.Heatmap(0.0, 0.0, 80.0, 80.0, values, Rgba(1, 0, 0), Rgba(0, 0, 1), gap=4.0)
    pixels = _painted((item,))
    assert tuple(pixels[20, 20, :3]) == (255, 0, 0)
    assert tuple(pixels[20, 60, :3]) == (0, 0, 255)
    assert tuple(pixels[60, 20, :3]) == (0, 0, 255)
    assert tuple(pixels[60, 60, :3]) == (255, 0, 0)


def test_a_cached_group_replays_exactly_what_it_draws_directly():
    style = dl.Style(fill=theme.PANEL, stroke=theme.BLUE, width=2.0)
    children = (
        dl.Rect(10, 12, 40, 30, style, radius=4),
        dl.Circle(60, 50, 14, dl.Style(stroke=theme.CYAN, width=3.0, trim=0.7)),
        dl.Text("Wx", 20, 80, 18, theme.TEXT),
    )
    plain = dl.Group(children, translate=(3.5, 1.25), scale=0.9, origin=(40, 40))
    cached = dl.Group(children, translate=(3.5, 1.25), scale=0.9, origin=(40, 40), cache_key="k")
    pictures = PictureCache()
    matrix = skia.Matrix.Scale(1.1, 1.1)
    expected = _painted((plain,), matrix=matrix)
    first = _painted((cached,), matrix=matrix, pictures=pictures)
    assert len(pictures) == 1
    again = _painted((cached,), matrix=matrix, pictures=pictures)
    assert np.array_equal(first, expected)
    assert np.array_equal(again, expected)


def _panel_group(cache_key="panel", clip=None) -> dl.Group:
    style = dl.Style(fill=theme.PANEL, stroke=theme.BLUE, width=2.0)
    children = (
        dl.Rect(10, 12, 40, 30, style, radius=4),
        dl.Circle(60, 50, 14, dl.Style(stroke=theme.CYAN, width=3.0, opacity=0.6)),
        dl.Text("Wx", 20, 80, 18, theme.TEXT),
    )
    return dl.Group(children, translate=(3.5, 1.25), cache_key=cache_key, clip=clip)


def test_a_rasterised_group_looks_like_the_group_and_is_blitted_again_unchanged():
    """Through its raster a group is composited as one layer: within a few levels of
    drawing it directly, and the same bytes whether the raster is new or reused."""
    group = _panel_group()
    direct = _painted((group,), pictures=PictureCache())
    pictures, rasters = PictureCache(), RasterCache()
    first = _painted((group,), pictures=pictures, rasters=rasters)
    assert len(rasters) == 1
    again = _painted((group,), pictures=pictures, rasters=rasters)
    assert len(rasters) == 1  # reused, not made again
    assert np.array_equal(first, again)
    difference = np.abs(first - direct)[..., :3]
    assert difference.max() <= 4 and (difference > 0).mean() < 0.05
    assert not np.array_equal(first, _painted((), pictures=pictures))  # it drew something


def test_a_raster_is_made_per_device_matrix():
    group, pictures, rasters = _panel_group(), PictureCache(), RasterCache()
    shifted = _painted(
        (group,), matrix=skia.Matrix.Translate(7.25, 0), pictures=pictures, rasters=rasters
    )
    _painted((group,), pictures=pictures, rasters=rasters)
    assert len(rasters) == 2
    direct = _painted((group,), matrix=skia.Matrix.Translate(7.25, 0), pictures=PictureCache())
    assert np.abs(shifted - direct)[..., :3].max() <= 4


def test_a_rasterised_group_keeps_its_clip():
    clipped = _panel_group(clip=(0, 0, 30, 96))
    pixels = _painted((clipped,), pictures=PictureCache(), rasters=RasterCache())
    backdrop = _painted(())
    assert np.array_equal(pixels[:, 36:], backdrop[:, 36:])  # right of the clip: untouched
    assert not np.array_equal(pixels[:, :30], backdrop[:, :30])


def test_the_raster_cache_keeps_to_its_byte_budget():
    pictures, rasters = PictureCache(), RasterCache(budget=3 * 96 * 96 * 4)
    for step in range(6):
        matrix = skia.Matrix.Translate(float(step), 0.0)
        _painted((_panel_group(),), matrix=matrix, pictures=pictures, rasters=rasters)
    assert rasters.spent <= rasters.budget
    assert 1 <= len(rasters) < 6


def test_a_cached_group_with_particles_is_drawn_directly():
    particles = dl.Particles(np.array([[10.0, 10.0]]), 2.0, theme.CYAN)
    group = dl.Group((particles,), cache_key="sparks")
    canvas = Canvas(32, 32)
    painter = ItemPainter(canvas, pictures=PictureCache())
    painter.draw((group,), skia.Matrix())
    assert len(painter.particles) == 1  # still handed to the splatter


def test_frames_come_from_alternating_buffers_and_do_not_depend_on_order():
    fps = Fraction(12)
    double = FrameProducer(fps, 160, 90, buffers=2)
    first = double.frame(300)
    second = double.frame(301)
    assert first is not second and not np.shares_memory(first, second)
    alone = FrameProducer(fps, 160, 90).frame(301)
    assert np.array_equal(second, alone)
    assert np.array_equal(first, FrameProducer(fps, 160, 90).frame(300))


def test_the_copied_caption_strip_equals_a_freshly_painted_one():
    fps = Fraction(12)
    producer = FrameProducer(fps, 320, 180)
    producer.frame(40)
    reused = producer.frame(41).copy()  # same caption: the strip is copied in
    fresh = FrameProducer(fps, 320, 180).frame(41)
    assert np.array_equal(reused, fresh)


def test_stopwatch_charges_every_stage():
    clock = Stopwatch()
    producer = FrameProducer(Fraction(12), 160, 90, stopwatch=clock)
    producer.frame(170)  # inside the first wipe: two scenes, a wipe and the footer
    assert clock.frames == 1
    for stage in ("timeline", "draw", "effects"):
        assert clock.wall[stage] > 0.0, stage
