"""Easing curves: pure ``float -> float`` maps from linear progress to eased progress.

Contract for every curve in ``EASINGS``: the input is clamped to [0, 1]; the
output is exactly 0.0 at 0 and exactly 1.0 at 1 and continuous in between.
Overshooting families (back, elastic) may leave [0, 1] between the ends.

Families come in three flavours built from one "in" shape:
``out(t) = 1 - in(1 - t)`` (the mirror image) and ``in_out`` runs ``in`` over the
first half and ``out`` over the second.

``there_and_back`` is deliberately NOT in ``EASINGS``: it returns to 0 at the end
(a pulse, for highlights that swell and fade), so it breaks the 0 -> 1 contract.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import wraps

from insideweights.timeline.bezier import CubicBezier, cubic_bezier
from insideweights.timeline.clock import TimelineError

Ease = Callable[[float], float]

__all__ = [
    "Ease",
    "EASINGS",
    "PULSES",
    "CubicBezier",
    "cubic_bezier",
    "reverse",
    "chain",
    "make_smooth",
    "linear",
    "smooth",
    "smoothstep",
    "smootherstep",
    "rush_into",
    "rush_from",
    "there_and_back",
]


def _clamped(shape: Callable[[float], float]) -> Ease:
    """Wrap a shape so inputs clamp to [0, 1] and the ends come out exactly 0.0 and 1.0.

    The output is clamped into [0, 1] too: rounding can push a curve that never
    leaves [0, 1] in exact arithmetic an ulp past 1 just before the end (then it
    would also dip below its own end value). Overshooting shapes use ``_open``.
    """

    @wraps(shape)
    def ease(progress: float) -> float:
        if progress <= 0.0:
            return 0.0
        if progress >= 1.0:
            return 1.0
        return min(1.0, max(0.0, float(shape(progress))))

    return ease


def _open(shape: Callable[[float], float]) -> Ease:
    """Like ``_clamped`` but lets the output overshoot: for back and elastic curves."""

    @wraps(shape)
    def ease(progress: float) -> float:
        if progress <= 0.0:
            return 0.0
        if progress >= 1.0:
            return 1.0
        return float(shape(progress))

    return ease


# -- basic ---------------------------------------------------------------------------------


@_clamped
def linear(progress: float) -> float:
    """Constant speed."""
    return progress


@_clamped
def smoothstep(progress: float) -> float:
    """Cubic Hermite S-curve 3t^2 - 2t^3: zero speed at both ends."""
    return progress * progress * (3.0 - 2.0 * progress)


@_clamped
def smootherstep(progress: float) -> float:
    """Quintic S-curve 6t^5 - 15t^4 + 10t^3: zero speed and acceleration at both ends."""
    return progress**3 * (progress * (6.0 * progress - 15.0) + 10.0)


def make_smooth(steepness: float = 5.0) -> Ease:
    """A hyperbolic-tangent S-curve rescaled so it passes exactly through (0,0) and (1,1).

    ``steepness`` is the tanh slope around the midpoint; 5 gives the gentle
    start, quick middle and long settle familiar from 3Blue1Brown videos.
    """
    if not (math.isfinite(steepness) and steepness > 0):
        raise TimelineError(f"steepness must be a positive finite number, got {steepness!r}")
    half_span = math.tanh(steepness / 2.0)

    def smooth_shape(progress: float) -> float:
        return 0.5 + 0.5 * math.tanh(steepness * (progress - 0.5)) / half_span

    smooth_shape.__name__ = smooth_shape.__qualname__ = f"smooth_{steepness:g}"
    return _clamped(smooth_shape)


smooth = make_smooth(5.0)
smooth.__name__ = smooth.__qualname__ = "smooth"
smooth.__doc__ = "The default S-curve: slow start, quick middle, long settle (tanh based)."


@_clamped
def rush_into(progress: float) -> float:
    """The first half of ``smooth`` stretched to the full range: eases in, arrives fast."""
    return 2.0 * smooth(progress / 2.0)


@_clamped
def rush_from(progress: float) -> float:
    """The second half of ``smooth`` stretched: leaves fast, settles gently."""
    return 2.0 * smooth(progress / 2.0 + 0.5) - 1.0


def there_and_back(progress: float) -> float:
    """A pulse: 0 -> 1 at the midpoint -> 0, smooth both ways. Ends at 0, not 1."""
    if progress <= 0.0 or progress >= 1.0:
        return 0.0
    return smooth(2.0 * progress) if progress < 0.5 else smooth(2.0 - 2.0 * progress)


# -- "in" shapes of the classic families -------------------------------------------------

_BACK_PULL = 1.70158  # this pull makes in_back dip about 10 % below 0 before it rises
_EXPO_RANGE = 2.0**10 - 1.0
_ELASTIC_TURNS = 3.25  # ends where the cosine crosses zero, so the spring lands at rest
_BOUNCE_RESTITUTION = 0.5  # each bounce keeps half the speed (a quarter of the height)
_BOUNCE_COUNT = 3


def _in_sine(progress: float) -> float:
    return 1.0 - math.cos(progress * math.pi / 2.0)


def _in_quad(progress: float) -> float:
    return progress**2


def _in_cubic(progress: float) -> float:
    return progress**3


def _in_quart(progress: float) -> float:
    return progress**4


def _in_quint(progress: float) -> float:
    return progress**5


def _in_expo(progress: float) -> float:
    # Rescaled so it starts exactly at 0 rather than at 2^-10.
    return (2.0 ** (10.0 * progress) - 1.0) / _EXPO_RANGE


def _in_circ(progress: float) -> float:
    return 1.0 - math.sqrt(max(0.0, 1.0 - progress * progress))


def _in_back(progress: float) -> float:
    return progress * progress * ((_BACK_PULL + 1.0) * progress - _BACK_PULL)


def _out_elastic(progress: float) -> float:
    # A cosine under an exponential envelope that is rescaled to fall from exactly 1
    # to exactly 0, so the spring starts at 0 and settles at 1 with no jump at the ends.
    floor = 2.0**-10
    envelope = (2.0 ** (-10.0 * progress) - floor) / (1.0 - floor)
    return 1.0 - envelope * math.cos(2.0 * math.pi * _ELASTIC_TURNS * progress)


def _in_elastic(progress: float) -> float:
    return 1.0 - _out_elastic(1.0 - progress)


def _bounce_arcs() -> tuple[tuple[float, float, float], ...]:
    """(end time, half width, peak height) of each arc of a ball dropped from height 1.

    The fall takes 1 time unit; a bounce after losing speed by the restitution
    factor r lasts 2 r^k units and peaks at r^(2k). Times are normalised to [0, 1].
    """
    units = [1.0] + [2.0 * _BOUNCE_RESTITUTION**k for k in range(1, _BOUNCE_COUNT + 1)]
    total = sum(units)
    arcs, elapsed = [], 0.0
    for k, width in enumerate(units):
        elapsed += width
        half = (width if k == 0 else width / 2.0) / total
        arcs.append((elapsed / total, half, _BOUNCE_RESTITUTION ** (2 * k)))
    return tuple(arcs)


_BOUNCE = _bounce_arcs()


def _out_bounce(progress: float) -> float:
    for end, half, peak in _BOUNCE:
        if progress <= end or end == _BOUNCE[-1][0]:
            from_apex = (progress - (end - half)) / half
            return 1.0 - peak * (1.0 - from_apex * from_apex)
    return 1.0


def _in_bounce(progress: float) -> float:
    return 1.0 - _out_bounce(1.0 - progress)


def _mirror(shape: Callable[[float], float]) -> Callable[[float], float]:
    def mirrored(progress: float) -> float:
        return 1.0 - shape(1.0 - progress)

    return mirrored


def _halves(first: Callable[[float], float]) -> Callable[[float], float]:
    """``first`` over the first half, its mirror over the second, meeting at (0.5, 0.5)."""

    def in_out(progress: float) -> float:
        if progress < 0.5:
            return first(2.0 * progress) / 2.0
        return 1.0 - first(2.0 - 2.0 * progress) / 2.0

    return in_out


def _family(name: str, in_shape, out_shape=None, overshoots=False) -> dict[str, Ease]:
    out_shape = out_shape or _mirror(in_shape)
    shapes = {"in": in_shape, "out": out_shape, "in_out": _halves(in_shape)}
    eases = {}
    for flavour, shape in shapes.items():
        ease = (_open if overshoots else _clamped)(shape)
        ease.__name__ = ease.__qualname__ = f"{flavour}_{name}"
        ease.__doc__ = f"{flavour.replace('_', '-')} {name} easing."
        eases[ease.__name__] = ease
    return eases


_FAMILIES: dict[str, Ease] = {}
for _name, _in_shape, _out_shape, _overshoots in [
    ("sine", _in_sine, None, False),
    ("quad", _in_quad, None, False),
    ("cubic", _in_cubic, None, False),
    ("quart", _in_quart, None, False),
    ("quint", _in_quint, None, False),
    ("expo", _in_expo, None, False),
    ("circ", _in_circ, None, False),
    ("back", _in_back, None, True),
    ("elastic", _in_elastic, _out_elastic, True),
    ("bounce", _in_bounce, _out_bounce, False),
]:
    _FAMILIES.update(_family(_name, _in_shape, _out_shape, _overshoots))

# Module-level names so callers can write ``easing.in_out_cubic``; pickling finds them here.
in_sine, out_sine, in_out_sine = (_FAMILIES[f"{f}_sine"] for f in ("in", "out", "in_out"))
in_quad, out_quad, in_out_quad = (_FAMILIES[f"{f}_quad"] for f in ("in", "out", "in_out"))
in_cubic, out_cubic, in_out_cubic = (_FAMILIES[f"{f}_cubic"] for f in ("in", "out", "in_out"))
in_quart, out_quart, in_out_quart = (_FAMILIES[f"{f}_quart"] for f in ("in", "out", "in_out"))
in_quint, out_quint, in_out_quint = (_FAMILIES[f"{f}_quint"] for f in ("in", "out", "in_out"))
in_expo, out_expo, in_out_expo = (_FAMILIES[f"{f}_expo"] for f in ("in", "out", "in_out"))
in_circ, out_circ, in_out_circ = (_FAMILIES[f"{f}_circ"] for f in ("in", "out", "in_out"))
in_back, out_back, in_out_back = (_FAMILIES[f"{f}_back"] for f in ("in", "out", "in_out"))
in_elastic, out_elastic, in_out_elastic = (
    _FAMILIES[f"{f}_elastic"] for f in ("in", "out", "in_out")
)
in_bounce, out_bounce, in_out_bounce = (_FAMILIES[f"{f}_bounce"] for f in ("in", "out", "in_out"))
__all__ += list(_FAMILIES)

# The four named CSS timing functions.
css_ease = cubic_bezier(0.25, 0.1, 0.25, 1.0)
css_ease_in = cubic_bezier(0.42, 0.0, 1.0, 1.0)
css_ease_out = cubic_bezier(0.0, 0.0, 0.58, 1.0)
css_ease_in_out = cubic_bezier(0.42, 0.0, 0.58, 1.0)
__all__ += ["css_ease", "css_ease_in", "css_ease_out", "css_ease_in_out"]


# -- combinators -------------------------------------------------------------------------


class reverse:  # noqa: N801 - used like a function: reverse(in_quad)
    """The curve played mirrored in time and value: ``reverse(in_quad)`` is ``out_quad``.

    ``1 - ease(1 - t)`` keeps the 0 -> 1 contract, unlike a plain ``ease(1 - t)``.
    A class rather than a closure so timelines holding it can be pickled.
    """

    def __init__(self, ease: Ease) -> None:
        if not callable(ease):
            raise TimelineError(f"reverse needs an easing function, got {ease!r}")
        self.ease = ease
        self.__name__ = f"reverse({getattr(ease, '__name__', ease)!s})"

    def __call__(self, progress: float) -> float:
        if progress <= 0.0:
            return 0.0
        if progress >= 1.0:
            return 1.0
        return 1.0 - float(self.ease(1.0 - progress))

    def __repr__(self) -> str:
        return self.__name__


class chain:  # noqa: N801 - used like a function: chain(in_quad, out_bounce)
    """Several curves one after another, each over an equal share of time and value.

    With n curves, curve k runs while progress is in [k/n, (k+1)/n) and moves the
    output from k/n to (k+1)/n, so the joints are continuous.
    """

    def __init__(self, *eases: Ease) -> None:
        if not eases or not all(callable(ease) for ease in eases):
            raise TimelineError(f"chain needs one or more easing functions, got {eases!r}")
        self.eases = eases
        names = ", ".join(str(getattr(ease, "__name__", ease)) for ease in eases)
        self.__name__ = f"chain({names})"

    def __call__(self, progress: float) -> float:
        if progress <= 0.0:
            return 0.0
        if progress >= 1.0:
            return 1.0
        count = len(self.eases)
        part = min(int(progress * count), count - 1)
        local = progress * count - part
        return (part + float(self.eases[part](local))) / count

    def __repr__(self) -> str:
        return self.__name__


EASINGS: dict[str, Ease] = {
    "linear": linear,
    "smooth": smooth,
    "smoothstep": smoothstep,
    "smootherstep": smootherstep,
    "rush_into": rush_into,
    "rush_from": rush_from,
    **_FAMILIES,
    "css_ease": css_ease,
    "css_ease_in": css_ease_in,
    "css_ease_out": css_ease_out,
    "css_ease_in_out": css_ease_in_out,
}
"""Every 0 -> 1 curve by name. ``there_and_back`` lives in ``PULSES`` instead."""

PULSES: dict[str, Ease] = {"there_and_back": there_and_back}
"""Curves that start and end at 0 (see the module docstring)."""
