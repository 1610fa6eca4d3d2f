/* Self-assessment step: autosave (debounced), live totals, and answers kept on this device
   until the server confirms them, through a dropped network (offline.js: what is kept, the
   banner, conflicts). Without this script each step is a plain form. */
(function () {
  "use strict";
  var form = document.getElementById("step-form");
  var offline = window.cdhtOffline;
  if (!form || !window.fetch || !window.FormData || !offline) return;
  var key = form.getAttribute("data-key");
  var url = form.getAttribute("data-autosave");
  var bar = document.querySelector(".sa-bar");
  var status = document.querySelector("[data-save-status]");
  var csrf = form.elements.csrfmiddlewaretoken.value;
  var fields = Array.prototype.filter.call(form.elements, function (el) {
    return /^(points|note)_\d+$/.test(el.name) && !el.disabled;
  });
  var timer = null, busy = false, again = false, pendingSubmit = null, choices = 0;
  var unreachable = navigator.onLine === false;  // the last save found no network
  var RETRY = 5000;  // ms between tries while there is no network
  var base = {};  // what the server holds, as far as this page knows: the draft's revision
  fields.forEach(function (el) { base[el.name] = el.defaultValue; });

  function values() {
    var result = {};
    fields.forEach(function (el) { result[el.name] = el.value; });
    return result;
  }
  function say(text, bad) {
    status.textContent = text;
    status.className = "sa-save" + (bad ? " sa-save--bad" : "");
  }
  function keep() {
    var heading = document.querySelector("h1");
    offline.keep(key, {
      url: url, page: location.pathname, label: heading ? heading.textContent : "",
      revision: form.elements.revision.value, base: base, values: values(),
    });
  }
  function number(text) {
    var n = parseFloat(String(text).replace(",", "."));
    return isNaN(n) ? 0 : n;
  }
  function show(n) {
    return (Math.round(n * 100) / 100).toLocaleString(document.documentElement.lang || "vi");
  }
  function totals() {
    var step = 0;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.hasAttribute("data-points")) step += number(el.value);
    });
    var stepTotal = document.querySelector("[data-step-total]");  // absent on "all parts"
    if (stepTotal) stepTotal.textContent = show(step);
    document.querySelector("[data-total]").textContent =
      show(number(bar.getAttribute("data-other")) + step);
  }
  function save() {
    if (busy) { again = true; return; }
    if (choices) { say(offline.text("choose"), true); return; }
    busy = true;
    var sent = values();
    say(status.getAttribute("data-saving"));
    offline.send(url, csrf, form.elements.revision.value, sent)
      .then(function (result) {
        var code = result[0], data = result[1];
        unreachable = false;
        if (code === 200) {
          form.elements.revision.value = data.revision;
          base = sent;
          if (offline.sameValues(values(), sent)) offline.drop(key, sent); else keep();
          offline.back();
          say(status.getAttribute("data-saved") + " " + data.saved_at);
          offline.sendOthers(key.replace(/[^-]+$/, ""), key, csrf);
        } else if (code === 409 && data.revision != null) {
          settle(data);
        } else if (code === 400 && data.errors) {
          var first = Object.keys(data.errors)[0];
          say(data.errors[first][0], true);
        } else if (code === 401) {
          say(data.error, true);
          var link = document.createElement("a");
          link.href = data.login;
          link.textContent = " →";
          status.appendChild(link);
        } else {
          say(data.error || status.getAttribute("data-offline"), true);
        }
      })
      .catch(function () {
        unreachable = true;
        keep();
        offline.offline();
        say(status.getAttribute("data-offline"), true);
        // Browsers do not always tell when the network is back: try again now and then.
        clearTimeout(timer);
        timer = setTimeout(save, RETRY);
      })
      .then(function () {
        busy = false;
        if (pendingSubmit) { var button = pendingSubmit; pendingSubmit = null; form.requestSubmit(button); }
        else if (again) { again = false; schedule(); }
      });
  }
  /* The draft changed elsewhere since this page's revision: take what changed only there, keep
     what changed only here, and ask where both changed. Then save with the new revision. */
  function settle(data) {
    var server = data.server || {};
    var merged = offline.merge(values(), base, server);
    fields.forEach(function (el) {
      if (Object.prototype.hasOwnProperty.call(merged.take, el.name)) el.value = merged.take[el.name];
      if (Object.prototype.hasOwnProperty.call(server, el.name)) base[el.name] = server[el.name];
    });
    form.elements.revision.value = data.revision;
    totals();
    keep();
    choices = merged.conflicts.length;
    if (!choices) { again = true; return; }
    say(offline.text("choose"), true);
    merged.conflicts.forEach(function (name) {
      var el = form.elements[name];
      offline.askChoice(el, server[name], function () {
        choices -= 1;
        totals();
        keep();
        if (!choices) save();
      });
    });
  }
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(save, 1200);
  }
  /* Offline, "Back"/"Save and continue" cannot post: the answers stay here, and a neighbouring
     part this device has opened before is opened from the device. */
  function neighbour(action) {
    var current = document.querySelector(".sa-steps [aria-current=step]");
    var item = current && current.parentNode;
    item = item && (action === "previous" ? item.previousElementSibling : item.nextElementSibling);
    return item ? item.querySelector("a") : null;
  }

  fields.forEach(function (el) {
    el.addEventListener("input", function () { keep(); totals(); schedule(); });
  });
  form.addEventListener("submit", function (event) {
    clearTimeout(timer);
    if (navigator.onLine === false || unreachable) {
      event.preventDefault();
      keep();
      offline.offline();
      var link = event.submitter && neighbour(event.submitter.value);
      if (link && window.caches) {
        caches.match(link.href, { ignoreVary: true }).then(function (hit) {
          if (hit) location.href = link.href;
        });
      }
      return;
    }
    if (busy) { event.preventDefault(); pendingSubmit = event.submitter; }
  });
  window.addEventListener("online", function () {
    unreachable = false;
    if (localStorage.getItem(key)) save();
    else offline.sendOthers(key.replace(/[^-]+$/, ""), key, csrf);
  });
  window.addEventListener("offline", function () { unreachable = true; offline.offline(); });
  if (navigator.onLine === false) offline.offline();

  var stored = offline.read(key);
  if (stored && offline.sameValues(stored.values, values())) {
    localStorage.removeItem(key);
  } else if (stored) {
    // Typed on this device and not confirmed: put back, against the revision it was typed on.
    fields.forEach(function (el) {
      if (Object.prototype.hasOwnProperty.call(stored.values, el.name)) el.value = stored.values[el.name];
    });
    if (stored.base && stored.revision != null) {
      base = stored.base;
      form.elements.revision.value = stored.revision;
    }
    totals();
    say(status.getAttribute("data-restored"));
    save();
  } else if (navigator.onLine !== false) {
    offline.sendOthers(key.replace(/[^-]+$/, ""), key, csrf);
  }
})();
