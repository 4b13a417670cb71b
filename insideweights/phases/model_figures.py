"""The numbers behind "Capability Compression": computed once, from a few stated inputs.

Inputs: the teacher's and the student's parameter counts, the bytes each parameter
takes when stored (2 at 16-bit) and the memory bandwidth of the accelerator both
models run on. Every figure the reel shows is derived from these by one simple
serving model, so the figures agree with each other by construction:

- Memory: weights are stored at ``bytes_per_parameter`` bytes each, so
  memory = parameters x bytes per parameter (70e9 x 2 B = 140 GB).
- Latency: generating a token (decoding at batch size 1) is memory-bandwidth bound:
  every weight is read once per token, so time per token = weight bytes / bandwidth.
  Arithmetic, the KV cache and interconnect are ignored. With 2 TB/s: 140 GB -> 70 ms
  and 14 GB -> 7 ms per token.
- Requests/sec: on the same hardware a stream finishes 1 / (time per token) tokens per
  second, so throughput grows by exactly the factor that latency shrinks.
- Cost: hardware is paid per second of use, so cost per token is proportional to time
  per token and shrinks by that same factor.

Throughput and cost are shown relative to the teacher (1x), since their absolute value
would need more assumptions (request length, price per hour) that change no ratio.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

TEACHER_PARAMETERS = 70e9
STUDENT_PARAMETERS = 7e9
BYTES_PER_PARAMETER = 2  # 16-bit weights
MEMORY_BANDWIDTH = 2e12  # bytes per second, the same accelerator for both models

DOWN = "down"
UP = "up"
ARROWS = {DOWN: "\u2193", UP: "\u2191"}


def compact_number(value: float) -> str:
    """A short decimal: two significant digits below 100, whole numbers above.

    ``70 -> "70"``, ``7.0 -> "7"``, ``0.1 -> "0.1"``, ``43.21 -> "43"``, ``140 -> "140"``.
    """
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"compact_number needs a positive finite value, got {value!r}")
    decimals = max(0, 1 - math.floor(math.log10(value)))
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_parameters(count: float) -> str:
    """Parameter count in billions: ``70e9 -> "70B"``."""
    return f"{compact_number(count / 1e9)}B"


def format_bytes(size: float) -> str:
    """Decimal gigabytes, as memory is sold: ``140e9 -> "140 GB"``."""
    return f"{compact_number(size / 1e9)} GB"


def format_milliseconds(seconds: float) -> str:
    """Seconds shown in milliseconds: ``0.07 -> "70 ms"``."""
    return f"{compact_number(seconds * 1e3)} ms"


def format_multiple(multiple: float) -> str:
    """A value relative to the teacher: ``1 -> "1×"``, ``0.1 -> "0.1×"``."""
    return f"{compact_number(multiple)}\u00d7"


@dataclass(frozen=True, slots=True)
class ModelSize:
    """One model's size and what it costs to decode a token on the shared accelerator."""

    parameters: float
    bytes_per_parameter: float
    bandwidth: float

    @property
    def weight_bytes(self) -> float:
        return self.parameters * self.bytes_per_parameter

    @property
    def seconds_per_token(self) -> float:
        """Bandwidth-bound decoding: every weight byte is read once per token."""
        return self.weight_bytes / self.bandwidth

    @property
    def tokens_per_second(self) -> float:
        return 1.0 / self.seconds_per_token


@dataclass(frozen=True, slots=True)
class Metric:
    """One metric row: its name, the teacher's and student's values and how they read."""

    name: str
    teacher: float
    student: float
    unit: Callable[[float], str]
    note: str

    @property
    def direction(self) -> str:
        return DOWN if self.student < self.teacher else UP

    @property
    def factor(self) -> float:
        """How many times smaller (down) or larger (up) the student's value is."""
        return max(self.teacher, self.student) / min(self.teacher, self.student)

    @property
    def teacher_text(self) -> str:
        return self.unit(self.teacher)

    @property
    def student_text(self) -> str:
        return self.unit(self.student)

    @property
    def figure(self) -> str:
        """The before -> after figure, e.g. "140 GB → 14 GB"."""
        return f"{self.teacher_text} \u2192 {self.student_text}"

    @property
    def badge(self) -> str:
        """Direction and factor, e.g. "↓10×"."""
        return f"{ARROWS[self.direction]}{compact_number(self.factor)}\u00d7"

    def value_text(self, eased: float) -> str:
        """The student's figure while it moves from the teacher's value (0) to its own (1).

        Interpolates geometrically, so a tenfold change reads as steady steps.
        """
        eased = min(1.0, max(0.0, eased))
        if eased == 1.0:
            return self.student_text
        value = self.teacher * (self.student / self.teacher) ** eased
        return self.unit(value)


def compression_metrics(
    teacher_parameters: float = TEACHER_PARAMETERS,
    student_parameters: float = STUDENT_PARAMETERS,
    bytes_per_parameter: float = BYTES_PER_PARAMETER,
    bandwidth: float = MEMORY_BANDWIDTH,
) -> tuple[Metric, ...]:
    """The five metric rows of phase 6, all derived from the inputs by the module's model."""
    for name, value in (
        ("teacher_parameters", teacher_parameters),
        ("student_parameters", student_parameters),
        ("bytes_per_parameter", bytes_per_parameter),
        ("bandwidth", bandwidth),
    ):
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    teacher = ModelSize(teacher_parameters, bytes_per_parameter, bandwidth)
    student = ModelSize(student_parameters, bytes_per_parameter, bandwidth)
    speedup = teacher.seconds_per_token / student.seconds_per_token
    bits = compact_number(8 * bytes_per_parameter)
    return (
        Metric(
            "Parameters",
            teacher.parameters,
            student.parameters,
            format_parameters,
            "learned weights",
        ),
        Metric(
            "Memory",
            teacher.weight_bytes,
            student.weight_bytes,
            format_bytes,
            f"at {bits}-bit",
        ),
        Metric(
            "Latency",
            teacher.seconds_per_token,
            student.seconds_per_token,
            format_milliseconds,
            "per token",
        ),
        Metric("Cost", 1.0, 1.0 / speedup, format_multiple, "per token"),
        Metric("Requests/sec", 1.0, speedup, format_multiple, "same hardware"),
    )


def assumptions_note(
    bytes_per_parameter: float = BYTES_PER_PARAMETER, bandwidth: float = MEMORY_BANDWIDTH
) -> str:
    """One line naming the serving model behind the figures, for the screen."""
    bits = compact_number(8 * bytes_per_parameter)
    return (
        f"{bits}-bit weights \u00b7 decoding reads every weight once per token "
        f"at {compact_number(bandwidth / 1e12)} TB/s"
    )


METRICS = compression_metrics()
