"""The example library: every worked example of the notes, plus a few they do not cover.

Examples are plain program files in ``engine/examples`` named ``NN-name.chain``; the
number orders the list, the name is what a user types. Their first comment lines carry a
title and a one-line description, so the files stay valid programs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

DEFAULT = "chain"
_HEADER = re.compile(r"#\s*(title|about):\s*(.*)")


@dataclass(frozen=True, slots=True)
class Example:
    name: str
    title: str
    about: str
    text: str


@cache
def examples() -> tuple[Example, ...]:
    files = sorted(
        (
            entry
            for entry in resources.files("engine.examples").iterdir()
            if entry.name.endswith(".chain")
        ),
        key=lambda entry: entry.name,
    )
    return tuple(_read(entry.name, entry.read_text(encoding="utf-8")) for entry in files)


def find(name: str) -> Example | None:
    return next((example for example in examples() if example.name == name), None)


def _read(filename: str, text: str) -> Example:
    name = filename.removesuffix(".chain").split("-", 1)[1]
    header = {}
    for line in text.splitlines():
        match = _HEADER.match(line)
        if match:
            header[match.group(1)] = match.group(2).strip()
    return Example(name, header.get("title", name), header.get("about", ""), text)
