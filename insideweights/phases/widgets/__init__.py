"""Shared widgets: display-list builders that phases compose (no Skia here).

Each widget takes positions and sizes in design units, colours from the theme
and progress values in [0, 1], and returns display-list items (usually one
``Group``). Geometry helpers (e.g. :func:`stack_layout`) let callers attach their
own items to exact parts of a widget.

- :mod:`.transformer`: ``stack_layout``, ``transformer_stack``, ``token_stream``,
  ``logit_values``, ``StackLayout``;
- :mod:`.tensor`: ``tensor_grid`` (heat-map matrix), ``number_matrix`` (printed
  floats that can resolve from flicker), ``format_weight`` (true minus sign),
  ``gaussian_weights``, ``heat_values``, ``matrix_size``.

Further modules (import them directly):

- :mod:`.labels`: ``text_width`` (font-table estimate), ``labelled_box``, ``token_chip``,
  ``chip_size``, ``grow_arrow``, ``key_term`` (caption with accent underline);
- :mod:`.padlock`: ``padlock`` (shackle drops shut with ``closed``);
- :mod:`.plot`: ``PlotFrame``, ``axes``, ``progressive_curve`` (glowing tip);
- :mod:`.gpu`: ``gpu_node``, ``cluster_layout``, ``gpu_cluster`` (links light up);
- :mod:`.flow`: ``stream`` (particles along a polyline, closed form in time),
  ``points_along``, ``polyline_length``;
- :mod:`.inspect`: ``placed_items``, ``layout_problems`` (safe-area and text-collision
  checks for tests).
"""

from insideweights.phases.widgets.tensor import (
    MINUS,
    format_weight,
    gaussian_weights,
    heat_values,
    matrix_size,
    number_matrix,
    tensor_grid,
)
from insideweights.phases.widgets.transformer import (
    LABELS,
    StackLayout,
    logit_values,
    stack_layout,
    token_stream,
    transformer_stack,
)

__all__ = [
    "LABELS",
    "MINUS",
    "StackLayout",
    "format_weight",
    "gaussian_weights",
    "heat_values",
    "logit_values",
    "matrix_size",
    "number_matrix",
    "stack_layout",
    "tensor_grid",
    "token_stream",
    "transformer_stack",
]
