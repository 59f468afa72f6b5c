// Pulse dashboard: plain JS, every value from the API is shown with textContent (never innerHTML), since event
// names and property values come from anyone holding a write key.
'use strict';

const RANGES = { minute: 3600e3, hour: 24 * 3600e3, day: 30 * 24 * 3600e3 };
const TOPS = ['path', 'referrer', 'country', 'device'];
const REFRESH_MS = 10000;
const LIVE_MS = 5000;
const MAX_LIVE_ROWS = 50;

const state = { project: null, key: null, event: null, chart: null, source: null, timers: [] };
window.__pulse = state; // for the browser test and for curious people

function $(id) { return document.getElementById(id); }

function status(text) { $('status').textContent = text || ''; }

async function api(path, params) {
  const url = new URL(`/v1/projects/${encodeURIComponent(state.project)}${path}`, location.origin);
  Object.entries(params || {}).forEach(([k, v]) => { if (v !== undefined && v !== '') url.searchParams.set(k, v); });
  const response = await fetch(url, { headers: { Authorization: `Bearer ${state.key}` } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(body.message ? `${response.status}: ${body.message}` : `HTTP ${response.status}`);
  }
  return body;
}

function range() {
  const interval = $('interval').value;
  const to = Date.now();
  return { interval, from: new Date(to - RANGES[interval]).toISOString() };
}

function label(time, interval) {
  const d = new Date(time);
  if (interval === 'day') return d.toLocaleDateString();
  return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

const COLORS = ['#2563eb', '#16a34a', '#dc2626', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#9ca3af'];

async function loadTrend() {
  const { interval, from } = range();
  const breakdown = $('breakdown').value;
  const trend = await api('/insights/trends', { event: state.event, interval, from, breakdown, tz: Intl.DateTimeFormat().resolvedOptions().timeZone });
  $('total-events').textContent = trend.total.events.toLocaleString();
  $('total-persons').textContent = trend.total.persons.toLocaleString();
  const labels = trend.series.map(p => label(p.time, interval));
  const datasets = trend.breakdown
    ? trend.breakdown.values.map((v, i) => ({ label: v.value, data: v.series.map(p => p.events), borderColor: COLORS[i % COLORS.length], backgroundColor: COLORS[i % COLORS.length], pointRadius: 0 }))
    : [{ label: `${state.event} (events)`, data: trend.series.map(p => p.events), borderColor: COLORS[0], backgroundColor: COLORS[0], pointRadius: 0 },
       { label: 'unique persons', data: trend.series.map(p => p.persons), borderColor: COLORS[1], backgroundColor: COLORS[1], pointRadius: 0 }];
  if (!state.chart) {
    state.chart = new Chart($('trend'), { type: 'line', data: { labels, datasets }, options: { animation: false, responsive: true, interaction: { mode: 'index', intersect: false }, scales: { y: { beginAtZero: true } } } });
  } else {
    state.chart.data.labels = labels;
    state.chart.data.datasets = datasets;
    state.chart.update();
  }
}

function fillTable(table, rows) {
  const body = table.tBodies[0];
  body.replaceChildren();
  if (rows.length === 0) {
    const tr = body.insertRow();
    tr.insertCell().textContent = 'no data';
    return;
  }
  rows.forEach(row => {
    const tr = body.insertRow();
    tr.insertCell().textContent = row.value;
    const n = tr.insertCell();
    n.className = 'n';
    n.textContent = row.events.toLocaleString();
  });
}

async function loadTops() {
  const { from } = range();
  await Promise.all(TOPS.map(async dimension => {
    const top = await api('/insights/top', { dimension, from, limit: 8 });
    fillTable($(`top-${dimension}`), top.values);
  }));
}

async function loadLive() {
  const live = await api('/live');
  $('live-persons').textContent = live.activePersons.toLocaleString();
  $('live-events').textContent = live.eventsLastMinute.toLocaleString();
}

async function refresh() {
  try {
    await Promise.all([loadTrend(), loadTops()]);
    $('updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
    status('');
  } catch (e) {
    status(e.message);
  }
}

async function refreshLive() {
  try { await loadLive(); } catch (e) { status(e.message); }
}

function addLiveEvent(message) {
  let event = {};
  try { event = JSON.parse(message.data).event || {}; } catch (ignored) { /* shown without details */ }
  const li = document.createElement('li');
  const time = document.createElement('span');
  time.className = 'time';
  time.textContent = new Date(event.timestamp || Date.now()).toLocaleTimeString();
  const name = document.createElement('span');
  name.className = 'name';
  name.textContent = event.event || event.name || event.type || '(event)';
  const person = document.createElement('span');
  person.className = 'person';
  person.textContent = event.userId || event.anonymousId || '';
  li.append(time, name, person);
  const list = $('live-list');
  list.prepend(li);
  while (list.children.length > MAX_LIVE_ROWS) list.lastElementChild.remove();
}

function follow() {
  if (state.source) state.source.close();
  // EventSource cannot send an Authorization header: the stream endpoint takes the read key as ?key=.
  const url = new URL(`/v1/projects/${encodeURIComponent(state.project)}/stream`, location.origin);
  url.searchParams.set('key', state.key);
  state.source = new EventSource(url);
  state.source.addEventListener('event', addLiveEvent);
  state.source.onerror = () => status('live stream interrupted, reconnecting…');
  state.source.onopen = () => status('');
}

function start() {
  state.timers.forEach(clearInterval);
  $('board').hidden = false;
  refresh();
  refreshLive();
  follow();
  state.timers = [setInterval(refresh, REFRESH_MS), setInterval(refreshLive, LIVE_MS)];
}

$('connect').addEventListener('submit', e => {
  e.preventDefault();
  state.project = $('project').value.trim();
  state.key = $('key').value.trim();
  state.event = $('event').value.trim();
  sessionStorage.setItem('pulse.dashboard', JSON.stringify({ project: state.project, key: state.key, event: state.event }));
  start();
});
$('interval').addEventListener('change', refresh);
$('breakdown').addEventListener('change', refresh);

// Remember the last project for this tab only (sessionStorage), never in the URL.
const saved = JSON.parse(sessionStorage.getItem('pulse.dashboard') || 'null');
if (saved) {
  $('project').value = saved.project;
  $('key').value = saved.key;
  $('event').value = saved.event;
}
