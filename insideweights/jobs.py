"""Render jobs: a list of frame indices through the producer into a sink.

``render``, ``still`` and chunked renders are all the same loop over a
different list of indices. Nothing here knows about arguments, progress bars
or exit codes: callers pass a progress callback.

Video is rendered in chunks that each start on a keyframe: every chunk is
encoded to its own segment with identical encoder settings, and the segments
are joined without re-encoding (ffmpeg's concat demuxer, stream copy). The
chunk grid depends only on the frame range, never on the worker count, so one
worker and many workers encode exactly the same segments and the joined files
decode to the same frames. A range of one chunk is encoded straight to the
output. While a frame is encoded, the next one is drawn: a writer thread feeds
ffmpeg from one of two output buffers while the producer fills the other.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

from insideweights.compose import FrameProducer
from insideweights.options import FrameRange
from insideweights.phases.reel import PHASES, reel_timing
from insideweights.renderer.chapters import Chapter, ffmetadata_text
from insideweights.renderer.ffmpeg_probe import ffmpeg_exe
from insideweights.renderer.output_files import (
    OutputPathError,
    check_output_folder,
    remove_quietly,
    reserve_temporary,
)
from insideweights.renderer.png_sink import PngSequenceSink, write_png
from insideweights.renderer.sink import QUALITY_LEVELS, EncoderError, FfmpegSink
from insideweights.timeline import ReelTiming

Progress = Callable[[int, str], None]

# Keyframe intervals per chunk by default: 4 x 2 s = 8 s chunks, enough of them in the
# 100 s reel to keep two workers equally busy, few enough that the joins cost nothing.
DEFAULT_GOPS_PER_CHUNK = 4
WORKER_STOP_SECONDS = 10.0
_POLL_SECONDS = 0.2


@dataclass(frozen=True, slots=True)
class RenderRequest:
    """What to render. ``chunk_frames`` (a multiple of the keyframe interval, or
    smaller than it, which then becomes the interval) overrides the chunk length;
    ``deterministic`` pins encoder threads so files are byte-identical."""

    fps: Fraction
    width: int
    height: int
    captions: bool
    frames: FrameRange
    out: Path
    container: str  # "mp4", "webm" or "png"
    quality: str
    workers: int = 1
    chunk_frames: int | None = None
    deterministic: bool = False


def phase_frames(timing: ReelTiming, phase_index: int) -> FrameRange:
    segment = timing.segment(phase_index)
    return FrameRange(segment.start_frame, segment.end_frame)


def phase_name_of(timing: ReelTiming, frame: int) -> str:
    return PHASES[timing.locate(frame).index].label


def chapters_for(timing: ReelTiming, frames: FrameRange) -> list[Chapter]:
    """One chapter per phase that the range touches, in seconds from the range start."""
    fps = timing.fps
    chapters = []
    for index, phase in enumerate(PHASES):
        segment = timing.segment(index)
        start = max(segment.start_frame, frames.start)
        stop = min(segment.end_frame, frames.stop)
        if start < stop:
            chapters.append(
                Chapter(
                    phase.label,
                    Fraction(start - frames.start) / fps,
                    Fraction(stop - frames.start) / fps,
                )
            )
    return chapters


# -- chunk plan ------------------------------------------------------------------------------


def keyframe_interval(request: RenderRequest) -> int:
    """Frames between keyframes: the quality's interval, or a shorter chunk length."""
    gop = max(1, round(QUALITY_LEVELS[request.quality].keyframe_seconds * request.fps))
    chunk = request.chunk_frames
    if chunk is None:
        return gop
    if isinstance(chunk, bool) or not isinstance(chunk, int) or chunk < 1:
        raise ValueError(f"chunk_frames must be a positive int, got {chunk!r}")
    if chunk < gop:
        return chunk
    if chunk % gop:
        raise ValueError(
            f"chunk_frames must be a multiple of the keyframe interval ({gop} frames), got {chunk}"
        )
    return gop


def plan_chunks(request: RenderRequest) -> list[FrameRange]:
    """Consecutive chunks covering the range, each starting on a keyframe."""
    gop = keyframe_interval(request)
    length = request.chunk_frames or gop * DEFAULT_GOPS_PER_CHUNK
    frames = request.frames
    return [
        FrameRange(start, min(start + length, frames.stop))
        for start in range(frames.start, frames.stop, length)
    ]


# -- one process: frames into a sink ---------------------------------------------------------


def _producer(request: RenderRequest) -> FrameProducer:
    """A producer with two output buffers: one drawn while the other is encoded."""
    return FrameProducer(request.fps, request.width, request.height, request.captions, buffers=2)


def _video_sink(request: RenderRequest, path: Path, chapters=()) -> FfmpegSink:
    return FfmpegSink(
        path,
        request.width,
        request.height,
        request.fps,
        container=request.container,
        quality=request.quality,
        chapters=chapters,
        deterministic=request.deterministic,
        keyframe_seconds=Fraction(keyframe_interval(request)) / request.fps,
    )


def encode(producer: FrameProducer, indices: Iterable[int], sink, on_frame=None) -> None:
    """Draw each frame and hand it to ``sink.write`` on a writer thread.

    The producer must have two output buffers: frame i+1 is drawn into one
    while frame i is written from the other. Errors on either side stop both:
    a failing write ends the loop; an exception in the loop (Ctrl-C included)
    stops the sink, whose ffmpeg then refuses the pending write, and the
    writer is joined before the exception goes on.
    """
    pending: queue.Queue = queue.Queue(maxsize=1)
    written = threading.Semaphore(2)  # buffers free to draw into
    failure: list[BaseException] = []

    finished = threading.Event()

    def writer() -> None:
        # The sentinel None ends the loop at once; the event is the safety net. A signal
        # raised in the drawing thread in the middle of Queue.put can leave this thread
        # unwoken while an item or the sentinel waits (seen: a Ctrl-C hang one time in
        # three with --workers 2), so it also looks again every 50 ms.
        while True:
            try:
                pixels = pending.get(timeout=0.05)
            except queue.Empty:
                if finished.is_set():
                    return
                continue
            if pixels is None:
                return
            try:
                if not failure:
                    sink.write(pixels)
            except BaseException as error:  # handed to the drawing thread
                failure.append(error)
            written.release()

    thread = threading.Thread(target=writer, name="frame-writer", daemon=True)
    thread.start()
    try:
        for index in indices:
            written.acquire()
            if failure:
                break
            pending.put(producer.frame(index))
            if on_frame is not None:
                on_frame(index)
    except BaseException:
        with contextlib.suppress(Exception):
            sink_stop = getattr(sink, "stop", None)
            if sink_stop is not None:
                sink_stop()
        failure.append(None)  # the writer skips what is still queued
        raise
    finally:
        finished.set()
        with contextlib.suppress(queue.Full):
            pending.put_nowait(None)
        thread.join()
    errors = [error for error in failure if error is not None]
    if errors:
        raise errors[0]


def _render_chunk(request, producer, chunk: FrameRange, path: Path, chapters, on_frame) -> None:
    """Encode ``chunk`` to ``path`` (a video file, written atomically)."""
    with _video_sink(request, path, chapters) as sink:
        encode(producer, chunk.indices(), sink, on_frame)


def _render_pngs(request, producer, chunk: FrameRange, on_frame) -> None:
    sink = PngSequenceSink(request.out, start_index=chunk.start)
    with sink:
        encode(producer, chunk.indices(), sink, on_frame)


# -- joining segments ------------------------------------------------------------------------


def concat_command(
    list_file: Path, metadata: Path | None, container: str, output: Path, bitexact: bool = False
):
    """ffmpeg command joining the segments named in ``list_file`` by stream copy.

    ``bitexact`` keeps the muxer from writing anything that varies run to run (the
    Matroska muxer otherwise draws a random track UID).
    """
    command = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-nostats", "-loglevel", "error"]
    command += ["-f", "concat", "-safe", "0", "-i", str(list_file)]
    if metadata is not None:
        command += ["-f", "ffmetadata", "-i", str(metadata)]
        command += ["-map", "0:v", "-map_metadata", "1", "-map_chapters", "1"]
    else:
        command += ["-map", "0:v", "-map_metadata", "-1", "-map_chapters", "-1"]
    command += ["-c", "copy"]
    if bitexact:
        command += ["-fflags", "+bitexact"]
    if container == "mp4":
        command += ["-movflags", "+faststart", "-f", "mp4"]
    else:
        command += ["-cues_to_front", "1", "-f", "webm"]
    return [*command, "-y", str(output)]


def join_segments(
    segments: list[Path], out: Path, container: str, chapters, bitexact: bool = False
) -> None:
    """Join finished segments into ``out`` without re-encoding; ``out`` appears whole."""
    folder = segments[0].parent
    list_file = folder / "segments.txt"
    list_file.write_text("".join(f"file '{path.name}'\n" for path in segments))
    metadata = None
    if chapters:
        metadata = folder / "chapters.txt"
        metadata.write_text(ffmetadata_text(chapters), encoding="utf-8")
    partial = reserve_temporary(out, "partial", out.suffix or "." + container)
    try:
        result = subprocess.run(
            concat_command(list_file, metadata, container, partial, bitexact),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
            check=False,
        )
        if result.returncode != 0:
            tail = "\n".join(result.stderr.splitlines()[-10:])
            raise EncoderError(f"joining {len(segments)} segments into {out} failed:\n{tail}")
        os.replace(partial, out)
    finally:
        remove_quietly(partial)


# -- workers ---------------------------------------------------------------------------------


class WorkerStopped(Exception):
    """Raised inside a worker when the parent asks it to stop (SIGTERM)."""


def _stop_worker(signum, frame) -> None:
    # One stop is enough: a second signal must not interrupt the cleanup the first began.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise WorkerStopped()


def _worker_main(request, folder, tasks, events, kernel_threads) -> None:
    """Render chunks from ``tasks`` into segments in ``folder`` until told there are none.

    Ctrl-C is ignored here: the parent decides, and stops workers with SIGTERM,
    which unwinds through the sinks so no ffmpeg and no partial file is left.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_worker)
    try:
        from insideweights.renderer.jit import set_kernel_threads

        set_kernel_threads(kernel_threads)
        producer = _producer(request)

        def report(index: int) -> None:
            events.put(("frame", index))

        while (task := tasks.get()) is not None:
            number, chunk = task
            _run_chunk(request, producer, chunk, folder, number, report)
            events.put(("chunk", number))
    except WorkerStopped:
        return
    except BaseException as error:
        events.put(("error", f"{type(error).__name__}: {error}"))


def _segment_path(folder: Path, number: int, container: str) -> Path:
    return folder / f"segment_{number:05d}.{'mp4' if container == 'mp4' else 'webm'}"


def _run_chunk(request, producer, chunk, folder, number, on_frame) -> None:
    if request.container == "png":
        _render_pngs(request, producer, chunk, on_frame)
    else:
        path = _segment_path(folder, number, request.container)
        _render_chunk(request, producer, chunk, path, (), on_frame)


def _run_workers(request: RenderRequest, chunks, folder: Path, on_index) -> None:
    """Render ``chunks`` in this process and ``request.workers - 1`` spawned helpers.

    All of them take chunks from one queue. This process works too, so only
    the helpers pay for starting an interpreter and loading the kernels. Any
    exit (a failure anywhere, Ctrl-C, SIGTERM) stops every helper.
    """
    context = multiprocessing.get_context("spawn")
    tasks, events = context.Queue(), context.Queue()
    count = min(request.workers, len(chunks))
    for task in enumerate(chunks):
        tasks.put(task)
    for _ in range(count):
        tasks.put(None)
    kernel_threads = max(1, (os.cpu_count() or 1) // count)
    helpers = [
        context.Process(
            target=_worker_main,
            args=(request, folder, tasks, events, kernel_threads),
            name=f"insideweights-worker-{number}",
        )
        for number in range(1, count)
    ]
    relay = _Relay(events, helpers, on_index)
    try:
        for helper in helpers:
            helper.start()
        relay.start()
        with _kernel_threads(kernel_threads):
            producer = _producer(request)
            while (task := tasks.get()) is not None:
                number, chunk = task
                _run_chunk(request, producer, chunk, folder, number, relay.own_frame)
                relay.chunk_done()
        relay.wait_for(len(chunks))
        for helper in helpers:
            helper.join()
    finally:
        relay.stop()
        _stop_all(helpers)
        for channel in (tasks, events):
            channel.close()
            channel.cancel_join_thread()


class _Relay:
    """Passes the helpers' progress to ``on_index`` and watches them for failure.

    A thread drains the helpers' events. Frames of this process are reported
    through ``own_frame``, which also raises as soon as a helper has failed, so
    the chunk being drawn here stops early too.
    """

    def __init__(self, events, helpers, on_index) -> None:
        self.events, self.helpers, self.on_index = events, helpers, on_index
        self.done = 0
        self.failure: str | None = None
        self.changed = threading.Condition()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._drain, name="worker-relay", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def own_frame(self, index: int) -> None:
        self._raise_on_failure()
        with self.changed:
            self.on_index(index)

    def chunk_done(self) -> None:
        with self.changed:
            self.done += 1
            self.changed.notify_all()

    def wait_for(self, chunks: int) -> None:
        with self.changed:
            while self.done < chunks and self.failure is None:
                self.changed.wait(_POLL_SECONDS)
        self._raise_on_failure()

    def stop(self) -> None:
        self.stopping.set()
        if self.thread.is_alive():
            self.thread.join()

    def _raise_on_failure(self) -> None:
        if self.failure is not None:
            raise EncoderError(self.failure)

    def _fail(self, message: str) -> None:
        with self.changed:
            if self.failure is None:
                self.failure = message
            self.changed.notify_all()

    def _drain(self) -> None:
        while not self.stopping.is_set():
            try:
                kind, value = self.events.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                if any(helper.exitcode not in (None, 0) for helper in self.helpers):
                    self._fail("a render worker died unexpectedly")
                continue
            except (OSError, ValueError):  # the queue was closed under us
                return
            if kind == "frame":
                with self.changed:
                    self.on_index(value)
            elif kind == "chunk":
                self.chunk_done()
            else:
                self._fail(f"a render worker failed: {value}")


@contextlib.contextmanager
def _kernel_threads(count: int):
    """Run parallel kernels on ``count`` threads inside the block (workers share the cores)."""
    import numba

    from insideweights.renderer.jit import set_kernel_threads

    previous = numba.get_num_threads()
    set_kernel_threads(min(count, numba.config.NUMBA_NUM_THREADS))
    try:
        yield
    finally:
        set_kernel_threads(previous)


def _stop_all(workers) -> None:
    """SIGTERM every live worker (each cleans up its sink), then wait; kill stragglers."""
    for worker in workers:
        if worker.is_alive():
            with contextlib.suppress(OSError):
                os.kill(worker.pid, signal.SIGTERM)
    for worker in workers:
        if worker.pid is None:
            continue
        worker.join(WORKER_STOP_SECONDS)
        if worker.is_alive():
            worker.kill()
            worker.join()


def _render_png_folder(request: RenderRequest, chunks, on_index) -> None:
    """Render PNGs into a hidden staging folder and move them into place only at the end.

    An interrupted or failed render leaves the output folder as it was; a finished
    one adds (or replaces) exactly its own frames, so a partial render lands beside
    frames of an earlier one.
    """
    final = request.out.absolute()
    check_output_folder(final.parent)
    if final.exists() and not final.is_dir():
        raise OutputPathError(f"PNG output {final} is a file; --format png needs a folder")
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.partial-", dir=final.parent))
    staged = replace(request, out=staging)
    try:
        if request.workers > 1 and len(chunks) > 1:
            _run_workers(staged, chunks, staging, on_index)
        else:
            _render_pngs(staged, _producer(staged), staged.frames, on_index)
        final.mkdir(exist_ok=True)
        for frame_file in sorted(staging.iterdir()):
            os.replace(frame_file, final / frame_file.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# -- entry points ----------------------------------------------------------------------------


def render(request: RenderRequest, on_frame: Progress | None = None) -> None:
    """Render ``request.frames`` to ``request.out``; the file appears only when complete."""
    if isinstance(request.workers, bool) or not isinstance(request.workers, int):
        raise ValueError(f"workers must be a positive int, got {request.workers!r}")
    if request.workers < 1:
        raise ValueError(f"workers must be a positive int, got {request.workers!r}")
    timing = reel_timing(request.fps)

    def on_index(index: int) -> None:
        if on_frame is not None:
            on_frame(index, phase_name_of(timing, index))

    chunks = plan_chunks(request)
    if request.container == "png":
        _render_png_folder(request, chunks, on_index)
        return
    chapters = chapters_for(timing, request.frames)
    if len(chunks) == 1:
        _render_chunk(request, _producer(request), chunks[0], request.out, chapters, on_index)
        return
    out = request.out.absolute()
    check_output_folder(out.parent)
    if out.is_dir():
        raise OutputPathError(f"output path {out} is a folder, not a file name")
    folder = Path(tempfile.mkdtemp(prefix=f".{out.name}.chunks-", dir=out.parent))
    try:
        if request.workers > 1:
            _run_workers(request, chunks, folder, on_index)
        else:
            producer = _producer(request)
            for number, chunk in enumerate(chunks):
                _run_chunk(request, producer, chunk, folder, number, on_index)
        segments = [_segment_path(folder, n, request.container) for n in range(len(chunks))]
        join_segments(segments, out, request.container, chapters, request.deterministic)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def still(fps: Fraction, width: int, height: int, captions: bool, index: int, out: Path) -> None:
    """Render frame ``index`` alone to a PNG at ``out`` (written atomically)."""
    producer = FrameProducer(fps, width, height, captions)
    write_png(out, producer.frame(index))
