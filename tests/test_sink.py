"""The encoder and PNG sinks: exact frames, sizes, rates and colours in the file; atomic
output; no temporary file or ffmpeg process left behind whatever goes wrong."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import skia

from insideweights.renderer import output_files, png_sink
from insideweights.renderer.ffmpeg_probe import (
    ProbeError,
    available_encoders,
    decode_frames,
    ffmpeg_exe,
    probe,
)
from insideweights.renderer.sink import (
    Chapter,
    EncoderError,
    FfmpegSink,
    OutputPathError,
    PngSequenceSink,
    SinkStopped,
    SizeError,
    stop,
    write_png,
)

W, H = 160, 90
FPS = Fraction(12)
PALETTE = {
    "background": (0x0A, 0x0E, 0x17),
    "cyan": (0x22, 0xE5, 0xFF),
    "orange": (0xFF, 0x8A, 0x1F),
    "blue": (0x3D, 0x7B, 0xFF),
    "text": (0xE8, 0xEE, 0xF7),
}
# Flat patches must come back within this many levels per channel: H.264 at CRF 21 keeps
# flat areas almost exact; 8-bit YUV rounding alone costs up to 2 levels per channel.
PATCH_TOLERANCE = 3


def flat_frame(rgb, width=W, height=H) -> np.ndarray:
    frame = np.full((height, width, 4), 255, np.uint8)
    frame[:, :, :3] = rgb
    return frame


def palette_frame() -> np.ndarray:
    """Five vertical bars, one per palette colour, each 32 pixels wide."""
    frame = flat_frame(PALETTE["background"])
    for index, rgb in enumerate(PALETTE.values()):
        frame[:, index * 32 : (index + 1) * 32, :3] = rgb
    return frame


def moving_frames(count, width=W, height=H) -> list[np.ndarray]:
    """Dark frames with a bright bar that moves, so every frame differs."""
    frames = []
    for index in range(count):
        frame = flat_frame(PALETTE["background"], width, height)
        x = (index * 7) % (width - 8)
        frame[:, x : x + 4, :3] = PALETTE["cyan"]
        frame[height // 3, :, :3] = PALETTE["text"]
        frames.append(frame)
    return frames


def render(path, frames, fps=FPS, **options) -> Path:
    height, width = frames[0].shape[:2]
    with FfmpegSink(path, width, height, fps, **options) as sink:
        for frame in frames:
            sink.write(frame)
    return Path(path)


def leftovers(folder: Path) -> list[str]:
    """Hidden temporary files (partial output, chapters) still in the folder."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def is_our_running_child(pid: int) -> bool:
    """True if ``pid`` is still a (non-zombie) child process of this test process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    fields = stat.rsplit(")", 1)[1].split()
    state, parent = fields[0], int(fields[1])
    return parent == os.getpid() and state != "Z"


# -- what ends up in the file ---------------------------------------------------------------


def test_one_second_at_12_fps_decodes_to_exactly_12_frames(tmp_path):
    out = render(tmp_path / "short.mp4", moving_frames(12))

    assert decode_frames(out, W, H).shape == (12, H, W, 3)
    assert probe(out)["frame_count"] == 12
    assert leftovers(tmp_path) == []


def test_decoding_at_another_size_is_refused_not_reshaped(tmp_path):
    out = render(tmp_path / "size.mp4", moving_frames(12))

    # 12 frames of 160x90 hold exactly 24 frames' worth of 80x90 bytes.
    with pytest.raises(ProbeError, match="holds 160x90, not the 80x90"):
        decode_frames(out, 80, 90)


def test_stream_is_yuv420p_tv_range_bt709_h264(tmp_path):
    info = probe(render(tmp_path / "tags.mp4", moving_frames(3)))

    assert info["codec"] == "h264"
    assert info["pix_fmt"] == "yuv420p"
    assert info["color_range"] == "tv"
    assert info["colorspace"] == "bt709"
    assert info["color_primaries"] == "bt709"
    assert info["color_transfer"] == "bt709"


def test_palette_patches_decode_within_tolerance(tmp_path):
    out = render(tmp_path / "palette.mp4", [palette_frame()] * 4)
    decoded = decode_frames(out, W, H).astype(int)

    for index, (name, rgb) in enumerate(PALETTE.items()):
        # Stay 4 px inside each bar: chroma is shared by 2x2 pixels at the borders.
        patch = decoded[:, 4:-4, index * 32 + 4 : (index + 1) * 32 - 4]
        error = np.abs(patch - np.array(rgb)).max()
        assert error <= PATCH_TOLERANCE, f"{name} came back {error} levels off"


def bt709_tv_yuv(rgb) -> np.ndarray:
    """Expected 8-bit Y, Cb, Cr of an sRGB colour under BT.709, TV range."""
    r, g, b = (channel / 255 for channel in rgb)
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    cb = (b - y) / 1.8556
    cr = (r - y) / 1.5748
    return np.array([16 + 219 * y, 128 + 224 * cb, 128 + 224 * cr])


def test_pixels_use_the_bt709_matrix_not_bt601(tmp_path):
    # Reading raw YUV back (no conversion) checks the matrix itself: an encode and decode
    # that both used BT.601 would round-trip RGB fine and still be mislabelled.
    out = render(tmp_path / "matrix.mp4", [flat_frame(PALETTE["orange"])] * 2)
    raw = subprocess.run(
        [ffmpeg_exe(), "-loglevel", "error", "-i", str(out), "-frames:v", "1"]
        + ["-f", "rawvideo", "-pix_fmt", "yuv420p", "pipe:1"],
        capture_output=True,
        check=True,
    ).stdout
    y = raw[: W * H]
    cb = raw[W * H : W * H + W * H // 4]
    cr = raw[W * H + W * H // 4 :]
    measured = np.array([np.median(np.frombuffer(p, np.uint8)) for p in (y, cb, cr)])

    assert np.abs(measured - bt709_tv_yuv(PALETTE["orange"])).max() <= 2


def test_1080p_stays_1920x1080(tmp_path):
    frames = moving_frames(2, 1920, 1080)
    info = probe(render(tmp_path / "full.mp4", frames, fps=Fraction(60), quality="draft"))

    assert (info["width"], info["height"]) == (1920, 1080)
    assert info["frame_count"] == 2


def test_59_94_is_stored_as_60000_over_1001(tmp_path):
    out = render(tmp_path / "ntsc.mp4", moving_frames(6), fps=Fraction(60000, 1001))

    assert probe(out)["frame_rate"] == Fraction(60000, 1001)


def test_reused_buffer_is_fully_sent_before_write_returns(tmp_path):
    # One buffer, repainted between writes: if write() kept a reference instead of
    # finishing with the bytes, several frames would show the last colour.
    colours = [PALETTE["cyan"], PALETTE["orange"], PALETTE["blue"], PALETTE["text"]]
    buffer = flat_frame(PALETTE["background"])
    with FfmpegSink(tmp_path / "reuse.mp4", W, H, FPS) as sink:
        for rgb in colours:
            buffer[:, :, :3] = rgb
            sink.write(buffer)
    decoded = decode_frames(tmp_path / "reuse.mp4", W, H).astype(int)

    for frame, rgb in zip(decoded, colours, strict=True):
        assert np.abs(frame[H // 2, W // 2] - np.array(rgb)).max() <= PATCH_TOLERANCE


def test_chapters_have_the_given_titles_and_times(tmp_path):
    chapters = [
        Chapter("Where Intelligence Lives", Fraction(0), Fraction(1, 2)),
        Chapter("Soft Targets = Loss; #5", Fraction(1, 2), Fraction(1)),
    ]
    info = probe(render(tmp_path / "chapters.mp4", moving_frames(12), chapters=chapters))

    assert info["chapters"] == [chapter.title for chapter in chapters]
    assert info["chapter_times"] == [(0.0, 0.5), (0.5, 1.0)]
    assert leftovers(tmp_path) == []  # the ffmetadata file is gone too


def test_chapters_must_be_ordered():
    with pytest.raises(ValueError, match="not overlap"):
        FfmpegSink(
            "x.mp4",
            W,
            H,
            FPS,
            chapters=[Chapter("b", Fraction(1), Fraction(2)), Chapter("a", 0, Fraction(3, 2))],
        )


def test_deterministic_mode_gives_identical_bytes(tmp_path):
    frames = moving_frames(24, 320, 180)
    chapters = [Chapter("one", 0, Fraction(1)), Chapter("two", Fraction(1), Fraction(2))]
    first = render(tmp_path / "a.mp4", frames, deterministic=True, chapters=chapters)
    second = render(tmp_path / "b.mp4", frames, deterministic=True, chapters=chapters)

    assert first.read_bytes() == second.read_bytes()
    assert probe(first)["chapters"] == ["one", "two"]
    assert b"Lavf" not in first.read_bytes()  # no version-dependent muxer tag


@pytest.mark.skipif("libvpx-vp9" not in available_encoders(), reason="ffmpeg lacks libvpx")
def test_webm_is_vp9_with_the_same_tags(tmp_path):
    info = probe(render(tmp_path / "clip.webm", moving_frames(6), quality="draft"))

    assert info["codec"] == "vp9"
    assert info["frame_count"] == 6
    assert (info["pix_fmt"], info["color_range"], info["colorspace"]) == (
        "yuv420p",
        "tv",
        "bt709",
    )


# -- refusing bad requests early -----------------------------------------------------------


def test_odd_size_is_refused_before_anything_starts(tmp_path):
    with pytest.raises(SizeError, match=r"161x90.*even"):
        FfmpegSink(tmp_path / "odd.mp4", 161, 90, FPS)
    with pytest.raises(SizeError, match=r"160x91"):
        FfmpegSink(tmp_path / "odd.mp4", 160, 91, FPS)
    assert list(tmp_path.iterdir()) == []


def test_float_fps_is_refused():
    with pytest.raises(ValueError, match=r"fps must be an exact Fraction.*59\.94"):
        FfmpegSink("x.mp4", W, H, 59.94)


def test_container_must_match_the_suffix():
    with pytest.raises(ValueError, match="does not match output suffix '.mp4'"):
        FfmpegSink("x.mp4", W, H, FPS, container="webm")


def test_folder_under_a_regular_file_is_a_clear_error(tmp_path):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file")
    sink = FfmpegSink(blocker / "out.mp4", W, H, FPS)

    with pytest.raises(OutputPathError, match="is a file, not a folder"):
        sink.start()
    assert sink.ffmpeg_pid is None  # found before ffmpeg was started


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(OutputPathError, match="does not exist"):
        render(tmp_path / "missing" / "out.mp4", moving_frames(1))


def test_too_little_free_space_is_refused_before_starting(tmp_path, monkeypatch):
    monkeypatch.setattr(output_files, "MIN_FREE_BYTES", 1 << 62)
    sink = FfmpegSink(tmp_path / "out.mp4", W, H, FPS)

    with pytest.raises(OutputPathError, match="MiB free"):
        sink.start()
    assert sink.ffmpeg_pid is None
    assert list(tmp_path.iterdir()) == []


def test_closing_without_frames_is_an_error_and_leaves_nothing(tmp_path):
    sink = FfmpegSink(tmp_path / "empty.mp4", W, H, FPS)
    sink.start()
    pid = sink.ffmpeg_pid

    with pytest.raises(EncoderError, match="no frames"):
        sink.close()
    assert list(tmp_path.iterdir()) == []
    assert not is_our_running_child(pid)


def test_wrong_frame_shape_names_the_expected_shape(tmp_path):
    with (
        pytest.raises(ValueError, match=r"shape \(90, 160, 4\), got uint8 array of shape"),
        FfmpegSink(tmp_path / "shape.mp4", W, H, FPS) as sink,
    ):
        sink.write(np.zeros((H, W, 3), np.uint8))
    assert list(tmp_path.iterdir()) == []


# -- failures clean up ----------------------------------------------------------------------


@pytest.mark.parametrize("error", [RuntimeError("boom"), KeyboardInterrupt()])
def test_exception_mid_render_leaves_no_file_and_no_ffmpeg(tmp_path, error):
    out = tmp_path / "broken.mp4"
    with pytest.raises(type(error)), FfmpegSink(out, W, H, FPS) as sink:
        pid = sink.ffmpeg_pid
        for frame in moving_frames(5):
            sink.write(frame)
        assert leftovers(tmp_path) != []  # the partial file exists while rendering
        raise error

    assert pid is not None and not is_our_running_child(pid)
    assert list(tmp_path.iterdir()) == []


def test_existing_output_survives_an_ffmpeg_failure(tmp_path):
    out = tmp_path / "keep.mp4"
    out.write_bytes(b"the previous good render")

    # A profile x264 rejects makes ffmpeg exit when the first frame opens the encoder.
    with pytest.raises(EncoderError) as failure:
        render(out, moving_frames(30), extra_output_args=["-profile:v", "baseline444"])

    assert "invalid profile" in str(failure.value)  # ffmpeg's own words are reported
    assert out.read_bytes() == b"the previous good render"
    assert leftovers(tmp_path) == []


def test_existing_output_survives_an_interrupted_render(tmp_path):
    out = tmp_path / "keep.mp4"
    out.write_bytes(b"old")
    with pytest.raises(KeyboardInterrupt), FfmpegSink(out, W, H, FPS) as sink:
        sink.write(moving_frames(1)[0])
        raise KeyboardInterrupt

    assert out.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_stop_from_a_signal_handler_ends_the_render_cleanly(tmp_path):
    out = tmp_path / "stopped.mp4"
    previous = signal.signal(signal.SIGUSR1, lambda signum, frame: stop())
    try:
        with pytest.raises(SinkStopped), FfmpegSink(out, W, H, FPS) as sink:
            pid = sink.ffmpeg_pid
            for index, frame in enumerate(moving_frames(40)):
                if index == 10:
                    os.kill(os.getpid(), signal.SIGUSR1)
                sink.write(frame)
    finally:
        signal.signal(signal.SIGUSR1, previous)

    assert sink.frames_written == 10
    assert not is_our_running_child(pid)
    assert list(tmp_path.iterdir()) == []


def test_stop_during_close_does_not_publish_the_file(tmp_path):
    out = tmp_path / "late.mp4"
    sink = FfmpegSink(out, W, H, FPS)
    for frame in moving_frames(3):
        sink.write(frame)
    sink.stop()

    with pytest.raises(SinkStopped):
        sink.close()
    assert list(tmp_path.iterdir()) == []


_ENDLESS_RENDER = """
import signal, sys
import numpy as np
from fractions import Fraction
from insideweights.renderer.sink import FfmpegSink, stop
if sys.argv[2] == "handler":
    signal.signal(signal.SIGTERM, lambda signum, frame: stop())
frame = np.zeros((90, 160, 4), np.uint8)
frame[..., 3] = 255
with FfmpegSink(sys.argv[1], 160, 90, Fraction(12)) as sink:
    print(sink.ffmpeg_pid, flush=True)
    while True:
        sink.write(frame)
"""


@pytest.mark.parametrize(
    ("signum", "mode"),
    [(signal.SIGINT, "default"), (signal.SIGTERM, "handler")],
    ids=["ctrl-c-to-the-group", "sigterm-calling-stop"],
)
def test_a_signalled_render_process_leaves_no_file_and_no_ffmpeg(tmp_path, signum, mode):
    out = tmp_path / "signalled.mp4"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    child = subprocess.Popen(
        [sys.executable, "-c", _ENDLESS_RENDER, str(out), mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        process_group=0,
    )
    try:
        ffmpeg_pid = int(child.stdout.readline())
        os.killpg(child.pid, signum)  # as a terminal does: the whole foreground group
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    stderr = child.stderr.read().decode()
    child.stdout.close()
    child.stderr.close()

    expected = "KeyboardInterrupt" if signum == signal.SIGINT else "SinkStopped"
    assert expected in stderr
    assert (
        not Path(f"/proc/{ffmpeg_pid}").exists()
        or b"ffmpeg" not in Path(f"/proc/{ffmpeg_pid}/cmdline").read_bytes()
    )
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def tiny_disk(tmp_path):
    """A 2 MiB tmpfs, so "disk full" happens for real; skipped where mount is refused."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)],
        capture_output=True,
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_a_nearly_full_disk_is_refused_up_front(tiny_disk):
    with pytest.raises(OutputPathError, match="MiB free"):
        render(tiny_disk / "out.mp4", moving_frames(1))
    assert list(tiny_disk.iterdir()) == []


def test_disk_filling_up_mid_render_reports_ffmpeg_and_cleans_up(tiny_disk, monkeypatch):
    monkeypatch.setattr(output_files, "MIN_FREE_BYTES", 0)
    noise = np.random.default_rng(0).integers(0, 256, (60, 180, 320, 4), dtype=np.uint8)
    noise[..., 3] = 255

    with pytest.raises(EncoderError, match="No space left on device"):
        render(tiny_disk / "out.mp4", list(noise) * 10, quality="high")
    assert list(tiny_disk.iterdir()) == []


# -- PNG sinks ------------------------------------------------------------------------------


def read_png(path: Path) -> np.ndarray:
    """Decode a PNG with Skia (an independent decoder) to (H, W, 4) RGBA."""
    image = skia.Image.open(str(path))
    return image.toarray(colorType=skia.kRGBA_8888_ColorType)


def test_png_sequence_names_files_by_global_frame_index(tmp_path):
    folder = tmp_path / "nested" / "frames"
    frames = moving_frames(3)
    with PngSequenceSink(folder, start_index=120) as sink:
        for frame in frames:
            sink.write(frame)

    names = sorted(p.name for p in folder.iterdir())
    assert names == ["frame_000120.png", "frame_000121.png", "frame_000122.png"]
    for name, frame in zip(names, frames, strict=True):
        assert np.array_equal(read_png(folder / name), frame)


def test_png_index_too_long_for_the_digits_is_refused(tmp_path):
    sink = PngSequenceSink(tmp_path, start_index=999, digits=3)
    sink.write(moving_frames(1)[0])
    with pytest.raises(ValueError, match="digits=3"):
        sink.write(moving_frames(1)[0])


def test_png_keeps_transparency_when_there_is_some(tmp_path):
    frame = palette_frame()
    frame[:10, :10, 3] = 0
    frame[:10, :10, :3] = 0  # unpremultiplied transparent black reads back exactly
    path = write_png(tmp_path / "alpha.png", frame)

    assert np.array_equal(read_png(path), frame)


def test_png_encoding_is_deterministic():
    frame = palette_frame()
    assert png_sink.encode_png(frame) == png_sink.encode_png(frame.copy())


def test_failed_png_write_keeps_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "still.png"
    path.write_bytes(b"old still")

    def refuse(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(png_sink.os, "replace", refuse)
    with pytest.raises(OutputPathError, match="No space left"):
        write_png(path, palette_frame())

    assert path.read_bytes() == b"old still"
    assert [p.name for p in tmp_path.iterdir()] == ["still.png"]
