"""The stepper: any path through the steps reaches the same state, and undo is exact."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from engine import BackwardStep, ForwardStep, SeedStep, Stepper, walkthrough
from engine.library import examples, find


def snapshot(stepper: Stepper):
    nodes = range(len(stepper.walk.nodes))
    return (
        stepper.position,
        [stepper.value(n) for n in nodes],
        [stepper.grad(n) for n in nodes],
        [stepper.is_final(n) for n in nodes],
        [stepper.contributions(n) for n in nodes],
    )


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([e.name for e in examples()]), st.lists(st.integers(-40, 40), max_size=12))
def test_any_walk_reaches_the_same_state_as_going_there_directly(name, targets):
    walk = walkthrough(find(name).text)
    wandering = Stepper(walk)
    for target in targets:
        wandering.goto(target)
        direct = Stepper(walk)
        direct.goto(target)
        assert snapshot(wandering) == snapshot(direct)


def test_step_order_forward_seed_backward():
    walk = walkthrough(find("chain").text)
    kinds = [type(step) for step in walk.steps]
    assert kinds == [ForwardStep] * 3 + [SeedStep] + [BackwardStep] * 3
    labels = [walk.nodes[step.node].label for step in walk.steps]
    assert labels == ["c", "e", "L", "L", "L", "e", "c"]


def test_gradients_appear_as_the_backward_pass_reaches_them():
    walk = walkthrough(find("chain").text)
    ids = {node.label: node.id for node in walk.nodes}
    stepper = Stepper(walk)
    assert stepper.value(ids["c"]) == 6 and stepper.value(ids["e"]) is None
    assert stepper.grad(ids["a"]) is None
    stepper.goto(walk.seed_index)
    assert stepper.grad(ids["L"]) == 1 and stepper.grad(ids["e"]) is None
    assert stepper.is_final(ids["L"]) and not stepper.is_final(ids["e"])
    stepper.step(1)
    assert (stepper.grad(ids["e"]), stepper.grad(ids["f"])) == (2, 10)
    assert stepper.progress() == ("backward", 1, 3)
    stepper.step(-1)
    assert stepper.grad(ids["e"]) is None
    assert stepper.progress() == ("seed", 1, 1)


def test_moving_past_either_end_changes_nothing():
    stepper = Stepper(walkthrough(find("chain").text))
    assert not stepper.step(-1) and stepper.position == 0
    stepper.goto(stepper.last)
    before = snapshot(stepper)
    assert not stepper.step(1)
    assert snapshot(stepper) == before


def test_same_source_twice_in_one_step():
    """a * a is two edges: two flows into a, each with its own before and after."""
    walk = walkthrough("a = 3\nL = a * a\n")
    step = walk.steps[-1]
    assert [(f.position, f.product, f.before, f.after) for f in step.flows] == [
        (0, 3, 0, 3),
        (1, 3, 3, 6),
    ]
    stepper = Stepper(walk)
    stepper.goto(stepper.last)
    assert stepper.grad(0) == 6
    stepper.step(-1)
    assert stepper.grad(0) is None


def test_dead_branch_gets_zero_and_no_step():
    walk = walkthrough("a = 2\nb = 3\nunused = a * 5\nL = a * b\n")
    ids = {node.label: node.id for node in walk.nodes}
    assert walk.grads[ids["unused"]] == 0
    assert all(step.node != ids["unused"] for step in walk.steps if isinstance(step, BackwardStep))
    assert walk.grads[ids["a"]] == 3
    stepper = Stepper(walk)
    assert stepper.grad(ids["unused"]) is None
    stepper.goto(walk.seed_index)
    assert stepper.grad(ids["unused"]) == 0


def test_the_graph_keeps_every_edge():
    walk = walkthrough("a = 3\nL = a + a\n")
    graph = walk.graph.graph
    assert graph.number_of_edges(0, 1) == 2
    assert graph.nodes[1]["value"] == 6 and graph.nodes[0]["grad"] == 2
