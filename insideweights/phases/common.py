"""Helpers every phase shares: seeded randomness and time conversion."""

from __future__ import annotations

import zlib
from fractions import Fraction

import numpy as np

REEL_SEED = 20261204


def phase_rng(phase: int, purpose: str) -> np.random.Generator:
    """A generator seeded by (reel seed, phase, purpose), independent of frame order.

    Use it at build time (module level or cached builders), never per frame
    with state carried between frames.
    """
    purpose_key = zlib.crc32(purpose.encode("utf-8"))
    return np.random.default_rng([REEL_SEED, phase, purpose_key])


def as_float(seconds: Fraction | float) -> float:
    return float(seconds)
