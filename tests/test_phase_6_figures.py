"""Phase 6 figures: computed from the parameter counts, consistent, and shown on screen."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from insideweights.display import visible_texts
from insideweights.phases import model_figures, p6_compression

TEACHER, STUDENT, BYTES, BANDWIDTH = 70e9, 7e9, 2, 2e12


def _short(value: float) -> str:
    """The test's own formatting of the round values these inputs produce."""
    return f"{value:g}"


def test_figures_are_computed_from_the_inputs():
    metrics = {m.name: m for m in model_figures.compression_metrics(TEACHER, STUDENT, BYTES)}
    ratio = TEACHER / STUDENT
    memory = (TEACHER * BYTES / 1e9, STUDENT * BYTES / 1e9)
    latency = (TEACHER * BYTES / BANDWIDTH * 1e3, STUDENT * BYTES / BANDWIDTH * 1e3)

    assert (
        metrics["Parameters"].figure == f"{_short(TEACHER / 1e9)}B \u2192 {_short(STUDENT / 1e9)}B"
    )
    assert metrics["Memory"].figure == (f"{_short(memory[0])} GB \u2192 {_short(memory[1])} GB")
    assert metrics["Latency"].figure == (
        f"{_short(round(latency[0], 6))} ms \u2192 {_short(round(latency[1], 6))} ms"
    )
    assert metrics["Cost"].figure == f"1\u00d7 \u2192 {_short(1 / ratio)}\u00d7"
    assert metrics["Requests/sec"].figure == f"1\u00d7 \u2192 {_short(ratio)}\u00d7"
    for name in ("Parameters", "Memory", "Latency", "Cost"):
        assert metrics[name].badge == f"\u2193{_short(ratio)}\u00d7", name
    assert metrics["Requests/sec"].badge == f"\u2191{_short(ratio)}\u00d7"


def test_the_shown_figures_are_the_storyboard_ones():
    figures = {m.name: m.figure for m in model_figures.METRICS}
    assert figures["Parameters"] == "70B \u2192 7B"
    assert figures["Memory"] == "140 GB \u2192 14 GB"
    assert model_figures.BYTES_PER_PARAMETER * 8 == 16


@given(
    teacher=st.floats(2e9, 1e12),
    shrink=st.floats(1.5, 40.0),
    bytes_per_parameter=st.sampled_from([0.5, 1, 2, 4]),
)
def test_every_metric_moves_by_the_same_factor(teacher, shrink, bytes_per_parameter):
    student = teacher / shrink
    metrics = model_figures.compression_metrics(teacher, student, bytes_per_parameter)
    by_name = {m.name: m for m in metrics}
    assert by_name["Memory"].teacher == pytest.approx(teacher * bytes_per_parameter)
    assert by_name["Memory"].student == pytest.approx(student * bytes_per_parameter)
    for metric in metrics:
        assert metric.factor == pytest.approx(shrink, rel=1e-9), metric.name
    assert [m.direction for m in metrics] == ["down"] * 4 + ["up"]


def test_the_counting_figure_starts_at_the_teacher_and_ends_at_the_student():
    for metric in model_figures.METRICS:
        assert metric.value_text(0.0) == metric.teacher_text
        assert metric.value_text(1.0) == metric.student_text
        assert metric.value_text(0.5) not in (metric.teacher_text, metric.student_text)


def test_bad_inputs_are_refused_with_the_argument_named():
    with pytest.raises(ValueError, match="student_parameters"):
        model_figures.compression_metrics(70e9, 0.0)


def _texts(seconds: float) -> list[str]:
    return visible_texts(p6_compression.scene(Fraction(seconds).limit_denominator(1000)))


def test_each_metric_name_and_figure_is_on_screen_at_the_end_of_the_phase():
    texts = _texts(p6_compression.SECONDS - 0.5)
    for metric in model_figures.METRICS:
        assert metric.name in texts
        assert metric.figure in texts
    assert texts.count("10\u00d7") == len(model_figures.METRICS)
    assert model_figures.assumptions_note() in texts


def test_metrics_are_not_shown_before_their_act():
    texts = _texts(3.5)
    assert not any(metric.name in texts for metric in model_figures.METRICS)


def test_the_transfer_lanes_are_labelled_during_the_first_act():
    texts = _texts(3.5)
    for label in ("attention maps", "hidden representations", "embeddings"):
        assert label in texts
    for label in ("Teacher", "Student", "70B", "7B"):
        assert label in texts
    later = _texts(p6_compression.SECONDS - 0.5)
    assert "attention maps" not in later


def test_the_models_stand_named_by_the_middle_of_the_incoming_wipe():
    # The wipe into the phase runs from local -0.25 to +0.25 s: the models are built early.
    texts = visible_texts(p6_compression.scene(Fraction(0)), min_opacity=0.8)
    for label in ("Teacher", "Student", "70B", "7B"):
        assert label in texts
