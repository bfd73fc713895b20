// Keeps the app, the published keys and the recall list available offline. Network first (so an
// online inspector always gets the newest keys and recalls), the cached copy when the network fails.
const CACHE = 'inspector-v1';
const SHELL = ['/inspect/', '/inspect/app.js', '/inspect/app.css', '/inspect/manifest.webmanifest', '/inspect/icon.svg'];
const DATA = ['/.well-known/traceability-keys', '/api/v1/warnings'];

self.addEventListener('install', event => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(SHELL);
    // The data may be missing on a server without the verify feature; the app still works online.
    await Promise.all(DATA.map(url => cache.add(new Request(url, { headers: { Accept: 'application/json' } })).catch(() => {})));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', event => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', event => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const path = url.pathname === '/inspect' || url.pathname === '/inspect/index.html' ? '/inspect/' : url.pathname;
  if (!SHELL.includes(path) && !DATA.includes(path)) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const response = await fetch(request);
      if (response.ok) await cache.put(path, response.clone());
      return response;
    } catch (e) {
      const cached = await cache.match(path);
      if (cached) return cached;
      throw e;
    }
  })());
});
