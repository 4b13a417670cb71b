"""Phase 7 frames: each rebuilds alone, and the picture never stands still."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from insideweights.compose import FrameProducer
from insideweights.phases import p7_conclusion

FPS, WIDTH, HEIGHT = Fraction(12), 160, 90


@pytest.fixture(scope="module")
def frames() -> tuple[range, list[np.ndarray]]:
    """Every frame of the phase (wipes included) rendered in order, at low resolution."""
    producer = FrameProducer(FPS, WIDTH, HEIGHT)
    segment = producer.timing.segment(p7_conclusion.NAME)
    indices = range(segment.start_frame, segment.end_frame)
    return indices, [producer.frame(index).copy() for index in indices]


def test_no_two_consecutive_frames_are_identical(frames):
    indices, pictures = frames
    still = [
        index
        for index, before, after in zip(indices[1:], pictures, pictures[1:], strict=False)
        if np.array_equal(before, after)
    ]
    assert still == []


def test_a_frame_rendered_alone_equals_the_same_frame_rendered_in_sequence(frames):
    indices, pictures = frames
    for position in (len(indices) // 3, len(indices) - 1):
        alone = FrameProducer(FPS, WIDTH, HEIGHT).frame(indices[position])
        assert np.array_equal(alone, pictures[position]), indices[position]
