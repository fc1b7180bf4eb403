/// The Python program ``ReferencePython`` runs (`python -u -c <source>`): it imports torch and mup once, greets with
/// their versions, then answers request lines with one JSON line each until `quit` or end of input.
///
/// Requests:
/// - `sweep THREADS` — one warm mup coordinate-check sweep exactly as mup's users run it:
///   `get_coord_data(models, [(x, y)], optimizer='adam', lr=1e-3, mup=True, nsteps=3, nseeds=3, cuda=False)` over
///   the MLP 3072 → w → w → w → 10 (`nn.Linear` without bias, ReLU, a `MuReadout` readout; base shapes from widths
///   64 and 128) for widths 64…2048, one fixed batch of 64 with class labels; replies `{"seconds": …}` (the first
///   request in a process also pays one-time costs: send one untimed request first).
/// - `adam-step WIDTH LAYERS BATCH THREADS REPETITIONS` — best-of-`REPETITIONS` milliseconds of one
///   `torch.optim.Adam` step (lr 1e-4; zero_grad, forward, `mse_loss`, backward, step) of `LAYERS` width → width
///   `nn.Linear` layers with bias and ReLU between them, after two warm-up steps; replies `{"milliseconds": …}`.
///
/// A failing request replies `{"error": "…"}` and the process keeps serving.
enum ReferenceScript {
    /// The program text.
    static let source = #"""
import json, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F
import mup
from mup import MuReadout, set_base_shapes
from mup.coord_check import get_coord_data
from importlib.metadata import version

def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()

class ReferenceMLP(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.fc_1 = nn.Linear(3072, width, bias=False)
        self.fc_2 = nn.Linear(width, width, bias=False)
        self.fc_3 = nn.Linear(width, width, bias=False)
        self.readout = MuReadout(width, 10, bias=False)
    def forward(self, x):
        return self.readout(F.relu(self.fc_3(F.relu(self.fc_2(F.relu(self.fc_1(x)))))))

base, delta = ReferenceMLP(64), ReferenceMLP(128)

def lazy(width):
    def make():
        model = ReferenceMLP(width)
        set_base_shapes(model, base, delta=delta)
        return model
    return make

generator = torch.Generator().manual_seed(0)
batch = [(torch.randn(64, 3072, generator=generator), torch.randint(0, 10, (64,), generator=generator))]
models = {width: lazy(width) for width in [64, 128, 256, 512, 1024, 2048]}

def sweep(threads):
    torch.set_num_threads(threads)
    start = time.perf_counter()
    get_coord_data(models, batch, optimizer='adam', lr=1e-3, mup=True, nsteps=3, nseeds=3, cuda=False,
                   show_progress=False)
    return {"seconds": time.perf_counter() - start}

def adam_step(width, layers, batch_size, threads, repetitions):
    torch.set_num_threads(threads)
    torch.manual_seed(2)
    modules = []
    for index in range(layers):
        modules.append(nn.Linear(width, width))
        if index < layers - 1:
            modules.append(nn.ReLU())
    model = nn.Sequential(*modules)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    x, target = torch.randn(batch_size, width), torch.randn(batch_size, width)
    def step():
        optimizer.zero_grad()
        F.mse_loss(model(x), target).backward()
        optimizer.step()
    for _ in range(2):
        step()
    best = float("inf")
    for _ in range(repetitions):
        start = time.perf_counter()
        step()
        best = min(best, time.perf_counter() - start)
    return {"milliseconds": best * 1e3}

reply({"torch": torch.__version__, "mup": version("mup")})
for line in sys.stdin:
    words = line.split()
    if not words:
        continue
    if words[0] == "quit":
        break
    try:
        if words[0] == "sweep":
            reply(sweep(int(words[1])))
        elif words[0] == "adam-step":
            reply(adam_step(*[int(word) for word in words[1:6]]))
        else:
            reply({"error": "unknown request " + words[0]})
    except Exception as error:
        reply({"error": type(error).__name__ + ": " + str(error)})
"""#
}
