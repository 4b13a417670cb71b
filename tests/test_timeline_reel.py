"""Reel timing: exact tiling of frames, centred transitions, errors."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from insideweights.timeline import ReelTiming, TimelineError, parse_fps

LENGTHS = [15, 15, 15, 15, 20, 15, 5]
SEGMENTS = [(f"segment {k}", seconds) for k, seconds in enumerate(LENGTHS)]
RATES = [60, 24, 30, 25, "30000/1001", "23.976", "60000/1001"]


@pytest.mark.parametrize(("fps", "frames"), [(60, 6000), (24, 2400), ("30000/1001", 2997)])
def test_total_frames(fps, frames):
    assert ReelTiming(SEGMENTS, 0.5, fps).total_frames == frames


@pytest.mark.parametrize("fps", RATES)
def test_segments_tile_the_frame_range(fps):
    reel = ReelTiming(SEGMENTS, 0.5, fps)
    assert reel.segments[0].start_frame == 0
    assert reel.segments[-1].end_frame == reel.total_frames
    for before, after in zip(reel.segments, reel.segments[1:], strict=False):
        assert before.end_frame == after.start_frame
        assert before.end_seconds == after.start_seconds
    assert sum(segment.frame_count for segment in reel.segments) == reel.total_frames
    assert reel.duration == 100


@pytest.mark.parametrize("fps", RATES)
def test_every_frame_belongs_to_the_segment_whose_range_holds_it(fps):
    reel = ReelTiming(SEGMENTS, 0.5, fps)
    rate = parse_fps(fps)
    half_frame = 1 / (2 * rate)
    for segment in reel.segments:
        for frame in (segment.start_frame, segment.end_frame - 1):
            slot = reel.locate(frame)
            assert slot.index == segment.index
            assert slot.local_seconds == Fraction(frame) / rate - segment.start_seconds
            assert -half_frame <= slot.local_seconds < segment.seconds + half_frame


def test_transition_fields_around_the_first_boundary_at_60_fps():
    reel = ReelTiming(SEGMENTS, 0.5, 60)
    assert reel.locate(884).transition is None  # 14.7333 s: before 15 - 0.25
    first = reel.locate(885).transition  # 14.75 s exactly: the wipe starts
    assert first.outgoing == 0 and first.incoming == 1
    assert first.progress == 0.0
    assert first.outgoing_seconds == Fraction(59, 4)
    assert first.incoming_seconds == Fraction(-1, 4)
    at_boundary = reel.locate(900)
    assert at_boundary.index == 1
    assert at_boundary.transition.progress == 0.5
    assert at_boundary.transition.outgoing_seconds == 15
    assert at_boundary.transition.incoming_seconds == 0
    last = reel.locate(914).transition
    assert last.progress == pytest.approx(29 / 30)
    assert reel.locate(915).transition is None  # 15.25 s: the wipe has ended


@pytest.mark.parametrize("fps", [60, 24, "30000/1001"])
def test_no_transition_before_the_first_or_after_the_last_segment(fps):
    reel = ReelTiming(SEGMENTS, 0.5, fps)
    assert reel.locate(0).transition is None
    assert reel.locate(reel.total_frames - 1).transition is None
    frames_with_wipes = [f for f in range(reel.total_frames) if reel.locate(f).transition]
    rate = parse_fps(fps)
    per_wipe = Fraction(1, 2) * rate
    assert len(frames_with_wipes) in range(int(6 * per_wipe) - 6, int(6 * per_wipe) + 7)
    outgoing = {reel.locate(f).transition.outgoing for f in frames_with_wipes}
    assert outgoing == set(range(6))


@given(st.integers(0, 5999))
def test_transition_invariants(frame):
    reel = ReelTiming(SEGMENTS, 0.5, 60)
    slot = reel.locate(frame)
    wipe = slot.transition
    if wipe is None:
        return
    outgoing = reel.segments[wipe.outgoing]
    assert wipe.incoming == wipe.outgoing + 1
    assert 0.0 <= wipe.progress < 1.0
    assert wipe.outgoing_seconds - wipe.incoming_seconds == outgoing.seconds
    assert -Fraction(1, 4) <= wipe.incoming_seconds < Fraction(1, 4)
    assert slot.index in (wipe.outgoing, wipe.incoming)


def test_zero_transition_means_hard_cuts():
    reel = ReelTiming(SEGMENTS, 0, 60)
    assert all(reel.locate(f).transition is None for f in range(0, 6000, 7))


@pytest.mark.parametrize("frame", [-1, 6000, 1.5, "10", True])
def test_frames_out_of_range_are_refused(frame):
    with pytest.raises(TimelineError, match=r"frame must be an integer in \[0, 6000\)"):
        ReelTiming(SEGMENTS, 0.5, 60).locate(frame)


@pytest.mark.parametrize(
    ("segments", "transition", "message"),
    [
        ([], 0.5, "at least one"),
        ([("a", 0), ("b", 1)], 0.5, "reel segment 'a' seconds must be a positive number"),
        ([("a", -3)], 0.5, "must be a positive number"),
        ([("a", 1), ("b", 0.4), ("c", 1)], 0.5, "transition_seconds must be at most 0.4"),
        ([("a", 1), ("b", 1)], -0.5, "transition_seconds must be a number >= 0"),
        (["a"], 0.5, "must be \\(name, seconds\\)"),
    ],
)
def test_bad_reels_are_refused(segments, transition, message):
    with pytest.raises(TimelineError, match=message):
        ReelTiming(segments, transition, 60)


def test_segment_lookup_by_name():
    reel = ReelTiming(SEGMENTS, 0.5, 24)
    assert reel.segment("segment 4").start_seconds == 60
    assert reel.segment(4).end_frame == 80 * 24
    with pytest.raises(KeyError, match="segment 9"):
        reel.segment("segment 9")
