"""Golden frames: which frames are checked, how a render is compared, what a failure leaves.

A golden is a PNG of one frame of the reel at a reduced size, stored in ``tests/golden/``
and named by phase, frame index and frame rate (``p3_f02250_60fps.png``,
``wipe_2-3_f01800_60fps.png``). A check renders the frame alone, compares it with its
golden and, on a mismatch, writes the rendered frame and an amplified diff image into
``tests/golden/_results/`` and fails with the count of differing pixels, the largest
channel difference and their bounding box. Goldens are only ever written when asked for
(``--update-goldens`` or ``INSIDEWEIGHTS_UPDATE_GOLDENS=1``); a missing golden fails.

pytest wiring (the option, the shared producer, the ``golden_check`` fixture) lives in
``tests/conftest.py``; how to update and read a diff is in ``tests/golden/README.md``.

Only the standard library and numpy are imported at module level: conftest imports this
module for every test run, and a phase being edited must not break unrelated tests.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import zlib
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

TESTS_DIR = Path(__file__).resolve().parent
REPO = TESTS_DIR.parent
GOLDEN_DIR = TESTS_DIR / "golden"
RESULTS_FOLDER = "_results"  # inside the golden folder; git-ignored

GOLDEN_FPS = Fraction(60)
GOLDEN_WIDTH, GOLDEN_HEIGHT = 480, 270
INSIDE_FRACTIONS = (Fraction(1, 4), Fraction(1, 2), Fraction(3, 4))

# With the JIT disabled a frame takes seconds, not a tenth of one: tests that render
# many extra frames (mutations, subprocesses) then use every fifth case only.
JIT_DISABLED = os.environ.get("NUMBA_DISABLE_JIT", "0").strip() not in ("", "0")

UPDATE_OPTION = "--update-goldens"
UPDATE_ENV = "INSIDEWEIGHTS_UPDATE_GOLDENS"
UPDATE_COMMAND = f".venv/bin/python -m pytest tests/test_golden_frames.py {UPDATE_OPTION}"


@dataclass(frozen=True, slots=True)
class Tolerance:
    """How far a frame may stray from its golden and still pass."""

    levels: int  # largest per-channel difference, 0-255
    pixels: int  # how many pixels may differ at all


# The tolerance, in one place. With the JIT on (every normal run) it is exact, because
# rendering is bit-deterministic: the same bytes came back in one process and in two,
# alone and in sequence, with the Numba cache cold or warm, and with Numba compiling for
# a generic x86-64 CPU instead of this AVX-512 one (test_determinism.py). What could
# still differ is Skia's raster code on another CPU family (it picks SIMD paths at run
# time); goldens are made and checked on the same machine, so none is allowed for that.
# With NUMBA_DISABLE_JIT=1 the kernels run as plain Python, whose floating point rounds
# differently from LLVM's in the last bit and can flip a dither decision: measured as one
# pixel off by one level in 1 of the 29 goldens. So that mode allows 1 level in at most
# 0.1 % of the pixels; the 2-level patch test in test_golden_harness.py still fails.
EXACT = Tolerance(levels=0, pixels=0)
WITHOUT_JIT = Tolerance(levels=1, pixels=GOLDEN_WIDTH * GOLDEN_HEIGHT // 1000)
TOLERANCE = WITHOUT_JIT if JIT_DISABLED else EXACT

# Diff image: differing pixels are red, 1 level shows as DIFF_FLOOR + DIFF_GAIN and the
# brightness grows with the difference; everything else is the golden in grey, dimmed.
DIFF_FLOOR, DIFF_GAIN, DIFF_BACKDROP = 64, 32, 0.25
BOX_COLOUR = (255, 220, 0)


class GoldenMissing(AssertionError):
    """A case has no golden file: it fails and says how to create one."""


class GoldenMismatch(AssertionError):
    """A rendered frame differs from its golden by more than the tolerance."""


@dataclass(frozen=True, slots=True)
class GoldenCase:
    """One checked frame: its file name, global frame index and why it was chosen."""

    name: str
    frame: int
    role: str  # "first", "inside", "wipe" or "last"

    @property
    def stem(self) -> str:
        return self.name.removesuffix(".png")


# -- which frames ---------------------------------------------------------------------


def fps_label(fps: Fraction) -> str:
    """``60`` for whole rates, ``30000-1001`` otherwise (file-name safe, exact)."""
    fps = Fraction(fps)
    if fps.denominator == 1:
        return str(fps.numerator)
    return f"{fps.numerator}-{fps.denominator}"


def golden_name(label: str, frame: int, fps: Fraction) -> str:
    """``<label>_f<frame, 5 digits>_<fps>fps.png``, e.g. ``p3_f02250_60fps.png``."""
    return f"{label}_f{frame:05d}_{fps_label(fps)}fps.png"


def quiet_range(timing, index: int) -> tuple[int, int]:
    """First and last frame of segment ``index`` that no wipe touches (inclusive)."""
    segment = timing.segment(index)
    first, last = segment.start_frame, segment.end_frame - 1
    while first < last and timing.locate(first).transition is not None:
        first += 1
    while last > first and timing.locate(last).transition is not None:
        last -= 1
    return first, last


def golden_cases(timing) -> tuple[GoldenCase, ...]:
    """The reel's first and last frame, three frames inside each phase, every wipe's middle.

    Inside frames sit at a quarter, half and three quarters of the phase's frames (moved
    out of a wipe if a phase were ever that short). A wipe's middle is the first frame of
    the incoming phase: wipes are centred on the boundary.
    """
    fps, last_frame = timing.fps, timing.total_frames - 1
    cases = {0: GoldenCase(golden_name("p1", 0, fps), 0, "first")}
    for segment in timing.segments:
        number = segment.index + 1
        low, high = quiet_range(timing, segment.index)
        for fraction in INSIDE_FRACTIONS:
            frame = segment.start_frame + round(segment.frame_count * fraction)
            frame = min(max(frame, low), high)
            cases[frame] = GoldenCase(golden_name(f"p{number}", frame, fps), frame, "inside")
        if segment.index + 1 < len(timing.segments):
            frame = timing.segment(segment.index + 1).start_frame
            label = f"wipe_{number}-{number + 1}"
            cases[frame] = GoldenCase(golden_name(label, frame, fps), frame, "wipe")
    last_phase = len(timing.segments)
    cases[last_frame] = GoldenCase(
        golden_name(f"p{last_phase}", last_frame, fps), last_frame, "last"
    )
    return tuple(cases[frame] for frame in sorted(cases))


def sampled(cases: tuple[GoldenCase, ...]) -> tuple[GoldenCase, ...]:
    """All cases with the JIT on; every fifth with it off (see JIT_DISABLED)."""
    return cases[::5] if JIT_DISABLED else cases


def stale_goldens(cases, golden_dir: Path = GOLDEN_DIR) -> list[Path]:
    """Golden PNGs on disk that no case uses (left over from an older timing or size)."""
    wanted = {case.name for case in cases}
    return sorted(path for path in golden_dir.glob("*.png") if path.name not in wanted)


# -- comparing ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Comparison:
    """How a rendered frame differs from its golden."""

    differing_pixels: int
    total_pixels: int
    max_difference: int
    box: tuple[int, int, int, int] | None  # x0, y0, x1, y1 of differing pixels, inclusive

    def passes(self, tolerance: Tolerance = TOLERANCE) -> bool:
        return (
            self.max_difference <= tolerance.levels and self.differing_pixels <= tolerance.pixels
        )

    def describe(self, tolerance: Tolerance = TOLERANCE) -> str:
        """One line: how many pixels differ, by how much, and where."""
        if self.box is None:
            return "no pixel differs"
        x0, y0, x1, y1 = self.box
        share = 100 * self.differing_pixels / self.total_pixels
        return (
            f"{self.differing_pixels} of {self.total_pixels} pixels differ ({share:.2f}%), "
            f"max channel difference {self.max_difference} "
            f"(allowed: {tolerance.levels} levels in {tolerance.pixels} pixels), "
            f"bounding box x {x0}..{x1}, y {y0}..{y1} ({x1 - x0 + 1}x{y1 - y0 + 1} px)"
        )


def as_rgba(frame: np.ndarray) -> np.ndarray:
    """An (H, W, 3 or 4) uint8 frame as RGBA; RGB gets opaque alpha (as PNG stores it)."""
    if frame.ndim != 3 or frame.dtype != np.uint8 or frame.shape[2] not in (3, 4):
        raise ValueError(
            f"frame must be a uint8 array of shape (H, W, 3 or 4), "
            f"got {frame.dtype} array of shape {frame.shape}"
        )
    if frame.shape[2] == 4:
        return frame
    alpha = np.full(frame.shape[:2] + (1,), 255, np.uint8)
    return np.concatenate([frame, alpha], axis=2)


def channel_difference(rendered: np.ndarray, golden: np.ndarray) -> np.ndarray:
    """Per-pixel largest absolute channel difference, (H, W) int16."""
    difference = np.abs(as_rgba(rendered).astype(np.int16) - as_rgba(golden).astype(np.int16))
    return difference.max(axis=2)


def compare(rendered: np.ndarray, golden: np.ndarray) -> Comparison:
    """Count, largest size and bounding box of the differences; sizes must match."""
    if rendered.shape[:2] != golden.shape[:2]:
        raise GoldenMismatch(
            f"rendered frame is {rendered.shape[1]}x{rendered.shape[0]} but the golden is "
            f"{golden.shape[1]}x{golden.shape[0]}"
        )
    difference = channel_difference(rendered, golden)
    rows, columns = np.nonzero(difference)
    box = None
    if rows.size:
        box = (int(columns.min()), int(rows.min()), int(columns.max()), int(rows.max()))
    return Comparison(int(rows.size), int(difference.size), int(difference.max()), box)


def diff_image(rendered: np.ndarray, golden: np.ndarray) -> np.ndarray:
    """An RGB picture of the differences, amplified so that 1 level is plainly visible.

    Backdrop: the golden's luminance at a quarter brightness, for orientation. Pixels
    that differ are red, ``DIFF_FLOOR + DIFF_GAIN * difference`` (capped at 255), so even
    a 1-level change stands out; a yellow rectangle frames the bounding box.
    """
    difference = channel_difference(rendered, golden)
    rgb = as_rgba(golden)[:, :, :3].astype(np.float32)
    grey = (rgb @ np.array([0.2126, 0.7152, 0.0722], np.float32)) * DIFF_BACKDROP
    image = np.repeat(grey.astype(np.uint8)[:, :, None], 3, axis=2)
    changed = difference > 0
    image[changed] = 0
    image[changed, 0] = np.minimum(255, DIFF_FLOOR + DIFF_GAIN * difference[changed])
    if changed.any():
        rows, columns = np.nonzero(changed)
        _draw_box(image, columns.min(), rows.min(), columns.max(), rows.max())
    return image


def _draw_box(image: np.ndarray, x0: int, y0: int, x1: int, y1: int) -> None:
    """A 1-pixel yellow frame just outside the box (clipped), leaving the box's pixels."""
    height, width = image.shape[:2]
    left, top = max(x0 - 1, 0), max(y0 - 1, 0)
    right, bottom = min(x1 + 1, width - 1), min(y1 + 1, height - 1)
    if top < y0:
        image[top, left : right + 1] = BOX_COLOUR
    if bottom > y1:
        image[bottom, left : right + 1] = BOX_COLOUR
    if left < x0:
        image[top : bottom + 1, left] = BOX_COLOUR
    if right > x1:
        image[top : bottom + 1, right] = BOX_COLOUR


# -- files ----------------------------------------------------------------------------


def read_png(path: Path) -> np.ndarray:
    """Decode a PNG as written by ``encode_png``: 8-bit RGB or RGBA, not interlaced.

    Any of the five row filters is undone, so a golden that some tool re-saved still
    reads; palette, 16-bit or interlaced files are refused with a clear error.
    """
    data = Path(path).read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"golden {path} is not a PNG file")
    header, compressed, position = None, [], 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            compressed.append(body)
        position += 12 + length
    width, height, depth, colour, _, _, interlace = header
    channels = {2: 3, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace:
        raise ValueError(
            f"golden {path} must be 8-bit RGB or RGBA, not interlaced; regenerate it with "
            f"{UPDATE_COMMAND}"
        )
    raw = np.frombuffer(zlib.decompress(b"".join(compressed)), np.uint8)
    rows = raw.reshape(height, 1 + width * channels)
    return _unfilter(rows, channels).reshape(height, width, channels)


def _unfilter(rows: np.ndarray, channels: int) -> np.ndarray:
    """Undo PNG row filters (None, Sub, Up, Average, Paeth) in place of the row bytes."""
    height, stride = rows.shape[0], rows.shape[1] - 1
    out = np.zeros((height, stride), np.uint8)
    previous = np.zeros(stride, np.int32)
    for y in range(height):
        kind, line = rows[y, 0], rows[y, 1:].astype(np.int32)
        if kind == 1:  # Sub: running sum per channel
            line = line.reshape(-1, channels).cumsum(axis=0).reshape(-1)
        elif kind == 2:  # Up
            line = line + previous
        elif kind in (3, 4):  # Average and Paeth depend on the pixel just decoded
            line = _unfilter_sequential(line, previous, channels, kind)
        elif kind != 0:
            raise ValueError(f"PNG row {y} has unknown filter type {kind}")
        out[y] = line & 0xFF
        previous = out[y].astype(np.int32)
    return out


def _unfilter_sequential(line, previous, channels: int, kind: int) -> np.ndarray:
    """Average (3) and Paeth (4), byte by byte: rare in goldens, so plain Python."""
    line = line.copy()
    for i in range(line.size):
        left = line[i - channels] if i >= channels else 0
        up = int(previous[i])
        corner = int(previous[i - channels]) if i >= channels else 0
        if kind == 3:
            predictor = (int(left) + up) // 2
        else:
            estimate = int(left) + up - corner
            distances = (abs(estimate - left), abs(estimate - up), abs(estimate - corner))
            predictor = (left, up, corner)[distances.index(min(distances))]
        line[i] = (line[i] + predictor) & 0xFF
    return line


def write_golden(path: Path, frame: np.ndarray) -> bool:
    """Write ``frame`` as the golden at ``path``; False (and no write) if already equal."""
    from insideweights.renderer.png_sink import encode_png, write_png

    if path.exists() and path.read_bytes() == encode_png(frame):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    write_png(path, frame)
    return True


def result_paths(golden: Path, results_dir: Path | None = None) -> tuple[Path, Path]:
    """Where a failing case leaves its rendered frame and its diff image."""
    folder = results_dir or golden.parent / RESULTS_FOLDER
    return folder / f"{golden.stem}.rendered.png", folder / f"{golden.stem}.diff.png"


def _remove_results(golden: Path, results_dir: Path | None) -> None:
    """A passing case clears what an earlier failure left, so _results/ shows only news."""
    for path in result_paths(golden, results_dir):
        path.unlink(missing_ok=True)


# -- the check ------------------------------------------------------------------------


def verify(
    name: str,
    rendered: np.ndarray,
    golden_dir: Path = GOLDEN_DIR,
    results_dir: Path | None = None,
    tolerance: Tolerance = TOLERANCE,
) -> Comparison:
    """Compare ``rendered`` with golden ``name``; never writes the golden.

    ``tolerance`` is for tests whose goldens come from the same process or mode as the
    frame (they use EXACT whether or not the JIT is on); the golden suite keeps TOLERANCE.

    Raises GoldenMissing (the rendered frame is still saved, to look at before creating
    the golden) or GoldenMismatch (rendered frame and diff image saved); returns the
    comparison when the frame passes.
    """
    from insideweights.renderer.png_sink import write_png

    golden_path = Path(golden_dir) / name
    rendered_path, diff_path = result_paths(golden_path, results_dir)
    if not golden_path.exists():
        rendered_path.parent.mkdir(parents=True, exist_ok=True)
        write_png(rendered_path, rendered)
        raise GoldenMissing(
            f"golden {golden_path} does not exist (the frame as rendered now is in "
            f"{rendered_path}); create it with `{UPDATE_COMMAND}` or {UPDATE_ENV}=1, look "
            f"at it, then commit it"
        )
    golden = read_png(golden_path)
    comparison = compare(rendered, golden)
    if comparison.passes(tolerance):
        _remove_results(golden_path, results_dir)
        return comparison
    rendered_path.parent.mkdir(parents=True, exist_ok=True)
    write_png(rendered_path, rendered)
    write_png(diff_path, diff_image(rendered, golden))
    raise GoldenMismatch(
        f"{name}: {comparison.describe(tolerance)}; rendered: {rendered_path}, diff: {diff_path}; "
        f"if the change is intended, regenerate with `{UPDATE_COMMAND}`"
    )


def update_requested(option: bool, environ=os.environ) -> bool:
    """True when the pytest option is given or the environment variable is 1."""
    raw = environ.get(UPDATE_ENV, "").strip()
    if raw not in ("", "0", "1"):
        raise ValueError(f"{UPDATE_ENV} must be 1 (rewrite goldens) or 0/unset, got {raw!r}")
    return bool(option) or raw == "1"


# -- rendering in another process -----------------------------------------------------

_SUBPROCESS_SCRIPT = """
import sys
{prelude}
from fractions import Fraction
import numpy as np
from insideweights.compose import FrameProducer
fps, width, height, out = Fraction(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
producer = FrameProducer(fps, width, height)
np.save(out, np.stack([producer.frame(int(i)).copy() for i in sys.argv[5:]]))
"""


def render_in_subprocess(
    frames,
    out: Path,
    *,
    prelude: str = "",
    env: dict[str, str] | None = None,
    fps: Fraction = GOLDEN_FPS,
    size: tuple[int, int] = (GOLDEN_WIDTH, GOLDEN_HEIGHT),
    timeout: float = 900,
) -> np.ndarray:
    """Render ``frames`` in a fresh Python process; (N, H, W, 4) uint8.

    ``prelude`` runs before anything of ours is imported (e.g. to patch the theme), and
    ``env`` adds to this process's environment. The child imports this source tree.
    """
    script = _SUBPROCESS_SCRIPT.format(prelude=prelude)
    child_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    args = [str(fps), str(size[0]), str(size[1]), str(out), *map(str, frames)]
    result = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=child_env,
        cwd=REPO,
    )
    if result.returncode != 0:
        raise RuntimeError(f"render subprocess failed ({result.returncode}): {result.stderr}")
    return np.load(out)
