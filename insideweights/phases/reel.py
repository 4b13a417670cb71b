"""The reel definition: the seven phases in order, their lengths and the wipe length."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from insideweights.display import Scene
from insideweights.phases import (
    p1_intelligence,
    p2_open_closed,
    p3_value,
    p4_distillation,
    p5_soft_targets,
    p6_compression,
    p7_conclusion,
)
from insideweights.timeline import ReelTiming

TRANSITION_SECONDS = Fraction(1, 2)


@dataclass(frozen=True, slots=True)
class PhaseSpec:
    number: int
    name: str
    seconds: Fraction
    scene: Callable[[Fraction], Scene]

    @property
    def label(self) -> str:
        """The footer's step label, e.g. "1 · Where Intelligence Lives"."""
        return f"{self.number} \u00b7 {self.name}"


PHASES: tuple[PhaseSpec, ...] = tuple(
    PhaseSpec(number, module.NAME, Fraction(module.SECONDS), module.scene)
    for number, module in enumerate(
        (
            p1_intelligence,
            p2_open_closed,
            p3_value,
            p4_distillation,
            p5_soft_targets,
            p6_compression,
            p7_conclusion,
        ),
        start=1,
    )
)


def reel_timing(fps: Fraction) -> ReelTiming:
    """Start and end frames of every phase, and the wipes, at ``fps``."""
    return ReelTiming([(p.name, p.seconds) for p in PHASES], TRANSITION_SECONDS, fps)
