"""Animations: composition in exact time, sampling semantics, value kinds, order independence."""

import pickle
import random
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from insideweights.timeline import (
    Rgba,
    Timeline,
    TimelineError,
    chain,
    cubic_bezier,
    delay,
    frame_count,
    frame_time,
    in_out_cubic,
    linear,
    loop,
    mix_oklab,
    out_back,
    parallel,
    sequence,
    stagger,
    tween,
    wait,
)


def test_animation_ending_at_t_shows_end_state_on_the_frame_at_t():
    timeline = Timeline(delay(0.5, tween("x", 1, start=0.0, end=10.0, ease=out_back)))
    assert timeline.sample(frame_time(90, 60))["x"] == 10.0  # 1.5 s exactly
    assert timeline.sample(frame_time(89, 60))["x"] != 10.0
    assert timeline.sample(frame_time(30, 60))["x"] == 0.0  # starts at its start value


def test_sub_frame_animation_takes_effect_on_the_next_frame():
    # Starts and ends strictly between frames 30 (0.5 s) and 31 (0.51667 s) at 60 fps.
    timeline = Timeline(delay(0.501, tween("x", 0.005, start=1.0, end=2.0)))
    assert timeline.sample(frame_time(30, 60))["x"] == 1.0
    assert timeline.sample(frame_time(31, 60))["x"] == 2.0


def test_zero_length_tween_jumps_at_its_start_time():
    timeline = Timeline(sequence(wait(1), tween("x", 0, start=0.0, end=5.0), wait(1)))
    assert timeline.sample(Fraction(59, 60))["x"] == 0.0
    assert timeline.sample(1)["x"] == 5.0


@pytest.mark.parametrize("fps", [60, 24])
def test_hundred_chained_waits_of_a_hundredth_last_exactly_one_second(fps):
    waits = sequence(*[wait(0.01) for _ in range(100)])
    assert waits.duration == 1
    assert frame_count(waits.duration, fps) == fps
    timeline = Timeline(sequence(waits, tween("x", 1, start=3.0, end=4.0)))
    assert timeline.sample(frame_time(fps, fps))["x"] == 3.0  # not yet moved at exactly 1 s
    assert timeline.sample(frame_time(fps + 1, fps))["x"] > 3.0


def test_six_hundred_one_frame_tweens_end_exactly_on_frame_600():
    one_frame = frame_time(1, 60)
    steps = [tween("x", one_frame, start=k, end=k + 1, ease=linear) for k in range(600)]
    timeline = Timeline(sequence(*steps))
    assert timeline.duration == 10
    assert frame_count(timeline.duration, 60) == 600
    for frame in range(601):  # every frame lands exactly on a step boundary
        assert timeline.sample(frame_time(frame, 60))["x"] == float(frame)


def test_float_times_are_read_as_their_decimal_spelling():
    # 0.3 as a binary float is just below 3/10; read exactly it is the tween's end.
    timeline = Timeline(tween("x", Fraction(3, 10), start=0.0, end=1.0))
    assert timeline.sample(0.3)["x"] == 1.0


def test_starts_closer_than_float_resolution_are_ordered_exactly():
    tiny = Fraction(1, 10**30)  # 1 and 1 + tiny are the same float
    anim = sequence(
        wait(1),
        tween("x", tiny, start=0.0, end=1.0),
        tween("x", 1, start=5.0, end=6.0),
    )
    timeline = Timeline(anim)
    assert timeline.sample(1)["x"] == 0.0
    assert timeline.sample(1 + tiny / 2)["x"] == 0.0  # still inside the first tween
    assert timeline.sample(1 + tiny)["x"] == 5.0  # the second one has begun
    assert 5.0 < timeline.sample(1.5)["x"] < 6.0


def test_values_before_between_and_after_segments():
    anim = sequence(
        wait(1),
        tween("x", 1, start=2.0, end=4.0, ease=linear),
        wait(1),
        tween("x", 1, start=7.0, end=8.0, ease=linear),
    )
    timeline = Timeline(anim)
    assert timeline.sample(-5)["x"] == 2.0  # before everything: first start value
    assert timeline.sample(0.5)["x"] == 2.0
    assert timeline.sample(1.5)["x"] == 3.0
    assert timeline.sample(2.5)["x"] == 4.0  # held until the next segment starts
    assert timeline.sample(3)["x"] == 7.0  # then jumps to that segment's start value
    assert timeline.sample(100)["x"] == 8.0


def test_durations_of_compositions():
    one, two = tween("a", 1), tween("b", 2)
    assert sequence(one, two).duration == 3
    assert parallel(one, two).duration == 2
    assert delay(0.25, two).duration == Fraction(9, 4)
    assert loop(one, 3).duration == 3
    assert sequence().duration == 0 and parallel().duration == 0


def test_stagger_lags_by_ratio_of_predecessor_duration():
    anim = stagger(
        tween("a", 2, ease=linear),
        tween("b", 1, ease=linear),
        tween("c", 1, ease=linear),
        lag_ratio=0.5,
    )
    timeline = Timeline(anim)
    # a starts at 0, b at 0.5 * 2 = 1, c at 1 + 0.5 * 1 = 1.5; the last ends at 2.5.
    assert timeline.duration == Fraction(5, 2)
    assert timeline.sample(1)["b"] == 0.0 and timeline.sample(1.5)["b"] == 0.5
    assert timeline.sample(1.5)["c"] == 0.0 and timeline.sample(2)["c"] == 0.5
    assert stagger(tween("a", 1), tween("b", 1), lag_ratio=1).duration == 2
    assert stagger(tween("a", 1), tween("b", 1), lag_ratio=0).duration == 1


def test_loop_repeats_the_values():
    timeline = Timeline(loop(tween("x", 1, start=0.0, end=1.0, ease=linear), 3))
    assert timeline.sample(0.25)["x"] == timeline.sample(2.25)["x"] == 0.25
    assert timeline.sample(3)["x"] == 1.0


@pytest.mark.parametrize("times", [0, -1, 1.5, True])
def test_loop_rejects_bad_counts(times):
    with pytest.raises(TimelineError, match="loop times must be an integer >= 1"):
        loop(wait(1), times)


def test_overlapping_tweens_of_one_name_are_refused():
    with pytest.raises(TimelineError, match="tweens of 'x' overlap"):
        Timeline(parallel(tween("x", 2), delay(1, tween("x", 1))))
    Timeline(sequence(tween("x", 1), tween("x", 1)))  # touching is fine


def test_progress_is_linear_across_all_segments_of_a_name():
    timeline = Timeline(
        sequence(wait(1), tween("x", 1), wait(2), tween("x", 1, ease=in_out_cubic))
    )
    assert timeline.progress("x", 0) == 0.0
    assert timeline.progress("x", 1) == 0.0
    assert timeline.progress("x", 3) == 0.5
    assert timeline.progress("x", 5) == 1.0


def test_missing_name_lists_the_known_names():
    timeline = Timeline(parallel(tween("alpha", 1), tween("beta", 1)))
    with pytest.raises(KeyError) as caught:
        timeline.sample(0)["gamma"]
    assert "gamma" in str(caught.value) and "alpha" in str(caught.value)
    assert "beta" in str(caught.value)
    assert timeline.sample(0).get("gamma", 7) == 7


def test_sample_is_a_read_only_mapping():
    sample = Timeline(tween("x", 1)).sample(0.5)
    assert set(sample) == {"x"} and len(sample) == 1 and "x" in sample
    with pytest.raises(TypeError):
        sample["x"] = 3.0


def test_tuples_interpolate_elementwise():
    timeline = Timeline(tween("point", 1, start=(0, 10), end=(4, 30), ease=linear))
    assert timeline.sample(0.25)["point"] == (1.0, 15.0)
    assert timeline.sample(1)["point"] == (4.0, 30.0)


def test_colours_interpolate_in_oklab():
    blue, orange = Rgba.hex("#3D7BFF"), Rgba.hex("#FF8A1F")
    timeline = Timeline(tween("colour", 1, start=blue, end=orange, ease=linear))
    middle = timeline.sample(0.5)["colour"]
    assert isinstance(middle, Rgba)
    assert middle == mix_oklab(blue, orange, 0.5)
    assert timeline.sample(1)["colour"] == orange


def test_arrays_interpolate_and_are_private_copies():
    start = np.zeros((3, 2))
    end = np.ones((3, 2))
    timeline = Timeline(tween("path", 1, start=start, end=end, ease=linear))
    start[:] = 99.0  # the caller reusing its buffer must not change the animation
    np.testing.assert_array_equal(timeline.sample(0.5)["path"], np.full((3, 2), 0.5))
    np.testing.assert_array_equal(timeline.sample(0)["path"], np.zeros((3, 2)))
    with pytest.raises(ValueError):
        timeline.sample(1)["path"][0, 0] = 5.0  # stored end states are read-only


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (0.0, (1.0, 2.0)),
        ((0.0, 1.0), (1.0, 2.0, 3.0)),
        (Rgba(0, 0, 0), (1.0, 1.0, 1.0, 1.0)),
        (np.zeros(3), np.zeros(4)),
        ("red", "blue"),
        (True, 1.0),
    ],
)
def test_mismatched_values_are_refused(start, end):
    with pytest.raises(TimelineError, match="tween 'v': start and end must be"):
        tween("v", 1, start=start, end=end)


@pytest.mark.parametrize("seconds", [-1, float("nan"), "long"])
def test_bad_tween_lengths_name_the_tween(seconds):
    with pytest.raises(TimelineError, match="tween 'v' seconds must be a number >= 0"):
        tween("v", seconds)


def test_composition_refuses_non_animations():
    with pytest.raises(TimelineError, match="sequence takes animations"):
        sequence(tween("a", 1), 3)


def _busy_timeline():
    rng = random.Random(7)
    blue, orange = Rgba.hex("#3D7BFF"), Rgba.hex("#FF8A1F")
    parts = []
    for index in range(12):
        name = f"n{index % 4}"
        parts.append(
            sequence(
                tween(name, rng.uniform(0.01, 1.5), start=rng.random(), end=rng.random()),
                wait(rng.uniform(0, 0.3)),
            )
        )
    colours = loop(tween("colour", 0.7, start=blue, end=orange), 4)
    points = tween("points", 2.5, start=np.zeros(4), end=np.arange(4.0), ease=out_back)
    return Timeline(parallel(sequence(*parts), colours, delay(0.3, points)))


def _snapshot(sample):
    return {name: np.asarray(sample[name], dtype=float).tolist() for name in sample}


def test_sampling_frames_in_shuffled_order_matches_in_order():
    timeline = _busy_timeline()
    frames = list(range(frame_count(timeline.duration, 60) + 1))
    in_order = {frame: _snapshot(timeline.sample(frame_time(frame, 60))) for frame in frames}
    shuffled = frames[:]
    random.Random(3).shuffle(shuffled)
    fresh = _busy_timeline()
    for frame in shuffled:
        assert _snapshot(fresh.sample(frame_time(frame, 60))) == in_order[frame]


@given(st.lists(st.integers(0, 20), min_size=1, max_size=30))
def test_every_tween_shows_its_end_value_on_the_frame_at_its_end(lengths_in_frames):
    fps = 24
    gap = wait(frame_time(1, fps))  # so no later tween starts on the same frame
    steps = [
        sequence(tween("x", frame_time(length, fps), start=float(k), end=k + 0.5), gap)
        for k, length in enumerate(lengths_in_frames)
    ]
    timeline = Timeline(sequence(*steps))
    end_frame = 0
    for k, length in enumerate(lengths_in_frames):
        end_frame += length
        assert timeline.sample(frame_time(end_frame, fps))["x"] == k + 0.5
        end_frame += 1


def test_timelines_pickle_for_worker_processes():
    anim = parallel(
        tween("x", 1, ease=cubic_bezier(0.2, 0.1, 0.3, 1.0)),
        tween("c", 2, start=Rgba(0, 0, 0), end=Rgba(1, 1, 1), ease=chain(linear, out_back)),
        tween("p", 1, start=np.zeros(3), end=np.ones(3)),
    )
    timeline = Timeline(anim)
    restored = pickle.loads(pickle.dumps(timeline))
    for seconds in (0, 0.3, 0.75, 2):
        assert _snapshot(restored.sample(seconds)) == _snapshot(timeline.sample(seconds))


def test_package_exports_the_public_api():
    import insideweights.timeline as tl

    expected = [
        "parse_fps",
        "to_seconds",
        "frame_count",
        "frame_time",
        "TimelineError",
        "EASINGS",
        "tween",
        "wait",
        "sequence",
        "parallel",
        "stagger",
        "delay",
        "loop",
        "Timeline",
        "Sample",
        "Rgba",
        "mix_oklab",
        "ReelTiming",
        "FrameSlot",
        "Transition",
        "linear",
        "smooth",
        "smoothstep",
        "smootherstep",
        "there_and_back",
        "rush_into",
        "rush_from",
        "reverse",
        "chain",
        "cubic_bezier",
        "in_out_elastic",
        "out_bounce",
        "in_back",
    ]
    missing = [name for name in expected if name not in tl.__all__ or not hasattr(tl, name)]
    assert missing == []
