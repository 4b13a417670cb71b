"""The reel as one piece: phase table, wipes, continuity and a whole low-res render."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from insideweights.compose import FrameProducer, main_viewport
from insideweights.phases.reel import PHASES, TRANSITION_SECONDS, reel_timing
from insideweights.renderer.canvas import Canvas
from insideweights.renderer.ffmpeg_probe import probe
from insideweights.renderer.scene_renderer import SceneRenderer

REPO = Path(__file__).resolve().parents[1]


def test_seven_phases_with_the_storyboard_lengths():
    assert [p.name for p in PHASES] == [
        "Where Intelligence Lives",
        "Open vs Closed Weights",
        "Why Weights Are Valuable",
        "Distillation Overview",
        "Soft Targets & Loss",
        "Capability Compression",
        "Conclusion",
    ]
    assert [p.seconds for p in PHASES] == [15, 15, 15, 15, 20, 15, 5]
    assert sum(p.seconds for p in PHASES) == 100
    assert TRANSITION_SECONDS == Fraction(1, 2)


@pytest.mark.parametrize(
    ("fps", "frames"), [(60, 6000), (24, 2400), (30, 3000), (Fraction(30000, 1001), 2997)]
)
def test_reel_frame_counts(fps, frames):
    assert reel_timing(Fraction(fps)).total_frames == frames


def test_phases_tile_the_reel_without_gaps():
    timing = reel_timing(Fraction(60))
    ends = [timing.segment(k).end_frame for k in range(len(PHASES))]
    starts = [timing.segment(k).start_frame for k in range(len(PHASES))]
    assert starts[0] == 0 and ends[-1] == 6000
    assert starts[1:] == ends[:-1]


def _mean_error(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(np.int16) - b.astype(np.int16)).mean())


@pytest.fixture(scope="module")
def wipe_renders():
    """For each boundary: the composite frame, and each of its two scenes drawn alone."""
    width, height = 320, 180
    producer = FrameProducer(Fraction(60), width, height, captions=False)
    alone = SceneRenderer(width, height, main_viewport(width, height, captions=False))
    canvas = Canvas(width, height)
    rendered = []
    for k in range(len(PHASES) - 1):
        boundary = producer.timing.segment(k).end_frame
        content = producer.content(boundary)
        assert content.incoming is not None
        assert abs(content.slot.transition.progress - 0.5) < 0.05
        composite = producer.frame(boundary).copy()
        old = alone.render(content.scene, canvas).copy()
        new = alone.render(content.incoming, canvas).copy()
        rendered.append((k, composite, old, new))
    return rendered


def test_mid_wipe_left_is_old_phase_and_right_is_new(wipe_renders):
    for k, composite, old, new in wipe_renders:
        width = composite.shape[1]
        left = slice(0, width // 4)
        right = slice(width - width // 4, width)
        label = f"wipe {k + 1}->{k + 2}"
        assert _mean_error(composite[:, left], old[:, left]) == 0, f"{label}: left is not old"
        assert _mean_error(composite[:, right], new[:, right]) == 0, f"{label}: right is not new"
        # The two halves really differ, so the check above can tell them apart.
        assert _mean_error(old, new) > 0.5, f"{label}: old and new scenes look the same"


def test_no_two_consecutive_frames_identical_in_the_whole_reel():
    producer = FrameProducer(Fraction(12), 320, 180)
    previous = None
    repeats = []
    for index in range(producer.total_frames):
        digest = hashlib.blake2b(producer.frame(index).tobytes(), digest_size=16).digest()
        if digest == previous:
            repeats.append(index)
        previous = digest
    assert producer.total_frames == 1200
    assert repeats == []


def test_whole_reel_low_res_render_has_exactly_1200_frames(tmp_path):
    out = tmp_path / "reel.mp4"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "insideweights",
            "render",
            "--size",
            "320x180",
            "--fps",
            "12",
            "--quality",
            "draft",
            "--out",
            str(out),
            "--quiet",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 0, result.stderr
    info = probe(out)
    assert info["frame_count"] == 1200
    assert info["frame_rate"] == 12
    assert len(info["chapters"]) == 7
