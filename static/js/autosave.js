// Autosave for the product editor: posts the form in the background a few seconds after typing
// stops and shows "Draft saved at hh:mm". Without JavaScript, "Save as draft" does the same.
// The words it shows come from the form's data-text-* attributes, in the reader's language.
(function () {
  "use strict";
  var form = document.getElementById("product-form");
  var status = document.getElementById("autosave-status");
  if (!form || !status || !form.dataset.autosave || !window.fetch) return;
  var timer = null;
  var inFlight = false;
  var pending = false;
  // Filled in by the template next to data-autosave.
  var text = {
    unsaved: form.dataset.textUnsaved || "",
    notSaved: form.dataset.textNotSaved || "",
    sessionEnded: form.dataset.textSessionEnded || "",
    connectionFailed: form.dataset.textConnectionFailed || ""
  };

  function post() {
    var body = new URLSearchParams(new FormData(form));
    body.set("op", "autosave");
    return fetch(form.dataset.autosave, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded" }
    });
  }

  // After signing in again (in another tab) the session has a new CSRF token: fetch it,
  // put it into the page's forms, and try once more.
  function refreshToken() {
    return fetch("/console/token", { credentials: "same-origin", redirect: "manual" }).then(function (r) {
      if (!r.ok) throw new Error("no token");
      return r.text();
    }).then(function (token) {
      document.querySelectorAll("input[name=csrf_token]").forEach(function (input) { input.value = token; });
    });
  }

  function save() {
    if (inFlight) { pending = true; return; }
    inFlight = true;
    post().then(function (response) {
      if (response.status === 403) {
        return refreshToken().then(post);
      }
      return response;
    }).then(function (response) {
      if (response.type === "opaqueredirect") {
        // Sent to sign in: the session has ended. The last saved draft is kept.
        status.textContent = text.sessionEnded;
        return;
      }
      return response.text().then(function (body) {
        status.textContent = response.ok ? body : text.notSaved + body;
      });
    }).catch(function () {
      status.textContent = text.connectionFailed;
    }).then(function () {
      inFlight = false;
      if (pending) { pending = false; save(); }
    });
  }

  function schedule() {
    clearTimeout(timer);
    status.textContent = text.unsaved;
    timer = setTimeout(save, 3000);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
})();
