// Inspection records wait in IndexedDB until the server has them. Each carries a clientRef, so a
// record whose answer was lost is stored once when it is sent again.
const DB = 'inspector', STORE = 'queue';

function open() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'clientRef' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function tx(mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const t = db.transaction(STORE, mode);
    const result = work(t.objectStore(STORE));
    t.oncomplete = () => { db.close(); resolve(result && 'result' in result ? result.result : undefined); };
    t.onerror = () => { db.close(); reject(t.error); };
  });
}

export const enqueue = record => tx('readwrite', s => s.put(record));
export const all = () => tx('readonly', s => s.getAll());
export const remove = clientRef => tx('readwrite', s => s.delete(clientRef));

let flushing = null;

/** Sends what is queued, oldest first; stops at the first network failure. Returns what is left. */
export function flush(apiKey, onSent) {
  if (!flushing) flushing = doFlush(apiKey, onSent).finally(() => { flushing = null; });
  return flushing;
}

async function doFlush(apiKey, onSent) {
  const items = (await all()).sort((a, b) => a.inspectedAt.localeCompare(b.inspectedAt));
  for (const item of items) {
    let response;
    try {
      response = await fetch('/api/v1/inspections', {
        method: 'POST',
        headers: { ...(item.photo ? {} : { 'Content-Type': 'application/json' }), ...(apiKey ? { Authorization: 'Bearer ' + apiKey } : {}) },
        body: item.photo ? asForm(item) : JSON.stringify({ ...item, photo: undefined }),
      });
    } catch {
      break; // still offline
    }
    if (response.ok) {
      await remove(item.clientRef);
      const saved = await response.json().catch(() => null);
      if (onSent) onSent(item, saved);
    } else if (response.status === 401 || response.status === 403 || response.status === 429 || response.status >= 500) {
      break; // fixable later (key, limit, server): keep the record
    } else {
      await remove(item.clientRef); // the server will never take it (400): do not block the others
    }
  }
  return (await all()).length;
}

/** A record with its photo as the multipart form the service takes (empty fields left out). */
function asForm(item) {
  const form = new FormData();
  for (const [name, value] of Object.entries(item)) {
    if (name !== 'photo' && value !== null && value !== undefined) form.append(name, String(value));
  }
  form.append('photo', item.photo, 'photo.jpg');
  return form;
}
