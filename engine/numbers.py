"""How a number is written wherever chainstep shows one."""

from __future__ import annotations


def fmt(x: float | None) -> str:
    """Six significant digits, integers without a trailing ``.0``, and no ``-0``.

    Six digits are enough to check against hand-worked notes (0.731059, -0.196612)
    while keeping seed numbers like 20 and 36 exactly as the notes write them.
    ``nan``, ``inf`` and ``-inf`` come out as such.
    """
    if x is None:
        return ""
    text = f"{x:.6g}"
    return "0" if text == "-0" else text
