"""The lecture's layout: the Value class in the learner's engine.py, the network in nn.py.
`from engine import Value` must import their file, not chainstep's engine package."""

import random

from engine import Value
from nn import MLP

random.seed(7)
model = MLP(2, [3, 1])
x = [Value(1.5, label="x0"), Value(-0.5, label="x1")]
target = 0.25
out = model(x)
loss = (out - target) ** 2
loss.backward()
