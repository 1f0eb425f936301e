/* esiin default theme: the top navigation's menu button (base.html).
 *
 * Loaded in <head>, not deferred, so that the page is marked before the
 * header is drawn: the class `has-nav-toggle` on <html> tells theme.css
 * that the button works, and on a narrow screen the navigation then starts
 * folded behind it (instead of showing and then jumping shut). Without
 * this script the button stays `hidden` and the navigation simply wraps.
 * The button says whether the navigation is open (`aria-expanded`); Escape
 * closes it and gives the focus back to the button. No framework.
 */
(function () {
  "use strict";

  document.documentElement.classList.add("has-nav-toggle");

  function setup() {
    var button = document.querySelector(".nav-toggle[aria-controls]");
    var nav = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!button || !nav) {
      /* A template without the button: never fold the navigation away. */
      document.documentElement.classList.remove("has-nav-toggle");
      return;
    }
    button.hidden = false;

    function isOpen() {
      return button.getAttribute("aria-expanded") === "true";
    }

    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }

    button.addEventListener("click", function () {
      setOpen(!isOpen());
    });

    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !isOpen()) return;
      /* Escape in another widget (the search box's results) is that
         widget's: only from the menu, its button or the page itself. */
      var at = event.target;
      if (at !== button && at !== document.body && !nav.contains(at)) return;
      /* Only while the button is shown: on a wide screen the navigation
         is always there and Escape belongs to whatever else is open. */
      if (!button.offsetParent) return;
      setOpen(false);
      button.focus();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
