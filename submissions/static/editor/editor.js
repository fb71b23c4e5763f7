// The record editor's own script (CSP allows no inline scripts): marks the form dirty while it holds
// unsaved changes, warns before leaving such a page, and after each findings check (htmx, or a plain
// fetch where htmx is not loaded) shows every finding again beside its field.
(function () {
  "use strict";
  var form = document.getElementById("editor-form");
  if (!form) { return; }
  var flag = document.getElementById("editor-dirty");
  var dirty = form.classList.contains("is-dirty");
  var submitting = false;

  function markDirty() {
    dirty = true;
    form.classList.add("is-dirty");
    if (flag) { flag.hidden = false; }
  }

  function placeFindings() {
    var panel = document.getElementById("editor-findings");
    if (!panel) { return; }
    var old = form.querySelectorAll(".findings-inline");
    for (var i = 0; i < old.length; i++) { old[i].parentNode.removeChild(old[i]); }
    var items = panel.querySelectorAll("li[data-target]");
    for (var j = 0; j < items.length; j++) {
      var target = document.getElementById(items[j].getAttribute("data-target"));
      if (!target || !form.contains(target)) { continue; }
      // The same places the server puts them: a field's block, a grid cell, a row's last cell, a group.
      var holder = target.closest("td, .field, tr, fieldset") || target;
      if (holder.tagName === "TR") { holder = holder.lastElementChild; }
      var list = holder.querySelector(":scope > .findings-inline");
      if (!list) {
        list = document.createElement("ul");
        list.className = "findings-inline";
        if (holder.tagName === "FIELDSET") {
          var legend = holder.querySelector(":scope > legend");
          holder.insertBefore(list, legend ? legend.nextSibling : holder.firstChild);
        } else {
          holder.appendChild(list);
        }
      }
      var copy = items[j].cloneNode(true);
      copy.removeAttribute("data-target");
      list.appendChild(copy);
    }
  }

  form.addEventListener("input", markDirty);
  form.addEventListener("change", markDirty);
  form.addEventListener("submit", function () { submitting = true; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) { event.preventDefault(); event.returnValue = ""; }
  });
  document.body.addEventListener("htmx:afterSettle", placeFindings);

  if (!window.htmx && form.hasAttribute("hx-post")) {
    var timer = null;
    form.addEventListener("change", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        fetch(form.getAttribute("data-check-url"), {
          method: "POST",
          body: new URLSearchParams(new FormData(form)),
          credentials: "same-origin",
          headers: { "HX-Request": "true" }
        }).then(function (response) {
          return response.ok ? response.text() : null;
        }).then(function (html) {
          if (!html) { return; }
          var parsed = new DOMParser().parseFromString(html, "text/html");
          ["editor-findings", "editor-nav"].forEach(function (id) {
            var fresh = parsed.getElementById(id);
            var current = document.getElementById(id);
            if (fresh && current) { current.replaceWith(fresh); }
          });
          placeFindings();
        });
      }, 300);
    });
  }
})();
