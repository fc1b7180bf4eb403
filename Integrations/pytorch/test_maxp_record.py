"""Tests of maxp_record.py without torch: a fake of the few tensor and module methods the recorder uses.

    python3 test_maxp_record.py               # runs the tests
    python3 test_maxp_record.py --write PATH  # writes the fake model's coord check to PATH (used by the Swift tests)

The fake model of width n has modules fc_1 and fc_2 of size Θ(1) and a readout of size n^0.5 (a readout without its
1/width multiplier); each update grows every output by 10 %, so delta_rms is 0.1 · the size after one step.
"""
import csv
import math
import os
import random
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from maxp_record import HEADER, record_coord_check  # noqa: E402


class FakeTensor:
    def __init__(self, values):
        self.values = list(values)

    def detach(self): return FakeTensor(self.values)
    def float(self): return self
    def clone(self): return FakeTensor(self.values)
    def abs(self): return FakeTensor(abs(v) for v in self.values)
    def pow(self, p): return FakeTensor(v ** p for v in self.values)
    def sqrt(self): return FakeTensor(math.sqrt(v) for v in self.values)
    def mean(self): return FakeTensor([sum(self.values) / len(self.values)])
    def item(self): return self.values[0]
    def __sub__(self, other): return FakeTensor(a - b for a, b in zip(self.values, other.values))


class FakeHandle:
    def __init__(self, hooks, hook): self.hooks, self.hook = hooks, hook
    def remove(self): self.hooks.remove(self.hook)


class FakeModule:
    def __init__(self, scale, noise):
        self.scale, self.noise, self.hooks, self.step = scale, noise, [], 0

    def register_forward_hook(self, hook):
        self.hooks.append(hook)
        return FakeHandle(self.hooks, hook)

    def __call__(self, inputs):
        output = FakeTensor(self.scale * (1.1 ** self.step) * z for z in self.noise)
        for hook in list(self.hooks):
            hook(self, (inputs,), output)
        return output


class FakeModel:
    def __init__(self, width, seed):
        rng = random.Random(1000 * seed + width)
        noise = [rng.gauss(0, 1) for _ in range(256)]
        self.children = [("fc_1", FakeModule(1.0, noise)), ("fc_2", FakeModule(1.0, noise)),
                         ("readout", FakeModule(0.2 * math.sqrt(width), noise))]
        self.hooks = []

    def named_modules(self): return [("", self)] + self.children
    def register_forward_hook(self, hook): self.hooks.append(hook); return FakeHandle(self.hooks, hook)
    def parameters(self): return [module for _, module in self.children]

    def __call__(self, inputs):
        output = None
        for _, module in self.children:
            output = module(inputs)
        return output


class FakeLoss:
    def backward(self): pass


class FakeOptimizer:
    def __init__(self, modules): self.modules = list(modules)
    def zero_grad(self): pass

    def step(self):
        for module in self.modules:
            module.step += 1


SEEDS = {"seed": 0}


def write_fake_coord_check(path, widths=(64, 128, 256, 512), steps=2, seeds=3):
    return record_coord_check(lambda width: FakeModel(width, SEEDS["seed"]), widths=list(widths), batch=(None, None),
                              loss_fn=lambda output, target: FakeLoss(), make_optimizer=FakeOptimizer, steps=steps,
                              seeds=seeds, path=path, seed_fn=lambda seed: SEEDS.update(seed=seed))


class RecorderTests(unittest.TestCase):
    def test_rows(self):
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "coord.csv")
            rows = write_fake_coord_check(path, widths=(64, 128, 256), steps=2, seeds=2)
            with open(path) as file:
                lines = list(csv.reader(file))
        self.assertEqual(lines[0], HEADER)
        self.assertEqual(len(rows), 3 * 2 * 3 * 3)  # widths × seeds × (t = 0, 1, 2) × modules; the root is skipped
        self.assertEqual({row[3] for row in rows}, {"fc_1", "fc_2", "readout"})
        for width, seed, t, module, l1, rms, delta in rows:
            self.assertGreater(l1, 0)
            self.assertLessEqual(l1, rms)
            if t == 0:
                self.assertEqual(delta, 0.0)
            else:
                self.assertAlmostEqual(delta, (1.1 ** t - 1) / 1.1 ** t * rms, places=9)
        first = {row[3]: row for row in rows if row[0] == 64 and row[1] == 0 and row[2] == 0}
        big = {row[3]: row for row in rows if row[0] == 256 and row[1] == 0 and row[2] == 0}
        self.assertAlmostEqual(math.log2(big["readout"][5] / first["readout"][5]) / 2, 0.5, places=1)

    def test_hooks_removed_and_repeated_calls_numbered(self):
        model = FakeModel(64, 0)
        twice = model.children[0][1]
        model.children.append(("fc_1", twice))  # the same module called twice per forward
        with tempfile.TemporaryDirectory() as folder:
            rows = record_coord_check(lambda width: model, widths=[64], batch=(None, None),
                                      loss_fn=lambda o, t: FakeLoss(), make_optimizer=FakeOptimizer, steps=1, seeds=1,
                                      path=os.path.join(folder, "c.csv"))
        self.assertIn("fc_1#1", {row[3] for row in rows})
        self.assertEqual(twice.hooks, [])


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--write":
        write_fake_coord_check(sys.argv[2])
    else:
        unittest.main()
