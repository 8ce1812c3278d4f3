#!/usr/bin/env python3
"""Benchmark: `cairn serve` on PostgreSQL as several hosts would use it, simulated with Linux network namespaces.

Run from the package root, as root (it creates network namespaces):
    python3 benchmarks/multihost.py [--seconds N] [--cairn PATH] [--quick] [--phases a,b,c,d,e,f,g] [--search-interval S]
  --seconds N   the measured seconds of load per phase (default 30)
  --search-interval S
                the search host's pace: a search every S seconds (a dashboard refreshing), the next at
                once when one took longer; 0 (the default) for back to back, so that a faster server is
                given more searches to answer
  --quick       5 s per phase (a trial: the seven phases make 35 s of load)
  --cairn PATH  the cairn binary (default .build/release/cairn if its `serve` takes --database, else
                .build/static/debug/cairn); it is copied into the run's folder first, so a rebuild during
                the run does not change it
  --phases      a subset of the phases below (default all seven)
The clients and `mlflow server` run from benchmarks/.venv-bench (mlflow, psycopg2-binary: see
requirements-bench.txt). This file needs only Python's standard library; in the venv's python it is also
the job (`--job CONFIG`) that runs in each simulated host.

The network: a bridge cairnbench-br in the root namespace (10.77.0.1/24, so this script can reach every
host) and one namespace per host, each with a veth on that bridge and an address of 10.77.0.0/24, no
default route, so nothing leaves the machine:
  db 10.77.0.10       PostgreSQL 15 (initdb as `nobody` in a fresh folder, trust auth on 10.77.0.0/24, its
                      default settings otherwise: fsync on); a fresh database per phase, dropped
                      after it (its vacuum would otherwise run in the next phase)
  srv1, srv2 .11 .12  `cairn serve --store DIR --database postgresql://… --host ADDR --token T` (both on the
                      same store folder and the same database) or `mlflow server`
  train1..4 .21-.24   4 jobs each (16 processes), host i on server (i-1) mod servers: each job makes a run
                      of its own, then loops MlflowClient().log_batch(run_id, metrics=[1,000 Metric]) (5
                      keys × 200 steps a call, the steps moving on) for the measured seconds
  search .30          one process looping MlflowClient().search_runs(filter "metrics.m0 < 0.5 and
                      params.p0 = 'v3'", order_by ["metrics.m1 DESC"], max_results 100) (or one every
                      --search-interval seconds), round-robin over the servers
All processes start, set up their run and wait at a barrier; the load then runs for the same seconds
everywhere. The official client's own retries are off (MLFLOW_HTTP_REQUEST_MAX_RETRIES=0,
MLFLOW_HTTP_REQUEST_TIMEOUT=10): a failed call is counted as an error and the same batch is sent again
(to the other server when there are two). A batch counts as acknowledged only when its call returned.

Phases, each on a fresh store and a fresh database:
  a  Cairn, 1 server, the SQLite default (DIR/.cairn/index.sqlite)
  b  Cairn, 1 server, PostgreSQL
  c  Cairn, 2 servers, PostgreSQL
  d  `mlflow server --backend-store-uri postgresql+psycopg2://…/mlflow_d --workers 1` (job execution off), 1 server,
     the same workload on the same PostgreSQL
  e  the kill test: c, with SIGKILL to server 1 at half time; its jobs go on against server 2. After the
     load, server 1 is started again with the same command (no repair step): /health, a search through
     it, and `cairn reindex --check` (read-only) must pass.
  f  `mlflow server` with its defaults (4 uvicorn workers, the job runner) on the same PostgreSQL: with 16
     jobs and a search loop it is faster than d here (both cores), so Cairn is held against the faster
     of d and f on each measure
  g  the clients' floor: benchmarks/mlflow_server.py's canned server (well-formed answers of the real size,
     nothing stored, nothing read) on srv1, 1 server: what the official clients reach on these cores when
     the server costs nothing, the bound on any server's ratio
Per phase: log-batch points/s (acknowledged points over the seconds from the start to the return of the
last call, which may end after the measured seconds), p50/p99 of the log_batch and search_runs calls,
searches/s, errors (in e, the calls that failed over to the other server), and the points acknowledged, in the store's metrics.csv files
(data rows) and in the index (PostgreSQL `SELECT sum(count) FROM metrics` after one search has made the
servers take in pending changes; `count(*)` of MLflow's metrics table; SQLite's index for a); the
servers' and PostgreSQL's CPU-seconds (utime+stime of their process trees, /proc) per 1,000 points, and
the clients' CPU-seconds (which compete with them for the same cores; the search client's apart).
Printed: a Markdown table and the ratios against the goals (c ≥ 0.9× b with 0 errors, c ≥ 0.7× a, Cairn
≥ 10× the faster MLflow on log-batch and search, and the floor's own ratios, nothing acknowledged lost in
e); also written to
bench-out/multihost-<UTC timestamp>.json.

What it does not show: all "hosts" share this machine's cores (2 here), so more servers cannot add
throughput, and the clients' own CPU competes with the servers' (CPU-seconds per 1,000 points is the
figure that predicts scaling on real hosts); a veth pair has no real network latency or bandwidth
limit; the shared store folder is a local folder, not NFS; one PostgreSQL on the same cores.
Everything it makes (namespaces, links, processes, the /tmp/cairnbench-* folder) is removed at the end,
on Ctrl-C too, and left-overs of an earlier run that crashed are removed at the start.
"""
import argparse, glob, http.client, json, os, shutil, signal, sqlite3, statistics, subprocess, sys, tempfile, time
from procfs import last_line, process_tree

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
THIS = os.path.abspath(__file__)
VENV_PY = os.path.join(ROOT, "benchmarks", ".venv-bench", "bin", "python")
VENV_MLFLOW = os.path.join(ROOT, "benchmarks", ".venv-bench", "bin", "mlflow")
RELEASE_CAIRN = os.path.join(ROOT, ".build", "release", "cairn")
DEBUG_CAIRN = os.path.join(ROOT, ".build", "static", "debug", "cairn")
PG_BIN = "/usr/lib/postgresql/15/bin"

PREFIX = "cairnbench-"
BRIDGE = PREFIX + "br"
SUBNET = "10.77.0"
HOSTS = {"db": 10, "srv1": 11, "srv2": 12, "train1": 21, "train2": 22, "train3": 23, "train4": 24, "search": 30}
TRAIN_HOSTS = ["train1", "train2", "train3", "train4"]
JOBS_PER_HOST = 4
PORT, PG_PORT = 5000, 5432
TOKEN = "cairnbench-token"
KEYS, STEPS_PER_CALL = 5, 200            # 1,000 metrics a log_batch call
FILTER = "metrics.m0 < 0.5 and params.p0 = 'v3'"
ORDER = ["metrics.m1 DESC"]
BASE_MS = 1_780_000_000_000
REQUEST_TIMEOUT = 10
START_TIMEOUT = 180                      # seconds for a server to answer /health, or the jobs to be ready
QUIET_ENV = {"MLFLOW_DISABLE_TELEMETRY": "true", "DO_NOT_TRACK": "true", "PYTHONWARNINGS": "ignore"}

PHASES = {
    "a": dict(label="Cairn, 1 server, SQLite", kind="cairn", servers=1, database="sqlite", kill=False),
    "b": dict(label="Cairn, 1 server, PostgreSQL", kind="cairn", servers=1, database="postgres", kill=False),
    "c": dict(label="Cairn, 2 servers, PostgreSQL", kind="cairn", servers=2, database="postgres", kill=False),
    "d": dict(label="MLflow 3.17.2, 1 server, PostgreSQL", kind="mlflow", servers=1, database="postgres", kill=False),
    "e": dict(label="Cairn, 2 servers, PostgreSQL, SIGKILL srv1", kind="cairn", servers=2, database="postgres", kill=True),
    "f": dict(label="MLflow 3.17.2 with its defaults (4 workers, job runner), 1 server, PostgreSQL", kind="mlflow", servers=1,
              database="postgres", kill=False, defaults=True),
    "g": dict(label="floor: canned answers, no work (the clients' ceiling)", kind="floor", servers=1, database=None, kill=False),
}


def addr(host):
    return f"{SUBNET}.{HOSTS[host]}"


def netns(host):
    return PREFIX + host


def run(*cmd, check=True, **kw):
    """Runs a command, its output captured; on failure raises with its last line of stderr."""
    p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)
    if check and p.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))[:200]} exited {p.returncode}: {(p.stderr or p.stdout).strip()[-500:]}")
    return p


def in_ns(host, *cmd):
    return ["ip", "netns", "exec", netns(host), *cmd]


def as_nobody(*cmd):
    return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", *cmd]


# ---------------------------------------------------------------------------------------------------
# Processes: CPU-seconds from /proc.

CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(root):
    """utime + stime of root's process tree (fields 14 and 15 of /proc/PID/stat), in seconds."""
    ticks = 0
    for pid in process_tree(root):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])   # fields 14, 15 counted from 1 with pid and comm
        except (OSError, IndexError, ValueError):
            pass
    return ticks / CLK_TCK


# ---------------------------------------------------------------------------------------------------
# The network and the clean-up of everything with the prefix.

def our_namespaces():
    out = run("ip", "netns", "list", check=False).stdout
    return [line.split()[0] for line in out.splitlines() if line.startswith(PREFIX)]


def our_links():
    out = run("ip", "-o", "link", "show", check=False).stdout
    names = [line.split(":")[1].strip().split("@")[0] for line in out.splitlines() if ":" in line]
    return [n for n in names if n.startswith(PREFIX)]


def kill_namespace_processes(name):
    """SIGKILL to every process in the namespace (all of them were started by this script)."""
    for _ in range(20):
        pids = [int(p) for p in run("ip", "netns", "pids", name, check=False).stdout.split()]
        if not pids: return
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.1)


def clean_up(work=None, postgres=None):
    """Removes the namespaces (after killing their processes), the links and the work folder(s)."""
    if postgres is not None:
        postgres.stop()
    for name in our_namespaces():
        kill_namespace_processes(name)
        run("ip", "netns", "del", name, check=False)
    for link in our_links():
        run("ip", "link", "del", link, check=False)
    folders = [work] if work else glob.glob(os.path.join(tempfile.gettempdir(), PREFIX + "*"))
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def build_network():
    run("ip", "link", "add", BRIDGE, "type", "bridge")
    run("ip", "addr", "add", f"{SUBNET}.1/24", "dev", BRIDGE)
    run("ip", "link", "set", BRIDGE, "up")
    for i, host in enumerate(HOSTS):
        outer, inner = f"{PREFIX}h{i}", f"{PREFIX}p{i}"
        run("ip", "netns", "add", netns(host))
        run("ip", "link", "add", outer, "type", "veth", "peer", "name", inner)
        run("ip", "link", "set", outer, "master", BRIDGE)
        run("ip", "link", "set", outer, "up")
        run("ip", "link", "set", inner, "netns", netns(host))
        run("ip", "-n", netns(host), "link", "set", inner, "name", "eth0")
        run("ip", "-n", netns(host), "addr", "add", f"{addr(host)}/24", "dev", "eth0")
        run("ip", "-n", netns(host), "link", "set", "eth0", "up")
        run("ip", "-n", netns(host), "link", "set", "lo", "up")


# ---------------------------------------------------------------------------------------------------
# PostgreSQL on the db host.

class Postgres:
    def __init__(self, work):
        self.dir = os.path.join(work, "pg")
        self.data = os.path.join(self.dir, "data")
        self.started = False

    def pg_ctl(self, *args, check=True):
        return run(*in_ns("db", *as_nobody(f"{PG_BIN}/pg_ctl", "-D", self.data, "-l", os.path.join(self.dir, "server.log"),
                                           *args)), check=check)

    def start(self):
        os.makedirs(self.dir)
        os.chmod(self.dir, 0o755)
        shutil.chown(self.dir, "nobody", "nogroup")
        run(*as_nobody(f"{PG_BIN}/initdb", "-D", self.data, "-U", "cairn", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"))
        with open(os.path.join(self.data, "postgresql.conf"), "a") as f:
            f.write(f"port = {PG_PORT}\nlisten_addresses = '{addr('db')}'\nunix_socket_directories = '{self.dir}'\n"
                    "max_connections = 300\n")
        with open(os.path.join(self.data, "pg_hba.conf"), "a") as f:
            f.write(f"host all all {SUBNET}.0/24 trust\n")
        self.pg_ctl("-w", "-t", "60", "start")
        self.started = True

    def stop(self):
        if self.started:
            self.pg_ctl("-m", "fast", "-w", "-t", "30", "stop", check=False)
            self.started = False

    def url(self, database, scheme="postgresql"):
        return f"{scheme}://cairn@{addr('db')}:{PG_PORT}/{database}?sslmode=disable"

    def query(self, database, sql):
        return run("psql", "-h", addr("db"), "-p", PG_PORT, "-U", "cairn", "-d", database, "-Atc", sql).stdout.strip()

    def create_database(self, name):
        self.query("postgres", f"CREATE DATABASE {name}")

    def drop_database(self, name):
        """After its phase: what autovacuum would do for it later would count in the next phase's CPU."""
        self.query("postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def cpu(self):
        with open(os.path.join(self.data, "postmaster.pid")) as f:
            return cpu_seconds(int(f.readline()))


# ---------------------------------------------------------------------------------------------------
# Servers.

def http_request(host, method, path, body=None, timeout=10):
    conn = http.client.HTTPConnection(addr(host), PORT, timeout=timeout)
    try:
        headers = {"Authorization": f"Bearer {TOKEN}"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class Server:
    """One server process (group) on one host, started with `ip netns exec`."""

    def __init__(self, host, cmd, env, log):
        self.host, self.cmd, self.env, self.log = host, cmd, env, log
        self.proc = None

    def start(self):
        """Spawns the server and waits for /health to answer OK: the seconds it took."""
        start = time.perf_counter()
        with open(self.log, "a") as log:
            self.proc = subprocess.Popen(in_ns(self.host, *self.cmd), stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, env={**os.environ, **QUIET_ENV, **self.env},
                                         cwd=os.path.dirname(self.log), start_new_session=True)
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server on {self.host} exited ({self.proc.returncode}): {last_line(self.log)}")
            try:
                status, body = http_request(self.host, "GET", "/health", timeout=5)
                if status == 200 and body.strip() == b"OK":
                    return time.perf_counter() - start
            except OSError:
                pass
            if time.perf_counter() - start > START_TIMEOUT:
                raise RuntimeError(f"no OK from /health on {self.host} in {START_TIMEOUT} s: {last_line(self.log)}")
            time.sleep(0.05)

    def cpu(self):
        return cpu_seconds(self.proc.pid)

    def kill(self):
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc is None or self.proc.poll() is not None: return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


def cairn_server(cairn, host, store, database_url, log):
    cmd = [cairn, "serve", "--store", store, "--host", addr(host), "--port", str(PORT), "--token", TOKEN]
    if database_url:
        cmd += ["--database", database_url]
    return Server(host, cmd, {}, log)


def floor_server(host, folder, log):
    """benchmarks/mlflow_server.py's floor: well-formed canned answers of the real size, nothing stored;
    its search answers the runs this workload's search finds (16 runs of 5 params, 5 metrics)."""
    config = os.path.join(folder, "floor.json")
    with open(config, "w") as f:
        json.dump({"size": {"runs": len(TRAIN_HOSTS) * JOBS_PER_HOST, "steps": 1, "params": 5, "tags": 0, "keys": KEYS,
                            "history_steps": 0, "artifact_bytes": 0}}, f)
    return Server(host, [VENV_PY, os.path.join(ROOT, "benchmarks", "mlflow_server.py"), "--floor-serve", str(PORT),
                         "--floor-config", config, "--floor-host", addr(host)], {}, log)


def mlflow_server(host, database_url, artifacts, log, defaults=False):
    """`mlflow server` with --workers 1 and no job runner, or with its defaults (4 uvicorn workers, the job runner)."""
    cmd = [VENV_MLFLOW, "server", "--backend-store-uri", database_url, "--host", addr(host), "--port", str(PORT),
           "--artifacts-destination", artifacts, "--allowed-hosts", f"{addr(host)},{addr(host)}:{PORT}"]
    if defaults:
        return Server(host, cmd, {}, log)
    return Server(host, cmd + ["--workers", "1"], {"MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"}, log)


# ---------------------------------------------------------------------------------------------------
# The job: run by the venv's python inside a host's namespace (`--job CONFIG`); prints one JSON line.

def value(j, k, s):
    return ((j * 7919 + k * 104729 + s * 31) % 10007) / 10007


def job_main(cfg):
    from mlflow import MlflowClient
    from mlflow.entities import Metric, Param
    clients = [MlflowClient(tracking_uri=u) for u in cfg["urls"]]
    perf = time.perf_counter
    out = {"job": cfg["name"], "calls": 0, "errors": 0, "error_samples": [], "latencies_ms": [], "failovers": 0}

    def note_error(e):
        out["errors"] += 1
        if len(out["error_samples"]) < 5:
            out["error_samples"].append(f"{type(e).__name__}: {(str(e).strip().splitlines() or [''])[0]}"[:200])

    def setup(fn):
        for attempt in range(5):
            try:
                return fn()
            except Exception as e:
                if attempt == 4: raise
                note_error(e)
                time.sleep(1)

    if cfg["role"] == "search":
        exp_id = setup(lambda: clients[0].create_experiment("multihost"))
        with open(cfg["experiment_file"] + ".tmp", "w") as f:
            f.write(exp_id)
        os.replace(cfg["experiment_file"] + ".tmp", cfg["experiment_file"])
    else:
        j = cfg["index"]
        exp_id = cfg["experiment_id"]
        client = clients[0]
        run_id = setup(lambda: client.create_run(exp_id, run_name=cfg["name"]).info.run_id)
        setup(lambda: client.log_batch(run_id, params=[Param(f"p{i}", f"v{j % 4}" if i == 0 else str(j * i)) for i in range(5)]))
        out["run_id"] = run_id

    open(cfg["ready_file"], "w").close()
    while not os.path.exists(cfg["go_file"]):
        time.sleep(0.02)
    start = float(open(cfg["go_file"]).read())
    time.sleep(max(0.0, start - time.time()))
    end = start + cfg["seconds"]
    cpu_start = time.process_time()
    current = cfg.get("first", 0) % len(clients)

    if cfg["role"] == "search":
        found = None
        interval = cfg.get("search_interval", 0.0)
        next_at = start
        while time.time() < end:
            if interval:
                # A dashboard refreshing: a search every `interval` seconds, the next at once if one took longer.
                if time.time() < next_at:
                    time.sleep(min(next_at, end) - time.time())
                    continue
                next_at = max(next_at + interval, time.time())
            t = perf()
            try:
                found = len(clients[current].search_runs([exp_id], filter_string=FILTER, order_by=ORDER, max_results=100))
                out["latencies_ms"].append((perf() - t) * 1000)
                out["calls"] += 1
            except Exception as e:
                note_error(e)
                time.sleep(0.05)
            current = (current + 1) % len(clients)
        out["last_found"] = found
    else:
        acked, step = 0, 0
        while time.time() < end:
            batch = [Metric(f"m{k}", value(j, k, s), BASE_MS + s, s) for s in range(step, step + STEPS_PER_CALL)
                     for k in range(KEYS)]
            while time.time() < end + REQUEST_TIMEOUT:   # the same batch until it is acknowledged
                t = perf()
                try:
                    clients[current].log_batch(run_id, metrics=batch)
                    out["latencies_ms"].append((perf() - t) * 1000)
                    out["calls"] += 1
                    acked += len(batch)
                    break
                except Exception as e:
                    note_error(e)
                    if len(clients) > 1:
                        current = (current + 1) % len(clients)
                        out["failovers"] += 1
                    else:
                        time.sleep(0.1)
            step += STEPS_PER_CALL
        out["acked_points"] = acked
        out["steps"] = step
    out["server_index_at_end"] = current
    out["finished_at"] = time.time()   # the last call may end after the measured seconds
    out["cpu_s"] = time.process_time() - cpu_start
    print(json.dumps(out), flush=True)


# ---------------------------------------------------------------------------------------------------
# One phase.

class Job:
    def __init__(self, host, cfg, folder):
        self.host, self.cfg = host, cfg
        self.log = os.path.join(folder, cfg["name"] + ".log")
        cfg["ready_file"] = os.path.join(folder, cfg["name"] + ".ready")
        env = {**os.environ, **QUIET_ENV, "MLFLOW_TRACKING_TOKEN": TOKEN, "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "0",
               "MLFLOW_HTTP_REQUEST_TIMEOUT": str(REQUEST_TIMEOUT)}
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen(in_ns(host, VENV_PY, THIS, "--job", json.dumps(cfg)), stdin=subprocess.DEVNULL,
                                         stdout=log, stderr=subprocess.STDOUT, env=env, cwd=folder, start_new_session=True)

    def ready(self):
        if self.proc.poll() is not None:
            raise RuntimeError(f"job {self.cfg['name']} exited ({self.proc.returncode}) before the start: {last_line(self.log)}")
        return os.path.exists(self.cfg["ready_file"])

    def result(self):
        for line in reversed(open(self.log, errors="replace").read().splitlines()):
            if line.startswith("{"):
                return json.loads(line)
        return {"job": self.cfg["name"], "failed": f"exit {self.proc.returncode}: {last_line(self.log)}"}


def wait_until(predicate, what, timeout=START_TIMEOUT):
    deadline = time.time() + timeout
    while not predicate():
        if time.time() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.05)


def percentile(values, q):
    if not values: return None
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(round(q * len(values))) - 1))]


def store_points(store):
    """Data rows of every metrics/*/metrics.csv under the store (a torn last line not counted)."""
    total = 0
    for path in glob.glob(os.path.join(store, "**", "metrics", "*", "metrics.csv"), recursive=True):
        if "/.cairn/" in path: continue
        with open(path, "rb") as f:
            data = f.read()
        total += max(0, data.count(b"\n") - 1)
    return total


def sqlite_points(store):
    try:
        with sqlite3.connect(f"file:{os.path.join(store, '.cairn', 'index.sqlite')}?mode=ro", uri=True) as db:
            return db.execute("SELECT sum(count) FROM metrics").fetchone()[0]
    except sqlite3.Error as e:
        return f"error: {e}"


def search_through(host, exp_id):
    """One search through a server's REST API (makes it take in pending changes): runs found, or an error."""
    try:
        status, body = http_request(host, "POST", "/api/2.0/mlflow/runs/search",
                                    {"experiment_ids": [exp_id], "max_results": 1000}, timeout=60)
        if status != 200:
            return f"HTTP {status}: {body[:200].decode(errors='replace')}"
        return len(json.loads(body).get("runs", []))
    except OSError as e:
        return f"error: {e}"


def run_phase(key, spec, ctx):
    print(f"\n## phase {key}: {spec['label']}", flush=True)
    folder = os.path.join(ctx.work, f"phase-{key}")
    jobs_dir = os.path.join(folder, "jobs")
    os.makedirs(jobs_dir)
    result = {"phase": key, **spec, "seconds": ctx.seconds}
    hosts = ["srv1", "srv2"][:spec["servers"]]
    store = os.path.join(folder, "store")
    database = f"{spec['kind']}_{key}"
    # SQLAlchemy 2.1 (under mlflow 3.17) takes postgresql:// as psycopg 3: MLflow gets psycopg2 by name.
    scheme = "postgresql+psycopg2" if spec["kind"] == "mlflow" else "postgresql"
    db_url = ctx.postgres.url(database, scheme) if spec["database"] == "postgres" else None
    if db_url:
        ctx.postgres.create_database(database)

    if spec["kind"] == "cairn":
        run(ctx.cairn, "init", store)
        if db_url:
            run(ctx.cairn, "reindex", "--store", store, "--database", db_url)
        servers = [cairn_server(ctx.cairn, h, store, db_url, os.path.join(folder, f"{h}.log")) for h in hosts]
    elif spec["kind"] == "floor":
        servers = [floor_server(h, folder, os.path.join(folder, f"{h}.log")) for h in hosts]
    else:
        servers = [mlflow_server(h, db_url, os.path.join(folder, "artifacts"), os.path.join(folder, f"{h}.log"),
                                 defaults=spec.get("defaults", False)) for h in hosts]
    ctx.servers = servers
    result["server_start_s"] = [round(s.start(), 2) for s in servers]
    urls = [f"http://{addr(h)}:{PORT}" for h in hosts]

    go_file = os.path.join(folder, "go")
    experiment_file = os.path.join(folder, "experiment")
    common = dict(urls=urls, go_file=go_file, seconds=ctx.seconds)
    searcher = Job("search", dict(common, name="search", role="search", experiment_file=experiment_file,
                                  search_interval=ctx.search_interval), jobs_dir)
    wait_until(lambda: searcher.ready() or os.path.exists(experiment_file), "the experiment")
    exp_id = open(experiment_file).read().strip()
    trainers = []
    for h, host in enumerate(TRAIN_HOSTS):
        for n in range(JOBS_PER_HOST):
            index = h * JOBS_PER_HOST + n
            cfg = dict(common, name=f"{host}-job{n}", role="train", index=index, experiment_id=exp_id, first=h % len(urls))
            trainers.append(Job(host, cfg, jobs_dir))
    jobs = [searcher] + trainers
    wait_until(lambda: all(j.ready() for j in jobs), "the jobs to be ready")

    start = time.time() + 1.0
    with open(go_file + ".tmp", "w") as f:
        f.write(repr(start))
    os.replace(go_file + ".tmp", go_file)
    time.sleep(max(0.0, start - time.time()))
    cpu0 = [s.cpu() for s in servers]
    pg0 = ctx.postgres.cpu() if db_url else None
    commits = "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
    xact0 = int(ctx.postgres.query(database, commits)) if db_url else None
    cpu_killed = None
    if spec["kill"]:
        time.sleep(ctx.seconds / 2)
        cpu_killed = servers[0].cpu()
        servers[0].kill()
        result["killed_at_s"] = round(time.time() - start, 2)
        print(f"SIGKILL to srv1 at {result['killed_at_s']} s", flush=True)
    deadline = start + ctx.seconds + 2 * REQUEST_TIMEOUT + 30
    for job in jobs:
        try:
            job.proc.wait(max(1.0, deadline - time.time()))
        except subprocess.TimeoutExpired:
            os.killpg(job.proc.pid, signal.SIGKILL)
            job.proc.wait()
    cpu1 = [cpu_killed if (spec["kill"] and i == 0) else s.cpu() for i, s in enumerate(servers)]
    pg1 = ctx.postgres.cpu() if db_url else None
    time.sleep(0.6)   # PostgreSQL publishes its counters at most every 0.5 s
    xact1 = int(ctx.postgres.query(database, commits)) if db_url else None

    outs = [j.result() for j in jobs]
    train_outs, search_out = outs[1:], outs[0]
    failed = [o for o in outs if "failed" in o]
    acked = sum(o.get("acked_points", 0) for o in train_outs)
    lb_lat = [x for o in train_outs for x in o.get("latencies_ms", [])]
    # The calls started before the end are waited for: the rates are over the time until the last one returned.
    elapsed = max([ctx.seconds] + [o["finished_at"] - start for o in train_outs if "finished_at" in o])
    search_elapsed = max(ctx.seconds, search_out.get("finished_at", 0) - start)
    se_lat = search_out.get("latencies_ms", [])
    server_cpu = sum(b - a for a, b in zip(cpu0, cpu1))
    result.update({
        "elapsed_s": elapsed,
        "log_batch": {"points_per_s": acked / elapsed, "calls": len(lb_lat), "p50_ms": percentile(lb_lat, 0.5),
                      "p99_ms": percentile(lb_lat, 0.99),
                      "errors": sum(o.get("errors", 0) for o in train_outs),
                      "failovers": sum(o.get("failovers", 0) for o in train_outs),
                      "error_samples": sorted({e for o in train_outs for e in o.get("error_samples", [])})[:5]},
        "search": {"per_s": len(se_lat) / search_elapsed, "elapsed_s": search_elapsed, "calls": len(se_lat), "p50_ms": percentile(se_lat, 0.5),
                   "p99_ms": percentile(se_lat, 0.99), "errors": search_out.get("errors", 0),
                   "last_found": search_out.get("last_found"), "error_samples": search_out.get("error_samples", [])},
        "jobs_failed": [o["failed"] for o in failed],
        "acked_points": acked,
        "server_cpu_s": server_cpu,
        "clients_cpu_s": sum(o.get("cpu_s", 0) for o in outs),
        "search_client_cpu_s": search_out.get("cpu_s", 0),
        # Transactions committed in the phase's database (the servers' index writes and searches, and the
        # few of the setup and the checks after): how many writes each transaction took in.
        "postgres_commits": xact1 - xact0 if db_url else None,
        "postgres_cpu_s": pg1 - pg0 if db_url else None,
        "server_cpu_s_per_1k_points": server_cpu / acked * 1000 if acked else None,
        "postgres_cpu_s_per_1k_points": (pg1 - pg0) / acked * 1000 if acked and db_url else None,
    })

    if spec["kill"]:
        restart = restart_killed(servers[0], servers, exp_id)
        result["restart"] = restart
    # One search through each live server makes the index take in the other servers' pending changes.
    result["runs_found_after"] = [search_through(s.host, exp_id) for s in servers]
    if spec["kind"] == "cairn":
        result["store_points"] = store_points(store)
        result["stored_minus_acked"] = result["store_points"] - acked
        result["index_points"] = int(ctx.postgres.query(database, "SELECT coalesce(sum(count), 0) FROM metrics")) if db_url \
            else sqlite_points(store)
        if db_url:
            check = run(ctx.cairn, "reindex", "--check", "--store", store, "--database", db_url, check=False)
            result["reindex_check"] = {"exit": check.returncode, "last_line": (check.stdout + check.stderr).strip()[-300:]}
    elif spec["kind"] == "mlflow":
        result["store_points"] = None
        result["index_points"] = int(ctx.postgres.query(database, "SELECT count(*) FROM metrics"))
    else:   # the floor keeps nothing
        result["store_points"] = result["index_points"] = None
    for s in servers:
        s.stop()
    ctx.servers = []
    if db_url:
        ctx.postgres.drop_database(database)
    print(phase_summary(result), flush=True)
    return result


def restart_killed(server, servers, exp_id):
    """Starts the killed server again with the same command: seconds to /health OK, and a search through it."""
    out = {}
    try:
        out["start_s"] = round(server.start(), 2)
        out["health"] = "OK"
        out["search_runs_found"] = search_through(server.host, exp_id)
    except Exception as e:
        out["error"] = str(e)
    return out


def phase_summary(r):
    lb, se = r["log_batch"], r["search"]
    return (f"log-batch {lb['points_per_s']:,.0f} points/s (p50 {fmt_ms(lb['p50_ms'])}, p99 {fmt_ms(lb['p99_ms'])}), "
            f"{lb['errors']} errors; search {se['per_s']:.1f}/s (p50 {fmt_ms(se['p50_ms'])}), {se['errors']} errors; "
            f"acked {r['acked_points']:,}, store {r['store_points']}, index {r['index_points']}; CPU-s in "
            f"{r['elapsed_s']:.1f} s × {os.cpu_count()} cores: servers {r['server_cpu_s']:.1f}, PostgreSQL "
            f"{fmt(r['postgres_cpu_s'], '.1f')}, clients {r['clients_cpu_s']:.1f} (the search client's "
            f"{r['search_client_cpu_s']:.1f}); PostgreSQL commits {fmt(r.get('postgres_commits'))} "
            f"({fmt(len_calls(r) / r['postgres_commits'] if r.get('postgres_commits') else None, '.2f')} log-batch calls each)")


def len_calls(r):
    return r["log_batch"]["calls"]


# ---------------------------------------------------------------------------------------------------
# The report.

def fmt_ms(x):
    return "–" if x is None else f"{x:.1f} ms"


def fmt(x, spec=",.0f"):
    return "–" if x is None or isinstance(x, str) else format(x, spec)


def table(results):
    lines = ["| phase | log-batch points/s | p50 / p99 | search/s | p50 / p99 | errors (lb + search) | acked | in store | in index "
             "| server CPU-s / 1k points | PostgreSQL CPU-s / 1k points |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        lb, se = r["log_batch"], r["search"]
        lines.append(f"| {r['phase']}: {r['label']} | {fmt(lb['points_per_s'])} | {fmt_ms(lb['p50_ms'])} / {fmt_ms(lb['p99_ms'])} "
                     f"| {fmt(se['per_s'], '.1f')} | {fmt_ms(se['p50_ms'])} / {fmt_ms(se['p99_ms'])} "
                     f"| {lb['errors']} + {se['errors']} | {r['acked_points']:,} | {fmt(r['store_points'])} "
                     f"| {fmt(r['index_points'])} | {fmt(r['server_cpu_s_per_1k_points'], '.3f')} "
                     f"| {fmt(r['postgres_cpu_s_per_1k_points'], '.3f')} |")
    return "\n".join(lines)


def ratio(a, b):
    return a / b if a is not None and b else None


def goals(by):
    """The ratios against the issue's goals, for the phases that ran."""
    out = []

    def add(name, value, goal, met):
        out.append({"goal": name, "value": value, "target": goal, "met": bool(met) if value is not None else None})

    rate = lambda k: by[k]["log_batch"]["points_per_s"]
    errors = lambda k: by[k]["log_batch"]["errors"] + by[k]["search"]["errors"]
    if "b" in by and "c" in by:
        r = ratio(rate("c"), rate("b"))
        add("log-batch: 2 servers on PostgreSQL / 1 server on PostgreSQL (c/b), 0 errors", r, "≥ 0.9×, 0 errors",
            r is not None and r >= 0.9 and errors("c") == 0)
    if "a" in by and "c" in by:
        r = ratio(rate("c"), rate("a"))
        add("log-batch: 2 servers on PostgreSQL / 1 server on SQLite (c/a)", r, "≥ 0.7×", r is not None and r >= 0.7)
    # Against the faster MLflow of the phases that ran (--workers 1, or its defaults), per measure.
    mlflows = [k for k in ("d", "f") if k in by and "log_batch" in by[k]]
    if mlflows:
        fast_lb = max(mlflows, key=rate)
        fast_se = min(mlflows, key=lambda k: by[k]["search"]["p50_ms"] or float("inf"))
        for k in ("b", "c", "g"):
            if k not in by or "log_batch" not in by[k]: continue
            who = "the floor (g)" if k == "g" else f"Cairn ({k})"
            r = ratio(rate(k), rate(fast_lb))
            add(f"log-batch: {who} / the faster MLflow on PostgreSQL ({fast_lb})", r, "≥ 10×", r is not None and r >= 10)
            r = ratio(by[fast_se]["search"]["p50_ms"], by[k]["search"]["p50_ms"])
            add(f"search p50: the faster MLflow ({fast_se}) / {who}", r, "≥ 10×", r is not None and r >= 10)
    for k, r in by.items():
        if r["kind"] != "cairn": continue
        lost = max(r["acked_points"] - r["store_points"], r["acked_points"] - r["index_points"]
                   if isinstance(r["index_points"], int) else 0)
        add(f"({k}) acknowledged points lost (max of acked − store, acked − index)", lost, "0", lost <= 0)
    if "e" in by:
        e = by["e"]
        ok = e.get("restart", {}).get("health") == "OK" and isinstance(e["restart"].get("search_runs_found"), int) \
            and e.get("reindex_check", {}).get("exit") == 0
        add("(e) killed server restarts without repair (/health, a search, reindex --check exit 0)",
            e.get("restart"), "serves", ok)
    return out


def goals_text(gs):
    lines = []
    for g in gs:
        v = g["value"]
        shown = f"{v:.2f}×" if isinstance(v, float) else json.dumps(v)
        mark = {True: "met", False: "NOT met", None: "n/a"}[g["met"]]
        lines.append(f"- {g['goal']}: {shown} (goal {g['target']}): {mark}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------

def pick_cairn(path):
    candidates = [path] if path else [RELEASE_CAIRN, DEBUG_CAIRN]
    for c in candidates:
        if os.path.exists(c) and "--database" in run(c, "serve", "--help", check=False).stdout:
            return c
    raise SystemExit(f"no cairn binary whose `serve` takes --database among {candidates}")


class Context:
    pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--cairn")
    parser.add_argument("--phases", default="abcdefg")
    parser.add_argument("--search-interval", type=float, default=0.0)
    parser.add_argument("--job", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.job:
        return job_main(json.loads(args.job))
    if os.geteuid() != 0:
        raise SystemExit("run as root: it creates network namespaces")
    for need in (VENV_PY, VENV_MLFLOW, f"{PG_BIN}/initdb"):
        if not os.path.exists(need):
            raise SystemExit(f"missing {need} (see the docstring)")
    phases = [p for p in args.phases.replace(",", "") if p in PHASES]
    ctx = Context()
    ctx.seconds = args.seconds or (5.0 if args.quick else 30.0)
    ctx.search_interval = args.search_interval
    source = pick_cairn(args.cairn)

    def on_term(signum, _frame): raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)   # also when started with SIGINT ignored (a background job)
    clean_up()   # left-overs of an earlier run
    ctx.work = tempfile.mkdtemp(prefix=PREFIX)
    os.chmod(ctx.work, 0o755)
    ctx.postgres, ctx.servers = None, []
    results = []
    try:
        ctx.cairn = os.path.join(ctx.work, "cairn")
        shutil.copy2(source, ctx.cairn)
        version = run(ctx.cairn, "--version", check=False).stdout.strip()
        print(f"cairn: {source} ({version}), copied to {ctx.cairn}; {ctx.seconds:g} s of load per phase; "
              f"{os.cpu_count()} cores", flush=True)
        build_network()
        ctx.postgres = Postgres(ctx.work)
        ctx.postgres.start()
        for key in phases:
            try:
                results.append(run_phase(key, PHASES[key], ctx))
            except Exception as e:
                print(f"phase {key} failed: {e}", flush=True)
                results.append({"phase": key, **PHASES[key], "error": str(e)})
            finally:
                for s in ctx.servers:
                    s.stop()
                ctx.servers = []
    except KeyboardInterrupt:
        print("interrupted: cleaning up", flush=True)
    finally:
        for s in getattr(ctx, "servers", []):
            s.stop()
        clean_up(ctx.work, ctx.postgres)
    report(results, source, ctx)


def report(results, source, ctx):
    done = [r for r in results if "error" not in r]
    by = {r["phase"]: r for r in done}
    gs = goals(by)
    print("\n" + table(done) if done else "\nno phase completed")
    for r in results:
        if "error" in r:
            print(f"- phase {r['phase']} ({r['label']}) failed: {r['error']}")
    for r in done:
        samples = r["log_batch"]["error_samples"] + r["search"]["error_samples"]
        if samples:
            print(f"- phase {r['phase']} error samples: {samples[:3]}")
        if r.get("jobs_failed"):
            print(f"- phase {r['phase']} jobs failed: {r['jobs_failed'][:3]}")
    print("\nGoals:\n" + goals_text(gs))
    os.makedirs(os.path.join(ROOT, "bench-out"), exist_ok=True)
    path = os.path.join(ROOT, "bench-out", f"multihost-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}.json")
    with open(path, "w") as f:
        json.dump({"cairn": source, "seconds": ctx.seconds, "search_interval_s": ctx.search_interval, "cores": os.cpu_count(), "hosts": HOSTS,
                   "jobs_per_host": JOBS_PER_HOST, "metrics_per_call": KEYS * STEPS_PER_CALL, "phases": results,
                   "goals": gs}, f, indent=1)
    print(f"\nwritten: {os.path.relpath(path, ROOT)}")


if __name__ == "__main__":
    main()
