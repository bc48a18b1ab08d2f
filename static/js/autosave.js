// Autosave for the product editor: posts the form in the background a few seconds after typing
// stops and shows "Draft saved at hh:mm". Without JavaScript, "Save as draft" does the same.
(function () {
  "use strict";
  var form = document.getElementById("product-form");
  var status = document.getElementById("autosave-status");
  if (!form || !status || !form.dataset.autosave || !window.fetch) return;
  var timer = null;
  var inFlight = false;
  var pending = false;

  function save() {
    if (inFlight) { pending = true; return; }
    inFlight = true;
    var body = new URLSearchParams(new FormData(form));
    body.set("op", "autosave");
    fetch(form.dataset.autosave, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded" }
    }).then(function (response) {
      if (response.type === "opaqueredirect") {
        // Sent to sign in: the session has ended. The last saved draft is kept.
        status.textContent = "Not saved: your session has ended. Sign in again in another tab, then keep typing.";
        return;
      }
      return response.text().then(function (text) {
        status.textContent = response.ok ? text : "Not saved: " + text;
      });
    }).catch(function () {
      status.textContent = "Not saved: the connection failed. It will be tried again when you type.";
    }).then(function () {
      inFlight = false;
      if (pending) { pending = false; save(); }
    });
  }

  function schedule() {
    clearTimeout(timer);
    status.textContent = "Unsaved changes";
    timer = setTimeout(save, 3000);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
})();
