"""PNG output: single stills and numbered frame sequences, each file written atomically.

The encoder is a small PNG writer on numpy and zlib rather than Skia or ffmpeg: on a
1080p frame of the reel it was the fastest of the three (about 26 ms against 64 ms for
Skia's encoder and 41 ms for a long-running ffmpeg), it is deterministic, and zlib
releases the GIL so a caller may compress on a worker thread. Rows are stored unfiltered
at zlib level 3: the reel's flat dark background compresses well without PNG filters.
"""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

import numpy as np

from insideweights.renderer.output_files import OutputPathError, remove_quietly

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_ZLIB_LEVEL = 3
_COLOUR_TYPE = {3: 2, 4: 6}  # channels -> PNG colour type (truecolour, with alpha)


def encode_png(frame: np.ndarray) -> bytes:
    """Encode a (H, W, 4) or (H, W, 3) uint8 sRGB frame as PNG bytes.

    An RGBA frame whose alpha is 255 everywhere is stored as RGB (a quarter smaller);
    any transparency keeps the alpha channel.
    """
    pixels = _checked_pixels(frame)
    if pixels.shape[2] == 4 and bool((pixels[:, :, 3] == 255).all()):
        pixels = pixels[:, :, :3]
    height, width, channels = pixels.shape
    rows = np.empty((height, 1 + width * channels), np.uint8)
    rows[:, 0] = 0  # filter type "none" on every row
    rows[:, 1:].reshape(height, width, channels)[:] = pixels
    header = struct.pack(">IIBBBBB", width, height, 8, _COLOUR_TYPE[channels], 0, 0, 0)
    return b"".join(
        [
            _SIGNATURE,
            _chunk(b"IHDR", header),
            _chunk(b"sRGB", b"\x00"),  # perceptual intent: the pixels are sRGB
            _chunk(b"IDAT", zlib.compress(rows, _ZLIB_LEVEL)),
            _chunk(b"IEND", b""),
        ]
    )


def write_png(path: str | os.PathLike, frame: np.ndarray) -> Path:
    """Write ``frame`` to ``path`` as PNG atomically and return the path.

    The bytes go to a hidden temporary file in the same folder, renamed over ``path``
    only when complete, so a reader never sees a half-written image.
    """
    final = Path(path).absolute()
    data = encode_png(frame)
    temporary = final.with_name(f".{final.name}.partial-{os.getpid()}")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, final)
    except OSError as error:
        remove_quietly(temporary)
        raise OutputPathError(f"cannot write PNG {final}: {error.strerror or error}") from error
    return final


class PngSequenceSink:
    """Write frames as ``<prefix><global index>.png`` into ``folder``, one file each.

    Files are named by the frame's global index in the reel, starting at
    ``start_index``, so a partial render (``--frames A:B``) lands beside a full one.
    """

    def __init__(
        self,
        folder: str | os.PathLike,
        start_index: int = 0,
        digits: int = 6,
        prefix: str = "frame_",
    ) -> None:
        if isinstance(start_index, bool) or not isinstance(start_index, int) or start_index < 0:
            raise ValueError(f"start_index must be a non-negative int, got {start_index!r}")
        if isinstance(digits, bool) or not isinstance(digits, int) or not 1 <= digits <= 12:
            raise ValueError(f"digits must be an int from 1 to 12, got {digits!r}")
        self.folder = Path(folder).absolute()
        self.start_index = start_index
        self.digits = digits
        self.prefix = prefix
        self.frames_written = 0

    def __enter__(self) -> PngSequenceSink:
        self.start()
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        self.close()

    def start(self) -> None:
        """Create the folder (and parents) if needed."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise OutputPathError(
                f"cannot create PNG folder {self.folder}: {error.strerror or error}"
            ) from error

    def path_for(self, index: int) -> Path:
        """Return the file name for global frame ``index``."""
        if index >= 10**self.digits:
            raise ValueError(
                f"frame index {index} needs more than digits={self.digits} digits; "
                f"raise digits so file names keep sorting in frame order"
            )
        return self.folder / f"{self.prefix}{index:0{self.digits}d}.png"

    def write(self, frame: np.ndarray) -> Path:
        """Write the next frame and return its path."""
        path = write_png(self.path_for(self.start_index + self.frames_written), frame)
        self.frames_written += 1
        return path

    def close(self) -> None:
        """Nothing is buffered: every write is already a complete file."""

    def abort(self) -> None:
        """Same as close: finished frames are kept, no file is ever half-written."""


def _chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data and the CRC of type + data."""
    crc = zlib.crc32(data, zlib.crc32(kind))
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def _checked_pixels(frame: np.ndarray) -> np.ndarray:
    """Raise ValueError unless ``frame`` is a (H, W, 3 or 4) uint8 array."""
    if (
        not isinstance(frame, np.ndarray)
        or frame.dtype != np.uint8
        or frame.ndim != 3
        or frame.shape[2] not in _COLOUR_TYPE
        or frame.shape[0] == 0
        or frame.shape[1] == 0
    ):
        got = (
            f"{frame.dtype} array of shape {frame.shape}"
            if isinstance(frame, np.ndarray)
            else type(frame).__name__
        )
        raise ValueError(f"frame must be a uint8 array of shape (H, W, 3 or 4), got {got}")
    return frame
