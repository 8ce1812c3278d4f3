"""Drives Cairn's web UI in headless Chromium (selenium) against a running `cairn serve`.

usage: ui_test.py --url URL --info STORE_INFO_JSON --screenshots DIR [--token-url URL --token TOKEN]

STORE_INFO_JSON is what make_store.py writes. Exits 0 when every check passes; otherwise prints the
failed check (and the browser's console) on stderr and exits 1. Any SEVERE console entry fails, except
the 401 of the ended-session check.

Environment: CAIRN_CHROMIUM and CAIRN_CHROMEDRIVER (default /usr/bin/chromium, /usr/bin/chromedriver);
CAIRN_UI_SCALE, the device pixel ratio (default 1; 2 checks the charts on a high-density screen).
"""
import argparse
import json
import os
import sys
import time
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = os.environ.get("CAIRN_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CAIRN_CHROMEDRIVER", "/usr/bin/chromedriver")


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


class UI:
    def __init__(self, screenshots):
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900",
                    "--disable-gpu", "--force-device-scale-factor=" + os.environ.get("CAIRN_UI_SCALE", "1")):
            options.add_argument(arg)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.driver.set_page_load_timeout(30)
        self.screenshots = screenshots
        self.console = []
        self.allowed = []  # substrings of SEVERE messages expected at this point

    def close(self):
        self.driver.quit()

    def get(self, url):
        self.driver.get(url)

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def wait(self, predicate, what, timeout=15):
        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=0.05,
                                 ignored_exceptions=[StaleElementReferenceException]).until(lambda d: predicate())
        except TimeoutException:
            raise Failure(f"timed out waiting for {what} (page {self.driver.current_url})")

    def find(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def one(self, css, timeout=15):
        return self.wait(lambda: (self.find(css) or [None])[0], f"an element matching {css!r}", timeout)

    def mark(self, name, timeout=15):
        self.wait(lambda: self.js("return performance.getEntriesByName(arguments[0]).length > 0", name),
                  f"the performance mark {name}", timeout)

    def navigate(self, base, hash_route):
        """A fresh page load of base + hash_route (so performance marks start over)."""
        self.get("about:blank")
        self.get(base + "/" + hash_route)

    def drain_console(self):
        for entry in self.driver.get_log("browser"):
            self.console.append(entry)
            if entry.get("level") == "SEVERE" and not any(a in entry.get("message", "") for a in self.allowed):
                raise Failure(f"console error: {entry.get('message')}")

    def screenshot(self, name, full=False):
        """The window, or with `full` the whole page (up to 2,400 pixels high)."""
        path = os.path.join(self.screenshots, name)
        if full:
            height = self.js("return document.documentElement.scrollHeight")
            self.driver.set_window_size(1400, min(max(420, height + 140), 2400))
            time.sleep(0.3)  # the charts redraw at the new size
        self.driver.save_screenshot(path)
        if full:
            self.driver.set_window_size(1400, 900)
        print(f"screenshot: {path}")

    def no_alert(self):
        try:
            alert = self.driver.switch_to.alert
            text = alert.text
            alert.dismiss()
            raise Failure(f"an alert fired: {text!r}")
        except NoAlertPresentException:
            pass

    def column(self, name):
        return self.js("return [...document.querySelectorAll('#runs tbody td')].filter((td) => td.dataset.col === arguments[0])"
                       ".map((td) => td.textContent)", name)

    def row_ids(self):
        return self.js("return [...document.querySelectorAll('#runs tbody tr')].map((tr) => tr.dataset.runId)")


# Reads, for every series of a chart, the pixels at three steps where no other series passes near,
# and says how far the closest pixel of the 3×3 neighbourhood is from the series' colour.
PIXELS = r"""
const canvas = arguments[0];
const chart = canvas.cairnChart;
const ctx = canvas.getContext('2d');
const out = [];
chart.series.forEach((s, i) => {
  const rgb = s.color.match(/\d+/g).map(Number);
  const n = s.xs.length;
  const found = [];
  for (const f of [0.2, 0.5, 0.8, 0.35, 0.65, 0.1, 0.9, 0.27, 0.43, 0.57, 0.73]) {
    if (found.length === 3 || n === 0) break;
    const step = s.xs[Math.min(n - 1, Math.floor(f * n))];
    const p = chart.pixelFor(i, step);
    if (!p) continue;
    const near = chart.series.some((o, k) => k !== i && (() => { const q = chart.pixelFor(k, step); return q && Math.abs(q.y - p.y) < 6; })());
    if (near) continue;
    const data = ctx.getImageData(p.x - 1, p.y - 1, 3, 3).data;
    let best = 1e9;
    for (let j = 0; j < data.length; j += 4) {
      if (data[j + 3] < 90) continue;
      const d = Math.abs(data[j] - rgb[0]) + Math.abs(data[j + 1] - rgb[1]) + Math.abs(data[j + 2] - rgb[2]);
      best = Math.min(best, d);
    }
    found.push({step, x: p.x, y: p.y, distance: best});
  }
  out.push({label: s.label, color: s.color, runId: s.runId || null, points: found});
});
return out;
"""


def check_chart_pixels(ui, canvas, expect_series):
    result = ui.js(PIXELS, canvas)
    check(len(result) == expect_series, f"the chart has {len(result)} series, expected {expect_series}")
    for series in result:
        points = series["points"]
        check(len(points) == 3, f"series {series['label']!r}: found {len(points)} steps clear of other series, expected 3")
        for p in points:
            check(p["distance"] <= 40,
                  f"series {series['label']!r} ({series['color']}): the pixel at step {p['step']} ({p['x']}, {p['y']}) "
                  f"is not its colour (distance {p['distance']})")
    return result


# Times a redraw of 5 series of 2,000 buckets each (the median of 5) in a chart of the page's own module.
REDRAW = r"""
const done = arguments[arguments.length - 1];
import('/ui/chart.js').then(({ Chart }) => {
  const host = document.createElement('div');
  host.style.width = '900px';
  document.body.append(host);
  const chart = new Chart(host, 'bench');
  const series = [];
  for (let s = 0; s < 5; s++) {
    const buckets = [];
    for (let i = 0; i < 2000; i++) {
      const v = Math.exp(-i / 500) + s * 0.1 + 0.05 * Math.sin(i / 3 + s);
      buckets.push({ step: i * 10, last_step: i * 10 + 9, value: v, min: v - 0.02, max: v + 0.02, count: 10 });
    }
    series.push({ label: 'run ' + s, buckets });
  }
  chart.setSeries(series);
  chart.setOptions({ smoothing: 0.6 });
  const times = [];
  for (let k = 0; k < 5; k++) { const t = performance.now(); chart.draw(); times.push(performance.now() - t); }
  chart.destroy();
  host.remove();
  times.sort((a, b) => a - b);
  done(times[2]);
}).catch((e) => done('error: ' + e));
"""


# Draws edge cases (a single point, a constant series, gaps, nothing at all, non-positive values on a
# log axis) and says what pixelFor gives, or the error.
EDGES = r"""
const done = arguments[arguments.length - 1];
import('/ui/chart.js').then(({ Chart }) => {
  const host = document.createElement('div');
  host.style.width = '500px';
  document.body.append(host);
  const b = (step, value) => ({ step, last_step: step, value, min: value, max: value, count: 1 });
  const cases = {
    single: [[b(7, 0.5)]],
    constant: [[b(0, 2), b(1, 2), b(2, 2)]],
    gaps: [[b(0, 1), b(1, null), b(2, 3), b(3, null), b(4, 5)]],
    empty: [[]],
    nonpositive: [[b(0, -1), b(1, 0), b(2, 10), b(3, 100)]],
  };
  const out = {};
  for (const [name, list] of Object.entries(cases)) {
    const chart = new Chart(host, name);
    chart.setSeries(list.map((buckets, i) => ({ label: name + i, buckets })));
    if (name === 'nonpositive') chart.setOptions({ logY: true, smoothing: 0.5 });
    const p = chart.pixelFor(0, name === 'single' ? 7 : 2);
    out[name] = p && Number.isFinite(p.x) && Number.isFinite(p.y) ? 'ok' : String(p && JSON.stringify(p));
    chart.destroy();
  }
  host.remove();
  done(out);
}).catch((e) => done({ error: String(e && e.stack || e) }));
"""


def check_chart_interaction(ui, canvas):
    """Hover shows a tooltip with the step; a drag zooms on x, a double-click resets; smoothing and log
    scale redraw; a redraw of 5 × 2,000 buckets stays well under 100 ms."""
    from selenium.webdriver.common.action_chains import ActionChains
    width = canvas.size["width"]
    ActionChains(ui.driver).move_to_element_with_offset(canvas, 0, 0).perform()
    ui.wait(lambda: ui.find(".chart-tip") and any(t.is_displayed() and "step" in t.text for t in ui.find(".chart-tip")),
            "the hover tooltip")
    before = ui.js("return arguments[0].cairnChart.domain.x1 - arguments[0].cairnChart.domain.x0", canvas)
    ActionChains(ui.driver).move_to_element_with_offset(canvas, -width // 6, 0).click_and_hold() \
        .move_by_offset(width // 4, 0).release().perform()
    after = ui.js("return arguments[0].cairnChart.domain.x1 - arguments[0].cairnChart.domain.x0", canvas)
    check(after < before * 0.6, f"dragging did not zoom: x range {before} → {after}")
    # The zoomed steps are fetched again, only them, at the plot's full width (series?from=&to=).
    ui.wait(lambda: ui.js("const c = arguments[0].cairnChart, r = c.loadedRange; return !!r && r[0] <= c.xRange[0] + 1"
                          " && r[1] >= c.xRange[1] - 1 && c.series[0].xs.every((x) => x >= r[0] && x <= r[1])", canvas),
            "the zoomed chart to fetch the zoomed steps again at the plot's resolution")
    ActionChains(ui.driver).double_click(canvas).perform()
    ui.wait(lambda: ui.js("const c = arguments[0].cairnChart; return c.loadedRange === null && c.domain.x1 - c.domain.x0 === arguments[1]",
                          canvas, before), "a double-click to reset the zoom and fetch every step again")
    ui.js("const s = document.getElementById('smoothing'); s.value = '0.9'; s.dispatchEvent(new Event('input'));"
          "document.getElementById('log-scale').click();")
    check(ui.js("return arguments[0].cairnChart.smoothing === 0.9 && arguments[0].cairnChart.logY", canvas),
          "the smoothing slider and log toggle did not reach the chart")
    ui.js("const s = document.getElementById('smoothing'); s.value = '0'; s.dispatchEvent(new Event('input'));"
          "document.getElementById('log-scale').click();")
    edges = ui.driver.execute_async_script(EDGES)
    expected = {"single": "ok", "constant": "ok", "gaps": "ok", "empty": "null", "nonpositive": "ok"}
    check(edges == expected, f"chart edge cases: {edges}, expected {expected}")
    ms = ui.driver.execute_async_script(REDRAW)
    check(isinstance(ms, (int, float)) and ms < 50, f"a redraw of 5 series × 2,000 buckets took {ms} ms")
    print(f"chart redraw, 5 series × 2,000 buckets: {ms:.1f} ms")


def is_sorted(values, descending):
    numbers = [float(v) for v in values if v not in ("–", "")]
    return numbers == sorted(numbers, reverse=descending) and len(numbers) >= 2


def test_pages(ui, base, info):
    runs = info["runs"]
    # Experiments.
    ui.navigate(base, "#/")
    ui.one("#experiments")
    names = [a.get_attribute("data-experiment") for a in ui.find("#experiments a.exp-link")]
    for name in info["experiments"]:
        check(name in names, f"the experiments page does not list {name!r} (lists {names})")
    check(ui.find('#experiments a.group-link[data-group="vae"]'), "the group vae/ is not shown as a tree node")
    toggle = ui.one('#experiments tr[data-path="vae"] button.toggle')
    toggle.click()
    check(not ui.one('#experiments tr[data-path="vae/baseline"]').is_displayed(), "collapsing vae/ leaves vae/baseline shown")
    toggle.click()
    check(ui.one('#experiments tr[data-path="vae/baseline"]').is_displayed(), "expanding vae/ leaves vae/baseline hidden")
    ui.drain_console()
    ui.screenshot("ui-experiments.png", full=True)

    # Runs of a group, through the tree.
    ui.find('#experiments a.group-link[data-group="vae"]')[0].click()
    ui.mark("cairn:runs-rendered")
    ui.one('#runs[data-ready="true"]')
    vae = {runs[k] for k in ("baseline_a", "baseline_b", "baseline_c", "wide")}
    ui.wait(lambda: set(ui.row_ids()) == vae, f"the runs of vae/* ({sorted(vae)}), got {ui.row_ids()}")
    ui.one('#runs th[data-col="metrics.loss"]')
    ui.wait(lambda: len([v for v in ui.column("metrics.loss") if v not in ("", "–")]) == 4, "metric values in the loss column")

    # Sorting by a metric, server-side, both ways.
    ui.one('#runs th[data-col="metrics.loss"]').click()
    ui.wait(lambda: ui.one('#runs th[data-col="metrics.loss"]').get_attribute("data-sort") == "ASC", "sorting ASC")
    ui.wait(lambda: len(ui.column("metrics.loss")) == 4 and is_sorted(ui.column("metrics.loss"), False),
            f"rows in ascending loss, got {ui.column('metrics.loss')}")
    ascending = ui.row_ids()
    ui.one('#runs th[data-col="metrics.loss"]').click()
    ui.wait(lambda: ui.one('#runs th[data-col="metrics.loss"]').get_attribute("data-sort") == "DESC", "sorting DESC")
    ui.wait(lambda: len(ui.column("metrics.loss")) == 4 and is_sorted(ui.column("metrics.loss"), True),
            f"rows in descending loss, got {ui.column('metrics.loss')}")
    check(ui.row_ids() == list(reversed(ascending)), "descending order is not the reverse of ascending")
    ui.drain_console()

    # A filter narrows the rows.
    box = ui.one("#filter")
    box.clear()
    box.send_keys("params.depth = 2")
    ui.one("#filter-form button").click()
    expected = {runs["baseline_a"], runs["baseline_b"]}
    ui.wait(lambda: set(ui.row_ids()) == expected, f"the filter to leave {sorted(expected)}, got {ui.row_ids()}")

    # A bad filter: the error under the box, with a caret at the column.
    bad = "metrics.loss < 'abc'"
    # Checked before the search (GET check): no failed request, so nothing in the console either.
    box = ui.one("#filter")
    box.clear()
    box.send_keys(bad)
    ui.one("#filter-form button").click()
    error = ui.wait(lambda: (lambda e: e if e.is_displayed() else None)(ui.one("#filter-error")), "the filter error")
    ui.wait(lambda: "not valid at column" in error.text, "the error message")
    column = int(error.get_attribute("data-column"))
    check(column == bad.index("'") + 1, f"the error names column {column}, expected {bad.index(chr(39)) + 1}")
    caret = ui.one("#filter-error .caret-mark").get_attribute("textContent")
    check(caret.index("^") == column - 1, f"the caret is at {caret.index('^')}, expected {column - 1}")
    ui.drain_console()
    box.clear()
    ui.one("#filter-form button").click()
    ui.wait(lambda: len(ui.row_ids()) == 4, "all rows back")
    ui.wait(lambda: not ui.one("#filter-error").is_displayed(), "the error to go")
    ui.screenshot("ui-runs.png", full=True)

    # Select two runs and compare them.
    for run in ("baseline_a", "baseline_c"):
        ui.one(f'#runs input.select-run[data-run="{runs[run]}"]').click()
    ui.wait(lambda: ui.one("#compare").is_enabled(), "the Compare button")
    ui.js("performance.clearMarks()")
    ui.one("#compare").click()
    ui.mark("cairn:charts-drawn")
    canvas = ui.one('#compare-charts .chart[data-split="train"][data-key="loss"] canvas')
    result = check_chart_pixels(ui, canvas, 2)
    check({s["runId"] for s in result} == {runs["baseline_a"], runs["baseline_c"]}, f"the compare chart's runs: {result}")
    check(len({s["color"] for s in result}) == 2, "the two runs share a colour")
    legend = [e.text for e in ui.find('#compare-charts .chart[data-split="train"][data-key="loss"] .legend-item')]
    check(legend == ["lr-0.01", "lr-0.001"], f"the legend: {legend}")
    params = [tr.get_attribute("data-key") for tr in ui.find("#compare-params tbody tr")]
    check("lr" in params and "depth" in params and "batch" not in params, f"the params that differ: {params}")
    ui.drain_console()
    ui.screenshot("ui-compare.png", full=True)

    # A run page: charts, checkpoints with best and last, config, log.
    ui.navigate(base, f"#/run/{runs['baseline_b']}")
    ui.mark("cairn:charts-drawn")
    canvas = ui.one('#run-charts .chart[data-split="train"][data-key="loss"] canvas')
    check_chart_pixels(ui, canvas, 1)
    check(ui.find('#run-charts .chart[data-split="eval"][data-key="acc"] canvas'), "no chart for eval/acc")
    best = ui.find('#run-checkpoints tr[data-pointers~="best"] .badge-best')
    last = ui.find('#run-checkpoints tr[data-pointers~="last"] .badge-last')
    check(best and last, "the checkpoints table does not mark best and last")
    rows = ui.find("#run-checkpoints tbody tr")
    check(len(rows) >= 2, f"{len(rows)} checkpoints listed, expected 2 or more")
    check("kept" in ui.one("#run-checkpoints").text, "the checkpoints' status is not shown")
    check("lr" in ui.one("#run-config").text, "config.yaml is not shown")
    check(ui.one('#run-params tr[data-key="lr"] td').text == "0.003", "the lr param")
    link = ui.one('#run-artifacts tr[data-path="notes/notes.txt"] a')
    body = ui.js("return fetch(arguments[0]).then((r) => r.text())", link.get_attribute("href"))
    check(body == "spike at step 150\n", f"the artifact's download gave {body!r}")
    check_chart_interaction(ui, canvas)
    ui.drain_console()
    ui.screenshot("ui-run.png", full=True)

    # The live run: log lines arrive and the chart refreshes without a reload.
    ui.navigate(base, f"#/run/{runs['live']}")
    ui.mark("cairn:charts-drawn")
    log = ui.one("#run-log")
    ui.wait(lambda: int(log.get_attribute("data-lines") or 0) > 0, "log lines")
    first = int(log.get_attribute("data-lines"))
    ui.wait(lambda: int(log.get_attribute("data-lines") or 0) > first, "new log lines while following", timeout=20)
    check("<b>not bold</b>" in log.text, "a log line's markup is not shown as text")
    check(not ui.find("#run-log b"), "a log line was parsed as HTML")
    last_step = ("const c = document.querySelector('#run-charts .chart[data-key=\"loss\"] canvas');"
                 "const xs = c && c.cairnChart.series.length ? c.cairnChart.series[0].xs : []; return xs.length ? xs[xs.length - 1] : -1")
    before = ui.js(last_step)
    ui.wait(lambda: ui.js(last_step) > before, f"the live chart to grow past step {before} without a reload", timeout=20)
    ui.drain_console()
    ui.screenshot("ui-run-live.png", full=True)

    # Pages of rows: 3 first, then the rest by the "more" button (or scrolling).
    ui.navigate(base, "#/runs?experiment=vae/*&limit=3")
    ui.mark("cairn:runs-rendered")
    ui.wait(lambda: len(ui.row_ids()) == 4, "the second page of rows after the first 3")
    check(len(set(ui.row_ids())) == 4, f"rows repeated across pages: {ui.row_ids()}")

    # A RUNNING run's row refreshes in place.
    ui.navigate(base, "#/runs?experiment=live")
    ui.one('#runs[data-ready="true"]')
    cell = 'return (document.querySelector(\'#runs tr[data-running] td[data-col="metrics.loss"]\') || {}).textContent'
    before = ui.js(cell)
    check(before, "the live run's row has no loss column")
    ui.wait(lambda: ui.js(cell) != before, f"the live run's loss ({before}) to refresh in the table", timeout=20)
    ui.drain_console()

    # A long log: its end, and a note saying what is left out.
    ui.navigate(base, f"#/run/{runs['long_log']}")
    ui.wait(lambda: ui.js("const l = document.getElementById('run-log'); return l && l.lastChild && "
                          "l.lastChild.textContent.includes('line 29999 ')"), "the long log's last line")
    check("MiB" in ui.one("#log-cut").text, "the note on the long log's cut")
    check(ui.js("return document.getElementById('run-log').firstChild.textContent.includes('line ')"), "a cut line at the top")
    ui.drain_console()

    # Runs whose names and tags are markup: shown as text, nothing runs. Cairn's run names cannot hold
    # '/', so the MLflow API makes one named <script>alert(1)</script> (kept whole in mlflow.runName).
    script_run = mlflow_run(base, "mnist", SCRIPT_NAME)
    ui.navigate(base, "#/runs?experiment=mnist")
    ui.mark("cairn:runs-rendered")
    ui.one('#runs[data-ready="true"]')
    names = ui.js("return [...document.querySelectorAll('#runs a.run-link')].map((a) => a.textContent)")
    check(info["xss_name"] in names, f"the run's name shows as one of {names!r}, expected {info['xss_name']!r}")
    check(any("<script>alert(1)<" in n for n in names), f"the MLflow run's name is not shown as text: {names!r}")
    check(not ui.find("#runs img, #runs script"), "a run's name made an element")
    ui.no_alert()
    ui.navigate(base, f"#/run/{script_run}")
    ui.mark("cairn:charts-drawn")
    check(ui.one('#run-tags tr[data-key="mlflow.runName"] td').text == SCRIPT_NAME, "mlflow.runName is not shown as text")
    check(not ui.find("main script"), "the run's name made a script element")
    ui.no_alert()
    ui.navigate(base, "#/runs?experiment=mnist")
    ui.one('#runs[data-ready="true"]')
    link = [a for a in ui.find("#runs a.run-link") if a.text == info["xss_name"]][0]
    link.click()
    ui.mark("cairn:charts-drawn")
    check(ui.one("#run-name").text == info["xss_name"], "the run page's title")
    check(ui.one('#run-tags tr[data-key="note"] td').text == "<script>alert(2)</script>", "the tag's markup is not shown as text")
    check(not ui.find("main script, main img"), "markup from the store became elements")
    ui.no_alert()
    check(ui.js("return window.__cairnAlert === undefined"), "a script from the store ran")
    ui.drain_console()


SCRIPT_NAME = "<script>alert(1)</script>"


def mlflow_run(base, experiment, name):
    """Creates a run through the MLflow API (the name kept whole in its mlflow.runName tag); its id."""
    def post(path, body):
        request = urllib.request.Request(base + "/api/2.0/mlflow/" + path, data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(request) as response:
            return json.loads(response.read())
    with urllib.request.urlopen(base + "/api/2.0/mlflow/experiments/get-by-name?experiment_name=" + experiment) as response:
        experiment_id = json.loads(response.read())["experiment"]["experiment_id"]
    run = post("runs/create", {"experiment_id": experiment_id, "run_name": name, "start_time": int(time.time() * 1000)})
    run_id = run["run"]["info"]["run_id"]
    post("runs/log-metric", {"run_id": run_id, "key": "loss", "value": 0.5, "timestamp": int(time.time() * 1000), "step": 0})
    post("runs/update", {"run_id": run_id, "status": "FINISHED", "end_time": int(time.time() * 1000)})
    return run_id


def test_token(ui, base, token):
    ui.get(base + "/")
    ui.wait(lambda: "/login" in ui.driver.current_url, "the redirect to /login")
    ui.one("#token")
    check(not ui.one("#login-error").is_displayed(), "the login page says wrong token before any try")
    ui.drain_console()
    ui.screenshot("ui-login.png")
    ui.one("#token").send_keys("not-" + token)
    ui.one("#login-submit").click()
    ui.wait(lambda: "failed=1" in ui.driver.current_url, "the failed login")
    ui.wait(lambda: ui.one("#login-error").is_displayed(), "the wrong-token message")
    ui.one("#token").send_keys(token)
    ui.one("#login-submit").click()
    ui.wait(lambda: "/login" not in ui.driver.current_url, "signing in")
    ui.one("#experiments a.exp-link")
    check(ui.js("return document.cookie") == "", f"the session cookie is visible to scripts: {ui.js('return document.cookie')!r}")
    cookies = ui.driver.get_cookies()
    check(cookies and all(c.get("httpOnly") for c in cookies), f"cookies not HttpOnly: {cookies}")
    ui.drain_console()
    # A session that ends while the app is open: the next API answer (401) sends it to the login page.
    session = [c for c in ui.driver.get_cookies()]
    ui.driver.delete_all_cookies()
    ui.allowed = ["status of 401"]
    ui.js("window.location.hash = '#/runs?experiment=*'")
    ui.wait(lambda: "/login" in ui.driver.current_url, "the login page after the session ended")
    ui.drain_console()
    ui.allowed = []
    for cookie in session:
        ui.driver.add_cookie({k: v for k, v in cookie.items() if k in ("name", "value", "path", "httpOnly", "sameSite")})
    ui.get(base + "/")
    ui.one("#experiments a.exp-link")
    ui.one("#logout").click()
    ui.wait(lambda: "/login" in ui.driver.current_url, "signing out")
    ui.get(base + "/")
    ui.wait(lambda: "/login" in ui.driver.current_url, "the login page again after signing out")
    ui.drain_console()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--info", required=True)
    parser.add_argument("--screenshots", required=True)
    parser.add_argument("--token-url")
    parser.add_argument("--token")
    args = parser.parse_args()
    with open(args.info) as f:
        info = json.load(f)
    os.makedirs(args.screenshots, exist_ok=True)
    ui = UI(args.screenshots)
    started = time.time()
    try:
        test_pages(ui, args.url.rstrip("/"), info)
        if args.token_url:
            test_token(ui, args.token_url.rstrip("/"), args.token)
    except Failure as failure:
        try:
            ui.screenshot("failure.png")
            for entry in ui.console + ui.driver.get_log("browser"):
                print(f"console {entry.get('level')}: {entry.get('message')}", file=sys.stderr)
        except Exception:
            pass
        print(f"FAILED: {failure}", file=sys.stderr)
        return 1
    finally:
        ui.close()
    print(f"ui_test: every check passed in {time.time() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
