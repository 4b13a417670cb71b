"""Time equation typesetting and drawing, and text layout, at the reference frame size.

Run: ``.venv/bin/python benchmarks/bench_equations.py``. Prints milliseconds per call.
"""

from __future__ import annotations

import time

import numpy as np
import skia

from insideweights.renderer import equations, text

LOSS = (
    'L = alpha dot T^2 dot "KL"(p_T^((tau)) parallel p_S^((tau))) + (1 - alpha) dot "CE"(y, p_S)'
)
SOFTMAX = "p_i = e^(z_i \\/ T) / (sum_j e^(z_j \\/ T))"
WIDTH, HEIGHT = 1920, 1080


def _millis(action, repeats: int) -> float:
    """Mean wall time of ``action()`` in milliseconds."""
    start = time.perf_counter()
    for _ in range(repeats):
        action()
    return (time.perf_counter() - start) / repeats * 1000.0


def main() -> None:
    pixels = np.zeros((HEIGHT, WIDTH, 4), np.uint8)
    info = skia.ImageInfo.Make(
        WIDTH, HEIGHT, skia.ColorType.kRGBA_8888_ColorType, skia.AlphaType.kPremul_AlphaType
    )
    surface = skia.Surface.MakeRasterDirect(info, pixels)
    canvas = surface.getCanvas()
    paint = skia.Paint(Color=skia.Color(0xE8, 0xEE, 0xF7), AntiAlias=True)

    for name, source in (("loss", LOSS), ("softmax", SOFTMAX)):
        start = time.perf_counter()
        shape = equations.compile_equation(source)
        first = (time.perf_counter() - start) * 1000.0
        cached = _millis(lambda source=source: equations.compile_equation(source), 1000)
        print(f"{name}: first compile {first:.1f} ms, cached {cached * 1000:.2f} us")
        for reveal in (1.0, 0.5):
            spent = _millis(
                lambda shape=shape, reveal=reveal: equations.draw_equation(
                    canvas, shape, WIDTH / 2, HEIGHT / 2, 120, paint, reveal, "center"
                ),
                50,
            )
            print(f"{name}: draw at 120 px high, reveal {reveal}: {spent:.2f} ms")

    label = "Parameters ↓10× (70B → 7B)"
    start = time.perf_counter()
    text.layout_text(label, "sans-semibold", 44)
    print(f"text: first layout {(time.perf_counter() - start) * 1000:.2f} ms")
    spent = _millis(lambda: text.draw_text(canvas, label, 100, 100, paint, size=44), 200)
    print(f"text: cached layout + draw {spent:.3f} ms")


if __name__ == "__main__":
    main()
