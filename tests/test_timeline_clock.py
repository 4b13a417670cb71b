"""The exact clock: fps parsing, durations, the frame-count rounding rule, errors."""

from decimal import Decimal
from fractions import Fraction

import pytest

from insideweights.timeline import (
    TimelineError,
    frame_count,
    frame_time,
    parse_fps,
    to_fraction,
    to_seconds,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (60, Fraction(60)),
        ("60", Fraction(60)),
        (" 24 ", Fraction(24)),
        (12.5, Fraction(25, 2)),
        ("25", Fraction(25)),
        (23.976, Fraction(24000, 1001)),
        ("23.976", Fraction(24000, 1001)),
        (29.97, Fraction(30000, 1001)),
        ("29.970", Fraction(30000, 1001)),
        ("47.952", Fraction(48000, 1001)),
        (59.94, Fraction(60000, 1001)),
        (Decimal("59.94"), Fraction(60000, 1001)),
        ("119.88", Fraction(120000, 1001)),
        ("60000/1001", Fraction(60000, 1001)),
        ("24000/1001", Fraction(24000, 1001)),
        (Fraction(30000, 1001), Fraction(30000, 1001)),
    ],
)
def test_parse_fps_is_exact_and_maps_ntsc_decimals(value, expected):
    fps = parse_fps(value)
    assert isinstance(fps, Fraction)
    assert fps == expected


@pytest.mark.parametrize(
    ("seconds", "fps", "frames"),
    [
        (100, 60, 6000),
        (100, 24, 2400),
        (100, 30, 3000),
        (100, "30000/1001", 2997),  # 2997.003 frames: a float ceil would say 2998
        (100, "29.97", 2997),
        (100, "60000/1001", 5994),
        ("100.0", 60, 6000),
    ],
)
def test_frame_count_of_the_reel(seconds, fps, frames):
    assert frame_count(seconds, fps) == frames


@pytest.mark.parametrize(
    ("seconds", "fps", "frames"),
    [
        (Fraction(1, 2), 1, 1),  # exact half rounds up
        (Fraction(3, 2), 1, 2),
        (Fraction(5, 2), 1, 3),  # not banker's rounding (which would give 2)
        (Fraction(149, 100), 1, 1),
        (Fraction(151, 100), 1, 2),
        (0.025, 60, 2),  # 1.5 frames exactly once 0.025 is read as 1/40
        (0, 60, 0),
    ],
)
def test_frame_count_rounds_to_nearest_with_halves_up(seconds, fps, frames):
    assert frame_count(seconds, fps) == frames


@pytest.mark.parametrize(
    "bad", ["0", 0, -1, "-24", float("nan"), float("inf"), "-inf", "abc", "", "60/0", None, True]
)
def test_bad_fps_names_the_option_the_value_and_the_rule(bad):
    with pytest.raises(TimelineError) as caught:
        parse_fps(bad, what="--fps")
    message = str(caught.value)
    assert message.startswith("--fps must be a positive number")
    assert repr(bad) in message


def test_timeline_error_is_a_value_error():
    assert issubclass(TimelineError, ValueError)


@pytest.mark.parametrize("bad", [-1, "-0.5", float("nan"), float("-inf"), "soon", None, False])
def test_bad_durations_are_rejected_with_their_label(bad):
    with pytest.raises(TimelineError, match=r"^--duration must be a number >= 0, got "):
        to_seconds(bad, "--duration")
    with pytest.raises(TimelineError):
        frame_count(bad, 60)


def test_to_seconds_reads_floats_by_their_decimal_spelling():
    assert to_seconds(0.01) == Fraction(1, 100)
    assert to_seconds(0.3) == Fraction(3, 10)
    assert to_seconds("1/3") == Fraction(1, 3)
    assert to_seconds(Decimal("2.5")) == Fraction(5, 2)


def test_to_seconds_sign_rules():
    assert to_seconds(-0.25, sign="any") == Fraction(-1, 4)
    with pytest.raises(TimelineError, match="positive"):
        to_seconds(0, "segment", sign="positive")
    assert to_fraction("0", "lag", sign="non-negative") == 0


def test_frame_time_is_exact():
    fps = parse_fps("30000/1001")
    assert frame_time(2997, fps) == Fraction(2997 * 1001, 30000)
    assert frame_time(600, 60) == 10
    assert sum(frame_time(1, 60) for _ in range(600)) == 10


@pytest.mark.parametrize("bad", [-1, 1.5, "3", True])
def test_frame_time_rejects_non_frames(bad):
    with pytest.raises(TimelineError, match="frame must be an integer >= 0"):
        frame_time(bad, 60)


def test_numbers_in_other_scripts_digits_are_not_read_as_a_frame_rate():
    from insideweights.timeline import TimelineError, parse_fps

    for text in ("\u0666\u0660", "\uff16\uff10", "6\u0660"):  # Arabic-Indic, fullwidth, mixed
        with pytest.raises(TimelineError, match="fps must be a positive number"):
            parse_fps(text)
    assert parse_fps(" 60 ") == 60
