"""Phase 2: open-model names and captions, a closed box that shows nothing inside,
continuity with phase 1's last picture, layout and frames."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from insideweights.display import Heatmap, Particles, Polyline, Text, visible_texts
from insideweights.phases import p1_intelligence as p1
from insideweights.phases import p2_open_closed as p2
from insideweights.phases.widgets import stack_layout
from insideweights.phases.widgets.inspect import layout_problems, particles_in_box, placed_items

PHASE_INDEX = 1
STILL_TIMES = (-0.25, 0.0, 1.5, 3.75, 5.0, 7.5, 9.0, 11.25, 13.0, 15.0, 15.25)


def scene_at(seconds: float):
    return p2.scene(Fraction(seconds).limit_denominator(1000))


def test_all_five_open_models_are_named_at_the_end():
    for seconds in (14.0, 15.0, 15.25):
        texts = visible_texts(scene_at(seconds))
        assert all(name in texts for name in ("Llama", "Qwen", "Mistral", "DeepSeek", "GLM"))
    assert not set(p2.OPEN_MODELS) & set(visible_texts(scene_at(4.0)))


def test_captions_and_traffic_labels_appear():
    texts = visible_texts(scene_at(9.0))
    for label in ("Open-weight", "Closed-weight", "prompt \u2192", "\u2190 text"):
        assert label in texts
    assert "Closed-weight" not in visible_texts(scene_at(1.0))


def test_prompts_go_in_and_answers_come_out():
    prompts, answers = set(), set()
    for step in range(0, 181):
        texts = set(visible_texts(scene_at(step / 12)))
        prompts |= texts & {prompt for prompt, _ in p2.PAYLOADS}
        answers |= texts & {answer for _, answer in p2.PAYLOADS}
    assert len(prompts) >= 3 and len(answers) >= 2


def _inside_box(x: float, y: float) -> bool:
    return p2.BOX.x < x < p2.BOX.right and p2.BOX.y < y < p2.BOX.bottom


def test_nothing_from_inside_the_closed_box_is_ever_drawn():
    """No heat map, text, curve or particle may fall inside the black box."""
    box = (p2.BOX.x, p2.BOX.y, p2.BOX.right, p2.BOX.bottom)
    for step in range(-3, 184):
        scene = scene_at(step / 12)
        for placed in placed_items(scene.items):
            if placed.opacity <= 0.0:
                continue
            item = placed.item
            if isinstance(item, Particles):
                xy = np.c_[item.xy, np.ones(len(item.xy))] @ placed.matrix.T
                lit = np.asarray(item.intensity) * np.ones(len(xy)) > 0
                assert not any(
                    _inside_box(x, y) for (x, y, _), on in zip(xy, lit, strict=True) if on
                )
            elif isinstance(item, Heatmap | Text | Polyline):
                x0, y0, x1, y1 = placed.bounds
                overlaps = x0 < box[2] and x1 > box[0] and y0 < box[3] and y1 > box[1]
                assert not overlaps, f"{item!r:.60} inside the box at {step / 12:.2f} s"


def test_opening_picture_continues_phase_one():
    """Phase 2's stack starts on the very pixels phase 1's stack ended on."""

    def on_screen(layout, camera):
        block = layout.blocks[0]
        return [
            (block.x - camera.cx) * camera.zoom,
            (block.y - camera.cy) * camera.zoom,
            block.w * camera.zoom,
        ]

    end = p1.scene(Fraction(p1.SECONDS)).camera
    start = scene_at(0.0).camera
    first = stack_layout(p1.STACK_X_END, p1.STACK_Y, p1.STACK_W, p1.STACK_H, p1.LAYERS)
    second = stack_layout(p2.STACK_X, p2.STACK_Y, p2.STACK_W, p2.STACK_H, p1.LAYERS)
    assert on_screen(second, start) == pytest.approx(on_screen(first, end), abs=0.5)


def test_stack_labels_continue_phase_one_on_the_same_pixels():
    """Across the wipe both phases show the labels: any offset reads as doubled text."""
    from insideweights import theme
    from insideweights.display import Circle

    def on_screen(scene) -> np.ndarray:
        """(x, y, size) in pixels from the camera centre of each label text and dot."""
        camera, found = scene.camera, []
        for placed in placed_items(scene.items):
            item = placed.item
            if isinstance(item, Text) and item.text in ("attention heads", "hidden states"):
                x, y, size = item.x, item.y, item.size
            elif isinstance(item, Circle) and item.style.fill == theme.TEXT_DIM:
                x, y, size = item.cx, item.cy, item.r  # a leader line's dot
            else:
                continue
            (sx, sy, _), scale = placed.matrix @ (x, y, 1.0), placed.matrix[0, 0]
            found.append(((sx - camera.cx) * camera.zoom, (sy - camera.cy) * camera.zoom))
            found[-1] += (size * scale * camera.zoom,)
        return np.array(sorted(found))

    end, start = on_screen(p1.scene(Fraction(p1.SECONDS))), on_screen(scene_at(0.0))
    assert end.shape == start.shape and len(end) >= 4
    assert np.allclose(start, end, atol=0.75)


def test_stack_cells_keep_their_on_screen_size_and_gaps_at_the_cut():
    """Embedding and head cells drawn with absolute gaps looked bigger after the cut."""

    def cells(scene) -> np.ndarray:
        camera, found = scene.camera, []
        for placed in placed_items(scene.items):
            item = placed.item
            if isinstance(item, Heatmap) and item.values.shape in ((4, 1), (4, 4)):
                (x, y, _), scale = placed.matrix @ (item.x, item.y, 1.0), placed.matrix[0, 0]
                x, y = (x - camera.cx) * camera.zoom, (y - camera.cy) * camera.zoom
                size = scale * camera.zoom
                found.append((x, y, item.w * size, item.h * size, item.gap * size))
        return np.array(sorted(found))

    end, start = cells(p1.scene(Fraction(p1.SECONDS))), cells(scene_at(0.0))
    assert len(start) >= 20 and end.shape == start.shape
    assert np.allclose(start, end, atol=0.1)


def test_camera_pans_to_the_split_screen_and_keeps_drifting():
    cameras = [scene_at(t / 12).camera for t in range(-3, 184)]
    centres = [(c.cx, c.cy, c.zoom) for c in cameras]
    assert all(a != b for a, b in zip(centres, centres[1:], strict=False))
    final = cameras[-1]
    assert final.cx == pytest.approx(960) and final.zoom == pytest.approx(1.0, abs=0.02)
    assert cameras[0].zoom > 1.8
    late = [c.zoom for c in cameras[60:]]
    assert all(b > a for a, b in zip(late, late[1:], strict=False))


@pytest.mark.parametrize("seconds", STILL_TIMES)
def test_layout_stays_in_the_safe_area_without_collisions(seconds):
    assert layout_problems(scene_at(seconds)) == []


def test_chips_ride_their_streams_without_particles_or_the_arrowhead_on_them():
    checked = 0
    for step in range(60, 184):
        seconds = step / 12
        scene = scene_at(seconds)
        chips = p2._payloads(seconds, p2.BOX.x - 8.0)
        streams = [p.item for p in placed_items(scene.items) if isinstance(p.item, Particles)]
        for _, ((x, y, w, h), opacity) in chips:
            if opacity < 0.5 or w < 20:
                continue
            if y < p2.RESPONSE_Y < y + h:  # the response arrow's head ends at CLIENT_X + 16
                assert x >= p2.CLIENT_X + 16.0, seconds
            for particles in streams:
                inside, lit = particles_in_box(particles, (x, y, w, h))
                checked += inside
                assert lit == 0, seconds
    assert checked > 20  # the chips really sit on the streams
