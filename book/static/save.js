/* "Save this book on this device": see docs/architecture.md (offline.py,
   worker/sw.js, save.js). Comments are kept short: every learner downloads them. */
(function () {
  "use strict";
  var S = /*KQ-SAVE-STRINGS*/{};
  var CURRENT = "kampot-book-current";
  var sw = navigator.serviceWorker;
  /* The site's root (the worker and its lists), above a translation's book. */
  var site = document.querySelector('meta[name="kq-site-root"]');
  var root = new URL(site ? site.content : "./", location.href).href;
  var box = document.querySelector("[data-kq-save]");
  var button = box && box.querySelector(".kq-save-button");
  var status = box && box.querySelector(".kq-save-status");
  var hosted = /^https?:$/.test(location.protocol) && window.isSecureContext && sw && window.caches;

  function state(value) { if (box) { box.setAttribute("data-kq-save", value); } }
  function say(text) { if (status) { status.textContent = text; } }
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }
  var LANG = (document.documentElement.lang || "en") + "-u-nu-latn";  // the page's language, Latin digits
  function num(n, p) { return n.toLocaleString(LANG, { minimumFractionDigits: p, maximumFractionDigits: p }); }
  function size(bytes) {
    return bytes >= 1048576 ? fill(S["save.mb"], { n: num(bytes / 1048576, 1) })
      : fill(S["save.kb"], { n: num(Math.max(1, Math.ceil(bytes / 1024)), 0) });
  }
  function failed(m) { return { reason: fill(S["save.why_" + m.why] || S["save.why_other"], m) }; }  // sw.js's why
  function getJSON(name) {
    if (!navigator.onLine) { return Promise.reject(new Error("offline")); }
    return fetch(root + name, { cache: "no-store" }).then(function (r) {
      if (!r.ok) { throw new Error(name + ": HTTP " + r.status); }
      return r.json();
    });
  }
  function savedList() {
    return caches.match(root + "offline-current", { cacheName: CURRENT }).then(function (hit) {
      return hit ? hit.json() : null;
    });
  }
  /* Register the worker (only now), ask it to save the book on the server,
     report progress with `progress`; resolves with its last message. */
  function save(progress) {
    return sw.register(root + "sw.js", { scope: root }).then(function () { return sw.ready; }).then(function (reg) {
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        var ended = false;
        channel.port1.onmessage = function (event) {
          if (ended) { return; }
          if (event.data.state === "progress") { progress(event.data); } else { ended = true; resolve(event.data); }
        };
        reg.active.postMessage({ type: "save" }, [channel.port2]);
      });
    }).catch(function () { return { state: "failed", why: "other" }; });
  }

  function offer(list) {
    getJSON("offline.json").then(function (next) {
      if (next.version === list.version || sessionStorage.getItem("kq-update-later") === next.version) { return; }
      var had = {};
      list.files.forEach(function (f) { had[f[0]] = f[2]; });
      var bytes = next.files.reduce(function (n, f) { return had[f[0]] === f[2] ? n : n + f[1]; }, 0);
      var bar = document.createElement("div");
      bar.className = "kq-update";
      bar.setAttribute("role", "region");
      bar.setAttribute("aria-label", S["save.region"]);
      var p = document.createElement("p");
      var yes = document.createElement("button");
      var no = document.createElement("button");
      var note = document.createElement("p");
      yes.type = no.type = "button";
      yes.className = "kq-update-yes";
      no.className = "kq-update-no";
      yes.textContent = fill(S["save.update_button"], { size: size(bytes) });
      no.textContent = S["save.later"];
      note.setAttribute("role", "status");
      p.append(S["save.update"] + " ", yes, " ", no);
      bar.append(p, note);
      (document.querySelector("article") || document.querySelector("main") || document.body).prepend(bar);
      document.documentElement.setAttribute("data-kq-update", "offered");
      yes.addEventListener("click", function () {
        yes.disabled = no.disabled = true;
        save(function (m) { note.textContent = fill(S["save.updating"], m); }).then(function (m) {
          if (m.state === "saved") { location.reload(); return; }
          note.textContent = fill(S["save.update_failed"], failed(m));
          yes.disabled = no.disabled = false;
        });
      });
      no.addEventListener("click", function () {
        sessionStorage.setItem("kq-update-later", next.version);
        bar.remove();
        document.documentElement.setAttribute("data-kq-update", "declined");
      });
    }).catch(function () { /* offline or no list: nothing to offer */ });
  }

  if (!hosted) { state("zip"); return; }  // file://, or http without TLS: the zip link
  savedList().then(function (list) {
    if (list) {
      state("saved");
      say(S["save.saved"]);
      if (box) { box.hidden = false; }
      return getJSON("offline-version.json").then(function (v) {
        if (v.version !== list.version) { offer(list); }
      });
    }
    if (!box) { return null; }
    return getJSON("offline-version.json").then(function (v) {
      button.textContent = fill(S["save.button"], { size: size(v.total) });
      box.hidden = false;
      state("ready");
      button.addEventListener("click", function () {
        button.disabled = true;
        state("saving");
        save(function (m) { say(fill(S["save.saving"], m)); }).then(function (m) {
          if (m.state === "saved") {
            say(S["save.saved"]);
            status.tabIndex = -1;   // the button goes away: the focus moves to what replaced it
            status.focus();
            button.hidden = true;
            state("saved");
          } else {
            say(fill(S["save.failed"], failed(m)));
            button.disabled = false;
            state("failed");
          }
        });
      });
    });
  }).catch(function () { /* offline: the saved state is shown when there is one */ });
})();
