/* esiin default theme: ticks off the steps of an onboarding path.
 *
 * Every element marked `data-path-tracker` follows one path: the path page's
 * list of steps, and the box on each step's own page. Its steps are the
 * elements inside it with `data-step` (a page id) and `data-minutes`; its
 * progress is kept in localStorage under `data-storage-key`, as a JSON array
 * of the ids of the steps ticked off (shared by every page of the path).
 * The script shows the controls the HTML keeps `hidden` (`data-path-controls`),
 * ticks the checkboxes (`data-step-check`, value = a step's id), fills the
 * progress bar (`data-progress-bar`) and text (`data-progress-text`), and on
 * the path page exports the progress as a Markdown checklist
 * (`data-path-export`), and shows "continue where you left off" with the
 * next unticked step (`data-path-continue`, on the path page and the home
 * page). Without it the pages are plain lists and links.
 * UI strings come from this script element's data attributes.
 * No framework, nothing fetched.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var text = (script && script.dataset) || {};
  var trackers = Array.prototype.slice.call(document.querySelectorAll("[data-path-tracker]"));
  if (!trackers.length) return;

  /* Ticks kept in memory when the browser refuses localStorage (private
     modes, storage turned off): they last as long as the page. */
  var memory = {};

  function load(key) {
    var raw = null;
    try {
      raw = window.localStorage.getItem(key);
    } catch (e) {
      raw = memory[key] || null;
    }
    if (!raw) return [];
    try {
      var ids = JSON.parse(raw);
      return Array.isArray(ids) ? ids.filter(function (id) { return typeof id === "string"; }) : [];
    } catch (e) {
      return [];
    }
  }

  function save(key, ids) {
    var raw = JSON.stringify(ids);
    memory[key] = raw;
    try {
      window.localStorage.setItem(key, raw);
    } catch (e) {
      /* kept in memory only */
    }
  }

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
  }

  /* 90 → "1 h 30 min", as esiin writes durations. */
  function duration(minutes) {
    var h = Math.floor(minutes / 60);
    var m = minutes % 60;
    var min = text.minutes || "min";
    var hours = text.hours || "h";
    if (!h) return m + " " + min;
    if (!m) return h + " " + hours;
    return h + " " + hours + " " + m + " " + min;
  }

  function stepsOf(tracker) {
    return Array.prototype.slice.call(tracker.querySelectorAll("[data-step]")).map(function (el) {
      return {
        id: el.getAttribute("data-step"),
        minutes: parseInt(el.getAttribute("data-minutes"), 10) || 0,
        el: el
      };
    });
  }

  /* "3 of 7 done · 45 min left" for a tracker's steps and the ticked ids. */
  function summary(steps, done) {
    var n = 0;
    var total = 0;
    var left = 0;
    steps.forEach(function (s) {
      total += s.minutes;
      if (done.indexOf(s.id) >= 0) n += 1;
      else left += s.minutes;
    });
    var values = { n: n, total: steps.length, time: duration(left) };
    var template = n === steps.length ? text.progressAll : total ? text.progress : text.progressCount;
    return { n: n, text: fill(template || "{n} / {total}", values) };
  }

  function render(tracker) {
    var key = tracker.getAttribute("data-storage-key");
    var done = load(key);
    var steps = stepsOf(tracker);
    var s = summary(steps, done);
    var bar = tracker.querySelector("[data-progress-bar]");
    if (bar) {
      bar.max = Math.max(steps.length, 1);
      bar.value = s.n;
      bar.textContent = s.n + " / " + steps.length;
    }
    var out = tracker.querySelector("[data-progress-text]");
    /* Only touch the live region when the text changes, so it is announced once. */
    if (out && out.textContent !== s.text) out.textContent = s.text;
    tracker.querySelectorAll("[data-step-check]").forEach(function (box) {
      box.checked = done.indexOf(box.value) >= 0;
    });
    steps.forEach(function (step) {
      step.el.classList.toggle("is-done", done.indexOf(step.id) >= 0);
    });
    showNext(tracker, steps, done);
  }

  /* "Continue where you left off" (`data-path-continue`, the tracker or in
     it): shown once a step is ticked and until every one is, with a link
     (`data-continue-link`) to the first step not ticked. */
  function showNext(tracker, steps, done) {
    var box = tracker.matches("[data-path-continue]") ? tracker : tracker.querySelector("[data-path-continue]");
    if (!box) return;
    var next = null;
    for (var i = 0; i < steps.length && !next; i++) {
      if (done.indexOf(steps[i].id) < 0) next = steps[i];
    }
    var started = steps.some(function (s) { return done.indexOf(s.id) >= 0; });
    box.hidden = !(started && next);
    var link = box.querySelector("[data-continue-link]");
    var from = next && next.el.querySelector("[data-step-link]");
    if (link && from) {
      link.href = from.href;
      link.textContent = from.textContent.trim();
    }
  }

  /* Whether the reader came here through the path: from a page the box
     links to (the path's page, the previous or next step). */
  function arrivedThrough(tracker) {
    var from;
    try {
      from = new URL(document.referrer);
    } catch (e) {
      return false;
    }
    return Array.prototype.some.call(tracker.querySelectorAll("a[href]"), function (a) {
      return a.origin === from.origin && a.pathname === from.pathname;
    });
  }

  /* A step's box (`data-path-box`) shows only to a reader who follows the
     path: one who has ticked a step off, or came here through the path. */
  function reveal(tracker) {
    if (!tracker.hidden || !tracker.hasAttribute("data-path-box")) return;
    if (load(tracker.getAttribute("data-storage-key")).length || arrivedThrough(tracker)) {
      tracker.hidden = false;
    }
  }

  function renderAll() {
    trackers.forEach(render);
    trackers.forEach(reveal);
  }

  function toggle(key, id, on) {
    var ids = load(key).filter(function (x) { return x !== id; });
    if (on) ids.push(id);
    save(key, ids);
    renderAll();
  }

  /* The path as a Markdown checklist, for a 1:1 with the manager. */
  function checklist(tracker) {
    var done = load(tracker.getAttribute("data-storage-key"));
    var steps = stepsOf(tracker);
    var lines = ["# " + (tracker.getAttribute("data-path-title") || document.title), ""];
    lines.push(summary(steps, done).text, "");
    steps.forEach(function (step) {
      var link = step.el.querySelector("[data-step-link]");
      var title = link ? link.textContent.trim() : step.id;
      var item = link ? "[" + title.replace(/([\[\]\\])/g, "\\$1") + "](" + link.href + ")" : title;
      var time = step.minutes ? " (" + step.minutes + " " + (text.minutes || "min") + ")" : "";
      lines.push("- [" + (done.indexOf(step.id) >= 0 ? "x" : " ") + "] " + item + time);
    });
    return lines.join("\n") + "\n";
  }

  function setupExport(tracker) {
    var button = tracker.querySelector("[data-path-export]");
    if (!button) return;
    var status = tracker.querySelector("[data-export-status]");
    var fallback = tracker.querySelector("[data-export-fallback]");
    var area = tracker.querySelector("[data-export-text]");

    function say(message) {
      if (status) status.textContent = message || "";
    }

    /* No clipboard (a page served over plain http, an old browser, or
       permission refused): show the text selected, for Ctrl+C. */
    function showText(markdown) {
      if (!fallback || !area) return;
      area.value = markdown;
      fallback.hidden = false;
      area.focus();
      area.select();
      say(text.exportFallback);
    }

    button.addEventListener("click", function () {
      var markdown = checklist(tracker);
      var clip = navigator.clipboard;
      if (clip && typeof clip.writeText === "function") {
        var copied;
        try {
          copied = clip.writeText(markdown);
        } catch (e) {
          showText(markdown);
          return;
        }
        Promise.resolve(copied).then(
          function () {
            if (fallback) fallback.hidden = true;
            say(text.exportCopied);
          },
          function () { showText(markdown); }
        );
      } else {
        showText(markdown);
      }
    });
  }

  trackers.forEach(function (tracker) {
    var key = tracker.getAttribute("data-storage-key");
    tracker.querySelectorAll("[data-path-controls]").forEach(function (el) { el.hidden = false; });
    if (tracker.matches("[data-path-controls]")) tracker.hidden = false;
    tracker.addEventListener("change", function (event) {
      var box = event.target;
      if (!box.matches || !box.matches("[data-step-check]")) return;
      toggle(key, box.value, box.checked);
    });
    setupExport(tracker);
  });
  renderAll();

  /* Ticks made in another tab, or before coming back with the Back button. */
  window.addEventListener("storage", renderAll);
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) renderAll();
  });
})();
