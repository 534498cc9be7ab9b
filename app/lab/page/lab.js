/* coopsim lab: the page's script. Builds the controls the server declares, asks for a run when
 * one moves (one request at a time; the latest values win), and draws who gets what, the change
 * from the previous run, four SVG charts and an animated map of the busiest hour. No library,
 * nothing loaded from elsewhere. */
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
      body: JSON.stringify({set, map: true})});
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
  setMaps(current.maps);
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

/* ---- the map ------------------------------------------------------------------------------- */

/* Each platform's recorded frames (the server's map recorder), drawn side by side with one
 * clock: drivers glide between frames, riders and surge change at each frame. */
const MAP = {maps: [], frames: 0, pos: 0, playing: true, last: 0, svgs: [], shownFrame: -1};
const FRAMES_PER_SECOND = 4;
const STATE_COLOR = {1: '#9aa0a6', 2: '#dd8a00', 3: '#2f855a'};

function clock(s) {
  const d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
  return (d > 0 ? 'day ' + (d + 1) + ', ' : '') + String(h).padStart(2, '0') + ':' +
    String(m).padStart(2, '0');
}

function setMaps(maps) {
  const section = document.getElementById('map-section');
  MAP.maps = (maps || []).filter(m => m && m.frames && m.frames.length > 0);
  if (MAP.maps.length === 0) { section.hidden = true; return; }
  section.hidden = false;
  MAP.maps.forEach(m => {
    m.byFrame = m.frames.map(f => {
      const at = new Map();
      for (let k = 0; k + 3 < f.d.length; k += 4) at.set(f.d[k], [f.d[k + 1], f.d[k + 2], f.d[k + 3]]);
      return at;
    });
  });
  MAP.frames = Math.min(...MAP.maps.map(m => m.frames.length));
  const m0 = MAP.maps[0];
  const shown = MAP.maps.map(m => m.drivers_shown < m.drivers ?
    m.platform + ': the first ' + m.drivers_shown + ' of ' + m.drivers + ' drivers' : '').filter(x => x);
  document.getElementById('map-what').textContent =
    'One run of each platform from ' + clock(m0.from_s) + ' to ' +
    clock(m0.from_s + m0.every_s * MAP.frames) + ', one picture every ' + m0.every_s +
    ' simulated seconds (at most 120 pictures, 600 drivers and 600 waiting riders are drawn' +
    (shown.length ? '; shown here: ' + shown.join(', ') : '') + '). The same riders ask on ' +
    'every platform; watch where they wait and where the free drivers are.';
  const slider = document.getElementById('map-time');
  slider.max = String(MAP.frames - 1);
  if (MAP.pos > MAP.frames - 1) MAP.pos = 0;
  const box = document.getElementById('maps');
  box.replaceChildren();
  MAP.svgs = MAP.maps.map(m => {
    const W = 360, H = Math.round(W * m.height / m.width);
    const svg = svgEl('svg', {width: W, height: H + 34, viewBox: '0 0 ' + m.width + ' ' +
      Math.round((H + 34) * m.width / W), role: 'img', 'aria-label': 'Map of ' + m.platform});
    const zones = [], zw = m.width / m.zones_x, zh = m.height / m.zones_y;
    for (let zy = 0; zy < m.zones_y; zy++)
      for (let zx = 0; zx < m.zones_x; zx++) {
        const r = svgEl('rect', {x: zx * zw, y: m.height - (zy + 1) * zh, width: zw, height: zh,
          fill: 'none', stroke: '#ddd', 'stroke-width': 2});
        const t = svgEl('text', {x: zx * zw + 10, y: m.height - zy * zh - 14,
          fill: '#9c3c06'}, '');
        /* through the CSSOM: the page's policy allows no inline style attribute, and the sheet's
         * svg text size (11px) would be 5 pixels on a map drawn at this scale */
        t.style.fontSize = Math.round(m.width / 20) + 'px';
        t.style.fontWeight = '600';
        svg.appendChild(r);
        svg.appendChild(t);
        zones.push([r, t]);
      }
    const riders = svgEl('g', {});
    const drivers = svgEl('g', {});
    svg.appendChild(riders);
    svg.appendChild(drivers);
    const caption = svgEl('text', {x: 4, y: m.height + Math.round(m.width / 22)}, '');
    caption.style.fontSize = Math.round(m.width / 26) + 'px';
    svg.appendChild(caption);
    const fig = el('figure');
    fig.appendChild(el('figcaption', m.platform + (m.surge ? ' (surges)' : '')));
    fig.appendChild(svg);
    const text = el('figcaption', '', 'hint');
    fig.appendChild(text);
    box.appendChild(fig);
    return {m, zones, riders, drivers, dots: new Map(), caption, text};
  });
  MAP.shownFrame = -1;
  drawMap();
}

/* Frame f of one map: riders, zones and the counts (they change only at frames). */
function drawFrame(v, f) {
  const m = v.m, fr = m.frames[f], sz = Math.max(6, m.width / 90);
  v.riders.replaceChildren();
  for (let k = 0; k + 2 < fr.r.length; k += 3) {
    const hollow = fr.r[k + 2] === 1;
    v.riders.appendChild(svgEl('rect', {x: fr.r[k] - sz / 2, y: m.height - fr.r[k + 1] - sz / 2,
      width: sz, height: sz, fill: hollow ? 'none' : '#c53030', stroke: '#c53030',
      'stroke-width': hollow ? sz / 4 : 0}));
  }
  v.zones.forEach(([r, t], z) => {
    const s = fr.surge ? fr.surge[z] : 1;
    r.setAttribute('fill', s > 1.001 ? 'rgba(221,107,32,' + Math.min(0.6, 0.15 + (s - 1) / 3) + ')'
      : 'none');
    t.textContent = s > 1.001 ? s.toFixed(1) + '×' : '';
  });
  let idle = 0, pickup = 0, trip = 0;
  m.byFrame[f].forEach(d => { if (d[2] === 1) idle++; else if (d[2] === 2) pickup++; else trip++; });
  v.caption.textContent = clock(fr.t);
  v.text.textContent = fr.online + ' drivers online: ' + idle + ' waiting for a request, ' +
    pickup + ' driving to a rider, ' + trip + ' carrying one' +
    (m.drivers_shown < m.drivers ? ' (drawn: the first ' + m.drivers_shown + ')' : '') + '. ' +
    fr.waiting + ' riders waiting for a pickup.';
}

function drawMap() {
  const f = Math.min(MAP.frames - 1, Math.floor(MAP.pos)), a = MAP.pos - f;
  const g = Math.min(MAP.frames - 1, f + 1);
  MAP.svgs.forEach(v => {
    const m = v.m, now = m.byFrame[f], next = m.byFrame[g], r = Math.max(8, m.width / 70);
    if (MAP.shownFrame !== f) drawFrame(v, f);
    const seen = new Set();
    now.forEach((d, id) => {
      seen.add(id);
      let c = v.dots.get(id);
      if (!c) {
        c = svgEl('circle', {r});
        v.drivers.appendChild(c);
        v.dots.set(id, c);
      }
      const n = next.get(id) || d;
      c.setAttribute('cx', d[0] + a * (n[0] - d[0]));
      c.setAttribute('cy', m.height - (d[1] + a * (n[1] - d[1])));
      c.setAttribute('fill', STATE_COLOR[d[2]] || '#9aa0a6');
    });
    v.dots.forEach((c, id) => { if (!seen.has(id)) { c.remove(); v.dots.delete(id); } });
  });
  MAP.shownFrame = f;
  document.getElementById('map-time').value = String(f);
  document.getElementById('map-clock').textContent = clock(MAP.maps[0].frames[f].t);
  document.body.dataset.mapFrame = String(f);
}

function mapTick(t) {
  if (MAP.playing && MAP.frames > 1) {
    const dt = MAP.last ? (t - MAP.last) / 1000 : 0;
    MAP.pos += dt * FRAMES_PER_SECOND;
    if (MAP.pos >= MAP.frames - 1) MAP.pos = 0;
    drawMap();
  }
  MAP.last = t;
  requestAnimationFrame(mapTick);
}

function mapControls() {
  const play = document.getElementById('map-play'), slider = document.getElementById('map-time');
  play.addEventListener('click', () => {
    MAP.playing = !MAP.playing;
    play.textContent = MAP.playing ? 'Pause' : 'Play';
  });
  slider.addEventListener('input', () => {
    MAP.playing = false;
    play.textContent = 'Play';
    MAP.pos = Number(slider.value);
    if (MAP.maps.length) drawMap();
  });
  requestAnimationFrame(mapTick);
}

/* ---- start --------------------------------------------------------------------------------- */

async function start() {
  const r = await fetch('/api/controls');
  lab = await r.json();
  document.getElementById('title').textContent = lab.title || lab.scenario;
  document.title = 'coopsim lab: ' + (lab.title || lab.scenario);
  document.getElementById('notes').textContent = lab.notes;
  buildControls();
  mapControls();
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
