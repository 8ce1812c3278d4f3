// Cairn's line charts on a canvas: overlaid series with a min/max band per bucket, nice ticks, a
// log-scale y axis, TensorBoard's debiased exponential smoothing, drag-to-zoom on x (double-click
// resets) and a hover tooltip. No dependencies.
//
// For tests the canvas carries `canvas.cairnChart` (this object): `series` (label, runId, color as
// "rgb(r, g, b)") and `pixelFor(i, step)`, the bitmap pixel where series i's unsmoothed line passes.

export const PALETTE = [
  [31, 119, 180], [214, 39, 40], [44, 160, 44], [148, 103, 189], [255, 127, 14],
  [23, 190, 207], [227, 119, 194], [140, 86, 75], [188, 189, 34], [80, 80, 80],
];

export function colorOf(index) {
  const [r, g, b] = PALETTE[index % PALETTE.length];
  return `rgb(${r}, ${g}, ${b})`;
}

function rgba(color, alpha) {
  return color.replace('rgb(', 'rgba(').replace(')', `, ${alpha})`);
}

const MARGIN = { left: 58, right: 14, top: 10, bottom: 26 };

/** Ticks at 1, 2 or 5 times a power of ten covering [lo, hi], about `count` of them. */
export function niceTicks(lo, hi, count) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const unit = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) || 10 * power;
  const ticks = [];
  for (let v = Math.ceil(lo / unit) * unit; v <= hi + unit * 1e-9; v += unit) ticks.push(Math.abs(v) < unit * 1e-9 ? 0 : v);
  return ticks;
}

export function formatNumber(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '-∞';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(2);
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(4)));
}

/** TensorBoard's smoothing: an exponential moving average, debiased, that skips non-finite points. */
export function smooth(values, weight) {
  const out = new Float64Array(values.length);
  let last = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) { out[i] = v; continue; }
    last = last * weight + (1 - weight) * v;
    n++;
    out[i] = weight === 1 ? last : last / (1 - Math.pow(weight, n));
  }
  return out;
}

export class Chart {
  /** @param {HTMLElement} host  the element the chart is built in */
  constructor(host, title) {
    this.smoothing = 0;
    this.logY = false;
    this.xRange = null;
    this.series = [];
    this.root = document.createElement('div');
    this.root.className = 'chart';
    const head = document.createElement('div');
    head.className = 'chart-title';
    head.textContent = title;
    this.body = document.createElement('div');
    this.body.className = 'chart-body';
    this.canvas = document.createElement('canvas');
    this.canvas.cairnChart = this;
    this.selection = document.createElement('div');
    this.selection.className = 'chart-sel';
    this.selection.hidden = true;
    this.guide = document.createElement('div');
    this.guide.className = 'chart-guide';
    this.guide.hidden = true;
    this.tip = document.createElement('div');
    this.tip.className = 'chart-tip';
    this.tip.hidden = true;
    this.legend = document.createElement('div');
    this.legend.className = 'chart-legend';
    this.body.append(this.canvas, this.selection, this.guide, this.tip);
    this.root.append(head, this.body, this.legend);
    host.append(this.root);
    this.listen();
    this.observer = new ResizeObserver(() => this.draw());
    this.observer.observe(this.body);
  }

  /** Device pixels across the plot: how many buckets to ask for. */
  get pointsWanted() {
    const width = this.body.clientWidth || 600;
    return Math.min(100000, Math.round(Math.max(50, (width - MARGIN.left - MARGIN.right) * (window.devicePixelRatio || 1))));
  }

  /**
   * Fetches the series again through `this.loader` ((points, range) → series list, or null to keep
   * what is drawn): as many buckets as the plot has pixels, over the zoomed steps only when zoomed
   * (range [from, to]; null for all), so a zoomed chart is as fine as the data. Pages set the loader;
   * zooming and resetting the zoom call it.
   */
  async reload() {
    if (!this.loader) return;
    const points = this.pointsWanted;
    const range = this.xRange ? [Math.floor(this.xRange[0]), Math.ceil(this.xRange[1])] : null;
    const list = await this.loader(points, range);
    if (!list) return;
    this.loadedPoints = points;
    this.loadedRange = range;
    this.setSeries(list);
  }

  /**
   * @param {Array<{label: string, runId?: string, color?: string, buckets: Array}>} list
   *   buckets as the API's series: {step, last_step, value, min, max}
   */
  setSeries(list) {
    this.series = list.map((s, i) => {
      const n = s.buckets.length;
      const xs = new Float64Array(n), ys = new Float64Array(n), lo = new Float64Array(n), hi = new Float64Array(n);
      s.buckets.forEach((b, j) => {
        xs[j] = b.last_step ?? b.step;
        ys[j] = b.value ?? NaN;
        lo[j] = b.min ?? ys[j];
        hi[j] = b.max ?? ys[j];
      });
      return { label: s.label, runId: s.runId, color: s.color || colorOf(i), xs, ys, lo, hi };
    });
    let x0 = Infinity, x1 = -Infinity;
    for (const s of this.series) if (s.xs.length) { x0 = Math.min(x0, s.xs[0]); x1 = Math.max(x1, s.xs[s.xs.length - 1]); }
    this.extent = Number.isFinite(x0) ? [x0, x1] : null;
    this.renderLegend();
    this.draw();
  }

  setOptions({ smoothing, logY }) {
    if (smoothing !== undefined) this.smoothing = smoothing;
    if (logY !== undefined) this.logY = logY;
    this.draw();
  }

  destroy() {
    this.observer.disconnect();
    this.unlisten();
    this.root.remove();
  }

  renderLegend() {
    this.legend.replaceChildren(...this.series.map((s) => {
      const item = document.createElement('span');
      item.className = 'legend-item';
      const swatch = document.createElement('i');
      swatch.style.background = s.color;
      item.append(swatch, document.createTextNode(s.label));
      return item;
    }));
    this.legend.hidden = this.series.length < 2;
  }

  // Geometry

  ty(v) { return this.logY ? (v > 0 ? Math.log10(v) : NaN) : v; }

  computeDomain() {
    let x0 = Infinity, x1 = -Infinity;
    for (const s of this.series) {
      if (s.xs.length) { x0 = Math.min(x0, s.xs[0]); x1 = Math.max(x1, s.xs[s.xs.length - 1]); }
    }
    if (this.xRange) [x0, x1] = this.xRange;
    if (!Number.isFinite(x0)) { x0 = 0; x1 = 1; }
    if (x0 === x1) { x0 -= 1; x1 += 1; }
    let y0 = Infinity, y1 = -Infinity;
    for (const s of this.series) {
      for (let j = 0; j < s.xs.length; j++) {
        if (s.xs[j] < x0 || s.xs[j] > x1) continue;
        for (const v of [this.ty(s.lo[j]), this.ty(s.hi[j]), this.ty(s.ys[j])]) {
          if (Number.isFinite(v)) { if (v < y0) y0 = v; if (v > y1) y1 = v; }
        }
      }
    }
    if (!Number.isFinite(y0)) { y0 = 0; y1 = 1; }
    if (y0 === y1) { const d = Math.abs(y0) * 0.1 || 1; y0 -= d; y1 += d; }
    const pad = (y1 - y0) * 0.04;
    return { x0, x1, y0: y0 - pad, y1: y1 + pad };
  }

  layout() {
    const width = this.body.clientWidth || 600;
    const height = this.body.clientHeight || 240;
    return { width, height, left: MARGIN.left, top: MARGIN.top, right: width - MARGIN.right, bottom: height - MARGIN.bottom };
  }

  // CSS pixel coordinates.
  px(x) { const { x0, x1 } = this.domain; const g = this.geom; return g.left + (x - x0) / (x1 - x0) * (g.right - g.left); }
  py(tv) { const { y0, y1 } = this.domain; const g = this.geom; return g.bottom - (tv - y0) / (y1 - y0) * (g.bottom - g.top); }
  stepAt(cssX) { const { x0, x1 } = this.domain; const g = this.geom; return x0 + (cssX - g.left) / (g.right - g.left) * (x1 - x0); }

  /** Where series i's unsmoothed line passes at `step`, in canvas bitmap pixels (null: no line there). */
  pixelFor(index, step) {
    const s = this.series[index];
    if (!s || !this.geom || !s.xs.length) return null;
    const xs = s.xs;
    let j = lowerBound(xs, step);
    let value;
    if (j < xs.length && xs[j] === step) value = s.ys[j];
    else if (j === 0 || j === xs.length) value = s.ys[Math.min(j, xs.length - 1)];
    else {
      const t = (step - xs[j - 1]) / (xs[j] - xs[j - 1]);
      value = s.ys[j - 1] + t * (s.ys[j] - s.ys[j - 1]);
      if (this.logY) value = Math.pow(10, this.ty(s.ys[j - 1]) + t * (this.ty(s.ys[j]) - this.ty(s.ys[j - 1])));
    }
    const tv = this.ty(value);
    if (!Number.isFinite(tv)) return null;
    const dpr = this.dpr;
    const x = Math.min(Math.max(step, xs[0]), xs[xs.length - 1]);
    return { x: Math.round(this.px(x) * dpr), y: Math.round(this.py(tv) * dpr) };
  }

  // Drawing

  draw() {
    const g = this.layout();
    const dpr = window.devicePixelRatio || 1;
    const W = Math.round(g.width * dpr), H = Math.round(g.height * dpr);
    if (this.canvas.width !== W || this.canvas.height !== H) {
      this.canvas.width = W;
      this.canvas.height = H;
      this.canvas.style.width = g.width + 'px';
      this.canvas.style.height = g.height + 'px';
    }
    this.dpr = dpr;
    this.geom = g;
    this.domain = this.computeDomain();
    const ctx = this.canvas.getContext('2d');
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, W, H);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.drawAxes(ctx, g);
    ctx.save();
    ctx.beginPath();
    ctx.rect(g.left, g.top, g.right - g.left, g.bottom - g.top);
    ctx.clip();
    for (const s of this.series) this.drawBand(ctx, s);
    const smoothing = this.smoothing;
    for (const s of this.series) {
      if (smoothing > 0) {
        this.drawLine(ctx, s.xs, s.ys, rgba(s.color, 0.25), 1);
      } else {
        this.drawLine(ctx, s.xs, s.ys, s.color, 1.5);
      }
    }
    if (smoothing > 0) {
      for (const s of this.series) this.drawLine(ctx, s.xs, smooth(s.ys, smoothing), s.color, 1.5);
    }
    ctx.restore();
  }

  drawAxes(ctx, g) {
    const { x0, x1, y0, y1 } = this.domain;
    const style = getComputedStyle(this.root);
    const ink = style.getPropertyValue('--chart-ink').trim() || '#666';
    const grid = style.getPropertyValue('--chart-grid').trim() || '#e5e5e5';
    ctx.font = '11px system-ui, sans-serif';
    ctx.lineWidth = 1;
    ctx.strokeStyle = grid;
    ctx.fillStyle = ink;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    let yTicks;
    if (this.logY && y1 - y0 >= 1) {
      yTicks = [];
      for (let p = Math.ceil(y0); p <= Math.floor(y1); p++) yTicks.push(p);
      if (yTicks.length > 8) yTicks = yTicks.filter((_, i) => i % Math.ceil(yTicks.length / 8) === 0);
    } else if (this.logY) {
      // Less than a decade: nice values, placed on the log axis.
      yTicks = niceTicks(Math.pow(10, y0), Math.pow(10, y1), Math.max(2, Math.floor((g.bottom - g.top) / 40)))
        .filter((v) => v > 0).map(Math.log10);
    } else {
      yTicks = niceTicks(y0, y1, Math.max(2, Math.floor((g.bottom - g.top) / 40)));
    }
    ctx.beginPath();
    for (const t of yTicks) {
      const y = Math.round(this.py(t)) + 0.5;
      ctx.moveTo(g.left, y);
      ctx.lineTo(g.right, y);
      ctx.fillText(formatNumber(this.logY ? Math.pow(10, t) : t), g.left - 6, y);
    }
    const xTicks = niceTicks(x0, x1, Math.max(2, Math.floor((g.right - g.left) / 90))).filter((t) => Number.isInteger(t) || x1 - x0 < 10);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const t of xTicks) {
      const x = Math.round(this.px(t)) + 0.5;
      ctx.moveTo(x, g.top);
      ctx.lineTo(x, g.bottom);
      ctx.fillText(formatNumber(t), x, g.bottom + 6);
    }
    ctx.stroke();
    ctx.textAlign = 'right';
    ctx.fillText('step', g.right, g.bottom + 16);
    ctx.strokeStyle = ink;
    ctx.beginPath();
    ctx.moveTo(g.left + 0.5, g.top);
    ctx.lineTo(g.left + 0.5, g.bottom + 0.5);
    ctx.lineTo(g.right, g.bottom + 0.5);
    ctx.stroke();
  }

  drawBand(ctx, s) {
    const n = s.xs.length;
    ctx.fillStyle = rgba(s.color, 0.15);
    let start = -1;
    const flush = (end) => {
      if (start < 0) return;
      ctx.beginPath();
      for (let j = start; j < end; j++) ctx.lineTo(this.px(s.xs[j]), this.py(this.ty(s.hi[j])));
      for (let j = end - 1; j >= start; j--) ctx.lineTo(this.px(s.xs[j]), this.py(this.ty(s.lo[j])));
      ctx.closePath();
      ctx.fill();
      start = -1;
    };
    for (let j = 0; j < n; j++) {
      const ok = Number.isFinite(this.ty(s.lo[j])) && Number.isFinite(this.ty(s.hi[j]));
      if (ok && s.lo[j] !== s.hi[j]) { if (start < 0) start = j; } else flush(j);
    }
    flush(n);
  }

  drawLine(ctx, xs, ys, color, width) {
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    ctx.lineJoin = 'round';
    ctx.beginPath();
    let pen = false;
    let lone = [];
    for (let j = 0; j < xs.length; j++) {
      const tv = this.ty(ys[j]);
      if (!Number.isFinite(tv)) { pen = false; continue; }
      const x = this.px(xs[j]), y = this.py(tv);
      if (pen) ctx.lineTo(x, y);
      else {
        ctx.moveTo(x, y);
        const next = j + 1 < xs.length ? this.ty(ys[j + 1]) : NaN;
        if (!Number.isFinite(next)) lone.push([x, y]);
      }
      pen = true;
    }
    ctx.stroke();
    ctx.fillStyle = color;
    for (const [x, y] of lone) { ctx.beginPath(); ctx.arc(x, y, 2.5, 0, 2 * Math.PI); ctx.fill(); }
  }

  // Interaction

  listen() {
    let dragFrom = null;
    const cssX = (e) => e.clientX - this.canvas.getBoundingClientRect().left;
    this.canvas.addEventListener('mousedown', (e) => {
      if (e.button !== 0) return;
      dragFrom = cssX(e);
      e.preventDefault();
    });
    const move = (e) => {
      if (dragFrom === null) return;
      const x = Math.min(Math.max(cssX(e), this.geom.left), this.geom.right);
      this.selection.hidden = false;
      this.selection.style.left = Math.min(dragFrom, x) + 'px';
      this.selection.style.width = Math.abs(x - dragFrom) + 'px';
      this.selection.style.top = this.geom.top + 'px';
      this.selection.style.height = (this.geom.bottom - this.geom.top) + 'px';
    };
    const up = (e) => {
      if (dragFrom === null) return;
      const x = cssX(e);
      this.selection.hidden = true;
      if (Math.abs(x - dragFrom) > 4) {
        const a = this.stepAt(Math.min(dragFrom, x)), b = this.stepAt(Math.max(dragFrom, x));
        this.xRange = [a, b];
        this.draw();
        if (this.loader) this.reload().catch(() => {}); // a failed fetch keeps the coarser data drawn
      }
      dragFrom = null;
    };
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
    this.unlisten = () => { window.removeEventListener('mousemove', move); window.removeEventListener('mouseup', up); };
    this.canvas.addEventListener('dblclick', () => {
      this.xRange = null;
      this.draw();
      if (this.loader && this.loadedRange) this.reload().catch(() => {});
    });
    this.canvas.addEventListener('mousemove', (e) => this.hover(cssX(e), e.clientY - this.canvas.getBoundingClientRect().top));
    this.canvas.addEventListener('mouseleave', () => { this.tip.hidden = true; this.guide.hidden = true; });
  }

  hover(x, y) {
    const g = this.geom;
    if (!g || x < g.left || x > g.right || !this.series.length) { this.tip.hidden = true; this.guide.hidden = true; return; }
    const step = this.stepAt(x);
    const rows = [];
    let shownStep = null;
    for (const s of this.series) {
      if (!s.xs.length) continue;
      let j = lowerBound(s.xs, step);
      if (j === s.xs.length || (j > 0 && step - s.xs[j - 1] < s.xs[j] - step)) j = Math.max(0, j - 1);
      if (shownStep === null) shownStep = s.xs[j];
      const values = this.smoothing > 0 ? smooth(s.ys, this.smoothing) : s.ys;
      rows.push([s, s.xs[j], values[j]]);
    }
    const head = document.createElement('div');
    head.className = 'tip-step';
    head.textContent = `step ${shownStep}`;
    const lines = rows.map(([s, st, v]) => {
      const line = document.createElement('div');
      const swatch = document.createElement('i');
      swatch.style.background = s.color;
      const label = this.series.length > 1 ? `${s.label}: ` : '';
      line.append(swatch, document.createTextNode(`${label}${formatNumber(v)}${st !== shownStep ? ` (step ${st})` : ''}`));
      return line;
    });
    this.tip.replaceChildren(head, ...lines);
    this.tip.hidden = false;
    const left = x + 12 + this.tip.offsetWidth > g.width ? x - 12 - this.tip.offsetWidth : x + 12;
    this.tip.style.left = left + 'px';
    this.tip.style.top = Math.max(0, y - 10) + 'px';
    this.guide.hidden = false;
    this.guide.style.left = Math.round(this.px(shownStep)) + 'px';
    this.guide.style.top = g.top + 'px';
    this.guide.style.height = (g.bottom - g.top) + 'px';
  }
}

function lowerBound(xs, v) {
  let lo = 0, hi = xs.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (xs[mid] < v) lo = mid + 1; else hi = mid; }
  return lo;
}

/** A toolbar (smoothing slider, log toggle) that applies to every chart `charts()` returns. */
export function chartControls(charts) {
  const bar = document.createElement('div');
  bar.className = 'chart-controls';
  const smoothLabel = document.createElement('label');
  const slider = Object.assign(document.createElement('input'), { type: 'range', min: '0', max: '0.99', step: '0.01', value: '0', id: 'smoothing' });
  const shown = document.createElement('output');
  shown.textContent = '0';
  smoothLabel.append('Smoothing ', slider, shown);
  const logLabel = document.createElement('label');
  const log = Object.assign(document.createElement('input'), { type: 'checkbox', id: 'log-scale' });
  logLabel.append(log, ' Log scale');
  const hint = document.createElement('span');
  hint.className = 'muted';
  hint.textContent = 'Drag to zoom, double-click to reset';
  bar.append(smoothLabel, logLabel, hint);
  slider.addEventListener('input', () => {
    shown.textContent = slider.value;
    for (const c of charts()) c.setOptions({ smoothing: Number(slider.value) });
  });
  log.addEventListener('change', () => { for (const c of charts()) c.setOptions({ logY: log.checked }); });
  bar.current = () => ({ smoothing: Number(slider.value), logY: log.checked });
  return bar;
}
