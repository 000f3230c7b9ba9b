"""Shortening text to a width without cutting a number: the one helper for every panel."""

from __future__ import annotations

import re

_NUMBER = re.compile(r"(?<![\w.])-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?")


def shorten(text: str, width: int) -> str:
    """``text`` if it fits, else its head and an ellipsis, the cut moved back to before
    any number it would split (``weight * 0.0001`` in 12 cells is ``weight * …``, never
    ``weight * 0.0…``, which would read as a different number)."""
    if len(text) <= width or width < 1:
        return text
    cut = width - 1
    for number in _NUMBER.finditer(text):
        if number.start() < cut < number.end():
            cut = number.start()
            break
    return text[:cut] + "…"
