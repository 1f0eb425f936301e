// esiin serve: live reload and build errors in the browser.
//
// `esiin serve` injects this script into every page it serves (never into
// `esiin build` output). It listens on /__esiin/ws for JSON events:
//   {"type":"reload","paths":[...],"css_only":bool}  files that changed
//   {"type":"errors","errors":[{location,message,hint,line}]}  build failed
//   {"type":"ok"}  the build works again
//   {"type":"warnings","warnings":[{location,message,hint,line}]}  the
//       served site's warnings (sent when they change, and on connecting)
// A page reloads when its own file (or an image or script it shows)
// changed, keeping its scroll position; changed stylesheets are swapped in
// place without a reload. Errors show in a panel over the page, in a shadow
// root so the site's CSS cannot touch it. Warnings show in a small panel
// in the bottom corner, under the error panel; closed, it stays closed
// (for this tab, across reloads) until the warnings change. When the server goes away, the
// script reconnects with backoff and reloads once the server is back.
(() => {
  "use strict";
  if (window.__esiinLive) return;
  window.__esiinLive = true;

  const SCROLL_KEY = "esiin:scroll";
  const OVERLAY_TAG = "esiin-error-overlay";
  const WARNINGS_TAG = "esiin-warnings";
  const DISMISSED_KEY = "esiin:warnings-dismissed";
  const MAX_SHOWN = 50;
  let socket = null;
  let attempts = 0;
  let lost = false; // the connection dropped: reload once it is back
  let leaving = false;

  // The site's file for a path: /a/b/ → a/b/index.html, / → index.html.
  function keyOf(pathname) {
    let path = pathname;
    try {
      path = decodeURIComponent(pathname);
    } catch (_) {
      // a malformed escape: compare it as it is
    }
    path = path.replace(/^\/+/, "");
    return path === "" || path.endsWith("/") ? path + "index.html" : path;
  }

  // The site's file for a URL of this origin, or null.
  function keyOfUrl(url) {
    try {
      const u = new URL(url, location.href);
      return u.origin === location.origin ? keyOf(u.pathname) : null;
    } catch (_) {
      return null;
    }
  }

  function reload() {
    try {
      sessionStorage.setItem(
        SCROLL_KEY,
        JSON.stringify({ path: location.pathname, x: window.scrollX, y: window.scrollY }),
      );
    } catch (_) {
      // storage disabled: reload without keeping the position
    }
    location.reload();
  }

  function restoreScroll() {
    let saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(SCROLL_KEY) || "null");
      sessionStorage.removeItem(SCROLL_KEY);
    } catch (_) {
      return;
    }
    if (!saved || saved.path !== location.pathname) return;
    const apply = () => window.scrollTo(saved.x, saved.y);
    apply();
    // Images still loading may grow the page: once more when they are in.
    if (document.readyState !== "complete") {
      window.addEventListener("load", apply, { once: true });
    }
  }

  // Images, scripts and frames of this page whose file changed.
  function showsChanged(changed) {
    const urls = [];
    for (const img of document.images) urls.push(img.currentSrc || img.src);
    for (const script of document.scripts) if (script.src) urls.push(script.src);
    for (const el of document.querySelectorAll(
      "iframe[src], embed[src], video[src], audio[src], source[src], object[data]",
    )) {
      urls.push(el.src || el.data);
    }
    return urls.some((url) => changed.has(keyOfUrl(url)));
  }

  // Replaces each changed stylesheet by a fresh copy; the old one goes
  // once the new one has loaded, so the page never shows unstyled.
  function swapStylesheets(changed) {
    for (const link of document.querySelectorAll('link[rel~="stylesheet" i]')) {
      if (link.hasAttribute("data-esiin-old")) continue; // already on its way out
      const key = keyOfUrl(link.href);
      if (!key || !changed.has(key)) continue;
      const url = new URL(link.href);
      url.searchParams.set("v", String(Date.now()));
      const fresh = link.cloneNode(false);
      fresh.removeAttribute("integrity"); // the new file has another hash
      fresh.href = url.href;
      link.setAttribute("data-esiin-old", "");
      const drop = () => link.remove();
      fresh.addEventListener("load", drop, { once: true });
      fresh.addEventListener("error", drop, { once: true });
      link.after(fresh);
    }
  }

  function onReload(paths, cssOnly) {
    const changed = new Set(paths);
    if (!cssOnly && (changed.has(keyOf(location.pathname)) || showsChanged(changed))) {
      reload();
      return;
    }
    swapStylesheets(changed);
  }

  const STYLE = `
    :host { color-scheme: light dark; }
    .panel {
      box-sizing: border-box; margin: 16px auto; padding: 14px 20px 16px;
      width: min(56rem, calc(100vw - 32px)); max-height: calc(100vh - 32px); overflow: auto;
      background: #fff; color: #1a1a1a; text-align: left;
      border: 1px solid #d0d0d0; border-top: 6px solid #c62828; border-radius: 8px;
      box-shadow: 0 12px 40px rgba(0, 0, 0, .35);
      font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
    }
    .head { display: flex; align-items: baseline; gap: 12px; }
    h2 { flex: 1; margin: 0; font-size: 17px; color: #b71c1c; }
    button {
      font: inherit; line-height: 1.2; color: inherit; background: transparent;
      border: 1px solid currentColor; border-radius: 4px; padding: 2px 10px; cursor: pointer;
    }
    .note { margin: 4px 0 10px; color: #555; }
    ol { list-style: none; margin: 0; padding: 0; }
    li { border-top: 1px solid #e0e0e0; padding: 10px 0; }
    code, pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
    .location { font-weight: 600; }
    .message { margin: 2px 0; white-space: pre-wrap; }
    pre {
      margin: 6px 0; padding: 6px 10px; background: #f4f4f4; border-radius: 4px;
      white-space: pre-wrap; overflow-wrap: anywhere;
    }
    .hint { margin: 4px 0 0; color: #1b5e20; white-space: pre-wrap; }
    @media (prefers-color-scheme: dark) {
      .panel { background: #1e1f22; color: #e8e8e8; border-color: #3a3b3f; border-top-color: #ef5350; }
      h2 { color: #ff8a80; }
      .note { color: #b4b4b4; }
      li { border-top-color: #3a3b3f; }
      pre { background: #2b2d31; }
      .hint { color: #a5d6a7; }
    }`;

  function element(tag, className, text) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text != null) el.textContent = text;
    return el;
  }

  function hideErrors() {
    for (const old of document.querySelectorAll(OVERLAY_TAG)) old.remove();
  }

  function showErrors(errors) {
    hideErrors();
    if (!errors.length) return;
    const host = document.createElement(OVERLAY_TAG);
    // Inline and important: the site's CSS cannot hide or move the panel.
    host.style.cssText =
      "all: initial !important; display: block !important; position: fixed !important;" +
      "top: 0 !important; left: 0 !important; right: 0 !important;" +
      "z-index: 2147483647 !important;";
    const root = host.attachShadow({ mode: "open" });
    root.appendChild(element("style", null, STYLE));
    const panel = element("div", "panel");
    panel.setAttribute("role", "alert");
    panel.setAttribute("aria-labelledby", "title");
    const head = element("div", "head");
    const n = errors.length;
    const title = element("h2", null, `The handbook does not build: ${n} error${n === 1 ? "" : "s"}`);
    title.id = "title";
    const hide = element("button", null, "Hide");
    hide.type = "button";
    hide.addEventListener("click", () => host.remove());
    head.append(title, hide);
    panel.append(
      head,
      element("p", "note", "This page shows the last version that built. Fix the file and save: this panel goes away by itself."),
    );
    const list = element("ol");
    for (const e of errors.slice(0, MAX_SHOWN)) {
      const item = element("li");
      if (e.location) item.append(element("code", "location", e.location));
      item.append(element("div", "message", e.message));
      if (e.line != null) item.append(element("pre", null, e.line));
      if (e.hint) item.append(element("p", "hint", "Hint: " + e.hint));
      list.append(item);
    }
    if (n > MAX_SHOWN) {
      list.append(element("li", "note", `… and ${n - MAX_SHOWN} more: see the terminal.`));
    }
    panel.append(list);
    root.appendChild(panel);
    document.documentElement.appendChild(host);
  }

  const WARNINGS_STYLE = `
    :host { color-scheme: light dark; }
    .panel {
      box-sizing: border-box; width: min(28rem, calc(100vw - 32px));
      background: #fff; color: #1a1a1a; text-align: left;
      border: 1px solid #d0d0d0; border-left: 6px solid #b26a00; border-radius: 8px;
      box-shadow: 0 6px 24px rgba(0, 0, 0, .25);
      font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
    }
    .head { display: flex; align-items: center; gap: 8px; padding: 8px 10px 6px 14px; }
    h2 { flex: 1; margin: 0; font-size: 15px; color: #8a4b00; }
    button {
      font: inherit; line-height: 1.2; color: inherit; background: transparent;
      border: 1px solid currentColor; border-radius: 4px; padding: 2px 8px; cursor: pointer;
    }
    button:focus-visible, .list:focus-visible { outline: 2px solid #1565c0; outline-offset: 2px; }
    .list { max-height: 30vh; overflow: auto; margin: 0; padding: 0 14px 8px; list-style: none; }
    li { border-top: 1px solid #e0e0e0; padding: 6px 0; }
    code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-weight: 600; }
    .message { margin: 2px 0; white-space: pre-wrap; }
    .hint { margin: 2px 0 0; color: #1b5e20; white-space: pre-wrap; }
    @media (prefers-color-scheme: dark) {
      .panel { background: #1e1f22; color: #e8e8e8; border-color: #3a3b3f; border-left-color: #ffb74d; }
      h2 { color: #ffcc80; }
      li { border-top-color: #3a3b3f; }
      .hint { color: #a5d6a7; }
    }`;

  // The panel's host, made once: a live region announces changes to a
  // region already on the page, not one just added.
  let warningsHost = null;
  let warningsShown = ""; // the signature of the list in the panel

  // What identifies a list of warnings: two builds with the same warnings
  // have the same signature, so a closed panel stays closed.
  function signatureOf(warnings) {
    return JSON.stringify(warnings.map((w) => [w.location, w.message, w.hint]));
  }

  function dismissedSignature() {
    try {
      return sessionStorage.getItem(DISMISSED_KEY);
    } catch (_) {
      return null;
    }
  }

  function setDismissed(signature) {
    try {
      if (signature == null) sessionStorage.removeItem(DISMISSED_KEY);
      else sessionStorage.setItem(DISMISSED_KEY, signature);
    } catch (_) {
      // storage disabled: closed for this page only
    }
  }

  function warningsPanel() {
    if (warningsHost && warningsHost.isConnected) return warningsHost;
    const host = document.createElement(WARNINGS_TAG);
    // One below the error panel, which it never covers; bottom corner,
    // out of the way of the page's top navigation.
    host.style.cssText =
      "all: initial !important; display: block !important; position: fixed !important;" +
      "bottom: 16px !important; right: 16px !important;" +
      "z-index: 2147483646 !important;";
    setShown(host, false);
    const root = host.attachShadow({ mode: "open" });
    root.appendChild(element("style", null, WARNINGS_STYLE));
    const panel = element("section", "panel");
    panel.setAttribute("aria-labelledby", "title");
    const head = element("div", "head");
    const title = element("h2");
    title.id = "title";
    title.setAttribute("aria-live", "polite");
    const close = element("button", null, "×");
    close.type = "button";
    close.setAttribute("aria-label", "Close the warnings");
    close.title = "Close (Esc): stays closed until the warnings change";
    close.addEventListener("click", dismissWarnings);
    head.append(title, close);
    const list = element("ul", "list");
    // Focusable, so that a long list scrolls from the keyboard.
    list.tabIndex = 0;
    list.setAttribute("aria-label", "Warnings");
    panel.append(head, list);
    panel.addEventListener("keydown", (e) => {
      if (e.key === "Escape") dismissWarnings();
    });
    root.appendChild(panel);
    document.documentElement.appendChild(host);
    warningsHost = host;
    return host;
  }

  // Through the inline style: the `hidden` attribute would lose to its
  // `display: block !important`.
  function setShown(host, shown) {
    if (host) host.style.setProperty("display", shown ? "block" : "none", "important");
  }

  function isShown(host) {
    return !!host && host.style.getPropertyValue("display") !== "none";
  }

  function dismissWarnings() {
    setDismissed(warningsShown);
    setShown(warningsHost, false);
  }

  function showWarnings(warnings) {
    const signature = signatureOf(warnings);
    if (!warnings.length) {
      setDismissed(null);
      warningsShown = signature;
      setShown(warningsHost, false);
      return;
    }
    const dismissed = dismissedSignature();
    if (dismissed === signature) {
      warningsShown = signature;
      setShown(warningsHost, false);
      return;
    }
    // Other warnings than the ones closed: the closing no longer holds.
    if (dismissed != null) setDismissed(null);
    const host = warningsPanel();
    if (signature === warningsShown && isShown(host)) return; // nothing new to announce
    warningsShown = signature;
    const root = host.shadowRoot;
    const list = root.querySelector(".list");
    list.replaceChildren();
    for (const w of warnings.slice(0, MAX_SHOWN)) {
      const item = element("li");
      if (w.location) item.append(element("code", null, w.location));
      item.append(element("div", "message", w.message));
      if (w.hint) item.append(element("p", "hint", "Hint: " + w.hint));
      list.append(item);
    }
    const n = warnings.length;
    if (n > MAX_SHOWN) list.append(element("li", null, `… and ${n - MAX_SHOWN} more: see the terminal.`));
    setShown(host, true);
    // Set after the panel shows, so that the live region announces it.
    root.querySelector("h2").textContent = `The handbook has ${n} warning${n === 1 ? "" : "s"}`;
  }

  function onMessage(event) {
    let data;
    try {
      data = JSON.parse(event.data);
    } catch (_) {
      return;
    }
    if (data.type === "reload") onReload(data.paths || [], !!data.css_only);
    else if (data.type === "errors") showErrors(data.errors || []);
    else if (data.type === "ok") hideErrors();
    else if (data.type === "warnings") showWarnings(data.warnings || []);
  }

  function connect() {
    if (leaving) return;
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const ws = new WebSocket(scheme + location.host + "/__esiin/ws");
    socket = ws;
    ws.onopen = () => {
      if (lost) {
        // The server restarted: the site may have changed meanwhile.
        reload();
        return;
      }
      attempts = 0;
    };
    ws.onmessage = onMessage;
    ws.onclose = () => {
      if (socket !== ws || leaving) return;
      socket = null;
      lost = true;
      const delay = Math.min(5000, 200 * 2 ** attempts);
      attempts += 1;
      setTimeout(connect, delay);
    };
  }

  window.addEventListener("pagehide", () => {
    leaving = true;
    if (socket) socket.close();
  });
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    // Back from the back-forward cache: reconnect, and reload to be current.
    leaving = false;
    lost = true;
    connect();
  });

  restoreScroll();
  connect();
})();
