// Cairn's JSON API (/api/cairn/v1/…). An answer of 401 sends the browser to the login page.

const BASE = '/api/cairn/v1/';

export class APIError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message || `HTTP ${status}`);
    this.status = status;
    this.kind = error.kind;
    this.hint = error.hint;
    this.column = error.column;
  }
}

/** `path` with `params` ({key: value or [values]}) as its query. */
export function url(path, params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value === undefined || value === null || value === '') continue;
    for (const v of Array.isArray(value) ? value : [value]) query.append(key, String(v));
  }
  const text = query.toString();
  return BASE + path + (text ? '?' + text : '');
}

async function request(path, params, options) {
  const response = await fetch(url(path, params), { credentials: 'same-origin', ...options });
  if (response.status === 401) {
    window.location.assign('/login');
    throw new APIError(401, { error: { message: 'not signed in' } });
  }
  return response;
}

export async function getJSON(path, params, options) {
  const response = await request(path, params, options);
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new APIError(response.status, body);
  return body;
}

/** Text, or null when the answer is 404. */
export async function getText(path, params) {
  const response = await request(path, params);
  if (response.status === 404) return null;
  if (!response.ok) throw new APIError(response.status, await response.json().catch(() => null));
  return response.text();
}

/** JSON, or null when the answer is 404. */
export async function getOptional(path, params) {
  try {
    return await getJSON(path, params);
  } catch (error) {
    if (error.status === 404 || error.status === 405) return null;
    throw error;
  }
}

/** A metric's name as the filter and column syntax spells it: loss, `eval/loss`. */
export function metricName(split, key) {
  if (split === 'train' && /^[A-Za-z_][A-Za-z0-9_.]*$/.test(key)) return `metrics.${key}`;
  const name = split === 'train' ? key : `${split}/${key}`;
  return `metrics.\`${name.replace(/`/g, '``')}\``;
}

export function paramName(key) {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(key) ? `params.${key}` : `params.\`${key.replace(/`/g, '``')}\``;
}

/** The series route's step range for a zoomed chart's range (none for the whole series). */
export function stepRange(range) {
  return range ? { from: range[0], to: range[1] } : {};
}
