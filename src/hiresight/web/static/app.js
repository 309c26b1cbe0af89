// Small shared behaviour: send the page's CSRF token with every state-changing fetch and htmx
// request, and the job console's compare form. No page has inline scripts: the
// Content-Security-Policy allows scripts from our own files only.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  var token = meta ? meta.getAttribute("content") : "";
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRF-Token"] = token;
  });
  window.hiresight = {
    csrfToken: token,
    api: function (path, options) {
      options = options || {};
      options.headers = Object.assign({ "Content-Type": "application/json", "X-CSRF-Token": token }, options.headers || {});
      options.credentials = "same-origin";
      return fetch(path, options);
    },
  };
  // The job console: send the two ticked candidates as ?a=&b= (the form's own fields are "pick").
  var compare = document.getElementById("compare-form");
  if (compare) {
    compare.addEventListener("submit", function (e) {
      var picks = Array.prototype.slice.call(document.querySelectorAll(".compare-pick:checked")).map(function (x) { return x.value; });
      e.preventDefault();
      if (picks.length !== 2) { alert("Tick exactly two candidates to compare."); return; }
      window.location = compare.action + "?a=" + picks[0] + "&b=" + picks[1];
    });
  }
})();
