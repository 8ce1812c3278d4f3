#!/usr/bin/env python3
"""Load test: `cairn serve` under concurrent MLflow log-batch writers, and what the store kept of it.

Run from the package root:  python3 benchmarks/serve_load.py [--cairn PATH] [--clients 16] [--seconds 30] [--kill]
  --cairn PATH    the cairn binary (default .build/release/cairn; this script does not build it: without a
                  binary there it says so and exits 2)
  --clients N     concurrent writers, each a separate process (default 16)
  --seconds S     how long they write (default 30)
  --kill          SIGKILL the server at a random moment in the middle of the load instead of stopping it
  --counts-only   skip the point-by-point check (below), keep the count check
  --keep          keep the temporary store (it is always kept when the verdict is FAIL)
Python's standard library only (system python3); the clients do not use the mlflow package.

1. `cairn init DIR` makes a fresh store in a temporary folder; `cairn serve --host 127.0.0.1 --port 0
   --store DIR` is started in its own process group, and the port read from the line it prints once
   listening ("Serving ROOT at http://127.0.0.1:PORT ..."); GET /health must answer OK.
2. Over MLflow's REST API: one experiment (experiments/create), then one run per client of the first
   half (runs/create), and one run shared by the other half (clients // 2 writers on one run: concurrent
   writers on a run must be safe too).
3. The N clients (multiprocessing, spawn; each its own kept-alive http.client.HTTPConnection) start
   together and for S seconds POST /api/2.0/mlflow/runs/log-batch with 1,000 metrics a call: 8 keys
   (loss, acc, opt/lr, grad_norm in the train split; val/loss, val/acc, eval/f1, test/acc: a first part
   val/eval/test names the split) × 125 increasing steps, ms timestamps. On the shared run writer j of
   m logs steps j, j+m, j+2m, ... so that no two writers log the same (key, step). Every batch answered
   200 is acknowledged (1,000 points); a non-200 answer or an exception is an error. The latency of a
   batch is from the request's start to the end of the response.
4. Without --kill the server is stopped with SIGTERM (it must exit 0 in 30 s, else SIGKILL and FAIL).
   With --kill it is SIGKILLed at a random moment between 30% and 70% of S; the clients then see
   connection errors and stop: errors after the kill are expected and reported apart, an error before
   it is not.
5. The store is counted with the CLI: `cairn metric show RUN --json --store DIR` (a summary per split and
   key with "count"), summed over the runs, and compared per (run, split, key) with what was
   acknowledged. Unless --counts-only, `cairn metric show RUN --split SPLIT --csv` is read too, row by
   row: every acknowledged point must be there exactly once with the value sent, and nothing else may
   be (with --kill: nothing but points of the batches in flight at the kill).
Requirement (the verdict, and the exit status: 0 PASS, 1 FAIL): without --kill, zero errors, the server
exits 0 on SIGTERM and stored points == acknowledged points exactly; with --kill, zero errors before the
kill, acknowledged <= stored <= acknowledged + clients × 1,000, and no acknowledged point lost.
Also sampled: the server's VmRSS (/proc/PID/status) every 100 ms, the maximum in MiB, and its CPU time
(utime + stime of /proc/PID/stat, last sample); and the server's log lines that are warnings or errors.
"seconds" in the table is measured: from the start to the last client's last answer (with --kill: to
the kill); the rates are over it.
Printed: a Markdown table (clients, seconds, batches/s, acknowledged points/s, p50/p99 latency per
batch, errors, stored vs acknowledged, max RSS, verdict) and the details of anything that failed; the
same goes to bench-out/serve_load-<UTC timestamp>.json.
"""
import argparse, csv, http.client, json, math, multiprocessing, os, random, re, shutil, signal, subprocess, sys
import tempfile, threading, time
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_CAIRN = os.path.join(ROOT, ".build", "release", "cairn")
API = "/api/2.0/mlflow"
KEYS = ["loss", "acc", "opt/lr", "grad_norm", "val/loss", "val/acc", "eval/f1", "test/acc"]
SPLITS = ("val", "eval", "test")
PER_KEY = 125                      # steps per key in a batch
BATCH = len(KEYS) * PER_KEY        # 1,000 metrics a call (MLflow's limit for log-batch)
START_TIMEOUT = 60                 # seconds for the server to print its port
STOP_TIMEOUT = 30                  # seconds for the server to exit after SIGTERM
REQUEST_TIMEOUT = 120              # seconds for one request
QUIET_ENV = {"DO_NOT_TRACK": "1"}


def split_key(key):
    """The (split, key) the store files an MLflow metric key under."""
    head, sep, rest = key.partition("/")
    return (head, rest) if sep and head in SPLITS and rest else ("train", key)


SPLIT_KEYS = [split_key(k) for k in KEYS]


def value(slot, n, k):
    """The value of key number k at local step n of writer slot: a deterministic float, checked back."""
    return ((n * 7919 + slot * 104729 + k * 31) % 100003) / 100003 + slot


def batch_body(run_id, batch, slot, stride):
    """Batch number `batch` of a writer: local steps batch*125 .. batch*125+124 of every key, logged as
    step = local * stride + slot (stride 1 on a run of its own)."""
    ts = int(time.time() * 1000)
    metrics = []
    for k, key in enumerate(KEYS):
        for j in range(PER_KEY):
            n = batch * PER_KEY + j
            metrics.append({"key": key, "value": value(slot, n, k), "timestamp": ts, "step": n * stride + slot})
    return json.dumps({"run_id": run_id, "metrics": metrics}).encode()


# ---------------------------------------------------------------------------------------------------------
# The client processes

def client_main(index, port, run_id, slot, stride, seconds, kill_mode, ready, go, start_value, results):
    """One writer: log-batch calls on its kept-alive connection until start + seconds."""
    acked, latencies, errors, stop = [], [], [], "time is up"
    conn = None
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        conn.request("GET", "/health")
        conn.getresponse().read()
    except Exception as e:
        errors.append({"t": time.monotonic(), "batch": None, "error": f"{type(e).__name__}: {e}"[:300]})
    ready.put(index)
    go.wait()
    deadline = start_value.value + seconds
    headers = {"Content-Type": "application/json"}
    batch, consecutive = 0, 0
    while time.monotonic() < deadline:
        body = batch_body(run_id, batch, slot, stride)
        started = time.monotonic()
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
            conn.request("POST", API + "/runs/log-batch", body, headers)
            response = conn.getresponse()
            data = response.read()
            ended = time.monotonic()
            consecutive = 0
            if response.status == 200:
                acked.append(batch)
                latencies.append(ended - started)
            else:
                errors.append({"t": ended, "batch": batch, "error": f"HTTP {response.status}",
                               "response": data[:500].decode(errors="replace")})
        except Exception as e:
            errors.append({"t": time.monotonic(), "batch": batch, "error": f"{type(e).__name__}: {e}"[:300]})
            if conn is not None: conn.close()
            conn = None
            consecutive += 1
            if kill_mode:
                stop = "connection error"
                break
            if consecutive >= 20:
                stop = "20 connection errors in a row"
                break
            time.sleep(0.05)
        batch += 1
    if conn is not None: conn.close()
    results.put({"index": index, "acked": acked, "latencies": latencies, "errors": errors, "stop": stop,
                 "batches_sent": batch})


# ---------------------------------------------------------------------------------------------------------
# The server

class Server:
    """`cairn serve` in its own process group; stdout is read for the port, everything goes to logs."""

    def __init__(self, cairn, store, work):
        self.out_log = os.path.join(work, "server.stdout")
        self.err_log = os.path.join(work, "server.stderr")
        self.port, self.port_seen = None, threading.Event()
        with open(self.err_log, "wb") as err:
            self.proc = subprocess.Popen([cairn, "serve", "--host", "127.0.0.1", "--port", "0", "--store", store],
                                         cwd=work, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err,
                                         env={**os.environ, **QUIET_ENV}, start_new_session=True)
        self.pgid = self.proc.pid
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        with open(self.out_log, "wb") as log:
            for line in self.proc.stdout:
                log.write(line)
                log.flush()
                match = re.search(rb"Serving .* at http://127\.0\.0\.1:(\d+)", line)
                if match and self.port is None:
                    self.port = int(match.group(1))
                    self.port_seen.set()
        self.port_seen.set()   # EOF: the server is gone

    def wait_ready(self):
        if not self.port_seen.wait(START_TIMEOUT) or self.port is None:
            code = self.wait(5) if self.port_seen.is_set() else self.proc.poll()
            if code is not None:
                raise RuntimeError(f"the server exited ({code}) without printing its port: {tail(self.err_log)}")
            raise RuntimeError(f"no 'Serving ... at http://127.0.0.1:PORT' line in {START_TIMEOUT} s: {tail(self.err_log)}")
        status, body = request(self.port, "GET", "/health")
        if status != 200 or body.strip() != b"OK":
            raise RuntimeError(f"GET /health answered {status} {body[:200]!r}")

    def alive(self):
        return self.proc.poll() is None

    def signal(self, sig):
        try:
            os.killpg(self.pgid, sig)
        except ProcessLookupError:
            pass

    def wait(self, seconds):
        try:
            return self.proc.wait(seconds)
        except subprocess.TimeoutExpired:
            return None

    def group_gone(self):
        self.proc.poll()   # reaps the leader, whose zombie would keep the group alive
        try:
            os.killpg(self.pgid, 0)
            return False
        except ProcessLookupError:
            return True

    def kill_all(self):
        """SIGKILL whatever is left of the group and wait for it to be gone."""
        deadline = time.time() + 10
        while not self.group_gone() and time.time() < deadline:
            self.signal(signal.SIGKILL)
            time.sleep(0.05)


class RssSampler(threading.Thread):
    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.max_kib, self.samples, self.done = pid, 0, 0, threading.Event()
        self.cpu_s, self.threads = 0.0, 0

    def run(self):
        tick = os.sysconf("SC_CLK_TCK")
        while True:
            try:
                with open(f"/proc/{self.pid}/status") as f:
                    for line in f:
                        if line.startswith("VmRSS:"):
                            self.max_kib = max(self.max_kib, int(line.split()[1]))
                            self.samples += 1
                        elif line.startswith("Threads:"):
                            self.threads = max(self.threads, int(line.split()[1]))
                with open(f"/proc/{self.pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                self.cpu_s = (int(fields[11]) + int(fields[12])) / tick   # utime + stime
            except (OSError, ValueError, IndexError):
                pass
            if self.done.wait(0.1): break


def request(port, method, path, payload=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        body = json.dumps(payload).encode() if payload is not None else None
        conn.request(method, path, body, {"Content-Type": "application/json"} if body else {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def api(port, path, payload):
    status, body = request(port, "POST", API + path, payload)
    if status != 200:
        raise RuntimeError(f"POST {API}{path} {json.dumps(payload)[:200]} answered {status}: {body[:500]!r}")
    return json.loads(body)


def tail(path, lines=5):
    try:
        with open(path, errors="replace") as f:
            found = [l.rstrip() for l in f if l.strip()]
        return " | ".join(found[-lines:])[:1000] if found else "(no output)"
    except OSError:
        return "(no log)"


def log_problems(path, limit=20):
    """The server's log lines that are warnings or errors (the count and the first few)."""
    count, first = 0, []
    try:
        with open(path, errors="replace") as f:
            for line in f:
                if re.search(r"\b(warning|error|critical|fatal)\b", line, re.I) or re.search(r"\s[45]\d\d \[ms=", line):
                    count += 1
                    if len(first) < limit: first.append(line.rstrip()[:400])
    except OSError:
        pass
    return count, first


# ---------------------------------------------------------------------------------------------------------
# Checking the store

def cli_json(cairn, args):
    done = subprocess.run([cairn] + args, capture_output=True, env={**os.environ, **QUIET_ENV})
    if done.returncode != 0:
        raise RuntimeError(f"cairn {' '.join(args)} exited {done.returncode}: {done.stderr.decode(errors='replace')[:500]}")
    return json.loads(done.stdout)


def count_points(cairn, store, runs):
    """`cairn metric show RUN --json`: {run: {(split, key): count}}."""
    counts = {}
    for run in runs:
        summaries = cli_json(cairn, ["metric", "show", run, "--json", "--store", store])
        counts[run] = {(s["split"], s["key"]): int(s["count"]) for s in summaries}
    return counts


def check_points(cairn, store, runs, writers, acked_by_client, inflight_by_client):
    """Reads every point back (`cairn metric show RUN --split S --csv`) and checks it against what was sent.
    writers: {run: [(client, slot, stride)]}. Returns the findings (counts and a few examples)."""
    found = {"rows": 0, "missing": 0, "duplicates": 0, "unexpected": 0, "inflight_stored": 0,
             "wrong_value": 0, "bad_rows": 0, "examples": []}
    def example(text):
        if len(found["examples"]) < 20: found["examples"].append(text)
    key_index = {sk: k for k, sk in enumerate(SPLIT_KEYS)}
    for run in runs:
        by_slot = {slot: (client, stride) for client, slot, stride in writers[run]}
        stride = writers[run][0][2]
        for split in sorted({s for s, _ in SPLIT_KEYS}):
            seen = defaultdict(int)   # (k, slot, batch) -> bitmask of the local steps seen
            proc = subprocess.Popen([cairn, "metric", "show", run, "--split", split, "--csv", "--store", store],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                    env={**os.environ, **QUIET_ENV})
            reader = csv.reader(proc.stdout)
            header = next(reader, None)
            if header != ["time", "step", "epoch", "key", "value"]:
                example(f"{run} {split}: unexpected CSV header {header}")
            for row in reader:
                found["rows"] += 1
                try:
                    key, step, got = row[3], int(row[1]), float(row[4])
                except (IndexError, ValueError):
                    found["bad_rows"] += 1
                    example(f"{run} {split}: bad row {row}")
                    continue
                k = key_index.get((split, key))
                n, slot = divmod(step, stride)
                if k is None or slot not in by_slot:
                    found["unexpected"] += 1
                    example(f"{run} {split}/{key} step {step}: not a key or step any client logged")
                    continue
                batch, j = divmod(n, PER_KEY)
                mask = seen[(k, slot, batch)]
                if mask >> j & 1:
                    found["duplicates"] += 1
                    example(f"{run} {split}/{key} step {step} (client {by_slot[slot][0]}, batch {batch}): stored twice")
                    continue
                seen[(k, slot, batch)] = mask | 1 << j
                if got != value(slot, n, k):
                    found["wrong_value"] += 1
                    example(f"{run} {split}/{key} step {step}: value {row[4]}, sent {value(slot, n, k)!r}")
            stderr = proc.stderr.read()
            if proc.wait() != 0:
                raise RuntimeError(f"cairn metric show {run} --split {split} --csv exited {proc.returncode}: {stderr[:500]}")
            full = (1 << PER_KEY) - 1
            for slot, (client, _) in by_slot.items():
                acked, inflight = set(acked_by_client[client]), inflight_by_client.get(client)
                for (k, s, batch), mask in seen.items():
                    if s != slot or batch in acked: continue
                    if batch == inflight:
                        found["inflight_stored"] += bin(mask).count("1")
                    else:
                        found["unexpected"] += bin(mask).count("1")
                        example(f"{run} {split}/{SPLIT_KEYS[k][1]} client {client} batch {batch}: "
                                f"{bin(mask).count('1')} points stored of a batch that was not acknowledged")
                for k, (s, key) in enumerate(SPLIT_KEYS):
                    if s != split: continue
                    for batch in acked:
                        mask = seen.get((k, slot, batch), 0)
                        if mask != full:
                            lost = PER_KEY - bin(mask).count("1")
                            found["missing"] += lost
                            example(f"{run} {split}/{key} client {client} batch {batch}: {lost} of {PER_KEY} "
                                    f"acknowledged points missing")
    return found


# ---------------------------------------------------------------------------------------------------------

def percentile(sorted_values, q):
    if not sorted_values: return None
    return sorted_values[max(0, math.ceil(q * len(sorted_values)) - 1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cairn", default=DEFAULT_CAIRN, help="the cairn binary (default .build/release/cairn)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent writers (default 16)")
    parser.add_argument("--seconds", type=float, default=30, help="how long they write (default 30)")
    parser.add_argument("--kill", action="store_true", help="SIGKILL the server in the middle of the load")
    parser.add_argument("--counts-only", action="store_true", help="skip the point-by-point check")
    parser.add_argument("--keep", action="store_true", help="keep the temporary store")
    args = parser.parse_args()
    if args.clients < 1 or args.seconds <= 0:
        parser.error("--clients must be at least 1 and --seconds positive")
    cairn = os.path.abspath(args.cairn)
    if not (os.path.isfile(cairn) and os.access(cairn, os.X_OK)):
        print(f"serve_load: no cairn binary at {cairn}: build it first (swift build -c release) or pass --cairn PATH",
              file=sys.stderr)
        sys.exit(2)

    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    load_before = os.getloadavg()
    work = tempfile.mkdtemp(prefix="cairn-serve-load-")
    store = os.path.join(work, "store")
    ctx = multiprocessing.get_context("spawn")
    server, sampler, clients = None, None, []
    keep = args.keep
    shared = args.clients // 2
    own = args.clients - shared
    result = {"date_utc": stamp, "cairn": cairn, "clients": args.clients, "seconds": args.seconds,
              "kill": args.kill, "own_run_clients": own, "shared_run_clients": shared, "batch_points": BATCH,
              "keys": KEYS, "cpus": os.cpu_count(), "loadavg_before": load_before, "store": store}
    failures = []
    try:
        subprocess.run([cairn, "init", store], check=True, capture_output=True)
        server = Server(cairn, store, work)
        server.wait_ready()
        port = server.port
        result["server_pid"] = server.proc.pid

        experiment = api(port, "/experiments/create", {"name": f"serve-load-{stamp}"})["experiment_id"]
        now = int(time.time() * 1000)
        def create_run(name):
            return api(port, "/runs/create", {"experiment_id": experiment, "run_name": name, "start_time": now,
                                              "tags": []})["run"]["info"]["run_id"]
        assignments = []   # (client, run, slot, stride)
        for i in range(own):
            assignments.append((i, create_run(f"client-{i}"), 0, 1))
        if shared:
            shared_run = create_run("shared")
            for j in range(shared):
                assignments.append((own + j, shared_run, j, shared))
        runs = list(dict.fromkeys(run for _, run, _, _ in assignments))
        writers = defaultdict(list)
        for client, run, slot, stride in assignments:
            writers[run].append((client, slot, stride))
        result["experiment_id"], result["runs"] = experiment, runs

        sampler = RssSampler(server.proc.pid)
        sampler.start()
        ready, results_q, go = ctx.Queue(), ctx.Queue(), ctx.Event()
        start_value = ctx.Value("d", 0.0)
        for client, run, slot, stride in assignments:
            p = ctx.Process(target=client_main, args=(client, port, run, slot, stride, args.seconds, args.kill,
                                                      ready, go, start_value, results_q), daemon=True)
            p.start()
            clients.append(p)
        for _ in clients:
            ready.get(timeout=120)
        start = time.monotonic()
        start_value.value = start
        go.set()

        kill_at = None
        if args.kill:
            kill_at = random.uniform(0.3, 0.7) * args.seconds
            time.sleep(max(0.0, start + kill_at - time.monotonic()))
            if not server.alive():
                failures.append(f"the server exited on its own ({server.proc.returncode}) before the kill: {tail(server.err_log)}")
            server.signal(signal.SIGKILL)
            killed = time.monotonic()
            server.wait(10)
            result["kill_after_s"] = round(killed - start, 3)

        outcomes = []
        deadline = time.monotonic() + args.seconds + REQUEST_TIMEOUT + 60
        while len(outcomes) < len(clients):
            try:
                outcomes.append(results_q.get(timeout=max(1.0, deadline - time.monotonic())))
            except Exception:
                raise RuntimeError(f"only {len(outcomes)} of {len(clients)} clients reported back in time")
        ended = time.monotonic()
        for p in clients: p.join(10)
        outcomes.sort(key=lambda o: o["index"])

        if not args.kill:
            if not server.alive():
                failures.append(f"the server exited on its own during the load ({server.proc.returncode}): "
                                f"{tail(server.err_log)}")
            else:
                server.signal(signal.SIGTERM)
                stop_started = time.monotonic()
                code = server.wait(STOP_TIMEOUT)
                if code is None:
                    failures.append(f"the server did not exit in {STOP_TIMEOUT} s after SIGTERM: SIGKILLed")
                    server.kill_all()
                else:
                    result["stop_seconds"] = round(time.monotonic() - stop_started, 3)
                    if code != 0:
                        failures.append(f"the server exited {code} after SIGTERM: {tail(server.err_log)}")
                result["server_exit"] = server.proc.returncode
        server.kill_all()
        sampler.done.set()
        sampler.join()

        # What the clients saw.
        duration = (killed - start) if args.kill else (ended - start)
        acked_by_client = {o["index"]: o["acked"] for o in outcomes}
        acked = sum(len(a) for a in acked_by_client.values())
        latencies = sorted(l for o in outcomes for l in o["latencies"])
        errors_before, errors_after, inflight = [], [], {}
        for o in outcomes:
            for e in o["errors"]:
                e = {**e, "client": o["index"], "after_start_s": round(e["t"] - start, 3)}
                if args.kill and e["t"] >= killed:
                    errors_after.append(e)
                    if e["batch"] is not None: inflight[o["index"]] = e["batch"]
                else:
                    errors_before.append(e)
        for e in errors_before + errors_after: del e["t"]
        acked_points = acked * BATCH

        # What the store kept.
        counts = count_points(cairn, store, runs)
        stored = sum(sum(c.values()) for c in counts.values())
        expected = {}
        for run in runs:
            n = sum(len(acked_by_client[client]) for client, _, _ in writers[run]) * PER_KEY
            expected[run] = {sk: n for sk in SPLIT_KEYS} if n else {}
        count_mismatches = []
        for run in runs:
            for sk in sorted(set(counts[run]) | set(expected[run])):
                got, want = counts[run].get(sk, 0), expected[run].get(sk, 0)
                if got != want:
                    count_mismatches.append({"run": run, "split": sk[0], "key": sk[1], "stored": got, "acknowledged": want})
        points = None if args.counts_only else check_points(cairn, store, runs, writers, acked_by_client, inflight)

        # The verdict.
        if errors_before:
            failures.append(f"{len(errors_before)} errors" + (" before the kill" if args.kill else ""))
        if args.kill:
            if stored < acked_points:
                failures.append(f"stored {stored:,} < acknowledged {acked_points:,}")
            if stored > acked_points + args.clients * BATCH:
                failures.append(f"stored {stored:,} > acknowledged {acked_points:,} + {args.clients} × {BATCH:,}")
            short = [m for m in count_mismatches if m["stored"] < m["acknowledged"]]
            if short:
                failures.append(f"{len(short)} (run, split, key) with fewer points stored than acknowledged")
        else:
            if stored != acked_points:
                failures.append(f"stored {stored:,} != acknowledged {acked_points:,}")
            elif count_mismatches:
                failures.append(f"{len(count_mismatches)} (run, split, key) whose count is not the acknowledged one")
        if points:
            for what in ("missing", "duplicates", "unexpected", "wrong_value", "bad_rows"):
                if points[what]: failures.append(f"point check: {points[what]:,} {what.replace('_', ' ')}")
            if not args.kill and points["inflight_stored"]:
                failures.append(f"point check: {points['inflight_stored']:,} points of failed batches stored")
        verdict = "FAIL" if failures else "PASS"

        log_count, log_first = log_problems(server.err_log)
        result.update({
            "duration_s": round(duration, 3), "batches_acknowledged": acked, "points_acknowledged": acked_points,
            "batches_per_s": acked / duration if duration > 0 else None,
            "points_per_s": acked_points / duration if duration > 0 else None,
            "latency_p50_ms": percentile(latencies, 0.50) * 1000 if latencies else None,
            "latency_p99_ms": percentile(latencies, 0.99) * 1000 if latencies else None,
            "latency_max_ms": latencies[-1] * 1000 if latencies else None,
            "errors": len(errors_before), "errors_after_kill": len(errors_after) if args.kill else None,
            "error_examples": errors_before[:20], "errors_after_kill_examples": errors_after[:5] if args.kill else None,
            "batches_in_flight_at_kill": inflight if args.kill else None,
            "points_stored": stored, "count_mismatches": count_mismatches[:50], "point_check": points,
            "max_rss_mib": sampler.max_kib / 1024, "rss_samples": sampler.samples,
            "server_cpu_s": sampler.cpu_s, "server_max_threads": sampler.threads,
            "server_log_problem_lines": log_count, "server_log_problem_examples": log_first,
            "per_client": [{"client": o["index"], "acked": len(o["acked"]), "sent": o["batches_sent"],
                            "errors": len(o["errors"]), "stop": o["stop"]} for o in outcomes],
            "stored_by_run": {run: sum(c.values()) for run, c in counts.items()},
            "failures": failures, "verdict": verdict})
        if verdict == "FAIL": keep = True
    except BaseException as e:
        keep = True
        result.update({"verdict": "FAIL", "failures": failures + [f"{type(e).__name__}: {e}"]})
        if isinstance(e, KeyboardInterrupt):
            raise
    finally:
        for p in clients:
            if p.is_alive(): p.kill()
        for p in clients: p.join(5)
        if server is not None: server.kill_all()
        if sampler is not None: sampler.done.set()
        if keep:
            result["kept"] = work
            if server is not None and os.path.exists(server.err_log):
                result["server_log_tail"] = tail(server.err_log, 20)
        else:
            shutil.rmtree(work, ignore_errors=True)

    report(result, args)
    os.makedirs(os.path.join(ROOT, "bench-out"), exist_ok=True)
    path = os.path.join(ROOT, "bench-out", f"serve_load-{stamp}.json")
    with open(path, "w") as f:
        json.dump(result, f, indent=1)
    print(f"\nWritten: {os.path.relpath(path, ROOT)}", file=sys.stderr)
    sys.exit(0 if result["verdict"] == "PASS" else 1)


def report(r, args):
    def num(x, fmt="{:,.0f}"):
        return "–" if x is None else fmt.format(x)
    out = [f"`cairn serve` load: {r['clients']} clients ({r['own_run_clients']} on runs of their own, "
           f"{r['shared_run_clients']} on one shared run), log-batch of {BATCH:,} metrics a call, "
           f"{'SIGKILL at %.1f s' % r['kill_after_s'] if r.get('kill_after_s') is not None else 'SIGTERM at the end'}; "
           f"{r['cpus']} CPUs, load average before {r['loadavg_before'][0]:.2f}; binary {r['cairn']}\n"]
    if "points_stored" in r:
        errors = str(r["errors"]) + (f" (+{r['errors_after_kill']} after the kill)" if args.kill else "")
        relation = "==" if r["points_stored"] == r["points_acknowledged"] else (">" if r["points_stored"] > r["points_acknowledged"] else "<")
        out += ["| clients | seconds | batches/s | points/s (ack.) | p50 ms | p99 ms | errors | stored vs acknowledged | max RSS MiB | verdict |",
                "|---:|---:|---:|---:|---:|---:|---|---|---:|---|",
                f"| {r['clients']} | {r['duration_s']:.1f} | {num(r['batches_per_s'], '{:,.1f}')} | {num(r['points_per_s'])} "
                f"| {num(r['latency_p50_ms'], '{:.1f}')} | {num(r['latency_p99_ms'], '{:.1f}')} | {errors} "
                f"| {r['points_stored']:,} {relation} {r['points_acknowledged']:,} | {r['max_rss_mib']:.0f} | {r['verdict']} |"]
        pc = r.get("point_check")
        if pc:
            out.append(f"\nPoint check: {pc['rows']:,} rows read back; missing {pc['missing']}, duplicates {pc['duplicates']}, "
                       f"unexpected {pc['unexpected']}, wrong values {pc['wrong_value']}, bad rows {pc['bad_rows']}"
                       + (f", points of the batches in flight at the kill: {pc['inflight_stored']}" if args.kill else ""))
        out.append(f"Server: {r['server_cpu_s']:.1f} CPU s over the {r['duration_s']:.1f} s of load "
                   f"({r['server_cpu_s'] / r['duration_s']:.2f} cores), up to {r['server_max_threads']} threads.")
        if r.get("stop_seconds") is not None:
            out.append(f"Server stop after SIGTERM: {r['stop_seconds']:.2f} s, exit {r['server_exit']}.")
        if r.get("server_log_problem_lines"):
            out.append(f"Server log: {r['server_log_problem_lines']} warning/error lines, first: "
                       + " | ".join(r["server_log_problem_examples"][:3]))
    if r["verdict"] != "PASS":
        out.append("\nFAIL: " + "; ".join(r["failures"]))
        for e in (r.get("error_examples") or [])[:5]:
            out.append(f"  error: client {e['client']} batch {e['batch']} at {e['after_start_s']} s: {e['error']}"
                       + (f" — {e['response'][:200]}" if e.get("response") else ""))
        for m in (r.get("count_mismatches") or [])[:5]:
            out.append(f"  count: run {m['run']} {m['split']}/{m['key']}: stored {m['stored']:,}, acknowledged {m['acknowledged']:,}")
        for x in ((r.get("point_check") or {}).get("examples") or [])[:5]:
            out.append(f"  point: {x}")
        if r.get("kept"): out.append(f"  store and server logs kept in {r['kept']}")
    print("\n".join(out))


if __name__ == "__main__":
    main()
