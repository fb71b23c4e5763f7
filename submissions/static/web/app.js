// The staff application's only script of its own: small progressive enhancements. Every page works
// without it (the Content-Security-Policy allows no inline script, so behaviour lives here).
(function () {
  "use strict";

  // The organization switcher submits as soon as a choice is made (its button stays for no-script use).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
      target.form.requestSubmit();
    }
  });

  // Buttons with data-confirm ask before a consequential action (withdraw, reopen).
  document.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    var message = submitter && submitter.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
})();

// The e-signature dialog: the approval form loaded by htmx opens as a modal dialog over the trial page
// (without script, the same form is its own page). Escape or Cancel closes it.
(function () {
  "use strict";

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (target && target.id === "dialog-slot") {
      var dialog = document.getElementById("sign-dialog");
      if (dialog && !dialog.open) {
        dialog.showModal();
      }
      var first = target.querySelector("input[type=password]") || target.querySelector("input:not([type=hidden])");
      if (first) {
        first.focus();
      }
    }
  });

  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element && event.target.closest("[data-close-dialog]");
    var dialog = link && link.closest("dialog");
    if (dialog) {
      event.preventDefault();
      dialog.close();
    }
  });
})();
