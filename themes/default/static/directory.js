/* esiin default theme: filters the expert directory in place.
 *
 * The filter bar is a plain GET form (`?topic=rust&available=talks`); this
 * script makes it live: every change shows the cards that match all chosen
 * filters, says how many in the status line, and keeps the choice in the
 * URL (history.replaceState), so a copied link opens the same view. Without
 * it, every card shows. No framework, nothing fetched.
 */
(function () {
  "use strict";

  var form = document.querySelector("[data-directory-filters]");
  var list = document.querySelector("[data-directory-list]");
  if (!form || !list) return;

  var selects = Array.prototype.slice.call(form.querySelectorAll("select[name]"));
  var cards = Array.prototype.slice.call(list.querySelectorAll("[data-expert]"));
  var status = document.querySelector("[data-directory-status]");
  var empty = document.querySelector("[data-directory-empty]");
  var clearButtons = Array.prototype.slice.call(document.querySelectorAll("[data-filter-clear]"));
  var applyButton = form.querySelector("[data-filter-apply]");
  var keys = selects.map(function (s) { return s.name; });
  var total = cards.length;

  /* Changes apply at once: the submit button is only for the form without script. */
  if (applyButton) applyButton.hidden = true;

  function hasOption(select, value) {
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === value) return true;
    }
    return false;
  }

  /* The chosen filters: {key: value} for the selects that have a value. */
  function chosen() {
    var f = {};
    selects.forEach(function (s) {
      if (s.value) f[s.name] = s.value;
    });
    return f;
  }

  function matches(card, f) {
    for (var key in f) {
      var values = (card.getAttribute("data-" + key) || "").split(/\s+/);
      if (values.indexOf(f[key]) < 0) return false;
    }
    return true;
  }

  /* Each option's count is what the list would show with that option and
   * the other chosen filters, so "Sales (2)" never leads to an empty list.
   * The build writes the counts with no filter chosen (the page without
   * script); the label without the count is in data-label. */
  function recount(f) {
    selects.forEach(function (s) {
      var others = {};
      for (var key in f) if (key !== s.name) others[key] = f[key];
      var base = cards.filter(function (card) { return matches(card, others); });
      Array.prototype.forEach.call(s.options, function (o) {
        var label = o.getAttribute("data-label");
        if (!o.value || label === null) return;
        var n = 0;
        base.forEach(function (card) {
          var values = (card.getAttribute("data-" + s.name) || "").split(/\s+/);
          if (values.indexOf(o.value) >= 0) n++;
        });
        var text = label + " (" + n + ")";
        if (o.text !== text) o.text = text;
      });
    });
  }

  function say(shown, filtered) {
    if (!status) return;
    var text = filtered ? status.getAttribute("data-text") : status.getAttribute("data-text-all");
    text = (text || "{n} / {total}").replace("{n}", String(shown)).replace("{total}", String(total));
    /* Only touch the live region when the text changes, so it is announced once. */
    if (status.textContent !== text) status.textContent = text;
  }

  /* Puts the filters into the URL, keeping any other parameters and the hash. */
  function remember(f) {
    if (!window.history || !window.history.replaceState) return;
    var params = new URLSearchParams(window.location.search);
    keys.forEach(function (k) { params.delete(k); });
    keys.forEach(function (k) { if (f[k]) params.set(k, f[k]); });
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    if (url !== window.location.pathname + window.location.search + window.location.hash) {
      window.history.replaceState(window.history.state, "", url);
    }
  }

  function apply() {
    var f = chosen();
    var filtered = Object.keys(f).length > 0;
    var shown = 0;
    cards.forEach(function (card) {
      var show = matches(card, f);
      card.hidden = !show;
      if (show) shown++;
    });
    if (empty) empty.hidden = shown > 0;
    form.classList.toggle("is-filtered", filtered);
    /* "Clear filters" only when there is something to clear. */
    clearButtons.forEach(function (b) { b.hidden = !filtered; });
    recount(f);
    say(shown, filtered);
    remember(f);
  }

  /* Sets the selects from the URL; a value no option has is dropped. */
  function restore() {
    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (s) {
      var v = params.get(s.name) || "";
      s.value = hasOption(s, v) ? v : "";
    });
  }

  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    apply();
  });
  form.addEventListener("reset", function (event) {
    event.preventDefault();
    selects.forEach(function (s) { s.value = ""; });
    apply();
  });
  clearButtons.forEach(function (b) {
    if (b.form === form) return; /* the form's own reset button goes through "reset" */
    b.addEventListener("click", function () {
      selects.forEach(function (s) { s.value = ""; });
      apply();
      if (selects[0]) selects[0].focus();
    });
  });

  /* Links to a filtered view of this page (the matrix) filter in place. */
  Array.prototype.forEach.call(document.querySelectorAll("a[data-filter-link]"), function (a) {
    a.addEventListener("click", function (event) {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      var target = new URL(a.href, window.location.href);
      if (target.pathname !== window.location.pathname) return;
      event.preventDefault();
      selects.forEach(function (s) {
        var v = target.searchParams.get(s.name) || "";
        s.value = hasOption(s, v) ? v : "";
      });
      apply();
      var heading = document.getElementById("directory-title");
      if (heading) heading.scrollIntoView();
      if (selects[0]) selects[0].focus({ preventScroll: true });
    });
  });

  /* Back/forward cache and reload restore form values on their own: the URL wins. */
  window.addEventListener("pageshow", function () {
    restore();
    apply();
  });
  restore();
  apply();
})();
