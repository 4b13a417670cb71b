"""A contact sheet: the middle of every phase and the midpoint of every wipe on one image."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from insideweights import theme
from insideweights.compose import FrameProducer
from insideweights.phases.reel import PHASES
from insideweights.renderer import text
from insideweights.renderer.canvas import Canvas
from insideweights.renderer.png_sink import write_png
from insideweights.renderer.shapes import fill_paint
from insideweights.timeline import ReelTiming

COLUMNS = 4
GAP = 16
LABEL_HEIGHT = 34


@dataclass(frozen=True, slots=True)
class Tile:
    frame: int
    title: str


def sheet_tiles(timing: ReelTiming) -> list[Tile]:
    """Each phase at its middle, followed by the wipe that leaves it (at its midpoint)."""
    tiles = []
    for index, phase in enumerate(PHASES):
        segment = timing.segment(index)
        middle = (segment.start_frame + segment.end_frame) // 2
        tiles.append(Tile(middle, f"{phase.label}  \u00b7  frame {middle}"))
        if index + 1 < len(PHASES):
            boundary = segment.end_frame
            tiles.append(
                Tile(
                    boundary,
                    f"wipe {phase.number} \u2192 {phase.number + 1}  \u00b7  frame {boundary}",
                )
            )
    return tiles


def render_contact_sheet(
    out: Path, fps: Fraction = Fraction(60), tile_width: int = 480, tile_height: int = 270
) -> Path:
    """Render every tile at ``tile_width`` x ``tile_height`` and write the sheet to ``out``."""
    producer = FrameProducer(fps, tile_width, tile_height, captions=True)
    tiles = sheet_tiles(producer.timing)
    rows = -(-len(tiles) // COLUMNS)
    width = COLUMNS * tile_width + (COLUMNS + 1) * GAP
    height = rows * (tile_height + LABEL_HEIGHT) + (rows + 1) * GAP
    sheet = Canvas(width, height)
    sheet.clear(
        (theme.FOOTER_BACKGROUND.r, theme.FOOTER_BACKGROUND.g, theme.FOOTER_BACKGROUND.b, 1.0)
    )
    label_paint = fill_paint(theme.TEXT_DIM, 1.0)
    for number, tile in enumerate(tiles):
        row, column = divmod(number, COLUMNS)
        x = GAP + column * (tile_width + GAP)
        y = GAP + row * (tile_height + LABEL_HEIGHT + GAP)
        pixels = producer.frame(tile.frame)
        sheet.pixels[y : y + tile_height, x : x + tile_width] = pixels
        run = text.layout_text(tile.title, "sans", 15.0)
        text.draw_text(sheet.skia, run, x, y + tile_height + 23, label_paint)
    return write_png(out, np.ascontiguousarray(sheet.pixels))
