// The compare page: runs side by side, the params that differ, each metric's values, overlaid charts.
import { h, formatDuration, valueText, statusBadge } from './dom.js';
import { getJSON, stepRange } from './api.js';
import { Chart, chartControls, colorOf } from './chart.js';
import { crumbs } from './nav.js';

const main = document.getElementById('main');

export async function comparePage(page, ids) {
  main.append(crumbs(['Compare']), h('h1', {}, 'Compare runs'));
  if (ids.length < 1) { main.append(h('p', { class: 'muted' }, 'Select runs in a runs table to compare them.')); return; }
  // One request, answered by the index: the runs, the params that differ and each metric's summary per
  // run; the charts' series follow at once.
  const comparison = await getJSON('compare', { runs: ids });
  if (!page.alive) return;
  const details = comparison.runs;
  const label = (d) => d.name || d.id;

  const runsTable = h('table', { id: 'compare-runs', class: 'grid' },
    h('thead', {}, h('tr', {}, ['', 'Run', 'Experiment', 'Status', 'Duration', 'Best checkpoint'].map((t) => h('th', {}, t)))),
    h('tbody', {}, details.map((d, i) => {
      const best = d.best_checkpoint;
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
  const rows = comparison.params.map((p) => [p.key, p.values]);
  const same = comparison.same_params;
  main.append(h('h2', {}, 'Params that differ'),
    rows.length
      ? h('table', { id: 'compare-params', class: 'grid' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Param'), details.map((d) => h('th', {}, label(d))))),
        h('tbody', {}, rows.map(([k, values]) => h('tr', { 'data-key': k }, h('th', {}, k), values.map((v) => h('td', {}, v ?? '–'))))))
      : h('p', { id: 'compare-params', class: 'muted' }, 'No param differs.'),
    h('p', { class: 'muted' }, `${same} param${same === 1 ? '' : 's'} the same in every run.`));

  // Each metric's last value (and best), per run.
  if (comparison.metrics.length) {
    main.append(h('h2', {}, 'Metrics'),
      h('table', { id: 'compare-metrics', class: 'grid' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Metric'), details.map((d) => h('th', {}, label(d))))),
        h('tbody', {}, comparison.metrics.map((m) => h('tr', { 'data-metric': m.name }, h('th', {}, m.name),
          m.values.map((v) => h('td', { class: 'num', title: v ? `last at step ${v.last_step}; min ${valueText(v.min)} at ${v.min_step}; max ${valueText(v.max)} at ${v.max_step}` : '' },
            v ? valueText(v.last) : '–', v ? h('span', { class: 'muted range' }, ` ${valueText(v.min)} … ${valueText(v.max)}`) : null)))))));
  }

  // Overlaid charts.
  const names = new Map();
  for (const row of comparison.metrics) {
    const m = row.values.find((v) => v);
    if (m) names.set(`${m.split}/${m.key}`, { split: m.split, key: m.key, has: row.values.map((v) => !!v) });
  }
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
    chart.loader = async (points, range) => {
      const all = await Promise.all(details.map((d, i) => m.has[i]
        ? getJSON(`runs/${encodeURIComponent(d.id)}/series`, { split: m.split, key: m.key, points, ...stepRange(range) })
        : null));
      return page.alive ? details.map((d, i) => ({ label: label(d), runId: d.id, color: colorOf(i), buckets: all[i] ? all[i].buckets : [] })) : null;
    };
    await chart.reload();
  }));
  if (!page.alive) return;
  grid.dataset.drawn = String(charts.length);
  performance.mark('cairn:charts-drawn');
}
