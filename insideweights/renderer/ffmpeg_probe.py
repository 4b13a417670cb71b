"""Find the bundled ffmpeg, ask it what it can encode, and read encoded files back.

There is no ffprobe in the imageio-ffmpeg wheel, so ``probe`` decodes the file through
ffmpeg's ``showinfo`` filter and parses the log: the header gives chapters, the filter
gives the exact frame rate, pixel format, colour tags and one line per decoded frame.
"""

from __future__ import annotations

import functools
import re
import subprocess
from fractions import Fraction
from pathlib import Path

import imageio_ffmpeg
import numpy as np


class ProbeError(RuntimeError):
    """ffmpeg could not read a file back, or its report could not be understood."""


@functools.cache
def ffmpeg_exe() -> str:
    """Return the path of the ffmpeg binary shipped inside the imageio-ffmpeg wheel."""
    return imageio_ffmpeg.get_ffmpeg_exe()


@functools.cache
def available_encoders() -> frozenset[str]:
    """Return the names of the video encoders the bundled ffmpeg was built with."""
    listing = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-encoders"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    names = re.findall(r"^\s*V\S{5}\s+(\S+)", listing, flags=re.MULTILINE)
    return frozenset(names)


def probe(path: str | Path) -> dict:
    """Decode the first video stream of ``path`` and describe it.

    Returns a dict with ``width``, ``height``, ``frame_rate`` (Fraction), ``pix_fmt``,
    ``codec``, ``color_range``, ``colorspace``, ``color_primaries``, ``color_transfer``,
    ``chapters`` (list of titles), ``chapter_times`` (list of (start, end) seconds as
    floats, as ffmpeg prints them) and ``frame_count`` (frames actually decoded).
    """
    log = _run_showinfo(Path(path))
    header, _, _ = log.partition("Stream mapping:")
    info = _parse_stream_header(header)
    info.update(_parse_showinfo(log))
    info["chapters"], info["chapter_times"] = _parse_chapters(header)
    return info


def decode_frames(path: str | Path, width: int, height: int) -> np.ndarray:
    """Decode every frame of ``path`` to sRGB, shape (N, height, width, 3), uint8.

    YUV is converted back with the BT.709 matrix and TV range, the inverse of what the
    encoder sink writes. The stream is never resized: a file whose frames are not
    ``width`` x ``height`` raises ProbeError.
    """
    scale = "scale=in_color_matrix=bt709:in_range=tv:flags=accurate_rnd+full_chroma_int"
    command = _decode_command(path, f"{scale},format=rgb24", ["-f", "rawvideo", "pipe:1"])
    result = subprocess.run(command, capture_output=True, check=False)
    log = result.stderr.decode(errors="replace")
    if result.returncode != 0:
        tail = "\n".join(log.splitlines()[-10:])
        raise ProbeError(f"ffmpeg could not decode {path}:\n{tail}")
    stream = _STREAM_LINE.search(log)
    size = _SIZE.search(stream.group(0)) if stream else None
    if size is None or (int(size.group(1)), int(size.group(2))) != (width, height):
        found = f"{size.group(1)}x{size.group(2)}" if size else "no video stream"
        raise ProbeError(f"{path} holds {found}, not the {width}x{height} frames asked for")
    return np.frombuffer(result.stdout, np.uint8).reshape(-1, height, width, 3)


def _decode_command(path: str | Path, video_filter: str, output: list[str]) -> list[str]:
    """ffmpeg decoding the first video stream of ``path`` through ``video_filter``."""
    return [
        ffmpeg_exe(), "-hide_banner", "-nostdin", "-nostats", "-loglevel", "info",
        "-i", str(path), "-map", "0:v:0", "-vf", video_filter, *output,
    ]  # fmt: skip


def _run_showinfo(path: Path) -> str:
    """Decode ``path`` through showinfo and return ffmpeg's log."""
    if not path.is_file():
        raise ProbeError(f"cannot probe {path}: no such file")
    command = _decode_command(path, "showinfo", ["-f", "null", "-"])
    result = subprocess.run(command, capture_output=True, text=True, errors="replace")
    if result.returncode != 0:
        tail = "\n".join(result.stderr.splitlines()[-10:])
        raise ProbeError(f"ffmpeg could not decode {path}:\n{tail}")
    return result.stderr


_STREAM_LINE = re.compile(r"Stream #0:\d+\S*: Video: (?P<codec>\w+)[^\n]*")
_SIZE = re.compile(r", (\d+)x(\d+)[, \[]")


def _parse_stream_header(header: str) -> dict:
    """Read the codec name from the input's first video stream line."""
    match = _STREAM_LINE.search(header)
    if match is None:
        raise ProbeError("ffmpeg reported no video stream")
    return {"codec": match.group("codec")}


_CONFIG_LINE = re.compile(r"config in time_base: \S+, frame_rate: (\d+)/(\d+)")
_FRAME_LINE = re.compile(r"\bn:\s*\d+ pts:.*?\bfmt:(\w+).*?\bs:(\d+)x(\d+)")
_COLOR_LINE = re.compile(
    r"color_range:(\w+) color_space:(\w+) color_primaries:(\w+) color_trc:([\w-]+)"
)


def _parse_showinfo(log: str) -> dict:
    """Read frame rate, frame size, pixel format, colour tags and frame count."""
    config = _CONFIG_LINE.search(log)
    frames = _FRAME_LINE.findall(log)
    color = _COLOR_LINE.search(log)
    if config is None or not frames:
        raise ProbeError("ffmpeg decoded no video frames")
    pix_fmt, width, height = frames[0]
    info = {
        "frame_rate": Fraction(int(config.group(1)), int(config.group(2))),
        "pix_fmt": pix_fmt,
        "width": int(width),
        "height": int(height),
        "frame_count": len(frames),
    }
    names = ("color_range", "colorspace", "color_primaries", "color_transfer")
    values = color.groups() if color else ("unknown",) * 4
    info.update(zip(names, values, strict=True))
    return info


_CHAPTER_LINE = re.compile(r"Chapter #\d+:\d+: start (-?[\d.]+), end (-?[\d.]+)")
_TITLE_LINE = re.compile(r"^\s+title\s+: (.*)$")


def _parse_chapters(header: str) -> tuple[list[str], list[tuple[float, float]]]:
    """Read chapter titles and times from the input header (before the streams)."""
    titles: list[str] = []
    times: list[tuple[float, float]] = []
    lines = header.split("Stream #", 1)[0].splitlines()
    for index, line in enumerate(lines):
        chapter = _CHAPTER_LINE.search(line)
        if chapter is None:
            continue
        times.append((float(chapter.group(1)), float(chapter.group(2))))
        title = ""
        for following in lines[index + 1 : index + 4]:
            if _CHAPTER_LINE.search(following):
                break
            found = _TITLE_LINE.match(following)
            if found:
                title = found.group(1)
                break
        titles.append(title)
    return titles, times
