"""scripts/screenshots.py serves the demo and writes the documentation's screenshots."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import pytest

from tests.scripts import load_script

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


# The pages are the script's own list.
SHOTS: tuple[str, ...] = load_script("scripts/screenshots.py", "screenshots").SHOTS
MAX_BYTES = 300 * 1024


def _png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (the first, right after the signature)."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    assert head[12:16] == b"IHDR"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


# The script serves its own demo and waits for a scored answer: minutes on a loaded machine.
@pytest.mark.timeout(900)
def test_the_script_writes_every_screenshot_at_1280_by_800(tmp_path: Path) -> None:
    """Run as documented, into a temporary folder: each page is a 1280x800 PNG under 300 KB."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "screenshots.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=840,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(SHOTS)
    for name in SHOTS:
        shot = tmp_path / name
        assert _png_size(shot) == (1280, 800), name
        assert shot.stat().st_size < MAX_BYTES, name
        assert f"wrote {shot}" in done.stdout


def test_the_committed_screenshots_are_the_scripts_size() -> None:
    """docs/screenshots holds every page the script takes, at its size and weight."""
    folder = ROOT / "docs" / "screenshots"
    for name in SHOTS:
        assert _png_size(folder / name) == (1280, 800), name
        assert (folder / name).stat().st_size < MAX_BYTES, name
