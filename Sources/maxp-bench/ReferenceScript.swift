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
/// - `gpt-step WIDTH DEPTH HEADS BATCH SEQ VOCAB STEPS THREADS` — `STEPS` Adam steps of the GPT twin of
///   ``GPTBenchmark/stepConfiguration`` (pre-norm blocks, LayerNorm ε 1e-5, q/k/v/o with bias, logits `q·kᵀ/d_head`,
///   causal softmax, exact GELU 4× MLP, final LayerNorm, bias-free readout, cross-entropy, lr 1e-3) in PyTorch's
///   faster attention variant: the first request builds the model with eager attention and with
///   `scaled_dot_product_attention`, warms each up by 3 steps, times both alternately (2 × 5 steps each) and keeps the
///   one with the lower median CPU time; every request then times that one alone, continuing its training (a
///   per-request pick of the faster of two noisy medians would favour PyTorch under load). Replies
///   `{"cpu": ms, "wall": ms, "variant": "…"}` (medians per step).
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

class GPTBlock(nn.Module):
    def __init__(self, width, heads, seq, fused):
        super().__init__()
        self.width, self.heads, self.fused = width, heads, fused
        self.norm1, self.norm2 = nn.LayerNorm(width), nn.LayerNorm(width)
        self.q, self.k, self.v, self.o = (nn.Linear(width, width) for _ in range(4))
        self.fc_in, self.fc_out = nn.Linear(width, 4 * width), nn.Linear(4 * width, width)
        self.register_buffer("mask", torch.ones(seq, seq, dtype=torch.bool).triu(1))

    def forward(self, x):
        b, t, _ = x.shape
        d = self.width // self.heads
        h = self.norm1(x)
        q, k, v = (p(h).view(b, t, self.heads, d).transpose(1, 2) for p in (self.q, self.k, self.v))
        if self.fused:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True, scale=1.0 / d)
        else:
            s = (q @ k.transpose(-2, -1)) / d
            y = s.masked_fill(self.mask[:t, :t], float("-inf")).softmax(-1) @ v
        x = x + self.o(y.transpose(1, 2).reshape(b, t, self.width))
        return x + self.fc_out(F.gelu(self.fc_in(self.norm2(x))))

class GPT(nn.Module):
    def __init__(self, width, depth, heads, seq, vocab, fused):
        super().__init__()
        self.tok, self.pos = nn.Embedding(vocab, width), nn.Embedding(seq, width)
        self.blocks = nn.ModuleList(GPTBlock(width, heads, seq, fused) for _ in range(depth))
        self.norm, self.readout = nn.LayerNorm(width), nn.Linear(width, vocab, bias=False)

    def forward(self, ids):
        h = self.tok(ids) + self.pos(torch.arange(ids.shape[1]))
        for block in self.blocks:
            h = block(h)
        return self.readout(self.norm(h))

gpt_runs = {}

def gpt_step(width, depth, heads, batch_size, seq, vocab, steps, threads):
    torch.set_num_threads(threads)
    key = (width, depth, heads, batch_size, seq, vocab)
    if key not in gpt_runs:
        torch.manual_seed(0)
        ids = torch.randint(0, vocab, (batch_size, seq))
        runs = []
        for variant, fused in (("eager attention", False), ("scaled_dot_product_attention", True)):
            model = GPT(width, depth, heads, seq, vocab, fused)
            runs.append((variant, model, torch.optim.Adam(model.parameters(), lr=1e-3)))
        gpt_runs[key] = (ids, (ids + 1) % vocab, runs)
    ids, targets, runs = gpt_runs[key]
    def step(model, optimizer):
        optimizer.zero_grad(set_to_none=True)
        F.cross_entropy(model(ids).view(-1, vocab), targets.view(-1)).backward()
        optimizer.step()
    def timed(model, optimizer, count):
        wall, cpu = [], []
        for _ in range(count):
            start, start_cpu = time.perf_counter(), time.process_time()
            step(model, optimizer)
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        return sorted(wall), sorted(cpu)
    if len(runs) > 1:  # first request: warm both variants up, keep the faster
        samples = {}
        for variant, model, optimizer in runs:
            for _ in range(3):
                step(model, optimizer)
            samples[variant] = []
        for _ in range(2):
            for variant, model, optimizer in runs:
                samples[variant] += timed(model, optimizer, 5)[1]
        median = lambda values: sorted(values)[len(values) // 2]
        runs = [min(runs, key=lambda run: median(samples[run[0]]))]
        gpt_runs[key] = (ids, targets, runs)
    variant, model, optimizer = runs[0]
    wall, cpu = timed(model, optimizer, steps)
    return {"cpu": cpu[len(cpu) // 2] * 1e3, "wall": wall[len(wall) // 2] * 1e3, "variant": variant}

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
        elif words[0] == "gpt-step":
            reply(gpt_step(*[int(word) for word in words[1:9]]))
        else:
            reply({"error": "unknown request " + words[0]})
    except Exception as error:
        reply({"error": type(error).__name__ + ": " + str(error)})
"""#
}
