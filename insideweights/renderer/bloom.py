"""Bloom: bright light bleeds into its surroundings, added to the frame in linear light.

Model. The glow of a light source is a sum of ``levels`` Gaussians whose widths
double from one to the next, the widest having standard deviation ``radius``
(a fraction of the frame height, so every resolution shows the same picture).
Each Gaussian carries the same share of the light, so the glow falls off like
1/r^2: brightest right at the source, with a soft, wide skirt, the way light
scatters in a lens or in air. The total added light is exactly ``intensity``
times the bright-pass light (away from the frame edges). Gaussians narrower
than ``MIN_SIGMA_PX`` are widened to it.

Pipeline, all in linear light, float32 RGB:

1. bright pass: every full-resolution pixel passes the part of its light
   whose Rec. 709 luminance is above ``threshold`` (a soft knee avoids a
   visible edge), and the optional half-resolution emission layer (where the
   renderer draws shapes that glow) passes all of its light;
2. a pyramid of 2x downsamples with a [1, 3, 3, 1] filter, which keeps the
   centroid of light exactly in place, so moving sources glide smoothly. The
   bright pass lands straight on quarter resolution (level 1) through the
   composed table of the first two steps, so the half-resolution level is
   never written;
3. each Gaussian is built on the coarsest level where it is still sampled
   well: the downsample/upsample filters already blur, and a small separable
   Gaussian tops the variance up to the exact target;
4. levels are summed coarse-to-fine with bilinear 2x upsamples; with the
   narrowest Gaussian at ``MIN_SIGMA_PX`` = 4, the finest sum is at quarter
   resolution;
5. each row of the sum is upsampled across to the frame's width once
   (``_spread_columns``), then each frame row mixes two of those rows, adds
   the light to its decoded bytes, re-encodes and dithers (RPDF, see
   ``dither.py``) in one vectorised pass (``_composite``) that skips blocks
   whose added light cannot change a byte.

Blurs renormalise their weights at the frame edges, so a glow near the border
does not darken towards it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from insideweights.renderer.colorspace import SRGB, smooth_decode, smooth_level
from insideweights.renderer.dither import RPDF, TILE
from insideweights.renderer.jit import (
    inline,
    interleaved_order,
    pick,
    pjit,
    prange,
    require_frame,
    require_number,
    serial_and_parallel,
)

__all__ = ["Bloom", "GlowPlan", "plan_glow"]

# Half-width of the soft threshold, as a fraction of the distance from the threshold to
# 0 or 1 (whichever is nearer), so threshold 1 passes nothing and threshold 0 everything.
KNEE = 0.5
MAX_LEVELS = 8
# Narrowest Gaussian, in frame pixels. A Gaussian is built on the coarsest pyramid level
# that still samples it well, and below about one pixel of that level its shape would
# depend on where a source sits on the grid. 4 px lets the whole glow live at quarter
# resolution (one sixteenth of the pixels of the frame), which is what makes bloom cheap
# at 1080p; the tightest halo is a little softer than at 2 px, which the eye does not
# pick out in the reel (compared side by side at 1080p).
MIN_SIGMA_PX = 4.0
# Share of a Gaussian's variance the resampling filters may supply on their own;
# the rest comes from a real Gaussian blur, so the glow stays round.
RESAMPLING_SHARE = 0.95
# A Gaussian is built on a level whose pixels are at most this many sigmas wide.
COARSEST_PIXEL = 1.5
# Added light below this many sRGB levels cannot change a byte (dither steps are 1/2048).
_NO_CHANGE_LEVELS = 0.25 / 2048
_MAX_LEVELS_PER_LINEAR = 255.0 * 12.92  # steepest slope of the sRGB curve (near black)
TILE_MASK = TILE - 1
# Pixels per run that the bright pass skips as a whole when none of them is bright.
SCAN = 64
# Frame pixels per block that the composite skips as a whole when its light is too faint.
BLOCK = 32


# -- planning (pure Python, cached per size and settings) -----------------------------------


@dataclass(frozen=True)
class GlowPlan:
    """Where each Gaussian of the glow is built and how much extra blur it needs.

    ``components`` holds (pyramid level, share of light, extra blur sigma in
    that level's pixels) per Gaussian; level p has pixels 2^(p+1) frame pixels
    wide. The finest level used is ``finest`` and the deepest ``deepest``.
    """

    components: tuple[tuple[int, float, float], ...]
    finest: int
    deepest: int


def _pixel(level: int) -> float:
    return 2.0 ** (level + 1)


def _resampling_variance(level: int, finest: int) -> float:
    """Variance (frame px^2) that the resampling filters alone give a point at ``level``."""
    bright = 0.75  # [1, 3, 3, 1] downsample into the half-resolution bright pass
    down = sum(0.75 * _pixel(j) ** 2 for j in range(level))
    up = sum(0.75 * _pixel(j) ** 2 for j in range(finest, level))
    final = (_pixel(finest) ** 2 + 0.5) / 6.0  # bilinear upsample of factor F to full size
    return bright + down + up + final


def plan_glow(height: int, radius: float, levels: int, depth: int) -> GlowPlan:
    """Choose a pyramid level and an extra blur for each of the ``levels`` Gaussians."""
    sigmas = [max(radius * height * 2.0 ** (k - levels + 1), MIN_SIGMA_PX) for k in range(levels)]

    def fits(level: int, finest: int, sigma: float) -> bool:
        return _resampling_variance(level, finest) <= RESAMPLING_SHARE * sigma**2

    finest = 0
    while finest + 1 < depth and fits(finest + 1, finest + 1, sigmas[0]):
        finest += 1
    components = []
    for sigma in sigmas:
        level = finest
        while (
            level + 1 < depth
            and _pixel(level + 1) <= COARSEST_PIXEL * sigma
            and fits(level + 1, finest, sigma)
        ):
            level += 1
        extra = max(sigma**2 - _resampling_variance(level, finest), 0.0)
        blur = math.sqrt(extra) / _pixel(level)
        if components and components[-1][0] == level and components[-1][2] == blur:
            # Widened to the same MIN_SIGMA_PX: one blur with both shares costs half.
            components[-1] = (level, components[-1][1] + 1.0 / levels, blur)
        else:
            components.append((level, 1.0 / levels, blur))
    deepest = max(level for level, _, _ in components)
    return GlowPlan(tuple(components), finest, deepest)


def _gaussian_taps(sigma: float) -> np.ndarray:
    """Normalised 1D blur weights with standard deviation ``sigma`` (in pixels).

    Small blurs use the 3 taps [a, 1 - 2a, a] with a = sigma^2 / 2, which has
    exactly the wanted variance and still peaks in the middle; larger ones a
    Gaussian cut at 2.5 sigma (the 1 % of weight beyond is renormalised away).
    """
    if sigma < 0.2:
        return np.ones(1, dtype=np.float32)
    if sigma <= 0.5:
        side = 0.5 * sigma * sigma
        return np.array([side, 1.0 - 2.0 * side, side], dtype=np.float32)
    reach = math.ceil(2.5 * sigma)
    offsets = np.arange(-reach, reach + 1, dtype=np.float64)
    weights = np.exp(-0.5 * (offsets / sigma) ** 2)
    return (weights / weights.sum()).astype(np.float32)


def _scatter(index: np.ndarray, weight: np.ndarray, size_in: int) -> tuple:
    """Invert a gather table: for each input pixel, the outputs it feeds and their weights.

    Returns (target, share), each (size_in, slots) with as many slots as the
    busiest input needs; each input's outputs keep their order (lowest first),
    and free slots get weight 0.
    """
    outputs = np.repeat(np.arange(index.shape[0]), index.shape[1])
    sources, shares = index.ravel(), weight.ravel()
    used = shares > 0.0
    outputs, sources, shares = outputs[used], sources[used], shares[used]
    order = np.argsort(sources, kind="stable")  # stable: outputs stay in order per input
    outputs, sources, shares = outputs[order], sources[order], shares[order]
    slot = np.arange(len(sources)) - np.searchsorted(sources, sources, side="left")
    slots = int(slot.max()) + 1 if slot.size else 1
    target = np.zeros((size_in, slots), np.int32)
    share = np.zeros((size_in, slots), np.float32)
    target[sources, slot] = outputs
    share[sources, slot] = shares
    return target, share


def _compose(outer: tuple, inner: tuple, size_in: int) -> tuple[np.ndarray, np.ndarray]:
    """The gather table of resampling with ``inner`` and then with ``outer``.

    One table from the frame straight to a pyramid level gives the same sums as
    the cascade of 2x steps (the same linear map, renormalised edges included),
    without writing and reading the levels in between.
    """
    outer_index, outer_weight = outer
    inner_index, inner_weight = inner
    rows = outer_index.shape[0]
    # Every (outer tap, inner tap) pair of every output, then equal sources merged.
    sources = inner_index[outer_index].reshape(rows, -1).astype(np.int64)
    weights = (outer_weight[:, :, None] * inner_weight[outer_index]).reshape(rows, -1)
    keys = (np.arange(rows)[:, None] * size_in + sources).ravel()
    merged, slot = np.unique(keys, return_inverse=True)
    total = np.bincount(slot, weights=weights.ravel().astype(np.float64))
    used = total > 0.0
    merged, total = merged[used], total[used]
    row, source = merged // size_in, merged % size_in
    tap = np.arange(len(row)) - np.searchsorted(row, row, side="left")
    taps = int(tap.max()) + 1
    index = np.zeros((rows, taps), np.int32)
    weight = np.zeros((rows, taps), np.float32)
    index[row, tap] = source
    weight[row, tap] = total
    # Unused taps repeat the row's last source with weight 0 (in range, adds nothing).
    counts = np.bincount(row, minlength=rows)
    last = index[np.arange(rows), np.maximum(counts - 1, 0)]
    unused = np.arange(taps)[None, :] >= counts[:, None]
    index[unused] = np.broadcast_to(last[:, None], index.shape)[unused]
    return index, weight


def _identity(size: int) -> tuple[np.ndarray, np.ndarray]:
    return np.arange(size, dtype=np.int32)[:, None], np.ones((size, 1), np.float32)


def _gate_mask(gate: int) -> np.uint32:
    """Bits that any colour byte >= ``gate`` must have set (alpha excluded), as a pixel word."""
    power = 1 << (max(gate, 1).bit_length() - 1)
    byte = 256 - power
    return np.array([byte, byte, byte, 0], np.uint8).view(np.uint32)[0]


def _level_shapes(height: int, width: int) -> list[tuple[int, int]]:
    shapes = [((height + 1) // 2, (width + 1) // 2)]
    while min(shapes[-1]) > 2:
        h, w = shapes[-1]
        shapes.append(((h + 1) // 2, (w + 1) // 2))
    return shapes


def resampling_table(size_out: int, size_in: int, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """Source indices and weights, (size_out, taps) each, for one axis of a resample.

    ``kind`` is "down" (2x, [1, 3, 3, 1] / 8) or "up<F>" (bilinear, factor F,
    pixel centres aligned). Taps outside the source get weight 0 (index
    clamped), and each row of weights is renormalised to sum to 1, so a glow
    does not darken towards the frame edges (light that would leave the frame
    stays in its last pixels instead).
    """
    out = np.arange(size_out, dtype=np.float64)
    if kind == "down":
        first = 2 * out.astype(np.int64) - 1
        index = first[:, None] + np.arange(4)
        weight = np.broadcast_to(np.array([1.0, 3.0, 3.0, 1.0]), index.shape).copy()
    else:
        factor = float(kind[2:])
        centre = (out + 0.5) / factor - 0.5
        low = np.floor(centre)
        index = low.astype(np.int64)[:, None] + np.arange(2)
        weight = np.stack([1.0 - (centre - low), centre - low], axis=1)
    inside = (index >= 0) & (index < size_in)
    weight = np.where(inside, weight, 0.0)
    weight /= weight.sum(axis=1, keepdims=True)
    return np.clip(index, 0, size_in - 1).astype(np.int32), weight.astype(np.float32)


# -- kernels (loops only; float buffers are (rows, 3 * columns), RGB interleaved) -----------


@inline
def _bright_pixel(pixels, x, tables, threshold, knee, weight_y, columns, row):
    """Add pixel x's light above the threshold to its two output columns in ``row``."""
    decode = tables.decode
    red = decode[pixels[x, 0]]
    green = decode[pixels[x, 1]]
    blue = decode[pixels[x, 2]]
    luma = np.float32(0.2126) * red + np.float32(0.7152) * green
    luma += np.float32(0.0722) * blue
    excess = luma - threshold
    if knee > 0.0:
        soft = min(max(luma - threshold + knee, 0.0), 2.0 * knee)
        excess = max(excess, soft * soft / (4.0 * knee))
    if not excess > 0.0:
        return
    column_target, column_weight = columns
    share = np.float32(weight_y * excess / luma)
    for j in range(column_target.shape[1]):
        part = share * column_weight[x, j]
        at = 3 * column_target[x, j]
        row[at] += red * part
        row[at + 1] += green * part
        row[at + 2] += blue * part


@inline
def _any_bits(words, mask):
    """Whether any of ``words`` has a bit of ``mask`` set (one vectorised OR over them)."""
    bits = np.uint32(0)
    for k in range(words.shape[0]):
        bits |= words[k]
    return bits & mask != 0


@pjit
def _bright_rows(frame, words, mask, tables, threshold, knee, columns, order, light, lit):
    """Each frame row's light above the threshold, scattered across to the pyramid level.

    ``light[y]`` gets frame row y's light above ``threshold`` (soft knee of
    half-width ``knee``), each column spread over its output columns by
    ``columns`` (a scatter table); ``lit[y]`` says whether the row has any (an
    unlit row's ``light`` is left as it was: never read). ``words`` is the
    frame seen as one uint32 per pixel: a run of ``SCAN`` pixels none of whose
    colour bytes has a bit of ``mask`` set is below the gate, and is skipped
    after one vectorised OR. Rows are taken in the interleaved ``order``.
    """
    width = frame.shape[1]
    for task in prange(order.shape[0]):
        y = order[task]
        lit[y] = 0
        pixels, packed, row = frame[y], words[y], light[y]
        for first in range(0, width, SCAN):
            last = min(first + SCAN, width)
            if not _any_bits(packed[first:last], mask):
                continue
            if not lit[y]:
                row[:] = 0.0
                lit[y] = 1
            for x in range(first, last):
                if packed[x] & mask:
                    _bright_pixel(pixels, x, tables, threshold, knee, 1.0, columns, row)


@pjit
def _bright_pass(
    light,
    lit,
    rows,
    has_emission,
    emission,
    emission_words,
    any_colour,
    tables,
    emission_rows,
    emission_columns,
    order,
    out,
):
    """Light above the threshold, plus the emission layer, at a pyramid level.

    The frame goes straight to the level of ``out`` through the cascade of the
    pyramid's [1, 3, 3, 1] filter, so a single bright pixel's light stays
    centred on it (a 2x2 box would shift it by half a pixel, and the glow of a
    moving dot would jump in steps): ``_bright_rows`` did the columns, and
    ``rows`` gathers those rows (``lit`` ones only) into each output row. The
    half-resolution emission layer, when ``has_emission``, goes the same way,
    rows and columns, with ``emission_rows`` and ``emission_columns``
    (``emission_words`` and ``any_colour`` skip its empty runs). Output
    rows are taken in the interleaved ``order``.
    """
    row_index, row_weight = rows
    emission_row_index, emission_row_weight = emission_rows
    emission_target, emission_share = emission_columns
    decode = tables.decode
    for task in prange(order.shape[0]):
        y = order[task]
        row = out[y]
        row[:] = 0.0
        for i in range(row_index.shape[1]):
            weight_y = row_weight[y, i]
            source = row_index[y, i]
            if weight_y == 0.0 or not lit[source]:
                continue
            spread = light[source]
            for k in range(row.shape[0]):
                row[k] += weight_y * spread[k]
        if not has_emission:
            continue
        for i in range(emission_row_index.shape[1]):
            weight_y = emission_row_weight[y, i]
            source = emission_row_index[y, i]
            glowing = emission_words[source]
            for first in range(0, emission.shape[1], SCAN):
                last = min(first + SCAN, emission.shape[1])
                if weight_y == 0.0 or not _any_bits(glowing[first:last], any_colour):
                    continue  # most of the layer is empty
                for x in range(first, last):
                    if glowing[x] & any_colour:
                        for j in range(emission_target.shape[1]):
                            part = weight_y * emission_share[x, j]
                            at = 3 * emission_target[x, j]
                            for c in range(3):
                                row[at + c] += decode[emission[source, x, c]] * part


def _resample(src, dst, row_index, row_weight, column_index, column_weight, scratch):
    """Separable resample (see ``resampling_table``): rows into ``scratch``, then columns.

    The vertical pass runs over whole rows (contiguous, vectorised); ``scratch``
    needs at least ``dst``'s row count and ``src``'s row length.
    """
    for y in prange(dst.shape[0]):
        mixed = scratch[y, : src.shape[1]]
        mixed[:] = 0.0
        for i in range(row_index.shape[1]):
            weight = row_weight[y, i]
            source = src[row_index[y, i]]
            for k in range(mixed.shape[0]):
                mixed[k] += weight * source[k]
        out = dst[y]
        for x in range(column_index.shape[0]):
            red = green = blue = np.float32(0.0)
            for j in range(column_index.shape[1]):
                weight = column_weight[x, j]
                at = 3 * column_index[x, j]
                red += weight * mixed[at]
                green += weight * mixed[at + 1]
                blue += weight * mixed[at + 2]
            out[3 * x] = red
            out[3 * x + 1] = green
            out[3 * x + 2] = blue


def _upsample2(src, dst, row_index, row_weight, scratch):
    """Bilinear 2x upsample (``resampling_table`` "up2" rows, clamped columns).

    Same result as ``_resample`` with the "up2" tables (clamping an edge pixel
    equals renormalising its weights), without the per-pixel column gathers.
    """
    columns = src.shape[1] // 3
    width = dst.shape[1] // 3
    for y in prange(dst.shape[0]):
        mixed = scratch[y, : src.shape[1]]
        upper, lower = row_weight[y, 0], row_weight[y, 1]
        top, bottom = src[row_index[y, 0]], src[row_index[y, 1]]
        for k in range(mixed.shape[0]):
            mixed[k] = upper * top[k] + lower * bottom[k]
        out = dst[y]
        for i in range(columns):
            left = 3 * max(i - 1, 0)
            right = 3 * min(i + 1, columns - 1)
            at = 6 * i
            for c in range(3):
                middle = np.float32(0.75) * mixed[3 * i + c]
                out[at + c] = middle + np.float32(0.25) * mixed[left + c]
                if 2 * i + 1 < width:
                    out[at + 3 + c] = middle + np.float32(0.25) * mixed[right + c]


def _blur_rows(src, taps, dst):
    """Horizontal Gaussian blur; weights renormalised where the kernel leaves the frame."""
    width = src.shape[1] // 3
    reach = (taps.shape[0] - 1) // 2
    inner = max(width - 2 * reach, 0)
    for y in prange(src.shape[0]):
        source = src[y]
        # Interior: tap-outer loops over contiguous views, which the compiler vectorises.
        out = dst[y, 3 * reach : 3 * (reach + inner)]
        if reach == 2:  # the common case, in one pass over ``out``
            w0, w1, w2 = taps[0], taps[1], taps[2]
            for k in range(out.shape[0]):
                outer = source[k] + source[k + 12]
                out[k] = w0 * outer + w1 * (source[k + 3] + source[k + 9]) + w2 * source[k + 6]
        else:
            out[:] = 0.0
        for t in range(taps.shape[0] if reach != 2 else 0):
            weight = taps[t]
            shifted = source[3 * t : 3 * (t + inner)]
            for k in range(out.shape[0]):
                out[k] += weight * shifted[k]
        # Edges: few pixels, each with its own renormalised weights.
        for x in range(width):
            if reach <= x < reach + inner:
                continue
            red = green = blue = total = np.float32(0.0)
            for j in range(max(0, x - reach), min(width, x + reach + 1)):
                weight = taps[j - x + reach]
                total += weight
                red += weight * source[3 * j]
                green += weight * source[3 * j + 1]
                blue += weight * source[3 * j + 2]
            dst[y, 3 * x] = red / total
            dst[y, 3 * x + 1] = green / total
            dst[y, 3 * x + 2] = blue / total


def _blur_columns_add(src, taps, gain, acc):
    """``acc += gain * (vertical Gaussian blur of src)``, renormalised at the frame edges."""
    height = src.shape[0]
    reach = (taps.shape[0] - 1) // 2
    for y in prange(height):
        low, high = max(0, y - reach), min(height, y + reach + 1)
        total = np.float32(0.0)
        for j in range(low, high):
            total += taps[j - y + reach]
        out = acc[y]
        if reach == 2 and high - low == 5:  # the common case, in one pass over ``out``
            w0, w1, w2 = gain * taps[0], gain * taps[1], gain * taps[2]
            s0, s1, s2, s3, s4 = src[y - 2], src[y - 1], src[y], src[y + 1], src[y + 2]
            for k in range(out.shape[0]):
                out[k] += w0 * (s0[k] + s4[k]) + w1 * (s1[k] + s3[k]) + w2 * s2[k]
            continue
        for j in range(low, high):
            weight = np.float32(gain * taps[j - y + reach] / total)
            source = src[j]
            for k in range(out.shape[0]):
                out[k] += weight * source[k]


_RESAMPLE = serial_and_parallel(_resample)
_UPSAMPLE2 = serial_and_parallel(_upsample2)
_BLUR_ROWS = serial_and_parallel(_blur_rows)
_BLUR_COLUMNS_ADD = serial_and_parallel(_blur_columns_add)


@pjit
def _spread_columns(glow, column_index, column_weight, floor, wide, peaks):
    """Upsample each glow row to the frame's width, laid out like the frame's bytes.

    ``wide[y]`` gets, for every frame column x, the glow's RGB at x (columns
    ``column_index[x]`` mixed with ``column_weight[x]``, see ``resampling_table``)
    and a zero where the frame has alpha. Done once per glow row, so each frame
    row only has to mix two of these rows. Work goes in blocks of ``BLOCK``
    frame columns: ``peaks[y, block]`` gets the largest glow value the block
    can see, and a block whose peak is at most ``floor`` is filled with zeros
    instead (its light cannot change a byte).
    """
    width = column_index.shape[0]
    for y in prange(glow.shape[0]):
        line, out = glow[y], wide[y]
        # Glow is never negative, and non-negative floats order like their bit
        # patterns: comparing them as integers lets the compiler vectorise the search.
        bits = line.view(np.int32)
        for block in range(peaks.shape[1]):
            first = block * BLOCK
            last = min(first + BLOCK, width)
            low, high = 3 * column_index[first, 0], 3 * column_index[last - 1, 1] + 3
            peak = np.array([bits[low:high].max()]).view(np.float32)[0]
            peaks[y, block] = peak
            if not peak > floor:
                out[4 * first : 4 * last] = 0.0
                continue
            for x in range(first, last):
                a, b = 3 * column_index[x, 0], 3 * column_index[x, 1]
                w = column_weight[x, 1]
                for c in range(3):
                    out[4 * x + c] = line[a + c] + w * (line[b + c] - line[a + c])
                out[4 * x + 3] = np.float32(0.0)


@pjit
def _composite(frame, wide, peaks, rows, row_index, row_weight, intensity, cutoff, rpdf):
    """Add the glow to the frame in linear light and dither (RPDF).

    ``wide`` holds the glow rows already upsampled across (see
    ``_spread_columns``); frame row y mixes rows ``row_index[y]`` with
    ``row_weight[y]``, scaled by ``intensity``. Each frame row goes in blocks
    of ``BLOCK`` pixels; a block where neither glow row's ``peaks`` can add
    more than ``cutoff`` is skipped (the weights sum to one, so no mix of the
    two rows exceeds the larger peak). Rows are taken in the order ``rows``
    (interleaved, so both threads get a share of the glowing rows).
    """
    height, width = frame.shape[0], frame.shape[1]
    frame_bytes = frame.reshape(height, 4 * width)
    noise_rows = rpdf.reshape(rpdf.shape[0], 4 * rpdf.shape[1])
    noise_mask = noise_rows.shape[1] - 1
    for task in prange(rows.shape[0]):
        y = rows[task]
        above, below = row_index[y, 0], row_index[y, 1]
        upper = np.float32(row_weight[y, 0] * intensity)
        lower = np.float32(row_weight[y, 1] * intensity)
        noise = noise_rows[y & TILE_MASK]
        for block in range(peaks.shape[1]):
            peak = max(peaks[above, block], peaks[below, block])
            if not peak * np.float32(intensity) > cutoff:
                continue
            start, stop = 4 * block * BLOCK, 4 * min((block + 1) * BLOCK, width)
            offset = start & noise_mask  # BLOCK divides TILE: no wrap within a block
            _add_light(
                frame_bytes[y, start:stop],
                wide[above, start:stop],
                wide[below, start:stop],
                upper,
                lower,
                noise[offset : offset + stop - start],
                cutoff,
            )


@inline
def _add_light(pixels, top, bottom, upper, lower, noise, cutoff):
    """Add light ``upper * top + lower * bottom`` to sRGB bytes, dithered with ``noise``.

    Straight-line arithmetic on every byte (the compiler vectorises it): the
    byte is decoded and the light added with the smooth curves of
    ``colorspace``, whose round trip is within 0.003 levels of exact. Light at
    or below ``cutoff`` could not change a byte, and adds nothing, so those
    bytes keep their value exactly.
    """
    for k in range(pixels.shape[0]):
        light = upper * top[k] + lower * bottom[k]
        byte = np.float32(pixels[k])
        after = min(smooth_decode(byte) + light, np.float32(1.0))
        gain = max(smooth_level(after) - byte, np.float32(0.0))
        gain = gain if light > cutoff else np.float32(0.0)
        level = min(byte + gain, np.float32(255.0))
        pixels[k] = np.uint8(level + noise[k])


# -- wrapper --------------------------------------------------------------------------------


class Bloom:
    """Bloom for frames of one size; holds the pyramid buffers so frames allocate nothing.

    ``apply`` adds the glow to ``frame_u8`` in place (uint8 RGBA, premultiplied,
    sRGB, opaque). ``emission_u8`` is an optional half-resolution layer of the
    same format, shape ((H + 1) // 2, (W + 1) // 2, 4), whose light glows in
    full whatever the threshold.
    """

    def __init__(self, width: int, height: int) -> None:
        for name, value in (("width", width), ("height", height)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"bloom {name} must be a positive integer, got {value!r}")
        self.width, self.height = width, height
        self.shapes = _level_shapes(height, width)
        self.emission_shape = self.shapes[0]
        self._pyramid = [np.zeros((h, 3 * w), np.float32) for h, w in self.shapes]
        self._scratch = [np.zeros((h, 3 * w), np.float32) for h, w in self.shapes]
        self._sums = [np.zeros((h, 3 * w), np.float32) for h, w in self.shapes]
        self._wide: tuple[int, np.ndarray, np.ndarray] | None = None
        self._no_emission = np.zeros((1, 1, 4), np.uint8)
        self._rows = interleaved_order(height)
        # The bright pass writes quarter resolution (level 1) straight from the frame:
        # every Gaussian is built there or coarser (see MIN_SIGMA_PX).
        self._bright_level = min(1, len(self.shapes) - 1)
        self._orders = {
            level: interleaved_order(self.shapes[level][0])
            for level in range(self._bright_level + 1)
        }
        # Each frame row's bright light, already spread across to the bright level.
        self._bright_light: dict[int, np.ndarray] = {}
        self._lit = np.zeros(height, np.uint8)
        self._plans: dict[tuple[float, int], GlowPlan] = {}
        self._tables: dict[tuple[int, str], tuple] = {}

    def plan(self, radius: float, levels: int) -> GlowPlan:
        """The (cached) glow plan for these settings at this frame size."""
        key = (radius, levels)
        if key not in self._plans:
            self._plans[key] = plan_glow(self.height, radius, levels, len(self.shapes))
        return self._plans[key]

    def apply(self, frame_u8, emission_u8=None, *, threshold, intensity, radius, levels):
        """Add the glow of ``frame_u8``'s bright parts and of ``emission_u8`` to the frame.

        ``threshold``: linear luminance in [0, 1] above which frame pixels glow;
        ``intensity``: added light / bright-pass light (>= 0); ``radius``: sigma
        of the widest Gaussian as a fraction of the frame height; ``levels``:
        number of Gaussians (1..8), each half as wide as the next. Pixels that
        receive no light keep their bytes exactly, and the result does not
        depend on the number of kernel threads.
        """
        require_frame("frame_u8", frame_u8, shape=(self.height, self.width), writeable=True)
        intensity = require_number("intensity", intensity, 0.0, 100.0)
        if intensity == 0.0:
            self._check(frame_u8, emission_u8, threshold, radius, levels)
            return frame_u8
        glow = self.glow(frame_u8, emission_u8, threshold=threshold, radius=radius, levels=levels)
        finest = self.plan(radius, levels).finest
        cutoff = _NO_CHANGE_LEVELS / _MAX_LEVELS_PER_LINEAR
        wide, peaks = self._wide_buffers(finest)
        _spread_columns(glow, *self._table(finest, "columns"), cutoff / intensity, wide, peaks)
        _composite(
            frame_u8,
            wide,
            peaks,
            self._rows,
            *self._table(finest, "rows"),
            intensity,
            cutoff,
            RPDF,
        )
        return frame_u8

    def glow(self, frame_u8, emission_u8=None, *, threshold, radius, levels) -> np.ndarray:
        """The glow for unit intensity: linear float32, shape (h, 3 * w), at the finest level.

        Returns an internal buffer that the next call overwrites. ``apply`` is
        this plus the composite; it is public for tests and diagnostics.
        """
        threshold, radius = self._check(frame_u8, emission_u8, threshold, radius, levels)
        plan = self.plan(radius, levels)
        knee = KNEE * min(threshold, 1.0 - threshold)
        gate = int(np.searchsorted(SRGB.decode[:256], threshold - knee, side="right"))
        emission = self._no_emission if emission_u8 is None else emission_u8
        start = min(self._bright_level, plan.finest)
        if start not in self._bright_light:
            columns = self.shapes[start][1]
            self._bright_light[start] = np.zeros((self.height, 3 * columns), np.float32)
        light = self._bright_light[start]
        _bright_rows(
            frame_u8,
            frame_u8.view(np.uint32).reshape(self.height, self.width),
            _gate_mask(gate),
            SRGB,
            threshold,
            knee,
            self._table(start, "bright columns"),
            self._rows,
            light,
            self._lit,
        )
        _bright_pass(
            light,
            self._lit,
            self._table(start, "bright rows"),
            emission_u8 is not None,
            emission,
            emission.view(np.uint32).reshape(emission.shape[:2]),
            _gate_mask(1),
            SRGB,
            self._table(start, "emission rows"),
            self._table(start, "emission columns"),
            self._orders[start],
            self._pyramid[start],
        )
        for level in range(start, plan.deepest):
            tables = self._table(level + 1, "down rows") + self._table(level + 1, "down columns")
            resample = pick(_RESAMPLE, self._pixels(level + 1))
            resample(self._pyramid[level], self._pyramid[level + 1], *tables, self._scratch[level])

        for level in range(plan.deepest, plan.finest - 1, -1):
            total = self._sums[level]
            if level == plan.deepest:
                total.fill(0.0)
            else:
                pick(_UPSAMPLE2, self._pixels(level))(
                    self._sums[level + 1],
                    total,
                    *self._table(level, "up rows"),
                    self._scratch[level],
                )
            for at, share, sigma in plan.components:
                if at == level:
                    taps = _gaussian_taps(sigma)
                    pixels = self._pixels(level)
                    pick(_BLUR_ROWS, pixels)(self._pyramid[level], taps, self._scratch[level])
                    pick(_BLUR_COLUMNS_ADD, pixels)(self._scratch[level], taps, share, total)
        return self._sums[plan.finest]

    def _wide_buffers(self, level: int) -> tuple[np.ndarray, np.ndarray]:
        """The composite's buffers for a glow at ``level``: rows upsampled across, block peaks."""
        if self._wide is None or self._wide[0] != level:
            rows = self.shapes[level][0]
            blocks = -(-self.width // BLOCK)
            wide = np.zeros((rows, 4 * self.width), np.float32)
            self._wide = (level, wide, np.zeros((rows, blocks), np.float32))
        return self._wide[1], self._wide[2]

    def _pixels(self, level: int) -> int:
        height, width = self.shapes[level]
        return height * width

    def _check(self, frame_u8, emission_u8, threshold, radius, levels) -> tuple[float, float]:
        """Validate the inputs of ``glow``; returns threshold and radius as floats."""
        require_frame("frame_u8", frame_u8, shape=(self.height, self.width))
        if emission_u8 is not None:
            require_frame("emission_u8", emission_u8, shape=self.emission_shape)
        threshold = require_number("threshold", threshold, 0.0, 1.0)
        radius = require_number("radius", radius, 0.0, 1.0, low_open=True)
        if (
            not isinstance(levels, int)
            or isinstance(levels, bool)
            or not 1 <= levels <= MAX_LEVELS
        ):
            raise ValueError(f"levels must be an integer in 1..{MAX_LEVELS}, got {levels!r}")
        return threshold, radius

    def _table(self, level: int, kind: str) -> tuple[np.ndarray, np.ndarray]:
        """Resampling tables for ``level``, by ``kind``.

        "down rows"/"down columns": gather from level - 1 (the frame for level 0);
        "bright rows"/"bright columns": from the frame straight to ``level``
        (gather rows, scatter columns); "emission rows"/"emission columns": the
        same from level 0; "up rows": 2x up from level + 1; "rows"/"columns":
        from ``level`` up to full size.
        """
        key = (level, kind)
        if key not in self._tables:
            self._tables[key] = self._make_table(level, kind)
        return self._tables[key]

    def _make_table(self, level: int, kind: str) -> tuple[np.ndarray, np.ndarray]:
        axis = 0 if kind.endswith("rows") else 1
        size = self.shapes[level][axis]
        full = (self.height, self.width)[axis]
        if kind.startswith("down"):
            source = full if level == 0 else self.shapes[level - 1][axis]
            return resampling_table(size, source, "down")
        if kind.startswith(("bright", "emission")):
            # bright: frame -> level 0 -> ... -> level; emission: level 0 -> ... -> level.
            first, source = (0, full) if kind.startswith("bright") else (1, self.shapes[0][axis])
            table = _identity(source)
            for step in range(first, level + 1):
                table = _compose(self._table(step, f"down {kind.split()[1]}"), table, source)
            return table if axis == 0 else _scatter(*table, source)
        if kind.startswith("up"):
            return resampling_table(size, self.shapes[level + 1][axis], "up2")
        return resampling_table(full, size, f"up{_pixel(level):g}")
