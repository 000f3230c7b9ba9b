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


@dataclass(frozen=True, slots=True)
class ScriptExample:
    """A Python script to run with ``chainstep run NAME``: the learner's kind of code (a
    Value class, an MLP, a training loop), which the safe language does not take."""

    name: str
    title: str
    about: str
    path: str
    """Inside ``engine/examples/scripts``: the script to run (its folder holds its modules)."""


SCRIPTS = (
    ScriptExample(
        "lecture-mlp",
        "An MLP over your own Value class (the lecture's way)",
        "Value in engine.py, Neuron, Layer and MLP in nn.py, trained a few steps in train.py; the"
        " graph is the last backward()'s: 41 parameters, each named by its path.",
        "lecture-mlp/train.py",
    ),
    ScriptExample(
        "micrograd-mlp",
        "micrograd's own MLP (needs `pip install micrograd`)",
        "micrograd.nn.MLP(3, [4, 4, 1]) from PyPI on four points, trained a few steps.",
        "micrograd-mlp/train.py",
    ),
)


def find_script(name: str) -> ScriptExample | None:
    return next((script for script in SCRIPTS if script.name == name), None)


def script_path(script: ScriptExample) -> str:
    """Where the installed script is (a real file: the package is installed unzipped)."""
    return str(resources.files("engine.examples").joinpath("scripts", script.path))
