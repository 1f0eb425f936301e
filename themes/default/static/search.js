// The handbook's search box (partials/search.html): results as you type,
// from the Pagefind index esiin writes under `search/`. Nothing is loaded
// until the reader first uses the box; then a query loads only the index
// chunks and result fragments it needs.
//
// The index is stemmed in the handbook's language (Snowball, in Pagefind's
// WASM core). A Finnish company's handbook mixes Finnish and English, and
// Snowball's Finnish stems keep some forms of a word apart (koulutus →
// koulutus, koulutukseen → koulutuks), so each word is also searched in a
// light truncation (`koulutukseen` → `koulutu`, and on a Finnish handbook
// `presenting` → `present`): Pagefind matches indexed words by prefix, so
// the truncation finds every inflected form.
(function () {
  "use strict";
  var box = document.getElementById("site-search");
  if (!box) return;
  var input = box.querySelector(".site-search-input");
  var panel = box.querySelector(".site-search-panel");
  var status = box.querySelector(".site-search-status");
  var list = box.querySelector(".site-search-results");
  var ds = box.dataset;
  var MAX = 8;
  box.hidden = false;

  // Finnish: cut the endings and stem alternations that Snowball keeps
  // apart (koulutus / koulutukse-en / koulutus-ta; esiintyminen /
  // esiintymise-en) back to the part every form shares.
  function fiTruncate(w) {
    if (w.length < 6) return w;
    var m = w.match(/^(.{3,}?[uyoö])(?:ks[eiaä].*|s|st[aä]|sten)$/) ||
      w.match(/^(.{4,}?i)(?:nen|s[eiaä].*|st[aä])$/) ||
      w.match(/^(.{4,}?)(?:ss[aä]|st[aä]|ll[aä]|lt[aä]|lle|ksi|seen|h[aeiouyäö]n|tt[aä]|[aä]n|en|in)$/);
    return m ? m[1] : w;
  }
  // English: the common suffixes (presenting, presentation → present).
  function enTruncate(w) {
    var m = w.match(/^(.{4,}?)(?:ations?|ments?|ings?|ers?|ed|es|ly|s)$/);
    return m ? m[1] : w;
  }
  // Finnish truncation on every handbook: Snowball leaves the alternations
  // above apart in a Finnish index too. English only where the index is
  // not stemmed as English.
  var truncations = ds.language === "fi" ? [fiTruncate, enTruncate] : [fiTruncate];

  // The word's *form key*: every inflected form of a Finnish word, across
  // consonant gradation (näkyvyys, näkyvyyden, näkyvyyttä → näkyv;
  // pelisäännöt, pelisääntöjä → pelisään), maps to one key. esiin indexes
  // each page's keys in a hidden meta field (src/search/forms.rs, which
  // this must match letter for letter; the unit tests there hold the same
  // cases), so the key of a typed form finds the pages with any form.
  var POSSESSIVES = ["mme", "nne", "nsa", "nsä"];
  var CASES = ["itten", "iden", "issa", "issä", "ista", "istä", "illa", "illä",
    "ilta", "iltä", "ille", "iksi", "ihin", "seen", "ssa", "ssä", "sta", "stä",
    "lla", "llä", "lta", "ltä", "lle", "ksi", "tta", "ttä", "ien", "hin", "han",
    "hen", "hon", "hun", "hyn", "hän", "hön", "ja", "jä", "ia", "iä", "na", "nä",
    "ta", "tä", "en", "in", "an", "än", "n", "t"];
  var GRADATION = [["kk", "k"], ["pp", "p"], ["tt", "t"], ["nn", "n"], ["nt", "n"],
    ["nk", "n"], ["ng", "n"], ["ll", "l"], ["lt", "l"], ["rr", "r"], ["rt", "r"],
    ["mm", "m"], ["mp", "m"], ["d", "t"]];
  function cut(w, end, keep) {
    return w.length - end.length >= keep && w.slice(-end.length) === end ? w.slice(0, -end.length) : null;
  }
  function formKey(word) {
    var w = word.toLowerCase();
    if (!/^[a-zäöå]{5,}$/.test(w)) return null;
    var c, i;
    for (i = 0; i < POSSESSIVES.length; i++) {
      if ((c = cut(w, POSSESSIVES[i], 5))) { w = c; break; }
    }
    if ((c = cut(w, "nen", 3))) {
      w = c + "s";
    } else {
      for (i = 0; i < CASES.length; i++) {
        if ((c = cut(w, CASES[i], 4))) { w = c; break; }
      }
    }
    while (w.length > 4 && "aeiouyäöstdk".indexOf(w.charAt(w.length - 1)) >= 0) {
      w = w.slice(0, -1);
    }
    GRADATION.forEach(function (g) { w = w.split(g[0]).join(g[1]); });
    return w;
  }
  function words(q) {
    return q.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  }

  var pagefind = null;
  function load() {
    if (!pagefind) {
      pagefind = import(ds.bundle + "pagefind.js").then(function (pf) {
        var inst = pf.createInstance({
          basePath: ds.bundle,
          // Result URLs are decoded by `href`, not prefixed by Pagefind.
          baseUrl: "/",
          noWorker: true,
          excerptLength: 24
        });
        // Finnish needs its diacritics (`sää` is not `saa`): see pfSearch.
        return inst;
      });
      pagefind.catch(function () { pagefind = null; });
    }
    return pagefind;
  }

  // The query as typed and its truncations, merged by page: a page keeps
  // its best score, the query as typed winning a tie.
  // Pagefind's `exactDiacritics` compares the word as typed with the
  // *stemmed* words of the index, so with it on, a word whose stem is not
  // a prefix of it finds nothing (`visibility` → `visibl`, `writing` →
  // `write`). It is therefore on only for a query that has diacritics
  // (`sää` must not find `saa`). Searches run one at a time, as the
  // option belongs to the instance.
  var queue = Promise.resolve();
  function pfSearch(pf, text) {
    var exact = /[^\u0000-\u007f]/.test(text);
    var p = queue.then(function () {
      return pf.options({ exactDiacritics: exact });
    }).then(function () { return pf.search(text); });
    queue = p.catch(function () {});
    return p;
  }

  // A one-word query that finds fewer than five pages, even by its form
  // key (a typo: `mikrofni`, `tietoturav`; a compound whose part is on
  // the page: `somekanava`), is also searched by its longest prefix and
  // its longest tail (the prefix at least 4 letters and 55% of the word,
  // the tail at least 5 letters: Pagefind stems and prefix-matches a
  // query, so a 4-letter tail is a 3-letter prefix, `baseline` → `line`
  // → every page with `linkedin`) that find something; those pages rank
  // below the ones the word found. A word found on five pages or more never costs these searches.
  // A prefix sorts beside the word, so its search reads the index chunk
  // the word's did; each tail may load a chunk of its own (up to ~100 KB
  // on a large handbook), so a word that found some pages tries only its
  // `maxTails` longest tails (`somekanava` → `ekanava`, `kanava`).
  function fallback(pf, w, maxTails) {
    var tries = [];
    var min = Math.max(4, Math.floor(w.length * 0.55));
    var n;
    for (n = w.length - 1; n >= min; n--) tries.push(["p", w.slice(0, n)]);
    for (n = 3; w.length - n >= 5 && n < 3 + maxTails; n++) tries.push(["t", w.slice(n)]);
    var found = {};
    return tries.reduce(function (chain, t) {
      return chain.then(function (acc) {
        if (found[t[0]]) return acc;
        return pfSearch(pf, t[1]).then(function (r) {
          if (r && r.results && r.results.length) {
            found[t[0]] = true;
            acc.push(r);
          }
          return acc;
        });
      });
    }, Promise.resolve([]));
  }

  // How many distinct pages the searches in `all` found.
  function pages(all) {
    var ids = new Set();
    all.forEach(function (r) {
      if (r && r.results) r.results.forEach(function (hit) { ids.add(hit.id); });
    });
    return ids.size;
  }

  function search(pf, q) {
    var ws = words(q);
    var texts = [ws.join(" ")];
    truncations.forEach(function (cut) {
      var t = ws.map(cut).join(" ");
      if (texts.indexOf(t) < 0) texts.push(t);
    });
    var keyed = ws.map(function (w) { return formKey(w) || w; }).join(" ");
    var queries = texts.map(function (t) { return pfSearch(pf, t); });
    return Promise.all(queries).then(function (all) {
      var typed = all[0];
      var found = typed && typed.results ? typed.results.length : 0;
      // The form key and the fallbacks only for a query that finds little
      // as typed: a short key spans more of the index, and on a large
      // handbook a common word's forms would load another index chunk.
      if (found >= 5) return all;
      var key = texts.indexOf(keyed) < 0 ? pfSearch(pf, keyed) : Promise.resolve(null);
      return key.then(function (r) {
        if (r) r.factor = 0.9;
        all.push(r);
        var seen = pages(all);
        if (ws.length !== 1 || seen >= 5) return all;
        return fallback(pf, ws[0], seen ? 2 : Infinity).then(function (more) {
          // Below every page a form of the word itself found.
          more.forEach(function (m) { m.tier = 1; });
          return all.concat(more);
        });
      });
    }).then(function (all) {
      var best = new Map();
      all.forEach(function (r, i) {
        if (!r || !r.results) return;
        var tier = r.tier || 0;
        r.results.forEach(function (hit) {
          var score = hit.score * (r.factor || (i === 0 ? 1 : 0.9));
          var seen = best.get(hit.id);
          if (!seen || seen.tier > tier || (seen.tier === tier && seen.score < score)) {
            best.set(hit.id, { tier: tier, score: score, hit: hit });
          }
        });
      });
      var ranked = Array.from(best.values()).sort(function (a, b) {
        return a.tier - b.tier || b.score - a.score;
      });
      return {
        total: ranked.length,
        top: Promise.all(ranked.slice(0, MAX).map(function (e) { return e.hit.data(); }))
      };
    });
  }

  // Pagefind's excerpts mark matches with <mark>; keep those and only text.
  function excerpt(html) {
    var tpl = document.createElement("template");
    tpl.innerHTML = html;
    var out = document.createDocumentFragment();
    tpl.content.childNodes.forEach(function (n) {
      if (n.nodeType === 1 && n.nodeName === "MARK") {
        var m = document.createElement("mark");
        m.textContent = n.textContent;
        out.appendChild(m);
      } else {
        out.appendChild(document.createTextNode(n.textContent));
      }
    });
    return out;
  }

  // A result's link. Pagefind's URL for a page is `/SLOT/HEX/` (see
  // src/search/bundle.rs: the slot numbers the page in the index, HEX is
  // the page's own URL in hexadecimal, under the base path), a section's
  // the same with `#heading`.
  function href(url) {
    var hash = url.indexOf("#");
    var path = hash < 0 ? url : url.slice(0, hash);
    var hex = path.split("/").filter(Boolean).slice(1).join("");
    var own = "";
    for (var i = 0; i + 1 < hex.length; i += 2) {
      own += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
    }
    return ds.base.replace(/\/+$/, "") + own + (hash < 0 ? "" : url.slice(hash));
  }

  // The section of the page where most matches are, if it has a heading.
  function bestSection(data) {
    var best = null;
    (data.sub_results || []).forEach(function (s) {
      var n = (s.locations || []).length;
      if (!best || n > best.n) best = { n: n, s: s };
    });
    return best && best.s.url.indexOf("#") >= 0 ? best.s : null;
  }

  // Pagefind cuts its excerpt out of the page's text at a word count, so
  // it may start inside the title that precedes an expert's topics
  // ("Mäki. kubernetes · …") or inside a sentence. Start it after the first
  // boundary before the first match when the text before it is the end of
  // the title or begins in the middle of a sentence.
  function trimLead(html, title) {
    var m = html.indexOf("<mark>");
    var head = m < 0 ? html : html.slice(0, m);
    var b = /^([^<]*?[.!?:\u00b7])\s+/.exec(head);
    if (!b) return html;
    var lead = b[1].slice(0, -1).trim();
    var ofTitle = lead.length > 0 && title.slice(-lead.length) === lead;
    return ofTitle || /^\p{Ll}/u.test(head) ? html.slice(b[0].length) : html;
  }

  function item(data) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    var section = bestSection(data);
    a.href = href(section ? section.url : data.url);
    a.className = "site-search-hit";
    var head = document.createElement("span");
    head.className = "site-search-head";
    var title = document.createElement("span");
    title.className = "site-search-title";
    title.textContent = (data.meta && data.meta.title) || href(data.url);
    var kind = (data.meta && data.meta.kind) || "page";
    var badge = document.createElement("span");
    badge.className = "site-search-kind kind-" + kind;
    badge.textContent = ds["kind" + kind.charAt(0).toUpperCase() + kind.slice(1)] || kind;
    head.append(title, badge);
    a.appendChild(head);
    if (section) {
      var where = document.createElement("span");
      where.className = "site-search-section";
      where.textContent = ds.inSection.replace("{section}", section.title);
      a.appendChild(where);
    }
    var p = document.createElement("span");
    p.className = "site-search-excerpt";
    p.appendChild(excerpt(trimLead(section ? section.excerpt : data.excerpt, title.textContent)));
    a.appendChild(p);
    li.appendChild(a);
    return li;
  }

  // The box's own search, as a reader gets it (the first `n` results'
  // page links), and its form keys, for the query-set test
  // (tests/suite/browser_search_recall.rs).
  box.esiinFormKey = formKey;
  box.esiinSearch = function (q, n) {
    return load().then(function (pf) { return search(pf, q); }).then(function (r) {
      return r.top.then(function (top) {
        return top.slice(0, n).map(function (d) { return href(d.url); });
      });
    });
  };

  var latest = 0;
  function run() {
    var q = input.value.trim();
    var id = ++latest;
    if (!q) {
      close();
      return;
    }
    load().then(function (pf) {
      return search(pf, q);
    }).then(function (r) {
      if (id !== latest) return null;
      return r.top.then(function (top) {
        if (id !== latest) return;
        list.replaceChildren.apply(list, top.map(item));
        status.textContent = r.total === 0 ? ds.noResults.replace("{q}", q)
          : r.total === 1 ? ds.resultsOne : ds.results.replace("{n}", r.total);
        open();
      });
    }).catch(function () {
      if (id !== latest) return;
      list.replaceChildren();
      status.textContent = ds.error;
      open();
    });
  }

  // No aria-expanded on the input: ARIA allows it only on a combobox, and
  // this is not one (↓ moves the focus into the results, which are links).
  // The panel's status line announces the results instead.
  function open() {
    panel.hidden = false;
  }
  function close() {
    panel.hidden = true;
  }
  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a"));
  }

  var timer = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 120);
  });
  input.addEventListener("focus", function () {
    load();
    if (input.value.trim() && list.childElementCount) open();
  });
  // Keys: ↓ from the box into the results, ↑/↓ between them, Esc back to
  // the box (and, from the box, closes the results).
  box.addEventListener("keydown", function (e) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (e.key === "ArrowDown" && all.length) {
      e.preventDefault();
      all[Math.min(at + 1, all.length - 1)].focus();
    } else if (e.key === "ArrowUp" && at >= 0) {
      e.preventDefault();
      if (at === 0) input.focus();
      else all[at - 1].focus();
    } else if (e.key === "Escape") {
      if (at >= 0) input.focus();
      else close();
    }
  });
  document.addEventListener("click", function (e) {
    if (!box.contains(e.target)) close();
  });
  // `/` anywhere but in a text field jumps to the search box.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    e.preventDefault();
    input.focus();
    input.select();
  });
})();
