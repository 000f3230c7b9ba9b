"""chainstep's engine: program text in, graph, values and every backprop step out.

Pure Python over NetworkX; it never imports a UI library.
"""

from __future__ import annotations

from engine.errors import ProgramError
from engine.graph import ComputationGraph
from engine.language import Kind, Node, Program, parse_program
from engine.stepper import Contribution, Stepper
from engine.steps import BackwardStep, Flow, ForwardStep, SeedStep, Step, Walkthrough, derive_steps


def walkthrough(text: str) -> Walkthrough:
    """Parse, build, evaluate and derive every step; raise ``ProgramError`` on bad input."""
    graph = ComputationGraph(parse_program(text))
    graph.forward()
    return derive_steps(graph)


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
    "parse_program",
    "walkthrough",
]
