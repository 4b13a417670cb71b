"""Typefaces loaded from the fonts bundled with the package, and their kerning.

Every typeface is read from the package's own font files through
``importlib.resources``. Nothing is looked up by family name and no system font is
ever used: Skia silently substitutes a fallback for an unknown name, which would
change the look of the reel from machine to machine.

Kerning: the bundled Inter files carry kerning only in the OpenType ``GPOS`` table,
which ``skia.Typeface.getKerningPairAdjustments`` does not read (it returns None), and
skia-python exposes no shaper that reports glyph positions. So this module reads the
pair-adjustment lookups of the ``kern`` feature itself (``KerningTable``).
"""

from __future__ import annotations

import struct
from bisect import bisect_left, bisect_right
from functools import cache
from importlib import resources

import skia

FONT_PACKAGE = "insideweights.assets"
FONT_FOLDER = "fonts"

# role -> (file name, family the file must report)
ROLE_FILES: dict[str, tuple[str, str]] = {
    "sans": ("Inter-Regular.otf", "Inter"),
    "sans-semibold": ("Inter-SemiBold.otf", "Inter"),
    "sans-bold": ("Inter-Bold.otf", "Inter"),
    "mono": ("JetBrainsMono-Regular.ttf", "JetBrains Mono"),
    "mono-medium": ("JetBrainsMono-Medium.ttf", "JetBrains Mono"),
}


class FontError(RuntimeError):
    """A bundled font file is missing, unreadable or not the font it should be."""


class MissingGlyphError(ValueError):
    """The text contains a character that the role's font cannot draw."""


def _check_role(role: str) -> None:
    if role not in ROLE_FILES:
        known = ", ".join(sorted(ROLE_FILES))
        raise ValueError(f"font role must be one of {known}; got {role!r}")


def font_file(role: str) -> str:
    """File name of the font that serves ``role`` (for messages and tests)."""
    _check_role(role)
    return ROLE_FILES[role][0]


def font_bytes(role: str) -> bytes:
    """Raw bytes of the role's font file, read from the package data."""
    name = font_file(role)
    resource = resources.files(FONT_PACKAGE).joinpath(FONT_FOLDER, name)
    try:
        return resource.read_bytes()
    except OSError as error:
        raise FontError(
            f"font file {name} for role {role!r} cannot be read from package "
            f"{FONT_PACKAGE}/{FONT_FOLDER}: {error}"
        ) from error


@cache
def _font_manager() -> skia.FontMgr:
    """A font manager that knows no system fonts at all.

    The default manager on Linux starts fontconfig, which reads the system's font
    configuration (and, with newer system configs than the fontconfig bundled in the
    skia-python wheel, prints "unknown element reset-dirs" warnings). An empty custom
    manager loads our bundled bytes and never looks at the system.
    """
    return skia.FontMgr.New_Custom_Empty()


@cache
def typeface(role: str) -> skia.Typeface:
    """The cached typeface for ``role``, loaded from the bundled file.

    Raises FontError when Skia cannot load the file (it returns None or an empty
    typeface instead of failing) or when the file is not the expected family.
    """
    _check_role(role)
    name, family = ROLE_FILES[role]
    data = font_bytes(role)
    loaded = _font_manager().makeFromData(skia.Data.MakeWithCopy(data))
    if loaded is None or loaded.countGlyphs() == 0:
        raise FontError(f"font file {name} for role {role!r} is not a font Skia can load")
    if loaded.getFamilyName() != family:
        raise FontError(
            f"font file {name} for role {role!r} reports family "
            f"{loaded.getFamilyName()!r}, expected {family!r}"
        )
    return loaded


def glyph_ids(text: str, role: str) -> list[int]:
    """Glyph id of each character of ``text`` (0 where the font has none)."""
    return list(typeface(role).unicharsToGlyphs([ord(char) for char in text]))


def check_glyphs(text: str, role: str) -> None:
    """Raise MissingGlyphError naming the first character the role's font lacks."""
    for char, glyph in zip(text, glyph_ids(text, role), strict=True):
        if glyph == 0:
            raise MissingGlyphError(
                f"font {font_file(role)} (role {role!r}) has no glyph for {char!r} "
                f"U+{ord(char):04X} in text {text!r}"
            )


def units_per_em(role: str) -> int:
    """Design units per em of the role's font (kerning values are in these units)."""
    return typeface(role).getUnitsPerEm()


@cache
def kerning_table(role: str) -> KerningTable:
    """The cached ``kern`` feature of the role's font (empty when it has none)."""
    face = typeface(role)
    gpos_tag = struct.unpack(">I", b"GPOS")[0]
    if gpos_tag not in face.getTableTags():
        return KerningTable(b"")
    return KerningTable(bytes(face.getTableData(gpos_tag)))


def kerning_adjustments(glyphs: list[int], role: str) -> list[int]:
    """Advance adjustment after each glyph, in design units (last entry is 0).

    Entry i is added to the advance of glyph i, which moves glyph i+1 and all that
    follow. Only the horizontal-advance part of pair adjustments is used: that is
    all that kerning in the bundled fonts contains.
    """
    table = kerning_table(role)
    adjustments = [0] * len(glyphs)
    for index in range(len(glyphs) - 1):
        adjustments[index] = table.pair(glyphs[index], glyphs[index + 1])
    return adjustments


class KerningTable:
    """Reader for the pair-positioning lookups of a GPOS ``kern`` feature.

    Supports PairPos formats 1 (glyph pairs) and 2 (class pairs), reached directly
    or through Extension lookups. Each lookup contributes the first of its subtables
    that covers the pair, as the OpenType specification prescribes; lookups add up.
    """

    PAIR_LOOKUP = 2
    EXTENSION_LOOKUP = 9

    def __init__(self, gpos: bytes) -> None:
        self._data = gpos
        self._subtables = self._kern_subtables() if gpos else []
        self._cache: dict[tuple[int, int], int] = {}
        self._parsed: dict[int, tuple] = {}  # coverage and class tables by offset

    def __len__(self) -> int:
        return len(self._subtables)

    def pair(self, first: int, second: int) -> int:
        """X-advance adjustment, in design units, between two adjacent glyphs."""
        key = (first, second)
        if key not in self._cache:
            total = 0
            for lookup in self._subtables:
                for offset in lookup:
                    found = self._pair_in_subtable(offset, first, second)
                    if found is not None:
                        total += found
                        break
            self._cache[key] = total
        return self._cache[key]

    def _u16(self, offset: int) -> int:
        return struct.unpack_from(">H", self._data, offset)[0]

    def _kern_subtables(self) -> list[list[int]]:
        """Absolute offsets of the PairPos subtables, grouped by lookup, lookup order."""
        feature_list = self._u16(6)
        lookup_list = self._u16(8)
        indices: set[int] = set()
        for record in range(self._u16(feature_list)):
            record_at = feature_list + 2 + 6 * record
            if self._data[record_at : record_at + 4] != b"kern":
                continue
            feature = feature_list + self._u16(record_at + 4)
            count = self._u16(feature + 2)
            indices.update(struct.unpack_from(f">{count}H", self._data, feature + 4))
        return [self._lookup_subtables(lookup_list, index) for index in sorted(indices)]

    def _lookup_subtables(self, lookup_list: int, index: int) -> list[int]:
        lookup = lookup_list + self._u16(lookup_list + 2 + 2 * index)
        kind, _flags, count = struct.unpack_from(">3H", self._data, lookup)
        found = []
        for sub in range(count):
            offset = lookup + self._u16(lookup + 6 + 2 * sub)
            sub_kind = kind
            if kind == self.EXTENSION_LOOKUP:
                sub_kind, relative = struct.unpack_from(">HI", self._data, offset + 2)
                offset += relative
            if sub_kind == self.PAIR_LOOKUP:
                found.append(offset)
        return found

    def _pair_in_subtable(self, sub: int, first: int, second: int) -> int | None:
        """Adjustment from one PairPos subtable, or None when it does not cover the pair."""
        pos_format, coverage, format1, format2 = struct.unpack_from(">4H", self._data, sub)
        cover_index = self._coverage_index(sub + coverage, first)
        if cover_index is None:
            return None
        size1 = 2 * bin(format1 & 0xFF).count("1")
        size2 = 2 * bin(format2 & 0xFF).count("1")
        if pos_format == 1:
            pair_set = sub + self._u16(sub + 10 + 2 * cover_index)
            record_size = 2 + size1 + size2
            for record in range(self._u16(pair_set)):
                at = pair_set + 2 + record * record_size
                if self._u16(at) == second:
                    return self._x_advance(at + 2, format1)
            return None
        if pos_format == 2:
            class_def1, class_def2, _count1, count2 = struct.unpack_from(
                ">4H", self._data, sub + 8
            )
            class1 = self._class_of(sub + class_def1, first)
            class2 = self._class_of(sub + class_def2, second)
            at = sub + 16 + (class1 * count2 + class2) * (size1 + size2)
            return self._x_advance(at, format1)
        return None

    def _x_advance(self, record: int, value_format: int) -> int:
        """The XAdvance field of a value record (0 when the format has none)."""
        x_advance_bit = 0x4
        if not value_format & x_advance_bit:
            return 0
        before = bin(value_format & (x_advance_bit - 1)).count("1")
        return struct.unpack_from(">h", self._data, record + 2 * before)[0]

    def _coverage_index(self, table: int, glyph: int) -> int | None:
        kind = self._u16(table)
        if kind == 1:
            glyphs = self._glyph_array(table)
            at = bisect_left(glyphs, glyph)
            return at if at < len(glyphs) and glyphs[at] == glyph else None
        found = self._in_ranges(table, glyph)
        return None if found is None else found[2] + glyph - found[0]

    def _class_of(self, table: int, glyph: int) -> int:
        kind = self._u16(table)
        if kind == 1:
            start, count = struct.unpack_from(">2H", self._data, table + 2)
            if start <= glyph < start + count:
                return self._u16(table + 6 + 2 * (glyph - start))
            return 0
        found = self._in_ranges(table, glyph)
        return 0 if found is None else found[2]

    def _glyph_array(self, table: int) -> tuple[int, ...]:
        """The sorted glyph list of a format-1 coverage table (parsed once)."""
        if table not in self._parsed:
            count = self._u16(table + 2)
            self._parsed[table] = struct.unpack_from(f">{count}H", self._data, table + 4)
        return self._parsed[table]

    def _in_ranges(self, table: int, glyph: int) -> tuple[int, int, int] | None:
        """The (start, end, value) range record holding ``glyph`` in a format-2 table.

        Range records are sorted by start glyph (the specification requires it),
        so a binary search over the records, parsed once per table, finds it.
        """
        if table not in self._parsed:
            count = self._u16(table + 2)
            flat = struct.unpack_from(f">{3 * count}H", self._data, table + 4)
            self._parsed[table] = (flat[0::3], flat[1::3], flat[2::3])
        starts, ends, values = self._parsed[table]
        at = bisect_right(starts, glyph) - 1
        if at < 0 or glyph > ends[at]:
            return None
        return starts[at], ends[at], values[at]
