"""Words on screen: text widths, labelled boxes, token chips, arrows and key-term captions.

Phases may not call Skia, yet chips and boxes must hug their text. :func:`text_width`
estimates a run's width from the bundled fonts' advance widths (measured once from
the font files, kerning ignored: within a few percent, see tests/test_widgets_labels.py).
"""

from __future__ import annotations

from functools import cache

from insideweights import theme
from insideweights.display import Arrow, Group, Rect, Style, Text
from insideweights.phases.widgets._util import (
    Rectangle,
    backing_opacity,
    check_positive,
    clamp01,
)
from insideweights.timeline.color import Rgba

MONO_ADVANCE = 0.6  # JetBrains Mono: every glyph is 600/1000 em wide
FALLBACK_ADVANCE = 0.62  # em width assumed for characters outside the table
CAP_HEIGHT = 0.727  # Inter cap height (em): used to centre text vertically in boxes
TABLE_CHARS = "".join(chr(code) for code in range(32, 127)) + (
    "\u2212\u00d7\u2192\u2190\u2026\u201c\u201d\u2018\u2019\u00b7\u2248\u00b9\u2070\u2079\u2013\u2191\u2193\u2022"
)
# Advance widths in thousandths of an em for TABLE_CHARS, per Inter role.
_ADVANCES = {
    "sans": (
        "281 278 403 631 638 812 639 222 362 362 500 659 280 460 276 357 625 464 605 636 642 "
        "608 624 571 616 624 276 280 659 659 659 507 936 676 651 727 719 598 587 743 740 264 "
        "543 652 562 889 753 761 635 761 639 638 642 741 676 949 642 665 625 362 357 362 469 "
        "452 497 564 621 558 621 582 361 609 591 237 237 544 237 869 585 597 609 609 372 523 "
        "364 581 557 812 540 557 541 362 327 362 659 659 659 955 955 821 381 381 199 185 276 "
        "659 313 440 425 500 955 955 562 "
    ),
    "sans-semibold": (
        "248 309 396 643 649 844 663 213 393 393 543 673 295 466 290 379 667 481 621 652 666 "
        "632 648 587 646 648 290 295 673 673 673 544 999 724 657 744 724 608 586 755 744 275 "
        "561 677 566 906 741 775 643 776 651 649 660 734 724 1007 690 705 653 393 379 393 481 "
        "468 497 575 630 577 630 593 377 625 613 261 261 569 261 898 610 608 625 625 397 549 "
        "380 608 576 837 562 576 562 393 358 393 673 673 673 955 955 806 408 407 228 214 290 "
        "673 318 455 438 500 955 955 496 "
    ),
    "sans-bold": (
        "232 325 392 650 655 859 674 209 409 409 565 680 303 469 298 390 688 489 630 659 678 "
        "645 660 595 661 660 298 303 680 680 680 562 1031 748 661 752 727 613 585 761 746 281 "
        "570 690 567 915 735 782 648 783 656 655 668 729 748 1036 714 724 667 409 390 409 488 "
        "477 497 580 635 587 635 598 386 633 624 272 272 582 272 912 622 614 632 632 409 562 "
        "388 622 586 850 574 586 572 409 374 409 680 680 680 955 955 799 422 421 242 228 298 "
        "680 321 462 444 500 955 955 464 "
    ),
}


@cache
def _advance_map(role: str) -> dict[str, float]:
    widths = [int(word) / 1000.0 for word in "".join(_ADVANCES[role]).split()]
    return dict(zip(TABLE_CHARS, widths, strict=True))


def text_width(text: str, role: str = "sans", size: float = theme.TEXT_SMALL) -> float:
    """Estimated advance width of ``text`` in design units (no Skia needed)."""
    if role.startswith("mono"):
        return len(text) * MONO_ADVANCE * size
    if role not in _ADVANCES:
        raise ValueError(
            f"role must be one of sans, sans-semibold, sans-bold, mono, mono-medium; got {role!r}"
        )
    advances = _advance_map(role)
    return size * sum(advances.get(char, FALLBACK_ADVANCE) for char in text)


def centred_baseline(cy: float, size: float) -> float:
    """The baseline that centres capital letters of ``size`` on ``cy``."""
    return cy + 0.5 * CAP_HEIGHT * size


def labelled_box(
    x: float,
    y: float,
    w: float,
    h: float,
    text: str,
    *,
    reveal: float = 1.0,
    size: float = theme.TEXT_LABEL,
    role: str = "sans-semibold",
    stroke: Rgba = theme.BLUE,
    fill: Rgba | None = theme.PANEL,
    text_colour: Rgba = theme.TEXT,
    radius: float | None = None,
    glow: float = 0.0,
    width: float = theme.STROKE,
) -> Group:
    """A rounded box whose outline draws on with ``reveal``; its text fades in after it."""
    check_positive("labelled_box width", w)
    check_positive("labelled_box height", h)
    reveal = clamp01(reveal)
    if reveal <= 0.0:
        return Group(items=())
    radius = radius if radius is not None else min(0.18 * h, 14.0)
    items: list = []
    if fill is not None:
        items.append(Rect(x, y, w, h, Style(fill=fill, opacity=reveal), radius=radius))
    items.append(
        Rect(x, y, w, h, Style(stroke=stroke, width=width, trim=reveal, glow=glow), radius=radius)
    )
    words = clamp01((reveal - 0.4) / 0.6)
    if text and words > 0.0:
        baseline = centred_baseline(y + h / 2, size)
        items.append(
            Text(
                text,
                x + w / 2,
                baseline,
                size,
                text_colour,
                role=role,
                align="center",
                opacity=words,
            )
        )
    return Group(items=tuple(items))


def chip_size(
    text: str, size: float = theme.TEXT_SMALL, role: str = "mono"
) -> tuple[float, float]:
    """(width, height) of a :func:`token_chip` showing ``text``."""
    return text_width(text, role, size) + 0.9 * size, 1.65 * size


def token_chip(
    cx: float,
    cy: float,
    text: str,
    *,
    size: float = theme.TEXT_SMALL,
    role: str = "mono",
    colour: Rgba = theme.CYAN,
    text_colour: Rgba = theme.TEXT,
    opacity: float = 1.0,
    glow: float = 0.0,
    fill: Rgba = theme.PANEL,
    backing: bool = False,
) -> Group:
    """A small rounded chip centred on (cx, cy) holding one token's text.

    Leading spaces (as in " cat") are shown as a middle-dot-free gap: the chip
    keeps the text exactly, so tokens read like a tokenizer's output. With
    ``backing`` the chip's face turns opaque well before its outline and text
    have faded in (see ``backing_opacity``): for chips that ride over lines.
    """
    if opacity <= 0.0:
        return Group(items=())
    w, h = chip_size(text, size, role)
    left, top = cx - w / 2, cy - h / 2
    label = Text(
        text, cx, centred_baseline(cy, size), size, text_colour, role=role, align="center"
    )
    if not backing:
        face = Style(fill=fill, stroke=colour, width=theme.STROKE_THIN, glow=glow)
        return Group(items=(Rect(left, top, w, h, face, radius=0.3 * h), label), opacity=opacity)
    card = Rect(left, top, w, h, Style(fill=fill, opacity=backing_opacity(opacity)), 0.3 * h)
    edge = Style(stroke=colour, width=theme.STROKE_THIN, glow=glow)
    front = Group(items=(Rect(left, top, w, h, edge, radius=0.3 * h), label), opacity=opacity)
    return Group(items=(card, front))


def grow_arrow(
    x0: float,
    y0: float,
    x1: float,
    y1: float,
    progress: float,
    *,
    colour: Rgba = theme.TEXT_DIM,
    width: float = theme.STROKE,
    glow: float = 0.0,
    head: float = 16.0,
) -> tuple:
    """An arrow that grows from (x0, y0) toward (x1, y1) as ``progress`` goes 0 -> 1.

    The head rides on the growing tip, so the arrow always looks finished.
    """
    progress = clamp01(progress)
    if progress <= 0.0:
        return ()
    tip_x, tip_y = x0 + (x1 - x0) * progress, y0 + (y1 - y0) * progress
    style = Style(stroke=colour, width=width, glow=glow)
    return (Arrow(x0, y0, tip_x, tip_y, style, head=head * min(1.0, progress * 3)),)


def key_term(
    x: float,
    y: float,
    text: str,
    *,
    reveal: float = 1.0,
    colour: Rgba = theme.TEXT,
    accent: Rgba = theme.ORANGE,
    size: float = theme.TEXT_HEADING,
    align: str = "left",
) -> Group:
    """A key-term caption ("Open-weight") with an accent underline that sweeps in.

    (x, y) is the text baseline anchor. The word slides up a few units and fades
    in; the underline grows from the anchor side. Meant for ``Scene.overlay`` or
    near the thing it names.
    """
    reveal = clamp01(reveal)
    if reveal <= 0.0:
        return Group(items=())
    eased = reveal * reveal * (3 - 2 * reveal)
    rise = (1.0 - eased) * 0.35 * size
    width = text_width(text, "sans-semibold", size)
    left = {"left": x, "center": x - width / 2, "right": x - width}[align]
    word = Text(text, x, y + rise, size, colour, role="sans-semibold", align=align, opacity=eased)
    line_w = width * clamp01((reveal - 0.25) / 0.75)
    if align == "right":
        line_x = left + width - line_w
    elif align == "center":
        line_x = left + (width - line_w) / 2
    else:
        line_x = left
    underline = Rect(
        line_x,
        y + 0.3 * size,
        line_w,
        0.09 * size,
        Style(fill=accent, glow=theme.GLOW_SOFT),
        radius=2,
    )
    return Group(items=(word, underline) if line_w > 0 else (word,))


def text_box(
    text: str, x: float, baseline: float, size: float, role: str, align: str
) -> Rectangle:
    """The approximate box a Text occupies (for layout checks): ascender to descender."""
    width = text_width(text, role, size)
    left = {"left": x, "center": x - width / 2, "right": x - width}[align]
    return Rectangle(left, baseline - 0.97 * size, width, 1.21 * size)
