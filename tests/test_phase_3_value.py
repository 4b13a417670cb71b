"""Phase 3: pipeline labels, tokens, a descending loss curve, cost figures that agree,
layout and frames."""

from __future__ import annotations

import re
from fractions import Fraction

import numpy as np
import pytest

from insideweights.display import Polyline, visible_texts, walk
from insideweights.phases import p3_value as p3
from insideweights.phases.widgets.inspect import layout_problems

PHASE_INDEX = 2
# Avoid the instant the sentence splits into chips: there the chips leave the
# sentence they overlap on purpose.
STILL_TIMES = (-0.25, 0.0, 1.5, 3.75, 5.0, 7.5, 9.0, 11.25, 13.0, 15.0, 15.25)


def scene_at(seconds: float):
    return p3.scene(Fraction(seconds).limit_denominator(1000))


def number(text: str) -> float:
    return float(text.replace(",", ""))


def test_stage_and_axis_labels_are_shown_at_the_end():
    texts = visible_texts(scene_at(15.0))
    for label in ("Internet", "Tokenization", "Distributed training", "training steps", "loss"):
        assert label in texts


def test_the_incoming_wipe_already_shows_the_stage_headings_and_the_cloud():
    # The wipe into the phase starts at local -0.25 s: it must reveal a picture, not a void.
    opening = scene_at(-0.25)
    texts = visible_texts(opening, min_opacity=0.8)
    for label in ("Internet", "Tokenization", "Distributed training"):
        assert label in texts
    cloud = [i for i in walk(opening.items) if isinstance(i, Polyline) and i.style.trim < 1.0]
    assert cloud and cloud[0].style.trim > 0.8


def test_text_breaks_into_token_chips_with_ids():
    before = visible_texts(scene_at(2.65))
    after = visible_texts(scene_at(4.5))
    assert " cat" not in before and "The cat sat on the mat." in before
    assert all(token in after for token in p3.TOKENS)
    assert all(str(token_id) in after for token_id in p3.TOKEN_IDS)
    assert "".join(p3.TOKENS) == "The cat sat on the mat."


def curve_points(seconds: float) -> np.ndarray | None:
    lines = [i for i in walk(scene_at(seconds).items) if isinstance(i, Polyline) and i.style.glow]
    return lines[0].points if lines else None


def test_loss_curve_grows_over_time_and_descends():
    assert curve_points(5.0) is None
    spans = [curve_points(t)[:, 0].max() for t in (7.0, 10.0, 13.0, 15.0)]
    assert spans == sorted(spans) and spans[0] < spans[-1]
    final = curve_points(15.0)
    # y grows downward: the loss at the end sits far below where it started.
    assert final[-1, 1] - final[0, 1] > 0.5 * p3.PLOT.h
    steps, loss = p3.loss_curve()
    assert loss[0] == pytest.approx(np.log(p3.VOCABULARY)) and loss.max() <= loss[0]
    assert loss[-40:].mean() < 0.5 * loss[:40].mean() and loss[-1] < 3.0


def test_cost_figures_are_mutually_consistent():
    texts = visible_texts(scene_at(15.0))
    formula = next(t for t in texts if "GWh" in t and "\u00d7" in t)
    gpus, days, hours, kilowatts, gigawatt_hours = (
        number(n) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", formula)
    )
    assert hours == 24
    assert round(gpus * days * hours * kilowatts / 1e6, 1) == gigawatt_hours
    assert f"{int(gpus):,}" in texts and f"{int(days)}" in texts
    assert f"{gigawatt_hours:.1f}" in texts  # the energy card shows the formula's result
    hours_line = next(t for t in texts if "GPU-hours" in t)
    assert float(re.search(r"[\d.]+", hours_line).group()) == round(gpus * days * 24 / 1e6, 1)
    months = next(t for t in texts if "months" in t)
    assert int(re.search(r"\u2248 (\d+)", months).group(1)) == round(days / 30.44)


def test_energy_counts_up_to_its_computed_value():
    energy_texts = []
    for step in range(112, 181):
        scene = scene_at(step / 12)
        cards = [t for t in visible_texts(scene) if re.fullmatch(r"\d+\.\d", t)]
        energy_texts += cards
    values = [float(t) for t in energy_texts]
    assert values == sorted(values)
    assert values[-1] == round(p3.ENERGY_GWH, 1)


@pytest.mark.parametrize("seconds", STILL_TIMES)
def test_layout_stays_in_the_safe_area_without_collisions(seconds):
    assert layout_problems(scene_at(seconds)) == []
