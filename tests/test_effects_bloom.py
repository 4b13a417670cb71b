"""Bloom: exact no-ops, conservation of light, symmetry, resolution independence."""

from __future__ import annotations

import numba
import numpy as np
import pytest

from insideweights.renderer.bloom import KNEE, Bloom, plan_glow
from insideweights.renderer.colorspace import SRGB
from insideweights.renderer.jit import set_kernel_threads

LUMA = np.array([0.2126, 0.7152, 0.0722])


def opaque(height, width, rgb=(0, 0, 0)):
    frame = np.zeros((height, width, 4), np.uint8)
    frame[..., :3] = rgb
    frame[..., 3] = 255
    return frame


def linear(frame):
    """Decoded linear light of the RGB bytes, float64."""
    return SRGB.decode[frame[..., :3]].astype(np.float64)


def bright_energy(frame, threshold):
    """Independent reference: light above the threshold summed over every pixel and channel.

    Only valid when every lit pixel is above the soft knee (then the pass keeps
    exactly (L - threshold) / L of each channel).
    """
    light = linear(frame)
    luma = light @ LUMA
    lit = luma > 0
    knee = KNEE * min(threshold, 1 - threshold)
    assert np.all(luma[lit] >= threshold + knee), "test scene must sit above the knee"
    share = np.where(lit, (luma - threshold) / np.where(lit, luma, 1), 0.0)
    return float((light * share[..., None]).sum())


def test_black_frame_stays_exactly_black():
    bloom = Bloom(160, 90)
    frame = opaque(90, 160)
    emission = np.zeros((45, 80, 4), np.uint8)
    for threshold in (0.0, 0.5, 1.0):
        bloom.apply(frame, emission, threshold=threshold, intensity=3.0, radius=0.1, levels=5)
        assert not frame[..., :3].any()
        assert (frame[..., 3] == 255).all()


def test_pixels_below_the_knee_do_not_glow_and_frame_is_untouched():
    bloom = Bloom(160, 90)
    frame = opaque(90, 160, (10, 14, 23))
    frame[40:50, 70:90, :3] = 150  # luma 0.30 < threshold - knee = 0.7 - 0.15
    before = frame.copy()
    bloom.apply(frame, None, threshold=0.7, intensity=2.0, radius=0.05, levels=4)
    np.testing.assert_array_equal(frame, before)


@pytest.mark.parametrize("intensity", [0.5, 1.5])
def test_added_light_equals_intensity_times_bright_pass(intensity):
    """Energy: the pyramid neither loses nor invents light (tolerance 1 %)."""
    height, width = 360, 640
    frame = opaque(height, width)
    # Mid-bright sources, so that the glow landing on them does not clip at 255.
    frame[170:176, 300:340, :3] = (90, 160, 170)  # a short teal bar, luma 0.30
    frame[186:188, 310:320, :3] = 150  # a small grey tick, luma 0.31
    threshold = 0.1
    expected = intensity * bright_energy(frame, threshold)

    before = linear(frame).sum()
    Bloom(width, height).apply(
        frame, None, threshold=threshold, intensity=intensity, radius=0.05, levels=5
    )
    added = linear(frame).sum() - before
    assert added == pytest.approx(expected, rel=0.01)


def test_emission_layer_light_is_added_in_full():
    """Emission bypasses the threshold: its light (x4 pixel area) is added, within 2 %."""
    height, width = 360, 640
    frame = opaque(height, width)
    emission = np.zeros((180, 320, 4), np.uint8)
    emission[85:95, 150:170] = (60, 200, 230, 255)
    expected = 4.0 * linear(emission).sum()
    Bloom(width, height).apply(
        frame, emission, threshold=1.0, intensity=1.0, radius=0.05, levels=4
    )
    assert linear(frame).sum() == pytest.approx(expected, rel=0.02)


def test_a_single_bright_pixel_spreads_symmetrically():
    """Mirror symmetry left/right and up/down, from 4 px out, within 6 % of the glow there.

    (The glow is built at quarter resolution at best, so its shape within one
    glow pixel of a one-pixel source depends slightly on where the source sits.)
    """
    size = 256
    frame = opaque(size, size)
    centre = size // 2
    frame[centre, centre, :3] = 255
    Bloom(size, size).apply(frame, None, threshold=0.5, intensity=4.0, radius=0.08, levels=5)
    glow = linear(frame)[..., 1]

    def asymmetry(image):
        distances = np.arange(4, 60)
        row, column = image[centre], image[:, centre]
        left_right = np.abs(row[centre - distances] - row[centre + distances]).max()
        up_down = np.abs(column[centre - distances] - column[centre + distances]).max()
        return max(left_right, up_down) / image[centre, centre + 4]

    assert asymmetry(glow) < 0.06
    # The check can fail: the same glow moved by one pixel is clearly lopsided.
    assert asymmetry(np.roll(glow, 1, axis=1)) > 0.2


def test_glow_falls_off_monotonically_and_reaches_far():
    """Brighter near the source, with a soft skirt several radii wide."""
    size = 256
    frame = opaque(size, size)
    frame[126:130, 126:130, :3] = 255
    Bloom(size, size).apply(frame, None, threshold=0.5, intensity=2.0, radius=0.08, levels=5)
    profile = linear(frame)[128, 130:240, 1]
    smooth = np.convolve(profile, np.ones(5) / 5, mode="valid")
    assert np.all(np.diff(smooth) <= 1e-4)
    sigma = 0.08 * size
    assert profile[int(2 * sigma)] > 0.0  # the skirt still lights pixels two radii away
    assert profile[2] > 20 * profile[int(sigma)]  # and is far brighter near the source


def test_glow_is_the_same_picture_at_every_resolution():
    """The spread of the glow (its standard deviation) scales with the frame height.

    (Down to the size where the narrowest Gaussian meets ``MIN_SIGMA_PX``, which
    is a number of pixels: radius 0.04 in 4 levels reaches it near 400 rows.)
    """
    spreads = []
    for height in (540, 1080):
        width = height * 16 // 9
        frame = opaque(height, width)
        cy, cx = height // 2, width // 2
        frame[cy - 1 : cy + 1, cx - 1 : cx + 1, :3] = 255
        before = linear(frame)[..., 1]
        Bloom(width, height).apply(
            frame, None, threshold=0.5, intensity=1.0, radius=0.04, levels=4
        )
        added = linear(frame)[..., 1] - before
        ys, xs = np.mgrid[0:height, 0:width]
        r2 = ((ys + 0.5 - cy) ** 2 + (xs + 0.5 - cx) ** 2) / height**2
        spreads.append(np.sqrt((added * r2).sum() / added.sum()))
    assert spreads[0] == pytest.approx(spreads[1], rel=0.06)


def test_plan_builds_each_gaussian_on_a_coarser_level_as_it_widens():
    plan = plan_glow(1080, 0.05, 5, depth=9)
    levels = [level for level, _, _ in plan.components]
    assert levels == sorted(levels) and levels[-1] > levels[0]
    assert sum(share for _, share, _ in plan.components) == pytest.approx(1.0)
    assert all(sigma >= 0 for _, _, sigma in plan.components)


def test_apply_reuses_buffers_and_is_deterministic():
    bloom = Bloom(320, 180)
    frame = opaque(180, 320, (10, 14, 23))
    frame[80:84, 40:280, :3] = (34, 229, 255)
    first, second = frame.copy(), frame.copy()
    settings = dict(threshold=0.4, intensity=1.0, radius=0.05, levels=5)
    bloom.apply(first, None, **settings)
    bloom.apply(second, None, **settings)
    np.testing.assert_array_equal(first, second)
    assert not np.array_equal(first, frame)


def test_result_does_not_depend_on_the_number_of_threads():
    frame = opaque(180, 320, (10, 14, 23))
    frame[20:24, 10:300, :3] = (34, 229, 255)
    frame[150, 40:60, :3] = 255
    emission = np.zeros((90, 160, 4), np.uint8)
    emission[40:42, 20:140] = (255, 138, 31, 255)
    settings = dict(threshold=0.5, intensity=1.5, radius=0.06, levels=5)
    results = []
    for threads in (1, numba.config.NUMBA_NUM_THREADS):
        set_kernel_threads(threads)
        out = frame.copy()
        Bloom(320, 180).apply(out, emission, **settings)
        results.append(out)
    set_kernel_threads(numba.config.NUMBA_NUM_THREADS)
    np.testing.assert_array_equal(results[0], results[1])


@pytest.mark.parametrize("size_out", [(10, 14), (9, 13)])
def test_fast_2x_upsample_matches_the_general_resampler(size_out):
    """The specialised 2x upsample equals the table-driven one, edges and odd sizes included."""
    from insideweights.renderer.bloom import _RESAMPLE, _UPSAMPLE2, resampling_table

    height, width = size_out
    src_h, src_w = (height + 1) // 2, (width + 1) // 2
    src = np.random.default_rng(3).random((src_h, 3 * src_w), dtype=np.float32)
    rows = resampling_table(height, src_h, "up2")
    columns = resampling_table(width, src_w, "up2")
    expected = np.zeros((height, 3 * width), np.float32)
    _RESAMPLE[0](src, expected, *rows, *columns, np.zeros((height, 3 * src_w), np.float32))
    got = np.full((height, 3 * width), np.nan, np.float32)
    _UPSAMPLE2[0](src, got, *rows, np.zeros((height, 3 * src_w), np.float32))
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-7)


def test_skipping_faint_blocks_changes_no_pixel():
    """The composite with block skipping equals the one that looks at every block."""
    from insideweights.renderer import bloom as module

    height, width = 90, 160
    frame = opaque(height, width, (10, 14, 23))
    bloom = Bloom(width, height)
    level = 1  # the glow is (23, 40) pixels, 4 frame pixels each; blocks of 32 frame pixels
    glow = np.zeros((23, 3 * 40), np.float32)
    glow[10:12, 3 * 7 : 3 * 8] = 0.01  # last glow column of block 0: bleeds into block 1
    glow[3, 3 * 16] = 0.02  # first glow column of block 2: bleeds into block 1
    glow[15, -3:] = 0.03  # the right border
    cutoff = module._NO_CHANGE_LEVELS / module._MAX_LEVELS_PER_LINEAR
    wide, peaks = bloom._wide_buffers(level)
    module._spread_columns(glow, *bloom._table(level, "columns"), cutoff, wide, peaks)
    assert (peaks == 0).any()  # some blocks really are skipped
    results = []
    for block_peaks in (peaks, np.full_like(peaks, np.inf)):
        out = frame.copy()
        module._composite(
            out,
            wide,
            block_peaks,
            bloom._rows,
            *bloom._table(level, "rows"),
            1.0,
            cutoff,
            module.RPDF,
        )
        results.append(out)
    np.testing.assert_array_equal(results[0], results[1])
    assert not np.array_equal(results[0], frame)


@pytest.mark.parametrize("sigma", [0.79, 1.2])  # 5 taps (the fused path) and 7 taps
def test_separable_blur_matches_a_renormalised_reference(sigma):
    from insideweights.renderer.bloom import _BLUR_COLUMNS_ADD, _BLUR_ROWS, _gaussian_taps

    taps = _gaussian_taps(sigma).astype(np.float64)
    reach = len(taps) // 2
    src = np.random.default_rng(7).random((12, 3 * 10), dtype=np.float32)

    def reference(image, axis):
        """Blur along ``axis`` of an (h, w, 3) image, weights renormalised at the edges."""
        out = np.zeros_like(image)
        size = image.shape[axis]
        for i in range(size):
            low, high = max(0, i - reach), min(size, i + reach + 1)
            weights = taps[low - i + reach : high - i + reach]
            part = np.take(image, range(low, high), axis=axis)
            shape = [1, 1, 1]
            shape[axis] = len(weights)
            value = (part * weights.reshape(shape)).sum(axis=axis) / weights.sum()
            if axis == 0:
                out[i] = value
            else:
                out[:, i] = value
        return out

    image = src.reshape(12, 10, 3).astype(np.float64)
    expected = 0.5 + 0.3 * reference(reference(image, 1), 0)
    rows = np.zeros_like(src)
    _BLUR_ROWS[0](src, taps.astype(np.float32), rows)
    acc = np.full_like(src, 0.5)
    _BLUR_COLUMNS_ADD[0](rows, taps.astype(np.float32), 0.3, acc)
    np.testing.assert_allclose(acc.reshape(12, 10, 3), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("size", [37, 160, 1004])
def test_frame_straight_to_quarter_resolution_equals_the_two_step_cascade(size):
    """The bright pass's composed table is the cascade of two [1, 3, 3, 1] downsamples."""
    from insideweights.renderer.bloom import _compose, _scatter, resampling_table

    half, quarter = (size + 1) // 2, (size + 3) // 4
    first = resampling_table(half, size, "down")
    second = resampling_table(quarter, half, "down")
    values = np.random.default_rng(size).random(size)

    def gather(table, source):
        index, weight = table
        return (source[index] * weight).sum(axis=1)

    cascade = gather(second, gather(first, values))
    composed = _compose(second, first, size)
    np.testing.assert_allclose(gather(composed, values), cascade, rtol=1e-6)
    # The scattered form (what the kernel walks) adds up to the same sums.
    target, share = _scatter(*composed, size)
    scattered = np.zeros(quarter)
    np.add.at(scattered, target.ravel(), (share * values[:, None]).ravel())
    np.testing.assert_allclose(scattered, cascade, rtol=1e-6)
    assert composed[0].shape[1] == 10 and target.shape[1] == 3  # ten taps, three outputs


def test_an_emission_layer_one_pixel_wide_still_glows():
    """A 2-pixel-wide frame has a 1-pixel-wide emission layer: it is a layer, not 'none'."""
    frame = opaque(16, 2)
    emission = np.zeros((8, 1, 4), np.uint8)
    emission[3:5, 0] = (60, 200, 230, 255)
    Bloom(2, 16).apply(frame, emission, threshold=1.0, intensity=1.0, radius=0.2, levels=2)
    assert frame[..., :3].any()
