/* The learner's journey: progress, final result and certificate.
   Reads only what quiz.js saved in this browser's local storage ("kq:<quiz id>"),
   through record.js, which keeps only what fits each quiz and works out every
   count and score from the answer key the page carries (data-kq-quiz,
   data-kq-quizzes); no total, score or list is taken from storage.
   Nothing is sent anywhere; the name typed for a certificate is never stored. */
(function () {
  "use strict";
  var R = window.kqRecord;

  function fmt(text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }
  function json(root, name) {
    try { return JSON.parse(root.getAttribute(name)); } catch (e) { return null; }
  }
  /* A quiz as the build described it: {id, exam, questions: [[id, type, options, right, point]]}. */
  function spec(data) {
    return R.quiz(data.id, data.exam, data.questions.map(function (q) {
      return { id: q[0], type: q[1], options: q[2], right: q[3], point: q[4] };
    }));
  }
  function tally(s) { return R.tally(s, R.read(s)); }
  function passMark(root) { return parseFloat(root.getAttribute("data-kq-pass")); }
  /* The final check's result that counts for the certificate: an exam's best
     submitted attempt; a practice quiz once every question is checked. */
  function finalScore(s, t) { return s.exam ? t.best : (t.done ? t.score : 0); }

  function progress(root) {
    var t = json(root, "data-kq-strings") || {};
    var note = root.querySelector(".kq-journey-status");
    function render() {
      Array.prototype.forEach.call(root.querySelectorAll("tr[data-kq-row]"), function (row) {
        var s = spec(json(row, "data-kq-quiz")), c = tally(s);
        var status = row.querySelector(".kq-status"), review = row.querySelector(".kq-review");
        var started = c.answered > 0 || c.done || !!c.hasBest;
        var text;
        review.textContent = "";
        if (!started) {
          text = t["journey.not_started"];
        } else if (s.exam) {
          if (c.done) text = fmt(t["journey.exam_done"], c);
          else text = [c.answered ? fmt(t["journey.exam_in_progress"], c) : "",
                       c.hasBest ? fmt(t["journey.exam_best"], c) : ""].join(" ").trim();
        } else {
          text = fmt(t[c.done ? "journey.done" : "journey.in_progress"], c);
        }
        status.textContent = text;
        if (started && (c.done || !s.exam) && c.review.length === 0) {
          review.textContent = t["journey.nothing_to_review"];
        }
        var order = s.exam ? c.set : s.questions.map(function (q) { return q.id; });
        c.review.forEach(function (qid, i) {
          var a = document.createElement("a");
          a.href = row.getAttribute("data-kq-href") + "#kq-" + s.id + "-" + qid;
          a.textContent = fmt(t["journey.question"], { n: order.indexOf(qid) + 1 });
          if (i) review.appendChild(document.createTextNode(", "));
          review.appendChild(a);
        });
      });
    }
    root.querySelector(".kq-clear-all").addEventListener("click", function () {
      R.storage.removeAll();
      render();
      note.textContent = t["journey.cleared"];
    });
    if (!R.storage.persistent()) note.textContent = t["journey.storage_lost"];
    render();
  }

  function finalResult(root) {
    var t = json(root, "data-kq-strings") || {}, s = spec(json(root, "data-kq-quiz"));
    var out = root.querySelector(".kq-final-result"), link = root.querySelector(".kq-final-cert");
    function render() {
      var c = tally(s), pass = passMark(root);
      link.hidden = !(c.total > 0 && finalScore(s, c) / c.total >= pass);
      if (!c.done) { out.textContent = ""; return; }
      var values = { score: c.score, total: c.total, need: Math.ceil(pass * c.total - 1e-9),
                     percent: Math.round(100 * c.score / c.total) };
      out.textContent = fmt(t[c.score / c.total >= pass ? "journey.final_result_pass" : "journey.final_result_fail"], values);
    }
    document.addEventListener("kq:change", render);
    render();
  }

  function certificate(root) {
    var t = json(root, "data-kq-strings") || {};
    var state = root.querySelector(".kq-cert-state");
    var form = root.querySelector(".kq-cert-form"), cert = root.querySelector(".kq-cert");
    var quizzes = (json(root, "data-kq-quizzes") || []).map(function (data) {
      return { title: data.title, spec: spec(data) };
    });
    var final = quizzes.filter(function (q) { return q.spec.id === "final"; })[0];
    var modules = quizzes.filter(function (q) { return q !== final; });
    var c = tally(final.spec), pass = passMark(root), best = finalScore(final.spec, c);
    var values = { best: best, total: c.total, percent: Math.round(100 * pass) };
    if (!(c.total > 0 && best / c.total >= pass)) {
      state.textContent = fmt(t["journey.locked"], values);
      return;
    }
    state.textContent = fmt(t["journey.unlocked"], values);
    form.hidden = false;
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();  /* the name never leaves this page */
      var name = form.querySelector("input").value.trim();
      if (!name) { form.querySelector("input").focus(); return; }
      /* Say what was done: the final check, and only the modules whose quiz
         has every question checked on this device. */
      var done = modules.filter(function (m) { return tally(m.spec).done; });
      cert.querySelector(".kq-cert-name").textContent = name;
      cert.querySelector(".kq-cert-body").textContent =
        fmt(t[done.length === modules.length ? "journey.cert_body_all" : "journey.cert_body"], values);
      var list = cert.querySelector(".kq-cert-modules");
      list.textContent = "";
      done.forEach(function (m) {
        var li = document.createElement("li");
        li.textContent = m.title;
        list.appendChild(li);
      });
      list.hidden = !done.length;
      cert.querySelector(".kq-cert-modules-h").hidden = !done.length;
      var lang = (document.documentElement.lang || "en") + "-u-nu-latn";  // the page's language, Latin digits
      var date = new Date().toLocaleDateString(lang, { day: "numeric", month: "long", year: "numeric" });
      cert.querySelector(".kq-cert-date").textContent = fmt(t["journey.cert_date"], { date: date });
      cert.hidden = false;
      cert.querySelector(".kq-cert-print").focus();
    });
    cert.querySelector(".kq-cert-print").addEventListener("click", function () { window.print(); });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-kq-journey]"), function (root) {
      var kind = root.getAttribute("data-kq-journey");
      if (kind === "progress") progress(root);
      else if (kind === "final") finalResult(root);
      else if (kind === "certificate") certificate(root);
      root.setAttribute("data-kq-ready", "1");  // initialised: tests wait on this
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
