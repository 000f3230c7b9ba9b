"""micrograd's demo at full size: MLP(2, [16, 16, 1]) on 100 two-moons points, an SVM
max-margin loss plus L2 regularisation, one step of training (about 66k Values).

The moons are made here (micrograd's demo uses scikit-learn's make_moons) so the script
needs micrograd alone.
"""

import math
import random

from micrograd.engine import Value
from micrograd.nn import MLP

random.seed(1337)
points, labels = [], []
for i in range(100):
    t = math.pi * (i % 50) / 49
    if i < 50:
        x, y = math.cos(t), math.sin(t)
    else:
        x, y = 1 - math.cos(t), 0.5 - math.sin(t)
    points.append([x + random.gauss(0, 0.1), y + random.gauss(0, 0.1)])
    labels.append(1 if i < 50 else -1)

model = MLP(2, [16, 16, 1])


def loss_of():
    inputs = [list(map(Value, row)) for row in points]
    scores = list(map(model, inputs))
    losses = [(1 + -y * score).relu() for y, score in zip(labels, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    alpha = 1e-4
    reg_loss = alpha * sum(p * p for p in model.parameters())
    return data_loss + reg_loss


for step in range(2):
    total = loss_of()
    model.zero_grad()
    total.backward()
    rate = 1.0 - 0.9 * step / 100
    for p in model.parameters():
        p.data -= rate * p.grad
    print(step, total.data)
