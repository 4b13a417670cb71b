"""Phase 5 numbers: everything recomputed from the strings the display list shows.

The tests read the screen, not the module's tables: they find the displayed texts
by where they are drawn, parse them, and redo the arithmetic a viewer could do.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

import pytest

from insideweights.display import Equation, Group, Rect, Text, visible_texts
from insideweights.phases import p5_soft_targets as p5
from insideweights.renderer.equations import compile_equation

STORYBOARD = {"Transformer": 82, "RNN": 10, "CNN": 5, "Other": 3}


def at(timeline_seconds) -> Fraction:
    """Phase-local seconds of a moment given on the phase's timeline clock."""
    return Fraction(timeline_seconds) - p5.LEAD


SOFTMAX_DONE = at(Fraction(87, 10))  # the table is complete and stage B has not begun
KNOB_TIMES = [at(Fraction(n, 10)) for n in range(118, 136, 2)]
LEARNING_TIMES = [at(Fraction(n, 10)) for n in range(156, 202, 3)]


def placed(items, dx=0.0, dy=0.0, scale=1.0, opacity=1.0):
    """Yield (item, x, y, opacity) for every leaf with its group transforms applied."""
    for item in items:
        if isinstance(item, Group):
            assert item.rotate == 0.0
            ox, oy = item.origin
            tx, ty = item.translate
            # child -> parent: translate, then scale about origin
            new_dx = dx + scale * (tx + ox - item.scale * ox)
            new_dy = dy + scale * (ty + oy - item.scale * oy)
            yield from placed(
                item.items, new_dx, new_dy, scale * item.scale, opacity * item.opacity
            )
        else:
            x = getattr(item, "x", None)
            y = getattr(item, "y", None)
            if x is None:
                yield item, None, None, opacity
            else:
                yield item, dx + scale * x, dy + scale * y, opacity


def texts_at(seconds, min_opacity=0.5):
    scene = p5.scene(Fraction(seconds))
    return [
        (item.text, x, y)
        for item, x, y, opacity in placed(scene.items)
        if isinstance(item, Text) and opacity * item.opacity >= min_opacity
    ]


def number(text: str) -> float:
    """Parse a displayed number: real minus sign, optional percent sign."""
    return float(text.replace("\u2212", "-").rstrip("%"))


def column(seconds, right: float) -> list[str]:
    """Texts right-aligned on ``right`` (a table column), top to bottom."""
    found = [(y, text) for text, x, y in texts_at(seconds) if abs(x - right) < 1e-6]
    return [text for _, text in sorted(found)]


def softmax(values, temperature=1.0):
    weights = [math.exp(v / temperature) for v in values]
    total = sum(weights)
    return [w / total for w in weights]


@pytest.fixture(scope="module")
def table():
    z_right, e_right, p_right = p5.NUMBER_RIGHT
    return (
        column(SOFTMAX_DONE, z_right)[:4],
        column(SOFTMAX_DONE, e_right),
        column(SOFTMAX_DONE, p_right),
    )


def test_the_table_shows_the_storyboard_choices_and_percentages():
    shown = visible_texts(p5.scene(SOFTMAX_DONE))
    for choice, percent in STORYBOARD.items():
        assert choice in shown
        assert f"{percent}%" in shown


def test_softmax_of_the_displayed_logits_rounds_to_the_displayed_percentages(table):
    logits, _, percents = table
    assert len(logits) == 4 and all(re.fullmatch(r"\u2212?\d\.\d\d", t) for t in logits)
    recomputed = [round(100 * p) for p in softmax([number(t) for t in logits])]
    assert recomputed == [number(t) for t in percents[:4]]
    assert recomputed == list(STORYBOARD.values())


def test_exp_column_and_sum_are_the_exponentials_of_the_displayed_logits(table):
    logits, exps, percents = table
    weights = [math.exp(number(t)) for t in logits]
    assert [f"{w:.2f}" for w in weights] == exps[:4]
    shown_sum = number(exps[4])
    assert abs(shown_sum - sum(weights)) <= 0.005 + 1e-9
    assert abs(shown_sum - sum(number(t) for t in exps[:4])) <= 1e-9  # adds up on screen
    assert [round(100 * number(e) / shown_sum) for e in exps[:4]] == [
        number(t) for t in percents[:4]
    ]
    assert number(percents[4]) == sum(number(t) for t in percents[:4]) == 100


def test_the_prompt_types_in_and_stays():
    early = [t for t, _, _ in texts_at(at(1))]
    assert p5.PROMPT not in early
    assert any(p5.PROMPT.startswith(t) and 0 < len(t) < len(p5.PROMPT) for t in early)
    for seconds in (Fraction(2), SOFTMAX_DONE, Fraction(14), Fraction(20)):
        assert p5.PROMPT in visible_texts(p5.scene(seconds))


def _soft_values(seconds):
    """Soft-target percentages (one decimal) over the soft bars, left to right."""
    chart = p5.TARGETS
    centres = [chart.soft_x(i) + chart.bar_width / 2 for i in range(4)]
    found = {}
    for text, x, _ in texts_at(seconds):
        for index, centre in enumerate(centres):
            if abs(x - centre) < 1e-6 and re.fullmatch(r"\d+\.\d%", text):
                found[index] = number(text)
    return [found[i] for i in range(4)]


def test_softened_bars_are_the_softmax_of_logits_over_the_shown_temperature(table):
    logits = [number(t) for t in table[0]]
    readouts = set()
    for seconds in KNOB_TIMES:
        (readout,) = [t for t, _, _ in texts_at(seconds) if t.startswith("\u03c4 = ")]
        temperature = number(readout.split("=")[1].strip())
        readouts.add(temperature)
        expected = [round(100 * p, 1) for p in softmax(logits, temperature)]
        assert _soft_values(seconds) == pytest.approx(expected, abs=1e-9), seconds
    assert min(readouts) == 1.0 and max(readouts) == 2.0 and len(readouts) >= 4


def _kl_rows(seconds):
    rows = []
    for row_y in p5.KL_ROWS_Y:
        found = sorted(
            (x, text)
            for text, x, y in texts_at(seconds)
            if abs(y - row_y) < 1e-6 and text.endswith("%")
        )
        rows.append([number(text) / 100 for _, text in found])
    return rows


def test_kl_readout_is_the_kl_of_the_displayed_distributions_and_falls():
    readings = []
    for seconds in LEARNING_TIMES:
        teacher, student = _kl_rows(seconds)
        assert len(teacher) == len(student) == 4
        (readout,) = [t for t, _, _ in texts_at(seconds) if re.fullmatch(r"\d\.\d{3}", t)]
        kl = sum(t * math.log(t / s) for t, s in zip(teacher, student, strict=True))
        assert f"{kl:.3f}" == readout, seconds
        readings.append(float(readout))
    assert readings == sorted(readings, reverse=True)
    assert readings[0] > 0.2 and readings[-1] < 0.01


def test_kl_bars_have_the_heights_of_the_displayed_numbers():
    seconds = at(Fraction(176, 10))
    teacher, student = _kl_rows(seconds)
    scene = p5.scene(seconds)
    chart = p5.KL_CHART
    filled, dashed = {}, {}
    for item, x, _, opacity in placed(scene.items):
        if not isinstance(item, Rect) or opacity < 0.5 or item.w != chart.bar_width:
            continue
        index = round((x - chart.x) / chart.pitch)
        target = dashed if item.style.dash else filled
        target[index] = item.h / chart.height
    assert [filled[i] for i in range(4)] == pytest.approx(student, abs=1e-9)
    assert [dashed[i] for i in range(4)] == pytest.approx(teacher, abs=1e-9)


def test_every_equation_on_screen_is_one_of_the_module_constants_and_compiles():
    shown = set()
    for tenth in range(-2, 202, 4):
        scene = p5.scene(Fraction(tenth, 10))
        for item, *_ in placed(scene.items):
            if isinstance(item, Equation):
                shown.add(item.source)
    assert shown == set(p5.EQUATIONS)
    for source in p5.EQUATIONS:
        assert compile_equation(source).width > 0


def test_the_loss_arrives_with_a_glowing_outline_and_ends_fully_written():
    def loss_at(seconds):
        scene = p5.scene(Fraction(seconds))
        (loss,) = [
            i
            for i, *_ in placed(scene.items)
            if isinstance(i, Equation) and i.source == p5.LOSS_EQUATION
        ]
        return loss

    arriving = loss_at(at(Fraction(155, 10)))
    assert 0.0 < arriving.reveal < 1.0 or arriving.outline_glow > 0.0
    assert arriving.outline is not None
    peak = max(loss_at(at(Fraction(n, 10))).outline_glow for n in range(150, 170))
    assert peak >= 1.0
    final = loss_at(Fraction(20))
    assert final.reveal == 1.0 and final.opacity == 1.0


def test_every_animation_ends_inside_the_phase_and_the_end_state_holds():
    assert p5.SECONDS == 20
    assert p5.TL.duration <= p5.SECONDS
    end = sorted(t for t, _, _ in texts_at(Fraction(20)))
    after = sorted(t for t, _, _ in texts_at(Fraction(81, 4)))
    assert end == after
