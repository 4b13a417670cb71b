"""The transformer widget's cached helpers: shared, read-only and still per-head."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

from insideweights.display import Heatmap
from insideweights.phases.widgets import transformer
from insideweights.phases.widgets.transformer import transformer_stack


def _heatmaps(group) -> list[Heatmap]:
    found = []
    for item in group.items:
        if isinstance(item, Heatmap):
            found.append(item)
        elif hasattr(item, "items"):
            found.extend(_heatmaps(item))
    return found


def _shapes(group) -> list[tuple]:
    """Every non-heat-map item's type and numeric fields, walking into groups."""
    found = []
    for item in group.items:
        if hasattr(item, "items"):
            found.extend(_shapes(item))
        elif not isinstance(item, Heatmap):
            fields = [getattr(item, name) for name in item.__slots__]
            found.append((type(item).__name__, *[f for f in fields if isinstance(f, float)]))
    return found


def test_head_patterns_are_shared_and_read_only():
    first = transformer._head_pattern(2, 1)
    assert transformer._head_pattern(2, 1) is first
    with pytest.raises(ValueError):
        first[0, 0] = 0.5


def test_head_patterns_still_differ_per_head_and_layer():
    base = transformer._head_pattern(1, 1)
    assert not np.array_equal(base, transformer._head_pattern(1, 2))
    assert not np.array_equal(base, transformer._head_pattern(2, 1))
    assert np.all(np.triu(base, 1) == 0.0)  # causal: nothing above the diagonal


def test_a_rebuilt_stack_reuses_the_same_heat_arrays():
    first = _heatmaps(transformer_stack(0, 0, 400, 800, 3, heads=4))
    again = _heatmaps(transformer_stack(0, 0, 400, 800, 3, heads=4))
    assert len(first) == len(again) > 3
    assert all(a.values is b.values for a, b in zip(first, again, strict=True))
    assert not any(item.values.flags.writeable for item in first)


def test_embedding_chips_growing_in_are_scaled_copies():
    settled = _heatmaps(transformer_stack(0, 0, 400, 800, 3, heads=4, reveal=1.0))
    growing = _heatmaps(transformer_stack(0, 0, 400, 800, 3, heads=4, reveal=0.05))
    chips = [item for item in growing if item.values.shape == (4, 1)]
    assert chips, "expected embedding chips early in the reveal"
    full = [item for item in settled if item.values.shape == (4, 1)]
    assert chips[0].values.max() < full[0].values.max()
    assert full[0].values.flags.writeable is False  # the cached array itself


def test_a_stack_asked_for_again_is_the_one_built_before_and_equal_to_a_fresh_build():
    labels = {"heads": 0.5, "logits": 1.0}
    logits = np.array([0.2, 1.0, 0.4])
    first = transformer_stack(0, 0, 400, 800, 3, labels=labels, logits=logits, reveal=0.7)
    again = transformer_stack(
        0, 0, 400, 800, 3, labels=dict(labels), logits=logits.copy(), reveal=0.7
    )
    assert again is first
    call = inspect.signature(transformer_stack).bind(
        0, 0, 400, 800, 3, labels=labels, logits=logits, reveal=0.7
    )
    call.apply_defaults()
    fresh = transformer._build_stack(**call.arguments)
    assert fresh is not first and _shapes(fresh) == _shapes(first)
    assert [h.values.tolist() for h in _heatmaps(fresh)] == [
        h.values.tolist() for h in _heatmaps(first)
    ]


def test_any_changed_argument_gives_another_stack():
    base = transformer_stack(0, 0, 400, 800, 3, reveal=0.5, logits=np.array([0.2, 1.0]))
    assert transformer_stack(0, 0, 400, 800, 3, reveal=0.51, logits=np.array([0.2, 1.0])) != base
    shown = transformer_stack(0, 0, 400, 800, 3, logits=np.array([0.2, 1.0]))  # bars grown
    other_logits = transformer_stack(0, 0, 400, 800, 3, logits=np.array([0.3, 1.0]))
    assert _shapes(other_logits) != _shapes(shown)
    other_labels = transformer_stack(0, 0, 400, 800, 3, reveal=0.5, labels={"heads": 1.0})
    assert _shapes(other_labels) != _shapes(base)
