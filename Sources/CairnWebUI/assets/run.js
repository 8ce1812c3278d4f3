// A run's page: record, params, tags, charts (refreshed while it runs), checkpoints, config,
// artifacts, and its log followed live.
import { h, formatTime, formatDuration, formatBytes, valueText, statusBadge } from './dom.js';
import { getJSON, getText, getOptional, url, stepRange } from './api.js';
import { Chart, chartControls, colorOf } from './chart.js';
import { crumbs, runsHref } from './nav.js';

const main = document.getElementById('main');

export async function runPage(page, id) {
  const runPath = `runs/${encodeURIComponent(id)}`;
  const [run, metrics, checkpoints, config, artifacts] = await Promise.all([
    getJSON(runPath),
    getJSON(`${runPath}/metrics`),
    getOptional(`${runPath}/checkpoints`, { all: 'true' }),
    getText(`${runPath}/config`).catch(() => null),
    getOptional(`${runPath}/artifacts`),
  ]);
  if (!page.alive) return;
  const title = run.name || run.id;
  document.title = `${title} · Cairn`;
  main.append(crumbs([run.experiment, runsHref(run.experiment)], [title]),
    h('h1', {}, h('span', { id: 'run-name' }, title), ' ', statusBadge(run.status, run.liveness)));

  const recordRows = [
    ['Id', run.id], ['Status', statusBadge(run.status, run.liveness)],
    ['Experiment', h('a', { href: runsHref(run.experiment) }, run.experiment)],
    ['Started', formatTime(run.start_time)], ['Ended', formatTime(run.end_time)],
    ['Duration', run.status === 'RUNNING' && run.duration_seconds == null
      ? `${formatDuration((Date.now() - new Date(run.start_time).getTime()) / 1000)} so far` : formatDuration(run.duration_seconds)],
    ['Exit', run.exit_code !== null && run.exit_code !== undefined ? `code ${run.exit_code}` : run.exit_signal || '–'],
    ['Command', h('code', { class: 'command' }, (run.command || []).map(shellWord).join(' ') || '–')],
    ['Folder', h('code', {}, run.folder)],
    ['Started in', run.working_directory ? h('code', {}, run.working_directory) : '–'],
    ['Host', `${run.user}@${run.host} (pid ${run.pid})`],
    ['Git', run.git ? `${run.git.commit || ''}${run.git.dirty ? ' (uncommitted changes)' : ''}${run.git.branch ? ' on ' + run.git.branch : ''}` : '–'],
  ];
  if (run.resumed_from) recordRows.push(['Resumed from', h('a', { href: `#/run/${encodeURIComponent(run.resumed_from)}` }, run.resumed_from)]);
  if (run.parent_experiment) recordRows.push(['Continues', h('a', { href: runsHref(run.parent_experiment) }, run.parent_experiment)]);
  if (run.config_overrides && run.config_overrides.length) recordRows.push(['Overrides', run.config_overrides.join(' ')]);
  if (run.forwarded_signals && run.forwarded_signals.length) recordRows.push(['Signals', run.forwarded_signals.map((s) => `${s.signal} at ${formatTime(s.at)}`).join(', ')]);
  const record = h('dl', { id: 'run-record', class: 'record' }, recordRows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));

  const keyValues = (id, entries) => entries.length
    ? h('table', { id, class: 'grid kv' }, h('tbody', {}, entries.map(([k, v]) => h('tr', { 'data-key': k }, h('th', {}, k), h('td', {}, v)))))
    : h('p', { id, class: 'muted' }, 'None.');
  const params = Object.entries(run.params || {}).sort(([a], [b]) => a.localeCompare(b)).map(([k, p]) => [k, p.text]);
  const tags = Object.entries(run.tags || {}).sort(([a], [b]) => a.localeCompare(b));

  const top = h('div', { class: 'columns' },
    h('section', {}, h('h2', {}, 'Record'), record),
    h('section', {}, h('h2', {}, 'Params'), keyValues('run-params', params), h('h2', {}, 'Tags'), keyValues('run-tags', tags)));
  main.append(top);

  // Charts.
  const chartSection = h('section', { id: 'run-charts' }, h('h2', {}, 'Metrics'));
  const charts = new Map();
  const controls = chartControls(() => charts.values());
  chartSection.append(controls);
  const grid = h('div', { class: 'chart-grid' });
  chartSection.append(grid);
  main.append(chartSection);
  const splits = new Map();
  const ensureChart = (m) => {
    const name = `${m.split}/${m.key}`;
    if (charts.has(name)) return charts.get(name);
    if (!splits.has(m.split)) {
      const block = h('div', { class: 'split', 'data-split': m.split }, h('h3', {}, m.split), h('div', { class: 'charts' }));
      grid.append(block);
      splits.set(m.split, block.lastChild);
    }
    const chart = new Chart(splits.get(m.split), m.key);
    chart.root.dataset.split = m.split;
    chart.root.dataset.key = m.key;
    chart.setOptions(controls.current());
    charts.set(name, chart);
    return chart;
  };
  const seen = new Map(); // split/key → what its summary said when last drawn
  const drawCharts = async (list) => {
    const changed = list.filter((m) => seen.get(`${m.split}/${m.key}`) !== `${m.count}:${m.last_step}:${m.last}`);
    await Promise.all(changed.map(async (m) => {
      const chart = ensureChart(m);
      chart.loader = async (points, range) => {
        const series = await getJSON(`${runPath}/series`, { split: m.split, key: m.key, points, ...stepRange(range) });
        return page.alive ? [{ label: m.key, runId: run.id, color: colorOf(0), buckets: series.buckets }] : null;
      };
      await chart.reload();
      seen.set(`${m.split}/${m.key}`, `${m.count}:${m.last_step}:${m.last}`);
    }));
  };
  if (metrics.length) {
    await drawCharts(metrics);
    if (!page.alive) return;
  } else {
    grid.append(h('p', { class: 'muted', id: 'no-metrics' }, 'No metrics.'));
  }
  grid.dataset.drawn = String(charts.size);
  performance.mark('cairn:charts-drawn');
  page.cleanups = [() => charts.forEach((c) => c.destroy())];

  // Checkpoints.
  main.append(h('section', { id: 'run-checkpoints-section' }, h('h2', {}, 'Checkpoints'), checkpointTable(checkpoints || [])));

  // Config.
  main.append(h('section', {}, h('h2', {}, 'Config'),
    config !== null && config.trim() !== '' ? h('pre', { id: 'run-config', class: 'config' }, config) : h('p', { id: 'run-config', class: 'muted' }, 'No config.')));

  // Artifacts.
  main.append(h('section', {}, h('h2', {}, 'Artifacts'), artifactTable(run.id, artifacts)));

  // Log.
  const log = h('pre', { id: 'run-log', class: 'log' });
  const follow = h('span', { id: 'log-state', class: 'muted' });
  main.append(h('section', {}, h('h2', {}, 'Log ', follow), log));
  followLog(page, runPath, log, follow);

  // Live refresh of the charts while the run runs.
  if (run.status === 'RUNNING' && run.liveness !== 'owner-dead') {
    const tick = async () => {
      if (!page.alive) return;
      try {
        const [now, list] = await Promise.all([getJSON(runPath), getJSON(`${runPath}/metrics`)]);
        if (!page.alive) return;
        document.getElementById('no-metrics')?.remove();
        await drawCharts(list);
        grid.dataset.refreshed = String(Date.now());
        if (now.status !== 'RUNNING' || now.liveness === 'owner-dead') { page.refresh(); return; }
      } catch (error) {
        if (error.status === 401) return;
      }
      if (page.alive) page.timers.push(setTimeout(tick, 2000));
    };
    page.timers.push(setTimeout(tick, 2000));
  }
}

/** A command's word as a shell would need it written. */
function shellWord(word) {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

function checkpointTable(checkpoints) {
  if (!checkpoints.length) return h('p', { id: 'run-checkpoints', class: 'muted' }, 'No checkpoints.');
  const keys = [...new Set(checkpoints.flatMap((c) => Object.keys(c.metrics || {})))].sort();
  const head = h('tr', {}, ['#', 'Path', 'Epoch', 'Step', ...keys, 'Size', 'Status', 'Decision'].map((t) => h('th', {}, t)));
  const rows = checkpoints.map((c) => {
    const badges = (c.pointers || []).map((p) => h('span', { class: `badge badge-${p}`, 'data-pointer': p }, p));
    return h('tr', { 'data-seq': c.seq, 'data-status': c.status, 'data-pointers': (c.pointers || []).join(' '), class: c.status !== 'kept' ? 'faded' : '' },
      h('td', {}, c.seq),
      h('td', {}, h('code', {}, c.relative_path), ' ', badges),
      h('td', { class: 'num' }, c.epoch ?? '–'), h('td', { class: 'num' }, c.step ?? '–'),
      keys.map((k) => h('td', { class: 'num' }, valueText(c.metrics ? c.metrics[k] : null))),
      h('td', { class: 'num' }, formatBytes(c.bytes)),
      h('td', {}, h('span', { class: `ckpt-status ckpt-${c.status}` }, c.status), c.reason ? h('div', { class: 'muted reason' }, c.reason) : null),
      h('td', { class: 'decision' }, c.decision || ''));
  });
  return h('table', { id: 'run-checkpoints', class: 'grid' }, h('thead', {}, head), h('tbody', {}, rows));
}

function artifactTable(runId, artifacts) {
  if (artifacts === null) return h('p', { id: 'run-artifacts', class: 'muted' }, 'This server does not list artifacts.');
  if (!artifacts.length) return h('p', { id: 'run-artifacts', class: 'muted' }, 'No artifacts.');
  const rows = artifacts.map((a) => {
    const href = url(`runs/${encodeURIComponent(runId)}/artifact`, { path: a.relative_path, role: a.role });
    return h('tr', { 'data-path': a.relative_path },
      h('td', {}, h('a', { href, download: a.relative_path.split('/').pop() }, a.relative_path)),
      h('td', {}, a.role || ''), h('td', { class: 'num' }, formatBytes(a.bytes)));
  });
  return h('table', { id: 'run-artifacts', class: 'grid' }, h('thead', {}, h('tr', {}, h('th', {}, 'Path'), h('th', {}, 'Role'), h('th', {}, 'Size'))), h('tbody', {}, rows));
}

async function followLog(page, runPath, pre, state) {
  const MAX_LINES = 5000;
  const TAIL = 256 * 1024;
  // An offset past the end answers with the log's size: a long log is shown from its last 256 KiB.
  let offset = 0;
  let partial = false;
  try {
    const size = (await getJSON(`${runPath}/log`, { offset: Number.MAX_SAFE_INTEGER, wait: 0 })).next;
    if (size > TAIL) {
      offset = size - TAIL;
      partial = true;
      pre.before(h('p', { class: 'muted', id: 'log-cut' }, `The last ${formatBytes(TAIL)} of ${formatBytes(size)}.`));
    }
  } catch (error) {
    if (!page.alive || error.status === 401) return;
  }
  let first = true;
  while (page.alive) {
    const controller = new AbortController();
    page.controllers.push(controller);
    let answer;
    try {
      answer = await getJSON(`${runPath}/log`, { offset, wait: first ? 0 : 25 }, { signal: controller.signal });
    } catch (error) {
      if (!page.alive || error.name === 'AbortError' || error.status === 401) return;
      state.textContent = `(${error.message})`;
      await new Promise((resolve) => page.timers.push(setTimeout(resolve, 5000)));
      continue;
    } finally {
      page.controllers.splice(page.controllers.indexOf(controller), 1);
    }
    if (!page.alive) return;
    const stick = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    const fragment = document.createDocumentFragment();
    if (partial) { answer.lines.shift(); partial = false; } // the line the cut fell in
    for (const line of answer.lines) {
      const span = h('span', { class: line.stream === 'err' ? 'log-line err' : 'log-line' },
        line.time ? h('span', { class: 'log-time' }, formatTime(line.time).slice(11) + ' ') : null, line.text, '\n');
      fragment.append(span);
    }
    pre.append(fragment);
    while (pre.childNodes.length > MAX_LINES) pre.firstChild.remove();
    if (stick || first) pre.scrollTop = pre.scrollHeight;
    pre.dataset.lines = String(Number(pre.dataset.lines || 0) + answer.lines.length);
    offset = answer.next;
    first = false;
    state.textContent = answer.live ? '(following)' : '';
    pre.dataset.live = String(answer.live);
    if (!answer.live && answer.lines.length === 0) {
      if (!pre.childNodes.length) pre.replaceWith(h('p', { id: 'run-log', class: 'muted', 'data-lines': '0' }, 'No output logged.'));
      return;
    }
  }
}
