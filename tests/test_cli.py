"""The command line as a user meets it: outputs, errors, exit codes and cleanup."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from processes import alive, descendants, is_ffmpeg

from insideweights.renderer.ffmpeg_probe import probe

SMALL = ["--size", "160x90"]
REPO = Path(__file__).resolve().parents[1]
# Subprocesses import the same code as this test process, installed or not.
ENV = {**os.environ, "PYTHONPATH": str(REPO)}


def run_cli(*args: str, cwd: Path, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "insideweights", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=ENV,
    )


def start_cli(*args: str, cwd: Path) -> subprocess.Popen:
    """The CLI running in the background, for tests that signal it."""
    return subprocess.Popen(
        [sys.executable, "-m", "insideweights", *args],
        cwd=cwd,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_phases_table_lists_seven_phases_and_6000_frames(tmp_path):
    result = run_cli("phases", "--fps", "60", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line[:2].strip().isdigit()]
    assert len(rows) == 7
    assert "Soft Targets & Loss" in result.stdout
    assert "6000 frames" in result.stdout


def test_phases_table_at_24_fps(tmp_path):
    result = run_cli("phases", "--fps", "24", cwd=tmp_path)
    assert "2400 frames" in result.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["render", "--fps", "0"], "--fps must be a positive number"),
        (["render", "--fps", "fast"], "--fps must be a positive number"),
        (["render", "--size", "161x90"], "even width and height"),
        (["render", "--frames", "10:5", *SMALL], "--frames must satisfy"),
        (["render", "--phase", "9", *SMALL], "--phase must be a phase number from 1 to 7"),
        (["still", "--frame", "6000", *SMALL], "--frame must be a whole frame number"),
        (["render", "--quality", "ultra"], "invalid choice"),
        (["render", *SMALL, "--out", "reel.webm"], "--out must end in .mp4 or .m4v"),
        (["render", *SMALL, "--format", "webm", "--out", "r.mp4"], "--out must end in .webm"),
        (["render", *SMALL, "--out", "noext"], "--out must end in .mp4"),
        (["render", *SMALL, "--out", ""], "--out must name a file or folder, got ''"),
        (["render", *SMALL, "--out", "missing/reel.mp4"], "does not exist; create it first"),
        (["still", *SMALL, "--frame", "3", "--out", "a.jpg"], "--out must end in .png"),
        (["still", *SMALL, "--frame", "3", "--out", "."], "--out must end in .png"),
        (["contact-sheet", "--out", "sheet.jpg"], "--out must end in .png"),
        (["render", *SMALL, "--workers", "abc"], "--workers must be a whole number from 1"),
        (["render", *SMALL, "--workers", "0"], "--workers must be a whole number from 1"),
        (["render", *SMALL, "--workers", "1000"], "got '1000'"),
        (["render", "--fps", "-60/1"], "--fps must be a positive number"),
        (["render", "--size", "-1920x1080"], "--size must be WIDTHxHEIGHT"),
        (["still", *SMALL, "--time", "-1"], "--time must be a number of seconds"),
        (["contact-sheet", "--quiet", "--verbose"], "not allowed with argument --quiet"),
        (["render", *SMALL, "--format", "png", "--out", "a.mp4"], "looks like a file name"),
        (["render", *SMALL, "--out", " "], "--out must name a file or folder, got ' '"),
        (["render", *SMALL, "--out", "reel.mp4/"], "--out must name a file, not a folder"),
        (["render", *SMALL, "--out", "a" * 300 + ".mp4"], "--out has a name of 304 bytes"),
        (["render", *SMALL, "--out", "a" * 300 + "/r.mp4"], "File name too long"),
        (["render", *SMALL, "--format", "png", "--out", "b" * 300], "name of 300 bytes"),
        (["render", *SMALL, "--size", "9" * 5000 + "x90"], "--size width must be between"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(tmp_path, args, needle):
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 or "usage:" in result.stderr, result.stderr
    assert needle in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_png_render_refuses_a_folder_where_one_of_its_frames_must_go(tmp_path):
    (tmp_path / "frames" / "frame_000001.png").mkdir(parents=True)
    result = run_cli(
        "render", *SMALL, "--format", "png", "--frames", "0:3", "--out", "frames", cwd=tmp_path
    )
    assert result.returncode == 2, result.stderr
    assert "holds a folder named frame_000001.png" in result.stderr
    assert [p.name for p in (tmp_path / "frames").iterdir()] == ["frame_000001.png"]


def test_png_render_onto_a_file_is_refused_before_any_work(tmp_path):
    (tmp_path / "frames").write_text("a file, not a folder")
    result = run_cli("render", *SMALL, "--format", "png", "--out", "frames", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "insideweights render: error: --out must name a folder for --format png, "
        "got the file 'frames'"
    )


def test_unwritable_folder_is_a_clear_error(tmp_path):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file where a folder should be")
    out = blocker / "reel.mp4"
    result = run_cli("render", *SMALL, "--frames", "0:2", "--out", str(out), cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"--out {str(out)!r}" in result.stderr and str(blocker) in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not_a_folder"]


def test_short_render_decodes_to_the_expected_frames_with_bt709_tags(tmp_path):
    out = tmp_path / "part.mp4"
    result = run_cli(
        "render",
        *SMALL,
        "--fps",
        "12",
        "--frames",
        "0:12",
        "--quality",
        "draft",
        "--out",
        str(out),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    info = probe(out)
    assert info["frame_count"] == 12
    assert (info["width"], info["height"]) == (160, 90)
    assert info["pix_fmt"] == "yuv420p"
    assert info["color_range"] == "tv"
    assert info["colorspace"] == info["color_primaries"] == info["color_transfer"] == "bt709"
    assert info["chapters"] == ["1 \u00b7 Where Intelligence Lives"]


def test_still_equals_the_same_frame_of_a_png_render(tmp_path):
    frames = tmp_path / "frames"
    render = run_cli(
        "render",
        *SMALL,
        "--format",
        "png",
        "--frames",
        "899:902",
        "--out",
        str(frames),
        cwd=tmp_path,
    )
    assert render.returncode == 0, render.stderr
    assert sorted(p.name for p in frames.iterdir()) == [
        "frame_000899.png",
        "frame_000900.png",
        "frame_000901.png",
    ]
    still = run_cli("still", *SMALL, "--frame", "900", "--out", "still.png", cwd=tmp_path)
    assert still.returncode == 0, still.stderr
    assert (tmp_path / "still.png").read_bytes() == (frames / "frame_000900.png").read_bytes()


def test_still_by_time_names_the_frame(tmp_path):
    result = run_cli("still", *SMALL, "--time", "1.5", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "frame_000090.png").stat().st_size > 0


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_interrupted_render_leaves_nothing_behind(tmp_path, signum, code):
    existing = tmp_path / "reel.mp4"
    existing.write_bytes(b"an earlier render")
    process = start_cli(
        "render", "--size", "320x180", "--quality", "draft", "--out", str(existing), cwd=tmp_path
    )
    ffmpeg = []
    deadline = time.monotonic() + 60
    while not ffmpeg and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
        ffmpeg = [pid for pid in descendants(process.pid) if is_ffmpeg(pid)]
    assert ffmpeg, "ffmpeg never started"
    time.sleep(1.0)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)

    assert process.returncode == code, stderr
    assert "Traceback" not in stderr
    assert not any(alive(pid) for pid in ffmpeg)
    assert [p.name for p in tmp_path.iterdir()] == ["reel.mp4"]
    assert existing.read_bytes() == b"an earlier render"


def test_interrupted_png_render_leaves_the_folder_as_it_was(tmp_path):
    frames = tmp_path / "frames"
    frames.mkdir()
    (frames / "frame_000000.png").write_bytes(b"an earlier frame")
    process = start_cli(
        "render", "--size", "320x180", "--format", "png", "--frames", "0:600",
        "--out", str(frames), cwd=tmp_path,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    staging = []
    while time.monotonic() < deadline and process.poll() is None:
        staging = [p for p in tmp_path.iterdir() if p.name.startswith(".frames.partial-")]
        if staging and any(staging[0].iterdir()):
            break
        time.sleep(0.1)
    assert staging, "the render never started writing frames"
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)

    assert process.returncode == 130, stderr
    assert [p.name for p in tmp_path.iterdir()] == ["frames"]
    assert [p.name for p in frames.iterdir()] == ["frame_000000.png"]
    assert (frames / "frame_000000.png").read_bytes() == b"an earlier frame"


def test_ctrl_c_while_the_program_is_still_importing_is_one_line_and_exit_130(tmp_path):
    """Importing numba and skia takes about a second: a signal then gets the same
    treatment as later, not a KeyboardInterrupt traceback."""
    process = start_cli("still", *SMALL, "--frame", "5", "--out", "s.png", cwd=tmp_path)
    time.sleep(0.3)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines() == ["insideweights: interrupted; nothing was written"]
    assert list(tmp_path.iterdir()) == []


def test_png_render_into_a_used_folder_says_which_old_frames_stay(tmp_path):
    frames = tmp_path / "frames"
    frames.mkdir()
    for index in (0, 1, 7):  # 1 is replaced by the render below; 0 and 7 stay
        (frames / f"frame_{index:06d}.png").write_bytes(b"old")
    (frames / "notes.txt").write_text("not a frame")
    result = run_cli(
        "render", *SMALL, "--format", "png", "--frames", "1:3", "--out", str(frames), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "already holds 2 frame file(s) outside frames 1..2" in result.stderr
    assert (frames / "frame_000001.png").read_bytes() != b"old"
    assert (frames / "frame_000007.png").read_bytes() == b"old"
    quiet = run_cli(
        "render",
        *SMALL,
        "--format",
        "png",
        "--frames",
        "1:2",
        "--out",
        str(frames),
        "--quiet",
        cwd=tmp_path,
    )
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_ctrl_c_after_the_output_is_complete_does_not_say_nothing_was_written(
    tmp_path, monkeypatch, capsys
):
    from insideweights import cli

    def interrupted_summary(*args, **kwargs):
        raise KeyboardInterrupt  # Ctrl-C while the summary line is logged

    monkeypatch.setattr(cli.log, "info", interrupted_summary)
    out = tmp_path / "late.png"
    code = cli.main(["still", "--frame", "0", *SMALL, "--out", str(out)])
    assert code == 130 and out.is_file()
    assert capsys.readouterr().err.strip() == (
        f"insideweights still: interrupted; {out} was already complete"
    )


def test_reproducible_webm_is_byte_identical_across_runs_and_workers(tmp_path):
    # VP9's row multithreading makes default WebMs differ run to run, and joining
    # chunks (200 frames at 12 fps are three) draws a random Matroska track UID;
    # --reproducible pins both (MP4 repeats anyway, so WebM is the case that can fail).
    digests = []
    for name, workers in (("a", "1"), ("b", "1"), ("c", "2")):
        out = tmp_path / f"{name}.webm"
        result = run_cli(
            "render",
            "--size",
            "192x108",
            "--fps",
            "12",
            "--format",
            "webm",
            "--frames",
            "0:200",
            "--workers",
            workers,
            "--reproducible",
            "--out",
            str(out),
            "--quiet",
            cwd=tmp_path,
        )
        assert result.returncode == 0, result.stderr
        digests.append(out.read_bytes())
    assert digests[0] == digests[1] == digests[2]


def test_workers_beyond_the_chunks_of_a_short_range_are_announced(tmp_path):
    result = run_cli(
        "render", *SMALL, "--frames", "0:6", "--workers", "2", "--out", "r.mp4", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "6 frame(s) make 1 chunk(s) of up to 6 frames, so 1 of the 2 --workers" in (
        result.stderr
    )


def test_a_render_into_a_log_reports_each_tenth_in_plain_lines(tmp_path):
    result = run_cli("render", *SMALL, "--frames", "0:20", "--out", "r.mp4", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("frames ")]
    assert [line.split(",")[0] for line in lines] == [
        f"frames {2 * step}/20 ({10 * step}%)" for step in range(1, 10)
    ]
    assert "\r" not in result.stderr  # no bar redrawn in the log
