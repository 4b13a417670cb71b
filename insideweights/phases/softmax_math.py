"""The numbers phases 4 and 5 show: teacher logits, their softmax, temperature and KL.

Everything on screen is derived here from one input, the storyboard's target
distribution, so no number is typed twice:

- ``TEACHER_LOGITS`` are the log-probabilities of the targets plus one constant
  (softmax ignores a shared shift), rounded to the two decimals the screen shows.
- Every later figure (e^z, their sum, the percentages, the softened
  distribution, the KL readout) is computed from those *displayed* logits, so a
  viewer who redoes the arithmetic from the screen gets what the screen says.

Formatting lives here too, because "what is displayed" is part of the contract:
the tests parse the displayed strings and recompute from them.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np

CHOICES = ("Transformer", "RNN", "CNN", "Other")
TARGET_PERCENT = (82, 10, 5, 3)  # STORYBOARD.md, phase 5

# Logits are defined only up to an additive constant. 3.25 puts the top logit near 3
# (a typical scale), leaves one logit negative (so the exp step visibly turns a
# negative number into a positive weight) and makes the four displayed e^z values
# add up exactly to the displayed total (checked in ``_check``).
LOGIT_SHIFT = 3.25
LOGIT_DECIMALS = 2
EXP_DECIMALS = 2
PERCENT_DECIMALS_SOFT = 1  # softened / student distributions show one decimal

# Temperature used for the soft targets and the KL animation.
SOFT_TEMPERATURE = 2.0
TEMPERATURE_DECIMALS = 2
KL_DECIMALS = 3

# The untrained student prefers the wrong answer; its logits slide toward the teacher's
# while it learns, stopping a little short (a distilled student is close, not identical).
STUDENT_START_LOGITS = (1.10, 2.35, 1.60, 0.90)
STUDENT_FINAL_SHARE = 0.96

MINUS = "\u2212"


def softmax(logits, temperature: float = 1.0) -> np.ndarray:
    """softmax(logits / temperature), computed stably in float64."""
    if not temperature > 0:
        raise ValueError(f"temperature must be a positive number, got {temperature!r}")
    scaled = np.asarray(logits, dtype=np.float64) / temperature
    weights = np.exp(scaled - scaled.max())
    return weights / weights.sum()


def kl_divergence(target, model) -> float:
    """KL(target ‖ model) in nats: sum of t · ln(t / m) over entries with t > 0."""
    target = np.asarray(target, dtype=np.float64)
    model = np.asarray(model, dtype=np.float64)
    mask = target > 0
    return float(np.sum(target[mask] * np.log(target[mask] / model[mask])))


def fmt_number(value: float, decimals: int) -> str:
    """A fixed-point number with a real minus sign (U+2212) and no negative zero."""
    text = f"{value:.{decimals}f}"
    if text.startswith("-"):
        text = text[1:] if float(text) == 0 else MINUS + text[1:]
    return text


def fmt_percent(value: float, decimals: int = 0) -> str:
    """A percentage as displayed, e.g. "82%" (the mono font has no thin space)."""
    return f"{fmt_number(value, decimals)}%"


# -- teacher at T = 1 ---------------------------------------------------------------------


def _round(value: float, decimals: int) -> float:
    return float(fmt_number(value, decimals).replace(MINUS, "-"))


TEACHER_LOGITS: tuple[float, ...] = tuple(
    _round(math.log(percent / 100.0) + LOGIT_SHIFT, LOGIT_DECIMALS) for percent in TARGET_PERCENT
)
LOGIT_TEXTS = tuple(fmt_number(z, LOGIT_DECIMALS) for z in TEACHER_LOGITS)

EXP_VALUES: tuple[float, ...] = tuple(math.exp(z) for z in TEACHER_LOGITS)
EXP_TEXTS = tuple(fmt_number(value, EXP_DECIMALS) for value in EXP_VALUES)
EXP_SUM = sum(EXP_VALUES)
EXP_SUM_TEXT = fmt_number(EXP_SUM, EXP_DECIMALS)

TEACHER_PROBS: tuple[float, ...] = tuple(float(p) for p in softmax(TEACHER_LOGITS))
PERCENT_VALUES: tuple[int, ...] = tuple(round(100 * p) for p in TEACHER_PROBS)
PERCENT_TEXTS = tuple(fmt_percent(value) for value in PERCENT_VALUES)


def _check() -> None:
    """Refuse to import if the displayed numbers would not agree with each other."""
    if PERCENT_VALUES != TARGET_PERCENT:
        raise ValueError(
            f"LOGIT_SHIFT={LOGIT_SHIFT}: softmax of the displayed logits {LOGIT_TEXTS} rounds "
            f"to {PERCENT_VALUES} %, the storyboard needs {TARGET_PERCENT} %"
        )
    shown_sum = sum(float(text) for text in EXP_TEXTS)
    if fmt_number(shown_sum, EXP_DECIMALS) != EXP_SUM_TEXT:
        raise ValueError(
            f"LOGIT_SHIFT={LOGIT_SHIFT}: the displayed e^z values {EXP_TEXTS} add up to "
            f"{shown_sum:.2f}, but the displayed total is {EXP_SUM_TEXT}; pick another shift"
        )


_check()


# -- temperature --------------------------------------------------------------------------


def shown_temperature(temperature: float) -> float:
    """The temperature as the knob's readout shows it (the bars follow this value)."""
    return _round(temperature, TEMPERATURE_DECIMALS)


def softened_percent(temperature: float) -> tuple[float, ...]:
    """Displayed percentages of softmax(z / T) for the displayed T, one decimal each."""
    probs = softmax(TEACHER_LOGITS, shown_temperature(temperature))
    return tuple(_round(100 * p, PERCENT_DECIMALS_SOFT) for p in probs)


# -- student learning (KL animation) ------------------------------------------------------


def student_logits(learned: float) -> np.ndarray:
    """Student logits after ``learned`` (0-1) of the way toward the teacher's."""
    start = np.asarray(STUDENT_START_LOGITS)
    teacher = np.asarray(TEACHER_LOGITS)
    return start + (teacher - start) * (STUDENT_FINAL_SHARE * learned)


@cache
def teacher_soft_percent() -> tuple[float, ...]:
    """The teacher's soft targets at ``SOFT_TEMPERATURE``, as displayed."""
    return softened_percent(SOFT_TEMPERATURE)


def student_soft_percent(learned: float) -> tuple[float, ...]:
    """The student's distribution at ``SOFT_TEMPERATURE``, as displayed."""
    probs = softmax(student_logits(learned), SOFT_TEMPERATURE)
    return tuple(_round(100 * p, PERCENT_DECIMALS_SOFT) for p in probs)


def kl_of_displayed(teacher_percent, student_percent) -> float:
    """KL(teacher ‖ student) of the two distributions exactly as displayed (in %)."""
    return kl_divergence(np.asarray(teacher_percent) / 100, np.asarray(student_percent) / 100)


def kl_value(learned: float) -> float:
    """KL of the displayed teacher and student rows while the student has ``learned``."""
    return kl_of_displayed(teacher_soft_percent(), student_soft_percent(learned))


def kl_text(learned: float) -> str:
    """The divergence readout while the student has ``learned`` (0-1)."""
    return fmt_number(kl_value(learned), KL_DECIMALS)
