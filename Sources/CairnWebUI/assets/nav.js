// Links shared by the pages.
import { h } from './dom.js';

export function crumbs(...items) {
  const nav = h('nav', { class: 'crumbs' }, h('a', { href: '#/' }, 'Experiments'));
  for (const [label, href] of items) nav.append(' / ', href ? h('a', { href }, label) : h('span', {}, label));
  return nav;
}

export function runsHref(experiment) {
  return '#/runs?' + new URLSearchParams({ experiment }).toString();
}
