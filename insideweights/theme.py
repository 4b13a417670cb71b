"""The look of the reel in one place: palette, sizes, glow and layout.

Sizes are in design units of the logical 1920 x 1080 main area, written as
fractions of its height ``H`` so that they read as "relative to frame height".
The renderer scales design units to pixels for every output size.
"""

from __future__ import annotations

from insideweights.timeline.color import Rgba

DESIGN_WIDTH = 1920.0
DESIGN_HEIGHT = 1080.0
H = DESIGN_HEIGHT

# Palette (STORYBOARD.md)
BACKGROUND = Rgba.hex("#0A0E17")
BACKGROUND_TOP = Rgba.hex("#0D1321")
BACKGROUND_BOTTOM = Rgba.hex("#080B12")
VIGNETTE = 0.35
CYAN = Rgba.hex("#22E5FF")
ORANGE = Rgba.hex("#FF8A1F")
BLUE = Rgba.hex("#3D7BFF")
BLUE_DIM = Rgba.hex("#1E3A78")
TEXT = Rgba.hex("#E8EEF7")
TEXT_DIM = Rgba.hex("#8A96AB")
PANEL = Rgba.hex("#101726")
BLACK_BOX = Rgba.hex("#03050A")
GREEN = Rgba.hex("#3DDC97")
RED = Rgba.hex("#FF4D6D")

# Strokes
STROKE = 0.0028 * H
STROKE_THIN = 0.0016 * H
STROKE_BOLD = 0.0042 * H

# Type sizes
TEXT_TITLE = 0.052 * H
TEXT_HEADING = 0.040 * H
TEXT_LABEL = 0.027 * H
TEXT_SMALL = 0.021 * H
TEXT_TINY = 0.019 * H  # smallest size still legible at 720p

# Glow and bloom (relative to frame height where it is a length)
BLOOM_THRESHOLD = 0.62
BLOOM_INTENSITY = 0.9
BLOOM_RADIUS = 0.022
BLOOM_LEVELS = 5
GLOW_SOFT = 0.5
GLOW = 1.0
GLOW_STRONG = 1.6

# Frame layout (fractions of the output frame)
FOOTER_FRACTION = 0.07
FOOTER_TEXT = 0.36  # caption text size as a fraction of the footer height
FOOTER_MARGIN = 0.035  # left margin as a fraction of the frame width
FOOTER_LINE = Rgba.hex("#1C2638")
FOOTER_BACKGROUND = Rgba.hex("#070A11")
CAPTION_FADE_SECONDS = 0.4
# The wipe's soft edge as a fraction of the frame width. Inside it both phases show at
# once (double-exposed), so it is only wide enough to soften the line: 0.8 % is 15 px
# at 1080p, against the ~68 px the edge sweeps per frame at 60 fps.
WIPE_SOFTNESS = 0.008

# Safe area of the design box that content keeps inside
SAFE_MARGIN = 0.045 * H
