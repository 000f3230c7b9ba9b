"""An MLP(3, [4, 4, 1]) trained a few steps the way the lecture does, with the Value class
in engine.py and the network in nn.py beside this file: `chainstep run lecture-mlp` steps
through its last backward() pass (`from engine import Value` imports this folder's
engine.py, not chainstep's)."""

import random

from nn import MLP

random.seed(42)  # the same network every run
n = MLP(3, [4, 4, 1])
xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
ys = [1.0, -1.0, -1.0, 1.0]
for k in range(5):
    ypred = [n(x) for x in xs]
    loss = sum((yout - ygt) ** 2 for ygt, yout in zip(ys, ypred))
    for p in n.parameters():
        p.grad = 0.0
    loss.backward()
    for p in n.parameters():
        p.data += -0.1 * p.grad
    print(k, loss.data)
