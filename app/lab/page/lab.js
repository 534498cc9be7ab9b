/* coopsim lab: the page's script. Builds the controls the server declares, asks for a run when
 * one moves (one request at a time; the latest values win), and draws who gets what, the change
 * from the previous run and four SVG charts. No library, nothing loaded from elsewhere. */
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
let lab = null;          /* GET /api/controls */
let current = null;      /* the last run's results */
let previous = null;     /* the run before it */
let busy = false, again = false, changedAt = 0, runs = 0;

/* The rows of who gets what: [group, label, value(platform entry), format, shown(entries)]. */
const ROWS = [
  ['Drivers', 'Net per online hour, after vehicle costs', p => p.drivers.net_per_hour, 'money'],
  ['Drivers', 'Gross earnings per online hour', p => p.drivers.gross_per_hour, 'money'],
  ['Drivers', 'Drivers', p => p.drivers.count, 'int'],
  ['Drivers', 'Utilization (share of online time with a rider)', p => p.drivers.utilization, 'pct'],
  ['Drivers', 'Dividends paid to drivers (co-op surplus)', p => p.drivers.dividends, 'money',
    ps => ps.some(p => p.kind === 'cooperative')],
  ['Riders', 'Mean fare', p => p.riders.fare_mean, 'money'],
  ['Riders', 'Mean wait for pickup (min)', p => p.riders.wait_mean_s / 60, 'num1'],
  ['Riders', 'Served (share of requests)', p => p.riders.served / Math.max(1, p.riders.requests), 'pct'],
  ['Platform', 'Revenue kept from fares', p => p.platform.revenue, 'money0'],
  ['Platform', 'Extraction: profit leaving drivers and riders', p => p.platform.extraction, 'money0'],
  ['Platform', 'Reserve kept by the co-op', p => p.platform.reserve, 'money0',
    ps => ps.some(p => p.kind === 'cooperative')],
];

function money(v, digits) {
  return new Intl.NumberFormat('en-US', {style: 'currency', currency: lab.currency,
    minimumFractionDigits: digits, maximumFractionDigits: digits}).format(v);
}

function fmt(v, how) {
  if (v === null || v === undefined || !isFinite(v)) return '–';
  switch (how) {
    case 'money': return money(v, 2);
    case 'money0': return money(v, 0);
    case 'int': return Math.round(v).toLocaleString('en-US');
    case 'pct': return (100 * v).toFixed(1) + '%';
    default: return v.toFixed(1);
  }
}

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

/* ---- controls ------------------------------------------------------------------------------ */

function decimals(x) {
  const s = String(x);
  return s.includes('.') ? s.length - s.indexOf('.') - 1 : 0;
}

function buildControls() {
  const form = document.getElementById('controls');
  lab.controls.forEach((c, i) => {
    const div = el('div', undefined, 'control');
    const id = 'control-' + i;
    const label = el('label', c.label);
    label.htmlFor = id;
    div.appendChild(label);
    const input = document.createElement('input');
    input.id = id;
    input.name = c.key;
    if (c.kind === 'switch') {
      input.type = 'checkbox';
      input.checked = c.start === 'true';
      div.appendChild(input);
      c.value = () => (input.checked ? 'true' : 'false');
      input.addEventListener('change', changed);
    } else {
      input.type = 'range';
      input.min = c.min;
      input.max = c.max;
      input.step = c.step;
      input.value = parseFloat(c.start);
      const out = el('output');
      out.htmlFor = id;
      const show = () => { out.textContent = ' ' + c.value(); };
      const d = decimals(c.step);
      c.value = () => Number(input.value).toFixed(d) + c.unit;
      div.appendChild(input);
      div.appendChild(out);
      show();
      input.addEventListener('input', () => { show(); changed(); });
    }
    form.appendChild(div);
  });
}

function changed() {
  changedAt = performance.now();
  if (busy) { again = true; return; }
  run();
}

/* ---- runs ---------------------------------------------------------------------------------- */

async function run() {
  busy = true;
  again = false;
  const set = {};
  lab.controls.forEach(c => { set[c.key] = c.value(); });
  const status = document.getElementById('status'), error = document.getElementById('error');
  status.textContent = 'Running…';
  try {
    const r = await fetch('/api/run', {method: 'POST', headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({set})});
    const body = await r.json();
    if (!r.ok) {
      error.textContent = body.error || ('The lab answered ' + r.status);
      error.hidden = false;
      status.textContent = 'Not run.';
    } else {
      error.hidden = true;
      if (current) previous = current;
      current = body;
      draw();
      runs++;
      const ms = Math.round(performance.now() - changedAt);
      status.textContent = 'Updated in ' + ms + ' ms.';
      document.body.dataset.runs = String(runs);
      document.body.dataset.lastMs = String(ms);
    }
  } catch (e) {
    error.textContent = 'The lab did not answer (is it still running?)';
    error.hidden = false;
    status.textContent = 'Not run.';
  }
  busy = false;
  if (again) run();
}

/* ---- tables -------------------------------------------------------------------------------- */

function shownRows(ps) {
  return ROWS.filter(r => !r[4] || r[4](ps));
}

function draw() {
  const ps = current.platforms;
  const tbody = document.querySelector('#table tbody');
  tbody.replaceChildren();
  const head = el('tr');
  head.appendChild(el('th', ''));
  ps.forEach(p => head.appendChild(el('th', p.name + ' (' + p.kind + ')')));
  tbody.appendChild(head);
  let group = '';
  shownRows(ps).forEach(r => {
    if (r[0] !== group) {
      group = r[0];
      const g = el('tr', undefined, 'group');
      const th = el('th', group);
      th.colSpan = ps.length + 1;
      g.appendChild(th);
      tbody.appendChild(g);
    }
    const tr = el('tr');
    tr.appendChild(el('td', r[1]));
    ps.forEach(p => tr.appendChild(el('td', fmt(r[2](p), r[3]))));
    tbody.appendChild(tr);
  });
  drawCompare();
  drawCharts();
}

function drawCompare() {
  const tbody = document.querySelector('#compare tbody');
  tbody.replaceChildren();
  const what = document.getElementById('compare-what');
  if (!previous) { what.textContent = 'Move a control to compare.'; return; }
  const was = previous.overrides.join(', '), now = current.overrides.join(', ');
  what.textContent = 'Before: ' + (was || 'the scenario as written') + '. Now: ' +
    (now || 'the scenario as written') + '.';
  const head = el('tr');
  head.appendChild(el('th', ''));
  current.platforms.forEach(p => {
    head.appendChild(el('th', p.name + ' before'));
    head.appendChild(el('th', 'now'));
  });
  tbody.appendChild(head);
  shownRows(current.platforms).forEach(r => {
    const tr = el('tr');
    tr.appendChild(el('td', r[1]));
    current.platforms.forEach((p, i) => {
      const q = previous.platforms[i];
      const a = q ? r[2](q) : NaN, b = r[2](p);
      tr.appendChild(el('td', fmt(a, r[3])));
      tr.appendChild(el('td', fmt(b, r[3]), b > a ? 'up' : b < a ? 'down' : ''));
    });
    tbody.appendChild(tr);
  });
}

/* ---- charts -------------------------------------------------------------------------------- */

function svgEl(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = text;
  return e;
}

const COLORS = ['#2b6cb0', '#c05621', '#2f855a', '#805ad5', '#b7791f', '#718096'];

/* A bar's height: nothing for what cannot be drawn (a share of zero bookings, say), so that no
 * NaN reaches an SVG attribute. */
function height(x) {
  return isFinite(x) ? Math.max(0, x) : 0;
}

/* Bars per platform: series is [{name, value(p), color}]; stacked or side by side. */
function barChart(title, caption, series, how, stacked) {
  const ps = current.platforms, W = 340, H = 200, L = 70, B = 40, T = 10;
  const sets = [{label: 'now', run: current}];
  if (previous && !stacked) sets.unshift({label: 'before', run: previous});
  let max = 0;
  sets.forEach(s => s.run.platforms.forEach(p => {
    const vals = series.map(se => height(se.value(p)));
    max = Math.max(max, stacked ? vals.reduce((a, b) => a + b, 0) : Math.max(...vals));
  }));
  if (!(max > 0)) max = 1;
  const svg = svgEl('svg', {width: W, height: H + 30, viewBox: '0 0 ' + W + ' ' + (H + 30),
    role: 'img', 'aria-label': title});
  const y = v => T + (H - B - T) * (1 - v / max);
  for (let k = 0; k <= 4; k++) {
    const v = max * k / 4;
    svg.appendChild(svgEl('line', {x1: L, x2: W - 5, y1: y(v), y2: y(v), stroke: '#ddd'}));
    svg.appendChild(svgEl('text', {x: L - 4, y: y(v) + 4, 'text-anchor': 'end'}, fmt(v, how)));
  }
  const slot = (W - L - 10) / ps.length;
  ps.forEach((p, i) => {
    const x0 = L + 5 + i * slot;
    svg.appendChild(svgEl('text', {x: x0 + slot / 2 - 5, y: H - B + 14, 'text-anchor': 'middle'},
      p.name));
    const bw = (slot - 15) / (stacked ? 1 : sets.length * series.length);
    sets.forEach((s, si) => {
      const q = s.run.platforms[i];
      if (!q) return;
      let acc = 0;
      series.forEach((se, k) => {
        const v = height(se.value(q));
        const x = stacked ? x0 : x0 + (si * series.length + k) * bw;
        const top = stacked ? acc + v : v;
        const r = svgEl('rect', {x, y: y(top), width: Math.max(1, bw - 2), height: y(acc) - y(top),
          fill: se.color, opacity: s.label === 'before' ? 0.4 : 1});
        r.appendChild(svgEl('title', {}, se.name + ' (' + s.label + '): ' + fmt(v, how)));
        svg.appendChild(r);
        if (stacked) acc += v;
      });
    });
  });
  let lx = L;
  series.forEach(se => {
    svg.appendChild(svgEl('rect', {x: lx, y: H - 12, width: 10, height: 10, fill: se.color}));
    svg.appendChild(svgEl('text', {x: lx + 14, y: H - 3}, se.name));
    lx += 16 + 6.5 * se.name.length;
  });
  if (previous && !stacked)
    svg.appendChild(svgEl('text', {x: L, y: H + 14}, 'pale bars: the previous run'));
  const fig = el('figure');
  fig.appendChild(el('figcaption', title));
  fig.appendChild(svg);
  fig.appendChild(el('figcaption', caption, 'hint'));
  return fig;
}

function drawCharts() {
  const charts = document.getElementById('charts');
  charts.replaceChildren(
    barChart('Drivers: pay per online hour', 'Net is after vehicle costs (fuel, wear).',
      [{name: 'net', value: p => p.drivers.net_per_hour, color: COLORS[0]},
       {name: 'gross', value: p => p.drivers.gross_per_hour, color: COLORS[5]}], 'money', false),
    barChart('Riders: average wait for a driver', 'Minutes from request to pickup.',
      [{name: 'wait (min)', value: p => p.riders.wait_mean_s / 60, color: COLORS[1]}], 'num1',
      false),
    barChart('Where each fare goes', 'Share of what riders paid: to drivers, to running the ' +
      'platform, and profit that leaves (extraction).',
      [{name: 'drivers', value: p => p.platform.driver_pay / p.platform.gross_bookings,
        color: COLORS[2]},
       {name: 'costs', value: p => p.platform.operating_costs / p.platform.gross_bookings,
        color: COLORS[5]},
       {name: 'extraction', value: p => Math.max(0, p.platform.extraction) /
        p.platform.gross_bookings, color: COLORS[1]}], 'pct', true),
    barChart('Riders: what happened to requests', 'Share of all requests of the day.',
      [{name: 'served', value: p => p.riders.served / p.riders.requests, color: COLORS[2]},
       {name: 'refused price', value: p => p.riders.refused_quote / p.riders.requests,
        color: COLORS[4]},
       {name: 'gave up', value: p => p.riders.abandoned / p.riders.requests, color: COLORS[1]}],
      'pct', true));
}

/* ---- start --------------------------------------------------------------------------------- */

async function start() {
  const r = await fetch('/api/controls');
  lab = await r.json();
  document.getElementById('title').textContent = lab.title || lab.scenario;
  document.title = 'coopsim lab: ' + (lab.title || lab.scenario);
  document.getElementById('notes').textContent = lab.notes;
  buildControls();
  changedAt = performance.now();
  run();
}

document.addEventListener('DOMContentLoaded', () => {
  start().catch(() => {
    const e = document.getElementById('error');
    e.textContent = 'The lab did not answer (is it still running?)';
    e.hidden = false;
  });
});
