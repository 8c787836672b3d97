/* The phone app's service worker: the app shell is cached at install (no CDN, nothing from the
   internet); pages and data are fetched from the network first and answered from the last good
   copy when offline. Writes (POST) are never touched here: they go through the IndexedDB outbox. */
"use strict";
const SHELL = "gridcmd-phone-shell-v1";
const DATA = "gridcmd-phone-data-v1";
const SHELL_FILES = ["/m/", "/m/app.js", "/m/outbox.js", "/m/geo.js", "/m/strings.js",
                     "/m/app.css", "/m/manifest.webmanifest", "/m/icon-192.png",
                     "/m/icon-512.png"];
/* Data the app reads offline: my grids, tasks, categories, buildings and their forms. */
const OFFLINE_DATA = /^\/api\/m\/(me|tasks(\/[^/]+)?|categories|buildings(\/[^/]+)?)$/;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(SHELL_FILES))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(
    keys.filter((k) => k !== SHELL && k !== DATA).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

function offlineCopy(response) {
  /* A cached answer, marked so the app can say "offline copy". */
  const headers = new Headers(response.headers);
  headers.set("X-Gridcmd-Offline-Copy", "1");
  return response.blob().then((body) => new Response(body, {status: response.status,
                                                            headers}));
}

async function networkFirst(request, cacheName, key) {
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") {
      const cache = await caches.open(cacheName);
      await cache.put(key || request, response.clone());
    }
    return response;
  } catch (err) {
    const cached = await caches.match(key || request);
    if (cached) return cacheName === DATA ? offlineCopy(cached) : cached;
    throw err;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname.startsWith("/m")) {
    event.respondWith(networkFirst(request, SHELL, "/m/"));
  } else if (SHELL_FILES.includes(url.pathname)) {
    event.respondWith(networkFirst(request, SHELL));
  } else if (OFFLINE_DATA.test(url.pathname)) {
    event.respondWith(networkFirst(request, DATA));
  }
});
