"""The stepper: the state it reads at any step is the state replaying the steps reaches."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from test_property_gradients import programs

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


def replayed(walk, position: int):
    """The state after ``position`` by applying every step in order: the model the
    stepper's direct reading must agree with."""
    nodes = walk.nodes
    computed = [node.op is None for node in nodes]
    grads = [None] * len(nodes)
    contributions = [[] for _ in nodes]
    for step in walk.steps[: position + 1]:
        if isinstance(step, ForwardStep):
            computed[step.node] = True
        elif isinstance(step, SeedStep):
            grads[step.node] = 1.0
        else:
            for flow in step.flows:
                grads[flow.source] = flow.after
                contributions[flow.source].append((step.node, flow.product))
    backward = position >= walk.seed_index
    return (
        position,
        [walk.graph.values[n] if computed[n] else None for n in range(len(nodes))],
        [
            None
            if node.kind.value == "const"
            else 0.0
            if grads[node.id] is None and backward and walk.final_at[node.id] == walk.seed_index
            else grads[node.id]
            for node in nodes
        ],
        [
            node.kind.value != "const" and backward and position >= walk.final_at[node.id]
            for node in nodes
        ],
        [tuple(c) for c in contributions],
    )


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([e.name for e in examples()]), st.lists(st.integers(-40, 40), max_size=12))
def test_any_jump_reads_the_state_that_replaying_the_steps_reaches(name, targets):
    walk = walkthrough(find(name).text)
    stepper = Stepper(walk)
    for target in targets:
        stepper.goto(target)
        assert snapshot(stepper) == replayed(walk, stepper.position)


@settings(max_examples=40, deadline=None)
@given(programs(), st.data())
def test_generated_programs_read_as_they_replay(program, data):
    walk = walkthrough(program.text)
    stepper = Stepper(walk)
    for target in data.draw(st.lists(st.integers(0, len(walk.steps) - 1), max_size=6)):
        stepper.goto(target)
        assert snapshot(stepper) == replayed(walk, target)


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


def test_asking_points_at_the_next_step_until_the_stepper_moves():
    """The quiz's state: the numbers before step k, the focus on step k."""
    walk = walkthrough(find("two-paths").text)
    stepper = Stepper(walk)
    stepper.goto(walk.seed_index)
    before = [stepper.grad(node.id) for node in walk.nodes]
    stepper.asking = True
    assert stepper.focus is walk.steps[walk.seed_index + 1]
    assert stepper.current is walk.steps[walk.seed_index]
    assert [stepper.grad(node.id) for node in walk.nodes] == before  # nothing given away
    stepper.goto(walk.seed_index + 1)
    assert not stepper.asking and stepper.focus is stepper.current
    stepper.goto(stepper.last)
    stepper.asking = True
    assert stepper.focus is stepper.current  # no step after the last
