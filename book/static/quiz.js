/* The static self-check quiz: checking, score, saving, exams and projector mode.
   Markup: book/render/quiz_html.py. Judging and what is kept: record.js (loaded
   first). Interface text: the quiz root's data-kq-strings (locale/<lang>/LC_MESSAGES/book.po).
   Answers are kept only in this browser's local storage ("kq:<quiz id>");
   nothing is ever sent anywhere.

   A practice quiz is checked question by question. An exam (data-kq-exam)
   shows one question per learning point (data-kq-point), drawn when an
   attempt starts and kept with it, so that a reload shows the same attempt;
   it says nothing about right or wrong until the learner submits the whole
   attempt, then gives feedback on every option. A new attempt draws another
   set. */
(function () {
  "use strict";
  var R = window.kqRecord;
  var KEYS_PREV = ["ArrowLeft", "PageUp"], KEYS_NEXT = ["ArrowRight", "PageDown"];
  var KEYS_MOVE = ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"];  // move a radio group's choice

  function fmt(text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }
  function all(root, sel) { return Array.prototype.slice.call(root.querySelectorAll(sel)); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function focus(e) {
    if (!e) return;
    if (!e.hasAttribute("tabindex") && !/^(INPUT|BUTTON|A|SELECT|TEXTAREA)$/.test(e.tagName)) e.setAttribute("tabindex", "-1");
    e.focus();
  }
  /* Set a live region's text; an identical message gets a trailing no-break
     space so that screen readers announce it again. */
  function say(region, text) {
    if (region.textContent === text) text += "\u00a0";
    region.textContent = text;
  }

  /* Numbers in [0, 1) for drawing exam questions. A test may set
     window.kqSeed before the page's scripts run to make the draws
     repeatable (mulberry32); otherwise the browser's own randomness. */
  function randomSource() {
    var seed = window.kqSeed;
    if (typeof seed === "number" && isFinite(seed)) {
      var a = seed >>> 0;
      return function () {
        a = (a + 0x6D2B79F5) >>> 0;
        var t = Math.imul(a ^ (a >>> 15), 1 | a);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
    }
    if (window.crypto && window.crypto.getRandomValues) {
      return function () { return window.crypto.getRandomValues(new Uint32Array(1))[0] / 4294967296; };
    }
    return Math.random;
  }
  var random = null;

  var current = null;  // the quiz shown in projector mode, if any
  var lostSaid = false;  // "answers will not be kept" is said once a page

  function Quiz(root) {
    var S = {};
    try { S = JSON.parse(root.getAttribute("data-kq-strings")) || {}; } catch (e) { /* keys show instead */ }
    function t(key) { return key in S ? S[key] : key; }
    var id = root.getAttribute("data-kq-quiz"), exam = root.getAttribute("data-kq-exam") === "true";
    var scoreEl = root.querySelector(".kq-score"), summary = root.querySelector(".kq-summary");
    var openBtn = root.querySelector(".kq-projector-open"), clearBtn = root.querySelector(".kq-clear");
    var submitBtn = root.querySelector(".kq-submit"), retakeBtn = root.querySelector(".kq-retake");
    var questions = all(root, ".kq-q").map(function (li, n) {
      var opts = all(li, ".kq-opt");
      return {
        li: li, n: n + 1, id: li.getAttribute("data-kq-q"), type: li.getAttribute("data-kq-type"),
        point: li.getAttribute("data-kq-point"), opts: opts,
        inputs: opts.map(function (o) { return o.querySelector("input"); }),
        right: opts.reduce(function (acc, o, i) {
          return o.getAttribute("data-kq-correct") === "true" ? acc.concat(i) : acc;
        }, []),
        num: li.querySelector(".kq-num"), prompt: li.querySelector(".kq-prompt"),
        result: li.querySelector(".kq-result"), explain: li.querySelector(".kq-explain"),
        check: li.querySelector(".kq-check"), retry: li.querySelector(".kq-retry")
      };
    });
    var byId = {};
    questions.forEach(function (q) { byId[q.id] = q; });
    var spec = R.quiz(id, exam, questions.map(function (q) {
      return { id: q.id, type: q.type, options: q.inputs.length, right: q.right, point: q.point };
    }));

    /* A status line under the toolbar: where answers are kept, "cleared", or
       (once a page, visibly) that nothing will be kept. */
    var note = el("p", "kq-note");
    note.setAttribute("role", "status");
    var toolbar = root.querySelector(".kq-toolbar");
    if (toolbar) toolbar.parentNode.insertBefore(note, toolbar.nextSibling);
    if (R.storage.persistent()) note.textContent = t("quiz.storage_note");
    else storageLost();
    function storageLost() {
      if (lostSaid) return;
      lostSaid = true;
      note.classList.add("kq-warn");
      say(note, t("quiz.storage_lost"));
    }

    var state = load(), summaryKey = null, missing = false;

    // ------------------------------------------------------------ state

    /* Practice: {answers, checked}. Exam: {set, answers, submitted, best}. */
    function load() {
      var saved = R.read(spec);
      if (!exam) return saved;
      var a = saved.attempt;
      if (!a) return fresh(null, saved.best);
      return { set: a.set, answers: a.answers, submitted: a.submitted, best: saved.best };
    }
    /* A new exam attempt: one question per point, at random, another variant
       than in the previous attempt wherever the pool has one. */
    function fresh(previous, best) {
      random = random || randomSource();
      var set = spec.points.map(function (p) {
        var variants = spec.variants[p];
        var others = variants.filter(function (qid) { return !previous || previous.indexOf(qid) < 0; });
        var pool = others.length ? others : variants;
        return pool[Math.floor(random() * pool.length)];
      });
      set.sort(function (a, b) { return byId[a].n - byId[b].n; });
      var s = { set: set, answers: {}, submitted: false, best: best };
      store(s);
      return s;
    }
    function record(s) {
      if (!exam) return { answers: s.answers, checked: s.checked };
      var out = { attempt: { set: s.set, answers: s.answers, submitted: s.submitted } };
      if (s.best) out.best = s.best;
      return out;
    }
    function store(s) {
      if (!R.write(spec, record(s))) storageLost();
    }
    function save() {
      store(state);
      changed();
    }
    function tally() { return R.tally(spec, exam ? { attempt: state, best: state.best } : state); }
    function shown() {
      return exam ? state.set.map(function (qid) { return byId[qid]; }) : questions;
    }
    function verdict(q) { return R.judge(q.type, state.answers[q.id] || [], q.right); }
    function changed() {
      var ev;
      try { ev = new CustomEvent("kq:change", { detail: { quiz: id, tally: tally() } }); } catch (e) { return; }
      document.dispatchEvent(ev);
    }
    function chosenNow(q) {
      return q.inputs.reduce(function (acc, input, i) { return input.checked ? acc.concat(i) : acc; }, []);
    }
    function setInputs(q, picks) {
      q.inputs.forEach(function (input, i) { input.checked = !!picks && picks.indexOf(i) >= 0; });
    }
    /* A checked question (a submitted exam) keeps its answer until "Try again"
       (a new attempt). Its inputs get aria-disabled rather than disabled:
       they stay focusable and in the reading order, so a keyboard or screen
       reader user can still reach each option, hear that it is chosen and
       hear its feedback (aria-describedby), and is told it cannot be changed
       now; the handlers below cancel any change. */
    function locked(q) {
      return current !== api && (exam ? state.submitted : !!state.checked[q.id]);
    }

    // ------------------------------------------------------------ rendering

    function mark(opt, right, chosen) {
      var m = opt.querySelector(".kq-mark");
      m.textContent = "";
      m.appendChild(el("span", "kq-tag", t(right ? "quiz.correct_mark" : "quiz.wrong_mark")));
      if (chosen) {
        m.appendChild(document.createTextNode(" "));
        m.appendChild(el("span", "kq-you", t("quiz.you_chose")));
      }
    }
    /* Show feedback for the chosen and the right options (every option in an
       exam, or when revealing in projector mode); each shown feedback becomes
       its input's description. */
    function showFeedback(q, chosen, everything) {
      q.opts.forEach(function (opt, i) {
        var right = q.right.indexOf(i) >= 0, picked = chosen.indexOf(i) >= 0;
        var show = everything || right || picked;
        opt.classList.toggle("kq-right", show && right);
        opt.classList.toggle("kq-wrong", show && !right);
        opt.classList.toggle("kq-chosen", picked);
        var fb = opt.querySelector(".kq-fb");
        if (show) mark(opt, right, picked);
        if (fb) {
          fb.hidden = !show;
          if (show) q.inputs[i].setAttribute("aria-describedby", fb.id);
          else q.inputs[i].removeAttribute("aria-describedby");
        }
      });
      if (q.explain) q.explain.hidden = false;
    }
    function hideFeedback(q) {
      q.opts.forEach(function (opt, i) {
        opt.classList.remove("kq-right", "kq-wrong", "kq-chosen");
        var fb = opt.querySelector(".kq-fb");
        if (fb) fb.hidden = true;
        q.inputs[i].removeAttribute("aria-describedby");
        var m = opt.querySelector(".kq-mark");
        if (m) m.textContent = "";
      });
      if (q.explain) q.explain.hidden = true;
    }
    function setLock(q) {
      var on = locked(q);
      q.inputs.forEach(function (input) {
        if (on) input.setAttribute("aria-disabled", "true");
        else input.removeAttribute("aria-disabled");
      });
    }
    function verdictText(q, v) {
      if (v.correct) return t("quiz.correct");
      var names = q.right.map(function (i) {
        var label = q.opts[i].querySelector("label");
        return (label ? label.textContent : "").trim();
      });
      return t(v.partial ? "quiz.partial" : "quiz.incorrect") + " " + t("quiz.right_answer") + ": " + names.join("; ");
    }
    /* Show a question as saved. */
    function renderQuestion(q) {
      var judged = exam ? state.submitted : !!state.checked[q.id], v = judged && verdict(q);
      var text = judged ? verdictText(q, v) : "";
      setInputs(q, state.answers[q.id]);
      hideFeedback(q);
      if (judged) showFeedback(q, state.answers[q.id] || [], exam);
      setLock(q);
      if (q.result.textContent !== text) q.result.textContent = text;
      q.result.classList.toggle("kq-ok", judged && v.correct);
      q.result.classList.toggle("kq-no", judged && !v.correct);
      if (q.check) q.check.hidden = judged;
      if (q.retry) q.retry.hidden = !judged;
    }
    function reviewList(ids, total, numbers) {
      var list = el("ul", "kq-review");
      ids.forEach(function (qid) {
        var q = byId[qid];
        var li = el("li"), a = el("a", null, fmt(t("quiz.question"), { n: numbers[qid], total: total }));
        a.href = "#" + q.li.id;
        a.addEventListener("click", function () { focus(q.li); });
        li.appendChild(a);
        li.appendChild(document.createTextNode(": " + (q.prompt ? q.prompt.textContent.trim() : "")));
        list.appendChild(li);
      });
      return list;
    }
    function renderTotals() {
      var s = tally(), total = s.total, numbers = {};
      shown().forEach(function (q, k) { numbers[q.id] = k + 1; });
      var text = exam && !s.done ? fmt(t("quiz.exam_progress"), { answered: s.answered, total: total })
        : fmt(t("quiz.score"), { score: s.score, total: total, answered: s.answered });
      if (scoreEl && scoreEl.textContent !== text) scoreEl.textContent = text;
      if (submitBtn) submitBtn.hidden = s.done;
      if (retakeBtn) retakeBtn.hidden = !s.done;
      if (!summary || missing) return;
      var key = !s.done ? "" : s.score + ":" + s.review.join(",") + ":" + (exam ? state.set.join(",") : "");
      if (key === summaryKey) return;
      summaryKey = key;
      summary.textContent = "";
      summary.hidden = !key;
      if (!key) return;
      summary.appendChild(el("p", "kq-summary-done",
        fmt(t(exam ? "quiz.exam_done" : "quiz.summary_done"), { score: s.score, total: total })));
      if (!s.review.length) {
        summary.appendChild(el("p", null, t("quiz.summary_perfect")));
      } else {
        summary.appendChild(el("p", null, t("quiz.summary_review")));
        summary.appendChild(reviewList(s.review, total, numbers));
      }
    }
    function renderAll() {
      if (exam) {
        var total = state.set.length;
        questions.forEach(function (q) { q.li.hidden = state.set.indexOf(q.id) < 0; });
        state.set.forEach(function (qid, k) {
          var q = byId[qid];
          if (q.num) q.num.textContent = fmt(t("quiz.question"), { n: k + 1, total: total });
        });
      }
      questions.forEach(renderQuestion);
      renderTotals();
    }

    // ------------------------------------------------------------ learner actions

    questions.forEach(function (q) {
      if (q.check) q.check.addEventListener("click", function () {
        var chosen = chosenNow(q);
        if (!chosen.length) {
          q.result.textContent = t("quiz.choose_first");
        } else {
          state.answers[q.id] = chosen;
          state.checked[q.id] = true;
          renderQuestion(q);
          save();
          renderTotals();
        }
        /* The verdict is announced once: by moving the focus to it (the
           result is not a live region, and the running score is not either). */
        focus(q.result);
      });
      if (q.retry) q.retry.addEventListener("click", function () {
        delete state.answers[q.id];
        delete state.checked[q.id];
        renderQuestion(q);
        save();
        renderTotals();
        focus(q.inputs[0]);
      });
      q.inputs.forEach(function (input) {
        /* A locked question: a click (mouse, or Space) is cancelled, which
           leaves the box or radio as it was; arrow keys would move the radio
           choice, so they do nothing here. */
        input.addEventListener("click", function (ev) { if (locked(q)) ev.preventDefault(); });
        input.addEventListener("keydown", function (ev) {
          if (locked(q) && input.type === "radio" && KEYS_MOVE.indexOf(ev.key) >= 0) ev.preventDefault();
        });
        input.addEventListener("change", function () {
          if (current === api) return;  // projector mode never touches saved answers
          if (locked(q)) {  // should the browser change it anyway, put the answer back
            setInputs(q, state.answers[q.id]);
            return;
          }
          var chosen = chosenNow(q);
          if (chosen.length) state.answers[q.id] = chosen;
          else delete state.answers[q.id];
          if (q.result.textContent) q.result.textContent = "";  // an old "choose an answer first"
          save();
          if (exam && missing) renderMissing();
          if (exam) renderTotals();
        });
      });
    });

    /* Submit with questions not answered: list them (kept up to date while
       the learner answers them). */
    function renderMissing() {
      var numbers = {}, ids = [];
      shown().forEach(function (q, k) {
        numbers[q.id] = k + 1;
        if (!state.answers[q.id]) ids.push(q.id);
      });
      missing = ids.length > 0;
      summaryKey = null;
      summary.textContent = "";
      summary.hidden = !missing;
      if (!missing) return;
      summary.appendChild(el("p", null, t("quiz.exam_missing")));
      summary.appendChild(reviewList(ids, state.set.length, numbers));
    }
    if (submitBtn) submitBtn.addEventListener("click", function () {
      renderMissing();
      if (missing) {
        focus(summary);
        return;
      }
      state.submitted = true;
      var score = R.scoreOf(spec, state.set, state.answers);
      if (!state.best || R.scoreOf(spec, state.best.set, state.best.answers) <= score) {
        state.best = { set: state.set.slice(), answers: JSON.parse(JSON.stringify(state.answers)) };
      }
      save();
      summaryKey = null;
      renderAll();
      focus(summary);  // announced once, by the focus: the summary is not a live region in an exam
    });
    if (retakeBtn) retakeBtn.addEventListener("click", function () {
      state = fresh(state.set, state.best);
      missing = false;
      changed();
      renderAll();
      focus(shown()[0].li);
    });

    if (clearBtn) clearBtn.addEventListener("click", function () {
      R.storage.remove(id);
      state = exam ? fresh(state.set, null) : { answers: {}, checked: {} };
      missing = false;
      renderAll();
      if (!note.classList.contains("kq-warn")) say(note, t("quiz.cleared"));
      changed();
    });

    // ------------------------------------------------------------ projector mode

    var bar = el("div", "kq-pbar"), index = 0, inerted = [];
    bar.hidden = true;
    function button(key, cls, action) {
      var b = el("button", cls, t(key));
      b.type = "button";
      b.addEventListener("click", action);
      bar.appendChild(b);
      return b;
    }
    var prevBtn = button("quiz.previous", "kq-prev", function () { show(index - 1); });
    var revealBtn = button("quiz.reveal", "kq-reveal", reveal);
    /* An exam attempt's answers are shown once it is submitted, never before,
       not even on a projector: in its place, Reveal is this note. */
    var revealNote = bar.appendChild(el("p", "kq-pnote", t("quiz.reveal_after_submit")));
    var nextBtn = button("quiz.next", "kq-next", function () { show(index + 1); });
    button("quiz.projector_exit", "kq-leave", function () { leave(true); });
    root.appendChild(bar);

    /* Projector mode steps through the questions the page shows (an exam:
       the drawn set, revealed only once submitted); it starts every question
       blank and never saves. */
    function sealed() { return exam && !state.submitted; }
    function show(i) {
      var list = shown();
      index = Math.max(0, Math.min(list.length - 1, i));
      questions.forEach(function (q) {
        q.li.classList.toggle("kq-current", q === list[index]);
        hideFeedback(q);  // results, buttons and the summary are hidden by the stylesheet
        setInputs(q, null);
        setLock(q);
      });
      prevBtn.disabled = index === 0;
      nextBtn.disabled = index === list.length - 1;
      revealBtn.disabled = false;
      revealBtn.hidden = sealed();
      revealNote.hidden = !sealed();
      root.scrollTop = 0;
      focus(list[index].li);
    }
    function reveal() {
      if (sealed()) return;
      var q = shown()[index];
      showFeedback(q, chosenNow(q), true);
      revealBtn.disabled = true;
      focus(q.li);
    }
    function onKey(ev) {
      if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
      var onInput = ev.target && ev.target.tagName === "INPUT";
      if (ev.key === "Escape" || ev.key === "Esc") {
        ev.preventDefault();
        ev.stopPropagation();
        leave(true);
      } else if (!onInput && KEYS_PREV.indexOf(ev.key) >= 0) {
        ev.preventDefault();
        ev.stopPropagation();
        show(index - 1);
      } else if (!onInput && KEYS_NEXT.indexOf(ev.key) >= 0) {
        ev.preventDefault();
        ev.stopPropagation();
        show(index + 1);
      }
    }
    /* Everything outside the quiz is inert while it fills the screen. */
    function setInert(on) {
      if (!on) {
        inerted.forEach(function (e) { e.inert = false; e.removeAttribute("inert"); });
        inerted = [];
        return;
      }
      for (var node = root; node && node !== document.body; node = node.parentElement) {
        var parent = node.parentElement;
        if (!parent) break;
        Array.prototype.forEach.call(parent.children, function (sib) {
          if (sib !== node && !sib.hasAttribute("inert") && !/^(SCRIPT|STYLE|LINK)$/.test(sib.tagName)) {
            sib.setAttribute("inert", "");
            inerted.push(sib);
          }
        });
      }
    }
    function open() {
      if (current === api) return;
      if (current) current.leave(false);
      current = api;
      root.classList.add("kq-projector");
      root.setAttribute("role", "dialog");
      root.setAttribute("aria-modal", "true");
      document.documentElement.classList.add("kq-locked");
      setInert(true);
      bar.hidden = false;
      window.addEventListener("keydown", onKey, true);
      show(0);
    }
    function leave(returnFocus) {
      if (current !== api) return;
      current = null;
      window.removeEventListener("keydown", onKey, true);
      root.classList.remove("kq-projector");
      root.removeAttribute("role");
      root.removeAttribute("aria-modal");
      document.documentElement.classList.remove("kq-locked");
      setInert(false);
      bar.hidden = true;
      questions.forEach(function (q) { q.li.classList.remove("kq-current"); });
      renderAll();
      if (window.location.hash === "#projector-" + id) {
        try {
          window.history.replaceState(null, "", window.location.pathname + window.location.search);
        } catch (e) { /* some browsers refuse this for file:// pages; the hash stays */ }
      }
      if (returnFocus) focus(openBtn);
    }
    if (openBtn) openBtn.addEventListener("click", open);

    var api = { id: id, open: open, leave: leave };
    renderAll();
    changed();  // listeners (an LMS bridge) learn the restored state
    root.setAttribute("data-kq-ready", "1");  // initialised: tests wait on this
    return api;
  }

  function start() {
    var quizzes = all(document, "section.kq-quiz").map(Quiz);
    function fromHash() {
      var m = /^#projector-(.+)$/.exec(window.location.hash), wanted;
      if (!m) return;
      try { wanted = decodeURIComponent(m[1]); } catch (e) { return; }
      quizzes.forEach(function (q) { if (q.id === wanted) q.open(); });
    }
    window.addEventListener("hashchange", fromHash);
    fromHash();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
