"""Weight tensors: heat-map grids and matrices of real-looking float values.

Two views of the same idea, "a layer is a table of learned numbers":

- :func:`tensor_grid` colours each cell by its value (one ``Heatmap`` plus a frame);
- :func:`number_matrix` prints the values themselves (``Text`` per cell, bracketed),
  optionally *resolving* from flickering digits into the final numbers.

Both take a position, a size and progress values in [0, 1] and return a ``Group``.
Values are plain numpy arrays; build them once (e.g. with :func:`gaussian_weights`
from a ``phase_rng``), never per frame.
"""

from __future__ import annotations

import numpy as np

from insideweights import theme
from insideweights.display import Group, Heatmap, Path, Rect, Style, Text
from insideweights.phases.widgets._util import check_box, check_positive, clamp01, staggered
from insideweights.timeline.color import Rgba

MINUS = "\u2212"  # a real minus sign, never the hyphen
MONO_ADVANCE = 0.6  # JetBrains Mono advance width as a fraction of the font size
REVEAL_SOFTNESS = 4.0  # how many diagonals a tensor_grid reveal blends over
SCRAMBLE_STEPS = 14  # distinct flicker states a resolving number shows
BRACKET_ARM = 0.22  # bracket arm length as a fraction of the cell height


def format_weight(value: float, decimals: int = 3, *, plus: bool = False) -> str:
    """``value`` with ``decimals`` places and a true minus sign (U+2212).

    ``format_weight(-1.2041, 3) == "−1.204"``; ``plus=True`` writes "+" for positives.
    Zero is never written as "−0.000".
    """
    if decimals < 0:
        raise ValueError(f"decimals must be >= 0, got {decimals!r}")
    text = f"{abs(value):.{decimals}f}"
    if float(text) == 0.0:
        return text
    if value < 0:
        return MINUS + text
    return "+" + text if plus else text


def gaussian_weights(rng: np.random.Generator, rows: int, cols: int, std: float = 0.6):
    """A (rows, cols) array of normally distributed weights with a few larger outliers.

    Real layers are mostly small values with rare large ones; a light heavy tail
    (Student-t, 5 degrees of freedom) makes printed matrices look like real weights.
    """
    if rows < 1 or cols < 1:
        raise ValueError(f"rows and cols must be >= 1, got {rows!r} x {cols!r}")
    return std * rng.standard_t(5, size=(rows, cols))


def heat_values(weights: np.ndarray, spread: float | None = None) -> np.ndarray:
    """Map weights to [0, 1] heat values: 0.5 is zero, tanh squashes the tails.

    ``spread`` is the weight magnitude that maps to about 0.88 / 0.12; by default
    the array's own standard deviation times two.
    """
    weights = np.asarray(weights, dtype=np.float64)
    scale = spread if spread is not None else 2.0 * float(np.std(weights)) or 1.0
    return 0.5 + 0.5 * np.tanh(weights / scale * 1.4)


def _diagonal_mask(rows: int, cols: int, reveal: float) -> np.ndarray:
    """Per-cell reveal in [0, 1], sweeping from the top-left corner diagonally."""
    diagonal = np.add.outer(np.arange(rows), np.arange(cols)).astype(np.float64)
    span = rows + cols - 1 + REVEAL_SOFTNESS
    return np.clip((reveal * span - diagonal) / REVEAL_SOFTNESS, 0.0, 1.0)


def tensor_grid(
    x: float,
    y: float,
    w: float,
    h: float,
    values: np.ndarray,
    *,
    reveal: float = 1.0,
    low: Rgba = theme.PANEL,
    high: Rgba = theme.BLUE,
    outline: Rgba | None = theme.BLUE,
    gap: float | None = None,
    opacity: float = 1.0,
    glow: float = 0.0,
    outline_width: float = theme.STROKE_THIN,
) -> Group:
    """A heat-map matrix at (x, y) of size w x h, cells coloured by ``values`` in [0, 1].

    ``reveal`` sweeps the cells in diagonally from the top-left while the frame
    draws on; at 0 nothing is drawn. ``gap`` is the space between cells (default:
    a tenth of the smaller cell side). ``glow`` makes the bright cells bloom.
    """
    check_box("tensor_grid", w, h)
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 2:
        raise ValueError(f"tensor_grid values must be a 2-D array, got shape {values.shape}")
    reveal = clamp01(reveal)
    if reveal <= 0.0 or opacity <= 0.0:
        return Group(items=())

    rows, cols = values.shape
    if gap is None:
        gap = 0.1 * min(w / cols, h / rows)
    shown = np.clip(values, 0.0, 1.0)
    if reveal < 1.0:
        shown = shown * _diagonal_mask(rows, cols, reveal)
    items: list = [Heatmap(x, y, w, h, shown, low, high, gap=gap, glow=glow)]
    if outline is not None:
        pad = gap
        frame = Style(stroke=outline, width=outline_width, trim=reveal)
        items.append(Rect(x - pad, y - pad, w + 2 * pad, h + 2 * pad, frame, radius=pad))
    return Group(items=tuple(items), opacity=opacity)


# -- number matrix ---------------------------------------------------------------------------


def _bracket(x: float, top: float, bottom: float, arm: float, style: Style) -> Path:
    """A square bracket whose arms point right (arm > 0) or left (arm < 0)."""
    return Path(
        (("M", x + arm, top), ("L", x, top), ("L", x, bottom), ("L", x + arm, bottom)), style
    )


def _scrambled(value: float, decimals: int, cell: int, step: int) -> str:
    """Deterministic flicker text: the final number with its last digits still rolling.

    Sign, integer part and first decimal are already right, so the flicker reads as
    precision settling rather than as unrelated numbers.
    """
    final = format_weight(value, decimals)
    rolling = max(0, decimals - 1)
    if rolling == 0:
        return final
    state = (cell * 2654435761 + step * 40503 + 97) & 0xFFFFFFFF
    digits = []
    for _ in range(rolling):
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        digits.append(str((state >> 16) % 10))
    return final[:-rolling] + "".join(digits)


def number_cell_width(decimals: int, size: float) -> float:
    """Width of one printed weight such as "−1.204" in the mono font (plus a gap)."""
    check_positive("number_cell_width size", size)
    characters = decimals + 3  # sign, leading digit, point, decimals
    return (characters + 1.2) * MONO_ADVANCE * size


def number_matrix(
    x: float,
    y: float,
    values: np.ndarray,
    *,
    size: float = theme.TEXT_TINY,
    decimals: int = 3,
    cell_w: float | None = None,
    cell_h: float | None = None,
    reveal: float = 1.0,
    resolve: float = 1.0,
    colour: Rgba = theme.TEXT,
    negative_colour: Rgba | None = None,
    brackets: Rgba | None = theme.BLUE,
    highlight: tuple[int, int] | None = None,
    highlight_colour: Rgba = theme.ORANGE,
    opacity: float = 1.0,
) -> Group:
    """A bracketed matrix of printed floats with its top-left corner at (x, y).

    ``reveal`` fades the cells in, row-major diagonal order. ``resolve`` < 1 shows
    deterministic flickering digits (same sign and length as the final value) that
    settle into the real values cell by cell; at 1 every cell shows
    :func:`format_weight` of its value. ``highlight`` (row, col) prints that cell
    in ``highlight_colour`` with glow. Numbers are right-aligned on their decimal
    column, so columns line up like a real printout. Use :func:`matrix_size` to
    learn the footprint.
    """
    check_positive("number_matrix size", size)
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 2:
        raise ValueError(f"number_matrix values must be a 2-D array, got shape {values.shape}")
    reveal, resolve = clamp01(reveal), clamp01(resolve)
    if reveal <= 0.0 or opacity <= 0.0:
        return Group(items=())

    rows, cols = values.shape
    cell_w = cell_w if cell_w is not None else number_cell_width(decimals, size)
    cell_h = cell_h if cell_h is not None else size * 1.55
    count = rows * cols
    items: list = []
    for r in range(rows):
        for c in range(cols):
            index = r * cols + c
            shown = staggered(reveal, r + c, rows + cols - 1)
            if shown <= 0.0:
                continue
            settled = staggered(resolve, (index * 7) % count, count, overlap=count * 0.35)
            value = float(values[r, c])
            if settled >= 1.0:
                text = format_weight(value, decimals)
            else:
                text = _scrambled(value, decimals, index, int(resolve * SCRAMBLE_STEPS * 3))
            is_highlight = highlight == (r, c)
            tint = colour
            if negative_colour is not None and value < 0:
                tint = negative_colour
            if is_highlight:
                tint = highlight_colour
            right = x + (c + 1) * cell_w - 0.6 * MONO_ADVANCE * size
            baseline = y + (r + 0.5) * cell_h + 0.36 * size
            items.append(
                Text(
                    text,
                    right,
                    baseline,
                    size,
                    tint,
                    role="mono",
                    align="right",
                    opacity=shown * (0.55 + 0.45 * settled),
                    glow=theme.GLOW if is_highlight else 0.0,
                )
            )
    if brackets is not None:
        style = Style(stroke=brackets, width=theme.STROKE_THIN, opacity=reveal)
        arm = BRACKET_ARM * cell_h
        top, bottom = y, y + rows * cell_h
        items.append(_bracket(x, top, bottom, arm, style))
        items.append(_bracket(x + cols * cell_w, top, bottom, -arm, style))
    return Group(items=tuple(items), opacity=opacity)


def matrix_size(
    rows: int,
    cols: int,
    *,
    size: float = theme.TEXT_TINY,
    decimals: int = 3,
    cell_w: float | None = None,
    cell_h: float | None = None,
) -> tuple[float, float]:
    """The (width, height) a :func:`number_matrix` with these settings occupies."""
    cell_w = cell_w if cell_w is not None else number_cell_width(decimals, size)
    cell_h = cell_h if cell_h is not None else size * 1.55
    return cols * cell_w, rows * cell_h
