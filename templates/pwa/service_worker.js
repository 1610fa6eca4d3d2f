/* Service worker of the site: served by cdht_wagtail.pwa.service_worker at /sw.js (scope /).
   Keeps the app shell and the pages marked to be kept offline (the self-assessment's step pages,
   which name their user in a header), so that a step opened on a phone still opens, and its
   answers can still be typed, when the network drops. Network first for pages: online, a page
   is always the server's. One user's pages at a time; forgotten at log-in and log-out; the admin
   is never touched. The answers themselves are kept by the page (assessments/offline.js). */
"use strict";
const CONFIG = {{ config }};
const SHELL = "cdht-shell-" + CONFIG.version;
const PAGES = "cdht-pages-";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL).then((cache) => cache.addAll(CONFIG.shell)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((name) => name.startsWith("cdht-shell-") && name !== SHELL)
          .map((name) => caches.delete(name))
      ))
      .then(() => self.clients.claim())
  );
});

function forgetPages(except) {
  return caches.keys().then((names) => Promise.all(
    names.filter((name) => name.startsWith(PAGES) && name !== except)
      .map((name) => caches.delete(name))
  ));
}

function keptPage(url) {
  return caches.keys().then((names) => {
    const mine = names.filter((name) => name.startsWith(PAGES));
    return mine.length ? caches.open(mine[0]).then((cache) => cache.match(url, { ignoreVary: true })) : undefined;
  });
}

function page(event) {
  const request = event.request;
  return fetch(request).then((response) => {
    const owner = response.headers.get(CONFIG.header);
    if (owner && response.status === 200) {
      const name = PAGES + owner;  // another user's pages go before this one's is kept
      const copy = response.clone();
      event.waitUntil(
        forgetPages(name).then(() => caches.open(name)).then((cache) => cache.put(request.url, copy))
      );
    } else {
      // No longer a page to keep (sent, logged out): offline, it must not come back.
      event.waitUntil(caches.keys().then((names) => Promise.all(
        names.filter((name) => name.startsWith(PAGES))
          .map((name) => caches.open(name).then((cache) => cache.delete(request.url, { ignoreVary: true })))
      )));
    }
    return response;
  }, (error) => keptPage(request.url).then((kept) => kept || new Response(CONFIG.offline_page, {
    status: 503, headers: { "Content-Type": "text/html; charset=utf-8" },
  })));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== "GET") {
    if (CONFIG.forget.includes(url.pathname)) event.waitUntil(forgetPages());
    return;
  }
  if (url.pathname.startsWith(CONFIG.admin)) return;
  if (request.mode === "navigate") {
    event.respondWith(page(event));
  } else if (CONFIG.shell.includes(url.pathname)) {
    event.respondWith(caches.open(SHELL).then((cache) => cache.match(request))
      .then((hit) => hit || fetch(request)));
  }
});
