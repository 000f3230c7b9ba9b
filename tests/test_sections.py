"""`# %% TITLE` sections: where a program's nodes were made, and the groups a fold shows.

A script's graph gets them from the call stack (the object whose method made each Value),
its parameters their names from the script's globals: two independent readings that must
agree."""

from __future__ import annotations

import pytest

from engine import walkthrough
from engine.sections import levels, sections
from tui.scripts import run_script

NETWORK = """\
# two neurons, each in a section of its own; the loss at the top level
# %% net.neurons[0]
w0 = 0.5
b0 = -1
h0 = tanh(w0 * 2 + b0)
# %% net.neurons[1]
w1 = -0.3
b1 = 0.25
h1 = tanh(w1 * h0 + b1)
# %%
L = (h1 - 1) ** 2
"""


def by_label(walk):
    return {node.label: node.id for node in walk.nodes}


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("model.layers[0].neurons[3]", ["model.layers[0].neurons[3]", "model.layers[0]", "model"]),
        ("net.neurons[1]", ["net.neurons[1]", "net"]),
        ("nets[0][1]", ["nets[0][1]", "nets[0]", "nets"]),
        ("Neuron#2", ["Neuron#2"]),
        ("encoder", ["encoder"]),
    ],
)
def test_a_path_nests_in_the_objects_that_hold_it(title, expected):
    assert levels(title) == expected


def test_each_node_is_in_the_section_its_line_is_in():
    walk = walkthrough(NETWORK)
    found = sections(NETWORK, walk.nodes)
    ids = by_label(walk)
    assert found.titles == ("net.neurons[0]", "net.neurons[1]")
    assert found.title(ids["w0"]) == found.title(ids["h0"]) == "net.neurons[0]"
    assert found.title(ids["b1"]) == found.title(ids["h1"]) == "net.neurons[1]"
    assert found.title(ids["L"]) is None  # the bare `# %%` ends the sections
    assert found.levels_of(ids["w1"]) == ["net.neurons[1]", "net"]
    assert found.levels_of(ids["L"]) == []


def test_a_group_hands_on_what_no_member_uses():
    walk = walkthrough(NETWORK)
    found = sections(NETWORK, walk.nodes)
    ids = by_label(walk)
    first = found.members("net.neurons[0]")
    assert {walk.nodes[i].label for i in first if walk.nodes[i].name} == {"w0", "b0", "h0"}
    assert found.exits(first) == [ids["h0"]]  # neuron 1 uses it, and neuron 1 is outside
    second = found.members("net.neurons[1]")
    assert found.with_inputs(second) == {*second, ids["h0"]}  # drawn at the fold's edge
    both = found.members("net")
    assert set(both) == set(first) | set(found.members("net.neurons[1]"))
    assert found.exits(both) == [ids["h1"]]  # h0 is used inside the network now


def test_a_program_without_sections_has_none():
    walk = walkthrough("a = 2\nb = a * 3  # %% is not a section inside a line\n")
    found = sections(walk.graph.program.text, walk.nodes)
    assert not found and found.title(0) is None


@pytest.mark.parametrize(("script", "model"), [("lecture-mlp", "n"), ("micrograd-mlp", "model")])
def test_a_scripts_sections_are_the_objects_that_made_its_values(script, model):
    """Each parameter was made by its neuron's __init__ (call stack) and is named by its
    path from the script's globals (names): the section is the path's neuron. Every
    neuron made the same number of nodes on each of the four examples, and the loss,
    made at the top level, is in no section."""
    walk = walkthrough(run_script(script).text)
    found = sections(walk.graph.program.text, walk.nodes)
    assert len(found.titles) == 9  # MLP(3, [4, 4, 1])
    parameters = [node for node in walk.nodes if node.kind.value == "input"]
    assert len(parameters) == 41
    for node in parameters:
        owner, _, field = node.label.rpartition(".")
        assert found.title(node.id) == owner and field.startswith(("w[", "b"))
    assert found.title(walk.graph.output) is None
    layer = found.members(f"{model}.layers[1]")
    assert len(found.exits(layer)) == 4 * 4  # four neurons' outputs, for four examples
    outputs = found.exits(found.members(model))
    assert len(outputs) == 4
    for exit_id in outputs:  # what the whole model hands on: what the loss reads
        users = [node for node in walk.nodes if exit_id in node.args]
        assert users and all(found.title(user.id) is None for user in users)
