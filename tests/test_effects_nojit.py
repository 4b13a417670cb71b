"""The kernels compute the same pictures as plain Python (NUMBA_DISABLE_JIT=1).

A subprocess runs every effect on small inputs with the JIT disabled and saves
the results; this process runs the same calls compiled. Stated tolerance:
bytes may differ by at most 1 level, in at most 1 % of the values (float
rounding can flip a dither decision when a value sits on a threshold).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

MAX_LEVEL_DIFFERENCE = 1
MAX_DIFFERING_FRACTION = 0.01


def run_effects() -> dict[str, np.ndarray]:
    """Every public effect once, on small deterministic inputs."""
    from insideweights.renderer.background import background_layer
    from insideweights.renderer.bloom import Bloom
    from insideweights.renderer.dither import quantise
    from insideweights.renderer.particles import splat_particles
    from insideweights.renderer.transitions import crossfade, wipe_left

    rng = np.random.default_rng(7)
    results = {}

    frame = np.zeros((48, 80, 4), np.uint8)
    frame[..., :3], frame[..., 3] = (10, 14, 23), 255
    frame[20:23, 10:70, :3] = (34, 229, 255)
    frame[30, 40, :3] = 255
    emission = np.zeros((24, 40, 4), np.uint8)
    emission[5:7, 5:30] = (255, 138, 31, 255)
    Bloom(80, 48).apply(frame, emission, threshold=0.4, intensity=1.2, radius=0.1, levels=4)
    results["bloom"] = frame

    old = rng.integers(0, 256, (24, 40, 4), dtype=np.uint8)
    new = rng.integers(0, 256, (24, 40, 4), dtype=np.uint8)
    old[..., 3] = new[..., 3] = 255
    results["wipe"] = wipe_left(old, new, 0.5, np.empty_like(old), softness=0.5)
    results["crossfade"] = crossfade(old, new, 0.3, np.empty_like(old))

    layer = np.zeros((32, 48, 4), np.uint8)
    xy = rng.uniform(-4, 52, (60, 2)).astype(np.float32)
    splat_particles(layer, xy, 3.0, (0.13, 0.9, 1.0), rng.uniform(0.2, 1, 60).astype(np.float32))
    results["particles"] = layer

    ramp = np.linspace(0.02, 0.08, 48 * 32 * 3).reshape(32, 48, 3).astype(np.float32)
    results["quantise"] = quantise(ramp, np.empty((32, 48, 4), np.uint8))
    results["background"] = background_layer(48, 32, (0.05, 0.07, 0.13), (0.03, 0.04, 0.07), 0.35)
    return results


def test_kernels_match_pure_python(tmp_path: Path):
    saved = tmp_path / "nojit.npz"
    script = (
        "import sys, numpy as np; sys.path.insert(0, sys.argv[1]);"
        "from insideweights.renderer import bloom;"
        "assert not hasattr(bloom._composite, 'signatures'), 'JIT is still on';"
        "import test_effects_nojit as t; np.savez(sys.argv[2], **t.run_effects())"
    )
    env = {**os.environ, "NUMBA_DISABLE_JIT": "1"}
    root = Path(__file__).resolve().parents[1]
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    subprocess.run(
        [sys.executable, "-c", script, str(Path(__file__).parent), str(saved)],
        env=env,
        check=True,
        timeout=600,
    )
    plain = np.load(saved)
    compiled = run_effects()
    assert set(plain.files) == set(compiled)
    for name, result in compiled.items():
        difference = np.abs(result.astype(np.int16) - plain[name].astype(np.int16))
        assert difference.max() <= MAX_LEVEL_DIFFERENCE, name
        assert np.mean(difference > 0) <= MAX_DIFFERING_FRACTION, name
        assert result.any(), name  # the effect did something to compare
