/* The learner's journey: progress, final result and certificate.
   Reads only what quiz.js saved in this browser's local storage ("kq:<quiz id>").
   Nothing is sent anywhere; the name typed for a certificate is never stored. */
(function () {
  "use strict";
  var PREFIX = "kq:";

  function fmt(text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }
  function load(id) {
    try { return JSON.parse(window.localStorage.getItem(PREFIX + id)) || null; } catch (e) { return null; }
  }
  function summary(id, total) {
    var s = load(id) || {};
    var checked = Object.keys(s.checked || {}).length;
    return {
      started: checked > 0, answered: checked, total: s.total || total,
      score: s.score || 0, best: s.best || s.score || 0,
      done: checked > 0 && checked >= (s.total || total), review: s.review || []
    };
  }
  function strings(root) {
    try { return JSON.parse(root.getAttribute("data-kq-strings")); } catch (e) { return {}; }
  }

  function progress(root) {
    var t = strings(root);
    function render() {
      root.querySelectorAll("tr[data-kq-row]").forEach(function (row) {
        var id = row.getAttribute("data-kq-row");
        var s = summary(id, +row.getAttribute("data-kq-total"));
        var status = row.querySelector(".kq-status"), review = row.querySelector(".kq-review");
        review.textContent = "";
        if (!s.started) {
          status.textContent = t["journey.not_started"];
        } else if (s.done) {
          status.textContent = fmt(t["journey.done"], s);
        } else {
          status.textContent = fmt(t["journey.in_progress"], s);
        }
        if (s.started && s.review.length === 0) {
          review.textContent = t["journey.nothing_to_review"];
        }
        var order = row.getAttribute("data-kq-qids").split(" ");
        s.review.forEach(function (qid, i) {
          var a = document.createElement("a");
          a.href = row.getAttribute("data-kq-href") + "#kq-" + id + "-" + qid;
          a.textContent = fmt(t["journey.question"], { n: order.indexOf(qid) + 1 });
          if (i) review.appendChild(document.createTextNode(", "));
          review.appendChild(a);
        });
      });
    }
    root.querySelector(".kq-clear-all").addEventListener("click", function () {
      try {
        Object.keys(window.localStorage).forEach(function (k) {
          if (k.indexOf(PREFIX) === 0) window.localStorage.removeItem(k);
        });
      } catch (e) { /* storage unavailable: nothing was saved */ }
      render();
      root.querySelector(".kq-journey-status").textContent = t["journey.cleared"];
    });
    render();
  }

  function passed(root, s) {
    return s.total > 0 && s.best / s.total >= parseFloat(root.getAttribute("data-kq-pass"));
  }

  function finalResult(root) {
    var t = strings(root);
    var out = root.querySelector(".kq-final-result"), link = root.querySelector(".kq-final-cert");
    function render() {
      var s = summary("final", 0);
      if (!s.done) { out.textContent = ""; link.hidden = true; return; }
      var need = Math.ceil(parseFloat(root.getAttribute("data-kq-pass")) * s.total);
      var values = { best: s.best, total: s.total, need: need, percent: Math.round(100 * s.best / s.total) };
      var ok = passed(root, s);
      out.textContent = fmt(t[ok ? "journey.final_result_pass" : "journey.final_result_fail"], values);
      link.hidden = !ok;
    }
    document.addEventListener("kq:change", render);
    render();
  }

  function certificate(root) {
    var t = strings(root);
    var state = root.querySelector(".kq-cert-state");
    var form = root.querySelector(".kq-cert-form"), cert = root.querySelector(".kq-cert");
    var s = summary("final", +root.getAttribute("data-kq-final-total"));
    var values = { best: s.best, total: s.total, percent: Math.round(100 * parseFloat(root.getAttribute("data-kq-pass"))) };
    if (!passed(root, s)) {
      state.textContent = fmt(t["journey.locked"], values);
      return;
    }
    state.textContent = fmt(t["journey.unlocked"], values);
    form.hidden = false;
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();  /* the name never leaves this page */
      var name = form.querySelector("input").value.trim();
      if (!name) { form.querySelector("input").focus(); return; }
      var titles = JSON.parse(root.getAttribute("data-kq-titles"));
      cert.querySelector(".kq-cert-name").textContent = name;
      cert.querySelector(".kq-cert-body").textContent = fmt(t["journey.cert_body"], values);
      var list = cert.querySelector(".kq-cert-modules");
      list.textContent = "";
      Object.keys(titles).forEach(function (id) {
        if (id === "final") return;
        var m = summary(id, 0);
        if (m.done) {
          var li = document.createElement("li");
          li.textContent = titles[id];
          list.appendChild(li);
        }
      });
      var lang = document.documentElement.lang || "en";
      var date = new Date().toLocaleDateString(lang, { day: "numeric", month: "long", year: "numeric" });
      cert.querySelector(".kq-cert-date").textContent = fmt(t["journey.cert_date"], { date: date });
      cert.hidden = false;
      cert.querySelector(".kq-cert-print").focus();
    });
    cert.querySelector(".kq-cert-print").addEventListener("click", function () { window.print(); });
  }

  function start() {
    document.querySelectorAll("[data-kq-journey]").forEach(function (root) {
      var kind = root.getAttribute("data-kq-journey");
      if (kind === "progress") progress(root);
      else if (kind === "final") finalResult(root);
      else if (kind === "certificate") certificate(root);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
