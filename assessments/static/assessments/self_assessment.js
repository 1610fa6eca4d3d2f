/* Self-assessment step: autosave (debounced), live totals, and answers kept on this device
   (localStorage) until the server confirms them. Without this script each step is a plain form. */
(function () {
  "use strict";
  var form = document.getElementById("step-form");
  if (!form || !window.fetch || !window.FormData) return;
  var key = form.getAttribute("data-key");
  var url = form.getAttribute("data-autosave");
  var bar = document.querySelector(".sa-bar");
  var status = document.querySelector("[data-save-status]");
  var fields = Array.prototype.filter.call(form.elements, function (el) {
    return /^(points|note)_\d+$/.test(el.name) && !el.disabled;
  });
  var timer = null, busy = false, again = false, pendingSubmit = null;

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
    try { localStorage.setItem(key, JSON.stringify(values())); } catch (e) { /* private mode */ }
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
    busy = true;
    var sent = JSON.stringify(values());
    var body = new FormData();
    body.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    body.append("revision", form.elements.revision.value);
    fields.forEach(function (el) { body.append(el.name, el.value); });
    say(status.getAttribute("data-saving"));
    fetch(url, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(function (data) { return [response.status, data]; });
      })
      .then(function (result) {
        var code = result[0], data = result[1];
        if (code === 200) {
          form.elements.revision.value = data.revision;
          try { if (localStorage.getItem(key) === sent) localStorage.removeItem(key); } catch (e) {}
          say(status.getAttribute("data-saved") + " " + data.saved_at);
        } else if (code === 400) {
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
      .catch(function () { say(status.getAttribute("data-offline"), true); })
      .then(function () {
        busy = false;
        if (pendingSubmit) { var button = pendingSubmit; pendingSubmit = null; form.requestSubmit(button); }
        else if (again) { again = false; schedule(); }
      });
  }
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(save, 1200);
  }

  fields.forEach(function (el) {
    el.addEventListener("input", function () { keep(); totals(); schedule(); });
  });
  form.addEventListener("submit", function (event) {
    clearTimeout(timer);
    if (busy) { event.preventDefault(); pendingSubmit = event.submitter; }
  });
  window.addEventListener("online", function () { if (localStorage.getItem(key)) save(); });

  var stored = null;
  try { stored = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { stored = null; }
  if (stored) {
    var restored = false;
    fields.forEach(function (el) {
      if (Object.prototype.hasOwnProperty.call(stored, el.name) && stored[el.name] !== el.value) {
        el.value = stored[el.name];
        restored = true;
      }
    });
    if (restored) { totals(); say(status.getAttribute("data-restored")); save(); }
    else localStorage.removeItem(key);
  }
})();
