/* Registration form: province → commune → residential area as dependent selects.
   Each choice fetches only that area's children (a few kB) instead of shipping every commune.
   Without JavaScript the form's "Choose …" buttons do the same by reloading the page. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-children-url]");
  if (!form || !window.fetch) return;
  var url = form.getAttribute("data-children-url");
  var steps = form.querySelectorAll("[data-area-step]");

  function showSteps(visible) {
    steps.forEach(function (button) { button.parentNode.hidden = !visible; });
  }

  function fill(select, label, areas) {
    select.length = 0;
    select.add(new Option(select.getAttribute(label), ""));
    areas.forEach(function (area) { select.add(new Option(area.name, area.id)); });
  }

  form.querySelectorAll("select[data-area-child]").forEach(function (parent) {
    var child = document.getElementById(parent.getAttribute("data-area-child"));
    var latest = 0;
    parent.addEventListener("change", function () {
      var request = ++latest;
      fill(child, "data-waiting-label", []);
      child.dispatchEvent(new Event("change")); // empties the grandchild too
      if (!parent.value) return;
      child.setAttribute("aria-busy", "true");
      fetch(url.replace("/0/", "/" + parent.value + "/"), { headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (data) {
          if (request !== latest) return; // a later choice has already been made
          fill(child, data.areas.length ? "data-choose-label" : "data-none-label", data.areas);
        })
        .catch(function () { showSteps(true); }) // offline or server error: the buttons still work
        .finally(function () { child.removeAttribute("aria-busy"); });
    });
  });
  showSteps(false);

  // One registration per tap: a second submit while the first is on its way is dropped.
  form.addEventListener("submit", function (event) {
    if (event.submitter && event.submitter.name === "step") return;
    if (form.hasAttribute("data-sending")) event.preventDefault();
    form.setAttribute("data-sending", "");
  });
  window.addEventListener("pageshow", function () { form.removeAttribute("data-sending"); });
})();
