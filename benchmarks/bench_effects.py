"""Milliseconds per 1080p frame for the Numba effect kernels, and their first-call JIT cost.

Run: ``.venv/bin/python benchmarks/bench_effects.py [--threads N] [--repeat R]``

For each effect it prints the wall-clock median and minimum over R runs and
the process CPU time per run (all threads), so a number taken on a busy
machine can still be read: CPU time barely changes with load, wall time does.
The JIT section starts fresh interpreters that import the kernels and call
each once on small inputs, first with an empty NUMBA_CACHE_DIR (compile and
write the cache) and then again with the same directory (load from cache).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from insideweights.renderer.background import background_layer  # noqa: E402
from insideweights.renderer.bloom import Bloom  # noqa: E402
from insideweights.renderer.dither import quantise  # noqa: E402
from insideweights.renderer.jit import set_kernel_threads, threading_layer  # noqa: E402
from insideweights.renderer.particles import splat_particles  # noqa: E402
from insideweights.renderer.transitions import crossfade, wipe_left  # noqa: E402

WIDTH, HEIGHT = 1920, 1080
CYAN = (0x22 / 255, 0xE5 / 255, 0xFF / 255)
BLUE = (0x3D / 255, 0x7B / 255, 0xFF / 255)
# The theme's bloom settings at the time of writing (insideweights/theme.py).
BLOOM = dict(threshold=0.62, intensity=0.9, radius=0.022, levels=5)


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(name: str, run, repeat: int, setup=None) -> None:
    """Print wall median / min and CPU median per call, in milliseconds."""
    if setup:
        setup()
    run()  # compile or load from cache, warm the caches
    walls, cpus = [], []
    for _ in range(repeat):
        if setup:
            setup()
        cpu, wall = cpu_seconds(), time.perf_counter()
        run()
        walls.append(time.perf_counter() - wall)
        cpus.append(cpu_seconds() - cpu)
    print(
        f"  {name:34s} wall median {statistics.median(walls) * 1e3:7.2f}  "
        f"min {min(walls) * 1e3:7.2f}   cpu {statistics.median(cpus) * 1e3:7.2f} ms"
    )


def scene(background: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A reel-like frame: outlined blocks, bright lines, dots; plus its emission layer."""
    frame = background.copy()
    emission = np.zeros(((HEIGHT + 1) // 2, (WIDTH + 1) // 2, 4), np.uint8)
    for row in range(6):  # a stack of blue outlined blocks
        top, left = 180 + row * 120, 700
        for part in (
            frame[top : top + 3, left : left + 520],
            frame[top + 80 : top + 83, left : left + 520],
            frame[top : top + 83, left : left + 3],
            frame[top : top + 83, left + 517 : left + 520],
        ):
            part[..., :3] = (0x3D, 0x7B, 0xFF)
    for k in range(8):  # cyan flow lines, glowing through the emission layer
        y = 150 + k * 100
        frame[y : y + 3, 200:640, :3] = (0x22, 0xE5, 0xFF)
        emission[y // 2 : y // 2 + 2, 100:320] = (0x22, 0xE5, 0xFF, 255)
    frame[940:944, 1300:1800, :3] = (0xFF, 0x8A, 0x1F)  # an orange curve stand-in
    emission[470:472, 650:900] = (0xFF, 0x8A, 0x1F, 255)
    rng = np.random.default_rng(1)
    xy = np.stack([rng.uniform(200, 640, 400), rng.uniform(150, 900, 400)], 1)
    splat_particles(frame, xy.astype(np.float32), 3.0, CYAN, np.ones(400, np.float32))
    return frame, emission


def bench_frames(repeat: int) -> None:
    rng = np.random.default_rng(0)
    background = background_layer(WIDTH, HEIGHT, (0.05, 0.075, 0.13), (0.03, 0.043, 0.07), 0.35)
    frame, emission = scene(background)
    work = np.empty_like(frame)

    def restore():
        np.copyto(work, frame)

    bloom = Bloom(WIDTH, HEIGHT)
    measure(
        "bloom (theme settings)", lambda: bloom.apply(work, emission, **BLOOM), repeat, restore
    )
    wide = {**BLOOM, "radius": 0.05}
    measure("bloom (radius 0.05)", lambda: bloom.apply(work, emission, **wide), repeat, restore)
    measure(
        "bloom glow only (no composite)",
        lambda: bloom.glow(work, emission, threshold=0.62, radius=0.022, levels=5),
        repeat,
    )

    src = rng.random((HEIGHT, WIDTH, 3), dtype=np.float32) * 0.1
    measure("dither quantise (float RGB -> u8)", lambda: quantise(src, work), repeat)

    other = background.copy()
    other[300:800, 300:1600, :3] = (0x10, 0x17, 0x26)
    measure("wipe_left at progress 0.5", lambda: wipe_left(frame, other, 0.5, work), repeat)
    measure("crossfade at progress 0.5", lambda: crossfade(frame, other, 0.5, work), repeat)

    xy = np.stack([rng.uniform(0, WIDTH, 5000), rng.uniform(0, HEIGHT, 5000)], 1)
    xy = xy.astype(np.float32)
    intensity = rng.uniform(0.3, 1.0, 5000).astype(np.float32)
    for radius in (2.0, 3.0):
        measure(
            f"splat 5000 particles r={radius:g} px",
            lambda radius=radius: splat_particles(work, xy, radius, CYAN, intensity),
            repeat,
            restore,
        )
    half = np.zeros_like(emission)
    measure(
        "splat 5000 particles into emission",
        lambda: splat_particles(half, xy * 0.5, 1.5, CYAN, intensity),
        repeat,
        lambda: half.fill(0),
    )
    measure(
        "background build (once per size)",
        lambda: background_layer(WIDTH, HEIGHT, (0.05, 0.075, 0.13), (0.03, 0.043, 0.07), 0.35),
        max(3, repeat // 4),
    )


FIRST_CALL = """
import time
start = time.perf_counter()
import numpy as np
from insideweights.renderer.background import background_layer
from insideweights.renderer.bloom import Bloom
from insideweights.renderer.particles import splat_particles
from insideweights.renderer.transitions import crossfade, wipe_left
imported = time.perf_counter()
frame = background_layer(64, 36, (0.05, 0.07, 0.13), (0.03, 0.04, 0.07), 0.35)
Bloom(64, 36).apply(frame, np.zeros((18, 32, 4), np.uint8), threshold=0.5, intensity=1.0,
                    radius=0.05, levels=5)
wipe_left(frame, frame.copy(), 0.5, frame.copy())
crossfade(frame, frame.copy(), 0.5, frame.copy())
splat_particles(frame, np.ones((4, 2), np.float32), 2.0, (1, 1, 1), np.ones(4, np.float32))
done = time.perf_counter()
print(f"{imported - start:.3f} {done - imported:.3f}")
"""


def bench_first_call() -> None:
    with tempfile.TemporaryDirectory(prefix="numba-cache-") as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache, "PYTHONPATH": str(ROOT)}
        for label in ("cold cache (compile)", "warm cache (load)"):
            start = time.perf_counter()
            output = subprocess.run(
                [sys.executable, "-c", FIRST_CALL],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout.split()
            total = time.perf_counter() - start
            print(
                f"  {label:22s} import {float(output[0]) * 1e3:8.0f} ms   "
                f"first calls {float(output[1]) * 1e3:8.0f} ms   process {total * 1e3:8.0f} ms"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=None, help="kernel threads")
    parser.add_argument("--repeat", type=int, default=15, help="timed runs per effect")
    parser.add_argument("--skip-jit", action="store_true", help="skip the first-call section")
    args = parser.parse_args()
    if args.threads is not None:
        set_kernel_threads(args.threads)

    import numba

    print(
        f"effects at {WIDTH}x{HEIGHT}, {numba.get_num_threads()} kernel threads, "
        f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs"
    )
    bench_frames(args.repeat)
    print(f"  (threading layer: {threading_layer()})")
    if not args.skip_jit:
        print("first-call cost in a fresh interpreter:")
        bench_first_call()


if __name__ == "__main__":
    main()
