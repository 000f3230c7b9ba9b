"""micrograd's own MLP from PyPI (pip install micrograd), trained a few steps on four
points: run it with `chainstep run` to step through its last backward() pass."""

import random

from micrograd.nn import MLP

random.seed(59)  # a network whose ReLUs are mostly alive: 39 of 41 gradients are not 0
model = MLP(3, [4, 4, 1])
xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
ys = [1.0, -1.0, -1.0, 1.0]
for step in range(3):
    scores = [model(x) for x in xs]
    loss = sum((score - y) ** 2 for y, score in zip(ys, scores))
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data += -0.05 * p.grad
    print(step, loss.data)
