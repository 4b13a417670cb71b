"""Equations typeset by Typst and turned into Skia paths, drawn whole or written on.

``compile_equation`` hands a Typst math body to the ``typst`` package, reads the SVG
it produces with ``svgelements`` (which resolves Typst's per-glyph ``<use>``
references and their y-flipping transforms into plain outlines) and converts each
outline into a ``skia.Path``. Only the fonts embedded in Typst are used (system
fonts are switched off and the math font is named), so an equation looks the same
on every machine. Results are cached by source in memory and, since parsing the
SVG costs tens of milliseconds per equation, on disk too (see ``_disk_cache_path``):
a new process that jumps to a late frame loads the outlines instead of re-typesetting.

``draw_equation`` places a compiled shape by its ink height in pixels and can
animate a "write-on": glyphs are traced left to right, each outline drawn
progressively while its fill fades in behind the tracing stroke.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import math
import os
import struct
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import skia
import svgelements
import typst

import insideweights

MATH_FONT = "New Computer Modern Math"
EM_POINTS = 10.0
# Fill colour of the zero-width box set on the baseline before the equation; its
# bottom edge tells where the baseline is, since Typst's SVG does not say.
BASELINE_MARKER_FILL = "#123456"
ALIGNMENTS = ("left", "center", "right")
VERTICAL_ALIGNMENTS = ("baseline", "top", "middle", "bottom")

# Write-on timing, as fractions of one glyph's own animation window.
WRITE_OVERLAP_GLYPHS = 3.0  # how many glyphs are being written at any moment
TRACE_SHARE = 0.6  # the outline is fully traced at this point of the window
FILL_START = 0.3  # the fill starts fading in here, behind the tracing stroke
STROKE_EM = 0.025  # width of the tracing stroke, in em
MIN_STROKE_PIXELS = 1.0

# On-disk cache of compiled shapes. Bump the format whenever the file layout or the
# compile pipeline changes; the key also holds the Typst, skia and package versions.
CACHE_DIR_ENV = "INSIDEWEIGHTS_CACHE_DIR"
CACHE_FORMAT = 1
_CACHE_MAGIC = b"IWEQ"
_CACHE_SUFFIX = ".eqshape"

_DOCUMENT = """#set page(width: auto, height: auto, margin: 0pt, fill: none)
#set text(size: {em}pt, fill: black)
#show math.equation: set text(font: "{font}")
#let body = ${source}$
#let marker = box(rect(width: 0pt, height: 1pt, fill: rgb("{marker}"), stroke: none))
#marker#math.equation(block: false, math.display(body.body))
"""


class EquationError(ValueError):
    """A Typst math source that does not compile, or compiles to nothing drawable."""


@dataclass(frozen=True, eq=False)
class EquationShape:
    """A typeset equation in em units, y down, origin at (left of ink, baseline).

    ``glyphs`` are the separate outlines (glyphs and rules such as fraction bars)
    sorted left to right; ``path`` is their union. ``bounds`` is the ink box
    (left, top, right, bottom) with left = 0 and top = -``baseline``, so
    ``baseline`` is the distance from the top of the ink down to the baseline.
    The shape is cached and shared: treat its paths as read-only.
    """

    source: str
    glyphs: tuple[skia.Path, ...]
    path: skia.Path
    bounds: tuple[float, float, float, float]
    width: float
    height: float
    baseline: float


@lru_cache(maxsize=1)
def _compiler() -> typst.Compiler:
    # System fonts off: only the fonts compiled into Typst can be picked up.
    return typst.Compiler(ignore_system_fonts=True)


def _one_line(message: str) -> str:
    return " ".join(str(message).split())


def typst_document(source: str) -> str:
    """The full Typst document that typesets ``source`` as display-style math."""
    return _DOCUMENT.format(
        em=EM_POINTS, font=MATH_FONT, source=source, marker=BASELINE_MARKER_FILL
    )


def _typeset_svg(source: str) -> bytes:
    """SVG bytes for ``source``; Typst errors and warnings become EquationError."""
    document = typst_document(source).encode("utf-8")
    try:
        svg, warnings = _compiler().compile_with_warnings(document, format="svg")
    except typst.TypstError as error:
        message = getattr(error, "message", None) or error
        raise EquationError(
            f"equation {source!r} does not compile: {_one_line(message)}"
        ) from error
    if warnings:
        # A warning such as an unknown font would mean a silent fallback: refuse it.
        message = getattr(warnings[0], "message", None) or warnings[0]
        raise EquationError(f"equation {source!r} compiles with a warning: {_one_line(message)}")
    return svg


def _skia_path(element: svgelements.Path) -> skia.Path:
    """Convert an svgelements path (transforms already applied) into a skia.Path."""
    path = skia.Path()
    for segment in element:
        if isinstance(segment, svgelements.Move):
            path.moveTo(segment.end.x, segment.end.y)
        elif isinstance(segment, svgelements.Line):
            path.lineTo(segment.end.x, segment.end.y)
        elif isinstance(segment, svgelements.QuadraticBezier):
            path.quadTo(segment.control.x, segment.control.y, segment.end.x, segment.end.y)
        elif isinstance(segment, svgelements.CubicBezier):
            one, two, end = segment.control1, segment.control2, segment.end
            path.cubicTo(one.x, one.y, two.x, two.y, end.x, end.y)
        elif isinstance(segment, svgelements.Arc):
            for cubic in segment.as_cubic_curves():
                one, two, end = cubic.control1, cubic.control2, cubic.end
                path.cubicTo(one.x, one.y, two.x, two.y, end.x, end.y)
        elif isinstance(segment, svgelements.Close):
            path.close()
    return path


def _stroke_outline(path: skia.Path, element: svgelements.Path) -> skia.Path:
    """The filled outline of a stroked element (Typst draws fraction bars this way)."""
    caps = {"round": skia.Paint.kRound_Cap, "square": skia.Paint.kSquare_Cap}
    joins = {"round": skia.Paint.kRound_Join, "bevel": skia.Paint.kBevel_Join}
    paint = skia.Paint(Style=skia.Paint.kStroke_Style, StrokeWidth=float(element.stroke_width))
    paint.setStrokeCap(caps.get(element.values.get("stroke-linecap"), skia.Paint.kButt_Cap))
    paint.setStrokeJoin(joins.get(element.values.get("stroke-linejoin"), skia.Paint.kMiter_Join))
    paint.setStrokeMiter(float(element.values.get("stroke-miterlimit", 4.0)))
    outline = skia.Path()
    paint.getFillPath(path, outline)
    return outline


def _svg_outlines(svg: bytes) -> tuple[list[skia.Path], float, float]:
    """Outlines in SVG user units, the baseline's y, and user units per em."""
    document = svgelements.SVG.parse(io.BytesIO(svg), reify=True)
    outlines: list[skia.Path] = []
    baseline = None
    for element in document.elements():
        if not isinstance(element, svgelements.Path):
            continue
        fill = element.fill.hex if element.fill is not None and element.fill.value else None
        stroke = element.stroke if element.stroke is not None and element.stroke.value else None
        path = _skia_path(element)
        if fill == BASELINE_MARKER_FILL:
            baseline = path.getBounds().bottom()
        elif fill is not None and fill != "#ffffff":
            outlines.append(path)
        elif stroke is not None and element.stroke_width:
            outlines.append(_stroke_outline(path, element))
    if baseline is None:
        raise EquationError("Typst output lacks the baseline marker; the preamble is broken")
    # svgelements converts Typst's points into CSS pixels; undo that via the viewBox.
    units_per_point = document.width / document.viewbox.width
    return outlines, baseline, units_per_point * EM_POINTS


def _union(paths: list[skia.Path]) -> skia.Path:
    """Union of the outlines, so overlapping pieces never cancel under a winding fill."""
    builder = skia.OpBuilder()
    for path in paths:
        builder.add(path, skia.PathOp.kUnion_PathOp)
    union = builder.resolve()
    if union is None:
        union = skia.Path()
        for path in paths:
            union.addPath(path)
    return union


@lru_cache(maxsize=256)
def compile_equation(source: str) -> EquationShape:
    """Typeset a Typst math body (e.g. ``"a^2 + b^2 = c^2"``) into an EquationShape.

    Cached in memory per process and on disk across processes (``_disk_cache_path``).
    """
    if not isinstance(source, str) or not source.strip():
        raise EquationError(f"equation source must be non-empty Typst math, got {source!r}")
    cache_file = _disk_cache_path(source)
    shape = _load_shape(cache_file, source) if cache_file is not None else None
    if shape is None:
        shape = _typeset_shape(source)
        if cache_file is not None:
            _store_shape(cache_file, shape)
    return shape


def _typeset_shape(source: str) -> EquationShape:
    """Typeset ``source`` with Typst and convert its SVG outlines (the slow path)."""
    outlines, baseline, units_per_em = _svg_outlines(_typeset_svg(source))
    outlines = [path for path in outlines if not path.getBounds().isEmpty()]
    if not outlines:
        raise EquationError(f"equation {source!r} typesets to nothing drawable")

    left = min(path.getBounds().left() for path in outlines)
    to_em = skia.Matrix()
    to_em.setScaleTranslate(
        1.0 / units_per_em, 1.0 / units_per_em, -left / units_per_em, -baseline / units_per_em
    )
    glyphs = []
    for path in outlines:
        moved = skia.Path(path)
        moved.transform(to_em)
        glyphs.append(moved)
    glyphs.sort(key=lambda path: path.getBounds().left())

    union = _union(glyphs)
    box = union.computeTightBounds()
    return EquationShape(
        source=source,
        glyphs=tuple(glyphs),
        path=union,
        bounds=(0.0, box.top(), box.right(), box.bottom()),
        width=box.right(),
        height=box.height(),
        baseline=-box.top(),
    )


def cache_dir() -> Path:
    """Where compiled equations are kept: $INSIDEWEIGHTS_CACHE_DIR, else the XDG cache."""
    explicit = os.environ.get(CACHE_DIR_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "insideweights"


def _version(module, package: str) -> str:
    """The module's own ``__version__`` (instant), else the installed package's metadata."""
    version = getattr(module, "__version__", None)
    if isinstance(version, str):
        return version
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"


@lru_cache(maxsize=1)
def _cache_salt() -> str:
    # skia's path serialisation is not promised stable across releases, hence its version.
    return json.dumps(
        [
            CACHE_FORMAT,
            _version(typst, "typst"),
            _version(skia, "skia-python"),
            insideweights.__version__,
        ]
    )


def _disk_cache_path(source: str) -> Path | None:
    """The cache file for ``source``, or None when no cache location can be worked out."""
    try:
        digest = hashlib.sha256(f"{_cache_salt()}\n{source}".encode()).hexdigest()
        return cache_dir() / "equations" / f"{digest}{_CACHE_SUFFIX}"
    except (OSError, RuntimeError, ValueError):
        return None


def _encode_shape(shape: EquationShape) -> bytes:
    """Magic, header length, a JSON header (source, metrics, blob sizes), then the paths."""
    blobs = [bytes(path.serialize()) for path in (shape.path, *shape.glyphs)]
    header = json.dumps(
        {
            "format": CACHE_FORMAT,
            "source": shape.source,
            "bounds": list(shape.bounds),
            "width": shape.width,
            "height": shape.height,
            "baseline": shape.baseline,
            "sizes": [len(blob) for blob in blobs],
        }
    ).encode("utf-8")
    return _CACHE_MAGIC + struct.pack("<I", len(header)) + header + b"".join(blobs)


def _read_path(blob: bytes) -> skia.Path:
    path = skia.Path()
    if path.readFromMemory(blob) != len(blob):
        raise ValueError("path blob does not decode exactly")
    return path


def _decode_shape(data: bytes, source: str) -> EquationShape:
    """Inverse of ``_encode_shape``; any inconsistency raises ValueError (or a subclass)."""
    if data[:4] != _CACHE_MAGIC:
        raise ValueError("not an equation cache file")
    (header_size,) = struct.unpack("<I", data[4:8])
    header = json.loads(data[8 : 8 + header_size].decode("utf-8"))
    if header["format"] != CACHE_FORMAT or header["source"] != source:
        raise ValueError("cache file is for another format or source")
    offset = 8 + header_size
    paths = []
    for size in header["sizes"]:
        paths.append(_read_path(data[offset : offset + size]))
        offset += size
    if offset != len(data) or len(paths) < 2:
        raise ValueError("cache file has the wrong length")
    return EquationShape(
        source=source,
        glyphs=tuple(paths[1:]),
        path=paths[0],
        bounds=tuple(float(value) for value in header["bounds"]),
        width=float(header["width"]),
        height=float(header["height"]),
        baseline=float(header["baseline"]),
    )


def _load_shape(cache_file: Path, source: str) -> EquationShape | None:
    """The cached shape, or None when the file is missing, unreadable or corrupt."""
    try:
        return _decode_shape(cache_file.read_bytes(), source)
    except (OSError, ValueError, KeyError, TypeError, struct.error):
        return None


def _store_shape(cache_file: Path, shape: EquationShape) -> None:
    """Write the cache file atomically; a cache that cannot be written is simply skipped."""
    temporary = None
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            prefix=".tmp-", suffix=_CACHE_SUFFIX, dir=cache_file.parent
        )
        with os.fdopen(handle, "wb") as stream:
            stream.write(_encode_shape(shape))
        os.replace(temporary, cache_file)
        temporary = None
    except OSError:
        pass
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def placement(
    shape: EquationShape,
    x: float,
    y: float,
    height: float,
    align: str = "left",
    valign: str = "baseline",
) -> skia.Matrix:
    """Matrix from the shape's em units to pixels.

    The ink box becomes ``height`` pixels tall; ``x`` is its left end, centre or
    right end (``align``); ``y`` is its baseline, top, middle or bottom (``valign``).
    """
    if not height > 0:
        raise ValueError(f"equation height must be a positive number of pixels, got {height!r}")
    scale = height / shape.height
    x_share = {"left": 0.0, "center": 0.5, "right": 1.0}.get(align)
    if x_share is None:
        raise ValueError(f"align must be one of {', '.join(ALIGNMENTS)}; got {align!r}")
    _, top, _, bottom = shape.bounds
    anchor = {"baseline": 0.0, "top": top, "middle": (top + bottom) / 2, "bottom": bottom}
    if valign not in anchor:
        raise ValueError(f"valign must be one of {', '.join(VERTICAL_ALIGNMENTS)}; got {valign!r}")
    matrix = skia.Matrix()
    matrix.setScaleTranslate(
        scale, scale, x - x_share * shape.width * scale, y - anchor[valign] * scale
    )
    return matrix


def outline_path(shape: EquationShape, matrix: skia.Matrix | None = None) -> skia.Path:
    """A copy of the equation's whole outline, optionally mapped by ``matrix``.

    Stroke it (e.g. on a glow layer) to outline the equation; use ``placement`` for
    the matrix that matches ``draw_equation``.
    """
    path = skia.Path(shape.path)
    if matrix is not None:
        path.transform(matrix)
    return path


def _smoothstep(value: float) -> float:
    clamped = min(1.0, max(0.0, value))
    return clamped * clamped * (3.0 - 2.0 * clamped)


def glyph_progress(reveal: float, index: int, count: int) -> float:
    """How far glyph ``index`` of ``count`` is written (0-1) when the whole is at ``reveal``.

    Glyph windows are staggered evenly so that about WRITE_OVERLAP_GLYPHS are in
    flight at once; the first starts at reveal 0 and the last ends at reveal 1.
    """
    # Measured in slots (one slot per glyph start) so that reveal 1 lands exactly on
    # the end of the last window, free of rounding.
    slots = count - 1 + WRITE_OVERLAP_GLYPHS
    return min(1.0, max(0.0, (reveal * slots - index) / WRITE_OVERLAP_GLYPHS))


def _traced(path: skia.Path, share: float) -> skia.Path:
    """The first ``share`` of every contour of ``path``, all traced at once."""
    traced = skia.Path()
    measure = skia.PathMeasure(path, False)
    while True:
        length = measure.getLength()
        if length > 0:
            measure.getSegment(0.0, share * length, traced, True)
        if not measure.nextContour():
            return traced


def _with_alpha(paint: skia.Paint, factor: float) -> skia.Paint:
    faded = skia.Paint(paint)
    faded.setAlphaf(paint.getAlphaf() * factor)
    return faded


def _draw_writing_glyph(
    canvas: skia.Canvas, glyph: skia.Path, progress: float, fill: skia.Paint, stroke: skia.Paint
) -> None:
    """One glyph part-way through being written: fading fill under a tracing stroke."""
    fill_alpha = _smoothstep((progress - FILL_START) / (1.0 - FILL_START))
    if fill_alpha > 0:
        canvas.drawPath(glyph, _with_alpha(fill, fill_alpha))
    stroke_alpha = 1.0 - _smoothstep((progress - TRACE_SHARE) / (1.0 - TRACE_SHARE))
    if stroke_alpha > 0:
        traced = _traced(glyph, min(1.0, progress / TRACE_SHARE))
        canvas.drawPath(traced, _with_alpha(stroke, stroke_alpha))


def draw_equation(
    canvas: skia.Canvas,
    shape: EquationShape,
    x: float,
    y: float,
    height: float,
    paint: skia.Paint,
    reveal: float = 1.0,
    align: str = "left",
    valign: str = "baseline",
) -> skia.Matrix:
    """Draw ``shape`` with its ink ``height`` pixels tall, placed as ``placement`` says.

    ``reveal`` in [0, 1] writes the equation on: 0 draws nothing, 1 the finished
    equation. The paint's colour, alpha, shader and filters are used for the fill
    and the tracing stroke (antialiasing is always on). Returns the placement matrix.
    """
    if not 0.0 <= reveal <= 1.0 or math.isnan(reveal):
        raise ValueError(f"reveal must be within [0, 1], got {reveal!r}")
    matrix = placement(shape, x, y, height, align, valign)
    if reveal == 0.0:
        return matrix

    fill = skia.Paint(paint)
    fill.setStyle(skia.Paint.kFill_Style)
    fill.setAntiAlias(True)
    canvas.save()
    canvas.concat(matrix)
    if reveal == 1.0:
        canvas.drawPath(shape.path, fill)
    else:
        stroke = skia.Paint(fill)
        stroke.setStyle(skia.Paint.kStroke_Style)
        stroke.setStrokeWidth(max(STROKE_EM, MIN_STROKE_PIXELS / matrix.getScaleX()))
        stroke.setStrokeJoin(skia.Paint.kRound_Join)
        stroke.setStrokeCap(skia.Paint.kRound_Cap)
        count = len(shape.glyphs)
        for index, glyph in enumerate(shape.glyphs):
            progress = glyph_progress(reveal, index, count)
            if progress <= 0.0:
                break
            if progress >= 1.0:
                canvas.drawPath(glyph, fill)
            else:
                _draw_writing_glyph(canvas, glyph, progress, fill, stroke)
    canvas.restore()
    return matrix
