"""The ``--out`` option, checked before any work: the right kind of name, in a folder
that exists and is writable, short enough for the file system and a temporary name.

Every problem is a :class:`UsageError` naming ``--out``, the value and the rule.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from insideweights.options import FrameRange, UsageError, echo
from insideweights.renderer.output_files import OutputPathError, check_output_folder
from insideweights.renderer.sink import CONTAINERS

log = logging.getLogger("insideweights")

# Bytes a hidden temporary name adds to the output's own (".NAME.partial-PID-N.mp4",
# ".NAME.chunks-XXXXXXXX"): the output's name must leave room for them.
_TEMPORARY_NAME_EXTRA = 40
# Names that say "a file": a video container's or a still's suffix.
_FILE_SUFFIXES = (*(suffix for spec in CONTAINERS.values() for suffix in spec.suffixes), ".png")


def output_path(value: str | None, default: Path, suffixes: tuple[str, ...], kind: str) -> Path:
    """``--out`` checked before any work: a file name with the right suffix, in a folder
    that exists and is writable. An empty ``suffixes`` means a folder of PNGs."""
    if value is not None and not value.strip():
        raise UsageError(f"--out must name a file or folder, got {value!r}")
    out = default if value is None else Path(value)
    shown = str(out) if value is None else value
    if suffixes and out.suffix.lower() not in suffixes:
        raise UsageError(f"--out must end in {' or '.join(suffixes)} for {kind}, got {shown!r}")
    _check_name_length(out, shown)  # before anything asks the file system about it
    try:
        _check_output_kind(out, shown, bool(suffixes), kind)
        check_output_folder(out.absolute().parent)
    except OutputPathError as error:
        raise UsageError(f"--out {shown!r}: {error}") from None
    except OSError as error:  # e.g. a folder name longer than the file system allows
        raise UsageError(f"--out {echo(shown)}: {error.strerror or error}") from None
    return out


def _check_output_kind(out: Path, shown: str, is_file: bool, kind: str) -> None:
    """A video or still needs a file name; a PNG sequence a folder (new or existing)."""
    if is_file and (out.is_dir() or shown.endswith(("/", os.sep))):
        raise UsageError(f"--out must name a file, not a folder, got {shown!r}")
    if not is_file and out.exists() and not out.is_dir():
        raise UsageError(f"--out must name a folder for {kind}, got the file {shown!r}")
    if not is_file and out.suffix.lower() in _FILE_SUFFIXES:
        raise UsageError(
            f"--out must name a folder for {kind}, got {shown!r}, which looks like a file name"
        )


def _check_name_length(out: Path, shown: str) -> None:
    """The file system's limit on one name, less the room a temporary name needs."""
    try:
        limit = os.pathconf(out.absolute().parent, "PC_NAME_MAX")
    except (OSError, ValueError):  # no such folder (reported next) or no limit known
        limit = 255
    room = limit - _TEMPORARY_NAME_EXTRA
    length = len(os.fsencode(out.name))
    if length > room:
        raise UsageError(
            f"--out has a name of {length} bytes; at most {room} fit here "
            f"(the folder allows {limit}, and a temporary name needs the rest), "
            f"got {echo(shown)}"
        )


def check_png_folder(folder: Path, frames: FrameRange) -> None:
    """Refuse a folder in the place of one of the range's frames, and say so when the
    PNG folder already holds frames this render will not replace.

    Frames are named by their index in the reel so a re-rendered range patches a
    sequence in place; files from another render (say a longer range or another
    size) stay beside the new ones, which is worth knowing before encoding the folder.
    """
    if not folder.is_dir():
        return
    others = 0
    for path in folder.glob("frame_*.png"):
        digits = path.stem.removeprefix("frame_")
        if not (digits.isascii() and digits.isdigit()):
            continue
        if int(digits) not in frames.indices():
            others += 1
        elif path.is_dir():  # the finished frame could not take its place
            raise UsageError(f"--out {str(folder)!r} holds a folder named {path.name}")
    if others:
        log.info(
            "note: --out %s already holds %d frame file(s) outside frames %d..%d; "
            "they are kept (use an empty folder for a clean sequence)",
            folder,
            others,
            frames.start,
            frames.stop - 1,
        )
