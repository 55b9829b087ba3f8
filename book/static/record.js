/* What a quiz keeps on this device, and how it is read back.
   Shared by quiz.js (which writes it) and journey.js (progress, final
   result, certificate). A quiz's record lives in this browser's local
   storage under "kq:<quiz id>" and is never sent anywhere.

   Stored text is never trusted: anything can have been written there (an
   old version, a broken browser, a curious learner). Every read keeps only
   answers that fit the quiz as the page describes it (known question ids,
   option numbers in range, one answer for a one-answer question, one
   question per learning point in an exam attempt), and every count, score
   and total is worked out here from those answers and the page's own answer
   key, never taken from storage.

   Shapes (each record also holds v: FORMAT):
     practice quiz  {answers: {qid: [option, ...]}, checked: {qid: true}}
     exam           {attempt: {set: [qid, ...], answers: {...}, submitted: bool},
                     best: {set: [...], answers: {...}}}   (the best submitted attempt)
   An option is its number in the order the page shows. */
(function () {
  "use strict";
  var PREFIX = "kq:", PROBE = "kq-probe";  // the probe is not "kq:...": no quiz id can clash with it
  /* The page's head script puts an in-memory stand-in in place of a local
     storage that is blocked or full (book/templates/layout.html); it has this
     property, so that the quiz can say that nothing will be kept. */
  var STAND_IN = "kqInMemoryStandIn";
  /* The record format, raised whenever a stored option number would mean
     another option. 2: options in the order of book/data/ordering.py. A
     record without it (1) numbered them as the bank lists them, so it is
     ignored, never judged against the new order: it does not say which
     order or which version of the bank it was made with, so it cannot be
     mapped. It is replaced at the next save. */
  var FORMAT = 2;

  function isObj(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  function own(o, k) { return isObj(o) && Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined; }

  function store() { return window.localStorage; }  // throws when the browser blocks storage
  var storage = {
    get: function (id) {
      try {
        var v = JSON.parse(store().getItem(PREFIX + id));
        return isObj(v) ? v : null;
      } catch (e) { return null; }
    },
    /* false when nothing could be written (blocked or full) */
    set: function (id, value) {
      try { store().setItem(PREFIX + id, JSON.stringify(value)); return true; } catch (e) { return false; }
    },
    remove: function (id) {
      try { store().removeItem(PREFIX + id); } catch (e) { /* nothing was saved */ }
    },
    removeAll: function () {
      try {
        var s = store(), keys = [];
        for (var i = 0; i < s.length; i++) {
          var k = s.key(i);
          if (k && k.indexOf(PREFIX) === 0) keys.push(k);
        }
        keys.forEach(function (k) { s.removeItem(k); });
      } catch (e) { /* storage unavailable: nothing was saved */ }
    },
    /* Will what is written now still be here on the next visit? */
    persistent: function () {
      try {
        var s = store();
        if (s[STAND_IN] === true) return false;
        s.setItem(PROBE, "1");
        s.removeItem(PROBE);
        return true;
      } catch (e) { return false; }
    }
  };

  /* book/data/scoring.py judge(): multiple = the chosen set equals the right set
     (partial when they overlap but differ); others = exactly one, and right. */
  function judge(type, chosen, right) {
    var hits = chosen.filter(function (i) { return right.indexOf(i) >= 0; }).length;
    if (type === "multiple") {
      var same = hits === right.length && chosen.length === right.length;
      return { correct: same, partial: hits > 0 && !same };
    }
    return { correct: chosen.length === 1 && hits === 1, partial: false };
  }

  /* A quiz as the page describes it. questions: [{id, type, options (how
     many), right: [option, ...], point}] in page order; point only matters
     in an exam (a question without one is its own point). */
  function quiz(id, exam, questions) {
    var byId = Object.create(null), variants = Object.create(null), points = [];
    questions.forEach(function (q, n) {
      var point = q.point || q.id;
      byId[q.id] = { id: q.id, n: n, type: q.type, options: q.options, right: q.right, point: point };
      if (!variants[point]) { variants[point] = []; points.push(point); }
      variants[point].push(q.id);
    });
    return { id: id, exam: !!exam, questions: questions.map(function (q) { return byId[q.id]; }),
             byId: byId, points: points, variants: variants };
  }

  /* The options stored for a question, if they fit it. */
  function picks(q, value) {
    if (!Array.isArray(value)) return null;
    var out = [];
    value.forEach(function (i) {
      if (typeof i === "number" && i % 1 === 0 && i >= 0 && i < q.options && out.indexOf(i) < 0) out.push(i);
    });
    if (q.type !== "multiple") out = out.slice(0, 1);
    return out.length ? out : null;
  }
  function answersFor(spec, raw, ids) {
    var out = {};
    ids.forEach(function (qid) {
      var p = picks(spec.byId[qid], own(raw, qid));
      if (p) out[qid] = p;
    });
    return out;
  }
  /* An exam's drawn set: exactly one known question for every point, in page order. */
  function drawnSet(spec, value) {
    if (!Array.isArray(value) || value.length !== spec.points.length) return null;
    var seen = Object.create(null);
    for (var i = 0; i < value.length; i++) {
      var q = typeof value[i] === "string" ? spec.byId[value[i]] : undefined;
      if (!q || seen[q.point]) return null;
      seen[q.point] = true;
    }
    return value.slice().sort(function (a, b) { return spec.byId[a].n - spec.byId[b].n; });
  }
  function attemptFrom(spec, raw) {
    var set = drawnSet(spec, own(raw, "set"));
    return set && { set: set, answers: answersFor(spec, own(raw, "answers"), set), submitted: own(raw, "submitted") === true };
  }

  /* What is stored for a quiz, reduced to what fits it. */
  function read(spec) {
    var raw = storage.get(spec.id);
    if (own(raw, "v") !== FORMAT) raw = null;
    if (spec.exam) {
      var attempt = attemptFrom(spec, own(raw, "attempt")), best = attemptFrom(spec, own(raw, "best"));
      return { attempt: attempt, best: best && { set: best.set, answers: best.answers } };
    }
    var ids = spec.questions.map(function (q) { return q.id; });
    var answers = answersFor(spec, own(raw, "answers"), ids), checked = {};
    ids.forEach(function (qid) { if (answers[qid] && own(own(raw, "checked"), qid) === true) checked[qid] = true; });
    return { answers: answers, checked: checked };
  }
  function write(spec, record) {
    var out = { v: FORMAT };
    Object.keys(record).forEach(function (k) { out[k] = record[k]; });
    return storage.set(spec.id, out);
  }

  function right(spec, qid, answers) {
    var q = spec.byId[qid];
    return judge(q.type, answers[qid] || [], q.right).correct;
  }
  function scoreOf(spec, ids, answers) {
    return ids.filter(function (qid) { return right(spec, qid, answers); }).length;
  }

  /* Counts for a record, worked out from the answers:
     total      questions in the quiz (an exam: learning points)
     answered   questions checked (an exam: answered in the attempt)
     score      right answers among them (an exam: of the submitted attempt)
     review     ids of questions answered wrong, in the order shown
     done       every question checked (an exam: the attempt submitted)
     best       an exam: the score of its best submitted attempt */
  function tally(spec, record) {
    if (spec.exam) {
      var a = record.attempt, set = a ? a.set : [], answers = a ? a.answers : {};
      var submitted = !!(a && a.submitted), score = submitted ? scoreOf(spec, set, answers) : 0;
      var best = record.best ? scoreOf(spec, record.best.set, record.best.answers) : 0;
      return {
        total: spec.points.length, set: set,
        answered: set.filter(function (qid) { return answers[qid]; }).length,
        score: score, done: submitted, best: Math.max(best, score), hasBest: !!record.best || submitted,
        review: submitted ? set.filter(function (qid) { return !right(spec, qid, answers); }) : []
      };
    }
    var checked = spec.questions.filter(function (q) { return record.checked[q.id]; }).map(function (q) { return q.id; });
    var wrong = checked.filter(function (qid) { return !right(spec, qid, record.answers); });
    return {
      total: spec.questions.length, answered: checked.length, score: checked.length - wrong.length,
      done: checked.length === spec.questions.length, review: wrong
    };
  }

  window.kqRecord = { storage: storage, judge: judge, quiz: quiz, read: read, write: write,
                      scoreOf: scoreOf, tally: tally };
})();
