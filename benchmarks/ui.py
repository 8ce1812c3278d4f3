#!/usr/bin/env python3
"""Benchmark: the web UI of `cairn serve` in headless Chromium, beside MLflow's UI on the same data.

Run from the package root:  python3 benchmarks/ui.py [--cairn PATH] [--quick] [options]
  --cairn PATH        the cairn binary to serve with (default .build/release/cairn, built the way the README
                      installs it: swift build -c release --static-swift-stdlib --product cairn; this script
                      does not build)
  --bench PATH        cairn-bench, to fill the store (default: the newer of .build/release/cairn-bench and
                      .build/debug/cairn-bench; swift build --product cairn-bench)
  --ui-dir DIR        serve the UI's files from DIR (cairn serve --ui-dir) instead of the binary's own
  --runs N            runs in the table experiment (default 10,000; --quick 1,000)
  --mlflow-runs N     the same runs for MLflow's table (default as --runs; 0 skips MLflow's table)
  --steps N           steps of `loss` in each of the 5 chart runs (default 100,000)
  --warm N            warm loads per page (default 5)
  --no-mlflow         Cairn only
  --only cairn|mlflow one side only (the data of both is still made if missing)
  --pages LIST        Cairn's pages to measure, of table,cols,chart (default all three)
  --quick             --runs 1000 --warm 3
The browser side runs in benchmarks/.venv-bench (selenium==4.50.0, mlflow==3.17.2, see
requirements-bench.txt) with /usr/bin/chromium and /usr/bin/chromedriver; this script itself needs only
Python's standard library and runs the browser and the MLflow filler as subprocesses.

Data (untimed, kept in bench-out/ for later runs; delete the folder to fill again):
  Cairn   bench-out/ui-store-RUNS-STEPS, filled through the library (cairn-bench populate-ui): experiment
          `ui/runs` of RUNS finished runs (params lr, batch, optimizer, seed; `loss` and eval `acc` at 10
          steps) and `ui/chart` of 5 runs logging `loss` at STEPS steps; then `cairn reindex` (untimed).
  MLflow  bench-out/ui-mlflow-RUNS-STEPS.db (sqlite), the same values through MlflowClient in-process:
          log_batch of 1,000 metrics a call, experiment tag mlflow.experimentKind=custom_model_development
          so that its page opens on the runs table.
Measures, each in a fresh Chromium (headless=new, --no-sandbox, --disable-dev-shm-usage, 1400×900, a new
empty profile), one cold load (empty cache) then WARM warm loads (about:blank, then the page's URL: a real
navigation that fetches the HTML and scripts again, revalidated from the cache as a user's browser would);
times are ms from navigation start (performance.timeOrigin):
  cairn table      #/runs?experiment=ui/runs until performance.mark('cairn:runs-rendered') (the UI sets it
                   when the table's first page, 100 rows, is in the DOM; the rows are counted), the
                   experiment's first visit (no columns saved: the UI then picks default columns and
                   reloads the table after the mark);
  cairn table cols the same with 6 columns saved in localStorage (4 params, 2 metrics), as after a user
                   chose them: the first page comes with those columns' values;
  cairn chart      #/compare?runs=<the 5 chart runs> until performance.mark('cairn:charts-drawn');
  mlflow chart     MLflow's metric page for the same 5 runs and `loss` (#/metric?runs=[…]&metric="loss"…,
                   where its compare page's "Plot chart" link leads): until the Plotly plot holds 5 drawn
                   lines after the last metric request (get-history, get-history-bulk-interval) finished.
                   A MutationObserver installed before the page's scripts notes the time of every change
                   inside the plot; the figure is the first change at or after the last metric response's
                   end (Resource Timing) with 5 lines drawn; the page is considered settled when no request
                   is in flight (fetch and XMLHttpRequest are counted by the same script) and none started
                   or ended and the plot did not change for 2 s;
  mlflow table     #/experiments/<id>/runs (its "Training runs" table, 100 runs a page) until the first change
                   after its last runs/search (and graphql) request ended that leaves 100 links holding a run
                   name in the DOM, as Cairn's mark counts 100 rows.
Breakdown from Resource Timing: the document and the UI's scripts (the last /ui/ file's responseEnd), each
API call (request start, time to first byte = server time + loopback, end), and the page's own work after
the last API response (JSON parse, DOM, drawing) up to the mark.
Printed: a Markdown table and a one-line JSON summary (also in bench-out/ui-<UTC time>.json).
"""
import argparse, http.client, json, os, shutil, signal, socket, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
THIS = os.path.abspath(__file__)
sys.path.insert(0, os.path.dirname(THIS))
from mlflow_server import Server, LIVE, free_port, last_line  # noqa: E402  (standard library only)

VENV_PY = os.path.join(ROOT, "benchmarks", ".venv-bench", "bin", "python")
VENV_MLFLOW = os.path.join(ROOT, "benchmarks", ".venv-bench", "bin", "mlflow")
OUT = os.path.join(ROOT, "bench-out")
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
QUIET_ENV = {"MLFLOW_DISABLE_TELEMETRY": "true", "DO_NOT_TRACK": "true", "PYTHONWARNINGS": "ignore"}
TARGET_MS = 300
CHART_RUNS = 5
TABLE_STEPS = 10
MLFLOW_ROWS = 100   # MLflow's runs table shows 100 runs a page, all of them in the DOM (12 in view at 1400×900)
# Columns a user might have chosen (the UI keeps them in localStorage per experiment).
SAVED_COLUMNS = ["params.lr", "params.batch", "params.optimizer", "params.seed", "metrics.loss", "metrics.`eval/acc`"]

# The same formulas as benchmarks/Sources/cairn-bench/UIBenchData.swift.
LRS = ["0.0001", "0.0003", "0.001", "0.003", "0.01"]
OPTIMIZERS = ["adam", "sgd", "adamw"]
BASE_MS = 1_780_000_000_000


def noise(a, b, c):
    return ((a * 7919 + b * 104729 + c * 31) % 10007) / 10007


def chart_loss(run, step):
    return 1.0 / (1.0 + float(step) / 1000.0) + 0.05 * noise(run, 0, step) + 0.01 * float(run)


# ---------------------------------------------------------------------------------------------------
# MLflow's store: run by the venv's python (`--mlflow-fill CONFIG`).

def mlflow_fill(config_path):
    cfg = json.load(open(config_path))
    os.environ["MLFLOW_TRACKING_URI"] = "sqlite:///" + cfg["db"]
    from mlflow import MlflowClient
    from mlflow.entities import Metric, Param
    client = MlflowClient()
    kind = {"mlflow.experimentKind": "custom_model_development"}
    chart = client.create_experiment("ui/chart", tags=kind)
    ids = []
    start = time.perf_counter()
    for r in range(CHART_RUNS):
        run = client.create_run(chart, run_name=f"chart-{r}")
        for first in range(0, cfg["steps"], 1000):
            client.log_batch(run.info.run_id, metrics=[Metric("loss", chart_loss(r, s), BASE_MS + 10 * s, s)
                                                       for s in range(first, min(cfg["steps"], first + 1000))])
        client.set_terminated(run.info.run_id)
        ids.append(run.info.run_id)
    chart_s = time.perf_counter() - start
    table = client.create_experiment("ui/runs", tags=kind)
    start = time.perf_counter()
    for i in range(cfg["runs"]):
        run = client.create_run(table, run_name=f"run-{i}")
        metrics = [Metric("loss", noise(i, 0, s), BASE_MS + 10 * s, s) for s in range(TABLE_STEPS)]
        metrics += [Metric("eval/acc", noise(i, 1, s), BASE_MS + 10 * s, s) for s in range(TABLE_STEPS)]
        params = [Param("lr", LRS[i % 5]), Param("batch", str(16 << (i % 4))), Param("optimizer", OPTIMIZERS[i % 3]),
                  Param("seed", str(i))]
        client.log_batch(run.info.run_id, metrics=metrics, params=params)
        client.set_terminated(run.info.run_id)
    json.dump({"chart_experiment": chart, "table_experiment": table, "chart_runs": ids, "runs": cfg["runs"],
               "steps": cfg["steps"], "chart_fill_s": chart_s, "table_fill_s": time.perf_counter() - start},
              open(cfg["out"], "w"))


# ---------------------------------------------------------------------------------------------------
# The browser: run by the venv's python (`--browser CONFIG`), selenium driving Chromium.

# Installed before any script of each document: notes when the MLflow page's plot or runs table changes.
OBSERVER_JS = r"""
(() => {
  if (!/^https?:/.test(location.protocol)) return;
  const w = window;
  w.__bench = { plot: [], rows: [], marks: {}, inflight: 0, started: 0 };
  // Requests in flight (fetch until its answer's headers, XMLHttpRequest until loadend): a request
  // appears in Resource Timing only once it has ended, so "no new entry for 2 s" alone is not "done".
  const fetch0 = w.fetch;
  w.fetch = function (...args) {
    w.__bench.inflight++; w.__bench.started++;
    const done = () => { w.__bench.inflight--; };
    const p = fetch0.apply(this, args);
    p.then(done, done);
    return p;
  };
  const send0 = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (...args) {
    w.__bench.inflight++; w.__bench.started++;
    this.addEventListener('loadend', () => { w.__bench.inflight--; });
    return send0.apply(this, args);
  };
  // Cairn's marks: the rows and charts in the DOM when the mark was set (the observer runs right after).
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const drawn = document.querySelector('[data-drawn]');
      w.__bench.marks[e.name] = { t: e.startTime, seen: performance.now(),
        rows: document.querySelectorAll('tbody tr[data-run-id]').length, drawn: drawn ? drawn.dataset.drawn : null };
    }
  }).observe({ type: 'mark' });
  const runName = /^(run|chart)-\d+$/;
  let pending = false;
  const look = () => {
    pending = false;
    const t = performance.now();
    const plot = document.querySelector('.js-plotly-plot');
    if (plot) {
      let lines = 0;
      for (const p of plot.querySelectorAll('path.js-line')) if ((p.getAttribute('d') || '').length > 50) lines++;
      const last = w.__bench.plot[w.__bench.plot.length - 1];
      if (lines && (!last || last[0] !== t)) w.__bench.plot.push([t, lines]);
    }
    if (w.__bench.rows.length < 50) {
      let rows = 0;
      for (const a of document.querySelectorAll('a')) if (runName.test(a.textContent.trim())) rows++;
      if (rows) w.__bench.rows.push([t, rows]);
    }
  };
  new MutationObserver(() => {
    // At most once per task: the check runs as a microtask after the mutations of the current task.
    if (!pending) { pending = true; queueMicrotask(look); }
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
})();
"""

COLLECT_JS = r"""
const mark = arguments[0];
const m = mark ? performance.getEntriesByName(mark)[0] : null;
const nav = performance.getEntriesByType('navigation')[0];
const res = performance.getEntriesByType('resource').map((e) => ({
  name: e.name, type: e.initiatorType, start: e.startTime, requestStart: e.requestStart, responseStart: e.responseStart,
  end: e.responseEnd, transfer: e.transferSize, body: e.encodedBodySize, decoded: e.decodedBodySize,
  status: e.responseStatus }));
return {
  mark: m ? m.startTime : null,
  nav: nav ? { requestStart: nav.requestStart, responseStart: nav.responseStart, responseEnd: nav.responseEnd,
               dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, transfer: nav.transferSize } : null,
  resources: res,
  rows: document.querySelectorAll('tbody tr[data-run-id]').length,
  drawn: (document.querySelector('[data-drawn]') || {}).dataset ? (document.querySelector('[data-drawn]') || {dataset: {}}).dataset.drawn : null,
  bench: window.__bench || null,
  now: performance.now(),
};
"""


def browser(config_path):
    cfg = json.load(open(config_path))
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    def new_driver(profile):
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for a in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900",
                  f"--user-data-dir={profile}", "--no-first-run", "--disable-background-networking"]:
            options.add_argument(a)
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        driver.set_page_load_timeout(120)
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": OBSERVER_JS})
        return driver

    def wait(driver, condition, timeout, what):
        deadline = time.time() + timeout
        while time.time() < deadline:
            value = driver.execute_script(condition)
            if value: return value
            time.sleep(0.01)
        raise RuntimeError(f"timed out after {timeout} s waiting for {what}")

    def load(driver, url, mark):
        driver.get("about:blank")
        time.sleep(0.3)
        driver.get(url)
        wait(driver, f"return performance.getEntriesByName({json.dumps(mark)}).length > 0", 60, mark)
        got = driver.execute_script(COLLECT_JS, mark)
        time.sleep(1.0)   # let what the page does after the mark finish before the next load
        return got

    def settle(driver, metric_filter, timeout=120):
        """Waits until no request is in flight and none started, none ended and the plot or table did not
        change for 2 s; returns the collected state."""
        deadline = time.time() + timeout
        last_sig, since = None, time.time()
        while time.time() < deadline:
            got = driver.execute_script(COLLECT_JS, None)
            b = got["bench"] or {"plot": [], "rows": [], "inflight": 0, "started": 0}
            sig = (len(got["resources"]), len(b["plot"]), len(b["rows"]), b["started"])
            if sig != last_sig:
                last_sig, since = sig, time.time()
            elif time.time() - since >= 2.0 and b["inflight"] <= 0 and metric_filter(got):
                return got
            time.sleep(0.1)
        raise RuntimeError("the page did not settle")

    results = {}
    for page in cfg["pages"]:
        profile = tempfile.mkdtemp(prefix="cairn-bench-ui-profile-")
        driver = new_driver(profile)
        try:
            loads = []
            if page["kind"] == "cairn":
                if page.get("columns"):
                    # Save the columns on the origin first (an about:blank-free visit of a page that sets no mark).
                    driver.get(page["origin"] + "/#/")
                    driver.execute_script("localStorage.setItem(arguments[0], arguments[1])",
                                          "cairn.columns." + page["experiment"], json.dumps(page["columns"]))
                    driver.get("about:blank")
                    driver.execute_cdp_cmd("Network.clearBrowserCache", {})
                for i in range(1 + cfg["warm"]):
                    loads.append(load(driver, page["url"], page["mark"]))
            else:
                for i in range(1 + page.get("warm", 0)):
                    driver.get("about:blank")
                    time.sleep(0.3)
                    driver.get(page["url"])
                    loads.append(settle(driver, lambda got: got["bench"] and got["bench"][page["watch"]]))
            results[page["name"]] = loads
            if cfg.get("screenshots"):
                driver.save_screenshot(os.path.join(cfg["screenshots"], page["name"].replace(" ", "-") + ".png"))
        finally:
            driver.quit()
            shutil.rmtree(profile, ignore_errors=True)
    json.dump(results, open(cfg["out"], "w"))


# ---------------------------------------------------------------------------------------------------
# The driver (standard library only).

def api(entry):
    return "/api/" in entry["name"] or "/ajax-api/" in entry["name"] or "/graphql" in entry["name"]


def summarize_cairn(load):
    """One Cairn load: the mark, and where its time went (ms from navigation start)."""
    mark = load["mark"]
    res = [e for e in load["resources"] if e["end"] <= mark + 0.5]
    ui = [e for e in res if "/ui/" in e["name"]]
    calls = [e for e in res if api(e)]
    last_api = max((e["end"] for e in calls), default=None)
    seen = ((load.get("bench") or {}).get("marks") or {})
    at_mark = next(iter(seen.values()), {})
    return {
        "mark": mark, "rows": at_mark.get("rows", load["rows"]), "drawn": at_mark.get("drawn", load["drawn"]),
        "html": load["nav"]["responseEnd"] if load["nav"] else None,
        "scripts": max((e["end"] for e in ui), default=None),
        "first_api": min((e["start"] for e in calls), default=None),
        "last_api": last_api,
        "api_calls": len(calls),
        "api_ttfb_max": max((e["responseStart"] - e["requestStart"] for e in calls if e["requestStart"]), default=None),
        "api_bytes": sum(e["transfer"] for e in calls),
        "after_api": mark - last_api if last_api is not None else None,
        "calls": [(e["name"].split("/api/cairn/v1/", 1)[-1][:90], round(e["start"], 1),
                   round(e["responseStart"] - e["requestStart"], 1) if e["requestStart"] else None, round(e["end"], 1),
                   e["transfer"]) for e in calls],
        "ui_files": [(e["name"].rsplit("/", 1)[-1], round(e["start"], 1), round(e["end"], 1), e["transfer"], e["status"])
                     for e in ui],
    }


def summarize_mlflow(load, watch, need):
    """One MLflow load: the first change of the plot (or table) after the last request it waits for."""
    b = load["bench"] or {"plot": [], "rows": []}
    if watch == "plot":
        metric = [e for e in load["resources"] if "/metrics/get-history" in e["name"]]
    else:
        metric = [e for e in load["resources"] if "/runs/search" in e["name"] or "/graphql" in e["name"]]
    last = max((e["end"] for e in metric), default=0.0)
    drawn = next((t for t, n in b[watch] if t >= last and n >= need), None)
    calls = [e for e in load["resources"] if api(e)]
    return {
        "drawn": drawn, "last_metric_request": last, "metric_requests": len(metric),
        "metric_bytes": sum(e["transfer"] for e in metric), "metric_decoded_bytes": sum(e["decoded"] for e in metric),
        "first_metric_request": min((e["start"] for e in metric), default=None),
        "metric_ttfb_max": max((e["responseStart"] - e["requestStart"] for e in metric if e["requestStart"]), default=None),
        "html": load["nav"]["responseEnd"] if load["nav"] else None,
        "scripts": max((e["end"] for e in load["resources"] if e["type"] == "script" and e["end"] <= (drawn or last)),
                       default=None),
        "script_bytes": sum(e["transfer"] for e in load["resources"] if e["name"].endswith(".js")),
        "api_calls": len(calls), "changes": len(b[watch]), "settled": b[watch][-1][0] if b[watch] else None,
        "max_seen": max((n for _, n in b[watch]), default=0),
    }


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def ms(x):
    return "–" if x is None else f"{x:,.0f} ms" if x >= 100 else f"{x:.1f} ms"


def http_ok(port, path, timeout=180):
    start = time.time()
    while time.time() - start < timeout:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", path)
            r = c.getresponse()
            r.read()
            c.close()
            if r.status == 200: return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"no 200 from 127.0.0.1:{port}{path} in {timeout} s")


class MlflowUIServer(Server):
    """`mlflow server` with its defaults on a copy of the filled sqlite store (Server from mlflow_server.py
    stops its whole process tree and removes the job runner's scratch folder)."""

    def __init__(self, work, db):
        super().__init__("mlflow", work, None, None)
        self.db = db

    def command(self, port, store):
        os.makedirs(store)
        shutil.copyfile(self.db, os.path.join(store, "mlflow.db"))
        return [VENV_MLFLOW, "server", "--host", "127.0.0.1", "--port", str(port),
                "--backend-store-uri", "sqlite:///" + os.path.join(store, "mlflow.db"),
                "--artifacts-destination", os.path.join(store, "artifacts")], {}


def load_avg():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cairn", default=os.path.join(ROOT, ".build", "release", "cairn"))
    p.add_argument("--bench")
    p.add_argument("--ui-dir")
    p.add_argument("--runs", type=int)
    p.add_argument("--mlflow-runs", type=int)
    p.add_argument("--steps", type=int, default=100_000)
    p.add_argument("--warm", type=int)
    p.add_argument("--no-mlflow", action="store_true")
    p.add_argument("--only", choices=["cairn", "mlflow"])
    p.add_argument("--pages", default="table,cols,chart")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--screenshots")
    p.add_argument("--browser", help=argparse.SUPPRESS)
    p.add_argument("--mlflow-fill", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.browser: return browser(a.browser)
    if a.mlflow_fill: return mlflow_fill(a.mlflow_fill)
    runs = a.runs or (1000 if a.quick else 10_000)
    mlflow_runs = runs if a.mlflow_runs is None else a.mlflow_runs
    warm = a.warm if a.warm is not None else (3 if a.quick else 5)
    built = [b for b in [os.path.join(ROOT, ".build", "release", "cairn-bench"), os.path.join(ROOT, ".build", "debug", "cairn-bench")]
             if os.path.exists(b)]
    bench = a.bench or max(built, key=os.path.getmtime, default=None)   # the newer one knows populate-ui
    for path, what in [(a.cairn, "--cairn"), (bench, "cairn-bench (--bench)"), (VENV_PY, "benchmarks/.venv-bench"),
                       (CHROMIUM, "chromium"), (CHROMEDRIVER, "chromedriver")]:
        if not path or not os.path.exists(path):
            sys.exit(f"ui.py: {what} not found ({path}); see the docstring (python3 benchmarks/ui.py --help)")
    os.makedirs(OUT, exist_ok=True)
    notes = {"load_before": load_avg(), "cairn": a.cairn, "ui_dir": a.ui_dir, "runs": runs, "steps": a.steps,
             "warm": warm, "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}

    # Cairn's store.
    store = os.path.join(OUT, f"ui-store-{runs}-{a.steps}")
    ids_file = store + ".json"
    if not os.path.exists(ids_file):
        shutil.rmtree(store, ignore_errors=True)
        start = time.perf_counter()
        filled = subprocess.run([bench, "populate-ui", store, str(runs), str(CHART_RUNS), str(a.steps)],
                                capture_output=True, text=True)
        if filled.returncode != 0:
            sys.exit(f"ui.py: {bench} populate-ui failed: {filled.stdout.strip()} {filled.stderr.strip()}")
        out = filled.stdout
        json.dump({"chart_runs": json.loads(out.strip().splitlines()[-1]), "fill_s": time.perf_counter() - start},
                  open(ids_file, "w"))
    cairn_data = json.load(open(ids_file))
    notes["cairn_fill_s"] = cairn_data["fill_s"]
    start = time.perf_counter()
    if a.only != "mlflow":
        subprocess.run([a.cairn, "reindex", "--store", store], check=True, stdout=subprocess.DEVNULL)
    notes["reindex_s"] = time.perf_counter() - start

    # MLflow's store.
    mlflow_data = None
    if not a.no_mlflow:
        db = os.path.join(OUT, f"ui-mlflow-{mlflow_runs}-{a.steps}.db")
        info = db + ".json"
        if not os.path.exists(info):
            for f in [db, info + ".tmp"]:
                if os.path.exists(f): os.remove(f)
            cfg = os.path.join(OUT, "ui-mlflow-fill.json")
            json.dump({"db": db, "runs": mlflow_runs, "steps": a.steps, "out": info + ".tmp"}, open(cfg, "w"))
            subprocess.run([VENV_PY, THIS, "--mlflow-fill", cfg], check=True, env={**os.environ, **QUIET_ENV},
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            os.replace(info + ".tmp", info)
        mlflow_data = json.load(open(info))

    work = tempfile.mkdtemp(prefix="cairn-bench-ui-")
    cairn_proc, mlflow_server = None, None
    results = {}
    cfg, out = os.path.join(work, "browser.json"), os.path.join(work, "browser-out.json")
    try:
        # Cairn.
        if a.only != "mlflow":
            port = free_port()
            cmd = [a.cairn, "serve", "--store", store, "--host", "127.0.0.1", "--port", str(port)]
            if a.ui_dir: cmd += ["--ui-dir", a.ui_dir]
            log = open(os.path.join(work, "cairn.log"), "w")
            cairn_proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            http_ok(port, "/health")
            origin = f"http://127.0.0.1:{port}"
            pages = [
                {"name": "cairn table", "kind": "cairn", "url": origin + "/#/runs?experiment=ui%2Fruns", "mark": "cairn:runs-rendered"},
                {"name": "cairn table cols", "kind": "cairn", "url": origin + "/#/runs?experiment=ui%2Fruns",
                 "mark": "cairn:runs-rendered", "origin": origin, "experiment": "ui/runs", "columns": SAVED_COLUMNS},
                {"name": "cairn chart", "kind": "cairn", "url": origin + "/#/compare?runs=" + ",".join(cairn_data["chart_runs"]),
                 "mark": "cairn:charts-drawn"},
            ]
            wanted = {"table": "cairn table", "cols": "cairn table cols", "chart": "cairn chart"}
            pages = [pg for pg in pages if pg["name"] in {wanted[w] for w in a.pages.split(",")}]
            json.dump({"pages": pages, "warm": warm, "out": out, "screenshots": a.screenshots}, open(cfg, "w"))
            subprocess.run([VENV_PY, THIS, "--browser", cfg], check=True)
            results.update(json.load(open(out)))
            os.killpg(cairn_proc.pid, signal.SIGTERM)
            cairn_proc.wait(30)
            cairn_proc = None

        # MLflow.
        if mlflow_data and a.only != "cairn":
            mlflow_server = MlflowUIServer(work, db)
            notes["mlflow_start_s"] = mlflow_server.start(0)
            origin = f"http://127.0.0.1:{mlflow_server.port}"
            runs_json = json.dumps(mlflow_data["chart_runs"], separators=(",", ":"))
            exp = json.dumps([mlflow_data["chart_experiment"]], separators=(",", ":"))
            q = (f"?runs={runs_json}&metric=%22loss%22&experiments={exp}&plot_metric_keys=%5B%22loss%22%5D&plot_layout={{}}"
                 f"&x_axis=step&y_axis_scale=linear&line_smoothness=1&show_point=false&deselected_curves=[]"
                 f"&last_linear_y_axis_range=[]")
            pages = [{"name": "mlflow chart", "kind": "mlflow", "url": origin + "/#/metric" + q, "watch": "plot", "warm": 1}]
            if mlflow_runs:
                pages.append({"name": "mlflow table", "kind": "mlflow", "warm": 1, "watch": "rows",
                              "url": origin + f"/#/experiments/{mlflow_data['table_experiment']}/runs"})
            json.dump({"pages": pages, "warm": 0, "out": out, "screenshots": a.screenshots}, open(cfg, "w"))
            subprocess.run([VENV_PY, THIS, "--browser", cfg], check=True)
            results.update(json.load(open(out)))
    finally:
        if cairn_proc is not None:
            os.killpg(cairn_proc.pid, signal.SIGKILL)
            cairn_proc.wait()
        if mlflow_server is not None:
            mlflow_server.stop()
        shutil.rmtree(work, ignore_errors=True)
    notes["load_after"] = load_avg()
    report(results, notes, runs, mlflow_runs, a.steps, mlflow_data)


def report(results, notes, runs, mlflow_runs, steps, mlflow_data):
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    summary = {"notes": notes}
    lines = [f"{notes['started']}, load average {notes['load_before']} before, {notes['load_after']} after; "
             f"Cairn store filled in {notes['cairn_fill_s']:.0f} s, reindex {notes['reindex_s']:.1f} s.", ""]
    lines.append("| page | cold | warm median (all) | html | scripts | API calls: first start → last end (max TTFB) | after the last API answer | rows / charts | target |")
    lines.append("| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |")
    for name, what in [("cairn table", f"runs table, {runs:,} runs, first visit"),
                       ("cairn table cols", f"runs table, {runs:,} runs, 6 saved columns"),
                       ("cairn chart", f"compare, {CHART_RUNS} runs × {steps:,} steps")]:
        if name not in results: continue
        loads = [summarize_cairn(l) for l in results[name]]
        cold, warm = loads[0], loads[1:]
        wm = med([l["mark"] for l in warm])
        def pick(key): return med([l[key] for l in warm])
        summary[name] = {"cold": cold, "warm": warm, "warm_median": wm}
        ok = "✓" if wm is not None and wm <= TARGET_MS else f"✗ (+{wm - TARGET_MS:.0f} ms)"
        lines.append(f"| Cairn {what} | {ms(cold['mark'])} | **{ms(wm)}** ({', '.join(format(l['mark'], '.0f') for l in warm)}) | "
                     f"{ms(pick('html'))} | {ms(pick('scripts'))} | {pick('api_calls'):.0f}: {ms(pick('first_api'))} → "
                     f"{ms(pick('last_api'))} ({ms(pick('api_ttfb_max'))}) | {ms(pick('after_api'))} | "
                     f"{warm[-1]['rows'] if name != 'cairn chart' else warm[-1]['drawn']} | ≤ {TARGET_MS} ms {ok} |")
    for name, what, watch, need in [("mlflow chart", f"metric page, {CHART_RUNS} runs × {steps:,} steps", "plot", CHART_RUNS),
                                    ("mlflow table", f"experiment page, {mlflow_runs:,} runs", "rows", MLFLOW_ROWS)]:
        if name not in results: continue
        loads = [summarize_mlflow(l, watch, need) for l in results[name]]
        summary[name] = {"loads": loads}
        cold = loads[0]
        rest = ", ".join(ms(l["drawn"]) for l in loads[1:]) or "–"
        lines.append(f"| MLflow 3.17.2 {what} | {ms(cold['drawn'])} | {rest} | {ms(cold['html'])} | {ms(cold['scripts'])} | "
                     f"{cold['metric_requests']} {'metric' if watch == 'plot' else 'search'} requests: "
                     f"{ms(cold['first_metric_request'])} → {ms(cold['last_metric_request'])} ({ms(cold['metric_ttfb_max'])}) | "
                     f"{ms(cold['drawn'] - cold['last_metric_request']) if cold['drawn'] else '–'} | {cold['max_seen']} | |")
    ratios = {}
    for ours, theirs in [("cairn chart", "mlflow chart"), ("cairn table", "mlflow table")]:
        if ours in summary and theirs in summary and summary[theirs]["loads"][0]["drawn"]:
            m = summary[theirs]["loads"]
            ratios[theirs + " / " + ours] = {
                "cold": m[0]["drawn"] / summary[ours]["cold"]["mark"],
                "warm": (m[1]["drawn"] / summary[ours]["warm_median"]) if len(m) > 1 and m[1]["drawn"] else None}
    summary["ratios"] = ratios
    lines.append("")
    for k, v in ratios.items():
        lines.append(f"{k}: cold {v['cold']:.1f}×" + (f", warm {v['warm']:.1f}×" if v["warm"] else ""))
    for name in ["cairn table", "cairn table cols", "cairn chart"]:
        if name in summary:
            w = summary[name]["warm"][len(summary[name]["warm"]) // 2] if summary[name]["warm"] else summary[name]["cold"]
            lines.append(f"\n{name}, one warm load's requests (path, start, TTFB, end ms, bytes): "
                         + "; ".join(f"{c[0]} {c[1]}/{c[2]}/{c[3]} {c[4]}" for c in w["ui_files"] + w["calls"]))
    print("\n".join(lines))
    path = os.path.join(OUT, f"ui-{stamp}.json")
    json.dump({"summary": summary, "raw": results}, open(path, "w"), indent=1)
    compact = {"runs_table_warm_ms": summary.get("cairn table", {}).get("warm_median"),
               "runs_table_cols_warm_ms": summary.get("cairn table cols", {}).get("warm_median"),
               "chart_warm_ms": summary.get("cairn chart", {}).get("warm_median"),
               "runs_table_cold_ms": summary.get("cairn table", {}).get("cold", {}).get("mark"),
               "chart_cold_ms": summary.get("cairn chart", {}).get("cold", {}).get("mark"),
               "mlflow_chart_cold_ms": summary.get("mlflow chart", {}).get("loads", [{}])[0].get("drawn"),
               "mlflow_table_cold_ms": summary.get("mlflow table", {}).get("loads", [{}])[0].get("drawn"),
               "ratios": {k: round(v["cold"], 2) for k, v in ratios.items()}, "details": path}
    print(json.dumps(compact))


if __name__ == "__main__":
    main()
