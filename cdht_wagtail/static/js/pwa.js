/* Installs the site's service worker (cdht_wagtail/pwa.py): the self-assessment keeps working
   offline, and the site can be added to a phone's home screen. Without it nothing changes. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!("serviceWorker" in navigator) || !script) return;
  navigator.serviceWorker.register(script.getAttribute("data-worker"), { scope: "/" })
    .catch(function () { /* no service worker (private mode, old browser): the site works online */ });
})();
