/* esiin default theme: the colour-scheme switch in the footer (auto, light,
 * dark), remembered in localStorage under "esiin:color-scheme".
 *
 * The choice is applied before the first paint by the inline script in
 * base.html's <head> (the same steps as `apply` here; its hash is in the
 * Content-Security-Policy `esiin serve` sends): the stylesheet link marked
 * data-scheme="base" points at theme-light.css or theme-dark.css (theme.css
 * with its dark rules always off or on, written by the build), and the
 * highlighting links get media "all" or "not all". "auto" puts back the
 * system's choice. Without this script the switch stays hidden.
 */
(function () {
  "use strict";

  var KEY = "esiin:color-scheme";
  var group = document.querySelector("[data-scheme-switch]");
  if (!group) return;
  var buttons = Array.prototype.slice.call(group.querySelectorAll("button[data-scheme-choice]"));

  function stored() {
    try {
      var v = window.localStorage.getItem(KEY);
      return v === "light" || v === "dark" ? v : "auto";
    } catch (e) {
      return "auto";
    }
  }

  function apply(choice) {
    var root = document.documentElement;
    if (choice === "auto") root.removeAttribute("data-theme");
    else root.setAttribute("data-theme", choice);
    Array.prototype.forEach.call(document.querySelectorAll("link[data-scheme]"), function (link) {
      var scheme = link.getAttribute("data-scheme");
      if (scheme === "base") {
        var href = link.getAttribute(choice === "auto" ? "data-auto" : "data-" + choice);
        if (href && link.getAttribute("href") !== href) link.setAttribute("href", href);
      } else {
        link.media = choice === "auto" ? link.getAttribute("data-media") : scheme === choice ? "all" : "not all";
      }
    });
    buttons.forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-scheme-choice") === choice ? "true" : "false");
    });
  }

  buttons.forEach(function (b) {
    b.addEventListener("click", function () {
      var choice = b.getAttribute("data-scheme-choice");
      try {
        if (choice === "auto") window.localStorage.removeItem(KEY);
        else window.localStorage.setItem(KEY, choice);
      } catch (e) {
        /* applied to this page only */
      }
      apply(choice);
    });
  });
  group.hidden = false;
  apply(stored());
  /* A choice made in another tab. */
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) apply(stored());
  });
})();
