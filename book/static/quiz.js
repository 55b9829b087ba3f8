/* The static self-check quiz: checking, score, saving and projector mode.
   Markup: book/quiz_html.py. Judging: the rule of book/scoring.py.
   Interface text: the quiz root's data-kq-strings (book/locale/.../book.po).
   Answers are kept only in this browser's local storage ("kq:<quiz id>");
   nothing is ever sent anywhere. */
(function () {
  "use strict";
  var PREFIX = "kq:";
  var KEYS_PREV = ["ArrowLeft", "PageUp"], KEYS_NEXT = ["ArrowRight", "PageDown"];

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

  /* book/scoring.py judge(): multiple = the chosen set equals the right set
     (partial when they overlap but differ); others = exactly one, and right. */
  function judge(type, chosen, right) {
    var hits = chosen.filter(function (i) { return right.indexOf(i) >= 0; }).length;
    if (type === "multiple") {
      var same = hits === right.length && chosen.length === right.length;
      return { correct: same, partial: hits > 0 && !same };
    }
    return { correct: chosen.length === 1 && hits === 1, partial: false };
  }

  var storage = {
    get: function (id) {
      try {
        var v = JSON.parse(window.localStorage.getItem(PREFIX + id));
        return v && typeof v === "object" ? v : null;
      } catch (e) { return null; }
    },
    set: function (id, value) {
      try { window.localStorage.setItem(PREFIX + id, JSON.stringify(value)); return true; } catch (e) { return false; }
    },
    remove: function (id) {
      try { window.localStorage.removeItem(PREFIX + id); } catch (e) { /* nothing was saved */ }
    },
    works: function () {
      try {
        window.localStorage.setItem("kq-probe", "1");  // not "kq:": no quiz id can clash with it
        window.localStorage.removeItem("kq-probe");
        return true;
      } catch (e) { return false; }
    }
  };

  var current = null;  // the quiz shown in projector mode, if any

  function Quiz(root) {
    var S = {};
    try { S = JSON.parse(root.getAttribute("data-kq-strings")) || {}; } catch (e) { /* keys show instead */ }
    function t(key) { return key in S ? S[key] : key; }
    var id = root.getAttribute("data-kq-quiz");
    var scoreEl = root.querySelector(".kq-score"), summary = root.querySelector(".kq-summary");
    var openBtn = root.querySelector(".kq-projector-open"), clearBtn = root.querySelector(".kq-clear");
    var questions = all(root, ".kq-q").map(function (li, n) {
      var opts = all(li, ".kq-opt");
      return {
        li: li, n: n + 1, id: li.getAttribute("data-kq-q"), type: li.getAttribute("data-kq-type"),
        opts: opts,
        inputs: opts.map(function (o) { return o.querySelector("input"); }),
        right: opts.reduce(function (acc, o, i) {
          return o.getAttribute("data-kq-correct") === "true" ? acc.concat(i) : acc;
        }, []),
        prompt: li.querySelector(".kq-prompt"), result: li.querySelector(".kq-result"),
        explain: li.querySelector(".kq-explain"), check: li.querySelector(".kq-check"),
        retry: li.querySelector(".kq-retry")
      };
    });
    var state = load(), summaryKey = null;

    /* A status line under the toolbar: where answers are kept, or "cleared". */
    var note = el("p", "kq-note");
    note.setAttribute("role", "status");
    if (storage.works()) note.textContent = t("quiz.storage_note");
    var toolbar = root.querySelector(".kq-toolbar");
    if (toolbar) toolbar.parentNode.insertBefore(note, toolbar.nextSibling);

    // ------------------------------------------------------------ state

    function load() {
      var saved = storage.get(id) || {};
      var s = { answers: {}, checked: {}, best: +saved.best || 0 };
      questions.forEach(function (q) {
        var picks = saved.answers && saved.answers[q.id];
        if (!Array.isArray(picks)) return;
        picks = picks.filter(function (i, k) {
          return typeof i === "number" && i >= 0 && i < q.inputs.length && picks.indexOf(i) === k;
        });
        if (q.type !== "multiple") picks = picks.slice(0, 1);
        s.answers[q.id] = picks;
        if (saved.checked && saved.checked[q.id] === true && picks.length) s.checked[q.id] = true;
      });
      return s;
    }
    function verdict(q) { return judge(q.type, state.answers[q.id] || [], q.right); }
    function tally() {
      var checked = questions.filter(function (q) { return state.checked[q.id]; });
      var wrong = checked.filter(function (q) { return !verdict(q).correct; });
      return { answered: checked.length, score: checked.length - wrong.length, review: wrong };
    }
    function save() {
      var s = tally();
      state.best = Math.max(state.best, s.score);
      storage.set(id, {
        answers: state.answers, checked: state.checked, total: questions.length,
        score: s.score, best: state.best, review: s.review.map(function (q) { return q.id; })
      });
      changed();
    }
    function changed() {
      var ev;
      try { ev = new CustomEvent("kq:change", { detail: { quiz: id } }); } catch (e) { return; }
      document.dispatchEvent(ev);
    }
    function chosenNow(q) {
      return q.inputs.reduce(function (acc, input, i) { return input.checked ? acc.concat(i) : acc; }, []);
    }
    function setInputs(q, picks) {
      q.inputs.forEach(function (input, i) { input.checked = !!picks && picks.indexOf(i) >= 0; });
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
    /* Show feedback for the chosen and the right options (every option when
       revealing in projector mode). */
    function showFeedback(q, chosen, everything) {
      q.opts.forEach(function (opt, i) {
        var right = q.right.indexOf(i) >= 0, picked = chosen.indexOf(i) >= 0;
        var show = everything || right || picked;
        opt.classList.toggle("kq-right", show && right);
        opt.classList.toggle("kq-wrong", show && !right);
        opt.classList.toggle("kq-chosen", picked);
        var fb = opt.querySelector(".kq-fb");
        if (show) mark(opt, right, picked);
        if (fb) fb.hidden = !show;
      });
      if (q.explain) q.explain.hidden = false;
    }
    function hideFeedback(q) {
      q.opts.forEach(function (opt) {
        opt.classList.remove("kq-right", "kq-wrong", "kq-chosen");
        var fb = opt.querySelector(".kq-fb");
        if (fb) fb.hidden = true;
        var m = opt.querySelector(".kq-mark");
        if (m) m.textContent = "";
      });
      if (q.explain) q.explain.hidden = true;
    }
    function verdictText(q, v) {
      if (v.correct) return t("quiz.correct");
      var names = q.right.map(function (i) {
        var label = q.opts[i].querySelector("label");
        return (label ? label.textContent : "").trim();
      });
      return t(v.partial ? "quiz.partial" : "quiz.incorrect") + " " + t("quiz.right_answer") + ": " + names.join("; ");
    }
    /* Show a question as saved. A live region is only written when its
       text changes, so that re-rendering announces nothing new. */
    function renderQuestion(q) {
      var checked = !!state.checked[q.id], v = checked && verdict(q);
      var text = checked ? verdictText(q, v) : "";
      setInputs(q, state.answers[q.id]);
      hideFeedback(q);
      if (checked) showFeedback(q, state.answers[q.id], false);
      if (q.result.textContent !== text) q.result.textContent = text;
      q.result.classList.toggle("kq-ok", checked && v.correct);
      q.result.classList.toggle("kq-no", checked && !v.correct);
      q.check.hidden = checked;
      q.retry.hidden = !checked;
    }
    function renderTotals() {
      var s = tally(), total = questions.length;
      var text = fmt(t("quiz.score"), { score: s.score, total: total, answered: s.answered });
      if (scoreEl && scoreEl.textContent !== text) scoreEl.textContent = text;
      if (!summary) return;
      var key = s.answered < total ? "" : s.score + ":" + s.review.map(function (q) { return q.id; }).join(",");
      if (key === summaryKey) return;
      summaryKey = key;
      summary.textContent = "";
      summary.hidden = !key;
      if (!key) return;
      summary.appendChild(el("p", "kq-summary-done", fmt(t("quiz.summary_done"), { score: s.score, total: total })));
      if (!s.review.length) {
        summary.appendChild(el("p", null, t("quiz.summary_perfect")));
      } else {
        summary.appendChild(el("p", null, t("quiz.summary_review")));
        var list = el("ul", "kq-review");
        s.review.forEach(function (q) {
          var li = el("li"), a = el("a", null, fmt(t("quiz.question"), { n: q.n, total: total }));
          a.href = "#" + q.li.id;
          a.addEventListener("click", function () { focus(q.li); });
          li.appendChild(a);
          li.appendChild(document.createTextNode(": " + (q.prompt ? q.prompt.textContent.trim() : "")));
          list.appendChild(li);
        });
        summary.appendChild(list);
      }
    }
    function renderAll() {
      questions.forEach(renderQuestion);
      renderTotals();
    }

    // ------------------------------------------------------------ learner actions

    questions.forEach(function (q) {
      q.check.addEventListener("click", function () {
        var chosen = chosenNow(q);
        if (!chosen.length) {
          say(q.result, t("quiz.choose_first"));
          return;
        }
        state.answers[q.id] = chosen;
        state.checked[q.id] = true;
        renderQuestion(q);
        save();
        renderTotals();
        focus(q.result);
      });
      q.retry.addEventListener("click", function () {
        delete state.answers[q.id];
        delete state.checked[q.id];
        renderQuestion(q);
        save();
        renderTotals();
        focus(q.inputs[0]);
      });
      q.inputs.forEach(function (input) {
        input.addEventListener("change", function () {
          if (current === api) return;  // projector mode never touches saved answers
          state.answers[q.id] = chosenNow(q);
          if (state.checked[q.id]) {  // a new choice after checking starts the question again
            delete state.checked[q.id];
            renderQuestion(q);
            renderTotals();
          } else if (q.result.textContent) {
            q.result.textContent = "";  // an old "choose an answer first"
          }
          save();
        });
      });
    });

    if (clearBtn) clearBtn.addEventListener("click", function () {
      storage.remove(id);
      state = { answers: {}, checked: {}, best: 0 };
      renderAll();
      say(note, t("quiz.cleared"));
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
    var nextBtn = button("quiz.next", "kq-next", function () { show(index + 1); });
    button("quiz.projector_exit", "kq-leave", function () { leave(true); });
    root.appendChild(bar);

    function show(i) {
      index = Math.max(0, Math.min(questions.length - 1, i));
      questions.forEach(function (q, k) {
        q.li.classList.toggle("kq-current", k === index);
        hideFeedback(q);  // results, buttons and the summary are hidden by the stylesheet
        setInputs(q, null);
      });
      prevBtn.disabled = index === 0;
      nextBtn.disabled = index === questions.length - 1;
      revealBtn.disabled = false;
      root.scrollTop = 0;
      focus(questions[index].li);
    }
    function reveal() {
      var q = questions[index];
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
