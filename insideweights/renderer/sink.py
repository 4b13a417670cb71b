"""Encoder sink: RGBA frames in, one H.264 MP4 or VP9 WebM file out, through a piped ffmpeg.

Lifecycle: ``start`` (checks, then spawns ffmpeg), ``write`` per frame, ``close`` (waits for
ffmpeg, checks its exit code, renames the finished file into place) or ``abort`` (stops
ffmpeg, deletes the partial file). Used as a context manager, an exception inside the
block aborts and a clean exit closes. ffmpeg's stderr is drained by a thread all along so
a chatty encoder can never fill the pipe and deadlock the render.

The PNG sinks live in ``png_sink`` and are re-exported here so every sink has one home.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import operator
import os
import signal
import subprocess
import threading
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from numbers import Rational
from pathlib import Path

import numpy as np

from insideweights.renderer.chapters import Chapter, ffmetadata_text, validate_chapters
from insideweights.renderer.ffmpeg_probe import available_encoders, ffmpeg_exe
from insideweights.renderer.output_files import (
    OutputPathError,
    check_output_folder,
    remove_quietly,
    reserve_temporary,
)
from insideweights.renderer.png_sink import PngSequenceSink, write_png

__all__ = [
    "CONTAINERS",
    "QUALITY_LEVELS",
    "Chapter",
    "EncoderError",
    "FfmpegSink",
    "OutputPathError",
    "PngSequenceSink",
    "QualityLevel",
    "SinkStopped",
    "SizeError",
    "stop",
    "write_png",
]


@dataclass(frozen=True)
class QualityLevel:
    """Encoder settings behind one ``quality`` name.

    The bitrate cap is given for 1920x1080 at 60 fps and scaled by pixel rate for other
    sizes, so a small preview is capped as tightly, per pixel, as the reference output.
    """

    x264_preset: str
    x264_crf: int
    x264_tune: str | None
    vp9_crf: int
    vp9_deadline: str
    vp9_cpu_used: int
    max_mbps_at_1080p60: float
    vbv_buffer_seconds: Fraction
    # Keyframe spacing; GOPs are closed so the reel can later be cut into chunks that each
    # start on a keyframe and joined without re-encoding.
    keyframe_seconds: Fraction


# Measured at 1920x1080, 60 fps, on reel-like frames (dark background, thin bright lines,
# particles, text), as ffmpeg CPU time per frame, bitrate and PSNR against the yuv420p
# input: draft 13 ms, 10 Mb/s, 45 dB; standard 32 ms, 2.5 Mb/s, 44.5 dB; high 58 ms,
# 5 Mb/s, 52 dB. Against the RGB source every level loses a further ~10 dB to 4:2:0
# chroma on thin coloured lines, whatever the bitrate.
# VP9's "good" deadline ignores cpu-used above 5 and runs under 10 frames/s at 1080p,
# so draft and standard WebM use the realtime deadline.
QUALITY_LEVELS: dict[str, QualityLevel] = {
    "draft": QualityLevel(
        x264_preset="ultrafast",
        x264_crf=28,
        x264_tune=None,
        vp9_crf=42,
        vp9_deadline="realtime",
        vp9_cpu_used=8,
        # ultrafast has no CABAC, so it needs more bits than the slower presets for
        # the same picture; a tight cap turns busy scenes into blocks.
        max_mbps_at_1080p60=16.0,
        vbv_buffer_seconds=Fraction(1),
        keyframe_seconds=Fraction(2),
    ),
    "standard": QualityLevel(
        x264_preset="veryfast",
        x264_crf=21,
        x264_tune="animation",
        vp9_crf=32,
        vp9_deadline="realtime",
        vp9_cpu_used=6,
        # The cap binds only in very busy scenes. x264 starts with the buffer 90% full,
        # so the average over a clip can exceed the cap by 0.9 buffer / clip length:
        # 11.5 Mb/s with a one-second buffer keeps the 100 s reel under 12 Mb/s.
        max_mbps_at_1080p60=11.5,
        vbv_buffer_seconds=Fraction(1),
        keyframe_seconds=Fraction(2),
    ),
    "high": QualityLevel(
        x264_preset="medium",
        x264_crf=16,
        x264_tune="animation",
        vp9_crf=24,
        vp9_deadline="good",
        vp9_cpu_used=5,
        max_mbps_at_1080p60=40.0,
        vbv_buffer_seconds=Fraction(2),
        keyframe_seconds=Fraction(2),
    ),
}


@dataclass(frozen=True)
class ContainerSpec:
    """How one container is muxed and which encoder fills it."""

    muxer: str
    encoder: str
    suffixes: tuple[str, ...]


CONTAINERS: dict[str, ContainerSpec] = {
    "mp4": ContainerSpec("mp4", "libx264", (".mp4", ".m4v")),
    "webm": ContainerSpec("webm", "libvpx-vp9", (".webm",)),
}

# Threads used when deterministic=True and no count is given. x264's output depends on
# its thread count, not on scheduling, so pinning the count makes files identical on
# any machine while still using both cores of the reference machine.
DETERMINISTIC_THREADS = 2
STDERR_LINES = 30
TERMINATE_TIMEOUT_SECONDS = 5.0
PIPE_BYTES = 1 << 20
_F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)  # Linux value, named in Python 3.10+
_REFERENCE_PIXEL_RATE = 1920 * 1080 * 60
_MIN_CAP_BITS_PER_SECOND = 1_000_000


class EncoderError(RuntimeError):
    """ffmpeg could not be started or failed; the message ends with its last lines."""


class SizeError(ValueError):
    """The frame size cannot be encoded as asked (never resized silently)."""


class SinkStopped(Exception):
    """The render was stopped on request (``stop()``); the partial file was removed."""


_ACTIVE: tuple[FfmpegSink, ...] = ()


def stop() -> None:
    """Stop every running FfmpegSink; safe to call from a signal handler.

    It only sets a flag and sends SIGTERM to each ffmpeg: no locks, no waiting, no I/O
    beyond ``kill``. The render loop then gets SinkStopped from its next ``write`` or
    ``close``, and the context manager removes the partial file.
    """
    for sink in _ACTIVE:
        sink.stop()


class FfmpegSink:
    """Pipe RGBA frames into ffmpeg and produce one finished video file, atomically."""

    def __init__(
        self,
        path: str | os.PathLike,
        width: int,
        height: int,
        fps: Fraction,
        *,
        container: str | None = None,
        quality: str = "standard",
        chapters: Sequence[Chapter] = (),
        threads: int | None = None,
        deterministic: bool = False,
        keyframe_seconds: Fraction | None = None,
        force_keyframes: str | None = None,
        extra_output_args: Sequence[str] = (),
    ) -> None:
        self.path = Path(path).absolute()
        self.width, self.height = _checked_size(width, height)
        self.fps = _checked_fps(fps)
        self.container = _checked_container(container, self.path)
        self.quality = _checked_quality(quality)
        self.chapters = validate_chapters(chapters)
        self.threads = _checked_threads(threads)
        self.deterministic = bool(deterministic)
        self.keyframe_seconds = _checked_keyframe_seconds(keyframe_seconds, self.quality)
        self.force_keyframes = force_keyframes
        self.extra_output_args = tuple(str(arg) for arg in extra_output_args)
        self.frames_written = 0
        self._state = "new"
        self._stop_requested = False
        self._process: subprocess.Popen | None = None
        self._partial: Path | None = None
        self._metadata: Path | None = None
        self._stderr_tail: deque[str] = deque(maxlen=STDERR_LINES)
        self._stderr_thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------

    def __enter__(self) -> FfmpegSink:
        self.start()
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()

    def start(self) -> None:
        """Check the encoder and output folder, reserve the temporary file, spawn ffmpeg."""
        if self._state != "new":
            raise RuntimeError(f"FfmpegSink for {self.path} was already started")
        encoder = CONTAINERS[self.container].encoder
        if encoder not in available_encoders():
            raise EncoderError(
                f"container={self.container!r} needs the {encoder} encoder, which the "
                f"bundled ffmpeg ({ffmpeg_exe()}) does not have; use container='mp4'"
            )
        if self.path.is_dir():
            raise OutputPathError(f"output path {self.path} is a folder, not a file name")
        check_output_folder(self.path.parent)
        try:
            self._reserve_files()
            self._spawn()
        except BaseException:
            self.abort()
            raise
        self._state = "running"

    def write(self, frame: np.ndarray) -> None:
        """Send one (height, width, 4) uint8 RGBA frame; the buffer may be reused after."""
        if self._stop_requested:
            self.abort()
            raise SinkStopped(f"render to {self.path} was stopped")
        if self._state == "new":
            self.start()
        if self._state != "running":
            raise RuntimeError(f"cannot write to FfmpegSink for {self.path}: it is {self._state}")
        frame = _checked_frame(frame, self.width, self.height)
        try:
            _write_all(self._process.stdin.fileno(), frame)
        except OSError as error:
            self._fail(f"ffmpeg stopped reading frames ({error.strerror or error})")
        except BaseException:
            self.abort()
            raise
        self.frames_written += 1

    def close(self) -> None:
        """Finish the file: wait for ffmpeg, check its exit code, move the file into place."""
        if self._state in ("closed", "aborted"):
            return
        if self.frames_written == 0:
            self.abort()
            raise EncoderError(f"no frames were written to {self.path}; nothing to encode")
        try:
            with contextlib.suppress(OSError):
                self._process.stdin.close()
            returncode = self._process.wait()
            self._stderr_thread.join(TERMINATE_TIMEOUT_SECONDS)
        except BaseException:
            self.abort()
            raise
        if returncode != 0 or self._stop_requested:
            self._fail(f"ffmpeg exited with code {returncode}")
        try:
            os.replace(self._partial, self.path)
        except OSError as error:
            self.abort()
            raise OutputPathError(
                f"cannot move the finished video to {self.path}: {error.strerror}"
            ) from error
        self._partial = None
        self._finish("closed")

    def abort(self) -> None:
        """Stop ffmpeg if it runs, delete temporary files; never touches the final path."""
        if self._state in ("closed", "aborted"):
            return
        try:
            if self._process is not None:
                _end_process(self._process)
            if self._stderr_thread is not None:
                self._stderr_thread.join(TERMINATE_TIMEOUT_SECONDS)
        finally:
            remove_quietly(self._partial)
            self._partial = None
            self._finish("aborted")

    def stop(self) -> None:
        """Ask this sink to stop; safe in a signal handler (a flag and one ``kill``)."""
        self._stop_requested = True
        process = self._process
        if process is not None and process.returncode is None:
            with contextlib.suppress(OSError):
                os.kill(process.pid, signal.SIGTERM)

    @property
    def ffmpeg_pid(self) -> int | None:
        """The pid of the running ffmpeg, or None before start (for tests and logs)."""
        return None if self._process is None else self._process.pid

    @property
    def stderr_tail(self) -> list[str]:
        """The last lines ffmpeg wrote to stderr."""
        return list(self._stderr_tail)

    # -- command line ------------------------------------------------------------------

    def build_command(self, output: Path, metadata: Path | None) -> list[str]:
        """Return the ffmpeg command that encodes stdin into ``output``."""
        rate = f"{self.fps.numerator}/{self.fps.denominator}"
        command = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-nostats", "-loglevel", "warning"]
        command += ["-f", "rawvideo", "-pix_fmt", "rgba"]
        command += ["-video_size", f"{self.width}x{self.height}", "-framerate", rate]
        command += ["-i", "pipe:0"]
        if metadata is not None:
            command += ["-f", "ffmetadata", "-i", str(metadata)]
            command += ["-map", "0:v", "-map_metadata", "1", "-map_chapters", "1"]
        else:
            command += ["-map", "0:v", "-map_metadata", "-1", "-map_chapters", "-1"]
        command += ["-vf", _COLOUR_FILTER, "-r", rate, "-pix_fmt", "yuv420p"]
        command += _COLOUR_TAGS
        command += self._codec_args()
        command += self._determinism_args()
        if self.force_keyframes is not None:
            command += ["-force_key_frames", self.force_keyframes]
        command += list(self.extra_output_args)
        spec = CONTAINERS[self.container]
        command += _muxer_args(self.container)
        command += ["-f", spec.muxer, "-y", str(output)]
        return command

    def _codec_args(self) -> list[str]:
        """Encoder name, rate control and GOP settings from the quality table."""
        level = QUALITY_LEVELS[self.quality]
        cap = self._bitrate_cap()
        buffer = int(cap * level.vbv_buffer_seconds)
        gop = max(1, round(self.keyframe_seconds * self.fps))  # 2 s at 59.94 fps: 120
        common = ["-g", str(gop), "-flags", "+cgop", "-maxrate", str(cap), "-bufsize", str(buffer)]
        if self.container == "mp4":
            args = ["-c:v", "libx264", "-preset", level.x264_preset, "-crf", str(level.x264_crf)]
            if level.x264_tune:
                args += ["-tune", level.x264_tune]
            return args + common
        args = ["-c:v", "libvpx-vp9", "-crf", str(level.vp9_crf), "-b:v", str(cap)]
        args += ["-deadline", level.vp9_deadline, "-cpu-used", str(level.vp9_cpu_used)]
        args += ["-row-mt", "0" if self.deterministic else "1", "-tile-columns", "2"]
        return args + common

    def _determinism_args(self) -> list[str]:
        """Thread count, and bit-exact flags when identical bytes are required."""
        threads = self.threads
        if self.deterministic and threads is None:
            threads = DETERMINISTIC_THREADS
        args = [] if threads is None else ["-threads", str(threads)]
        if not self.deterministic:
            return args
        args += ["-filter_threads", "1", "-fflags", "+bitexact", "-flags:v", "+bitexact"]
        if self.container == "mp4":
            args += ["-x264-params", "deterministic=1:sliced-threads=0"]
        return args

    def _bitrate_cap(self) -> int:
        """The VBV cap in bits/s: the table's 1080p60 figure scaled by pixel rate."""
        level = QUALITY_LEVELS[self.quality]
        pixel_rate = self.width * self.height * self.fps
        scaled = level.max_mbps_at_1080p60 * 1e6 * float(pixel_rate / _REFERENCE_PIXEL_RATE)
        return max(_MIN_CAP_BITS_PER_SECOND, int(scaled))

    # -- internals ---------------------------------------------------------------------

    def _reserve_files(self) -> None:
        """Create the hidden partial output (and the chapters file) beside the output."""
        suffix = self.path.suffix or "." + self.container
        self._partial = reserve_temporary(self.path, "partial", suffix)
        if not self.chapters:
            return
        self._metadata = reserve_temporary(self.path, "chapters", ".txt")
        try:
            self._metadata.write_text(ffmetadata_text(self.chapters), encoding="utf-8")
        except OSError as error:
            raise OutputPathError(
                f"cannot write the chapters file {self._metadata}: {error.strerror}"
            ) from error

    def _spawn(self) -> None:
        """Start ffmpeg in its own process group and the thread that drains its stderr.

        Its own group keeps a terminal Ctrl-C away from ffmpeg: this sink, not the
        terminal, decides how ffmpeg ends, so a half-written file is never finalised.
        """
        global _ACTIVE
        command = self.build_command(self._partial, self._metadata)
        try:
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                process_group=0,
            )
        except OSError as error:
            raise EncoderError(f"cannot start ffmpeg ({command[0]}): {error}") from error
        _ACTIVE = (*_ACTIVE, self)
        _enlarge_pipe(self._process.stdin.fileno())
        self._stderr_thread = threading.Thread(
            target=_drain_lines,
            args=(self._process.stderr, self._stderr_tail),
            name=f"ffmpeg-stderr-{self._process.pid}",
            daemon=True,
        )
        self._stderr_thread.start()

    def _fail(self, reason: str) -> None:
        """Abort, then raise SinkStopped (if asked to stop) or EncoderError with ffmpeg's tail."""
        try:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(TERMINATE_TIMEOUT_SECONDS)  # let it print why it stopped
        finally:
            self.abort()
        if self._stop_requested:
            raise SinkStopped(f"render to {self.path} was stopped")
        tail = "\n".join(self._stderr_tail) or "(ffmpeg printed nothing)"
        raise EncoderError(
            f"encoding {self.path} failed after {self.frames_written} frames: {reason}; "
            f"last ffmpeg output:\n{tail}"
        )

    def _finish(self, state: str) -> None:
        """Remove the chapters file, leave the active list and record the final state."""
        global _ACTIVE
        remove_quietly(self._metadata)
        self._metadata = None
        _ACTIVE = tuple(sink for sink in _ACTIVE if sink is not self)
        self._state = state


# BT.709 matrix into TV range, then the tags that tell players so: an untagged stream is
# read as BT.601 by many players and every colour shifts. setparams tags the frames
# themselves, because ffmpeg takes primaries and transfer from frames, not options.
_COLOUR_FILTER = (
    "scale=out_color_matrix=bt709:out_range=tv,format=yuv420p,"
    "setparams=range=tv:colorspace=bt709:color_primaries=bt709:color_trc=bt709"
)
_COLOUR_TAGS = [
    "-colorspace",
    "bt709",
    "-color_primaries",
    "bt709",
    "-color_trc",
    "bt709",
    "-color_range",
    "tv",
]


def _muxer_args(container: str) -> list[str]:
    """Put the index first so the file plays while it downloads."""
    if container == "mp4":
        return ["-movflags", "+faststart"]
    return ["-cues_to_front", "1"]


def _write_all(fd: int, frame: np.ndarray) -> None:
    """Write the whole frame to the pipe before returning, so the caller may reuse it."""
    view = memoryview(frame).cast("B")
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _drain_lines(stream, tail: deque[str]) -> None:
    """Read ffmpeg's stderr to the end, keeping the last lines for error messages."""
    with stream:
        for raw in iter(stream.readline, b""):
            line = raw.decode("utf-8", errors="replace").rstrip()
            if line:
                tail.append(line)


def _end_process(process: subprocess.Popen) -> None:
    """Terminate ffmpeg, wait a little, then kill; always reaps the child."""
    if process.poll() is None:
        with contextlib.suppress(OSError):
            process.terminate()
    with contextlib.suppress(OSError):
        process.stdin.close()
    try:
        process.wait(TERMINATE_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _enlarge_pipe(fd: int) -> None:
    """Grow the stdin pipe so ffmpeg reads whole chunks of a frame per wake-up."""
    with contextlib.suppress(OSError):
        fcntl.fcntl(fd, _F_SETPIPE_SZ, PIPE_BYTES)


def _abort_all_at_exit() -> None:
    """Last resort at interpreter exit: no ffmpeg outlives the program."""
    for sink in _ACTIVE:
        sink.abort()


atexit.register(_abort_all_at_exit)


# -- argument checks ---------------------------------------------------------------------


def _checked_size(width: int, height: int) -> tuple[int, int]:
    """Return (width, height) as ints; raise SizeError unless both are positive and even."""
    values = []
    for name, value in (("width", width), ("height", height)):
        try:
            number = operator.index(value)
        except TypeError:
            raise SizeError(f"{name} must be an integer, got {value!r}") from None
        if number <= 0:
            raise SizeError(f"{name} must be positive, got {number}")
        values.append(number)
    width, height = values
    if width % 2 or height % 2:
        raise SizeError(
            f"frame size {width}x{height} cannot be encoded: 4:2:0 video needs an even width "
            f"and height (frames are never resized silently); try "
            f"{width + width % 2}x{height + height % 2}"
        )
    return width, height


def _checked_fps(fps: Fraction) -> Fraction:
    """Return fps as a Fraction; floats are refused because 59.94 is not 60000/1001."""
    if isinstance(fps, bool) or not isinstance(fps, Rational):
        raise ValueError(
            f"fps must be an exact Fraction or int (e.g. Fraction(60000, 1001) for 59.94), "
            f"got {fps!r}"
        )
    if fps <= 0:
        raise ValueError(f"fps must be positive, got {fps}")
    return Fraction(fps)


def _checked_container(container: str | None, path: Path) -> str:
    """Return the container name, inferred from the suffix when not given."""
    suffix = path.suffix.lower()
    by_suffix = {s: name for name, spec in CONTAINERS.items() for s in spec.suffixes}
    if container is None:
        if suffix not in by_suffix:
            raise ValueError(
                f"cannot tell the container from output suffix {suffix!r}; use one of "
                f"{sorted(by_suffix)} or pass container= one of {sorted(CONTAINERS)}"
            )
        return by_suffix[suffix]
    if container not in CONTAINERS:
        raise ValueError(f"container must be one of {sorted(CONTAINERS)}, got {container!r}")
    if suffix in by_suffix and by_suffix[suffix] != container:
        raise ValueError(
            f"container={container!r} does not match output suffix {suffix!r} "
            f"(which means {by_suffix[suffix]!r})"
        )
    return container


def _checked_quality(quality: str) -> str:
    if quality not in QUALITY_LEVELS:
        raise ValueError(f"quality must be one of {list(QUALITY_LEVELS)}, got {quality!r}")
    return quality


def _checked_threads(threads: int | None) -> int | None:
    if threads is None:
        return None
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
        raise ValueError(f"threads must be a positive int or None, got {threads!r}")
    return threads


def _checked_keyframe_seconds(value: Fraction | None, quality: str) -> Fraction:
    if value is None:
        return QUALITY_LEVELS[quality].keyframe_seconds
    if isinstance(value, bool) or not isinstance(value, Rational) or value <= 0:
        raise ValueError(f"keyframe_seconds must be a positive Fraction, got {value!r}")
    return Fraction(value)


def _checked_frame(frame: np.ndarray, width: int, height: int) -> np.ndarray:
    """Return the frame as a C-contiguous array; raise ValueError on the wrong shape/type."""
    expected = (height, width, 4)
    if not isinstance(frame, np.ndarray) or frame.dtype != np.uint8 or frame.shape != expected:
        got = (
            f"{frame.dtype} array of shape {frame.shape}"
            if isinstance(frame, np.ndarray)
            else type(frame).__name__
        )
        raise ValueError(f"frame must be a uint8 RGBA array of shape {expected}, got {got}")
    return np.ascontiguousarray(frame)
