// Cairn's web UI: a hash router and its four pages (experiments, runs, run, compare).
import { h } from './dom.js';
import { experimentsPage } from './experiments.js';
import { runsPage } from './runs.js';
import { runPage } from './run.js';
import { comparePage } from './compare.js';

const main = document.getElementById('main');
let leave = null; // the current page's cleanup

function route(keepScroll) {
  const scroll = keepScroll === true ? window.scrollY : null;
  if (leave) { leave(); leave = null; }
  const hash = window.location.hash.replace(/^#/, '') || '/';
  const [path, query] = hash.split('?');
  const params = new URLSearchParams(query || '');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const page = { alive: true, timers: [], controllers: [], refresh: () => route(true) };
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

window.addEventListener('hashchange', () => route());
route();
