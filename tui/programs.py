"""Where a program comes from: a file, an example's name, or standard input (``-``)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from engine.library import Example, find


class SourceError(Exception):
    """A program that could not be read at all (as opposed to one that does not parse)."""


@dataclass(frozen=True, slots=True)
class Source:
    where: str
    """What error messages name: the path, the example's name, or ``<stdin>``."""
    title: str
    text: str

    @classmethod
    def of(cls, example: Example) -> Source:
        return cls(example.name, example.title, example.text)


def read_program(spec: str, stdin: BinaryIO | None = None) -> Source:
    """Resolve PROGRAM as the command line documents it: ``-``, a path, or an example name."""
    if spec == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        return Source("<stdin>", "standard input", _decode(stream.read(), "<stdin>"))
    path = Path(spec)
    if path.is_file():
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SourceError(f"{spec}: cannot read the file: {exc.strerror}") from None
        return Source(spec, path.name, _decode(data, spec))
    example = find(spec)
    if example is not None:
        return Source.of(example)
    if path.exists():
        raise SourceError(f"{spec}: not a file")
    raise SourceError(f"{spec}: no such file or example (`chainstep examples` lists the examples)")


def _decode(data: bytes, where: str) -> str:
    if b"\0" in data:
        raise SourceError(f"{where}: this is binary data, not a program: give a text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SourceError(f"{where}: the text is not UTF-8: save the file as UTF-8") from None
