"""Phase 1: labels in turn, the parameter count and its arithmetic, layout, frames."""

from __future__ import annotations

import re
from fractions import Fraction

import numpy as np
import pytest

from insideweights import theme
from insideweights.display import Text, visible_texts, walk
from insideweights.phases import p1_intelligence as p1
from insideweights.phases.widgets import LABELS, MINUS
from insideweights.phases.widgets.inspect import layout_problems

PHASE_INDEX = 0
STILL_TIMES = (-0.25, 0.0, 2.0, 3.75, 5.0, 7.5, 9.0, 11.25, 13.0, 15.0, 15.25)


def scene_at(seconds: float):
    return p1.scene(Fraction(seconds).limit_denominator(1000))


def count_text(scene) -> str | None:
    """The orange counter (the only orange mono-medium text with digit groups)."""
    for item in walk(scene.items):
        if isinstance(item, Text) and item.color == theme.ORANGE and item.role == "mono-medium":
            return item.text
    return None


def test_parameter_count_is_the_sum_of_the_architecture():
    # Llama 2 70B: 80 layers, d=8192, 64 query heads sharing 8 key/value heads,
    # a 28672-wide gated MLP, a 32000-token vocabulary (untied input/output).
    d, kv, ffn, vocab = 8192, 8 * 128, 28672, 32000
    per_layer = 2 * d * d + 2 * d * kv + 3 * d * ffn + 2 * d
    expected = 80 * per_layer + 2 * vocab * d + d
    assert p1.PARAMETERS == expected == 68_976_648_192


def test_counter_ends_on_the_exact_count_and_never_runs_backwards():
    shown = [count_text(scene_at(t / 4)) for t in range(44, 62)]
    numbers = [int(text.replace(",", "")) for text in shown if text is not None]
    assert numbers == sorted(numbers)
    assert numbers[-1] == p1.PARAMETERS
    assert count_text(scene_at(15.0)) == "68,976,648,192"
    assert count_text(scene_at(9.0)) is None


def test_breakdown_rows_add_up_to_the_counter():
    texts = visible_texts(scene_at(15.0))
    rows = [row for row in p1.breakdown_rows()[:-1]]
    assert all(row in texts for row in rows)
    total = 0
    for row in rows:
        terms = [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", row.split("(")[0])]
        total += int(np.prod(terms))
    assert total == p1.PARAMETERS


def test_scientific_notation_agrees_with_the_count():
    text = next(t for t in visible_texts(scene_at(15.0)) if "× 10" in t)
    mantissa, exponent = re.search(r"([\d.]+) × 10([⁰¹²³⁴⁵⁶⁷⁸⁹]+)", text).groups()
    power = int(exponent.translate(str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")))
    assert float(mantissa) * 10**power == pytest.approx(p1.PARAMETERS, rel=0.01)
    assert p1.scientific(99_960_000_000) == "1.0 × 10¹¹"


def test_parts_are_labelled_in_turn_from_the_bottom_up():
    order = ["embeddings", "heads", "hidden", "logits"]
    first_seen = {}
    for step in range(0, 61):
        texts = set(visible_texts(scene_at(step / 4)))
        for part in order:
            if LABELS[part] in texts:
                first_seen.setdefault(part, step / 4)
    assert list(first_seen) == order
    times = [first_seen[part] for part in order]
    assert times == sorted(times) and len(set(times)) == 4
    assert all(LABELS[part] in visible_texts(scene_at(15.0)) for part in order)


def test_printed_weights_use_a_true_minus_sign():
    texts = visible_texts(scene_at(15.0))
    assert "0.0173" in texts and MINUS + "1.2041" in texts
    assert not any(re.fullmatch(r"-\d.*", text) for text in texts)
    assert sum(text.startswith(MINUS) for text in texts) >= 10


def test_one_continuous_dolly_in():
    zooms = [scene_at(t / 12).camera.zoom for t in range(-3, 184)]
    assert all(b > a for a, b in zip(zooms, zooms[1:], strict=False))
    assert zooms[-1] - zooms[0] < 0.2  # slow


@pytest.mark.parametrize("seconds", STILL_TIMES)
def test_layout_stays_in_the_safe_area_without_collisions(seconds):
    assert layout_problems(scene_at(seconds)) == []
