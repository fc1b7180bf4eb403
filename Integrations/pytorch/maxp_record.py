"""Record a coordinate check of any PyTorch model in maxp-diagnose's tidy CSV format (no mup needed).

    import torch
    from maxp_record import record_coord_check
    record_coord_check(lambda width: MyModel(width), widths=[64, 128, 256, 512], batch=(x, y),
                       loss_fn=torch.nn.functional.cross_entropy,
                       make_optimizer=lambda params: torch.optim.Adam(params, lr=1e-2),
                       steps=3, seeds=3, seed_fn=torch.manual_seed, path="coord.csv")

then `maxp-diagnose analyze coord.csv`. Forward hooks on every named submodule record, per width, seed and step
(t = 0 is the forward pass at initialization, t the pass after t updates on the same batch): l1 = mean |h|,
rms = sqrt(mean h^2), delta_rms = sqrt(mean (h_t - h_0)^2). A module called twice per forward is `name#1`.
Outputs that are not tensors (tuples, dicts) are skipped. Uses only the tensor and module methods named here.
"""
import csv

HEADER = ["width", "seed", "t", "module", "l1", "rms", "delta_rms"]


def _statistics(output, initial):
    h = output.detach().float()
    l1 = h.abs().mean().item()
    rms = h.pow(2).mean().sqrt().item()
    delta = 0.0 if initial is None else (h - initial).pow(2).mean().sqrt().item()
    return l1, rms, delta


def record_coord_check(make_model, widths, batch, loss_fn, make_optimizer, steps=3, seeds=3, path="coord.csv",
                       seed_fn=None):
    """Trains `make_model(width)` for `steps` updates on one fixed `batch` = (inputs, targets) per width and seed,
    and writes one CSV row per (width, seed, t, module) to `path`. Returns the rows."""
    rows = []
    for width in widths:
        for seed in range(seeds):
            if seed_fn is not None:
                seed_fn(seed)
            model = make_model(width)
            optimizer = make_optimizer(model.parameters())
            initial, calls, state = {}, {}, {"t": 0}

            def hook(module, inputs, output, name):
                if not hasattr(output, "detach"):
                    return
                count = calls.get(name, 0)
                calls[name] = count + 1
                site = name if count == 0 else "%s#%d" % (name, count)
                if state["t"] == 0:
                    initial[site] = output.detach().float().clone()
                l1, rms, delta = _statistics(output, None if state["t"] == 0 else initial[site])
                rows.append([width, seed, state["t"], site, l1, rms, delta])

            handles = [module.register_forward_hook(lambda m, i, o, name=name: hook(m, i, o, name))
                       for name, module in model.named_modules() if name != ""]
            inputs, targets = batch
            for t in range(steps + 1):
                state["t"] = t
                calls.clear()
                output = model(inputs)
                if t < steps:
                    optimizer.zero_grad()
                    loss_fn(output, targets).backward()
                    optimizer.step()
            for handle in handles:
                handle.remove()
    with open(path, "w", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows([row[:4] + [repr(float(value)) for value in row[4:]] for row in rows])
    return rows
