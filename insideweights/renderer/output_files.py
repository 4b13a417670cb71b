"""Output-path checks and temporary names for atomic writes.

A render never writes its final path directly: it writes a hidden temporary file in the
same folder (so the final rename stays on one filesystem and is atomic) and renames it
only once the file is complete. A failed render therefore never destroys an existing
output and never leaves a half-written file under the final name.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

# Refuse to start when the output folder has less than this free: a render that would
# fail a minute in with "No space left on device" should fail before the first frame.
MIN_FREE_BYTES = 64 * 1024 * 1024


class OutputPathError(OSError):
    """The output path cannot be written (missing or read-only folder, full disk, ...)."""


def check_output_folder(folder: Path, min_free_bytes: int | None = None) -> None:
    """Raise OutputPathError unless ``folder`` is an existing, writable directory with space.

    ``min_free_bytes`` defaults to the module's MIN_FREE_BYTES, read at call time so tests
    can lower it.
    """
    if min_free_bytes is None:
        min_free_bytes = MIN_FREE_BYTES
    if not folder.exists():
        blocker = _first_non_directory_ancestor(folder)
        if blocker is not None:
            raise OutputPathError(
                f"output folder {folder} cannot exist: {blocker} is a file, not a folder"
            )
        raise OutputPathError(f"output folder {folder} does not exist; create it first")
    if not folder.is_dir():
        raise OutputPathError(f"output folder {folder} is a file, not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputPathError(f"output folder {folder} is not writable by this user")
    free = shutil.disk_usage(folder).free
    if free < min_free_bytes:
        raise OutputPathError(
            f"output folder {folder} has {free / 2**20:.1f} MiB free, "
            f"need at least {min_free_bytes / 2**20:.1f} MiB to start a render"
        )


def reserve_temporary(final: Path, purpose: str, suffix: str) -> Path:
    """Create an empty hidden file beside ``final`` and return its path.

    The name is ``.<final name>.<purpose>-<pid>-<n><suffix>``; creating it with O_EXCL both
    proves the folder is really writable (root ignores permission bits, a read-only mount
    does not) and reserves a name no other render can take.
    """
    pid = os.getpid()
    for attempt in range(1000):
        candidate = final.with_name(f".{final.name}.{purpose}-{pid}-{attempt}{suffix}")
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            continue
        except OSError as error:
            raise OutputPathError(
                f"cannot create a temporary file in {final.parent}: {error.strerror}"
            ) from error
        os.close(fd)
        return candidate
    raise OutputPathError(f"no free temporary name for {final} after 1000 attempts")


def remove_quietly(path: Path | None) -> None:
    """Delete ``path`` if it exists; cleanup must not mask the error that caused it."""
    if path is None:
        return
    with contextlib.suppress(OSError):
        path.unlink()


def _first_non_directory_ancestor(folder: Path) -> Path | None:
    """Return the nearest existing ancestor of ``folder`` that is not a directory."""
    for ancestor in (folder, *folder.parents):
        if ancestor.exists():
            return None if ancestor.is_dir() else ancestor
    return None
