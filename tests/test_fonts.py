"""Bundled fonts load from file, missing glyphs are loud, text is kerned and aligned."""

from __future__ import annotations

import numpy as np
import pytest
import skia

from insideweights.renderer import fonts, text

REEL_CHARACTERS = "↓ ↑ → × ≈ − ‖ · % \u2011 α τ"
EXPECTED = {
    "sans": ("Inter", 400),
    "sans-semibold": ("Inter", 600),
    "sans-bold": ("Inter", 700),
    "mono": ("JetBrains Mono", 400),
    "mono-medium": ("JetBrains Mono", 500),
}
WIDTH, HEIGHT = 800, 200


def _canvas_pixels(draw) -> np.ndarray:
    """Alpha channel of a transparent RGBA frame after ``draw(canvas)``."""
    pixels = np.zeros((HEIGHT, WIDTH, 4), np.uint8)
    info = skia.ImageInfo.Make(
        WIDTH, HEIGHT, skia.ColorType.kRGBA_8888_ColorType, skia.AlphaType.kPremul_AlphaType
    )
    surface = skia.Surface.MakeRasterDirect(info, pixels)
    draw(surface.getCanvas())
    del surface
    return pixels[..., 3]


def _ink_columns(alpha: np.ndarray) -> tuple[int, int]:
    columns = np.nonzero(alpha.max(axis=0) > 32)[0]
    return int(columns.min()), int(columns.max()) + 1


WHITE = skia.Paint(Color=skia.ColorWHITE)


@pytest.fixture
def fresh_font_caches():
    """Clear the typeface caches around a test that swaps a font's bytes or file."""
    fonts.typeface.cache_clear()
    fonts.kerning_table.cache_clear()
    yield
    fonts.typeface.cache_clear()
    fonts.kerning_table.cache_clear()


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_every_bundled_font_loads_from_its_file_with_the_expected_family(role):
    family, weight = EXPECTED[role]
    face = fonts.typeface(role)
    assert face.getFamilyName() == family
    assert face.fontStyle().weight() == weight
    assert face.getPostScriptName() == fonts.font_file(role).rsplit(".", 1)[0]
    assert fonts.typeface(role) is face  # cached


def test_unknown_role_is_refused_with_the_known_roles():
    with pytest.raises(ValueError, match="font role must be one of .*got 'serif'"):
        fonts.typeface("serif")


def test_unloadable_font_bytes_raise_instead_of_a_silent_empty_typeface(
    monkeypatch, fresh_font_caches
):
    monkeypatch.setattr(fonts, "font_bytes", lambda role: b"not a font at all")
    with pytest.raises(fonts.FontError, match="Inter-Bold.otf .*not a font Skia can load"):
        fonts.typeface("sans-bold")


def test_missing_font_file_is_named(monkeypatch, fresh_font_caches):
    monkeypatch.setitem(fonts.ROLE_FILES, "sans", ("Inter-Nowhere.otf", "Inter"))
    with pytest.raises(fonts.FontError, match="Inter-Nowhere.otf"):
        fonts.typeface("sans")


def test_wrong_family_in_a_file_is_refused(monkeypatch, fresh_font_caches):
    monkeypatch.setitem(fonts.ROLE_FILES, "mono", ("Inter-Regular.otf", "JetBrains Mono"))
    with pytest.raises(fonts.FontError, match="reports family 'Inter'"):
        fonts.typeface("mono")


@pytest.mark.parametrize(
    ("role", "char", "file_name"),
    [
        ("mono", "‖", "JetBrainsMono-Regular.ttf"),
        ("mono-medium", "\u2011", "JetBrainsMono-Medium.ttf"),
        ("sans", "\u22ef", "Inter-Regular.otf"),
    ],
)
def test_missing_glyph_names_the_character_and_the_font(role, char, file_name):
    with pytest.raises(fonts.MissingGlyphError) as raised:
        fonts.check_glyphs(f"a {char} b", role)
    message = str(raised.value)
    assert f"U+{ord(char):04X}" in message
    assert char in message
    assert file_name in message
    assert "\n" not in message


@pytest.mark.parametrize("role", ["sans", "sans-semibold", "sans-bold"])
def test_the_reels_characters_all_exist_in_inter(role):
    fonts.check_glyphs(REEL_CHARACTERS, role)
    assert 0 not in fonts.glyph_ids(REEL_CHARACTERS, role)


def test_layout_refuses_text_with_a_missing_glyph():
    with pytest.raises(fonts.MissingGlyphError, match=r"U\+2016"):
        text.layout_text("p ‖ q", "mono", 20)


def test_inter_has_gpos_kerning_and_the_monospace_font_has_none():
    assert len(fonts.kerning_table("sans")) > 0
    assert len(fonts.kerning_table("mono")) == 0
    pair = fonts.glyph_ids("AV", "sans")
    assert fonts.kerning_adjustments(pair, "sans")[0] < 0
    assert fonts.kerning_adjustments(fonts.glyph_ids("AV", "mono"), "mono") == [0, 0]


def test_kerning_narrows_av_compared_with_the_unkerned_advances():
    size = 100.0
    run = text.layout_text("AV", "sans", size)
    unkerned = sum(text.make_font("sans", size).getWidths(list(run.glyphs)))
    kern = fonts.kerning_adjustments(list(run.glyphs), "sans")[0]
    assert run.advance < unkerned - 3.0
    assert run.advance == pytest.approx(unkerned + kern * size / fonts.units_per_em("sans"))
    assert run.positions[1] == pytest.approx(run.advance - run.font.getWidths([run.glyphs[1]])[0])


@pytest.mark.parametrize("label", ["AVAWAToTa", "Where Intelligence Lives", "LT Wy P. Ty, F."])
def test_layout_matches_skias_harfbuzz_shaping_pixel_for_pixel(label):
    """Our own GPOS kerning must place glyphs where Skia's shaper places them."""
    size = 48.0
    run = text.layout_text(label, "sans", size)
    font = text.make_font("sans", size)
    shaped = skia.TextBlob.MakeFromShapedText(label, font)
    # The shaped blob puts the first line's top at y = 0, i.e. its baseline at ascent.
    ours = _canvas_pixels(lambda canvas: text.draw_text(canvas, run, 20, 120, WHITE))
    theirs = _canvas_pixels(
        lambda canvas: canvas.drawTextBlob(shaped, 20, 120 - run.ascent, WHITE)
    )
    assert ours.sum() > 0
    assert np.abs(ours.astype(int) - theirs.astype(int)).max() <= 8


@pytest.mark.parametrize("align", ["left", "center", "right"])
def test_alignment_puts_the_advance_where_asked(align):
    size, x, baseline = 40.0, 400.0, 120
    label = "HIIH"  # upright stems: ink ends sit close to the advance ends
    run = text.layout_text(label, "sans", size)
    alpha = _canvas_pixels(lambda canvas: text.draw_text(canvas, run, x, baseline, WHITE, align))
    left, right = _ink_columns(alpha)
    bearing = 0.12 * size
    expected_left = {"left": x, "center": x - run.advance / 2, "right": x - run.advance}[align]
    assert expected_left <= left <= expected_left + bearing
    assert expected_left + run.advance - bearing <= right <= expected_left + run.advance + 1
    rows = np.nonzero(alpha.max(axis=1) > 32)[0]
    assert rows.max() + 1 == pytest.approx(baseline, abs=1)  # sits on the baseline
    assert baseline - rows.min() == pytest.approx(run.cap_height, abs=1.5)


def test_draw_text_from_a_string_needs_a_size_and_rejects_unknown_alignment():
    with pytest.raises(ValueError, match="size="):
        _canvas_pixels(lambda canvas: text.draw_text(canvas, "x", 0, 0, WHITE))
    with pytest.raises(ValueError, match="align must be one of .*got 'middle'"):
        _canvas_pixels(lambda canvas: text.draw_text(canvas, "x", 0, 0, WHITE, "middle", size=9))


def test_measure_is_the_kerned_advance_and_layouts_are_cached():
    assert text.measure("AV", "sans", 50) < text.measure("AA", "sans", 50)
    assert text.measure("", "sans", 50) == 0.0
    assert text.layout_text("Distillation", "sans-bold", 64) is text.layout_text(
        "Distillation", "sans-bold", 64
    )
    empty = _canvas_pixels(lambda canvas: text.draw_text(canvas, "", 10, 10, WHITE, size=20))
    assert empty.max() == 0


def test_fonts_are_unhinted_with_subpixel_positions_for_smooth_motion():
    font = text.layout_text("Open-weight", "sans", 30).font
    assert font.getHinting() == skia.FontHinting.kNone
    assert font.isSubpixel()
    assert font.getEdging() == skia.Font.Edging.kAntiAlias
    with pytest.raises(ValueError, match="positive number of pixels, got 0"):
        text.make_font("sans", 0)
