"""chainstep's engine: program text in, graph, values and every backprop step out.

Pure Python over NetworkX; it never imports a UI library.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from engine.errors import ProgramError
from engine.graph import ComputationGraph
from engine.language import Kind, Node, Program, parse_program
from engine.stepper import Contribution, Stepper
from engine.steps import BackwardStep, Flow, ForwardStep, SeedStep, Step, Walkthrough, derive_steps


def walkthrough(text: str) -> Walkthrough:
    """Parse, build, evaluate and derive every step; raise ``ProgramError`` on bad input."""
    with gc_paused():
        graph = ComputationGraph(parse_program(text))
        graph.forward()
        return derive_steps(graph)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Building a graph allocates millions of objects and frees none of them, so the cycle
    collector's passes over them (quadratic in all) are pure waste: pause it meanwhile."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


__all__ = [
    "BackwardStep",
    "ComputationGraph",
    "Contribution",
    "Flow",
    "ForwardStep",
    "Kind",
    "Node",
    "Program",
    "ProgramError",
    "SeedStep",
    "Step",
    "Stepper",
    "Walkthrough",
    "derive_steps",
    "gc_paused",
    "parse_program",
    "walkthrough",
]
