"""Determinism: a frame's bytes do not depend on how, where or after what it was rendered.

This is what lets the golden frames be compared exactly (golden_harness.TOLERANCE): the
same bytes come back twice in one process, in another process, in sequence or alone, with
Numba's cache cold or warm, and with Numba compiling for a generic x86-64 CPU. With the
JIT disabled, frames stay within golden_harness.WITHOUT_JIT. Encoding the same frames
twice with the same settings and ``deterministic=True`` gives the same file, byte for byte.
"""

from __future__ import annotations

import golden_harness as harness
import numpy as np
import pytest

from insideweights.compose import FrameProducer
from insideweights.renderer.ffmpeg_probe import available_encoders
from insideweights.renderer.png_sink import encode_png
from insideweights.renderer.sink import FfmpegSink

FPS, WIDTH, HEIGHT = harness.GOLDEN_FPS, harness.GOLDEN_WIDTH, harness.GOLDEN_HEIGHT
# Between them these use every effect: particles, bloom, the wipe, dithering, the footer.
FRAMES = (0, 1800, 2250, 4200, 5250, 5999)
WIPE_MIDDLE = 1800
needs_jit = pytest.mark.skipif(harness.JIT_DISABLED, reason="NUMBA_DISABLE_JIT=1: no JIT cache")


def render(producer: FrameProducer, frames) -> np.ndarray:
    return np.stack([producer.frame(frame).copy() for frame in frames])


@pytest.fixture(scope="module")
def here() -> np.ndarray:
    """FRAMES rendered in this process, in order, by one producer."""
    return render(FrameProducer(FPS, WIDTH, HEIGHT), FRAMES)


def assert_same_frames(first: np.ndarray, second: np.ndarray) -> None:
    for frame, a, b in zip(FRAMES, first, second, strict=True):
        assert encode_png(a) == encode_png(b), (frame, harness.compare(a, b).describe())


def test_the_same_frame_twice_in_one_process_gives_identical_bytes(here, golden_producer):
    again = render(golden_producer, FRAMES)  # another producer, already used elsewhere
    reversed_order = render(golden_producer, FRAMES[::-1])[::-1]
    assert_same_frames(here, again)
    assert_same_frames(here, reversed_order)


@pytest.mark.parametrize("frame", [WIPE_MIDDLE, 4200])
def test_a_frame_alone_equals_it_in_sequence_forwards_and_backwards(frame):
    alone = FrameProducer(FPS, WIDTH, HEIGHT).frame(frame).copy()
    forwards = render(FrameProducer(FPS, WIDTH, HEIGHT), range(frame - 3, frame + 1))[-1]
    backwards = render(FrameProducer(FPS, WIDTH, HEIGHT), range(frame + 3, frame - 1, -1))[-1]
    assert np.array_equal(alone, forwards)
    assert np.array_equal(alone, backwards)
    # The control: neighbouring frames differ, so "equal" above is not trivially true.
    assert not np.array_equal(alone, FrameProducer(FPS, WIDTH, HEIGHT).frame(frame + 1))


@pytest.fixture(scope="module")
def cold_and_warm(tmp_path_factory) -> dict:
    """FRAMES from two fresh processes sharing a new NUMBA_CACHE_DIR: the first compiles
    every kernel (cold) and fills the cache, the second loads from it (warm)."""
    folder = tmp_path_factory.mktemp("jit")
    cache = folder / "numba_cache"
    cache.mkdir()
    env = {"NUMBA_CACHE_DIR": str(cache)}
    cold = harness.render_in_subprocess(FRAMES, folder / "cold.npy", env=env)
    after_cold = {path: path.stat().st_mtime_ns for path in cache.rglob("*") if path.is_file()}
    warm = harness.render_in_subprocess(FRAMES, folder / "warm.npy", env=env)
    after_warm = {path: path.stat().st_mtime_ns for path in cache.rglob("*") if path.is_file()}
    return {"cold": cold, "warm": warm, "after_cold": after_cold, "after_warm": after_warm}


@needs_jit
def test_a_cold_jit_cache_gives_the_bytes_of_a_warm_one(cold_and_warm):
    assert any(path.suffix == ".nbi" for path in cold_and_warm["after_cold"]), "cold run cached"
    # The warm run compiled nothing: the cache files are exactly those the cold run left.
    assert cold_and_warm["after_warm"] == cold_and_warm["after_cold"]
    assert_same_frames(cold_and_warm["cold"], cold_and_warm["warm"])


@needs_jit
def test_another_process_gives_the_bytes_of_this_one(cold_and_warm, here):
    assert_same_frames(here, cold_and_warm["warm"])


@needs_jit
def test_numba_compiled_for_a_generic_cpu_gives_the_same_bytes(here, tmp_path):
    """No AVX in the kernels changes nothing: evidence that the goldens do not depend on
    the SIMD width of the CPU Numba compiles for (see golden_harness.TOLERANCE)."""
    env = {"NUMBA_CACHE_DIR": str(tmp_path / "cache"), "NUMBA_CPU_NAME": "generic"}
    assert_same_frames(here, harness.render_in_subprocess(FRAMES, tmp_path / "g.npy", env=env))


def test_the_jit_disabled_stays_within_its_stated_tolerance(golden_producer, tmp_path):
    """Plain-Python kernels (slow: two frames only) against the compiled ones. Frame 5925
    is the one golden where they were seen to differ (one pixel by one level)."""
    frames = (WIPE_MIDDLE, 5925)
    compiled = render(golden_producer, frames)
    plain = harness.render_in_subprocess(
        frames, tmp_path / "nojit.npy", env={"NUMBA_DISABLE_JIT": "1"}
    )
    for frame, a, b in zip(frames, compiled, plain, strict=True):
        comparison = harness.compare(a, b)
        assert comparison.passes(harness.WITHOUT_JIT), (frame, comparison.describe())


def encode(path, frames: np.ndarray, container: str) -> bytes:
    with FfmpegSink(path, WIDTH, HEIGHT, FPS, container=container, deterministic=True) as sink:
        for frame in frames:
            sink.write(frame)
    return path.read_bytes()


@pytest.fixture(scope="module")
def clip() -> np.ndarray:
    """Half a second of the reel across the 2-3 wipe: motion and a caption change."""
    producer = FrameProducer(FPS, WIDTH, HEIGHT)
    return render(producer, range(WIPE_MIDDLE - 15, WIPE_MIDDLE + 15))


@pytest.mark.parametrize("container", ["mp4", "webm"])
def test_encoding_the_same_frames_twice_gives_identical_files(clip, container, tmp_path):
    if container == "webm" and "libvpx-vp9" not in available_encoders():
        pytest.skip("the bundled ffmpeg has no libvpx-vp9")
    first = encode(tmp_path / f"a.{container}", clip, container)
    second = encode(tmp_path / f"b.{container}", clip, container)
    assert len(first) > 10_000  # a real clip, not an empty container
    assert first == second
    changed = clip.copy()
    changed[15, 100:108, 200:208, :3] ^= 0x40  # control: one visible patch in one frame
    assert encode(tmp_path / f"c.{container}", changed, container) != first


def test_the_clip_is_half_a_second_of_distinct_frames(clip):
    assert clip.shape == (30, HEIGHT, WIDTH, 4)
    assert all(not np.array_equal(a, b) for a, b in zip(clip, clip[1:], strict=False))
