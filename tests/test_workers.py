"""Chunked and multi-process renders: same frames as one worker, nothing left behind."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from processes import alive, descendants, is_ffmpeg

from insideweights import jobs
from insideweights.options import FrameRange
from insideweights.renderer.ffmpeg_probe import decode_frames, probe

FPS, WIDTH, HEIGHT = Fraction(12), 160, 90
# 24 frames across the first wipe, in two chunks of 12 (the keyframe interval follows).
FRAMES = FrameRange(168, 192)


def _request(out: Path, workers: int, **changes) -> jobs.RenderRequest:
    fields = dict(
        fps=FPS,
        width=WIDTH,
        height=HEIGHT,
        captions=True,
        frames=FRAMES,
        out=out,
        container="mp4",
        quality="draft",
        workers=workers,
        chunk_frames=12,
    )
    fields.update(changes)
    return jobs.RenderRequest(**fields)


def test_chunks_start_on_keyframes_and_cover_the_range_once():
    request = _request(Path("x.mp4"), 1, frames=FrameRange(5, 150), chunk_frames=None)
    gop = jobs.keyframe_interval(request)
    chunks = jobs.plan_chunks(request)
    assert gop == 24  # 2 s at 12 fps
    assert [c.start for c in chunks] == [5, 5 + 4 * gop]
    assert sum(len(c) for c in chunks) == 145 and chunks[-1].stop == 150


def test_chunk_length_that_is_not_a_keyframe_multiple_is_refused():
    with pytest.raises(ValueError, match="chunk_frames must be a multiple"):
        jobs.plan_chunks(_request(Path("x.mp4"), 1, chunk_frames=30))


def test_two_workers_decode_to_the_same_frames_as_one(tmp_path):
    one, two = tmp_path / "one.mp4", tmp_path / "two.mp4"
    jobs.render(_request(one, 1))
    jobs.render(_request(two, 2))
    first, second = decode_frames(one, WIDTH, HEIGHT), decode_frames(two, WIDTH, HEIGHT)
    assert first.shape[0] == len(FRAMES)
    assert np.array_equal(first, second)
    info = probe(two)
    assert info["frame_count"] == len(FRAMES)
    assert info["frame_rate"] == FPS
    assert info["chapters"] == [
        "1 \u00b7 Where Intelligence Lives",
        "2 \u00b7 Open vs Closed Weights",
    ]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["one.mp4", "two.mp4"]


def test_joined_file_has_exact_timestamps(tmp_path):
    out = tmp_path / "joined.mp4"
    jobs.render(_request(out, 1, quality="standard"))  # B-frames: reordered timestamps
    pts = _frame_times(out)
    assert len(pts) == len(FRAMES)
    assert np.allclose(np.diff(pts), 1 / float(FPS), atol=1e-4)
    assert pts[0] == 0.0


def _frame_times(path: Path) -> list[float]:
    from insideweights.renderer.ffmpeg_probe import ffmpeg_exe

    log = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-i", str(path), "-vf", "showinfo", "-f", "null", "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    return [float(part.split()[0]) for part in log.split("pts_time:")[1:]]


class _FailingSink:
    """Accepts two frames, then fails like an encoder that died."""

    def __init__(self) -> None:
        self.frames = 0
        self.stopped = False

    def write(self, pixels) -> None:
        if self.frames == 2:
            raise OSError("encoder went away")
        self.frames += 1

    def stop(self) -> None:
        self.stopped = True


def test_a_failing_write_stops_the_loop_and_raises_its_error():
    producer = jobs._producer(_request(Path("x.mp4"), 1))
    drawn: list[int] = []
    sink = _FailingSink()
    threads = threading.active_count()
    with pytest.raises(OSError, match="encoder went away"):
        jobs.encode(producer, range(100, 130), sink, drawn.append)
    assert sink.frames == 2
    assert len(drawn) < 30  # stopped early, not after drawing everything
    assert threading.active_count() == threads  # the writer thread is gone


# -- interruption ----------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_interrupted_two_worker_render_leaves_nothing_behind(tmp_path, how):
    out = tmp_path / "reel.mp4"
    command = [sys.executable, "-m", "insideweights", "render", "--workers", "2"]
    command += ["--size", "320x180", "--fps", "60", "--quality", "draft", "--frames", "0:6000"]
    command += ["--out", str(out)]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    seen: set[int] = set()
    encoders: set[int] = set()  # recorded while alive: a finished chunk's ffmpeg is gone
    deadline = time.monotonic() + 90
    try:
        while time.monotonic() < deadline and process.poll() is None:
            seen |= descendants(process.pid)
            running = {pid for pid in seen if alive(pid) and is_ffmpeg(pid)}
            encoders |= running
            if len(running) >= 2:
                break
            time.sleep(0.05)
        assert process.poll() is None, process.communicate()[1].decode()
        assert encoders, "no worker reached its encoder in time"
        if how == "ctrl-c":  # the terminal sends SIGINT to the whole foreground group
            os.killpg(process.pid, signal.SIGINT)
        else:
            process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == (130 if how == "ctrl-c" else 143), stderr.decode()
    time.sleep(0.2)
    assert [pid for pid in seen if alive(pid)] == []
    assert list(tmp_path.iterdir()) == []


def test_a_helper_failure_stops_this_process_at_its_next_frame():
    events: queue.Queue = queue.Queue()
    seen: list[int] = []
    relay = jobs._Relay(events, [], seen.append)
    relay.start()
    try:
        events.put(("frame", 7))
        events.put(("error", "OSError: disk full"))
        deadline = time.monotonic() + 5
        while relay.failure is None and time.monotonic() < deadline:
            time.sleep(0.01)
        with pytest.raises(jobs.EncoderError, match="disk full"):
            relay.own_frame(8)
        with pytest.raises(jobs.EncoderError, match="disk full"):
            relay.wait_for(3)
    finally:
        relay.stop()
    assert seen == [7]
