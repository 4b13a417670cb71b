"""Phase 4 scene: labels when they should be there, an honest 10×, consistent numbers."""

from __future__ import annotations

import math
from fractions import Fraction

from insideweights.display import Text, visible_texts, walk
from insideweights.phases import p4_distillation as p4
from insideweights.phases.widgets import stack_layout

STORYBOARD = {"Transformer": 82, "RNN": 10, "CNN": 5, "Other": 3}


def shown(seconds) -> list[str]:
    return visible_texts(p4.scene(Fraction(seconds)), min_opacity=0.5)


def test_size_labels_appear_once_the_models_are_built_and_stay():
    assert "70B" not in shown(0)
    for seconds in (3, 7.5, 15):
        texts = shown(seconds)
        assert "70B" in texts and "7B" in texts


def test_distillation_caption_appears_with_the_stream():
    assert "Distillation" not in shown(4)
    for seconds in (7, 11.25, 15):
        assert "Distillation" in shown(seconds)


def test_the_teacher_distribution_is_the_softmax_of_the_phase_5_logits():
    from insideweights.phases import softmax_math

    weights = [math.exp(z) for z in softmax_math.TEACHER_LOGITS]
    expected = [f"{round(100 * w / sum(weights))}%" for w in weights]
    texts = shown(7.5)
    for choice, percent in zip(STORYBOARD, expected, strict=True):
        assert choice in texts and percent in texts
    assert expected == [f"{v}%" for v in STORYBOARD.values()]


def test_percentages_count_up_while_the_column_grows():
    seen = set()
    for tenth in range(36, 56):
        scene = p4.scene(Fraction(tenth, 10))
        seen.update(t for t in visible_texts(scene) if t.endswith("%"))
    assert {"82%", "10%", "5%", "3%"} < seen  # the finals, and values on the way there


def test_the_student_is_ten_times_smaller_in_area_and_in_head_tiles():
    teacher = stack_layout(*p4.TEACHER_BOX, p4.TEACHER_LAYERS, heads=p4.TEACHER_HEADS)
    student = stack_layout(*p4.STUDENT_BOX, p4.STUDENT_LAYERS, heads=p4.STUDENT_HEADS)
    area_ratio = (teacher.outer.w * teacher.outer.h) / (student.outer.w * student.outer.h)
    assert abs(area_ratio - 10.0) < 0.05
    tiles = sum(len(teacher.head_tiles(i)) for i in range(teacher.layers))
    student_tiles = sum(len(student.head_tiles(i)) for i in range(student.layers))
    assert tiles == 10 * student_tiles
    # both stand on one baseline, so the eye compares like with like
    assert abs(teacher.outer.bottom - student.outer.bottom) < 1e-6


def test_no_text_is_smaller_than_the_legible_minimum():
    from insideweights import theme

    for seconds in (3, 7.5, 15):
        scene = p4.scene(Fraction(seconds))
        for item in walk(scene.items + scene.overlay):
            if isinstance(item, Text):
                assert item.size >= theme.TEXT_TINY - 1e-9, item.text


def test_the_stream_clears_the_vector_copies_riding_it():
    # Particles are drawn over everything: unless the stream makes way, it crosses the
    # copies' bars. Inside a box of a copy that is at least half opaque, no light is left.
    from insideweights.display import Particles
    from insideweights.phases.widgets.inspect import particles_in_box

    checked = 0
    for tenth in range(60, 150, 3):
        seconds = Fraction(tenth, 10)
        scene = p4.scene(seconds)
        packets = p4._packets(float(seconds + p4.LEAD), 1.0)
        stream = [i for i in walk(scene.items) if isinstance(i, Particles)][-1]
        for _, (box, opacity) in packets:
            if opacity < 0.5:
                continue
            inside, lit = particles_in_box(stream, box)
            checked += inside
            assert lit == 0, seconds
    assert checked > 50  # the copies really sit on the stream
