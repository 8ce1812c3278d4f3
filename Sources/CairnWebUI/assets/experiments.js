// The experiments page: grouped names as a collapsible tree, run counts, last activity.
import { h, formatTime, formatAgo } from './dom.js';
import { getJSON } from './api.js';
import { crumbs, runsHref } from './nav.js';

const main = document.getElementById('main');

export async function experimentsPage(page) {
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
  const byID = new Map(experiments.map((e) => [e.id, e.name]));
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
      const parent = byID.get(node.experiment.parent_experiment_id);
      if (parent) name.append(h('span', { class: 'muted continues' }, ' continues ', h('a', { href: runsHref(parent) }, parent)));
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
