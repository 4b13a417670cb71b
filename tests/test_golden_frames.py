"""Golden frames of the whole reel: each checked frame, rendered alone, equals its PNG.

The cases (first and last frame, three inside each phase, the middle of every wipe) are
derived from the reel's timing at 60 fps and drawn at 480x270. To regenerate after an
intended visual change: ``.venv/bin/python -m pytest tests/test_golden_frames.py
--update-goldens`` (see tests/golden/README.md).
"""

from __future__ import annotations

import golden_harness as harness
import pytest

from insideweights.phases.reel import PHASES, reel_timing

TIMING = reel_timing(harness.GOLDEN_FPS)
CASES = harness.golden_cases(TIMING)


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_frame_matches_its_golden(case, golden_producer, golden_check):
    golden_check(case, golden_producer.frame(case.frame).copy())


def test_cases_cover_first_and_last_frame_every_phase_and_every_wipe():
    assert TIMING.total_frames == 6000  # 100 s at 60 fps
    roles = [case.role for case in CASES]
    assert len(CASES) == 2 + 3 * len(PHASES) + (len(PHASES) - 1) == 29
    assert (CASES[0].frame, CASES[0].role) == (0, "first")
    assert (CASES[-1].frame, CASES[-1].role) == (TIMING.total_frames - 1, "last")
    assert roles.count("wipe") == len(PHASES) - 1
    for case in CASES:
        slot = TIMING.locate(case.frame)
        if case.role == "wipe":
            assert slot.transition is not None and slot.transition.progress == 0.5, case
            assert case.name.startswith(f"wipe_{slot.index}-{slot.index + 1}_"), case
        else:
            assert slot.transition is None, case
            assert case.name.startswith(f"p{slot.index + 1}_"), case
    for index in range(len(PHASES)):
        inside = [c for c in CASES if c.role == "inside" and TIMING.locate(c.frame).index == index]
        assert len(inside) == 3, index


def test_case_names_follow_the_pattern_in_the_issue():
    names = {case.name for case in CASES}
    assert "p3_f02250_60fps.png" in names
    assert "wipe_2-3_f01800_60fps.png" in names
    assert "p1_f00000_60fps.png" in names
    assert "p7_f05999_60fps.png" in names


def test_no_golden_on_disk_is_left_without_a_case(golden_check):
    stale = harness.stale_goldens(CASES)
    if golden_check.update:
        for path in stale:
            golden_check.remove(path)
        return
    assert not stale, (
        f"golden files no case uses (timing or size changed?): {[p.name for p in stale]}; "
        f"remove them with `{harness.UPDATE_COMMAND}`"
    )
