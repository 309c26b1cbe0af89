// Small shared behaviour: send the page's CSRF token with every state-changing fetch and htmx request.
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
})();
