"""Phase 7 · Conclusion: thousands of small students spread to every device.

The 7B student stands in the centre; a ring of device icons (phones, laptops,
servers, edge boxes) pops in around it. Thousands of cyan sparks (each one a
small distilled model) burst from the student, curve out and land on the
devices' screens, which light up as they fill. The student then gives way to
the distillation loss, written on in the centre with a glowing orange outline;
it is complete and fully opaque for the last 1.2 s and the sparks keep
twinkling, so even the final hold is never a still frame.

Particle motion is a closed-form function of time built from per-particle data
drawn once (``phase_rng``), so any frame rebuilds alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import cache

import numpy as np

from insideweights import theme
from insideweights.display import Camera, Equation, Group, Particles, Scene, Text
from insideweights.phases import model_figures
from insideweights.phases.common import phase_rng
from insideweights.phases.p5_soft_targets import LOSS_EQUATION
from insideweights.phases.widgets import transformer_stack
from insideweights.phases.widgets.devices import device, device_slots
from insideweights.timeline import Timeline, delay, out_back, parallel, smooth, tween
from insideweights.timeline.color import mix_oklab

NAME = "Conclusion"
SECONDS = 5
PHASE = 7

# The reel ends on exactly the loss phase 5 taught: one source, imported, never retyped.
FINAL_EQUATION = LOSS_EQUATION

# -- layout (design units) -------------------------------------------------------------------

CENTRE = (960.0, 545.0)
RING_RADII = (790.0, 365.0)  # the ellipse the devices sit on
DEVICE_PATTERN = ("phone", "laptop", "server", "phone", "edge", "laptop", "phone", "server",
                  "edge", "laptop")  # fmt: skip
DEVICE_COUNT = 20
DEVICE_SIZES = {"phone": 112.0, "laptop": 132.0, "server": 120.0, "edge": 118.0}
STUDENT_BOX = (885.0, 420.0, 150.0, 250.0)
EQUATION_HEIGHT = 92.0
CLOSING_LINE = "The capability lives in the weights, and it can be distilled."
CLOSING_BASELINE = 680.0

# -- particles -------------------------------------------------------------------------------

PARTICLES_PER_DEVICE = 120
PARTICLE_RADIUS = 2.6
LAUNCH_FIRST, LAUNCH_SPREAD = 0.3, 1.6  # seconds: first launch, spread of launch times
FLIGHT_MIN, FLIGHT_SPREAD = 0.85, 0.45  # seconds in flight
TRAIL_LAG = 0.07  # the trail's lag behind its spark, in flight progress
LANDING_FLASH = 0.22  # seconds for a landing flash to fade to its twinkle

# -- timeline --------------------------------------------------------------------------------

DEVICE_LAG = 0.04  # seconds between device entrances, going round the ring


def _at(seconds: float, anim):
    """``anim`` starting at ``seconds`` (exact: timeline times are Fractions)."""
    return delay(Fraction(seconds).limit_denominator(1000), anim)


TL = Timeline(
    parallel(
        *(
            _at(DEVICE_LAG * index, tween(f"device{index}", 0.5, ease=out_back))
            for index in range(DEVICE_COUNT)
        ),
        _at(2.0, tween("student_out", 0.8, ease=smooth)),
        _at(2.4, tween("equation_fade", 0.5, ease=smooth)),
        _at(2.5, tween("equation", 1.3, ease=smooth)),
        _at(3.3, tween("outline", 0.6, ease=smooth)),
        _at(3.6, tween("closing", 0.6, ease=smooth)),
    )
)


# -- devices ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Spot:
    """One device on the ring."""

    kind: str
    x: float
    y: float
    size: float


@cache
def ring() -> tuple[Spot, ...]:
    """Devices at equal arc length round the ellipse, starting at the top, clockwise."""
    rx, ry = RING_RADII
    angles = np.linspace(-math.pi / 2, 3 * math.pi / 2, 4001)
    xs, ys = CENTRE[0] + rx * np.cos(angles), CENTRE[1] + ry * np.sin(angles)
    arc = np.concatenate([[0.0], np.cumsum(np.hypot(np.diff(xs), np.diff(ys)))])
    wanted = np.arange(DEVICE_COUNT) * arc[-1] / DEVICE_COUNT
    spots = []
    for index, length in enumerate(wanted):
        at = int(np.searchsorted(arc, length))
        kind = DEVICE_PATTERN[index % len(DEVICE_PATTERN)]
        spots.append(Spot(kind, float(xs[at]), float(ys[at]), DEVICE_SIZES[kind]))
    return tuple(spots)


def _grid_in(boxes, count: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` points on tidy grids inside ``boxes``, shared out by area."""
    areas = np.array([w * h for _, _, w, h in boxes])
    shares = np.floor(count * areas / areas.sum()).astype(int)
    shares[0] += count - shares.sum()
    points = []
    for (x, y, w, h), share in zip(boxes, shares, strict=True):
        inset = PARTICLE_RADIUS * 1.6
        w, h = w - 2 * inset, h - 2 * inset
        cols = max(1, round(math.sqrt(share * w / h)))
        rows = math.ceil(share / cols)
        cells = [(c, r) for r in range(rows) for c in range(cols)]
        chosen = rng.permutation(len(cells))[:share]
        for index in sorted(chosen):
            c, r = cells[index]
            points.append((x + inset + (c + 0.5) * w / cols, y + inset + (r + 0.5) * h / rows))
    return np.array(points)


@dataclass(frozen=True, slots=True, eq=False)
class Sparks:
    """Per-particle data, drawn once: where each spark starts, bends, lands and when."""

    device: np.ndarray  # (N,) index into ring()
    start: np.ndarray  # (N, 2)
    bend: np.ndarray  # (N, 2) the quadratic Bezier's control point
    target: np.ndarray  # (N, 2)
    launch: np.ndarray  # (N,) seconds
    flight: np.ndarray  # (N,) seconds
    twinkle_rate: np.ndarray  # (N,) radians per second
    twinkle_phase: np.ndarray  # (N,)

    @property
    def count(self) -> int:
        return len(self.launch)


@cache
def sparks() -> Sparks:
    rng = phase_rng(PHASE, "sparks")
    spots = ring()
    targets, devices = [], []
    for index, spot in enumerate(spots):
        boxes = device_slots(spot.kind, spot.x, spot.y, spot.size)
        targets.append(_grid_in(boxes, PARTICLES_PER_DEVICE, rng))
        devices.append(np.full(PARTICLES_PER_DEVICE, index))
    target = np.concatenate(targets)
    count = len(target)
    sx, sy, sw, sh = STUDENT_BOX
    start = np.column_stack(
        [sx + sw * rng.uniform(0.2, 0.8, count), sy + sh * rng.uniform(0.15, 0.85, count)]
    )
    middle = (start + target) / 2
    offset = target - start
    normal = np.column_stack([-offset[:, 1], offset[:, 0]])
    bend = middle + normal * rng.uniform(-0.28, 0.28, count)[:, None]
    launch = LAUNCH_FIRST + LAUNCH_SPREAD * rng.random(count) ** 1.3
    return Sparks(
        device=np.concatenate(devices),
        start=start,
        bend=bend,
        target=target,
        launch=launch,
        flight=FLIGHT_MIN + FLIGHT_SPREAD * rng.random(count),
        twinkle_rate=rng.uniform(2.0, 5.0, count),
        twinkle_phase=rng.uniform(0.0, 2 * math.pi, count),
    )


def _quintic(progress: np.ndarray) -> np.ndarray:
    """Smootherstep, vectorised: zero speed at take-off and at landing."""
    return progress**3 * (progress * (progress * 6.0 - 15.0) + 10.0)


def _along(data: Sparks, progress: np.ndarray) -> np.ndarray:
    eased = _quintic(progress)[:, None]
    rest = 1.0 - eased
    return rest * rest * data.start + 2 * rest * eased * data.bend + eased * eased * data.target


def _spark_items(seconds: float) -> tuple[Particles, Particles]:
    """The sparks and their trails at ``seconds``."""
    data = sparks()
    progress = np.clip((seconds - data.launch) / data.flight, 0.0, 1.0)
    flying = (progress > 0.0) & (progress < 1.0)
    landed_for = seconds - (data.launch + data.flight)
    twinkle = 0.62 + 0.25 * np.sin(data.twinkle_rate * seconds + data.twinkle_phase)
    flash = np.exp(-np.clip(landed_for, 0.0, None) / LANDING_FLASH)
    intensity = np.where(progress >= 1.0, np.minimum(1.0, twinkle + 0.5 * flash), 0.0)
    intensity = np.where(flying, 1.0, intensity)
    xy = _along(data, progress)
    trail_xy = _along(data, np.clip(progress - TRAIL_LAG, 0.0, 1.0))
    trail = np.where(flying, 0.4 * np.sin(np.pi * progress), 0.0)
    return (
        Particles(trail_xy, PARTICLE_RADIUS * 0.9, theme.CYAN, trail),
        Particles(xy, PARTICLE_RADIUS, theme.CYAN, intensity),
    )


def _landed_share(seconds: float) -> np.ndarray:
    """(devices,) fraction of each device's sparks that have landed."""
    data = sparks()
    landed = (seconds >= data.launch + data.flight).astype(np.float64)
    return np.bincount(data.device, weights=landed, minlength=DEVICE_COUNT) / (
        PARTICLES_PER_DEVICE
    )


def _devices(values, seconds: float) -> Group:
    lit = _landed_share(seconds)
    items = []
    settled = True
    for index, spot in enumerate(ring()):
        shown = values[f"device{index}"]
        settled = settled and shown == 1.0 and lit[index] == 1.0
        if shown <= 0.0:
            continue
        items.append(
            device(
                spot.kind,
                spot.x,
                spot.y,
                spot.size,
                lit=float(lit[index]),
                opacity=min(1.0, max(0.0, shown)),
                scale=0.7 + 0.3 * shown,
            )
        )
    # Once every device has popped in and filled up, the ring no longer changes.
    return Group(items=tuple(items), cache_key="p7-devices-lit" if settled else None)


# -- centre: the student, then the equation --------------------------------------------------


def _student(values, seconds: float) -> Group:
    # Already there at the start: the wipe from phase 6 brings it in.
    shown = 1.0 - values["student_out"]
    if shown <= 0.0:
        return Group(items=())
    data = sparks()
    leaving = float(np.mean((seconds >= data.launch) & (seconds < data.launch + 0.35)))
    colour = mix_oklab(theme.BLUE, theme.CYAN, min(1.0, 0.35 + 4.0 * leaving))
    x, y, w, h = STUDENT_BOX
    stack = transformer_stack(
        x, y, w, h, 4, heads=2, colour=colour, glow=theme.GLOW * min(1.0, 0.3 + 6.0 * leaving)
    )
    name = Text(
        model_figures.format_parameters(model_figures.STUDENT_PARAMETERS),
        x + w / 2,
        y - 48.0,
        theme.TEXT_LABEL,
        theme.ORANGE,
        role="mono-medium",
        align="center",
        glow=theme.GLOW_SOFT,
    )
    shrink = 1.0 - 0.25 * values["student_out"]
    return Group(
        items=(stack, name),
        opacity=shown,
        scale=shrink,
        origin=(x + w / 2, y + h / 2),
    )


def _equation(values) -> Equation:
    return Equation(
        source=FINAL_EQUATION,
        x=CENTRE[0],
        y=CENTRE[1],
        height=EQUATION_HEIGHT,
        color=theme.TEXT,
        align="center",
        reveal=values["equation"],
        opacity=values["equation_fade"],
        outline=theme.ORANGE.with_alpha(values["outline"]),
        outline_glow=theme.GLOW,
    )


def _closing(values) -> Text:
    return Text(
        CLOSING_LINE,
        CENTRE[0],
        CLOSING_BASELINE,
        theme.TEXT_LABEL,
        theme.TEXT_DIM,
        align="center",
        opacity=values["closing"],
    )


# -- scene -----------------------------------------------------------------------------------


def camera(seconds: float) -> Camera:
    """A slow pull-back at constant speed that ends at the widest view on the last frame."""
    return Camera(zoom=1.0 + 0.0065 * (SECONDS + 0.25 - seconds))


def scene(seconds: Fraction) -> Scene:
    values = TL.sample(seconds)
    at = float(seconds)
    return Scene(
        items=(
            _devices(values, at),
            _student(values, at),
            _equation(values),
            _closing(values),
            *_spark_items(at),
        ),
        camera=camera(at),
    )
