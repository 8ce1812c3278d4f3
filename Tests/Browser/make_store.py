"""Builds a store for the browser test through the `cairn` binary and its Python client.

usage: make_store.py STORE OUT_JSON   (CAIRN_BIN names the binary)

Writes OUT_JSON: {"store", "experiments", "runs": {label: id}, "live_pid"}. The live run is a
`cairn exec` left running (its command prints a line and logs a point every half second); kill
live_pid (SIGTERM) when done.
"""
import json
import math
import os
import subprocess
import sys
import time

import cairn

STORE, OUT = sys.argv[1], sys.argv[2]
BIN = os.environ.get("CAIRN_BIN", "cairn")
os.environ["CAIRN_BIN"] = BIN
os.environ["CAIRN_STORE"] = STORE


def cli(*args):
    return subprocess.run([BIN, *args], check=True, capture_output=True, text=True).stdout


cli("init", STORE)
runs = {}
POLICY = {"monitor": "val_loss", "mode": "min", "top_k": 2}


def train(experiment, name, lr, depth, steps=300, spike=None, tags=None):
    run = cairn.init(experiment=experiment, config={"training": {"lr": lr, "depth": depth, "batch": 64}},
                     name=name, tags=tags or {}, tensorboard=False)
    run.log_params({"lr": lr, "depth": depth, "batch": 64})
    for step in range(steps):
        loss = 2.0 * math.exp(-step * lr * 10) + 0.05 * depth + 0.02 * math.sin(step / 7)
        if spike is not None and step == spike:
            loss += 5
        run.log({"loss": loss, "lr": lr}, step=step)
        if step % 10 == 0:
            run.log({"loss": loss * 1.1 + 0.05, "acc": 1 - loss / 3}, step=step, split="eval")
        if step % 60 == 59:
            val = loss * 1.1 + (0.3 if step == 179 else 0)
            with run.checkpoint(epoch=step // 60, step=step, metrics={"val_loss": val}, policy=POLICY) as path:
                with open(path, "wb") as f:
                    f.write(b"weights %d" % step)
    run.finish()
    return run.id


runs["baseline_a"] = train("vae/baseline", "lr-0.01", 0.01, 2)
runs["baseline_b"] = train("vae/baseline", "lr-0.003", 0.003, 2, spike=150)
runs["baseline_c"] = train("vae/baseline", "lr-0.001", 0.001, 4)
runs["wide"] = train("vae/wide", "wide", 0.005, 8, steps=200)
notes = os.path.join(os.path.dirname(OUT), "notes.txt")
with open(notes, "w") as f:
    f.write("spike at step 150\n")
cli("artifact", "put", runs["baseline_b"], notes, "notes/")

# Run names may not hold '/', so the script tag goes in a tag; the name is an image with a handler.
XSS_NAME = "<img src=x onerror=alert(1)>"
runs["xss"] = train("mnist", XSS_NAME, 0.002, 1, steps=50, tags={"note": "<script>alert(2)</script>"})

# A finished run with a long log (over 1 MiB).
subprocess.run([BIN, "exec", "-e", "mnist", "--name", "long-log", "--", sys.executable, "-c",
                "for i in range(30000): print('line', i, 'x' * 30)"], check=True, capture_output=True)
runs["long_log"] = next(r["id"] for r in json.loads(cli("run", "ls", "-e", "mnist", "--json")) if r["name"] == "long-log")

# A RUNNING run with a log: a cairn exec left running.
script = ("import sys, time, subprocess, os\n"
          "for i in range(100000):\n"
          "    print('line %d <b>not bold</b>' % i, flush=True)\n"
          "    try:\n"
          "        subprocess.run([os.environ['CAIRN_BIN'], 'metric', 'log', 'loss=%f' % (1.0 / (i + 1)), '--step', str(i)])\n"
          "    except OSError as error:\n"
          "        print(error, file=sys.stderr, flush=True)\n"
          "    time.sleep(0.5)\n")
live = subprocess.Popen([BIN, "exec", "-e", "live", "--name", "live-run", "--", sys.executable, "-c", script],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
live_id = None
for _ in range(200):
    found = subprocess.run([BIN, "run", "ls", "-e", "live", "--json"], capture_output=True, text=True)
    rows = json.loads(found.stdout) if found.returncode == 0 else []
    if rows:
        live_id = rows[0]["id"]
        break
    time.sleep(0.1)
runs["live"] = live_id

experiments = [e["name"] for e in json.loads(cli("exp", "ls", "--json"))]
with open(OUT, "w") as f:
    json.dump({"store": STORE, "xss_name": XSS_NAME, "experiments": experiments, "runs": runs, "live_pid": live.pid}, f, indent=1)
