"""Text width estimates (no Skia in phases) against the real kerned layout."""

from __future__ import annotations

import pytest

from insideweights import theme
from insideweights.display import Scene, visible_texts
from insideweights.phases.widgets.labels import chip_size, key_term, labelled_box, text_width
from insideweights.phases.widgets.padlock import padlock
from insideweights.renderer import text as layout

SAMPLES = (
    "token embeddings",
    "Distributed training",
    "DeepSeek",
    "What one training run costs",
    "\u201cTranslate \u2018bonjour\u2019\u201d",
    "weights never leave the provider",
)


@pytest.mark.parametrize("role", ["sans", "sans-semibold", "sans-bold", "mono"])
@pytest.mark.parametrize("sample", SAMPLES)
def test_text_width_estimate_is_within_three_percent(role, sample):
    real = layout.measure(sample, role, 40.0)
    assert text_width(sample, role, 40.0) == pytest.approx(real, rel=0.03)


def test_text_width_rejects_an_unknown_role():
    with pytest.raises(ValueError, match="role"):
        text_width("x", "serif", 20.0)


def test_chip_is_wider_than_its_text():
    width, height = chip_size(" cat", theme.TEXT_SMALL)
    assert width > layout.measure(" cat", "mono", theme.TEXT_SMALL)
    assert height > theme.TEXT_SMALL


def test_labelled_box_text_waits_for_the_outline():
    assert visible_texts(Scene(items=(labelled_box(0, 0, 100, 40, "MLP", reveal=0.3),))) == []
    assert visible_texts(Scene(items=(labelled_box(0, 0, 100, 40, "MLP"),))) == ["MLP"]


def test_key_term_fades_in():
    assert key_term(0, 0, "Open-weight", reveal=0.0).items == ()
    shown = Scene(items=(key_term(0, 0, "Open-weight"),))
    assert visible_texts(shown) == ["Open-weight"]


def test_padlock_shackle_rises_when_open():
    closed = padlock(0, 0, 100, closed=1.0).items[0]
    opened = padlock(0, 0, 100, closed=0.0).items[0]
    assert opened.commands[2][2] < closed.commands[2][2]  # arc centre higher (y up is less)


def test_a_backed_chip_hides_what_is_behind_it_while_it_fades():
    from insideweights.display import Rect
    from insideweights.phases.widgets.labels import token_chip

    def card_and_front(opacity):
        chip = token_chip(100.0, 100.0, "\u201cLima\u201d", opacity=opacity, backing=True)
        card, front = chip.items
        assert isinstance(card, Rect) and card.style.stroke is None
        return card.style.opacity * chip.opacity, front.opacity * chip.opacity

    assert card_and_front(0.4) == (1.0, 0.4)  # text half faded, face already opaque
    card, front = card_and_front(0.1)
    assert 0.0 < card < 1.0 and card > front  # the face still leads the fade
    plain = token_chip(100.0, 100.0, "x", opacity=0.4)
    assert plain.opacity == 0.4  # without backing the whole chip fades as one
