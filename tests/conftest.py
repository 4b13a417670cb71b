"""Shared pytest setup for the golden frames: the update option, one producer, the check.

``--update-goldens`` (or ``INSIDEWEIGHTS_UPDATE_GOLDENS=1``) makes ``golden_check`` write
goldens instead of comparing; without it a missing golden fails. See tests/golden/README.md.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import golden_harness as harness
import pytest

from insideweights.renderer.equations import CACHE_DIR_ENV

UPDATE_KEY = pytest.StashKey[bool]()
WRITTEN_KEY = pytest.StashKey[list]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        harness.UPDATE_OPTION,
        action="store_true",
        default=False,
        help=f"rewrite golden frames in tests/golden/ instead of comparing "
        f"(same as {harness.UPDATE_ENV}=1); never happens otherwise",
    )


def pytest_configure(config: pytest.Config) -> None:
    try:
        config.stash[UPDATE_KEY] = harness.update_requested(
            config.getoption(harness.UPDATE_OPTION)
        )
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None
    config.stash[WRITTEN_KEY] = []
    _private_equation_cache(config)


def _private_equation_cache(config: pytest.Config) -> None:
    """Typeset equations into a throw-away cache, never the user's ~/.cache.

    Set in the environment so CLI subprocesses started by tests use it too.
    """
    if os.environ.get(CACHE_DIR_ENV):
        return
    folder = tempfile.mkdtemp(prefix="insideweights-test-cache-")
    os.environ[CACHE_DIR_ENV] = folder
    config.add_cleanup(
        lambda: (os.environ.pop(CACHE_DIR_ENV, None), shutil.rmtree(folder, ignore_errors=True))
    )


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    """In update mode, say which goldens changed so the diff to commit is no surprise."""
    if not config.stash.get(UPDATE_KEY, False):
        return
    written = config.stash.get(WRITTEN_KEY, [])
    terminalreporter.section("golden frames updated")
    terminalreporter.write_line(f"{len(written)} golden file(s) written or removed:")
    for line in written:
        terminalreporter.write_line(f"  {line}")


class GoldenCheck:
    """``check(case, rendered)``: compare with the golden, or rewrite it in update mode."""

    def __init__(self, update: bool, written: list[str]) -> None:
        self.update = update
        self.written = written

    def __call__(self, case: harness.GoldenCase, rendered) -> None:
        if self.update:
            if harness.write_golden(harness.GOLDEN_DIR / case.name, rendered):
                self.written.append(f"wrote {case.name}")
            return
        harness.verify(case.name, rendered)

    def remove(self, path) -> None:
        """Delete a stale golden (update mode only)."""
        path.unlink()
        self.written.append(f"removed {path.name}")


@pytest.fixture(scope="session")
def golden_check(pytestconfig: pytest.Config) -> GoldenCheck:
    return GoldenCheck(pytestconfig.stash[UPDATE_KEY], pytestconfig.stash[WRITTEN_KEY])


@pytest.fixture(scope="session")
def golden_producer():
    """One FrameProducer at the golden size and rate, shared by every golden case."""
    from insideweights.compose import FrameProducer

    return FrameProducer(harness.GOLDEN_FPS, harness.GOLDEN_WIDTH, harness.GOLDEN_HEIGHT)
