"""User-facing values: sizes, frame ranges, phases and times give one-line errors."""

from fractions import Fraction

import pytest

from insideweights.options import (
    UsageError,
    parse_frame_index,
    parse_frame_range,
    parse_phase,
    parse_size,
    parse_time,
    parse_workers,
    require_even,
    require_fps_range,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1920x1080", (1920, 1080)),
        ("720p", (1280, 720)),
        ("2160p", (3840, 2160)),
        ("vertical", (1080, 1920)),
        ("320 x 180", (320, 180)),
    ],
)
def test_sizes_and_presets(text, expected):
    assert parse_size(text) == expected


@pytest.mark.parametrize("text", ["1920", "axb", "0x1080", "1920x-2", "99999x10", ""])
def test_bad_sizes_name_the_option_and_value(text):
    with pytest.raises(UsageError, match=r"--size .*"):
        parse_size(text)


def test_odd_sizes_are_refused_for_420_video():
    require_even(1920, 1080)
    with pytest.raises(UsageError, match="even width and height.*1919x1080"):
        require_even(1919, 1080)


def test_frame_ranges_are_end_exclusive_and_bounded():
    assert len(parse_frame_range("10:20", 6000)) == 10
    assert parse_frame_range(":5", 6000).start == 0
    assert parse_frame_range("5990:", 6000).stop == 6000
    for bad in ("20:10", "0:6001", "a:b", "5", "-1:3"):
        with pytest.raises(UsageError, match="--frames"):
            parse_frame_range(bad, 6000)


def test_phase_numbers_are_one_based():
    assert parse_phase("1", 7) == 0
    assert parse_phase("7", 7) == 6
    for bad in ("0", "8", "two", ""):
        with pytest.raises(UsageError, match="--phase must be a phase number from 1 to 7"):
            parse_phase(bad, 7)


def test_frame_index_and_time():
    assert parse_frame_index("5999", 6000) == 5999
    with pytest.raises(UsageError, match="from 0 to 5999"):
        parse_frame_index("6000", 6000)
    assert parse_time("1.5", Fraction(60), 6000) == 90
    assert parse_time("0.999", Fraction(60000, 1001), 5994) == 59
    for bad in ("100", "-1", "nan", "soon"):
        with pytest.raises(UsageError, match="--time"):
            parse_time(bad, Fraction(60), 6000)


def test_fps_outside_what_the_reel_and_encoders_can_honour():
    assert require_fps_range(Fraction(60), "60") == 60
    assert require_fps_range(Fraction(1), "1") == 1
    for fps, text in ((Fraction(1, 10000), "0.0001"), (Fraction(10**9), "1e9")):
        with pytest.raises(UsageError, match=f"--fps must be between 1 and 1000.*'{text}'"):
            require_fps_range(fps, text)


HUGE = "9" * 5000  # past Python's limit on converting long digit strings to int


@pytest.mark.parametrize(
    ("parse", "text", "option"),
    [
        (parse_size, f"{HUGE}x1080", "--size"),
        (lambda text: parse_frame_range(text, 6000), f"0:{HUGE}", "--frames"),
        (lambda text: parse_frame_index(text, 6000), HUGE, "--frame"),
        (lambda text: parse_phase(text, 7), HUGE, "--phase"),
        # int() and Fraction() take these; a user typing them meant something else
        (lambda text: parse_phase(text, 7), "\u0661", "--phase"),  # Arabic-Indic one
        (lambda text: parse_frame_index(text, 6000), "1_0", "--frame"),
        (lambda text: parse_frame_index(text, 6000), "+5", "--frame"),
        (lambda text: parse_frame_range(text, 6000), "0:1_0", "--frames"),
        (lambda text: parse_workers(text, 4), "1_0", "--workers"),
        (lambda text: parse_workers(text, 4), "+2", "--workers"),
        (lambda text: parse_time(text, Fraction(60), 6000), "\u0663", "--time"),
        # Fraction() would spend minutes expanding this exponent
        (lambda text: parse_time(text, Fraction(60), 6000), "1e999999999", "--time"),
    ],
)
def test_odd_numbers_get_the_options_one_line_error_and_a_short_echo(parse, text, option):
    with pytest.raises(UsageError) as caught:
        parse(text)
    message = str(caught.value)
    assert message.startswith(option) and "\n" not in message and len(message) < 300


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("6_0", "--fps must be a positive number"),  # Fraction() reads it as 60
        ("1e999999999", "--fps must be a positive number"),  # Fraction() would expand it
        ("6" * 5000, "--fps must be"),
        ("60000000000000000000000000000000001/1000000000000000000000000000000000", "ratio"),
    ],
)
def test_frame_rates_a_file_cannot_state_exactly_are_refused(text, needle, capsys):
    from insideweights.cli import main

    assert main(["phases", "--fps", text]) == 2
    error = capsys.readouterr().err
    assert needle in error and error.count("\n") == 1 and len(error) < 300
