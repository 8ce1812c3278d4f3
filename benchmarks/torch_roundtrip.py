#!/usr/bin/env python3
"""PyTorch interop, proven with the real torch (too large for CI: run once, report the result).

    python3 -m venv /tmp/torchvenv && /tmp/torchvenv/bin/pip install torch numpy
    /tmp/torchvenv/bin/python benchmarks/torch_roundtrip.py [--cairn PATH]

1. torch.save writes checkpoints of every dtype Cairn reads (and some it only lists), with strided and
   offset views sharing storages, parameters, 0-d and empty tensors, nested training states and an
   object of a class torch's weights_only loader refuses; `cairn inspect --json` must list each tensor
   with torch's dtype, shape and byte count, and name the unknown object.
2. Three training checkpoints torch.save wrote are averaged by `cairn ckpt average` into a .pt file;
   torch.load(path, weights_only=True) must accept it, and its tensors must equal torch's own mean
   (float tensors) or the newest checkpoint's (the others). A single checkpoint averaged alone must come
   back bit for bit, views gathered in C order.
"""
import argparse, json, os, subprocess, sys, tempfile
from collections import OrderedDict

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


class Opaque:
    """A class torch.load(weights_only=True) refuses; Cairn must show it without running anything."""
    def __init__(self, value):
        self.value = value


def run(cairn, *args, cwd=None):
    result = subprocess.run([cairn, *args], capture_output=True, text=True, cwd=cwd)
    if result.returncode != 0:
        sys.exit(f"cairn {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


def cairn_dtype(dtype):
    return str(dtype).replace("torch.", "")


def inspect_every_dtype(cairn, folder):
    dtypes = [torch.float64, torch.float32, torch.float16, torch.bfloat16, torch.int64, torch.int32, torch.int16,
              torch.int8, torch.uint8, torch.bool, torch.complex64, torch.uint16, torch.uint32, torch.uint64,
              torch.float8_e4m3fn, torch.float8_e5m2, torch.float8_e4m3fnuz, torch.float8_e5m2fnuz, torch.complex128]
    state = OrderedDict()
    for dtype in dtypes:
        base = torch.arange(24, dtype=torch.float64).reshape(4, 6)
        state[f"plain.{cairn_dtype(dtype)}"] = base.to(dtype)
    whole = torch.randn(6, 8)
    state["views.transposed"] = whole.t()
    state["views.row"] = whole[2]
    state["views.column"] = whole[:, 3]
    state["zero_d"] = torch.tensor(3.5)
    state["empty"] = torch.zeros(0, 5)
    checkpoint = {"model": state, "param": torch.nn.Parameter(torch.ones(3)), "epoch": 7, "lr": 1e-3,
                  "name": "run", "nested": [{"a": torch.zeros(2)}, (1, torch.ones(1, dtype=torch.int64))],
                  "opaque": Opaque(torch.ones(2))}
    path = os.path.join(folder, "every_dtype.pt")
    torch.save(checkpoint, path)
    shown = json.loads(run(cairn, "inspect", path, "--json"))
    entries = {e["name"]: e for e in shown["entries"]}
    expected = {}
    for key, tensor in state.items():
        expected["model." + key] = tensor
    expected["param"] = checkpoint["param"]
    expected["nested.0.a"] = checkpoint["nested"][0]["a"]
    expected["nested.1.1"] = checkpoint["nested"][1][1]
    problems = []
    for name, tensor in expected.items():
        entry = entries.get(name)
        if entry is None:
            problems.append(f"{name}: not listed")
            continue
        if entry["dtype"] != cairn_dtype(tensor.dtype) or entry["shape"] != list(tensor.shape):
            problems.append(f"{name}: {entry['dtype']} {entry['shape']} vs torch {tensor.dtype} {list(tensor.shape)}")
        want_bytes = tensor.numel() * tensor.element_size()
        if entry["bytes"] != want_bytes:
            problems.append(f"{name}: {entry['bytes']} bytes vs {want_bytes}")
    opaque = [v for k, v in shown["metadata"].items() if k.startswith("object ")]
    if not any(v.endswith("Opaque") for v in opaque):
        problems.append(f"the Opaque object is not named: {opaque}")
    if "opaque.0" not in " ".join(entries) and not any(n.startswith("opaque") for n in entries):
        problems.append("the tensor inside the opaque object is not listed")
    print(f"inspect: {len(expected)} tensors of {len(dtypes)} dtypes, views, parameters, nested: "
          + ("OK" if not problems else "FAILED"))
    return problems


def average(cairn, folder):
    """Three torch.save training checkpoints of one run, averaged by cairn into a .pt torch loads."""
    store = os.path.join(folder, "store")
    run(cairn, "init", store)
    env_run = run(cairn, "run", "new", "--store", store, "-e", "avg", "--json")
    run_id = json.loads(env_run)["id"]
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(16, 32), torch.nn.BatchNorm1d(32), torch.nn.Linear(32, 4))
    model.to(torch.float32)
    states = []
    for epoch in range(3):
        with torch.no_grad():
            for p in model.parameters():
                p.add_(torch.randn_like(p) * 0.1)
        model[1].num_batches_tracked += 5
        state = {k: v.clone() for k, v in model.state_dict().items()}
        state["2.weight"] = state["2.weight"].t().contiguous().t()  # a strided view (Fortran-ordered)
        states.append(state)
        path = os.path.join(folder, f"epoch{epoch}.pt")
        torch.save({"epoch": epoch, "model_state_dict": state, "optimizer_state_dict": {"state": {}}}, path)
        run(cairn, "ckpt", "save", "--store", store, run_id, path, "--step", str(epoch), "--epoch", str(epoch),
            "--save-strategy", "all")
    out = os.path.join(folder, "average_model.pt")
    run(cairn, "ckpt", "average", "--store", store, run_id, "--last", "3", "-o", out)
    loaded = torch.load(out, weights_only=True)
    problems = []
    for key in states[0]:
        want = (torch.stack([s[key].double() for s in states]).mean(0).to(states[0][key].dtype)
                if states[0][key].is_floating_point() else states[-1][key])
        got = loaded.get(key)
        if got is None or got.dtype != want.dtype or got.shape != want.shape or not torch.allclose(got.double(), want.double(), rtol=1e-6, atol=1e-7):
            problems.append(f"average {key}: {None if got is None else (got.dtype, tuple(got.shape))} differs from torch's mean")
    # One checkpoint alone comes back bit for bit.
    single = os.path.join(folder, "single.pt")
    run(cairn, "ckpt", "average", "--store", store, run_id, "--epochs", "2", "-o", single)
    alone = torch.load(single, weights_only=True)
    for key, tensor in states[2].items():
        if not torch.equal(alone[key], tensor):
            problems.append(f"single {key}: not bit-for-bit")
    print(f"average: {len(states[0])} tensors of 3 torch checkpoints, read by torch.load(weights_only=True): "
          + ("OK" if not problems else "FAILED"))
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cairn", default=os.path.join(ROOT, ".build/release/cairn"))
    parser.add_argument("--skip-average", action="store_true")
    args = parser.parse_args()
    print(f"torch {torch.__version__}, cairn {args.cairn}")
    with tempfile.TemporaryDirectory() as folder:
        problems = inspect_every_dtype(args.cairn, folder)
        if not args.skip_average:
            problems += average(args.cairn, folder)
    for problem in problems:
        print("  " + problem)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
