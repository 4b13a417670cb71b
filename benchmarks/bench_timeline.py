"""How sampling cost depends on where in the reel the frame lies.

Builds a 100 s timeline of about 2000 segments (50 names x 40 tweens each, with
gaps), then times sampling every name at frame 0 and at frame 5999 (60 fps) in
the same run, interleaved so drift in machine load hits both alike. A replaying
engine would cost ~2000x more at the end than at the start; bisection should
keep the ratio near 1. Prints measurements and ratios; asserts nothing.

    .venv/bin/python -m benchmarks.bench_timeline     (from the repository root)
"""

from __future__ import annotations

import random
import time
from fractions import Fraction

from insideweights.timeline import (
    Rgba,
    Timeline,
    frame_time,
    parallel,
    sequence,
    tween,
    wait,
)

NAMES = 50
TWEENS_PER_NAME = 40
FPS = 60
ROUNDS = 7
SAMPLES_PER_ROUND = 200
TRACK_SECONDS = 101


def build_timeline(seed: int = 1) -> Timeline:
    """50 tracks of 40 tweens with holds between, each track stretched to span 101 s.

    Every frame of the 100 s reel, the last included, then falls inside some
    tween or hold of every track, so no frame gets the cheap "all done" path.
    """
    rng = random.Random(seed)
    tracks = []
    for index in range(NAMES):
        name = f"value_{index}"
        weights = [rng.uniform(1.0, 2.0) for _ in range(2 * TWEENS_PER_NAME)]
        lengths = [Fraction(round(w / sum(weights) * TRACK_SECONDS * 1000), 1000) for w in weights]
        steps = []
        for tween_length, hold_length in zip(lengths[::2], lengths[1::2], strict=True):
            if index % 10 == 0:
                start = Rgba(rng.random(), rng.random(), rng.random())
                end = Rgba(rng.random(), rng.random(), rng.random())
            else:
                start, end = rng.random(), rng.random()
            steps.append(tween(name, tween_length, start=start, end=end))
            steps.append(wait(hold_length))
        tracks.append(sequence(*steps))
    return Timeline(parallel(*tracks))


def time_sampling(timeline: Timeline, frame: int) -> float:
    """Seconds per full sample (every name read) at ``frame``, best of a short burst."""
    seconds = frame_time(frame, FPS)
    names = timeline.names
    started = time.perf_counter()
    for _ in range(SAMPLES_PER_ROUND):
        sample = timeline.sample(seconds)
        for name in names:
            sample[name]
    return (time.perf_counter() - started) / SAMPLES_PER_ROUND


def main() -> None:
    started = time.perf_counter()
    timeline = build_timeline()
    build_seconds = time.perf_counter() - started
    segments = NAMES * TWEENS_PER_NAME
    duration = float(timeline.duration)
    print(f"timeline: {segments} segments, {len(timeline.names)} names, {duration:g} s")
    print(f"build + compile: {build_seconds * 1e3:.1f} ms")

    frames = (0, 3000, 5999)
    best = {frame: float("inf") for frame in frames}
    for _ in range(ROUNDS):
        for frame in frames:
            best[frame] = min(best[frame], time_sampling(timeline, frame))

    for frame in frames:
        per_name = best[frame] / len(timeline.names)
        print(
            f"frame {frame:>4}: {best[frame] * 1e6:8.1f} us per sample of all names "
            f"({per_name * 1e6:.2f} us per name)"
        )
    print(f"ratio frame 5999 / frame 0: {best[5999] / best[0]:.2f}")
    print(f"ratio frame 3000 / frame 0: {best[3000] / best[0]:.2f}")


if __name__ == "__main__":
    main()
