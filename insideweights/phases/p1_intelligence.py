"""Phase 1 · Where Intelligence Lives: a giant transformer, its parts, and its billions of numbers.

The stack builds up in blue outlines; embeddings, attention heads, hidden states
and logits are revealed and labelled in turn while cyan tokens flow up through the
layers. Then the stack steps aside, one attention head is singled out, its weights
appear as a heat-map patch that resolves into real-looking floats, and a counter
runs up to the parameter count of a 70B-class model, computed from its
architecture (see :func:`parameter_count`). One slow dolly-in spans the phase.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cache

import numpy as np

from insideweights import theme
from insideweights.display import Camera, Group, Line, Rect, Scene, Style, Text
from insideweights.phases.common import phase_rng
from insideweights.phases.widgets import (
    gaussian_weights,
    heat_values,
    matrix_size,
    number_matrix,
    stack_layout,
    tensor_grid,
    token_stream,
    transformer_stack,
)
from insideweights.phases.widgets._util import Rectangle, clamp01
from insideweights.timeline import (
    Timeline,
    in_out_cubic,
    in_out_sine,
    out_cubic,
    out_quart,
    parallel,
    smooth,
    tween,
)
from insideweights.timeline import delay as after

NAME = "Where Intelligence Lives"
SECONDS = 15


# -- the model whose parameters are counted --------------------------------------------------


@dataclass(frozen=True, slots=True)
class ModelConfig:
    """A decoder-only transformer with grouped-query attention and a gated MLP."""

    layers: int
    d_model: int
    heads: int
    kv_heads: int
    d_ffn: int
    vocab: int

    @property
    def head_dim(self) -> int:
        return self.d_model // self.heads


# The published shape of a 70B-class open model (Llama 2 70B).
MODEL = ModelConfig(layers=80, d_model=8192, heads=64, kv_heads=8, d_ffn=28672, vocab=32000)


def layer_parameters(config: ModelConfig) -> int:
    """Weights in one block: Q and O (d x d), K and V (d x kv), a 3-matrix MLP, two norms."""
    d = config.d_model
    kv = config.kv_heads * config.head_dim
    attention = 2 * d * d + 2 * d * kv
    mlp = 3 * d * config.d_ffn
    return attention + mlp + 2 * d


def parameter_count(config: ModelConfig) -> int:
    """All weights: every block, the input embedding, the output head and the final norm."""
    embeddings = config.vocab * config.d_model
    return config.layers * layer_parameters(config) + 2 * embeddings + config.d_model


PARAMETERS = parameter_count(MODEL)
SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def scientific(value: int, digits: int = 1) -> str:
    """``68976648192 -> "6.9 × 10¹⁰"``: the mantissa rounded to ``digits`` decimals."""
    exponent = len(str(value)) - 1
    mantissa = round(value / 10**exponent, digits)
    if mantissa >= 10.0:
        mantissa, exponent = mantissa / 10.0, exponent + 1
    return f"{mantissa:.{digits}f} × 10{str(exponent).translate(SUPERSCRIPTS)}"


def breakdown_rows() -> tuple[str, ...]:
    """The sum behind the counter, term by term, then its order of magnitude."""
    return (
        f"{MODEL.layers} layers × {layer_parameters(MODEL):,}",
        f"+ 2 × {MODEL.vocab * MODEL.d_model:,}  (embeddings, output)",
        f"+ {MODEL.d_model:,}  (final norm)",
        f"≈ {scientific(PARAMETERS)} floating-point numbers",
    )


def shown_count(progress_eased: float) -> int:
    """The counter's value for eased progress in [0, 1]: exact at both ends."""
    if progress_eased >= 1.0:
        return PARAMETERS
    return int(PARAMETERS * max(0.0, progress_eased))


# -- layout (design units) --------------------------------------------------------------------

STACK_W, STACK_H = 520.0, 850.0
STACK_Y = 110.0
STACK_X_START = 820.0  # centred with its labels while the anatomy is explained
STACK_X_END = 450.0  # stepped aside for the parameter panel
LAYERS = 6
HEADS = 4
TOKENS = 6
TOKEN_RADIUS = 5.5
TRAIL = {"trail": 6, "trail_spacing": 0.75 * TOKEN_RADIUS}  # a short comet tail per token
FOCUS_LAYER, FOCUS_HEAD = 3, 3  # the head whose weights the panel shows

PANEL_X = 1110.0
MATRIX_Y = 190.0
PATCH_ROWS, PATCH_COLS = 8, 6
DECIMALS = 4
COUNT_Y = 640.0

CAMERA_START = (960.0, 540.0, 0.97)
CAMERA_END = (945.0, 532.0, 1.07)


# -- timing ----------------------------------------------------------------------------------


def _fade(name: str, at: float, seconds: float = 0.6, ease=smooth):
    return after(at, tween(name, seconds, ease=ease))


TIMELINE = Timeline(
    parallel(
        after(0, tween("build", 3.2, start=0.1, ease=in_out_sine)),
        _fade("stream", 1.0, 1.4),
        _fade("label_embeddings", 2.9),
        _fade("heads", 3.6, 1.8),
        _fade("label_heads", 4.2),
        _fade("hidden", 5.4, 1.2),
        _fade("label_hidden", 5.8),
        _fade("logits", 6.6, 1.0, out_cubic),
        _fade("label_logits", 7.0),
        _fade("shift", 7.9, 1.3, in_out_cubic),
        _fade("focus", 8.7, 0.6),
        _fade("callout", 9.0, 0.7),
        _fade("patch", 9.3, 1.1),
        _fade("resolve", 10.3, 1.8, in_out_sine),
        _fade("count", 11.2, 2.8, out_quart),
        _fade("count_label", 11.2, 0.6),
        _fade("breakdown", 12.6, 0.8),
    )
)


# -- pieces ----------------------------------------------------------------------------------


@cache
def patch_weights() -> np.ndarray:
    """The focused head's weight patch: small values and two recognisable ones."""
    weights = gaussian_weights(phase_rng(1, "weight patch"), PATCH_ROWS, PATCH_COLS, std=0.035)
    # Keep every printed value visibly non-zero at DECIMALS places.
    tiny = np.abs(weights) < 0.002
    weights[tiny] = np.copysign(0.002 + np.abs(weights[tiny]), weights[tiny])
    weights[1, 2] = 0.0173
    weights[5, 4] = -1.2041  # outlier weights exist in real models
    weights.setflags(write=False)
    return weights


def stack_x(values) -> float:
    return STACK_X_START + (STACK_X_END - STACK_X_START) * values["shift"]


def camera_at(seconds: float) -> Camera:
    """The slow dolly-in: mostly eased, with a linear share so it never stops."""
    progress = seconds / SECONDS
    eased = 0.8 * in_out_sine(progress) + 0.2 * progress
    (x0, y0, z0), (x1, y1, z1) = CAMERA_START, CAMERA_END
    return Camera(x0 + (x1 - x0) * eased, y0 + (y1 - y0) * eased, z0 + (z1 - z0) * eased)


def _stack(values, x: float) -> tuple:
    labels = {
        "embeddings": values["label_embeddings"],
        "heads": values["label_heads"],
        "hidden": values["label_hidden"],
        "logits": values["label_logits"],
    }
    group = transformer_stack(
        x,
        STACK_Y,
        STACK_W,
        STACK_H,
        LAYERS,
        reveal=values["build"],
        heads=HEADS,
        tokens=TOKENS,
        heads_reveal=values["heads"],
        hidden_reveal=values["hidden"],
        logits_reveal=values["logits"],
        labels=labels,
        label_side="left",
        label_reach=48.0,
    )
    layout = stack_layout(x, STACK_Y, STACK_W, STACK_H, LAYERS, heads=HEADS, tokens=TOKENS)
    return group, layout


def focus_tile(x: float) -> Rectangle:
    layout = stack_layout(x, STACK_Y, STACK_W, STACK_H, LAYERS, heads=HEADS, tokens=TOKENS)
    return layout.head_tiles(FOCUS_LAYER)[FOCUS_HEAD]


def _focus(values, x: float) -> tuple:
    """An orange ring on one head tile and a callout line to the weight panel."""
    if values["focus"] <= 0.0:
        return ()
    tile = focus_tile(x)
    pad = 6.0
    ring = Rect(
        tile.x - pad,
        tile.y - pad,
        tile.w + 2 * pad,
        tile.h + 2 * pad,
        Style(stroke=theme.ORANGE, width=theme.STROKE, glow=theme.GLOW, trim=values["focus"]),
        radius=6.0,
    )
    items: list = [ring]
    reach = values["callout"]
    if reach > 0.0:
        start_x, start_y = tile.right + pad, tile.cy
        end_x, end_y = PANEL_X - 22.0, MATRIX_Y + 40.0
        tip_x = start_x + (end_x - start_x) * reach
        tip_y = start_y + (end_y - start_y) * reach
        style = Style(stroke=theme.ORANGE, width=theme.STROKE_THIN, opacity=0.8, glow=0.5)
        items.append(Line(start_x, start_y, tip_x, tip_y, style))
    return tuple(items)


def _panel(values) -> tuple:
    """Header, heat-map patch resolving into printed weights, and the parameter counter."""
    items: list = []
    patch = values["patch"]
    if patch <= 0.0:
        return ()
    width, height = matrix_size(PATCH_ROWS, PATCH_COLS, decimals=DECIMALS)
    header = Text(
        f"layer 40 · head 12 · W_Q  ({MODEL.d_model:,} × {MODEL.head_dim})",
        PANEL_X,
        MATRIX_Y - 34.0,
        theme.TEXT_SMALL,
        theme.TEXT_DIM,
        role="mono",
        opacity=patch,
    )
    items.append(header)
    resolve = values["resolve"]
    heat = tensor_grid(
        PANEL_X,
        MATRIX_Y,
        width,
        height,
        heat_values(patch_weights(), spread=0.07),
        reveal=patch,
        high=theme.BLUE,
        outline=None,
        gap=4.0,
        opacity=1.0 - 0.82 * resolve,
    )
    items.append(heat)
    if resolve > 0.0:
        items.append(
            number_matrix(
                PANEL_X,
                MATRIX_Y,
                patch_weights(),
                decimals=DECIMALS,
                reveal=min(1.0, resolve * 2.5),
                resolve=resolve,
                highlight=(5, 4),
                brackets=theme.BLUE,
            )
        )
    items.append(
        Text(
            "⋯",
            PANEL_X + width + 14,
            MATRIX_Y + height / 2 + 8,
            theme.TEXT_LABEL,
            theme.TEXT_DIM,
            role="mono",
            opacity=resolve,
        )
    )
    items.append(
        Text(
            "⋮",
            PANEL_X + width / 2,
            MATRIX_Y + height + 40,
            theme.TEXT_LABEL,
            theme.TEXT_DIM,
            role="mono",
            align="center",
            opacity=resolve,
        )
    )
    items.extend(_counter(values))
    return tuple(items)


def _counter(values) -> tuple:
    shown = values["count_label"]
    if shown <= 0.0:
        return ()
    count = shown_count(values["count"])
    number = Text(
        f"{count:,}",
        PANEL_X,
        COUNT_Y,
        theme.TEXT_TITLE,
        theme.ORANGE,
        role="mono-medium",
        opacity=shown,
        glow=theme.GLOW,
    )
    unit = Text(
        "parameters",
        PANEL_X,
        COUNT_Y + 50.0,
        theme.TEXT_LABEL,
        theme.TEXT,
        role="sans-semibold",
        opacity=shown,
    )
    items = [number, unit]
    breakdown = values["breakdown"]
    if breakdown > 0.0:
        rows = breakdown_rows()
        last = len(rows) - 1
        for index, row in enumerate(rows):
            colour = theme.TEXT if index == last else theme.TEXT_DIM
            role = "sans-semibold" if index == last else "mono"
            items.append(
                Text(
                    row,
                    PANEL_X,
                    COUNT_Y + 110.0 + 36.0 * index,
                    theme.TEXT_SMALL,
                    colour,
                    role=role,
                    opacity=clamp01(breakdown * 1.6 - 0.3 * index),
                )
            )
    return tuple(items)


def scene(seconds: Fraction) -> Scene:
    """Phase 1 at local time ``seconds`` (valid slightly before 0 and after SECONDS)."""
    values = TIMELINE.sample(seconds)
    time = float(seconds)
    x = stack_x(values)
    stack, layout = _stack(values, x)
    flow = token_stream(
        layout, time, per_lane=5, radius=TOKEN_RADIUS, reveal=values["stream"], **TRAIL
    )
    items = (stack, flow, *_focus(values, x), Group(items=_panel(values)))
    return Scene(items=items, camera=camera_at(time))
