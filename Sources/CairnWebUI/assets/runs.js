// The runs table of an experiment or a glob: server-side sorting, a filter and its errors, a column
// chooser, selection for comparing, 100 rows at a time.
import { h, formatTime, formatDuration, valueText, statusBadge } from './dom.js';
import { APIError, getJSON, metricName, paramName } from './api.js';
import { crumbs, runsHref } from './nav.js';

const main = document.getElementById('main');

const FIXED = [
  { name: 'attributes.status', label: 'Status', cell: (r) => statusBadge(r.status, r.liveness) },
  { name: 'attributes.run_name', label: 'Name', cell: (r) => h('a', { href: `#/run/${encodeURIComponent(r.id)}`, class: 'run-link', title: r.name ? `${r.name} (${r.id})` : r.id }, r.name || r.id) },
  { name: 'attributes.duration', label: 'Duration', cell: (r) => formatDuration(r.duration_seconds) },
  { name: 'attributes.start_time', label: 'Start', cell: (r) => formatTime(r.start_time) },
];

export async function runsPage(page, params) {
  const experiment = params.get('experiment') || '*';
  const state = {
    filter: params.get('filter') || '',
    order: params.get('order') || '',
    columns: params.has('cols') ? params.get('cols').split('\n').filter(Boolean) : loadColumns(experiment),
    columnsInURL: params.has('cols'),
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
  const LIMIT = Math.min(1000, Math.max(1, Number(params.get('limit')) || 100)); // rows a page
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
          background(reload);
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
    const tr = h('tr', { 'data-run-id': r.id, 'data-running': r.status === 'RUNNING' && r.liveness !== 'owner-dead' ? '' : null }, h('td', { class: 'select' }, box));
    for (const c of fixed) tr.append(h('td', { 'data-col': c.name || c.key || 'duration' }, c.cell(r)));
    for (const name of state.columns) {
      const v = r.columns ? r.columns[name] : undefined;
      tr.append(h('td', { 'data-col': name, class: typeof v === 'number' ? 'num' : '' }, valueText(v)));
    }
    return tr;
  };

  let loading = -1; // the generation a page is being loaded for: one page at a time
  const loadPage = async () => {
    if (!page.alive || loading === generation) return null;
    const mine = loading = generation;
    more.disabled = true;
    let rows;
    try {
      rows = await getJSON('runs', {
        experiment, filter: state.filter, order_by: state.order, columns: state.columns, limit: LIMIT, offset, view: 'active',
      });
    } finally {
      if (loading === mine) loading = -1;
    }
    if (!page.alive || mine !== generation) return null;
    const fragment = document.createDocumentFragment();
    for (const r of rows) fragment.append(rowOf(r));
    tbody.append(fragment);
    offset += rows.length;
    more.hidden = rows.length < LIMIT;
    more.disabled = false;
    status.textContent = offset ? `${offset} run${offset === 1 ? '' : 's'}${rows.length < LIMIT ? '' : ' so far'}` : 'No runs match.';
    if (firstPaint) { firstPaint = false; performance.mark('cairn:runs-rendered'); }
    table.dataset.loaded = String(offset);
    // Still room on screen below the rows: the next page at once (scrolling loads the others).
    if (!more.hidden && more.getBoundingClientRect().top < window.innerHeight) setTimeout(() => background(loadPage), 0);
    return rows;
  };

  const reload = async () => {
    generation++;
    offset = 0;
    more.hidden = true;
    tbody.replaceChildren();
    header();
    errorBox.hidden = true;
    help.hidden = false;
    input.classList.remove('invalid');
    try {
      // A filter or ordering typed by hand is checked first: a mistake is shown without a failed request.
      if (state.filter || state.order) {
        const check = await getJSON('check', { filter: state.filter, order_by: state.order });
        if (!check.valid) throw Object.assign(new APIError(400, { error: { message: check.message } }), { column: check.column, part: check.part });
      }
      return await loadPage();
    } catch (error) {
      if (error.status !== 400) throw error;
      showFilterError(errorBox, error.part === 'ordering' ? state.order : state.filter, error);
      help.hidden = true;
      input.classList.add('invalid');
      status.textContent = '';
      more.hidden = true;
      if (firstPaint) { firstPaint = false; performance.mark('cairn:runs-rendered'); }
      return null;
    }
  };

  // Work started by a click: an error (other than a filter's) is shown under the table.
  const background = (work) => work().catch((error) => {
    if (!page.alive || error.status === 401) return;
    status.textContent = error.message;
    more.disabled = false;
  });

  const syncURL = () => {
    const q = new URLSearchParams({ experiment });
    if (state.filter) q.set('filter', state.filter);
    if (state.order) q.set('order', state.order);
    if (state.columnsInURL) q.set('cols', state.columns.join('\n'));
    history.replaceState(null, '', '#/runs?' + q.toString());
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    state.filter = input.value.trim();
    syncURL();
    background(reload);
  });
  more.addEventListener('click', () => background(loadPage));
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting) && !more.hidden && !more.disabled) background(loadPage);
  });
  observer.observe(more);
  page.cleanups = [() => observer.disconnect()];

  // RUNNING rows refresh every 5 s in place (status, duration, columns), fetched by id.
  const refreshRunning = async () => {
    const running = [...tbody.querySelectorAll('tr[data-running]')].slice(0, 200);
    if (running.length && document.visibilityState === 'visible') {
      const ids = running.map((tr) => tr.dataset.runId);
      const mine = generation;
      const rows = await getJSON('runs', {
        experiment, filter: `attributes.run_id IN (${ids.map((id) => `'${id.replace(/'/g, "''")}'`).join(', ')})`,
        columns: state.columns, limit: ids.length, view: 'active',
      }).catch(() => []);
      if (!page.alive || mine !== generation) return;
      for (const r of rows) {
        const old = running.find((tr) => tr.dataset.runId === r.id);
        if (old && old.isConnected) old.replaceWith(rowOf(r));
      }
    }
    if (page.alive) page.timers.push(setTimeout(refreshRunning, 5000));
  };
  page.timers.push(setTimeout(refreshRunning, 5000));

  // The keys to choose from (one request, answered by the index). When this experiment has no columns
  // saved, its defaults (the params that vary, the metrics of its newest 200 runs) come first, so the
  // table is drawn once, with them; otherwise the table first, then the chooser's keys (newest 1,000).
  const none = { paramKeys: [], varying: [], metrics: [] };
  let chosen = none;
  if (needDefaults) {
    chosen = await columnChoices(experiment, 200).catch(() => none);
    if (!page.alive) return;
    state.columns = [...chosen.varying.slice(0, 6).map(paramName), ...chosen.metrics.slice(0, 6)];
  }
  await reload();
  if (!page.alive) return;
  if (!needDefaults) chosen = await columnChoices(experiment, 1000).catch(() => none);
  if (!page.alive) return;
  const options = [...chosen.paramKeys.map(paramName), ...chosen.metrics];
  table.dataset.ready = 'true';
  renderChooser(chooser, options, state.columns, (columns) => {
    state.columns = columns;
    state.columnsInURL = true;
    saveColumns(experiment, columns);
    syncURL();
    background(reload);
  });
}

/** Param keys, the params whose values differ (all of them for one run), and metric column names,
 *  from the keys of the experiment's newest `limit` runs (one request, answered by the index). */
async function columnChoices(experiment, limit) {
  const keys = await getJSON('keys', { experiment, limit });
  const paramKeys = keys.params.map((p) => p.key);
  const varying = keys.runs <= 1 ? paramKeys : keys.params.filter((p) => p.values > 1).map((p) => p.key);
  return { paramKeys, varying, metrics: keys.metrics.map((m) => metricName('train', m.key)) };
}

function splitOrder(order) {
  const match = /^(.*?)(?:\s+(ASC|DESC))?$/i.exec(order.trim());
  return match && match[1] ? [match[1], (match[2] || 'ASC').toUpperCase()] : [null, null];
}

function defaultDirection(name) {
  return name.startsWith('metrics.') || name.startsWith('params.') || name === 'attributes.duration' ? 'ASC' : 'DESC';
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
