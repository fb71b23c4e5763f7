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
