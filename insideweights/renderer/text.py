"""Single-line text laid out with kerning and drawn on its baseline.

Glyphs come straight from the character map (no ligatures or contextual
alternates), advances from the font's linear metrics and kerning from the font's
GPOS ``kern`` feature (see ``fonts.KerningTable``). Fonts are set up for animation:
hinting off, subpixel positioning and linear metrics on, so text that moves or
scales by fractions of a pixel glides instead of snapping from pixel to pixel.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import skia

from insideweights.renderer import fonts

ALIGNMENTS = ("left", "center", "right")


@dataclass(frozen=True, eq=False)
class TextRun:
    """One laid-out line of text; lengths in pixels, y down, baseline at y = 0.

    ``positions`` holds the x of each glyph's origin; ``advance`` is the kerned
    width of the whole run; ``ascent``/``descent``/``cap_height`` are positive
    distances from the baseline. ``blob`` is None for empty text. The run is cached
    and shared: treat ``font`` and ``blob`` as read-only.
    """

    text: str
    role: str
    size: float
    glyphs: tuple[int, ...]
    positions: tuple[float, ...]
    advance: float
    ascent: float
    descent: float
    cap_height: float
    font: skia.Font
    blob: skia.TextBlob | None


def make_font(role: str, size: float) -> skia.Font:
    """A Skia font for ``role`` at ``size`` pixels, set up for smooth animation."""
    if not size > 0:
        raise ValueError(f"text size must be a positive number of pixels, got {size!r}")
    font = skia.Font(fonts.typeface(role), size)
    font.setHinting(skia.FontHinting.kNone)
    font.setSubpixel(True)
    font.setLinearMetrics(True)
    font.setBaselineSnap(False)
    font.setEdging(skia.Font.Edging.kAntiAlias)
    return font


@lru_cache(maxsize=4096)
def layout_text(text: str, role: str = "sans", size: float = 32.0) -> TextRun:
    """Lay out ``text`` in the role's font at ``size`` pixels, kerned, on one line.

    Raises MissingGlyphError for a character the font cannot draw.
    """
    fonts.check_glyphs(text, role)
    font = make_font(role, size)
    glyphs = fonts.glyph_ids(text, role)
    widths = font.getWidths(glyphs) if glyphs else []
    scale = size / fonts.units_per_em(role)
    kerning = fonts.kerning_adjustments(glyphs, role)

    positions = []
    pen = 0.0
    for width, adjustment in zip(widths, kerning, strict=True):
        positions.append(pen)
        pen += width + adjustment * scale

    blob = None
    if glyphs:
        builder = skia.TextBlobBuilder()
        builder.allocRunPosH(font, glyphs, positions, 0.0)
        blob = builder.make()
    metrics = font.getMetrics()
    return TextRun(
        text=text,
        role=role,
        size=float(size),
        glyphs=tuple(glyphs),
        positions=tuple(positions),
        advance=pen,
        ascent=-metrics.fAscent,
        descent=metrics.fDescent,
        cap_height=metrics.fCapHeight,
        font=font,
        blob=blob,
    )


def measure(text: str, role: str = "sans", size: float = 32.0) -> float:
    """Kerned advance width of ``text`` in pixels."""
    return layout_text(text, role, size).advance


def aligned_x(run: TextRun, x: float, align: str) -> float:
    """Left edge of the run's origin so that ``x`` is its left, centre or right."""
    if align == "left":
        return x
    if align == "center":
        return x - run.advance / 2.0
    if align == "right":
        return x - run.advance
    raise ValueError(f"align must be one of {', '.join(ALIGNMENTS)}; got {align!r}")


def draw_text(
    canvas: skia.Canvas,
    run_or_text: TextRun | str,
    x: float,
    y: float,
    paint: skia.Paint,
    align: str = "left",
    *,
    role: str = "sans",
    size: float | None = None,
) -> TextRun:
    """Draw a run (or a string laid out with ``role``/``size``) with its baseline at y.

    ``align`` says whether ``x`` is the left end, the centre or the right end of the
    run's advance. Returns the run drawn, so callers can reuse its metrics.
    """
    if isinstance(run_or_text, str):
        if size is None:
            raise ValueError("draw_text needs size= (pixels) when given a string, got None")
        run = layout_text(run_or_text, role, size)
    else:
        run = run_or_text
    left = aligned_x(run, x, align)
    if run.blob is not None:
        canvas.drawTextBlob(run.blob, left, y, paint)
    return run
