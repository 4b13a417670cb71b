"""The reel's performance in one run: production, encoding, memory, workers, quality.

    .venv/bin/python -m benchmarks [--quick] [--json]      (from the repository root)
    .venv/bin/python benchmarks/run.py [--quick] [--json]

Every figure is measured in this run, on this machine; ratios compare numbers
taken minutes apart under the same load, so they travel better than absolute
times. Wall time sits beside CPU time (all threads, and children such as
ffmpeg where they take part): on a shared machine wall time swells with other
people's load, CPU time much less. The load average at start and end is
reported so a reader can tell.

Sections (``--only`` picks some):

produce   timeline + drawing + effects, no encoding: mean over frames sampled
          evenly across the whole reel at 1920x1080, after a warm-up on other
          frames (JIT kernels loaded, equations typeset, as in a long render),
          split by stage; also per phase, with display-item counts.
encode    the same frames (contiguous windows spread over the reel) encoded at
          standard quality twice: from memory (encoder alone) and straight from
          the producer (end to end); bitrate of the output and ffmpeg's PSNR
          against the frames that went in (both sides BT.709 yuv420p, so it
          measures the encoder, not the chroma subsampling).
access    frame 5999 alone over frame 0 alone, each in a fresh process with
          the kernels loaded; and ``still --frame N`` as a user runs it.
memory    peak RSS rendering N frames over N/10 frames (fresh processes).
workers   wall time of one worker over two on the same range, and whether the
          two files decode to identical frames.
draft     720p30 draft render speed against real time (whole reel unless --quick).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from fractions import Fraction
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from insideweights import display  # noqa: E402
from insideweights.compose import STAGES, FrameProducer, Stopwatch  # noqa: E402
from insideweights.phases.reel import PHASES  # noqa: E402
from insideweights.renderer.ffmpeg_probe import ffmpeg_exe  # noqa: E402

FPS = Fraction(60)
WIDTH, HEIGHT = 1920, 1080
LAST_FRAME = 5999
SECTIONS = ("produce", "encode", "access", "memory", "workers", "draft")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def spread(count: int, total: int, offset: float = 0.5) -> list[int]:
    """``count`` frame indices evenly across ``[0, total)``."""
    return [min(total - 1, int((k + offset) * total / count)) for k in range(count)]


def windows(count: int, length: int, total: int) -> list[int]:
    """``count`` runs of ``length`` consecutive frames, spread evenly over the reel."""
    starts = spread(count, total - length)
    return [start + i for start in starts for i in range(length)]


# -- produce ---------------------------------------------------------------------------------


def measure_produce(frames: int) -> dict:
    """Mean wall/CPU ms per frame over ``frames`` evenly sampled frames, by stage and phase."""
    clock = Stopwatch()
    producer = FrameProducer(FPS, WIDTH, HEIGHT, stopwatch=clock)
    total = producer.total_frames
    log(f"produce: warming up on {frames} frames")
    for index in spread(frames, total, offset=0.25):
        producer.frame(index)
    clock.__init__()
    per_phase: dict[int, list] = defaultdict(lambda: [0.0, 0.0, 0, 0])
    log(f"produce: measuring {frames} frames")
    for index in spread(frames, total):
        wall, cpu = time.perf_counter(), time.process_time()
        pixels = producer.frame(index)
        handoff_wall, handoff_cpu = time.perf_counter(), time.process_time()
        memoryview(pixels).cast("B")  # what the sink hands ffmpeg: the RGBA buffer as is
        clock.wall["convert"] += time.perf_counter() - handoff_wall
        clock.cpu["convert"] += time.process_time() - handoff_cpu
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        slot = producer.timing.locate(index)
        row = per_phase[slot.index + 1]
        row[0] += wall
        row[1] += cpu
        row[2] += 1
        row[3] += _item_count(producer.content(index))
    mean = {stage: 1000 * clock.wall[stage] / frames for stage in STAGES}
    mean_cpu = {stage: 1000 * clock.cpu[stage] / frames for stage in STAGES}
    phases = {
        str(number): {
            "name": PHASES[number - 1].name,
            "frames": count,
            "ms_per_frame": round(1000 * wall / count, 2),
            "cpu_ms_per_frame": round(1000 * cpu / count, 2),
            "items_per_frame": round(items / count, 1),
        }
        for number, (wall, cpu, count, items) in sorted(per_phase.items())
    }
    return {
        "produce_ms_per_frame": round(sum(mean.values()), 2),
        "produce_cpu_ms_per_frame": round(sum(mean_cpu.values()), 2),
        "stage_ms": {stage: round(value, 3) for stage, value in mean.items()},
        "stage_cpu_ms": {stage: round(value, 3) for stage, value in mean_cpu.items()},
        "produce_frames": frames,
        "per_phase": phases,
    }


def _item_count(content) -> int:
    scenes = [content.scene] + ([content.incoming] if content.incoming else [])
    return sum(
        sum(1 for _ in display.walk(scene.items)) + sum(1 for _ in display.walk(scene.overlay))
        for scene in scenes
    )


# -- encode ----------------------------------------------------------------------------------


def measure_encode(count: int, length: int, folder: Path, repeats: int) -> dict:
    """Encoder alone vs end to end on the same frames and settings; bitrate and PSNR."""
    from insideweights import jobs
    from insideweights.renderer.sink import FfmpegSink

    producer = FrameProducer(FPS, WIDTH, HEIGHT, buffers=2)
    indices = windows(count, length, producer.total_frames)
    raw_path = folder / "frames.rgba"
    frames = np.lib.format.open_memmap(
        folder / "frames.npy", mode="w+", dtype=np.uint8, shape=(len(indices), HEIGHT, WIDTH, 4)
    )
    log(f"encode: producing {len(indices)} frames ({count} windows of {length})")
    for position, index in enumerate(indices):
        frames[position] = producer.frame(index)
    frames.flush()
    frames.tofile(raw_path)

    def sink(path: Path) -> FfmpegSink:
        return FfmpegSink(path, WIDTH, HEIGHT, FPS, container="mp4", quality="standard")

    def encoder_alone(path: Path) -> None:
        with sink(path) as out:
            for pixels in frames:
                out.write(pixels)

    def end_to_end(path: Path) -> None:
        with sink(path) as out:
            jobs.encode(producer, indices, out)

    results: dict[str, list] = {"alone": [], "end_to_end": []}
    for repeat in range(repeats):
        for name, run in (("alone", encoder_alone), ("end_to_end", end_to_end)):
            log(f"encode: {name} (round {repeat + 1} of {repeats})")
            path = folder / f"{name}.mp4"
            wall, cpu, children = time.perf_counter(), cpu_self(), cpu_children()
            run(path)
            results[name].append(
                (
                    time.perf_counter() - wall,
                    cpu_self() - cpu + cpu_children() - children,
                )
            )
    alone = min(results["alone"])
    both = min(results["end_to_end"])
    seconds = len(indices) / FPS
    output = folder / "end_to_end.mp4"
    log("encode: PSNR against the input frames")
    psnr = psnr_db(output, raw_path)
    return {
        "encode_frames": len(indices),
        "encode_only_s": round(alone[0], 2),
        "encode_only_cpu_s": round(alone[1], 2),
        "end_to_end_s": round(both[0], 2),
        "end_to_end_cpu_s": round(both[1], 2),
        "encoder_ratio": round(both[0] / alone[0], 3),
        "end_to_end_fps": round(len(indices) / both[0], 1),
        "bitrate_mbps": round(output.stat().st_size * 8 / float(seconds) / 1e6, 2),
        "psnr_db": psnr,
    }


def psnr_db(encoded: Path, raw: Path) -> float:
    """Average PSNR (all planes) of ``encoded`` against the raw RGBA frames it was made from.

    The reference goes through the sink's own BT.709 TV-range conversion to
    yuv420p, so the figure is the encoder's loss.
    """
    reference = (
        "[1:v]scale=out_color_matrix=bt709:out_range=tv,format=yuv420p,"
        "setparams=range=tv:colorspace=bt709[ref]"
    )
    command = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(encoded)]
    command += ["-f", "rawvideo", "-pix_fmt", "rgba", "-video_size", f"{WIDTH}x{HEIGHT}"]
    command += ["-framerate", str(FPS), "-i", str(raw)]
    command += ["-lavfi", f"{reference};[0:v][ref]psnr", "-f", "null", "-"]
    log_text = subprocess.run(command, capture_output=True, text=True, check=True).stderr
    match = re.search(r"PSNR .*average:([\d.]+|inf)", log_text)
    if match is None:
        raise RuntimeError(f"ffmpeg printed no PSNR:\n{log_text[-2000:]}")
    return float(match.group(1))


# -- access (fresh processes) ----------------------------------------------------------------


_ACCESS_CHILD = """
import sys, time
sys.path.insert(0, {root!r})
from fractions import Fraction
import numpy as np
from insideweights import theme
from insideweights.compose import FrameProducer
from insideweights.display import Particles, Rect, Scene, Style
from insideweights.renderer.camera import Viewport
from insideweights.renderer.canvas import Canvas
from insideweights.renderer.scene_renderer import SceneRenderer
# Load every effect kernel (from Numba's cache) on a small scene that uses them all, as
# the first frames of any render must; what stays is the frame's own cost.
glowing = Rect(10, 10, 500, 300, Style(stroke=theme.CYAN, glow=1.0))
sparks = Particles(np.array([[300.0, 200.0], [900.0, 500.0]]), 4.0, theme.CYAN)
warm = SceneRenderer({width}, {height}, Viewport(0, 0, {width}, {height}))
warm.render(Scene(items=(glowing, sparks)), Canvas({width}, {height}))
producer = FrameProducer(Fraction(60), {width}, {height})
wall = time.perf_counter()
producer.frame({index})
alone = time.perf_counter() - wall
wall = time.perf_counter()
producer.frame({index})  # again, with this frame's own caches (typeset equations) warm
print(alone, time.perf_counter() - wall)
"""


def measure_access(repeats: int, folder: Path) -> dict:
    """Frame 5999 alone over frame 0 alone (fresh processes), and ``still`` end to end."""
    times: dict[int, list[float]] = {0: [], LAST_FRAME: []}
    again: dict[int, list[float]] = {0: [], LAST_FRAME: []}
    for repeat in range(repeats):
        for index in (0, LAST_FRAME) if repeat % 2 == 0 else (LAST_FRAME, 0):
            code = _ACCESS_CHILD.format(root=str(ROOT), width=WIDTH, height=HEIGHT, index=index)
            result = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            )
            alone, warm = result.stdout.strip().splitlines()[-1].split()
            times[index].append(float(alone))
            again[index].append(float(warm))
    first, last = np.median(times[0]), np.median(times[LAST_FRAME])
    still = {}
    for index in (0, LAST_FRAME):
        runs = []
        for _ in range(repeats):
            wall = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "insideweights", "still", "--frame", str(index)]
                + ["--size", f"{WIDTH}x{HEIGHT}", "--quiet", "--out", str(folder / "s.png")],
                cwd=ROOT,
                capture_output=True,
                check=True,
            )
            runs.append(time.perf_counter() - wall)
        still[str(index)] = round(float(np.median(runs)), 2)
    return {
        "frame_0_alone_ms": round(1000 * first, 1),
        "frame_5999_alone_ms": round(1000 * last, 1),
        "random_access_ratio": round(last / first, 3),
        "frame_0_again_ms": round(1000 * float(np.median(again[0])), 1),
        "frame_5999_again_ms": round(1000 * float(np.median(again[LAST_FRAME])), 1),
        "still_new_process_s": still,
    }


# -- memory (fresh processes) ----------------------------------------------------------------


_MEMORY_CHILD = """
import json, sys
sys.path.insert(0, {root!r})
from fractions import Fraction
from pathlib import Path
from insideweights import jobs
from insideweights.compose import FrameProducer
from insideweights.renderer.sink import FfmpegSink

def high_water_mb(pid="self"):
    # VmHWM starts afresh at exec; ru_maxrss would keep the forking parent's peak.
    for line in open(f"/proc/{{pid}}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024

class Sink(FfmpegSink):
    def close(self):
        self.ffmpeg_mb = high_water_mb(self.ffmpeg_pid)  # while ffmpeg still runs
        super().close()

producer = FrameProducer(Fraction(60), {width}, {height}, buffers=2)
total = producer.total_frames
indices = [min(total - 1, int((k + 0.5) * total / {count})) for k in range({count})]
with Sink(Path({out!r}), {width}, {height}, Fraction(60), quality="standard") as sink:
    jobs.encode(producer, indices, sink)
print(json.dumps({{"python_mb": high_water_mb(), "ffmpeg_mb": sink.ffmpeg_mb}}))
"""


def measure_memory(count: int, folder: Path) -> dict:
    """Peak RSS of a render of ``count`` frames over one of ``count // 10`` frames."""
    peaks = {}
    for frames in (count // 10, count):
        log(f"memory: rendering {frames} frames in a fresh process")
        code = _MEMORY_CHILD.format(
            root=str(ROOT), width=WIDTH, height=HEIGHT, count=frames, out=str(folder / "m.mp4")
        )
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        peaks[frames] = json.loads(result.stdout.strip().splitlines()[-1])
    small, large = peaks[count // 10], peaks[count]
    return {
        "rss_frames": [count // 10, count],
        "rss_ratio": round(large["python_mb"] / small["python_mb"], 3),
        "peak_rss_mb": round(large["python_mb"], 1),
        "peak_rss_small_mb": round(small["python_mb"], 1),
        "ffmpeg_peak_rss_mb": round(large["ffmpeg_mb"], 1),
    }


# -- workers (fresh processes) ---------------------------------------------------------------


_WORKERS_CHILD = """
import sys
sys.path.insert(0, {root!r})
from fractions import Fraction
from pathlib import Path
from insideweights import jobs
from insideweights.options import FrameRange
if __name__ == "__main__":
    jobs.render(jobs.RenderRequest(
        Fraction({fps}), {width}, {height}, True, FrameRange({start}, {stop}), Path({out!r}),
        "mp4", {quality!r}, workers={workers}, chunk_frames={chunk}))
"""


def render_in_child(folder: Path, name: str, **settings) -> tuple[float, float, Path]:
    """Run ``jobs.render`` in a fresh process; wall and CPU seconds (all processes)."""
    out = folder / f"{name}.mp4"
    script = folder / f"{name}.py"
    script.write_text(_WORKERS_CHILD.format(root=str(ROOT), out=str(out), **settings))
    wall, children = time.perf_counter(), cpu_children()
    subprocess.run([sys.executable, str(script)], check=True, capture_output=True)
    return time.perf_counter() - wall, cpu_children() - children, out


def frame_hashes(path: Path) -> list[str]:
    """MD5 of every decoded frame (ffmpeg's framemd5), to compare files without holding them."""
    text = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path), "-map", "0:v"]
        + ["-f", "framemd5", "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line.rsplit(",", 1)[1].strip() for line in text.splitlines() if line[:1].isdigit()]


def measure_workers(start: int, frames: int, chunk: int, folder: Path) -> dict:
    settings = dict(
        fps=60, width=WIDTH, height=HEIGHT, start=start, stop=start + frames, chunk=chunk
    )
    runs = {}
    for workers in (1, 2):
        log(f"workers: {frames} frames with {workers} worker(s)")
        runs[workers] = render_in_child(
            folder, f"workers{workers}", workers=workers, quality="standard", **settings
        )
    one, two = runs[1], runs[2]
    hashes = [frame_hashes(run[2]) for run in (one, two)]
    digests = [hashlib.md5(run[2].read_bytes()).hexdigest() for run in (one, two)]
    return {
        "workers_frames": frames,
        "workers_chunk_frames": chunk,
        "workers_1_s": round(one[0], 2),
        "workers_2_s": round(two[0], 2),
        "workers_1_cpu_s": round(one[1], 2),
        "workers_2_cpu_s": round(two[1], 2),
        "workers_speedup": round(one[0] / two[0], 3),
        "workers_identical_frames": hashes[0] == hashes[1] and len(hashes[0]) == frames,
        "workers_identical_bytes": digests[0] == digests[1],
    }


def measure_draft(frames: int | None, folder: Path) -> dict:
    """720p30 draft, 1 and 2 workers: video seconds per wall second (> 1 beats real time)."""
    total = 3000
    start, stop = (0, total) if frames is None else ((total - frames) // 2, (total + frames) // 2)
    seconds = (stop - start) / 30
    report: dict = {"draft_frames": stop - start}
    for workers in (1, 2):
        log(f"draft: 720p30 frames {start}..{stop - 1}, {workers} worker(s)")
        wall, cpu, _ = render_in_child(
            folder,
            f"draft{workers}",
            fps=30,
            width=1280,
            height=720,
            start=start,
            stop=stop,
            chunk=None,
            workers=workers,
            quality="draft",
        )
        suffix = "" if workers == 1 else "_workers2"
        report[f"draft_s{suffix}"] = round(wall, 2)
        report[f"draft_cpu_s{suffix}"] = round(cpu, 2)
        report[f"draft_realtime_factor{suffix}"] = round(seconds / wall, 3)
    return report


# -- main ------------------------------------------------------------------------------------


def machine() -> dict:
    from insideweights.renderer.jit import threading_layer

    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "numba_threading_layer": threading_layer(),
        "load_average": [round(value, 2) for value in os.getloadavg()],
    }


def run(quick: bool, only: tuple[str, ...]) -> dict:
    report: dict = {"quick": quick, "size": f"{WIDTH}x{HEIGHT}", "fps": str(FPS)}
    report["machine_at_start"] = machine()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="insideweights-bench-") as scratch:
        folder = Path(scratch)
        if "produce" in only:
            report.update(measure_produce(30 if quick else 120))
        if "encode" in only:
            windows_, length, repeats = (3, 40, 1) if quick else (6, 60, 2)
            report.update(measure_encode(windows_, length, folder, repeats))
        if "access" in only:
            report.update(measure_access(1 if quick else 3, folder))
        if "memory" in only:
            report.update(measure_memory(150 if quick else 600, folder))
        if "workers" in only:
            if quick:
                report.update(measure_workers(3600, 240, 120, folder))
            else:
                report.update(measure_workers(3360, 960, 240, folder))
        if "draft" in only:
            report.update(measure_draft(300 if quick else None, folder))
    report["machine_at_end"] = machine()
    report["benchmark_s"] = round(time.perf_counter() - started, 1)
    return report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="fewer frames and repeats")
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    parser.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help=f"comma-separated sections to run, from {','.join(SECTIONS)} (default all)",
    )
    args = parser.parse_args(argv)
    only = tuple(name.strip() for name in args.only.split(",") if name.strip())
    unknown = sorted(set(only) - set(SECTIONS))
    if unknown:
        parser.error(f"--only takes sections from {','.join(SECTIONS)}, got {','.join(unknown)}")
    report = run(args.quick, only)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for key, value in report.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
