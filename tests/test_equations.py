"""Typst equations become correctly oriented Skia paths, drawn whole or written on."""

from __future__ import annotations

import time

import numpy as np
import pytest
import skia
import typst
from hypothesis import given
from hypothesis import strategies as st

from insideweights.renderer import equations

LOSS = (
    'L = alpha dot T^2 dot "KL"(p_T^((tau)) parallel p_S^((tau))) + (1 - alpha) dot "CE"(y, p_S)'
)
SOFTMAX = "p_i = e^(z_i \\/ T) / (sum_j e^(z_j \\/ T))"
WIDTH, HEIGHT = 960, 320
WHITE = skia.Paint(Color=skia.ColorWHITE)
CACHED = "x^2 + sqrt(y) / 3"


@pytest.fixture(autouse=True)
def _private_cache_dir(tmp_path_factory, monkeypatch):
    """Every test gets its own on-disk equation cache, never the user's home."""
    directory = tmp_path_factory.mktemp("equation-cache")
    monkeypatch.setenv(equations.CACHE_DIR_ENV, str(directory))
    return directory


def _box(path: skia.Path) -> tuple[float, float, float, float]:
    bounds = path.getBounds()
    return bounds.left(), bounds.top(), bounds.right(), bounds.bottom()


def _alpha_after(draw) -> np.ndarray:
    pixels = np.zeros((HEIGHT, WIDTH, 4), np.uint8)
    info = skia.ImageInfo.Make(
        WIDTH, HEIGHT, skia.ColorType.kRGBA_8888_ColorType, skia.AlphaType.kPremul_AlphaType
    )
    surface = skia.Surface.MakeRasterDirect(info, pixels)
    draw(surface.getCanvas())
    del surface
    return pixels[..., 3]


def _ink_box(alpha: np.ndarray) -> tuple[int, int, int, int]:
    rows = np.nonzero(alpha.max(axis=1) > 0)[0]
    columns = np.nonzero(alpha.max(axis=0) > 0)[0]
    return columns.min(), rows.min(), columns.max() + 1, rows.max() + 1


def _draw_loss(reveal: float):
    shape = equations.compile_equation(LOSS)
    return _alpha_after(
        lambda canvas: equations.draw_equation(
            canvas, shape, WIDTH / 2, HEIGHT / 2, 60, WHITE, reveal, "center", "middle"
        )
    )


def test_loss_compiles_to_a_wide_non_empty_shape():
    shape = equations.compile_equation(LOSS)
    assert not shape.path.isEmpty()
    assert 35 <= len(shape.glyphs) <= 39
    assert 5 <= shape.width / shape.height <= 25
    left, top, right, bottom = shape.bounds
    assert left == 0.0
    assert right == pytest.approx(shape.width)
    assert bottom - top == pytest.approx(shape.height)
    assert shape.baseline == pytest.approx(-top)
    assert 0.8 < shape.baseline < shape.height  # baseline lies inside the ink box


def test_glyphs_are_upright_and_on_the_baseline():
    shape = equations.compile_equation(LOSS)
    first = shape.glyphs[0]  # the italic L
    _, top, _, bottom = _box(first)
    assert bottom == pytest.approx(0.0, abs=0.02)
    assert -0.8 < top < -0.6  # a cap height above the baseline, not below it

    # An upright L has its wide foot at the bottom and a narrow serif at the top;
    # mirrored upside down (a wrong y flip) the widths swap.
    def draw_big(canvas: skia.Canvas) -> None:
        canvas.scale(200, 200)
        canvas.translate(0.2, 0.9)
        canvas.drawPath(first, skia.Paint(AntiAlias=True))

    alpha = _alpha_after(draw_big)
    rows = np.nonzero(alpha.max(axis=1))[0]
    ink_per_row = (alpha[rows] > 128).sum(axis=1)
    assert ink_per_row[-12:-2].mean() > 1.4 * ink_per_row[2:12].mean()


def test_glyphs_run_left_to_right_and_the_superscript_sits_above_its_base():
    shape = equations.compile_equation(LOSS)
    lefts = [_box(glyph)[0] for glyph in shape.glyphs]
    assert lefts == sorted(lefts)

    base, exponent = shape.glyphs[4], shape.glyphs[5]  # T and 2 in T^2
    _, base_top, base_right, base_bottom = _box(base)
    exponent_left, exponent_top, _, exponent_bottom = _box(exponent)
    assert exponent_left >= base_right - 0.1
    assert exponent_top < base_top
    assert exponent_bottom < base_bottom - 0.3


def test_softmax_fraction_has_the_numerator_above_the_bar_and_the_denominator_below():
    shape = equations.compile_equation(SOFTMAX)
    assert 14 <= len(shape.glyphs) <= 18
    assert 1.2 <= shape.width / shape.height <= 4
    boxes = [_box(glyph) for glyph in shape.glyphs]
    bar = max(boxes, key=lambda box: (box[2] - box[0]) / max(box[3] - box[1], 1e-6))
    assert (bar[2] - bar[0]) > 10 * (bar[3] - bar[1])  # a thin rule, not a glyph
    over_bar = [box for box in boxes if box is not bar and box[0] >= bar[0] - 1e-6]
    above = [box for box in over_bar if box[3] <= bar[1]]
    below = [box for box in over_bar if box[1] >= bar[3]]
    assert len(above) == 5  # e, z, i, /, T
    assert len(below) == 7  # sum, j, e, z, j, /, T
    assert len(above) + len(below) == len(over_bar)
    assert max(box[3] for box in above) < min(box[1] for box in below)


def test_a_typst_syntax_error_is_one_line_naming_the_source_and_the_message():
    with pytest.raises(equations.EquationError) as raised:
        equations.compile_equation('x = "KL')
    message = str(raised.value)
    assert "'x = \"KL'" in message
    assert "unclosed delimiter" in message
    assert "\n" not in message


def test_an_unknown_font_is_an_error_not_a_silent_fallback():
    with pytest.raises(equations.EquationError, match="font"):
        equations.compile_equation('#text(font: "Comic Sans MS")[x] + 1')


def test_the_math_font_is_embedded_in_typst_not_taken_from_the_system():
    embedded = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True)
    assert equations.MATH_FONT in embedded.families()


def test_empty_source_is_refused():
    with pytest.raises(equations.EquationError, match="non-empty"):
        equations.compile_equation("   ")


def test_second_compile_of_a_source_is_a_fast_cache_hit(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = "a^2 + b^2 = c^2"
    first = equations.compile_equation(source)
    hits = equations.compile_equation.cache_info().hits
    start = time.perf_counter()
    again = equations.compile_equation(source)
    assert time.perf_counter() - start < 0.001
    assert again is first
    assert equations.compile_equation.cache_info().hits == hits + 1
    assert list(tmp_path.iterdir()) == []  # compiled from bytes: no files left behind


def test_full_reveal_fills_the_requested_height_at_the_requested_place():
    left, top, right, bottom = _ink_box(_draw_loss(1.0))
    assert bottom - top == pytest.approx(60, abs=2)
    assert (left + right) / 2 == pytest.approx(WIDTH / 2, abs=2)
    assert (top + bottom) / 2 == pytest.approx(HEIGHT / 2, abs=2)


def test_outline_path_matches_what_draw_equation_covers():
    shape = equations.compile_equation(LOSS)
    matrix = equations.placement(shape, WIDTH / 2, HEIGHT / 2, 60, "center", "middle")
    outline = equations.outline_path(shape, matrix).getBounds()
    left, top, right, bottom = _ink_box(_draw_loss(1.0))
    assert outline.left() == pytest.approx(left, abs=1.5)
    assert outline.right() == pytest.approx(right, abs=1.5)
    assert outline.top() == pytest.approx(top, abs=1.5)
    assert outline.bottom() == pytest.approx(bottom, abs=1.5)
    assert not shape.path.isEmpty()  # the cached shape was not transformed in place


def test_write_on_grows_from_left_to_right():
    nothing = _draw_loss(0.0)
    assert nothing.max() == 0
    drawn = {reveal: _draw_loss(reveal) for reveal in (0.3, 0.6, 1.0)}
    right_ends = [_ink_box(drawn[reveal])[2] for reveal in (0.3, 0.6, 1.0)]
    assert right_ends[0] < right_ends[1] < right_ends[2]
    left_ends = {_ink_box(drawn[reveal])[0] for reveal in (0.3, 0.6, 1.0)}
    assert max(left_ends) - min(left_ends) <= 1
    assert 0 < drawn[0.3].sum() < drawn[0.6].sum() < drawn[1.0].sum()


def test_write_on_traces_outlines_before_the_fill_arrives():
    shape = equations.compile_equation("x")
    count = len(shape.glyphs)
    early = 0.3 * equations.FILL_START * equations.WRITE_OVERLAP_GLYPHS / (count - 1 + 3)
    traced = _alpha_after(
        lambda canvas: equations.draw_equation(canvas, shape, 100, 200, 150, WHITE, early)
    )
    filled = _alpha_after(
        lambda canvas: equations.draw_equation(canvas, shape, 100, 200, 150, WHITE, 1.0)
    )
    assert 0 < (traced > 0).sum() < 0.2 * (filled > 0).sum()


@given(
    reveal=st.floats(0.0, 1.0),
    later=st.floats(0.0, 1.0),
    count=st.integers(1, 60),
    data=st.data(),
)
def test_glyph_progress_is_monotonic_and_exact_at_the_ends(reveal, later, count, data):
    index = data.draw(st.integers(0, count - 1))
    low, high = sorted((reveal, later))
    assert equations.glyph_progress(low, index, count) <= equations.glyph_progress(
        high, index, count
    )
    assert equations.glyph_progress(1.0, index, count) == 1.0
    assert equations.glyph_progress(0.0, index, count) == 0.0
    if index > 0:
        assert equations.glyph_progress(low, index, count) <= equations.glyph_progress(
            low, index - 1, count
        )


@pytest.mark.parametrize(
    ("arguments", "pattern"),
    [
        ({"reveal": 1.5}, "reveal must be within"),
        ({"height": 0}, "height must be a positive"),
        ({"align": "middle"}, "align must be one of"),
        ({"valign": "centre"}, "valign must be one of"),
    ],
)
def test_bad_drawing_arguments_are_named(arguments, pattern):
    shape = equations.compile_equation(SOFTMAX)
    options = {"x": 0, "y": 0, "height": 40, "paint": WHITE, **arguments}
    with pytest.raises(ValueError, match=pattern):
        _alpha_after(lambda canvas: equations.draw_equation(canvas, shape, **options))


def _cache_files(directory) -> list:
    return sorted(path.name for path in directory.rglob("*") if path.is_file())


def _fresh_compile(source: str) -> equations.EquationShape:
    """Compile bypassing the in-memory cache, so the disk cache decides."""
    equations.compile_equation.cache_clear()
    return equations.compile_equation(source)


def _forbid_typst(monkeypatch) -> None:
    def refuse(source):
        raise AssertionError(f"Typst was asked to compile {source!r}")

    monkeypatch.setattr(equations, "_typeset_svg", refuse)


def _pixels(shape: equations.EquationShape, reveal: float) -> np.ndarray:
    return _alpha_after(
        lambda canvas: equations.draw_equation(
            canvas, shape, WIDTH / 2, HEIGHT / 2, 80, WHITE, reveal, "center", "middle"
        )
    )


def test_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(equations.CACHE_DIR_ENV, str(tmp_path / "mine"))
    assert equations.cache_dir() == tmp_path / "mine"
    monkeypatch.delenv(equations.CACHE_DIR_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert equations.cache_dir() == tmp_path / "xdg" / "insideweights"


def test_a_cold_cache_compiles_and_writes_one_file(_private_cache_dir):
    assert _cache_files(_private_cache_dir) == []
    _fresh_compile(CACHED)
    names = _cache_files(_private_cache_dir)
    assert len(names) == 1 and names[0].endswith(".eqshape")  # no temporary left behind


def test_a_warm_cache_loads_without_typst(monkeypatch):
    compiled = _fresh_compile(CACHED)
    _forbid_typst(monkeypatch)
    loaded = _fresh_compile(CACHED)
    assert loaded is not compiled
    assert loaded.source == CACHED
    assert loaded.bounds == compiled.bounds
    assert (loaded.width, loaded.height, loaded.baseline) == (
        compiled.width,
        compiled.height,
        compiled.baseline,
    )
    assert len(loaded.glyphs) == len(compiled.glyphs)
    assert loaded.path == compiled.path
    assert all(a == b for a, b in zip(loaded.glyphs, compiled.glyphs, strict=True))


@pytest.mark.parametrize("reveal", [1.0, 0.55])
def test_a_loaded_shape_draws_the_same_pixels_as_a_compiled_one(monkeypatch, reveal):
    compiled = _fresh_compile(CACHED)
    _forbid_typst(monkeypatch)
    loaded = _fresh_compile(CACHED)
    expected = _pixels(compiled, reveal)
    assert expected.max() > 0
    np.testing.assert_array_equal(_pixels(loaded, reveal), expected)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "other source"])
def test_a_corrupt_cache_file_falls_back_to_compiling(monkeypatch, damage):
    compiled = _fresh_compile(CACHED)
    cache_file = equations._disk_cache_path(CACHED)
    good = cache_file.read_bytes()
    broken = {
        "garbage": b"not an equation at all" * 10,
        "truncated": good[: len(good) - 7],
        "empty": b"",
        "other source": good.replace(b"sqrt(y)", b"sqrt(z)"),
    }[damage]
    cache_file.write_bytes(broken)
    recompiled = _fresh_compile(CACHED)
    assert recompiled.path == compiled.path
    assert cache_file.read_bytes() == good  # the damaged file was replaced by a good one


def test_an_unwritable_cache_dir_still_compiles(monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("a file where the cache directory should be")
    monkeypatch.setenv(equations.CACHE_DIR_ENV, str(blocker / "cache"))
    shape = _fresh_compile(CACHED)
    assert not shape.path.isEmpty()
    assert _cache_files(tmp_path) == ["a-file"]


def test_the_cache_key_changes_with_the_typst_version(monkeypatch):
    before = equations._disk_cache_path(CACHED)
    real_version = equations._version
    monkeypatch.setattr(
        equations,
        "_version",
        lambda module, name: "99.0" if name == "typst" else real_version(module, name),
    )
    equations._cache_salt.cache_clear()
    try:
        assert equations._disk_cache_path(CACHED) != before
    finally:
        equations._cache_salt.cache_clear()
