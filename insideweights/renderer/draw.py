"""Draws a display list onto a canvas, and its glowing parts onto an emission layer.

The emission layer is a half-resolution canvas that feeds the bloom: shapes
with ``glow > 0`` are drawn there too, so they bleed light, while everything
else blooms only where it is bright enough to pass the threshold.

Per-element Python is kept small: paints are shared between items with the same
look, a heat map is one draw call (its cells are one path filled through a
nearest-sampled image of the values), and a ``Group`` with a ``cache_key`` is
recorded once as a Skia picture. Where a ``RasterCache`` is given, the
recording is also rasterised once per device matrix into a premultiplied image
that later frames blit in one call: a settled diagram of hundreds of items
costs one image draw instead of hundreds of anti-aliased paths.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from functools import lru_cache

import numpy as np
import skia

from insideweights import display as dl
from insideweights.renderer import equations, text
from insideweights.renderer.canvas import ALPHA_TYPE, COLOR_TYPE, Canvas
from insideweights.renderer.shapes import (
    arrow_head,
    fill_paint,
    shape_path,
    stroke_paint,
)

SHAPES = (dl.Rect, dl.Circle, dl.Line, dl.Arrow, dl.Polyline, dl.Path)
# Recordings cover everything: the group is clipped by the canvas, not by the picture.
_UNBOUNDED = skia.Rect.MakeLTRB(-1e6, -1e6, 1e6, 1e6)
# Texels per cell side in the heat-map colour images (see ``_texel_sources``).
TEXELS = 4
_CELL_SAMPLING = skia.SamplingOptions(skia.FilterMode.kNearest, skia.MipmapMode.kLinear)
_PAINT_CACHE_SIZE = 512
_CELL_PATH_CACHE_SIZE = 64
_SHADER_CACHE_SIZE = 512


class _LeastRecentlyUsed:
    """A dict that drops its least recently used entries once their cost passes ``budget``
    (the newest entry always stays). ``cost`` prices one value; ``spent`` is the total."""

    def __init__(self, budget: int, cost) -> None:
        self.budget = budget
        self.spent = 0
        self._cost = cost
        self._entries: OrderedDict[tuple, object] = OrderedDict()

    def get(self, key: tuple):
        """The value for ``key``; raises KeyError when there is none yet."""
        value = self._entries[key]
        self._entries.move_to_end(key)
        return value

    def put(self, key: tuple, value) -> None:
        self._entries[key] = value
        self.spent += self._cost(value)
        while self.spent > self.budget and len(self._entries) > 1:
            _, dropped = self._entries.popitem(last=False)
            self.spent -= self._cost(dropped)

    def __len__(self) -> int:
        return len(self._entries)


class PictureCache(_LeastRecentlyUsed):
    """Recorded ``Group(cache_key=...)`` children, per pass, up to ``size`` of them.

    A key maps to a ``skia.Picture`` of the children drawn in the group's own
    coordinates, or to None when the children cannot be recorded (particles are
    splatted after drawing, outside Skia).
    """

    def __init__(self, size: int = 64) -> None:
        super().__init__(size, lambda picture: 1)


class RasterCache(_LeastRecentlyUsed):
    """Recorded groups rasterised at one device matrix, up to ``budget`` bytes of images.

    A key maps to (image, left, top): the group drawn into a transparent
    premultiplied image covering its device bounds, to be blitted at (left,
    top); or to None when nothing of it lands on the canvas.
    """

    def __init__(self, budget: int = 32 << 20) -> None:
        super().__init__(budget, _raster_bytes)


def _raster_bytes(raster: tuple | None) -> int:
    return 0 if raster is None else 4 * raster[0].width() * raster[0].height()


def _rasterise(picture: skia.Picture, matrix: skia.Matrix, size: skia.ISize) -> tuple | None:
    """``picture`` drawn under ``matrix`` into an image of its device bounds on a canvas
    of ``size``: (image, left, top), or None when it lands outside."""
    bounds = matrix.mapRect(picture.cullRect())
    left, top = max(math.floor(bounds.left()), 0), max(math.floor(bounds.top()), 0)
    right = min(math.ceil(bounds.right()), size.width())
    bottom = min(math.ceil(bounds.bottom()), size.height())
    if right <= left or bottom <= top:
        return None
    info = skia.ImageInfo.Make(right - left, bottom - top, COLOR_TYPE, ALPHA_TYPE)
    surface = skia.Surface.MakeRaster(info)
    canvas = surface.getCanvas()
    canvas.clear(skia.Color4f(0.0, 0.0, 0.0, 0.0))
    canvas.translate(-left, -top)
    canvas.concat(matrix)
    canvas.drawPicture(picture)
    return surface.makeImageSnapshot(), left, top


class ItemPainter:
    """Paints display-list items on one canvas, optionally only their glowing parts.

    ``emission_only`` turns the painter into the glow pass: only items with
    ``glow > 0`` are drawn, with alpha scaled by their glow strength.
    """

    def __init__(
        self,
        canvas: Canvas | None,
        emission_only: bool = False,
        pictures: PictureCache | None = None,
        *,
        sk: skia.Canvas | None = None,
        rasters: RasterCache | None = None,
    ) -> None:
        self.canvas = canvas
        self.sk = sk if sk is not None else canvas.skia
        self.emission_only = emission_only
        self.pictures = pictures
        self.rasters = rasters
        self.particles: list[tuple[dl.Particles, np.ndarray]] = []

    def draw(self, items, matrix: skia.Matrix, opacity: float = 1.0) -> None:
        self.sk.save()
        self.sk.setMatrix(matrix)
        self._draw_items(items, opacity)
        self.sk.restore()

    def _draw_items(self, items, opacity: float) -> None:
        for item in items:
            kind = type(item)
            if kind is dl.Group:
                self._draw_group(item, opacity)
            elif kind in SHAPES:
                self._draw_shape(item, opacity)
            elif kind is dl.Text:
                self._draw_text(item, opacity)
            elif kind is dl.Equation:
                self._draw_equation(item, opacity)
            elif kind is dl.Heatmap:
                self._draw_heatmap(item, opacity)
            elif kind is dl.Particles:
                self.particles.append((item, self._current_matrix_array()))
            else:
                raise TypeError(f"display list item of unknown type {kind.__name__}")

    def _draw_group(self, group: dl.Group, opacity: float) -> None:
        combined = opacity * group.opacity
        if combined <= 0.0:
            return
        self.sk.save()
        self.sk.translate(group.translate[0], group.translate[1])
        if group.rotate or group.scale != 1.0:
            ox, oy = group.origin
            self.sk.translate(ox, oy)
            if group.rotate:
                self.sk.rotate(group.rotate)
            if group.scale != 1.0:
                self.sk.scale(group.scale, group.scale)
            self.sk.translate(-ox, -oy)
        if group.clip is not None:
            self.sk.clipRect(skia.Rect.MakeXYWH(*group.clip), doAntiAlias=True)
        picture = self._recorded(group, combined)
        if picture is None:
            self._draw_items(group.items, combined)
        elif self.rasters is None or combined < 1.0:
            # A fading group changes every frame: a raster per opacity would be made,
            # used once and thrown away. (Decided by this frame's opacity alone.)
            self.sk.drawPicture(picture)
        else:
            self._blit(group, combined, picture)
        self.sk.restore()

    def _blit(self, group: dl.Group, opacity: float, picture: skia.Picture) -> None:
        """Draw a recorded group through its raster at the current device matrix.

        Always through the raster, made now or on an earlier frame, so a frame's
        pixels do not depend on which frames came before it.
        """
        matrix = self.sk.getTotalMatrix()
        key = (group.cache_key, self.emission_only, opacity, tuple(matrix.get9()))
        try:
            raster = self.rasters.get(key)
        except KeyError:
            raster = _rasterise(picture, matrix, self.sk.getBaseLayerSize())
            self.rasters.put(key, raster)
        if raster is not None:
            image, left, top = raster
            self.sk.save()
            self.sk.resetMatrix()  # the clip stays: it lives in device space
            self.sk.drawImage(image, left, top)
            self.sk.restore()

    def _recorded(self, group: dl.Group, opacity: float) -> skia.Picture | None:
        """The group's children as a recording, or None to draw them item by item.

        Opacity is baked into the drawing commands, so the key includes it: a
        group fading in is drawn directly, a settled one replays its recording.
        """
        if group.cache_key is None or self.pictures is None:
            return None
        key = (group.cache_key, self.emission_only, opacity)
        try:
            return self.pictures.get(key)
        except KeyError:
            pass
        picture = None
        if not any(type(item) is dl.Particles for item in dl.walk(group.items)):
            recorder = skia.PictureRecorder()
            # The R-tree gives the picture tight bounds, which size its rasters.
            sk = recorder.beginRecording(_UNBOUNDED, skia.RTreeFactory()())
            recording = ItemPainter(None, self.emission_only, self.pictures, sk=sk)
            recording._draw_items(group.items, opacity)
            picture = recorder.finishRecordingAsPicture()
        self.pictures.put(key, picture)
        return picture

    def _pass_alpha(self, glow: float, alpha: float) -> float | None:
        """The item's alpha in this pass, or None when the pass draws nothing of it.

        The glow pass draws only glowing items, with their alpha scaled by the glow.
        """
        if self.emission_only:
            if glow <= 0:
                return None
            alpha *= min(glow, 2.0)
        return alpha if alpha > 0.0 else None

    def _draw_shape(self, item, opacity: float) -> None:
        style: dl.Style = item.style
        alpha = self._pass_alpha(style.glow, opacity * style.opacity)
        if alpha is None:
            return
        path = shape_path(item)
        # The glow pass fills only shapes without an outline: a stroked box glows
        # along its edge, not across its whole face.
        if style.fill is not None and (not self.emission_only or style.stroke is None):
            self.sk.drawPath(path, _fill(style.fill, alpha))
        if style.stroke is not None:
            width_scale = 1.6 if self.emission_only else 1.0
            self.sk.drawPath(path, _stroke(style, alpha, width_scale))
            if type(item) is dl.Arrow and style.trim >= 1.0:
                self.sk.drawPath(arrow_head(item), _fill(style.stroke, alpha))

    def _draw_text(self, item: dl.Text, opacity: float) -> None:
        alpha = self._pass_alpha(item.glow, opacity * item.opacity)
        if alpha is None:
            return
        run = text.layout_text(item.text, item.role, item.size)
        text.draw_text(self.sk, run, item.x, item.y, _fill(item.color, alpha), item.align)

    def _draw_equation(self, item: dl.Equation, opacity: float) -> None:
        alpha = opacity * item.opacity
        if alpha <= 0.0:
            return
        shape = equations.compile_equation(item.source)
        if item.outline is not None:
            self._draw_equation_outline(item, shape, alpha)
        fill_alpha = self._pass_alpha(item.glow, alpha)
        if fill_alpha is None:
            return
        paint = _fill(item.color, fill_alpha)
        equations.draw_equation(
            self.sk, shape, item.x, item.y, item.height, paint, item.reveal, item.align, "middle"
        )

    def _draw_equation_outline(self, item: dl.Equation, shape, alpha: float) -> None:
        """A rounded frame around the equation that draws itself on with the reveal."""
        alpha = self._pass_alpha(item.outline_glow, alpha)
        if alpha is None:
            return
        placed = equations.placement(shape, item.x, item.y, item.height, item.align, "middle")
        left, top, right, bottom = shape.bounds
        box = placed.mapRect(skia.Rect.MakeLTRB(left, top, right, bottom))
        pad = item.height * 0.35
        box = skia.Rect.MakeLTRB(
            box.left() - pad, box.top() - pad, box.right() + pad, box.bottom() + pad
        )
        outline = dl.Style(
            stroke=item.outline,
            width=item.height * (0.05 if self.emission_only else 0.03),
            trim=item.reveal,
        )
        radius = item.height * 0.3
        path = skia.Path().addRRect(skia.RRect.MakeRectXY(box, radius, radius))
        self.sk.drawPath(path, stroke_paint(outline, item.outline, alpha))

    def _draw_heatmap(self, item: dl.Heatmap, opacity: float) -> None:
        """All cells in two draws, one per checkerboard colour, instead of one per cell.

        Each draw fills a path of every other cell rectangle (so no two cells in
        one path share an edge) through an image of the cell colours sampled
        with nearest filtering, ``TEXELS`` texels per cell side. Where a pixel
        straddles two neighbouring cells, both paths cover it, each with its own
        cell's colour, just as drawing the cells one by one would: texels of the
        other colour's cells hold the colour of the nearest neighbour across
        the nearest edge. Mipmaps average cells smaller than a pixel.
        """
        alpha = self._pass_alpha(item.glow, opacity * item.opacity)
        if alpha is None:
            return
        rows, cols = item.values.shape
        if rows == 0 or cols == 0:
            return
        cell_w, cell_h = item.w / cols, item.h / rows
        if cell_w - item.gap <= 0.0 or cell_h - item.gap <= 0.0:
            return
        shaders = _cell_shaders(item)
        gap_x, gap_y = item.gap / cell_w, item.gap / cell_h
        self.sk.save()
        self.sk.translate(item.x, item.y)
        self.sk.scale(cell_w / TEXELS, cell_h / TEXELS)
        for parity, shader in enumerate(shaders):
            path = _cell_path(rows, cols, parity, gap_x, gap_y)
            if path.isEmpty():
                continue
            # Paint(Shader=...): skia-python's setShader costs ~0.2 ms per call.
            paint = skia.Paint(AntiAlias=True, Shader=shader)
            paint.setAlphaf(max(0.0, min(1.0, alpha)))
            self.sk.drawPath(path, paint)
        self.sk.restore()

    def _current_matrix_array(self) -> np.ndarray:
        m = self.sk.getTotalMatrix()
        return np.array([[m.get(i * 3 + j) for j in range(3)] for i in range(3)])


_shaders: OrderedDict[tuple, tuple] = OrderedDict()


def _cell_shaders(item: dl.Heatmap) -> tuple:
    """The two checkerboard colour images as shaders, cached by the cells' content.

    Phases rebuild their value arrays every frame, but the values often stay
    the same (patterns, settled grids), so the key is the bytes, not the object.
    """
    values = np.ascontiguousarray(item.values, dtype=np.float32)
    key = (values.shape, values.tobytes(), item.low, item.high)
    shaders = _shaders.get(key)
    if shaders is not None:
        _shaders.move_to_end(key)
        return shaders
    colours = _cell_colours(item)
    rows, cols = values.shape
    images = []
    for parity in (0, 1):
        source_rows, source_cols = _texel_sources(rows, cols, parity)
        image = skia.Image.fromarray(
            np.ascontiguousarray(colours[source_rows, source_cols]),
            colorType=skia.ColorType.kRGBA_F32_ColorType,
            alphaType=skia.AlphaType.kUnpremul_AlphaType,
        )
        images.append(image.makeShader(samplingOptions=_CELL_SAMPLING))
    shaders = _shaders[key] = tuple(images)
    if len(_shaders) > _SHADER_CACHE_SIZE:
        _shaders.popitem(last=False)
    return shaders


def _cell_colours(item: dl.Heatmap) -> np.ndarray:
    """(rows, cols, 4) float32: ``low + (high - low) * value`` with straight alpha."""
    low = np.asarray(item.low[:4], dtype=np.float32)
    high = np.asarray(item.high[:4], dtype=np.float32)
    values = np.asarray(item.values, dtype=np.float32)[:, :, None]
    return np.clip(low + (high - low) * values, 0.0, 1.0)


@lru_cache(maxsize=64)
def _texel_sources(rows: int, cols: int, parity: int) -> tuple[np.ndarray, np.ndarray]:
    """Which cell's colour each texel of the ``parity`` image shows.

    Cells of that parity ((row + col) % 2) show their own colour; a texel of
    another cell shows the neighbour across the edge nearest to it (that
    neighbour has the right parity), so a pixel that straddles the edge and is
    covered by the neighbour's rectangle samples the neighbour's colour.
    """
    texel_rows, texel_cols = np.indices((rows * TEXELS, cols * TEXELS))
    row, col = texel_rows // TEXELS, texel_cols // TEXELS
    u = (texel_cols % TEXELS + 0.5) / TEXELS
    v = (texel_rows % TEXELS + 0.5) / TEXELS
    # Distance to the left, right, top and bottom edge; edges with no cell behind are out.
    distance = np.stack([u, 1.0 - u, v, 1.0 - v])
    distance[0][col == 0] = np.inf
    distance[1][col == cols - 1] = np.inf
    distance[2][row == 0] = np.inf
    distance[3][row == rows - 1] = np.inf
    nearest = np.argmin(distance, axis=0)
    step_row = np.array([0, 0, -1, 1])[nearest]
    step_col = np.array([-1, 1, 0, 0])[nearest]
    own = (row + col) % 2 == parity
    lonely = np.isinf(distance.min(axis=0))  # a 1 x 1 grid: nothing to borrow
    keep = own | lonely
    source_rows = np.where(keep, row, row + step_row).astype(np.intp)
    source_cols = np.where(keep, col, col + step_col).astype(np.intp)
    return source_rows, source_cols


_cell_paths: OrderedDict[tuple, skia.Path] = OrderedDict()


def _cell_path(rows: int, cols: int, parity: int, gap_x: float, gap_y: float) -> skia.Path:
    """Rectangles of the cells with (row + col) % 2 == parity, in texel units, cached.

    Cell (r, c) spans [c, c + 1) x [r, r + 1) cell units, less half the gap on
    every side (gaps are given as fractions of a cell).
    """
    key = (rows, cols, parity, gap_x, gap_y)
    path = _cell_paths.get(key)
    if path is None:
        path = skia.Path()
        for r in range(rows):
            for c in range(r % 2 ^ parity, cols, 2):
                path.addRect(
                    skia.Rect.MakeLTRB(
                        (c + gap_x / 2) * TEXELS,
                        (r + gap_y / 2) * TEXELS,
                        (c + 1 - gap_x / 2) * TEXELS,
                        (r + 1 - gap_y / 2) * TEXELS,
                    )
                )
        _cell_paths[key] = path
        if len(_cell_paths) > _CELL_PATH_CACHE_SIZE:
            _cell_paths.popitem(last=False)
    return path


_paints: dict[tuple, skia.Paint] = {}


def _remember(key: tuple, paint: skia.Paint) -> skia.Paint:
    """Keep a paint for reuse (paints are never modified once made)."""
    if len(_paints) >= _PAINT_CACHE_SIZE:
        _paints.clear()  # simple bound: looks change by phase, so a reset is cheap
    _paints[key] = paint
    return paint


def _fill(color, alpha: float) -> skia.Paint:
    key = ("fill", color, alpha)
    paint = _paints.get(key)
    return paint if paint is not None else _remember(key, fill_paint(color, alpha))


def _stroke(style: dl.Style, alpha: float, width_scale: float) -> skia.Paint:
    key = ("stroke", style, alpha, width_scale)
    paint = _paints.get(key)
    if paint is None:
        paint = _remember(key, stroke_paint(style, style.stroke, alpha, width_scale))
    return paint
