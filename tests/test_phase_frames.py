"""Every phase at low resolution: each frame rebuilds alone, and the picture never stands still.

160x90 at 12 fps is the harshest place for stillness: small motions vanish first there.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from insideweights.compose import FrameProducer
from insideweights.phases.reel import PHASES

FPS, WIDTH, HEIGHT = Fraction(12), 160, 90


@pytest.fixture(scope="module", params=range(len(PHASES)), ids=lambda k: f"phase{k + 1}")
def phase_frames(request) -> tuple[range, list[np.ndarray]]:
    """Every frame a phase owns (wipes included), rendered in order."""
    producer = FrameProducer(FPS, WIDTH, HEIGHT)
    segment = producer.timing.segment(request.param)
    indices = range(segment.start_frame, segment.end_frame)
    return indices, [producer.frame(index).copy() for index in indices]


def test_no_two_consecutive_frames_are_identical(phase_frames):
    indices, pictures = phase_frames
    still = [
        index
        for index, before, after in zip(indices[1:], pictures, pictures[1:], strict=False)
        if np.array_equal(before, after)
    ]
    assert still == []


def test_a_frame_rendered_alone_equals_the_same_frame_rendered_in_sequence(phase_frames):
    indices, pictures = phase_frames
    for position in (0, len(indices) // 3, len(indices) * 4 // 5, len(indices) - 1):
        alone = FrameProducer(FPS, WIDTH, HEIGHT).frame(indices[position])
        assert np.array_equal(alone, pictures[position]), f"frame {indices[position]} differs"
