"""Phase 7: thousands of sparks, every device kind, and the final equation on the last frame."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from insideweights.compose import FrameProducer
from insideweights.display import Equation, Group, Particles, walk
from insideweights.phases import p7_conclusion
from insideweights.phases.reel import PHASES
from insideweights.phases.widgets.devices import KINDS

LAST_FRAME = 5999  # 100 s at 60 fps


def _visible_particles(seconds: float) -> int:
    scene = p7_conclusion.scene(Fraction(seconds).limit_denominator(1000))
    count = 0
    for item in walk(scene.items):
        if isinstance(item, Particles):
            intensity = np.broadcast_to(np.asarray(item.intensity), (len(item.xy),))
            count = max(count, int(np.count_nonzero(intensity > 0.05)))
    return count


def test_at_least_two_thousand_small_models_spread_out():
    assert _visible_particles(3.5) >= 2000
    assert _visible_particles(4.9) >= 2000


def test_sparks_land_inside_the_design_box():
    data = p7_conclusion.sparks()
    assert data.count >= 2000
    assert np.all((data.target >= 60.0) & (data.target <= (1860.0, 1020.0)))


def test_every_device_kind_is_on_the_ring():
    assert {spot.kind for spot in p7_conclusion.ring()} == set(KINDS)


def _equations(scene) -> list[tuple[Equation, float]]:
    """Every Equation with the product of the opacities of the groups around it."""
    found = []

    def visit(items, opacity):
        for item in items:
            if isinstance(item, Group):
                visit(item.items, opacity * item.opacity)
            elif isinstance(item, Equation):
                found.append((item, opacity))

    visit(scene.items, 1.0)
    visit(scene.overlay, 1.0)
    return found


def test_the_last_frame_of_the_reel_shows_the_final_equation_complete():
    producer = FrameProducer(Fraction(60), 320, 180)
    assert producer.total_frames == LAST_FRAME + 1
    content = producer.content(LAST_FRAME)
    assert content.incoming is None
    assert content.caption == PHASES[-1].label
    equations = _equations(content.scene)
    assert len(equations) == 1
    equation, group_opacity = equations[0]
    assert equation.source == p7_conclusion.FINAL_EQUATION
    assert equation.reveal == 1.0
    assert equation.opacity * group_opacity * equation.color.a == 1.0


def test_the_equation_is_fully_visible_for_the_whole_last_second():
    producer = FrameProducer(Fraction(60), 320, 180)
    for index in range(LAST_FRAME - 59, LAST_FRAME + 1, 6):
        ((equation, group_opacity),) = _equations(producer.content(index).scene)
        assert equation.reveal == 1.0, index
        assert equation.opacity * group_opacity == 1.0, index


def test_the_equation_is_not_there_at_the_start_of_the_phase():
    ((equation, _),) = _equations(p7_conclusion.scene(Fraction(1)))
    assert equation.opacity == 0.0


def test_the_final_equation_is_the_loss_phase_5_taught():
    from insideweights.phases import p5_soft_targets

    assert p7_conclusion.FINAL_EQUATION is p5_soft_targets.LOSS_EQUATION
