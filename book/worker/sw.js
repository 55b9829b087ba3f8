/* The book's offline worker (copied to the book's root by book/offline.py).

   Registered only when a learner presses "Save this book on this device"
   (book/static/save.js); until the page sends "save" it stores nothing and
   every request goes to the network as usual.

   Saving: offline.json lists every file with its size and content hash.
   The files go into a cache of their own, "kampot-book-<version>"; each one
   is checked against its hash, and one that is unchanged since the saved
   version is copied from there instead of downloaded (learners pay for
   data). Only when the whole version is stored does the pointer
   ("kampot-book-current") move to it, in one write; then older versions are
   deleted. A failed or interrupted save leaves the saved version as it was.

   Serving: a file of the saved version comes from its cache, whole, even
   when the server has a newer book; save.js offers the newer one. Anything
   else (the zip, the two JSON files) goes to the network. */
"use strict";
var PREFIX = "kampot-book-";
var POINTER = PREFIX + "current";
var ROOT = new URL("./", self.location).href;
var POINTER_URL = ROOT + "offline-current";
var ALWAYS_NETWORK = { "offline.json": 1, "offline-version.json": 1, "sw.js": 1 };
var saved = null;   // what the pointer holds: {version, total, files}

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function current() {
  if (saved) { return Promise.resolve(saved); }
  return caches.match(POINTER_URL, { cacheName: POINTER }).then(function (hit) {
    return hit ? hit.json().then(function (list) { saved = list; return list; }) : null;
  });
}

function pathOf(url) {
  var path = url.split("#")[0].split("?")[0].slice(ROOT.length);
  return path === "" || path.slice(-1) === "/" ? path + "index.html" : path;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || request.url.indexOf(ROOT) !== 0) { return; }
  var path = pathOf(request.url);
  if (ALWAYS_NETWORK[path]) { return; }
  event.respondWith(current().then(function (list) {
    if (!list) { return fetch(request); }
    return caches.match(ROOT + path, { cacheName: PREFIX + list.version }).then(function (hit) {
      return hit || fetch(request);
    });
  }));
});

/* An error that says why, for the page to put in words (book/static/save.js). */
function failure(why, file) {
  var error = new Error(why + ": " + file);
  error.why = why;
  error.file = file;
  return error;
}

function hex(buffer) {
  return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
    return (b < 16 ? "0" : "") + b.toString(16);
  }).join("");
}

/* One file into the new cache: from the saved version when unchanged,
   else from the network, checked against its hash. Resolves to the bytes
   downloaded. */
function store(cache, file, old) {
  var url = ROOT + file[0];
  var same = old && old.byPath[file[0]] === file[2];
  var reuse = same ? caches.match(url, { cacheName: PREFIX + old.version }) : Promise.resolve(null);
  return reuse.then(function (hit) {
    if (hit) { return cache.put(url, hit).then(function () { return 0; }); }
    return fetch(url, { cache: "no-store" }).then(function (response) {
      if (!response.ok) { throw failure("http", file[0]); }
      return response.arrayBuffer().then(function (body) {
        return crypto.subtle.digest("SHA-256", body).then(function (sum) {
          if (hex(sum).slice(0, file[2].length) !== file[2]) {
            throw failure("changed", file[0]);
          }
          var headers = { "Content-Type": response.headers.get("Content-Type") || "application/octet-stream" };
          return cache.put(url, new Response(body, { headers: headers })).then(function () { return body.byteLength; });
        });
      });
    });
  });
}

function save(report) {
  var list, name, old;
  return fetch(ROOT + "offline.json", { cache: "no-store" }).then(function (response) {
    if (!response.ok) { throw failure("http", "offline.json"); }
    return response.json();
  }).then(function (fetched) {
    list = fetched;
    name = PREFIX + list.version;
    return current();
  }).then(function (was) {
    if (was) {
      old = { version: was.version, byPath: {} };
      was.files.forEach(function (f) { old.byPath[f[0]] = f[2]; });
    }
    return caches.open(name);
  }).then(function (cache) {
    var done = 0, next = 0, downloaded = 0, failed = false;
    function worker() {  // four of these share the list; the first failure stops them all
      if (failed || next >= list.files.length) { return Promise.resolve(); }
      var file = list.files[next++];
      return store(cache, file, old).then(function (bytes) {
        downloaded += bytes;
        done += 1;
        if (!failed) { report({ state: "progress", done: done, count: list.files.length }); }
        return worker();
      }, function (error) { failed = true; throw error; });
    }
    return Promise.all([worker(), worker(), worker(), worker()]).then(function () { return downloaded; });
  }).then(function (downloaded) {
    // The switch: one write of the pointer names the complete new version.
    return caches.open(POINTER).then(function (pointer) {
      return pointer.put(POINTER_URL, new Response(JSON.stringify(list), { headers: { "Content-Type": "application/json" } }));
    }).then(function () {
      saved = list;
      return caches.keys();
    }).then(function (keys) {
      return Promise.all(keys.filter(function (k) {
        return k.indexOf(PREFIX) === 0 && k !== name && k !== POINTER;
      }).map(function (k) { return caches.delete(k); }));
    }).then(function () {
      report({ state: "saved", version: list.version, total: list.total, downloaded: downloaded });
    });
  }).catch(function (error) {
    var keep = saved && saved.version === (list && list.version);
    var drop = name && !keep ? caches.delete(name) : Promise.resolve();
    var why = error && (error.why || (error.name === "QuotaExceededError" ? "full" : "network")) || "network";
    return drop.then(function () {
      report({ state: "failed", why: why, file: error && error.file || "", reason: String(error && error.message || error) });
    });
  });
}

self.addEventListener("message", function (event) {
  var port = event.ports && event.ports[0];
  if (!port || !event.data) { return; }
  if (event.data.type === "save") {
    event.waitUntil(save(function (message) { port.postMessage(message); }));
  } else if (event.data.type === "current") {
    event.waitUntil(current().then(function (list) { port.postMessage({ state: "current", list: list }); }));
  }
});
