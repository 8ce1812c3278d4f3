#!/usr/bin/env python3
"""Benchmark: `cairn serve` beside `mlflow server`, driven by the official MLflow client, in the same run.

Run from the package root:  python3 benchmarks/mlflow_server.py [--cairn PATH] [--quick] [--only KINDS]
  --cairn PATH   the cairn binary to serve with (default .build/release/cairn; this script does not build
                 it: without a binary there, the Cairn column is skipped and says so)
  --quick        20 runs instead of 200 for the run, log-batch and search measures (the rest unchanged)
  --only KINDS   a comma-separated subset of floor,mlflow,mlflow1,cairn (default: all four)
The client and `mlflow server` run from benchmarks/.venv-bench (mlflow==3.17.2, see requirements-bench.txt):
    python3 -m venv benchmarks/.venv-bench && benchmarks/.venv-bench/bin/pip install -r benchmarks/requirements-bench.txt
This script itself needs only Python's standard library; it starts the servers and the client as subprocesses.

Four servers, one after the other, each on a fresh, empty store:
  mlflow   `mlflow server --host 127.0.0.1 --port P --backend-store-uri sqlite:///…/mlflow.db
           --artifacts-destination …/artifacts`, its defaults (4 uvicorn workers and the job runner);
  mlflow1  the same with `--workers 1` and MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false;
  cairn    `cairn serve --host 127.0.0.1 --port P --store DIR` on a store made by `cairn init DIR` (untimed);
  floor    the client's floor: a small asyncio HTTP/1.1 server in this file (keep-alive) that answers each
           MLflow call with a canned, well-formed response of the real size (a fresh run_id per
           runs/create, the expected runs for the search, 25,000-point pages of metric history, the
           artifact's bytes), so the same workload costs the client what it would cost against a server
           that does no work. It also counts the requests and connections the workload makes.
Telemetry is off on both sides (MLFLOW_DISABLE_TELEMETRY, DO_NOT_TRACK). The client does not retry
(MLFLOW_HTTP_REQUEST_MAX_RETRIES=0), so a call a server does not support fails at once.

Per server:
  cold start  spawn the server, GET /health every 10 ms until 200 "OK": seconds, median of 3 (the third
              server stays up for the workload);
  workload    one client process (the venv's python running this file with --workload), timed with
              time.perf_counter, each measure wrapped so that a failure is reported and the rest still run:
    create runs  RUNS × (mlflow.start_run; log_params of 20 params; set_tags of 5 tags; end of the with
                 block) as training scripts do: runs/s;
    log_batch    5 metrics × 1,000 steps per run, MlflowClient.log_batch of 1,000 metrics a call over the
                 RUNS runs (1,000,000 points at full size): points/s over the time spent in the calls;
    log_metric   1,000 sequential MlflowClient.log_metric calls on one run: calls/s and p50 latency;
    search       MlflowClient.search_runs(filter "metrics.m0 < 0.5 and params.p0 = 'v3'",
                 order_by ["metrics.m1 DESC"], max_results 100) over those runs: median of 20 (after one
                 untimed call whose runs are checked against the expected ones, in order);
    history      get_metric_history of a 100,000-step metric (logged first with log_batch, untimed):
                 seconds, median of 3;
    upload       a 50 MB file through the server's artifact proxy with mlflow.log_artifact (to up0/, up1/,
                 up2/ of one run): MB/s (10^6 bytes), median of 3;
    download     the same files back with MlflowClient.download_artifacts, sizes checked: MB/s, median of 3;
  memory      the sum of VmRSS of the server's process and all its descendants, sampled every 100 ms
              during the workload: the maximum in MiB.
Printed: a Markdown table with each server's figures, how far each is from the floor (× floor: its time
over the floor's), and Cairn against the faster of the two MLflow modes per measure, beside the targets;
then the REST calls each measure made (counted by the floor). Everything also goes to
bench-out/mlflow_server-<UTC timestamp>.json.
"""
import argparse, asyncio, http.client, json, os, re, shutil, signal, socket, statistics, subprocess, sys, tempfile, threading, time
from procfs import last_line, process_tree
from server_process import LIVE, ServerProcess
import uuid, zlib
from urllib.parse import parse_qs

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
THIS = os.path.abspath(__file__)
VENV_PY = os.path.join(ROOT, "benchmarks", ".venv-bench", "bin", "python")
VENV_MLFLOW = os.path.join(ROOT, "benchmarks", ".venv-bench", "bin", "mlflow")
DEFAULT_CAIRN = os.path.join(ROOT, ".build", "release", "cairn")

FULL = dict(runs=200, params=20, tags=5, keys=5, steps=1000, batch=1000, seq_calls=1000, search_calls=20,
            history_steps=100_000, artifact_bytes=50_000_000, repeats=3)
FILTER = "metrics.m0 < 0.5 and params.p0 = 'v3'"
ORDER = ["metrics.m1 DESC"]
SEARCH_MAX = 100
BASE_MS = 1_780_000_000_000          # metric timestamps: BASE_MS + step
BLOB = "blob.bin"
HISTORY_PAGE = 25_000                 # the client asks get-history for pages of this size
QUIET_ENV = {"MLFLOW_DISABLE_TELEMETRY": "true", "DO_NOT_TRACK": "true", "PYTHONWARNINGS": "ignore"}
KINDS = ["mlflow", "mlflow1", "cairn", "floor"]
MEASURES = ["setup", "create_runs", "log_batch", "log_metric", "search", "history", "upload", "download"]
LABELS = {"mlflow": "MLflow 3.17.2, defaults", "mlflow1": "MLflow, --workers 1, no jobs", "cairn": "Cairn",
          "floor": "floor (canned)"}


# The workload's data, shared by the client (which logs it) and the floor (which answers with it).
def value(i, k, s):
    return ((i * 7919 + k * 104729 + s * 31) % 10007) / 10007


def run_params(i, n=20):
    return {"p0": f"v{i % 4}", **{f"p{j}": str((i * j) % 97) for j in range(1, n)}}


def run_tags(i, n=5):
    return {f"t{k}": f"tag{(i + k) % 7}" for k in range(n)}


def expected_search(size):
    """The run indices the search must return, in order: p0 = 'v3', last m0 < 0.5, by last m1 descending."""
    last = size["steps"] - 1
    hits = [i for i in range(size["runs"]) if run_params(i)["p0"] == "v3" and value(i, 0, last) < 0.5]
    return sorted(hits, key=lambda i: -value(i, 1, last))[:SEARCH_MAX]


# ---------------------------------------------------------------------------------------------------
# The workload: run by the venv's python (`--workload CONFIG`), with MLFLOW_TRACKING_URI set.

def workload(config_path):
    cfg = json.load(open(config_path))
    size = cfg["size"]
    import mlflow
    from mlflow import MlflowClient
    from mlflow.entities import Metric
    from urllib.request import urlopen
    client = MlflowClient()
    out, state = {}, {}
    perf = time.perf_counter

    def save():
        with open(cfg["out"] + ".tmp", "w") as f:
            json.dump(out, f, indent=1)
        os.replace(cfg["out"] + ".tmp", cfg["out"])

    def floor_calls():
        if not cfg.get("floor_stats"): return None
        with urlopen(cfg["floor_stats"]) as r:
            return json.load(r)

    def measure(name, fn, needs=()):
        failed = [n for n in needs if "error" in out.get(n, {"error": "not run"})]
        if failed:
            out[name] = {"error": f"not run: {', '.join(failed)} failed"}
        else:
            before = floor_calls()
            try:
                out[name] = fn()
            except Exception as e:
                line = re.sub(r"https?://127\.0\.0\.1:\d+", "", (str(e).strip().splitlines() or [""])[0])
                out[name] = {"error": f"{type(e).__name__}: {line}"[:300]}
            after = floor_calls()
            if before is not None:
                calls = {k: v - before["requests"].get(k, 0) for k, v in after["requests"].items()
                         if v - before["requests"].get(k, 0)}
                out[name]["calls"] = calls
                out[name]["connections"] = after["connections"] - before["connections"] - 1   # not the one asking
        save()

    def setup():
        state["misc"] = mlflow.set_experiment("bench-misc").experiment_id
        state["exp"] = mlflow.set_experiment("bench-runs").experiment_id
        return {"experiments": [state["exp"], state["misc"]]}

    def create_runs():
        ids = []
        start = perf()
        for i in range(size["runs"]):
            with mlflow.start_run(experiment_id=state["exp"], run_name=f"run-{i}") as run:
                mlflow.log_params(run_params(i, size["params"]))
                mlflow.set_tags(run_tags(i, size["tags"]))
            ids.append(run.info.run_id)
        took = perf() - start
        state["runs"] = ids
        return {"seconds": took, "rate": len(ids) / took, "runs": len(ids)}

    def log_batch():
        keys, steps = size["keys"], size["steps"]
        per_call = size["batch"] // keys
        spent, points, calls = 0.0, 0, 0
        for i, run_id in enumerate(state["runs"]):
            batches = [[Metric(f"m{k}", value(i, k, s), BASE_MS + s, s) for s in range(a, min(a + per_call, steps))
                        for k in range(keys)] for a in range(0, steps, per_call)]
            for batch in batches:
                start = perf()
                client.log_batch(run_id, metrics=batch)
                spent += perf() - start
                points += len(batch)
                calls += 1
        return {"seconds": spent, "rate": points / spent, "points": points, "requests": calls}

    def log_metric():
        run_id = client.create_run(state["misc"], run_name="sequential").info.run_id
        latencies = []
        start = perf()
        for s in range(size["seq_calls"]):
            t = perf()
            client.log_metric(run_id, "seq", value(0, 0, s), timestamp=BASE_MS + s, step=s)
            latencies.append(perf() - t)
        took = perf() - start
        latencies.sort()
        return {"seconds": took, "rate": len(latencies) / took, "p50_ms": statistics.median(latencies) * 1000,
                "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000}

    def search():
        query = dict(experiment_ids=[state["exp"]], filter_string=FILTER, order_by=ORDER, max_results=SEARCH_MAX)
        found = client.search_runs(**query)
        names = [r.info.run_name for r in found]
        expected = [f"run-{i}" for i in cfg["expected_search"]]
        if names == expected and all(len(r.data.params) == size["params"] for r in found):
            check = "ok"
        else:
            check = f"got {len(names)} runs {names[:3]}…, expected {len(expected)} {expected[:3]}…"
        times = []
        for _ in range(size["search_calls"]):
            start = perf()
            client.search_runs(**query)
            times.append(perf() - start)
        return {"median_ms": statistics.median(times) * 1000, "found": len(found), "check": check}

    def history():
        run_id = client.create_run(state["misc"], run_name="history").info.run_id
        n = size["history_steps"]
        start = perf()
        for a in range(0, n, size["batch"]):
            client.log_batch(run_id, metrics=[Metric("long", value(1, 0, s), BASE_MS + s, s)
                                              for s in range(a, min(a + size["batch"], n))])
        fill = perf() - start
        times, got = [], None
        for _ in range(size["repeats"]):
            start = perf()
            got = client.get_metric_history(run_id, "long")
            times.append(perf() - start)
        check = "ok" if len(got) == n and sorted(m.step for m in got) == list(range(n)) else f"got {len(got)} points, expected {n}"
        return {"median_s": statistics.median(times), "points": len(got), "fill_s": fill, "check": check}

    def upload():
        run_id = client.create_run(state["misc"], run_name="artifacts").info.run_id
        times = []
        for k in range(size["repeats"]):
            start = perf()
            mlflow.log_artifact(cfg["blob"], artifact_path=f"up{k}", run_id=run_id)
            times.append(perf() - start)
        state["uploaded"] = run_id
        return {"mbps": size["artifact_bytes"] / 1e6 / statistics.median(times), "seconds": times}

    def download():
        times, check = [], "ok"
        for k in range(size["repeats"]):
            dst = tempfile.mkdtemp(dir=cfg["tmp"])
            start = perf()
            local = client.download_artifacts(state["uploaded"], f"up{k}/{BLOB}", dst)
            times.append(perf() - start)
            if os.path.getsize(local) != size["artifact_bytes"]:
                check = f"downloaded {os.path.getsize(local)} bytes, expected {size['artifact_bytes']}"
            shutil.rmtree(dst)
        return {"mbps": size["artifact_bytes"] / 1e6 / statistics.median(times), "seconds": times, "check": check}

    measure("setup", setup)
    measure("create_runs", create_runs, needs=["setup"])
    measure("log_batch", log_batch, needs=["create_runs"])
    measure("log_metric", log_metric, needs=["setup"])
    measure("search", search, needs=["log_batch"])
    measure("history", history, needs=["setup"])
    measure("upload", upload, needs=["setup"])
    measure("download", download, needs=["upload"])


# ---------------------------------------------------------------------------------------------------
# The floor: canned answers over asyncio (`--floor-serve PORT --floor-config FILE [--floor-host ADDR]`), no storage.

API = ("/api/2.0/mlflow/", "/ajax-api/2.0/mlflow/")
ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts"
SERVER_INFO = {"store_type": "SqlStore", "workspaces_enabled": False, "trace_archival_enabled": False,
               "multipart_uploads_enabled": False, "multipart_downloads_enabled": False,
               "presigned_upload_run_id_supported": True, "presigned_upload_model_id_supported": True,
               "features_enabled": {"gateway": True}}   # what mlflow server 3.17.2 answers


def floor_experiment(name):
    exp_id = str(zlib.crc32(name.encode()) % 1_000_000 + 1)
    return {"experiment_id": exp_id, "name": name, "artifact_location": f"mlflow-artifacts:/{exp_id}",
            "lifecycle_stage": "active", "creation_time": BASE_MS, "last_update_time": BASE_MS, "tags": []}


def floor_run(run_id, name, exp_id, params=(), tags=(), metrics=(), status="RUNNING"):
    system = {"mlflow.user": "bench", "mlflow.source.name": THIS, "mlflow.source.type": "LOCAL", "mlflow.runName": name}
    return {"info": {"run_id": run_id, "run_uuid": run_id, "run_name": name, "experiment_id": exp_id, "user_id": "bench",
                     "status": status, "start_time": BASE_MS, "end_time": BASE_MS + 1000,
                     "artifact_uri": f"mlflow-artifacts:/{exp_id}/{run_id}/artifacts", "lifecycle_stage": "active"},
            "data": {"metrics": [{"key": k, "value": v, "timestamp": BASE_MS + s, "step": s} for k, v, s in metrics],
                     "params": [{"key": k, "value": v} for k, v in dict(params).items()],
                     "tags": [{"key": k, "value": v} for k, v in {**dict(tags), **system}.items()]},
            "inputs": {}, "outputs": {}}


class Floor:
    def __init__(self, cfg):
        size = cfg["size"]
        self.size, self.connections, self.requests = size, 0, {}
        last = size["steps"] - 1
        runs = [floor_run(uuid.uuid5(uuid.NAMESPACE_OID, str(i)).hex, f"run-{i}", "1", run_params(i, size["params"]),
                          run_tags(i, size["tags"]), [(f"m{k}", value(i, k, last), last) for k in range(size["keys"])],
                          "FINISHED") for i in expected_search(size)]
        self.search = json.dumps({"runs": runs}).encode()
        self.got = floor_run("0" * 32, "run-0", "1", run_params(0, size["params"]), run_tags(0, size["tags"]))
        n = size["history_steps"]
        self.pages = [json.dumps({"metrics": [{"key": "long", "value": value(1, 0, s), "timestamp": BASE_MS + s, "step": s}
                                              for s in range(a, min(a + HISTORY_PAGE, n))],
                                  **({"next_page_token": str(a + HISTORY_PAGE)} if a + HISTORY_PAGE < n else {})}).encode()
                      for a in range(0, n, HISTORY_PAGE)] or [b'{"metrics": []}']
        self.chunk = bytes(1 << 20)

    def count(self, method, route):
        key = f"{method} {route}"
        self.requests[key] = self.requests.get(key, 0) + 1

    def answer(self, method, path, query, body):
        """(status, content type, bytes) for one request; None for a streamed artifact."""
        q = {k: v[0] for k, v in parse_qs(query).items()}
        if path == "/health":
            return 200, "text/plain", b"OK"
        if path == "/__floor/stats":
            return 200, "application/json", json.dumps({"connections": self.connections, "requests": self.requests}).encode()
        if path.startswith(ARTIFACTS):
            rest = path[len(ARTIFACTS):].lstrip("/")
            if not rest:
                self.count(method, ARTIFACTS + "?path=")
                listed = q.get("path", "")
                files = [] if listed.endswith("/" + BLOB) else [{"path": BLOB, "is_dir": False, "file_size": self.size["artifact_bytes"]}]
                return 200, "application/json", json.dumps({"files": files} if files else {}).encode()
            self.count(method, ARTIFACTS + "/<path>")
            return (200, "application/json", b"{}") if method == "PUT" else None
        if path in ("/api/3.0/mlflow/server-info", "/ajax-api/3.0/mlflow/server-info"):
            self.count(method, path)
            return 200, "application/json", json.dumps(SERVER_INFO).encode()
        call = next((path[len(p):] for p in API if path.startswith(p)), None)
        self.count(method, f"/api/2.0/mlflow/{call}" if call is not None else path)
        if call in ("experiments/get-by-name", "experiments/get"):
            exp = floor_experiment(q.get("experiment_name", "Default"))
            if call == "experiments/get": exp["experiment_id"] = q.get("experiment_id", "1")
            return 200, "application/json", json.dumps({"experiment": exp}).encode()
        if call == "experiments/create":
            return 200, "application/json", json.dumps({"experiment_id": floor_experiment(json.loads(body)["name"])["experiment_id"]}).encode()
        if call == "runs/create":
            req = json.loads(body)
            run = floor_run(uuid.uuid4().hex, req.get("run_name") or "run", req.get("experiment_id", "1"),
                            tags=[(t["key"], t["value"]) for t in req.get("tags", [])])
            return 200, "application/json", json.dumps({"run": run}).encode()
        if call == "runs/get":
            run_id = q.get("run_id") or q.get("run_uuid") or "0" * 32
            run = {**self.got, "info": {**self.got["info"], "run_id": run_id, "run_uuid": run_id,
                                        "artifact_uri": f"mlflow-artifacts:/1/{run_id}/artifacts"}}
            return 200, "application/json", json.dumps({"run": run}).encode()
        if call == "runs/update":
            req = json.loads(body)
            info = {**self.got["info"], "run_id": req.get("run_id"), "status": req.get("status", "FINISHED")}
            return 200, "application/json", json.dumps({"run_info": info}).encode()
        if call == "runs/search":
            return 200, "application/json", self.search
        if call == "metrics/get-history":
            page = int(q.get("page_token") or 0) // HISTORY_PAGE
            return 200, "application/json", self.pages[min(page, len(self.pages) - 1)]
        if call in ("runs/log-batch", "runs/log-metric", "runs/log-parameter", "runs/set-tag", "runs/delete-tag",
                    "runs/delete", "runs/restore", "logged-models/search", "runs/log-inputs", "runs/log-outputs"):
            return 200, "application/json", b"{}"
        return 404, "application/json", json.dumps({"error_code": "ENDPOINT_NOT_FOUND",
                                                    "message": f"No API endpoint found for {path}"}).encode()

    async def body(self, reader, headers, keep):
        """The request body: kept for JSON calls, read and dropped for artifact uploads."""
        parts = []
        async def take(n):
            while n > 0:
                got = await reader.read(min(n, 1 << 20))
                if not got: raise ConnectionError("closed mid-body")
                n -= len(got)
                if keep: parts.append(got)
        if headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                n = int((await reader.readline()).split(b";")[0], 16)
                await take(n)
                await reader.readline()
                if n == 0: break
        else:
            await take(int(headers.get("content-length", 0)))
        return b"".join(parts)

    async def serve(self, reader, writer):
        self.connections += 1
        try:
            while True:
                line = await reader.readline()
                if not line: break
                method, target, _ = line.decode("latin-1").split(" ", 2)
                headers = {}
                while True:
                    h = await reader.readline()
                    if h in (b"\r\n", b"\n", b""): break
                    k, _, v = h.decode("latin-1").partition(":")
                    headers[k.strip().lower()] = v.strip()
                path, _, query = target.partition("?")
                body = await self.body(reader, headers, keep=not (method == "PUT" and path.startswith(ARTIFACTS)))
                answer = self.answer(method, path, query, body)
                if answer is None:   # an artifact download: its bytes, streamed
                    n = self.size["artifact_bytes"]
                    writer.write(f"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {n}\r\n\r\n".encode())
                    while n > 0:
                        writer.write(self.chunk[:min(n, len(self.chunk))])
                        n -= len(self.chunk)
                        await writer.drain()
                else:
                    status, ctype, payload = answer
                    writer.write(f"HTTP/1.1 {status} {'OK' if status == 200 else 'Not Found'}\r\nContent-Type: {ctype}\r\n"
                                 f"Content-Length: {len(payload)}\r\n\r\n".encode() + payload)
                    await writer.drain()
                if headers.get("connection", "").lower() == "close": break
        except (ConnectionError, ValueError):
            pass
        finally:
            writer.close()


def floor_serve(port, config_path, host="127.0.0.1"):
    floor = Floor(json.load(open(config_path)))
    async def main():
        server = await asyncio.start_server(floor.serve, host, port, limit=1 << 20)
        loop = asyncio.get_running_loop()
        stop = loop.create_future()
        for sig in (signal.SIGTERM, signal.SIGINT): loop.add_signal_handler(sig, stop.set_result, None)
        async with server:
            await stop
    asyncio.run(main())


# ---------------------------------------------------------------------------------------------------
# The bench: servers started and stopped as process groups, timed from outside.

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]




def tree_rss_kib(root):
    total = 0
    for pid in process_tree(root):
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            pass
    return total


class RssSampler(threading.Thread):
    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.max_kib, self.samples, self.done = pid, 0, 0, threading.Event()

    def run(self):
        while True:
            self.max_kib = max(self.max_kib, tree_rss_kib(self.pid))
            self.samples += 1
            if self.done.wait(0.1): break


class Server(ServerProcess):
    """One server of one kind (floor, cairn, mlflow, mlflow1), on a fresh store under work for each start."""

    def __init__(self, kind, work, cairn, floor_config):
        super().__init__(kind)
        self.work, self.cairn, self.floor_config = work, cairn, floor_config

    def command(self, port, store):
        if self.kind == "floor":
            return [sys.executable, THIS, "--floor-serve", str(port), "--floor-config", self.floor_config], {}
        if self.kind == "cairn":
            subprocess.run([self.cairn, "init", store], check=True, capture_output=True)
            return [self.cairn, "serve", "--host", "127.0.0.1", "--port", str(port), "--store", store], {}
        os.makedirs(store)
        cmd = [VENV_MLFLOW, "server", "--host", "127.0.0.1", "--port", str(port),
               "--backend-store-uri", "sqlite:///" + os.path.join(store, "mlflow.db"),
               "--artifacts-destination", os.path.join(store, "artifacts")]
        if self.kind == "mlflow1":
            return cmd + ["--workers", "1"], {"MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"}
        return cmd, {}

    def start(self, attempt):
        """Spawns the server on a fresh store and waits for /health: the seconds from spawn to 200 "OK"."""
        self.port = free_port()
        store = os.path.join(self.work, f"{self.kind}-store-{attempt}")
        self.log = os.path.join(self.work, f"{self.kind}-server-{attempt}.log")
        self.cmd, env = self.command(self.port, store)
        self.env = {**os.environ, **QUIET_ENV, **env}
        return super().start()


def run_workload(server, size, work, blob, expected, timeout):
    """Runs the client against server; returns (results by measure, max RSS MiB of the server's tree)."""
    out = os.path.join(work, f"{server.kind}-results.json")
    config = os.path.join(work, f"{server.kind}-workload.json")
    tmp = os.path.join(work, f"{server.kind}-client")
    os.makedirs(tmp, exist_ok=True)
    with open(config, "w") as f:
        json.dump({"size": size, "out": out, "tmp": tmp, "blob": blob, "expected_search": expected,
                   "floor_stats": f"http://127.0.0.1:{server.port}/__floor/stats" if server.kind == "floor" else None}, f)
    env = {**os.environ, **QUIET_ENV, "MLFLOW_TRACKING_URI": f"http://127.0.0.1:{server.port}",
           "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "0", "MLFLOW_HTTP_REQUEST_TIMEOUT": "300"}
    log = os.path.join(work, f"{server.kind}-client.log")
    sampler = RssSampler(server.proc.pid)
    sampler.start()
    with open(log, "w") as logf:
        client = subprocess.Popen([VENV_PY, THIS, "--workload", config], cwd=tmp, stdin=subprocess.DEVNULL, stdout=logf,
                                  stderr=subprocess.STDOUT, env=env, start_new_session=True)
        try:
            client.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
        finally:   # on a timeout or an interruption
            if client.poll() is None:
                os.killpg(client.pid, signal.SIGKILL)
                client.wait()
            sampler.done.set()
            sampler.join()
    results = json.load(open(out)) if os.path.exists(out) else {}
    if client.returncode != 0:
        results["client"] = {"error": f"the client exited ({client.returncode}): {last_line(log)}"}
    for name in MEASURES:
        results.setdefault(name, {"error": "not reached: " + results.get("client", {}).get("error", "?")})
    return results, sampler.max_kib / 1024


def bench_server(kind, cairn, work, size, blob, floor_config, expected, timeout):
    result = {"label": LABELS[kind]}
    if kind == "cairn" and not os.path.exists(cairn):
        result["skipped"] = f"no cairn binary at {cairn} (build it: swift build -c release --product cairn; or pass --cairn PATH)"
        print(f"Cairn: skipped, {result['skipped']}", file=sys.stderr)
        return result
    server = Server(kind, work, cairn, floor_config)
    try:
        colds = []
        for attempt in range(size["repeats"]):
            colds.append(server.start(attempt))
            print(f"  {kind}: healthy after {colds[-1]:.3f} s", file=sys.stderr)
            if attempt < size["repeats"] - 1: server.stop()
        result["cold_start"] = {"median_s": statistics.median(colds), "all_s": colds}
        result["workload"], result["rss_max_mib"] = run_workload(server, size, work, blob, expected, timeout)
    except Exception as e:
        result["error"] = f"{type(e).__name__}: {e}"
        print(f"  {kind}: {result['error']}", file=sys.stderr)
    finally:
        server.stop()
    return result


# ---------------------------------------------------------------------------------------------------
# The table.

# key, label, where the figure is (measure, field), unit, higher is better, target (Cairn's factor over the
# faster MLflow), its text.
ROWS = [
    ("create_runs", "create runs (start_run, 20 params, 5 tags, end)", ("create_runs", "rate"), "runs/s", True, None, ""),
    ("log_batch", "log_batch, 1,000 metrics a call", ("log_batch", "rate"), "points/s", True, 10, "≥ 10×"),
    ("log_metric", "sequential log_metric", ("log_metric", "rate"), "calls/s", True, 10, "≥ 10× or ≤ 1.2× floor"),
    ("log_metric_p50", "sequential log_metric, p50 latency", ("log_metric", "p50_ms"), "ms", False, 10, "≥ 10× or ≤ 1.2× floor"),
    ("search", "search_runs, filter + order, 100 max (median of 20)", ("search", "median_ms"), "ms", False, 10, "≥ 10×"),
    ("history", "get_metric_history, 100,000 steps (median of 3)", ("history", "median_s"), "s", False, 5, "≥ 5×"),
    ("upload", "log_artifact, 50 MB (median of 3)", ("upload", "mbps"), "MB/s", True, 3, "≥ 3×"),
    ("download", "download_artifacts, 50 MB (median of 3)", ("download", "mbps"), "MB/s", True, 3, "≥ 3×"),
    ("cold_start", "cold start to /health OK (median of 3)", ("cold_start", "median_s"), "s", False, 50, "≥ 50×"),
    ("rss", "max RSS of the server's process tree during the workload", ("rss", None), "MiB", False, 4, "≤ ¼"),
]


def figure(result, where):
    """(value, None) or (None, error text) for one measure of one server."""
    if "skipped" in result: return None, "skipped"
    measure, field = where
    if measure == "cold_start":
        got = result.get("cold_start")
        return (got["median_s"], None) if got else (None, "failed: " + result.get("error", "?"))
    if measure == "rss":
        got = result.get("rss_max_mib")
        if got is not None: return got, None
        return None, "failed: " + (result.get("error", "?") if "cold_start" in result else "the server did not start (see cold start)")
    if "workload" not in result:
        return None, "failed: " + (result.get("error", "?") if "cold_start" in result else "the server did not start (see cold start)")
    got = result["workload"].get(measure, {})
    if "error" in got: return None, "failed: " + got["error"][:120]
    if field not in got: return None, "failed: no figure"
    return got[field], None


def fmt(x, unit):
    if unit in ("points/s", "runs/s", "calls/s", "MB/s"):
        return f"{x:,.0f} {unit}" if x >= 100 else f"{x:.1f} {unit}"
    if unit == "s": return f"{x:.3f} s" if x < 10 else f"{x:.1f} s"
    if unit == "ms": return f"{x:.2f} ms" if x < 100 else f"{x:.0f} ms"
    return f"{x:.0f} {unit}"


def table(results):
    kinds = [k for k in KINDS if k in results]
    lines = ["| measure | " + " | ".join(LABELS[k] for k in kinds) + " | Cairn vs faster MLflow | target |",
             "| --- |" + " ---: |" * len(kinds) + " ---: | --- |"]
    verdicts = {}
    for key, label, where, unit, higher, target, target_text in ROWS:
        figs = {k: figure(results[k], where) for k in kinds}
        floor = figs.get("floor", (None, None))[0]
        cells = []
        for k in kinds:
            x, err = figs[k]
            if x is None:
                cells.append(err.replace("|", "\\|"))
                continue
            cell = fmt(x, unit)
            if k != "floor" and floor and x and key not in ("rss", "cold_start"):   # no client floor for those
                cell += f" ({(floor / x if higher else x / floor):.2f}× floor)"
            cells.append(cell)
        mlflow = [figs[k][0] for k in ("mlflow", "mlflow1") if k in figs and figs[k][0]]
        best = (max(mlflow) if higher else min(mlflow)) if mlflow else None
        cairn = figs.get("cairn", (None, None))[0]
        ratio = ""
        if best and cairn:
            factor = cairn / best if higher else best / cairn
            ok = target is not None and factor >= target
            if key.startswith("log_metric") and floor:
                ok = ok or (floor / cairn if higher else cairn / floor) <= 1.2
            ratio = f"{factor:.2f}×" + ("" if target is None else (" ✓" if ok else " ✗"))
            if target is not None: verdicts[key] = ok
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {ratio} | {target_text} |")
    return "\n".join(lines), verdicts


def calls_table(floor):
    """The REST calls each measure made, as counted by the floor."""
    work = floor.get("workload", {})
    lines = ["| measure | requests (counted by the floor) | connections opened |", "| --- | --- | ---: |"]
    for name in MEASURES:
        got = work.get(name, {})
        calls = ", ".join(f"`{k}` × {v}" for k, v in sorted(got.get("calls", {}).items(), key=lambda kv: -kv[1]))
        lines.append(f"| {name} | {calls or got.get('error', '')} | {got.get('connections', '')} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cairn", default=DEFAULT_CAIRN, help="the cairn binary (default .build/release/cairn)")
    parser.add_argument("--quick", action="store_true", help="20 runs instead of 200")
    parser.add_argument("--only", default=",".join(KINDS), help="a subset of floor,mlflow,mlflow1,cairn")
    parser.add_argument("--workload", help=argparse.SUPPRESS)
    parser.add_argument("--floor-serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--floor-config", help=argparse.SUPPRESS)
    parser.add_argument("--floor-host", default="127.0.0.1", help=argparse.SUPPRESS)   # benchmarks/multihost.py's floor
    args = parser.parse_args()
    if args.workload: return workload(args.workload)
    if args.floor_serve is not None: return floor_serve(args.floor_serve, args.floor_config, args.floor_host)

    if not os.path.exists(VENV_PY):
        sys.exit(f"no {VENV_PY}: python3 -m venv benchmarks/.venv-bench && "
                 "benchmarks/.venv-bench/bin/pip install -r benchmarks/requirements-bench.txt")
    only = [k.strip() for k in args.only.split(",") if k.strip()]
    unknown = set(only) - set(KINDS)
    if unknown: sys.exit(f"--only: unknown {', '.join(sorted(unknown))} (choose from {', '.join(KINDS)})")
    size = dict(FULL, runs=20 if args.quick else FULL["runs"])
    cairn = os.path.abspath(args.cairn)
    expected = expected_search(size)
    timeout = 900 if args.quick else 3600
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    work = tempfile.mkdtemp(prefix="cairn-bench-mlflow-server-")
    load = os.getloadavg()
    def on_term(signum, _frame): raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_term)
    results = {}
    try:
        blob = os.path.join(work, BLOB)
        with open(blob, "wb") as f:
            f.write(os.urandom(size["artifact_bytes"]))
        floor_config = os.path.join(work, "floor.json")
        with open(floor_config, "w") as f:
            json.dump({"size": size}, f)
        # The floor first (its counts of calls are the reference), Cairn last.
        for kind in ["floor", "mlflow", "mlflow1", "cairn"]:
            if kind not in only: continue
            print(f"{LABELS[kind]}…", file=sys.stderr)
            started = time.perf_counter()
            results[kind] = bench_server(kind, cairn, work, size, blob, floor_config, expected, timeout)
            print(f"  {kind}: done in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    except KeyboardInterrupt:
        interrupted = True
    else:
        interrupted = False
    finally:
        for server in list(LIVE): server.stop()
        shutil.rmtree(work, ignore_errors=True)
    if interrupted: sys.exit("interrupted: the servers are stopped, nothing written")

    main_table, verdicts = table(results)
    out = [f"MLflow client and server 3.17.2 (benchmarks/.venv-bench), {os.cpu_count()} CPUs; {size['runs']} runs × "
           f"{size['params']} params, {size['tags']} tags, {size['keys']} metrics × {size['steps']:,} steps "
           f"({size['runs'] * size['keys'] * size['steps']:,} points); search expects {len(expected)} runs.",
           f"Load average before the run: {load[0]:.2f}. (× floor: the server's time over the floor's, for the same calls by the same client.)\n",
           main_table]
    if verdicts:
        out.append(f"\nCairn's targets met: {sum(verdicts.values())} of {len(verdicts)}"
                   + (f" (not met: {', '.join(k for k, ok in verdicts.items() if not ok)})" if not all(verdicts.values()) else ""))
    for kind, result in results.items():
        notes = [f"{m}: {w['check']}" for m, w in result.get("workload", {}).items() if w.get("check", "ok") != "ok"]
        if notes: out.append(f"\n{LABELS[kind]}, results that were not as expected: " + "; ".join(notes))
        if "skipped" in result: out.append(f"\nCairn skipped: {result['skipped']}")
    if "floor" in results and "workload" in results["floor"]:
        out += ["", calls_table(results["floor"])]
    print("\n".join(out))
    os.makedirs(os.path.join(ROOT, "bench-out"), exist_ok=True)
    path = os.path.join(ROOT, "bench-out", f"mlflow_server-{stamp}.json")
    with open(path, "w") as f:
        json.dump({"date_utc": stamp, "quick": args.quick, "size": size, "filter": FILTER, "order_by": ORDER,
                   "expected_search": len(expected), "cpus": os.cpu_count(), "loadavg_before": load, "cairn": cairn if "cairn" in only else None,
                   "servers": results, "targets_met": verdicts, "table": "\n".join(out)}, f, indent=1)
    print(f"\nWritten: {os.path.relpath(path, ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
