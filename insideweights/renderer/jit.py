"""Compiler aliases for the effect kernels, Numba thread setup, and the wrappers' checks.

Every kernel module decorates with ``jit`` (serial) or ``pjit`` (parallel over
``prange``); nothing else passes options to Numba, so caching and threading are
decided here once.

Why GNU OpenMP with a short spin: the reel is rendered on two cores shared
with the x264 encoder, and a frame's effects are a dozen parallel kernels of a
few hundred microseconds to a few milliseconds each, with Python and Skia
drawing in between. What matters is what a worker thread does between two
kernels. OpenMP's default keeps it spinning for about 300,000 turns after each
kernel, which steals encoder time; Numba's ``workqueue`` layer puts it to sleep
at once, and waking it again costs so much on this kind of machine (a virtual
CPU that went idle) that kernels ran barely faster than on one thread. GNU
OpenMP with ``GOMP_SPINCOUNT=1000`` spins for a few microseconds, enough to
bridge the gaps *between* kernels, then sleeps through the drawing. Measured
with ``python -m benchmarks --only produce``, alternating runs: about 19 ms per
1080p frame against 25 ms with ``workqueue``, with less CPU time (25 against 28
ms), and the same end-to-end time with the encoder running. Where libgomp is
missing, Numba falls back to ``workqueue``. OpenMP regions must be launched
from one Python thread per process (render workers are processes, so each has
its own pool). An explicit ``NUMBA_THREADING_LAYER`` or ``GOMP_SPINCOUNT`` in
the environment still wins, so the choice can be compared without code edits.

Thread count: Numba starts one worker per core (``NUMBA_NUM_THREADS`` defaults
to the CPU count, 2 here). When several render processes run side by side, call
``set_kernel_threads(1)`` in each so they do not oversubscribe the cores.
"""

from __future__ import annotations

import math
import os

import numba
import numpy as np

__all__ = [
    "inline",
    "interleaved_order",
    "jit",
    "pick",
    "pjit",
    "prange",
    "require_frame",
    "require_number",
    "serial_and_parallel",
    "set_kernel_threads",
    "threading_layer",
]

THREADING_LAYERS = ("omp", "workqueue", "tbb")  # first available wins (workqueue always is)
SPIN_COUNT = "1000"  # GNU OpenMP busy-wait turns before a worker sleeps

if "NUMBA_THREADING_LAYER" not in os.environ:
    # Must happen before the first parallel kernel runs; later assignments are ignored.
    numba.config.THREADING_LAYER_PRIORITY = list(THREADING_LAYERS)
    numba.config.THREADING_LAYER = "default"
# libgomp reads this when Numba loads it, at the first parallel kernel.
os.environ.setdefault("GOMP_SPINCOUNT", SPIN_COUNT)

# nogil lets the renderer overlap a serial kernel with, e.g., a thread writing to ffmpeg.
jit = numba.njit(cache=True, nogil=True)
pjit = numba.njit(cache=True, nogil=True, parallel=True)
# For small helpers called per pixel: inlined into the caller at Numba's IR level, so
# arrays passed to them cost no call and no reference-count traffic.
inline = numba.njit(cache=True, nogil=True, inline="always")
# Waking the worker threads costs tens of microseconds per parallel kernel launch, more
# than the whole work on small images; kernels that run on images of any size come in
# both variants, and ``pick`` chooses by the number of pixels.
SERIAL_BELOW = 32_768


def serial_and_parallel(kernel):
    """Compile one loop function twice: (serial, parallel). ``prange`` is ``range`` serially."""
    return jit(kernel), pjit(kernel)


def pick(variants, pixels: int):
    """The serial variant for small work, the parallel one otherwise."""
    return variants[0] if pixels < SERIAL_BELOW else variants[1]


prange = numba.prange


def interleaved_order(count: int) -> np.ndarray:
    """0..count-1 in bit-reversed order, so any contiguous block of it spans the whole range.

    Numba gives each thread one contiguous block of ``prange`` iterations. A
    kernel whose rows cost unequal work (light in one part of the frame only)
    iterates over this order instead of over rows, which keeps the threads
    equally busy without changing any result.
    """
    bits = max(1, (count - 1).bit_length())
    keys = [int(format(index, f"0{bits}b")[::-1], 2) for index in range(count)]
    return np.argsort(keys, kind="stable").astype(np.int64)


def set_kernel_threads(count: int) -> None:
    """Use ``count`` threads in parallel kernels (1 .. NUMBA_NUM_THREADS)."""
    limit = numba.config.NUMBA_NUM_THREADS
    if not isinstance(count, int) or not 1 <= count <= limit:
        raise ValueError(f"kernel threads must be an integer in 1..{limit}, got {count!r}")
    numba.set_num_threads(count)


def threading_layer() -> str:
    """The threading layer in use ('none yet' before the first parallel kernel ran)."""
    try:
        return numba.threading_layer()
    except ValueError:
        return "none yet"


# Checks shared by the thin Python wrappers: one clear line naming the argument,
# the value received and the rule, raised before any kernel sees bad data.


def _describe(value) -> str:
    if isinstance(value, np.ndarray):
        layout = "" if value.flags.c_contiguous else " (not C-contiguous)"
        return f"a {value.dtype} array of shape {value.shape}{layout}"
    return f"{type(value).__name__} {value!r}"


def require_frame(name: str, value, shape: tuple[int, int] | None = None, writeable=False):
    """Check that ``value`` is a C-contiguous uint8 (H, W, 4) array, of size ``shape`` if given."""
    rule = "a C-contiguous uint8 array of shape (H, W, 4)"
    if shape is not None:
        rule = f"a C-contiguous uint8 array of shape ({shape[0]}, {shape[1]}, 4)"
    ok = (
        isinstance(value, np.ndarray)
        and value.dtype == np.uint8
        and value.ndim == 3
        and value.shape[2] == 4
        and value.shape[0] > 0
        and value.shape[1] > 0
        and value.flags.c_contiguous
        and (shape is None or value.shape[:2] == tuple(shape))
    )
    if not ok:
        raise ValueError(f"{name} must be {rule}, got {_describe(value)}")
    if writeable and not value.flags.writeable:
        raise ValueError(f"{name} must be writeable, got a read-only array")
    return value


def require_number(name: str, value, low: float, high: float, *, low_open=False) -> float:
    """Check that ``value`` is a finite real number in [low, high] ((low, high] if low_open)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    inside = (low < number if low_open else low <= number) and number <= high
    if not (math.isfinite(number) and inside):
        bracket = "(" if low_open else "["
        raise ValueError(f"{name} must be a number in {bracket}{low}, {high}], got {value!r}")
    return number
