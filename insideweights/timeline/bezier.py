"""CSS-style cubic Bezier timing curves, ``cubic-bezier(x1, y1, x2, y2)``.

The curve runs from (0, 0) to (1, 1) with control points (x1, y1) and (x2, y2).
Progress is an x value; the eased value is the y of the curve point with that x.
With x1 and x2 in [0, 1] the x coordinate never decreases along the curve, so the
point is unique: Newton's method finds it fast, and bisection takes over whenever
Newton stalls on a flat spot or steps outside the curve.
"""

from __future__ import annotations

import math

from insideweights.timeline.clock import TimelineError

__all__ = ["CubicBezier", "cubic_bezier"]

_TOLERANCE = 1e-12
_NEWTON_STEPS = 8
_BISECTION_STEPS = 64  # halves [0, 1] below 1e-19, far under float resolution


class CubicBezier:
    """A callable ``float -> float`` easing curve; a class so that it pickles."""

    __slots__ = ("x1", "y1", "x2", "y2", "_x_coeffs", "_y_coeffs", "_bounded", "__name__")

    def __init__(self, x1: float, y1: float, x2: float, y2: float) -> None:
        for label, value in (("x1", x1), ("y1", y1), ("x2", x2), ("y2", y2)):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TimelineError(f"cubic_bezier {label} must be a number, got {value!r}")
            if not math.isfinite(value):
                raise TimelineError(f"cubic_bezier {label} must be finite, got {value!r}")
        for label, value in (("x1", x1), ("x2", x2)):
            if not 0.0 <= value <= 1.0:
                raise TimelineError(
                    f"cubic_bezier {label} must lie in [0, 1] so time runs forward, got {value!r}"
                )
        self.x1, self.y1, self.x2, self.y2 = float(x1), float(y1), float(x2), float(y2)
        self._x_coeffs = _power_basis(self.x1, self.x2)
        self._y_coeffs = _power_basis(self.y1, self.y2)
        # With y1, y2 in [0, 1] the curve lies in [0, 1] (convex hull), so clamping
        # only removes rounding that would poke an ulp past the ends.
        self._bounded = 0.0 <= self.y1 <= 1.0 and 0.0 <= self.y2 <= 1.0
        self.__name__ = f"cubic_bezier({x1:g}, {y1:g}, {x2:g}, {y2:g})"

    def __call__(self, progress: float) -> float:
        if progress <= 0.0:
            return 0.0
        if progress >= 1.0:
            return 1.0
        eased = _evaluate(self._y_coeffs, self._parameter_at(progress))
        return min(1.0, max(0.0, eased)) if self._bounded else eased

    def __repr__(self) -> str:
        return self.__name__

    def __reduce__(self):
        return (CubicBezier, (self.x1, self.y1, self.x2, self.y2))

    def _parameter_at(self, x: float) -> float:
        """The curve parameter s in [0, 1] whose x coordinate is ``x``."""
        s = x
        for _ in range(_NEWTON_STEPS):
            error = _evaluate(self._x_coeffs, s) - x
            if abs(error) < _TOLERANCE:
                return s
            slope = _slope(self._x_coeffs, s)
            if slope < 1e-9:
                break
            s -= error / slope
            if not 0.0 <= s <= 1.0:
                break
        return self._bisect(x)

    def _bisect(self, x: float) -> float:
        low, high = 0.0, 1.0
        for _ in range(_BISECTION_STEPS):
            middle = (low + high) / 2.0
            error = _evaluate(self._x_coeffs, middle) - x
            if abs(error) < _TOLERANCE:
                return middle
            if error < 0.0:
                low = middle
            else:
                high = middle
        return (low + high) / 2.0


def _power_basis(p1: float, p2: float) -> tuple[float, float, float]:
    """Coefficients (a, b, c) of a s^3 + b s^2 + c s for a Bezier with ends 0 and 1."""
    c = 3.0 * p1
    b = 3.0 * (p2 - p1) - c
    a = 1.0 - c - b
    return a, b, c


def _evaluate(coeffs: tuple[float, float, float], s: float) -> float:
    a, b, c = coeffs
    return ((a * s + b) * s + c) * s


def _slope(coeffs: tuple[float, float, float], s: float) -> float:
    a, b, c = coeffs
    return (3.0 * a * s + 2.0 * b) * s + c


def cubic_bezier(x1: float, y1: float, x2: float, y2: float) -> CubicBezier:
    """The CSS timing function ``cubic-bezier(x1, y1, x2, y2)``; x1, x2 must be in [0, 1]."""
    return CubicBezier(x1, y1, x2, y2)
