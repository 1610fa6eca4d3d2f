/* The self-assessment when the network drops: answers kept on this device (localStorage, one entry
   per assessment and step), sent again when the network is back, and conflicts shown. Used by
   self_assessment.js; its texts come from the banner the step page renders
   (templates/assessments/public/includes/offline.html).

   An entry is {url, page, label, revision, base, values}: the values typed, and the revision and
   values the server had when they were typed (base). When the server refuses a stale revision it
   sends what it holds now; a field changed only here is sent, a field changed only there is taken,
   and a field changed on both sides is shown with both values until the citizen chooses: nothing
   is overwritten unseen. */
(function () {
  "use strict";
  var banner = document.querySelector("[data-offline-banner]");
  if (!banner || !window.localStorage) return;
  var text = function (name) { return banner.getAttribute("data-" + name) || ""; };
  var backTimer = null;

  function read(key) {
    var stored = null;
    try { stored = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
    if (!stored || typeof stored !== "object") return null;
    // Kept by an older version of the page: only the values.
    return stored.values ? stored : { values: stored, base: null, revision: null };
  }
  function keep(key, entry) {
    try { localStorage.setItem(key, JSON.stringify(entry)); } catch (e) { /* full, private mode */ }
  }
  function norm(name, value) {
    var plain = String(value == null ? "" : value).trim();
    if (name.indexOf("points_") === 0 && plain !== "") {
      var n = Number(plain.replace(",", "."));
      return isNaN(n) ? plain : String(n);
    }
    return plain;
  }
  function local(path) { return typeof path === "string" && /^\/[^/\\]/.test(path); }
  function same(name, a, b) { return norm(name, a) === norm(name, b); }
  function sameValues(a, b) {
    return Object.keys(a).every(function (name) { return same(name, a[name], b[name]); });
  }
  /* Drop an entry once the server has what it holds (not what was typed since). */
  function drop(key, sent) {
    var entry = read(key);
    if (entry && sameValues(entry.values, sent)) localStorage.removeItem(key);
  }
  /* Three-way: {take: {name: server value}, conflicts: [name]} for the values typed against
     `base`, now that the server holds `server`. */
  function merge(values, base, server) {
    var take = {}, conflicts = [];
    Object.keys(server).forEach(function (name) {
      if (!Object.prototype.hasOwnProperty.call(values, name)) return;
      var mine = values[name], was = base[name], theirs = server[name];
      if (same(name, mine, theirs) || same(name, theirs, was)) return;
      if (same(name, mine, was)) take[name] = theirs;
      else conflicts.push(name);
    });
    return { take: take, conflicts: conflicts };
  }
  function send(url, csrf, revision, values) {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrf);
    body.append("revision", revision == null ? "" : revision);
    Object.keys(values).forEach(function (name) { body.append(name, values[name]); });
    return fetch(url, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(
          function (data) { return [response.status, data]; },
          function () { return [response.status, {}]; }
        );
      });
  }

  function show(message, kind) {
    clearTimeout(backTimer);
    banner.querySelector("[data-offline-text]").textContent = message;
    banner.className = "sa-offline sa-offline--" + kind;
    banner.hidden = false;
  }
  function offline() { show(text("offline"), "off"); }
  function back() {
    if (banner.hidden || banner.className.indexOf("sa-offline--off") < 0) return;
    show(text("back"), "back");
    backTimer = setTimeout(function () { banner.hidden = true; }, 6000);
  }

  /* Both values of a field changed here and elsewhere, and the citizen's choice. */
  function askChoice(el, theirs, chosen) {
    var box = document.createElement("div");
    box.className = "sa-conflict";
    box.setAttribute("role", "group");
    var lines = [[text("conflict"), null], [text("server"), theirs], [text("device"), el.value]];
    lines.forEach(function (line) {
      var p = document.createElement("p");
      p.textContent = line[0];
      if (line[1] !== null) {
        var value = document.createElement("strong");
        value.textContent = " " + (norm(el.name, line[1]) || text("empty"));
        p.appendChild(value);
      }
      box.appendChild(p);
    });
    [["mine", false], ["theirs", true]].forEach(function (choice) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button--small";
      button.textContent = text(choice[0]);
      button.addEventListener("click", function () {
        if (choice[1]) el.value = theirs;
        box.parentNode.removeChild(box);
        el.focus();
        chosen();
      });
      box.appendChild(button);
    });
    var group = el.closest(".field") || el;
    group.parentNode.insertBefore(box, group.nextSibling);
    return box;
  }

  /* Other steps of this assessment with answers kept here: send them too. Those the server
     refuses (a conflict, a wrong value) stay kept and are linked, to be opened and settled. */
  function sendOthers(prefix, current, csrf) {
    var keys = [];
    for (var i = 0; i < localStorage.length; i++) {
      var name = localStorage.key(i);
      if (name.indexOf(prefix) === 0 && name !== current) keys.push(name);
    }
    var waiting = [];
    var chain = keys.reduce(function (previous, key) {
      return previous.then(function () {
        var entry = read(key);
        if (!entry || !local(entry.url) || !local(entry.page)) return;
        return sendEntry(key, entry, csrf, 3).then(function (sent) {
          if (!sent) waiting.push(entry);
        });
      });
    }, Promise.resolve());
    return chain.then(function () { return waiting; }, function () { return waiting; })
      .then(function (list) {
        var notice = document.querySelector("[data-offline-elsewhere]");
        if (!notice) return;
        notice.textContent = "";
        notice.hidden = !list.length;
        if (!list.length) return;
        notice.appendChild(document.createTextNode(text("elsewhere") + " "));
        list.forEach(function (entry, index) {
          var link = document.createElement("a");
          link.href = entry.page;
          link.textContent = entry.label || entry.page;
          if (index) notice.appendChild(document.createTextNode(", "));
          notice.appendChild(link);
        });
      });
  }
  function sendEntry(key, entry, csrf, tries) {
    return send(entry.url, csrf, entry.revision, entry.values).then(function (result) {
      var code = result[0], data = result[1];
      if (code === 200) { drop(key, entry.values); return true; }
      if (code !== 409 || data.revision == null || !entry.base || tries <= 1) return false;
      var merged = merge(entry.values, entry.base, data.server || {});
      if (merged.conflicts.length) return false;
      Object.keys(merged.take).forEach(function (name) { entry.values[name] = merged.take[name]; });
      entry.base = data.server;
      entry.revision = data.revision;
      keep(key, entry);
      return sendEntry(key, entry, csrf, tries - 1);
    });
  }

  window.cdhtOffline = {
    read: read, keep: keep, drop: drop, merge: merge, send: send, same: same,
    sameValues: sameValues, offline: offline, back: back, askChoice: askChoice,
    sendOthers: sendOthers, text: text,
  };
})();
