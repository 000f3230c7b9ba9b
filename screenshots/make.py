"""Regenerate the pictures in this folder: ``python screenshots/make.py``.

Each scene opens the app headless at a fixed size, sets it up with the keys a learner would
press, and saves an SVG; ``rsvg-convert`` (Debian: librsvg2-bin), when installed, turns
each into a PNG for places that do not show SVG.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from engine.library import find
from tui.app import ChainstepApp
from tui.programs import Source

HERE = Path(__file__).parent

BROKEN = "x = 3\ny = x * w\nL = y + 1\n"

# name -> (example, keys to press, then text to put in an open editor and run)
SCENES: dict[str, tuple[str, Sequence[str], str | None]] = {
    "start": ("chain", (), None),
    "two-paths-accumulate": ("two-paths", ("end",), None),
    "sigmoid-gate-by-gate": ("sigmoid-neuron", ("b", "right", "right", "right", "right"), None),
    "check": ("sigmoid-one-gate", ("end", "c"), None),
    "dag-two-paths": ("two-paths", ("g", "end"), None),
    "examples": ("chain", ("o",), None),
    "editor-error": ("chain", ("e",), BROKEN),
    "help": ("chain", ("question_mark",), None),
}


async def shoot(name: str, example: str, keys: Sequence[str], edit: str | None) -> Path:
    found = find(example)
    assert found is not None
    app = ChainstepApp(Source(found.name, found.title, found.text))
    async with app.run_test(size=(100, 30)) as pilot:
        app.animation_level = "none"
        await pilot.press(*keys)
        for area in app.screen.query("TextArea"):
            area.cursor_blink = False
            if edit is not None:
                area.text = edit
                await pilot.press("ctrl+s")
        await pilot.pause()
        return Path(app.save_screenshot(filename=f"{name}.svg", path=str(HERE)))


def main() -> None:
    converter = shutil.which("rsvg-convert")
    for name, (example, keys, edit) in SCENES.items():
        svg = asyncio.run(shoot(name, example, keys, edit))
        if converter:
            # librsvg drops the leading spaces of each run of text unless told to keep them
            preserved = svg.read_text().replace("<svg ", '<svg xml:space="preserve" ', 1)
            subprocess.run(
                [converter, "-o", str(svg.with_suffix(".png"))],
                input=preserved.encode(),
                check=True,
            )
        print(svg.with_suffix(".png" if converter else ".svg").relative_to(HERE.parent))
    if not converter:
        print("rsvg-convert not found: SVGs only (apt-get install librsvg2-bin for PNGs)")


if __name__ == "__main__":
    main()
