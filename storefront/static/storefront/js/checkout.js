/* The cart page without reloads: a form marked data-inplace is posted with fetch, and
   the page's sections are replaced by the same sections of the page the server answers
   with (the redirect to the cart, or the cart drawn again with errors). Without
   JavaScript the same forms post and reload the page. The order form is not marked: it
   leaves for the payment or the confirmation. */
(function () {
  "use strict";
  var root = document.getElementById("checkout");
  if (!root || !window.fetch || !window.DOMParser || !window.FormData) return;
  var busy = false;

  function swap(fresh, from) {
    var sections = fresh.querySelectorAll("[data-section]");
    for (var i = 0; i < sections.length; i++) {
      var next = sections[i];
      var current = document.getElementById(next.id);
      if (!current) continue;
      // What the buyer typed elsewhere stays unless the server's copy changed.
      var same = current.getAttribute("data-key") && current.getAttribute("data-key") === next.getAttribute("data-key");
      if (same && !current.contains(from)) continue;
      current.replaceWith(document.importNode(next, true));
    }
  }

  function showMessages(doc) {
    var old = document.querySelector("body > .messages");
    var fresh = doc.querySelector("body > .messages");
    if (old) old.remove();
    if (fresh) document.getElementById("main").before(document.importNode(fresh, true));
  }

  // The header's cart link carries the number of items.
  function showCartSize(doc) {
    var selector = ".account-nav a[href='" + window.location.pathname + "']";
    var old = document.querySelector(selector);
    var fresh = doc.querySelector(selector);
    if (old && fresh) old.replaceWith(document.importNode(fresh, true));
  }

  // Where the buyer goes on: the first field in error, or the next step's heading.
  function focusOn(id) {
    var section = id && document.getElementById(id);
    if (!section) return;
    var target = section.querySelector("[aria-invalid='true']") || section.querySelector("h2");
    target.focus({ preventScroll: true });
    section.scrollIntoView({ block: "start" });
  }

  function postWithoutScript(form, button) {
    if (button && button.name) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = button.name;
      input.value = button.value;
      form.appendChild(input);
    }
    HTMLFormElement.prototype.submit.call(form);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-inplace") || !root.contains(form)) return;
    event.preventDefault();
    if (busy) return;
    busy = true;
    var data = new FormData(form);
    var button = event.submitter;
    if (button && button.name) data.append(button.name, button.value);
    var section = form.closest("[data-section]");
    root.setAttribute("aria-busy", "true");
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) {
        return response.text().then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.getElementById("checkout");
          if (!fresh) {
            // The cart is gone (emptied, ordered elsewhere): show the page the server sent.
            window.location.assign(response.url);
            return;
          }
          swap(fresh, form);
          showMessages(doc);
          showCartSize(doc);
          var mine = section && document.getElementById(section.id);
          var failed = mine && mine.querySelector(".errorlist, [aria-invalid='true']");
          focusOn(failed ? section.id : form.getAttribute("data-next"));
          root.setAttribute("data-updates", String(Number(root.getAttribute("data-updates") || 0) + 1));
        });
      })
      .catch(function () {
        postWithoutScript(form, button);
      })
      .finally(function () {
        busy = false;
        root.removeAttribute("aria-busy");
      });
  });
  root.setAttribute("data-live", "");
})();
