import { BrowserQRCodeReader } from '@zxing/browser';
import { DecodeHintType } from '@zxing/library';
import { parseCode, expiryDate } from './codes.js';
import { offlineVerdict, todayInVietnam } from './verdict.js';
import * as queue from './queue.js';
import { TEXTS, LOOK } from './texts.js';

const $ = id => document.getElementById(id);
const store = {
  get: k => { try { return JSON.parse(localStorage.getItem('inspector.' + k)); } catch { return null; } },
  set: (k, v) => localStorage.setItem('inspector.' + k, JSON.stringify(v)),
};
// Vietnamese first; English on request (?lang=en or the switch, remembered).
let lang = new URLSearchParams(location.search).get('lang') || store.get('lang') || 'vi';
if (!TEXTS[lang]) lang = 'vi';
let t = TEXTS[lang];
let current = null; // { code, verdict }
const reader = new BrowserQRCodeReader();
// A picked image is one pose only, and ZXing's detector misreads some codes in some poses; an image
// that is just the code (a screenshot, a label file) still reads when sampled as a pure barcode.
const pureReader = new BrowserQRCodeReader(new Map([[DecodeHintType.PURE_BARCODE, true]]));
let scanner = null;

function render() {
  t = TEXTS[lang];
  document.documentElement.lang = lang;
  document.querySelectorAll('[data-t]').forEach(el => { el.textContent = t[el.dataset.t]; });
  document.querySelectorAll('[data-ph]').forEach(el => { el.placeholder = t[el.dataset.ph]; });
  const select = $('result');
  const value = select.value;
  select.replaceChildren(...[...Object.keys(t.verdicts).filter(v => v !== 'unverified' && v !== 'invalid_code').map(v => [v, t.verdicts[v]]), ...Object.entries(t.results)]
    .map(([v, label]) => Object.assign(document.createElement('option'), { value: v, textContent: label })));
  if (value) select.value = value;
  showNetwork();
  // The server's reasons are in the language asked for: ask again in the new one.
  if (current && !current.offline && current.lang !== lang) check(current.code, { record: false });
  else if (current) showVerdict(current);
}

function showNetwork() {
  const on = navigator.onLine;
  $('net').textContent = on ? t.online : t.offline;
  $('net').className = on ? 'pill on' : 'pill off';
  const ready = !!store.get('keys');
  $('ready').textContent = ready ? t.ready : t.notReady;
  $('ready').dataset.ready = String(ready && !!navigator.serviceWorker?.controller);
}

async function refreshQueue() {
  const left = (await queue.all()).length;
  $('queue-count').textContent = String(left);
  $('queue').hidden = left === 0;
}

async function flush() {
  if (!navigator.onLine) return;
  await queue.flush(store.get('key'), (_item, saved) => showSent(saved));
  await refreshQueue();
}

function message(text) { $('message').textContent = text; }

/** Keys and the recall list, kept for offline checks (the service worker caches them too). */
async function refreshData() {
  for (const [name, url] of [['keys', '/.well-known/traceability-keys'], ['warnings', '/api/v1/warnings']]) {
    try {
      const r = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-cache' });
      if (r.ok) { store.set(name, await r.json()); store.set(name + 'At', new Date().toISOString()); }
    } catch { /* offline: keep what we have */ }
  }
  showNetwork();
}

async function check(code, { record = true } = {}) {
  code = (code || '').trim();
  if (!code) return;
  $('code').value = code;
  message(t.checking);
  let result = null;
  if (navigator.onLine) {
    try {
      const key = store.get('key');
      // An inspector's check is attested: it carries where it happened (GPS when allowed).
      const coords = key && record ? await position(1500) : null;
      const r = await fetch('/api/v1/verify', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Accept-Language': lang, ...(key ? { Authorization: 'Bearer ' + key } : {}) },
        body: JSON.stringify({ code, latitude: coords ? coords.latitude : null, longitude: coords ? coords.longitude : null }),
      });
      if (r.ok) result = { ...(await r.json()), lang };
      else if (r.status === 400) {
        // A mistyped code: say so with the parser's reason, never "needs a connection".
        const problem = await r.json().catch(() => ({}));
        const reason = ((problem.errors || {}).code || [])[0] || problem.detail || t.reasons.invalid_code_offline;
        result = { verdict: 'invalid_code', reasons: [{ code: 'invalid_code', message: reason }], lang };
      }
    } catch { /* the network is gone: fall back to the offline check */ }
  }
  if (!result) {
    result = { ...(await offlineVerdict(code, { keys: store.get('keys'), warnings: store.get('warnings'), today: todayInVietnam() })),
      offline: true, asOf: store.get('warningsAt') };
  }
  current = { code, ...result };
  message('');
  showVerdict(current);
}

function showVerdict(v) {
  const box = $('verdict');
  const [look, icon] = LOOK[v.verdict] || ['neutral', '?'];
  box.hidden = false;
  box.dataset.verdict = v.verdict;
  box.className = 'verdict look-' + look;
  $('verdict-icon').textContent = icon;
  $('verdict-label').textContent = t.verdicts[v.verdict] || v.verdict;
  const id = v.code ? parseCode(v.code) : null;
  const name = v.product?.name ? (lang === 'en' && v.product.name.en) || v.product.name.vi : null;
  // One fact a line: who made it and until when it may be sold are what a stall check turns on.
  const facts = [];
  if (name) facts.push(['product', t.product, name]);
  const producer = v.inspection?.producer || v.product?.producer;
  if (producer?.name) facts.push(['producer', t.producer, [producer.name, producer.province].filter(Boolean).join(', ')]);
  if (v.inspection?.producer?.phone) facts.push(['phone', t.phone, v.inspection.producer.phone]);
  if (v.inspection?.producer?.taxCode) facts.push(['tax-code', t.taxCode, v.inspection.producer.taxCode]);
  const lot = v.lot?.lot || id?.lot;
  if (lot) facts.push(['lot', t.lot, lot]);
  // The lot's registered expiry online; offline, the one printed in the code (AI 17), if any.
  const expiry = v.lot?.expiryDate || expiryDate(id?.expiry);
  if (expiry) facts.push(['expiry', t.expiry, expiry.split('-').reverse().join('/')]);
  else if (v.lot) facts.push(['expiry', t.expiry, t.noExpiry]);
  const serial = v.serial || id?.serial;
  if (serial) facts.push(['serial', t.serial, serial]);
  $('verdict-facts').replaceChildren(...facts.flatMap(([key, label, value]) => [
    Object.assign(document.createElement('dt'), { textContent: label }),
    Object.assign(document.createElement('dd'), { textContent: value, id: 'verdict-' + key }),
  ]));
  // Offline reasons are the app's own; online ones come from the server in the language asked for.
  $('reasons').replaceChildren(...(v.reasons || []).map(r => Object.assign(document.createElement('li'),
    { textContent: (v.offline ? t.reasons[r.code] : r.message) || t.reasons[r.code] || r.code })));
  $('offline-note').textContent = v.offline ? `${t.offlineNote} ${v.asOf ? new Date(v.asOf).toLocaleString(lang === 'en' ? 'en-GB' : 'vi-VN') : '—'}` : '';
  $('record').hidden = v.verdict === 'invalid_code';
  if (v.verdict !== 'unverified' && v.verdict !== 'invalid_code') $('result').value = v.verdict;
}

function position(timeout = 3000) {
  return new Promise(resolve => {
    if (!navigator.geolocation) return resolve(null);
    navigator.geolocation.getCurrentPosition(p => resolve(p.coords), () => resolve(null), { timeout, maximumAge: 60000 });
  });
}

/**
 * A phone photo (often 3–8 MB) made small enough to send on a weak connection and to stay under the
 * service's photo limit: at most 1600 px on its long side, JPEG. Null when it is not an image.
 */
async function shrinkPhoto(file) {
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    return await new Promise(resolve => canvas.toBlob(resolve, 'image/jpeg', 0.8));
  } catch {
    return null;
  }
}

async function saveRecord(e) {
  e.preventDefault();
  if (!current) return;
  const file = $('evidence').files[0];
  const photo = file ? await shrinkPhoto(file) : null;
  if (file && !photo) { message(t.badPhoto); return; }
  const coords = await position();
  const record = {
    clientRef: crypto.randomUUID(),
    code: current.code,
    result: $('result').value,
    place: $('place').value.trim() || null,
    notes: $('notes').value.trim() || null,
    latitude: coords ? coords.latitude : null,
    longitude: coords ? coords.longitude : null,
    inspectedAt: new Date().toISOString(),
    photo,
  };
  await queue.enqueue(record);
  // The place stays: an inspector checks several products at one stall.
  $('notes').value = '';
  $('evidence').value = '';
  $('record-number').hidden = true;
  message(t.saved);
  await refreshQueue();
  await flush();
}

/** The server's number for a record it stored, shown so the inspector can write it on the paper form. */
function showSent(saved) {
  if (!saved?.id) { message(t.sent); return; }
  $('record-id').textContent = saved.id;
  $('record-number').hidden = false;
  message(`${t.sentNumber} ${saved.id}.`);
}

async function decodeFile(file) {
  const url = URL.createObjectURL(file);
  try {
    const result = await reader.decodeFromImageUrl(url).catch(() => pureReader.decodeFromImageUrl(url));
    await check(result.getText());
  } catch {
    message(t.noQr);
  } finally {
    URL.revokeObjectURL(url);
  }
}

async function toggleCamera() {
  if (scanner) { scanner.stop(); scanner = null; $('video').hidden = true; $('scan').textContent = t.scan; return; }
  try {
    $('video').hidden = false;
    $('scan').textContent = t.stop;
    scanner = await reader.decodeFromConstraints({ video: { facingMode: 'environment' } }, $('video'), (result, _err, controls) => {
      if (!result) return;
      controls.stop();
      scanner = null;
      $('video').hidden = true;
      $('scan').textContent = t.scan;
      check(result.getText());
    });
  } catch {
    scanner = null;
    $('video').hidden = true;
    $('scan').textContent = t.scan;
    message(t.noCamera);
  }
}

function start() {
  render();
  $('lang').addEventListener('click', () => { lang = lang === 'vi' ? 'en' : 'vi'; store.set('lang', lang); render(); });
  $('scan').addEventListener('click', toggleCamera);
  $('file').addEventListener('change', e => { const f = e.target.files[0]; if (f) decodeFile(f); e.target.value = ''; });
  $('manual').addEventListener('submit', e => { e.preventDefault(); check($('code').value); });
  $('record').addEventListener('submit', saveRecord);
  $('key').value = store.get('key') || '';
  // Without a key records cannot be sent: show the field until one is saved.
  if (!store.get('key')) $('key-form').closest('details').open = true;
  $('key-form').addEventListener('submit', e => { e.preventDefault(); store.set('key', $('key').value.trim()); flush(); });
  window.addEventListener('online', () => { showNetwork(); refreshData(); flush(); });
  window.addEventListener('offline', showNetwork);
  setInterval(flush, 15000);
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/inspect/sw.js', { scope: '/inspect/' }).catch(() => {});
    navigator.serviceWorker.addEventListener('controllerchange', showNetwork);
  }
  refreshData().then(flush);
  refreshQueue();
}

start();
