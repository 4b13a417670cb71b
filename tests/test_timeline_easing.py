"""Easing catalogue: exact ends, clamping, continuity, monotonicity, CSS Bezier accuracy."""

import math
import pickle

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from insideweights import timeline as tl
from insideweights.timeline import EASINGS, PULSES, TimelineError, chain, cubic_bezier, reverse

NAMES = sorted(EASINGS)
OVERSHOOTING = {"back", "elastic", "bounce"}
MONOTONE = [name for name in NAMES if not any(name.endswith(f) for f in OVERSHOOTING)]
FAMILIES = ["sine", "quad", "cubic", "quart", "quint", "expo", "circ", "back", "elastic", "bounce"]

unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
outside = st.floats(min_value=1e-12, max_value=1e9, allow_nan=False)
curve_names = st.sampled_from(NAMES)


def test_catalogue_holds_every_family_and_basic_curve():
    for family in FAMILIES:
        for flavour in ("in", "out", "in_out"):
            assert f"{flavour}_{family}" in EASINGS
    for name in ("linear", "smooth", "smoothstep", "smootherstep", "rush_into", "rush_from"):
        assert name in EASINGS
    assert "there_and_back" not in EASINGS  # it ends at 0: a pulse, not an easing
    assert tl.in_out_cubic is EASINGS["in_out_cubic"]


@pytest.mark.parametrize("name", NAMES)
def test_exact_ends(name):
    ease = EASINGS[name]
    assert ease(0.0) == 0.0 and type(ease(0.0)) is float
    assert ease(1.0) == 1.0 and type(ease(1.0)) is float


@given(curve_names, outside)
def test_inputs_outside_unit_interval_clamp(name, beyond):
    ease = EASINGS[name]
    assert ease(-beyond) == 0.0
    assert ease(1.0 + beyond) == 1.0


@pytest.mark.parametrize("name", NAMES)
def test_no_jump_at_the_ends(name):
    # Catches textbook shortcuts such as expo starting at 2^-10 instead of 0.
    ease = EASINGS[name]
    # circ has a vertical tangent at one end (sqrt-like), hence 1e-4 and not 1e-6.
    assert abs(ease(1e-9)) < 1e-4
    assert abs(ease(1.0 - 1e-9) - 1.0) < 1e-4


@given(curve_names, unit)
def test_continuity(name, progress):
    ease = EASINGS[name]
    step = 1e-7
    after = min(1.0, progress + step)
    # A slope bound plus a square-root term for circ's vertical tangents.
    assert abs(ease(after) - ease(progress)) <= 60.0 * step + 2.0 * math.sqrt(step)


@given(st.sampled_from(MONOTONE), unit, unit)
def test_monotone_families_never_go_back(name, a, b):
    low, high = min(a, b), max(a, b)
    ease = EASINGS[name]
    assert ease(low) <= ease(high) + 1e-12


@given(curve_names, unit)
def test_monotone_curves_stay_inside_unit_interval(name, progress):
    if name in MONOTONE:
        assert 0.0 <= EASINGS[name](progress) <= 1.0


@pytest.mark.parametrize("name", MONOTONE)
def test_monotone_curves_hold_their_range_next_to_the_ends(name):
    # Rounding once gave smootherstep(1 - ulp) = 1 + 6 ulp, above its own end value.
    ease = EASINGS[name]
    first, last = math.nextafter(0.0, 1.0), math.nextafter(1.0, 0.0)
    assert 0.0 <= ease(first) <= ease(0.5) <= ease(last) <= 1.0


@pytest.mark.parametrize("family", FAMILIES)
def test_out_mirrors_in_and_in_out_is_point_symmetric(family):
    ease_in, ease_out = EASINGS[f"in_{family}"], EASINGS[f"out_{family}"]
    in_out = EASINGS[f"in_out_{family}"]
    for progress in np.linspace(0.0, 1.0, 101):
        assert ease_out(progress) == pytest.approx(1.0 - ease_in(1.0 - progress), abs=1e-12)
        assert in_out(progress) + in_out(1.0 - progress) == pytest.approx(1.0, abs=1e-12)
    assert in_out(0.5) == pytest.approx(0.5, abs=1e-15)


def test_overshooting_families_do_overshoot():
    samples = np.linspace(0.0, 1.0, 2001)
    assert min(tl.in_back(p) for p in samples) < -0.05
    assert max(tl.out_back(p) for p in samples) > 1.05
    assert max(tl.out_elastic(p) for p in samples) > 1.1
    bounce = [tl.out_bounce(p) for p in samples]
    assert any(b > a + 1e-9 for a, b in zip(bounce[1:], bounce, strict=False))  # it falls back


def test_smooth_is_symmetric_s_curve_with_slow_ends():
    assert tl.smooth(0.5) == 0.5
    assert tl.smooth(0.1) < 0.02 and tl.smooth(0.9) > 0.98
    assert tl.smooth(0.3) + tl.smooth(0.7) == pytest.approx(1.0)


def test_smoothstep_and_smootherstep_formulas():
    assert tl.smoothstep(0.25) == pytest.approx(3 * 0.25**2 - 2 * 0.25**3)
    assert tl.smootherstep(0.25) == pytest.approx(6 * 0.25**5 - 15 * 0.25**4 + 10 * 0.25**3)


def test_rush_into_and_rush_from_are_halves_of_smooth():
    assert tl.rush_into(0.5) == pytest.approx(2 * tl.smooth(0.25))
    assert tl.rush_from(0.5) == pytest.approx(2 * tl.smooth(0.75) - 1)
    assert tl.rush_into(0.5) < 0.5 < tl.rush_from(0.5)


def test_there_and_back_is_a_pulse():
    there_and_back = PULSES["there_and_back"]
    assert there_and_back(0.0) == 0.0 and there_and_back(1.0) == 0.0
    assert there_and_back(0.5) == 1.0
    assert there_and_back(0.25) == pytest.approx(there_and_back(0.75))


# -- cubic Bezier ----------------------------------------------------------------------------


def _bezier_reference(x1, y1, x2, y2, progress):
    """An independent answer: plain vectorised bisection on the curve parameter."""
    low, high = np.zeros_like(progress), np.ones_like(progress)
    for _ in range(80):
        s = (low + high) / 2
        x = 3 * (1 - s) ** 2 * s * x1 + 3 * (1 - s) * s**2 * x2 + s**3
        low, high = np.where(x < progress, s, low), np.where(x < progress, high, s)
    s = (low + high) / 2
    return 3 * (1 - s) ** 2 * s * y1 + 3 * (1 - s) * s**2 * y2 + s**3


@pytest.mark.parametrize(
    ("ease", "controls", "tolerance"),
    [
        (tl.css_ease, (0.25, 0.1, 0.25, 1.0), 1e-9),
        (tl.css_ease_in, (0.42, 0.0, 1.0, 1.0), 1e-9),
        (tl.css_ease_out, (0.0, 0.0, 0.58, 1.0), 1e-9),
        (tl.css_ease_in_out, (0.42, 0.0, 0.58, 1.0), 1e-9),
        (cubic_bezier(0.68, -0.55, 0.265, 1.55), (0.68, -0.55, 0.265, 1.55), 1e-9),
        # x'(s) = 3(1 - 2s)^2 vanishes at s = 1/2: there y(x) has a vertical tangent and any
        # solver (the reference too) can only pin s to about (float eps)^(1/3).
        (cubic_bezier(1.0, 0.0, 0.0, 1.0), (1.0, 0.0, 0.0, 1.0), 1e-4),
    ],
)
def test_cubic_bezier_matches_css_curves(ease, controls, tolerance):
    points = np.linspace(0.0, 1.0, 41)
    expected = _bezier_reference(*controls, points)
    got = np.array([ease(p) for p in points])
    assert np.max(np.abs(got - expected)) < tolerance


def test_css_ease_known_value():
    assert tl.css_ease(0.5) == pytest.approx(0.8024033877, abs=1e-8)


def test_diagonal_bezier_is_linear():
    ease = cubic_bezier(1 / 3, 1 / 3, 2 / 3, 2 / 3)
    for progress in np.linspace(0.0, 1.0, 17):
        assert ease(progress) == pytest.approx(progress, abs=1e-12)


@given(
    st.floats(0.0, 1.0),
    st.floats(-2.0, 3.0),
    st.floats(0.0, 1.0),
    st.floats(-2.0, 3.0),
    unit,
)
def test_bezier_solver_lands_on_the_requested_x(x1, y1, x2, y2, progress):
    ease = cubic_bezier(x1, y1, x2, y2)
    s = ease._parameter_at(progress) if 0.0 < progress < 1.0 else progress
    x = 3 * (1 - s) ** 2 * s * x1 + 3 * (1 - s) * s**2 * x2 + s**3
    assert 0.0 <= s <= 1.0
    assert abs(x - progress) < 1e-11
    assert ease(0.0) == 0.0 and ease(1.0) == 1.0


@pytest.mark.parametrize(
    ("controls", "label"),
    [
        ((-0.1, 0.0, 0.5, 1.0), "x1"),
        ((0.2, 0.0, 1.5, 1.0), "x2"),
        ((0.2, math.nan, 0.5, 1.0), "y1"),
        ((0.2, 0.0, 0.5, math.inf), "y2"),
    ],
)
def test_bad_bezier_controls_are_named(controls, label):
    with pytest.raises(TimelineError, match=f"cubic_bezier {label} must"):
        cubic_bezier(*controls)


# -- combinators -----------------------------------------------------------------------------


@given(unit)
def test_reverse_turns_in_into_out(progress):
    assert reverse(tl.in_quad)(progress) == pytest.approx(tl.out_quad(progress), abs=1e-12)
    assert reverse(reverse(tl.in_cubic))(progress) == pytest.approx(tl.in_cubic(progress))


@given(st.lists(curve_names, min_size=1, max_size=4), unit)
def test_combinators_keep_exact_ends_and_continuity(names, progress):
    combined = chain(*(EASINGS[name] for name in names))
    for ease in (combined, reverse(combined)):
        assert ease(0.0) == 0.0 and ease(1.0) == 1.0
        step = 1e-8
        after = min(1.0, progress + step)
        bound = len(names) * (60.0 * step + 2.0 * math.sqrt(step))
        assert abs(ease(after) - ease(progress)) <= bound


def test_chain_splits_time_and_value_evenly():
    ease = chain(tl.in_quad, tl.out_quad)
    assert ease(0.5) == 0.5
    assert ease(0.25) == pytest.approx(tl.in_quad(0.5) / 2)
    assert ease(0.75) == pytest.approx(0.5 + tl.out_quad(0.5) / 2)
    assert chain(tl.linear, tl.linear)(0.3) == pytest.approx(0.3)


def test_combinators_reject_non_curves():
    with pytest.raises(TimelineError):
        chain()
    with pytest.raises(TimelineError):
        reverse(0.5)


@pytest.mark.parametrize("name", NAMES)
def test_curves_pickle_for_worker_processes(name):
    ease = EASINGS[name]
    restored = pickle.loads(pickle.dumps(ease))
    assert restored(0.37) == ease(0.37)


def test_combinators_pickle():
    ease = chain(reverse(tl.in_back), cubic_bezier(0.1, 0.7, 0.2, 1.0))
    restored = pickle.loads(pickle.dumps(ease))
    assert restored(0.61) == ease(0.61)
