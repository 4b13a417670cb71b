"""The golden harness can fail: each mutation below must be caught, with a useful message.

Each test makes its goldens in pytest's tmp_path from the code as it is now, so it proves
the harness catches the mutation whether or not the committed goldens are current (other
work may be changing the visuals); nothing here reads or writes tests/golden/. Goldens
and frames come from the same mode here, so they are compared with EXACT even when
NUMBA_DISABLE_JIT=1 relaxes the golden suite's tolerance (that one is tested on its own
at the end: it still catches the 2-level patch).
"""

from __future__ import annotations

import re

import golden_harness as harness
import numpy as np
import pytest

from insideweights.phases.reel import reel_timing
from insideweights.renderer.png_sink import encode_png, write_png

CASES = harness.golden_cases(reel_timing(harness.GOLDEN_FPS))
BY_NAME = {case.name: case for case in CASES}
MIDDLE_OF_PHASE_3 = BY_NAME["p3_f02250_60fps.png"]
# theme.CYAN is #22E5FF; the patched one loses 32 levels of green: plainly visible.
PATCHED_CYAN = "#22C5FF"
EXACT = harness.EXACT


def mismatch_numbers(message: str) -> tuple[int, int]:
    """(differing pixels, max channel difference) read back from a failure message."""
    match = re.search(r"(\d+) of \d+ pixels differ .* max channel difference (\d+)", message)
    assert match, message
    return int(match.group(1)), int(match.group(2))


def fresh_golden(producer, case, folder) -> np.ndarray:
    """Render ``case`` now and store it as its golden in ``folder``; returns the frame."""
    rendered = producer.frame(case.frame).copy()
    harness.write_golden(folder / case.name, rendered)
    return rendered


def test_the_next_frame_fails_against_each_frames_golden(golden_producer, tmp_path):
    """For every case in motion, frame i+1 checked against golden i is a mismatch."""
    cases = harness.sampled(CASES[:-1])
    checked = []
    for case in cases:
        rendered = fresh_golden(golden_producer, case, tmp_path)
        following = golden_producer.frame(case.frame + 1).copy()
        if np.array_equal(rendered, following):
            continue  # a held frame: nothing for the harness to catch
        with pytest.raises(harness.GoldenMismatch) as failure:
            harness.verify(case.name, following, golden_dir=tmp_path, tolerance=EXACT)
        assert mismatch_numbers(str(failure.value))[0] > 0
        checked.append(case.name)
    # Almost the whole reel moves all the time; a shrinking list means phases went still.
    assert len(checked) >= 0.85 * len(cases), checked


def test_a_two_level_change_in_one_8x8_patch_fails(golden_producer, tmp_path):
    case = MIDDLE_OF_PHASE_3
    rendered = fresh_golden(golden_producer, case, tmp_path)
    golden = rendered.copy()
    patch = golden[100:108, 200:208, :3].astype(np.int16)
    golden[100:108, 200:208, :3] = np.where(patch >= 2, patch - 2, patch + 2).astype(np.uint8)
    write_png(tmp_path / case.name, golden)
    results = tmp_path / "results"

    with pytest.raises(harness.GoldenMismatch) as failure:
        harness.verify(
            case.name, rendered, golden_dir=tmp_path, results_dir=results, tolerance=EXACT
        )

    message = str(failure.value)
    assert mismatch_numbers(message) == (64, 2)
    assert "bounding box x 200..207, y 100..107 (8x8 px)" in message
    rendered_path, diff_path = harness.result_paths(tmp_path / case.name, results)
    assert str(rendered_path) in message and str(diff_path) in message
    assert np.array_equal(harness.read_png(rendered_path), rendered[:, :, :3])
    diff = harness.read_png(diff_path)
    # 2 levels are amplified to a bright red, far above the dimmed backdrop.
    assert (diff[100:108, 200:208, 0] >= harness.DIFF_FLOOR + 2 * harness.DIFF_GAIN).all()
    assert (diff[100:108, 200:208, 1:] == 0).all()
    assert tuple(diff[99, 203]) == harness.BOX_COLOUR
    assert diff[50, 50, 0] <= 255 * harness.DIFF_BACKDROP


def test_an_unchanged_golden_passes_and_leaves_no_results(golden_producer, tmp_path):
    """The control for the mutations: the same frame against its own golden passes."""
    case = MIDDLE_OF_PHASE_3
    rendered = fresh_golden(golden_producer, case, tmp_path)
    comparison = harness.verify(case.name, rendered, golden_dir=tmp_path, tolerance=EXACT)
    assert comparison.describe() == "no pixel differs"
    assert not (tmp_path / harness.RESULTS_FOLDER).exists()


def test_a_visibly_different_cyan_fails_the_goldens(tmp_path):
    """theme.CYAN patched in a fresh process before any phase is imported (phases and
    widgets may copy theme colours at import time), checked against goldens rendered by
    an unpatched fresh process."""
    cases = harness.sampled(CASES)
    frames = [case.frame for case in cases]
    plain = harness.render_in_subprocess(frames, tmp_path / "plain.npy")
    prelude = (
        "from insideweights import theme\n"
        "from insideweights.timeline.color import Rgba\n"
        f"theme.CYAN = Rgba.hex({PATCHED_CYAN!r})\n"
    )
    patched = harness.render_in_subprocess(frames, tmp_path / "cyan.npy", prelude=prelude)
    failed = []
    for case, golden, rendered in zip(cases, plain, patched, strict=True):
        harness.write_golden(tmp_path / case.name, golden)
        # control: the same code in another process passes
        harness.verify(case.name, golden, golden_dir=tmp_path, tolerance=EXACT)
        try:
            harness.verify(case.name, rendered, golden_dir=tmp_path, tolerance=EXACT)
        except harness.GoldenMismatch as failure:
            failed.append((case.name, mismatch_numbers(str(failure))))
    assert failed, "patching theme.CYAN changed no golden frame"
    # The footer's step number and most phases draw in cyan: nearly every case fails.
    assert len(failed) >= len(cases) // 2, failed


def test_a_missing_golden_fails_and_says_how_to_create_it(golden_producer, tmp_path):
    case = MIDDLE_OF_PHASE_3
    rendered = golden_producer.frame(case.frame).copy()

    with pytest.raises(harness.GoldenMissing) as failure:
        harness.verify(case.name, rendered, golden_dir=tmp_path)

    message = str(failure.value)
    assert "does not exist" in message
    assert harness.UPDATE_COMMAND in message and f"{harness.UPDATE_ENV}=1" in message
    assert not (tmp_path / case.name).exists()  # never created by a plain run
    rendered_path, _ = harness.result_paths(tmp_path / case.name)
    assert np.array_equal(harness.read_png(rendered_path), rendered[:, :, :3])


def test_a_size_change_fails_with_both_sizes(tmp_path):
    write_png(tmp_path / "x.png", np.zeros((270, 480, 4), np.uint8))
    with pytest.raises(harness.GoldenMismatch, match="rendered frame is 640x360 .* 480x270"):
        harness.verify("x.png", np.zeros((360, 640, 4), np.uint8), golden_dir=tmp_path)


def test_update_writes_only_changed_goldens_and_a_pass_clears_old_results(tmp_path):
    frame = np.zeros((6, 8, 4), np.uint8)
    frame[..., 3] = 255
    path = tmp_path / "g.png"
    assert harness.write_golden(path, frame)
    assert not harness.write_golden(path, frame)  # same bytes: left alone
    changed = frame.copy()
    changed[2, 3, 1] = 1
    with pytest.raises(harness.GoldenMismatch, match="1 of 48 pixels differ"):
        harness.verify("g.png", changed, golden_dir=tmp_path, tolerance=EXACT)
    assert sorted(p.name for p in (tmp_path / "_results").iterdir()) == [
        "g.diff.png",
        "g.rendered.png",
    ]
    assert harness.write_golden(path, changed)
    harness.verify("g.png", changed, golden_dir=tmp_path, tolerance=EXACT)
    assert list((tmp_path / "_results").iterdir()) == []


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [(False, None, False), (True, None, True), (False, "1", True), (False, "0", False)],
)
def test_update_is_requested_only_by_the_option_or_the_variable(option, value, expected):
    environ = {} if value is None else {harness.UPDATE_ENV: value}
    assert harness.update_requested(option, environ) is expected


def test_an_unclear_update_variable_is_refused():
    with pytest.raises(ValueError, match=r"INSIDEWEIGHTS_UPDATE_GOLDENS must be 1 .* 'yes'"):
        harness.update_requested(False, {harness.UPDATE_ENV: "yes"})


@pytest.mark.parametrize("channels", [3, 4])
def test_read_png_undoes_every_row_filter(channels, tmp_path):
    """Goldens re-saved by another tool (with PNG filters) still read exactly."""
    rng = np.random.default_rng(3)
    image = rng.integers(0, 256, (7, 5, channels), dtype=np.uint8)
    plain = encode_png(
        image if channels == 4 else np.dstack([image, np.full((7, 5), 255, np.uint8)])
    )
    assert np.array_equal(harness.read_png(_saved(tmp_path / "plain.png", plain)), image)
    filtered = _refilter(image)
    assert np.array_equal(harness.read_png(_saved(tmp_path / "f.png", filtered)), image)


def _saved(path, data: bytes):
    path.write_bytes(data)
    return path


def _refilter(image: np.ndarray) -> bytes:
    """A PNG of ``image`` whose rows cycle through filters 0-4 (reference encoder)."""
    import struct
    import zlib

    height, width, channels = image.shape
    data, previous = bytearray(), [0] * (width * channels)
    for y in range(height):
        kind, line = y % 5, [int(v) for v in image[y].reshape(-1)]
        data.append(kind)
        for i, value in enumerate(line):
            left = line[i - channels] if i >= channels else 0
            up, corner = previous[i], previous[i - channels] if i >= channels else 0
            estimate = left + up - corner
            paeth = min((abs(estimate - left), 0, left), (abs(estimate - up), 1, up))
            paeth = min(paeth, (abs(estimate - corner), 2, corner))[2]
            predictor = (0, left, up, (left + up) // 2, paeth)[kind]
            data.append((value - predictor) & 0xFF)
        previous = line
    header = struct.pack(">IIBBBBB", width, height, 8, {3: 2, 4: 6}[channels], 0, 0, 0)

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(body, zlib.crc32(kind))
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(data)))
        + chunk(b"IEND", b"")
    )


def test_both_tolerances_still_catch_the_two_level_patch():
    golden = np.zeros((harness.GOLDEN_HEIGHT, harness.GOLDEN_WIDTH, 4), np.uint8)
    one_dot, patch, haze = golden.copy(), golden.copy(), golden.copy()
    one_dot[81, 408, 0] = 1  # what NUMBA_DISABLE_JIT=1 was seen to change
    patch[100:108, 200:208, :3] = 2
    haze[:20, :, 0] = 1  # 1 level over 9600 pixels: a global shift, not rounding noise
    exact, without_jit = EXACT, harness.WITHOUT_JIT
    assert harness.compare(golden, golden).passes(exact)
    assert not harness.compare(one_dot, golden).passes(exact)
    assert harness.compare(one_dot, golden).passes(without_jit)
    assert not harness.compare(patch, golden).passes(without_jit)
    assert not harness.compare(haze, golden).passes(without_jit)
