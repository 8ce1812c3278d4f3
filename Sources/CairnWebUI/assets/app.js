// Cairn's web UI: a hash router and its four pages (experiments, runs, run, compare).
import { h, formatTime, formatAgo, formatDuration, formatBytes, valueText, statusBadge } from './dom.js';
import { getJSON, getText, getOptional, url, metricName, paramName } from './api.js';
import { Chart, chartControls, colorOf } from './chart.js';

const main = document.getElementById('main');
let leave = null; // the current page's cleanup

function route(keepScroll) {
  const scroll = keepScroll === true ? window.scrollY : null;
  if (leave) { leave(); leave = null; }
  const hash = window.location.hash.replace(/^#/, '') || '/';
  const [path, query] = hash.split('?');
  const params = new URLSearchParams(query || '');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const page = { alive: true, timers: [], controllers: [] };
  leave = () => {
    page.alive = false;
    page.timers.forEach(clearTimeout);
    page.controllers.forEach((c) => c.abort());
    (page.cleanups || []).forEach((f) => f());
  };
  main.replaceChildren();
  document.body.dataset.page = parts[0] || 'experiments';
  let work;
  if (parts.length === 0) work = experimentsPage(page);
  else if (parts[0] === 'runs') work = runsPage(page, params);
  else if (parts[0] === 'run' && parts[1]) work = runPage(page, parts[1]);
  else if (parts[0] === 'compare') work = comparePage(page, (params.get('runs') || '').split(',').filter(Boolean));
  else work = Promise.resolve(main.append(h('p', { class: 'error' }, 'No such page.')));
  if (scroll !== null) work.then(() => window.scrollTo(0, scroll));
  work.catch((error) => {
    if (!page.alive || error.name === 'AbortError' || error.status === 401) return;
    main.append(h('p', { class: 'error', id: 'page-error' }, error.message));
  });
}

function crumbs(...items) {
  const nav = h('nav', { class: 'crumbs' }, h('a', { href: '#/' }, 'Experiments'));
  for (const [label, href] of items) nav.append(' / ', href ? h('a', { href }, label) : h('span', {}, label));
  return nav;
}

function runsHref(experiment) {
  return '#/runs?' + new URLSearchParams({ experiment }).toString();
}

// Experiments ----------------------------------------------------------------------------------

async function experimentsPage(page) {
  main.append(crumbs(), h('h1', {}, 'Experiments'));
  const experiments = await getJSON('experiments');
  if (!page.alive) return;
  const root = { children: new Map(), runs: 0, last: null };
  for (const e of experiments) {
    let node = root;
    const names = e.name.split('/');
    names.forEach((part, i) => {
      if (!node.children.has(part)) node.children.set(part, { name: part, path: names.slice(0, i + 1).join('/'), children: new Map(), runs: 0, last: null });
      node = node.children.get(part);
    });
    node.experiment = e;
  }
  const total = (node) => {
    node.runs = node.experiment ? node.experiment.runs : 0;
    node.last = node.experiment ? node.experiment.last_activity || null : null;
    for (const child of node.children.values()) {
      total(child);
      node.runs += child.runs;
      if (child.last && (!node.last || child.last > node.last)) node.last = child.last;
    }
  };
  total(root);
  const sorted = (node) => [...node.children.values()].sort((x, y) => x.name.localeCompare(y.name));
  const rows = [];
  const collapsed = new Set();
  const walk = (node, depth) => {
    const group = node.children.size > 0;
    const toggle = group ? h('button', { type: 'button', class: 'toggle', 'aria-expanded': 'true', 'aria-label': 'collapse' }, '▾') : h('span', { class: 'toggle' });
    const name = h('td', { class: 'name' }, toggle);
    name.style.paddingLeft = `${8 + depth * 20}px`;
    if (group) name.append(h('a', { href: runsHref(node.path + '/*'), class: 'group-link', 'data-group': node.path }, node.name + '/'));
    if (node.experiment) {
      name.append(group ? ' ' : '', h('a', { href: runsHref(node.experiment.name), class: 'exp-link', 'data-experiment': node.experiment.name },
        group ? '(runs of ' + node.name + ')' : node.name));
    }
    const row = h('tr', { 'data-path': node.path, class: group ? 'group' : 'leaf' }, name,
      h('td', { class: 'num' }, String(node.runs)),
      h('td', { title: node.last || '' }, node.last ? formatAgo(node.last) : '–'),
      h('td', { class: 'muted' }, node.experiment ? formatTime(node.experiment.created_at) : ''));
    rows.push(row);
    if (group) {
      toggle.addEventListener('click', () => {
        const open = collapsed.has(node.path);
        open ? collapsed.delete(node.path) : collapsed.add(node.path);
        toggle.textContent = open ? '▾' : '▸';
        toggle.setAttribute('aria-expanded', String(open));
        toggle.setAttribute('aria-label', open ? 'collapse' : 'expand');
        for (const r of rows) {
          const path = r.dataset.path;
          r.hidden = [...collapsed].some((c) => path.startsWith(c + '/'));
        }
      });
      for (const child of sorted(node)) walk(child, depth + 1);
    }
  };
  for (const child of sorted(root)) walk(child, 0);
  main.append(experiments.length
    ? h('table', { id: 'experiments', class: 'grid tree' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Experiment'), h('th', { class: 'num' }, 'Runs'), h('th', {}, 'Last activity'), h('th', {}, 'Created'))),
      h('tbody', {}, rows))
    : h('p', { class: 'muted' }, 'No experiments yet.'));
}

// Runs -----------------------------------------------------------------------------------------

const FIXED = [
  { name: 'attributes.status', label: 'Status', cell: (r) => statusBadge(r.status, r.liveness) },
  { name: 'attributes.run_name', label: 'Name', cell: (r) => h('a', { href: `#/run/${encodeURIComponent(r.id)}`, class: 'run-link', title: r.name ? `${r.name} (${r.id})` : r.id }, r.name || r.id) },
  { name: null, label: 'Duration', cell: (r) => formatDuration(r.duration_seconds) },
  { name: 'attributes.start_time', label: 'Start', cell: (r) => formatTime(r.start_time) },
];

async function runsPage(page, params) {
  const experiment = params.get('experiment') || '*';
  const state = {
    filter: params.get('filter') || '',
    order: params.get('order') || '',
    columns: params.has('cols') ? params.get('cols').split('\n').filter(Boolean) : loadColumns(experiment),
  };
  const fixed = /[*?[]/.test(experiment)
    ? [...FIXED.slice(0, 2), { name: null, key: 'experiment', label: 'Experiment', cell: (r) => h('a', { href: runsHref(r.experiment) }, r.experiment) }, ...FIXED.slice(2)]
    : FIXED;
  const needDefaults = state.columns === null;
  if (needDefaults) state.columns = [];
  const title = experiment === '*' ? 'All runs' : experiment;
  main.append(crumbs([title]), h('h1', {}, title));

  const input = h('input', { id: 'filter', type: 'search', spellcheck: 'false', autocomplete: 'off', value: state.filter,
    placeholder: "metrics.loss < 0.5 and params.lr > 1e-3" });
  const form = h('form', { id: 'filter-form', class: 'filter' }, input, h('button', { type: 'submit' }, 'Filter'));
  const errorBox = h('div', { id: 'filter-error', class: 'filter-error', hidden: true });
  const help = h('div', { class: 'muted filter-help' }, 'MLflow\'s search syntax, conditions joined by AND: ',
    h('code', {}, "params.optimizer = 'adam' and metrics.loss < 0.5"), '; another split\'s metric: ',
    h('code', {}, 'metrics.`eval/loss`'), '; also ', h('code', {}, "attributes.status = 'FINISHED'"), ', ',
    h('code', {}, 'checkpoints.best.val_loss < 0.3'), '.');
  const chooser = h('details', { id: 'column-chooser', class: 'chooser' }, h('summary', {}, 'Columns'), h('div', { class: 'chooser-body' }, 'loading…'));
  const compare = h('button', { id: 'compare', type: 'button', disabled: true }, 'Compare');
  const selectedCount = h('span', { class: 'muted', id: 'selected-count' });
  const toolbar = h('div', { class: 'toolbar' }, form, chooser, compare, selectedCount);
  const table = h('table', { id: 'runs', class: 'grid' });
  const more = h('button', { id: 'more', type: 'button', hidden: true }, 'More runs');
  const status = h('p', { id: 'runs-status', class: 'muted' });
  main.append(toolbar, errorBox, help, h('div', { class: 'table-wrap' }, table), status, more);

  const selected = new Set();
  const updateSelection = () => {
    compare.disabled = selected.size < 2;
    selectedCount.textContent = selected.size ? `${selected.size} selected` : '';
  };
  compare.addEventListener('click', () => { window.location.hash = `#/compare?runs=${[...selected].map(encodeURIComponent).join(',')}`; });

  let offset = 0;
  let generation = 0;
  let firstPaint = true;
  const LIMIT = 100;
  const tbody = h('tbody');

  const header = () => {
    const [orderName, orderDir] = splitOrder(state.order);
    const groups = h('tr', { class: 'groups' }, h('th', { colspan: fixed.length + 1 }));
    const row = h('tr', {}, h('th', { class: 'select' }));
    const columns = [...fixed.map((c) => [c.name, c.label]), ...state.columns.map((c) => [c, shortName(c)])];
    let group = null;
    for (const name of state.columns) {
      const kind = name.split('.')[0];
      if (group && group.dataset.kind === kind) group.colSpan += 1;
      else {
        group = h('th', { class: 'group', 'data-kind': kind }, kind === 'metrics' ? 'Metrics' : kind === 'params' ? 'Params' : kind);
        groups.append(group);
      }
    }
    for (const [name, label] of columns) {
      const th = h('th', { 'data-col': name || '', title: name || '' }, label);
      if (name) {
        th.classList.add('sortable');
        th.tabIndex = 0;
        th.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); th.click(); } });
        if (name === orderName) th.append(h('span', { class: 'sort' }, orderDir === 'ASC' ? ' ▲' : ' ▼'));
        th.dataset.sort = name === orderName ? orderDir : '';
        th.addEventListener('click', () => {
          const dir = name === orderName && orderDir === 'DESC' ? 'ASC' : name === orderName ? 'DESC' : defaultDirection(name);
          state.order = `${name} ${dir}`;
          syncURL();
          reload();
        });
      }
      row.append(th);
    }
    table.replaceChildren(h('thead', {}, state.columns.length ? groups : null, row), tbody);
  };

  const rowOf = (r) => {
    const box = h('input', { type: 'checkbox', class: 'select-run', 'data-run': r.id, 'aria-label': 'select' });
    box.checked = selected.has(r.id);
    box.addEventListener('change', () => { box.checked ? selected.add(r.id) : selected.delete(r.id); updateSelection(); });
    const tr = h('tr', { 'data-run-id': r.id }, h('td', { class: 'select' }, box));
    for (const c of fixed) tr.append(h('td', { 'data-col': c.name || c.key || 'duration' }, c.cell(r)));
    for (const name of state.columns) {
      const v = r.columns ? r.columns[name] : undefined;
      tr.append(h('td', { 'data-col': name, class: typeof v === 'number' ? 'num' : '' }, valueText(v)));
    }
    return tr;
  };

  const loadPage = async () => {
    const mine = generation;
    more.disabled = true;
    const rows = await getJSON('runs', {
      experiment, filter: state.filter, order_by: state.order, columns: state.columns, limit: LIMIT, offset, view: 'active',
    });
    if (!page.alive || mine !== generation) return;
    const fragment = document.createDocumentFragment();
    for (const r of rows) fragment.append(rowOf(r));
    tbody.append(fragment);
    offset += rows.length;
    more.hidden = rows.length < LIMIT;
    more.disabled = false;
    status.textContent = offset ? `${offset} run${offset === 1 ? '' : 's'}${rows.length < LIMIT ? '' : ' so far'}` : 'No runs match.';
    if (firstPaint) { firstPaint = false; performance.mark('cairn:runs-rendered'); }
    table.dataset.loaded = String(offset);
    return rows;
  };

  const reload = async () => {
    generation++;
    offset = 0;
    tbody.replaceChildren();
    header();
    errorBox.hidden = true;
    help.hidden = false;
    input.classList.remove('invalid');
    try {
      return await loadPage();
    } catch (error) {
      if (error.status !== 400) throw error;
      showFilterError(errorBox, state.filter, error);
      help.hidden = true;
      input.classList.add('invalid');
      status.textContent = '';
      more.hidden = true;
      if (firstPaint) { firstPaint = false; performance.mark('cairn:runs-rendered'); }
      return null;
    }
  };

  const syncURL = () => {
    const q = new URLSearchParams({ experiment });
    if (state.filter) q.set('filter', state.filter);
    if (state.order) q.set('order', state.order);
    history.replaceState(null, '', '#/runs?' + q.toString());
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    state.filter = input.value.trim();
    syncURL();
    reload();
  });
  more.addEventListener('click', () => loadPage());
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting) && !more.hidden && !more.disabled) loadPage();
  });
  observer.observe(more);
  page.cleanups = [() => observer.disconnect()];

  const first = await reload();
  if (!page.alive) return;

  // The keys to choose from, and default columns when this experiment has none saved: the params
  // that vary and the metrics of the first runs.
  const { paramKeys, varying, metrics } = await columnChoices((first || []).slice(0, 20));
  if (!page.alive) return;
  const options = [...paramKeys.map(paramName), ...metrics];
  if (needDefaults) {
    state.columns = [...varying.slice(0, 6).map(paramName), ...metrics.slice(0, 6)];
    if (state.columns.length) await reload();
    if (!page.alive) return;
  }
  table.dataset.ready = 'true';
  renderChooser(chooser, options, state.columns, (columns) => {
    state.columns = columns;
    saveColumns(experiment, columns);
    reload();
  });
}

/** Param keys, the params whose values differ, and metric column names, from a few runs: one
 *  comparison and the first run's details, or (an older server) each run's details and metrics. */
async function columnChoices(sample) {
  if (!sample.length) return { paramKeys: [], varying: [], metrics: [] };
  if (sample.length === 1) {
    const [d, summaries] = await Promise.all([getJSON(`runs/${encodeURIComponent(sample[0].id)}`), getJSON(`runs/${encodeURIComponent(sample[0].id)}/metrics`)]);
    const keys = Object.keys(d.params || {}).sort();
    return { paramKeys: keys, varying: keys, metrics: [...new Set(summaries.map((m) => metricName(m.split, m.key)))].sort() };
  }
  const ids = sample.map((r) => r.id);
  const [comparison, firstDetails] = await Promise.all([
    sample.length > 1 ? getOptional('compare', { runs: ids }) : null,
    getJSON(`runs/${encodeURIComponent(ids[0])}`),
  ]);
  const keys = new Set(Object.keys(firstDetails.params || {}));
  if (comparison) {
    comparison.params.forEach((p) => keys.add(p.key));
    const metrics = comparison.metrics.map((m) => {
      const slash = m.name.indexOf('/');
      return slash < 0 ? metricName('train', m.name) : metricName(m.name.slice(0, slash), m.name.slice(slash + 1));
    });
    return { paramKeys: [...keys].sort(), varying: comparison.params.map((p) => p.key).sort(), metrics: [...new Set(metrics)].sort() };
  }
  const details = await Promise.all(sample.slice(0, 8).map((r) => Promise.all([
    getJSON(`runs/${encodeURIComponent(r.id)}`),
    getJSON(`runs/${encodeURIComponent(r.id)}/metrics`),
  ])));
  const values = new Map();
  const metrics = new Set();
  for (const [d, summaries] of details) {
    for (const [key, p] of Object.entries(d.params || {})) {
      if (!values.has(key)) values.set(key, new Set());
      values.get(key).add(p.text);
    }
    for (const m of summaries) metrics.add(metricName(m.split, m.key));
  }
  const paramKeys = [...values.keys()].sort();
  return { paramKeys, varying: paramKeys.filter((k) => values.get(k).size > 1 || details.length === 1), metrics: [...metrics].sort() };
}

function splitOrder(order) {
  const match = /^(.*?)(?:\s+(ASC|DESC))?$/i.exec(order.trim());
  return match && match[1] ? [match[1], (match[2] || 'ASC').toUpperCase()] : [null, null];
}

function defaultDirection(name) {
  return name.startsWith('metrics.') || name.startsWith('params.') ? 'ASC' : 'DESC';
}

function shortName(column) {
  return column.replace(/^(params|metrics|attributes|tags)\./, '').replace(/^`(.*)`$/, '$1').replace(/``/g, '`');
}

function loadColumns(experiment) {
  try {
    const saved = JSON.parse(localStorage.getItem('cairn.columns.' + experiment) || 'null');
    return Array.isArray(saved) ? saved : null;
  } catch { return null; }
}

function saveColumns(experiment, columns) {
  try { localStorage.setItem('cairn.columns.' + experiment, JSON.stringify(columns)); } catch { /* private mode */ }
}

function renderChooser(chooser, options, chosen, onChange) {
  const body = chooser.querySelector('.chooser-body');
  const all = [...new Set([...chosen, ...options])];
  if (!all.length) { body.textContent = 'No params or metrics in the first runs.'; return; }
  const boxes = all.map((name) => {
    const box = h('input', { type: 'checkbox', value: name, 'data-column': name });
    box.checked = chosen.includes(name);
    return h('label', {}, box, ' ', name);
  });
  body.replaceChildren(...boxes);
  body.addEventListener('change', () => {
    onChange([...body.querySelectorAll('input:checked')].map((b) => b.value));
  });
}

function showFilterError(box, filter, error) {
  box.replaceChildren();
  box.hidden = false;
  box.dataset.column = error.column ?? '';
  if (error.column) {
    const caret = ' '.repeat(Math.max(0, error.column - 1)) + '^';
    box.append(h('pre', { class: 'caret' }, filter, '\n', h('span', { class: 'caret-mark' }, caret)));
  }
  box.append(h('div', { class: 'message' }, error.message));
  if (error.hint) box.append(h('div', { class: 'muted' }, error.hint));
}

// Run ------------------------------------------------------------------------------------------

async function runPage(page, id) {
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
    ['Folder', h('code', {}, run.folder)], ['Host', `${run.user}@${run.host} (pid ${run.pid})`],
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
      const series = await getJSON(`${runPath}/series`, { split: m.split, key: m.key, points: chart.pointsWanted });
      if (!page.alive) return;
      chart.setSeries([{ label: m.key, runId: run.id, color: colorOf(0), buckets: series.buckets }]);
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
  if (run.status === 'RUNNING') {
    const tick = async () => {
      if (!page.alive) return;
      try {
        const [now, list] = await Promise.all([getJSON(runPath), getJSON(`${runPath}/metrics`)]);
        if (!page.alive) return;
        document.getElementById('no-metrics')?.remove();
        await drawCharts(list);
        grid.dataset.refreshed = String(Date.now());
        if (now.status !== 'RUNNING') { route(true); return; }
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
  let offset = 0;
  let first = true;
  const MAX_LINES = 5000;
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

// Compare --------------------------------------------------------------------------------------

async function comparePage(page, ids) {
  main.append(crumbs(['Compare']), h('h1', {}, 'Compare runs'));
  if (ids.length < 1) { main.append(h('p', { class: 'muted' }, 'Select runs in a runs table to compare them.')); return; }
  const [details, summaries, comparison] = await Promise.all([
    Promise.all(ids.map((id) => getJSON(`runs/${encodeURIComponent(id)}`))),
    Promise.all(ids.map((id) => getJSON(`runs/${encodeURIComponent(id)}/metrics`))),
    getOptional('compare', { runs: ids }),
  ]);
  if (!page.alive) return;
  const label = (d) => d.name || d.id;

  const runsTable = h('table', { id: 'compare-runs', class: 'grid' },
    h('thead', {}, h('tr', {}, ['', 'Run', 'Experiment', 'Status', 'Duration', 'Best checkpoint'].map((t) => h('th', {}, t)))),
    h('tbody', {}, details.map((d, i) => {
      const best = comparison && comparison.runs[i] ? comparison.runs[i].best_checkpoint : null;
      const bestText = best ? `${best.path}${Object.entries(best.metrics || {}).map(([k, v]) => ` ${k}=${valueText(v)}`).join('')}` : '–';
      return h('tr', { 'data-run-id': d.id },
        h('td', {}, h('i', { class: 'swatch', 'data-color': colorOf(i) })),
        h('td', {}, h('a', { href: `#/run/${encodeURIComponent(d.id)}` }, label(d))),
        h('td', {}, d.experiment), h('td', {}, statusBadge(d.status, d.liveness)),
        h('td', {}, formatDuration(d.duration_seconds)), h('td', {}, bestText));
    })));
  runsTable.querySelectorAll('i.swatch').forEach((i) => { i.style.background = i.dataset.color; });
  main.append(runsTable);

  // Params that differ.
  let rows;
  let same = 0;
  if (comparison) {
    rows = comparison.params.map((p) => [p.key, p.values]);
    same = comparison.same_params;
  } else {
    const keys = [...new Set(details.flatMap((d) => Object.keys(d.params || {})))].sort();
    rows = [];
    for (const k of keys) {
      const values = details.map((d) => (d.params && d.params[k] ? d.params[k].text : null));
      if (new Set(values).size > 1) rows.push([k, values]); else same++;
    }
  }
  main.append(h('h2', {}, 'Params that differ'),
    rows.length
      ? h('table', { id: 'compare-params', class: 'grid' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Param'), details.map((d) => h('th', {}, label(d))))),
        h('tbody', {}, rows.map(([k, values]) => h('tr', { 'data-key': k }, h('th', {}, k), values.map((v) => h('td', {}, v ?? '–'))))))
      : h('p', { id: 'compare-params', class: 'muted' }, 'No param differs.'),
    h('p', { class: 'muted' }, `${same} param${same === 1 ? '' : 's'} the same in every run.`));

  // Each metric's last value (and best), per run.
  if (comparison && comparison.metrics.length) {
    main.append(h('h2', {}, 'Metrics'),
      h('table', { id: 'compare-metrics', class: 'grid' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Metric'), details.map((d) => h('th', {}, label(d))))),
        h('tbody', {}, comparison.metrics.map((m) => h('tr', { 'data-metric': m.name }, h('th', {}, m.name),
          m.values.map((v) => h('td', { class: 'num', title: v ? `last at step ${v.last_step}; min ${valueText(v.min)} at ${v.min_step}; max ${valueText(v.max)} at ${v.max_step}` : '' },
            v ? valueText(v.last) : '–', v ? h('span', { class: 'muted range' }, ` ${valueText(v.min)} … ${valueText(v.max)}`) : null)))))));
  }

  // Overlaid charts.
  const names = new Map();
  summaries.forEach((list) => list.forEach((m) => names.set(`${m.split}/${m.key}`, m)));
  const charts = [];
  const controls = chartControls(() => charts);
  const section = h('section', { id: 'compare-charts' }, h('h2', {}, 'Charts'), controls);
  const grid = h('div', { class: 'charts' });
  section.append(grid);
  main.append(section);
  page.cleanups = [() => charts.forEach((c) => c.destroy())];
  const sorted = [...names.values()].sort((a, b) => (a.split + a.key).localeCompare(b.split + b.key));
  await Promise.all(sorted.map(async (m) => {
    const chart = new Chart(grid, m.split === 'train' ? m.key : `${m.split}/${m.key}`);
    chart.root.dataset.split = m.split;
    chart.root.dataset.key = m.key;
    charts.push(chart);
    const all = await Promise.all(details.map((d, i) => summaries[i].some((s) => s.split === m.split && s.key === m.key)
      ? getJSON(`runs/${encodeURIComponent(d.id)}/series`, { split: m.split, key: m.key, points: chart.pointsWanted })
      : null));
    if (!page.alive) return;
    chart.setSeries(details.map((d, i) => ({ label: label(d), runId: d.id, color: colorOf(i), buckets: all[i] ? all[i].buckets : [] })));
  }));
  if (!page.alive) return;
  grid.dataset.drawn = String(charts.length);
  performance.mark('cairn:charts-drawn');
}

window.addEventListener('hashchange', () => route());
route();
