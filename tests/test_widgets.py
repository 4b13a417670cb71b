"""Shared widgets: geometry, progress semantics, number formatting, determinism."""

from __future__ import annotations

import numpy as np
import pytest

from insideweights import theme
from insideweights.display import (
    Group,
    Heatmap,
    Particles,
    Polyline,
    Rect,
    Scene,
    Style,
    Text,
    walk,
)
from insideweights.display import visible_texts as texts_of
from insideweights.phases.widgets import (
    LABELS,
    MINUS,
    format_weight,
    heat_values,
    number_matrix,
    stack_layout,
    tensor_grid,
    token_stream,
    transformer_stack,
)
from insideweights.phases.widgets._util import clamp01, scale_strokes, staggered
from insideweights.phases.widgets.flow import points_along, polyline_length, stream
from insideweights.phases.widgets.gpu import cluster_layout, gpu_cluster
from insideweights.phases.widgets.inspect import placed_items
from insideweights.phases.widgets.plot import PlotFrame, axes, progressive_curve


def visible_texts(*items) -> list[str]:
    return texts_of(Scene(items=tuple(items)))


# -- progress helpers ----------------------------------------------------------------------------


def test_clamp01_snaps_float_noise_at_the_ends():
    assert clamp01(1.0 - 1e-12) == 1.0
    assert clamp01(1e-12) == 0.0
    assert clamp01(0.5) == 0.5
    assert clamp01(-3) == 0.0 and clamp01(7) == 1.0


def test_staggered_parts_start_in_order_and_all_finish_at_one():
    firsts = [next(p / 100 for p in range(101) if staggered(p / 100, i, 5) > 0) for i in range(5)]
    assert firsts == sorted(firsts) and firsts[0] < firsts[-1]
    assert all(staggered(1.0, i, 5) == 1.0 for i in range(5))
    assert all(staggered(0.0, i, 5) == 0.0 for i in range(5))


# -- tensor --------------------------------------------------------------------------------------


def test_format_weight_uses_a_true_minus_and_never_negative_zero():
    assert format_weight(-1.2041, 3) == MINUS + "1.204"
    assert format_weight(0.0173, 4) == "0.0173"
    assert format_weight(-0.00001, 3) == "0.000"
    assert format_weight(2.5, 1, plus=True) == "+2.5"
    assert "-" not in format_weight(-3.0, 2)


def test_number_matrix_resolves_into_the_exact_values():
    values = np.array([[0.0173, -1.2041], [0.5, -0.25]])
    settled = [t for t in visible_texts(number_matrix(0, 0, values, decimals=4))]
    assert settled == ["0.0173", MINUS + "1.2041", "0.5000", MINUS + "0.2500"]
    flicker = visible_texts(number_matrix(0, 0, values, decimals=4, resolve=0.2))
    assert flicker != settled
    assert all(len(a) == len(b) for a, b in zip(flicker, settled, strict=True))


def test_number_matrix_reveal_zero_draws_nothing():
    assert number_matrix(0, 0, np.ones((3, 3)), reveal=0.0).items == ()


def test_tensor_grid_reveal_sweeps_from_the_top_left():
    values = np.full((6, 6), 0.8)
    half = tensor_grid(0, 0, 60, 60, values, reveal=0.5)
    heat = next(item for item in walk(half.items) if isinstance(item, Heatmap))
    assert heat.values[0, 0] > heat.values[5, 5]
    full = next(i for i in walk(tensor_grid(0, 0, 60, 60, values).items) if isinstance(i, Heatmap))
    assert np.allclose(full.values, values)
    assert tensor_grid(0, 0, 60, 60, values, reveal=0.0).items == ()


def test_heat_values_map_zero_to_the_middle_and_keep_order():
    heat = heat_values(np.array([[-1.0, 0.0, 1.0]]), spread=1.0)
    assert heat[0, 1] == pytest.approx(0.5)
    assert 0.0 < heat[0, 0] < heat[0, 1] < heat[0, 2] < 1.0


# -- transformer ---------------------------------------------------------------------------------


def test_stack_layout_blocks_run_bottom_to_top_inside_the_box():
    layout = stack_layout(100, 50, 400, 800, layers=5)
    tops = [block.y for block in layout.blocks]
    assert tops == sorted(tops, reverse=True)
    for below, above in zip(layout.blocks, layout.blocks[1:], strict=False):
        assert above.bottom < below.y  # a visible gap between layers
    assert layout.logits.y == 50 and layout.embeddings.bottom == pytest.approx(850)
    assert layout.blocks[-1].y > layout.logits.bottom
    assert layout.blocks[0].bottom < layout.embeddings.y
    for tile in layout.head_tiles(2):
        block = layout.blocks[2]
        assert block.x < tile.x and tile.right < block.right
        assert block.y < tile.y and tile.bottom < block.bottom


def test_stack_labels_follow_their_opacity():
    full = transformer_stack(0, 0, 300, 600, 4, labels={part: 1.0 for part in LABELS})
    assert set(LABELS.values()) <= set(visible_texts(full))
    hidden = transformer_stack(0, 0, 300, 600, 4, labels={"logits": 0.0, "heads": 1.0})
    assert visible_texts(hidden) == [LABELS["heads"]]


def test_stack_reveal_zero_is_empty_and_grows_with_progress():
    sizes = [
        sum(1 for _ in walk(transformer_stack(0, 0, 300, 600, 4, reveal=r).items))
        for r in (0.0, 0.3, 1.0)
    ]
    assert sizes[0] == 0 and sizes[0] < sizes[1] < sizes[2]


def test_line_scale_scales_every_stroke():
    base = transformer_stack(0, 0, 300, 600, 3)
    thin = transformer_stack(0, 0, 300, 600, 3, line_scale=0.5)
    widths = [i.style.width for i in walk(base.items) if hasattr(i, "style") and i.style.stroke]
    halved = [i.style.width for i in walk(thin.items) if hasattr(i, "style") and i.style.stroke]
    assert widths and halved == pytest.approx([w * 0.5 for w in widths])


def test_scale_strokes_descends_into_groups():
    rect = Rect(0, 0, 1, 1, style=Style(width=4.0))
    (group,) = scale_strokes((Group(items=(rect,)),), 0.25)
    assert group.items[0].style.width == 1.0


def test_token_stream_is_a_pure_function_of_time_and_stays_in_lanes():
    layout = stack_layout(0, 0, 300, 600, 4, tokens=5)
    first = token_stream(layout, 2.5)
    again = token_stream(layout, 2.5)
    later = token_stream(layout, 2.6)
    assert np.array_equal(first.xy, again.xy)
    assert not np.array_equal(first.xy, later.xy)
    assert set(np.round(first.xy[:, 0], 6)) <= set(np.round(layout.lanes, 6))
    assert first.xy[:, 1].min() >= layout.logits.bottom - 1e-9
    assert first.xy[:, 1].max() <= layout.embeddings.cy + 1e-9


# -- flow, plot, gpu ----------------------------------------------------------------------------


def test_points_along_follow_the_polyline():
    path = np.array([[0.0, 0.0], [100.0, 0.0], [100.0, 50.0]])
    assert polyline_length(path) == 150.0
    xy, tangent = points_along(path, np.array([50.0, 125.0]))
    assert xy.tolist() == [[50.0, 0.0], [100.0, 25.0]]
    assert tangent.tolist() == [[1.0, 0.0], [0.0, 1.0]]


def test_stream_fades_at_both_ends_and_moves_with_time():
    path = np.array([[0.0, 0.0], [200.0, 0.0]])
    now, later = stream(path, 1.0, count=40), stream(path, 1.05, count=40)
    assert isinstance(now, Particles)
    assert not np.array_equal(now.xy, later.xy)
    near_end = (now.xy[:, 0] < 4) | (now.xy[:, 0] > 196)
    assert np.all(now.intensity[near_end] < 0.25)


def test_progressive_curve_stops_at_the_interpolated_tip():
    frame = PlotFrame(0, 0, 100, 100, x_range=(0, 10), y_range=(0, 10))
    xs, ys = np.arange(11.0), 10.0 - np.arange(11.0)
    group = progressive_curve(frame, xs, ys, 0.55)
    line = next(i for i in group.items if isinstance(i, Polyline))
    assert line.points[-1].tolist() == pytest.approx([55.0, 55.0])
    assert progressive_curve(frame, xs, ys, 0.0).items == ()
    assert any(isinstance(i, Polyline) for i in progressive_curve(frame, xs, ys, 1.0).items)


def test_axes_show_tick_labels_and_names_only_when_revealed():
    frame = PlotFrame(0, 0, 200, 100, x_range=(0, 4), y_range=(0, 2))
    done = axes(frame, x_ticks=(0, 2, 4), y_ticks=(1,), x_label="steps", y_label="loss")
    assert {"0", "2", "4", "1", "steps", "loss"} <= set(visible_texts(done))
    early = axes(frame, x_ticks=(0, 2, 4), x_label="steps", reveal=0.2)
    assert visible_texts(early) == []


def test_gpu_cluster_links_every_neighbour_once():
    layout = cluster_layout(0, 0, 600, 300, 3, 4)
    assert len(layout.centres) == 12
    assert len(layout.links) == 3 * 3 + 2 * 4
    links, nodes, pulses = gpu_cluster(layout, 1.0)
    assert len(links.items) == len(layout.links)
    assert len(pulses.xy) == len(layout.links)
    idle = gpu_cluster(layout, 1.0, traffic=0.0)[2]
    assert np.all(np.asarray(idle.intensity) == 0.0)


def test_placed_items_apply_group_transforms():
    text = Text("x", 10, 20, theme.TEXT_SMALL, theme.TEXT)
    group = Group(items=(Group(items=(text,), translate=(5, 0)),), scale=2.0, origin=(0, 0))
    (placed,) = placed_items((group,))
    assert (placed.matrix @ np.array([10, 20, 1.0]))[:2].tolist() == [30.0, 40.0]


def test_token_stream_trail_follows_below_each_particle_and_fades():
    layout = stack_layout(0, 0, 300, 600, 4, tokens=3)
    plain = token_stream(layout, 1.7, per_lane=4)
    assert np.array_equal(plain.xy, token_stream(layout, 1.7, per_lane=4, trail=0).xy)
    tailed = token_stream(layout, 1.7, per_lane=4, trail=3, trail_spacing=10.0)
    assert len(tailed.xy) == 4 * len(plain.xy)
    heads = tailed.xy.reshape(3, 4, 4, 2)[:, :, 0, :]
    tails = tailed.xy.reshape(3, 4, 4, 2)[:, :, 3, :]
    assert np.allclose(tails[..., 1] - heads[..., 1], 30.0)  # y down: the tail is lower
    weights = np.asarray(tailed.intensity).reshape(3, 4, 4)
    assert np.all(weights[..., 3] <= weights[..., 0] + 1e-12)
