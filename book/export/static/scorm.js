/* SCORM 1.2 bridge for an exported quiz (book/export/scorm.py).
   Finds the LMS's API object in a parent or opener window; without one the
   quiz works as in the book and nothing is sent. With one, it says so on
   the page, and after every change (quiz.js's "kq:change" event, which
   carries the quiz's tally) it reports the score as a percentage and the
   status: incomplete until every question is checked (an exam: until the
   attempt is submitted), then passed or failed against the mastery score. */
(function () {
  "use strict";
  function find(win) {
    for (var n = 0; win && n < 10; n++) {
      try { if (win.API) return win.API; } catch (e) { return null; }  // another origin
      if (!win.parent || win.parent === win) break;
      win = win.parent;
    }
    return null;
  }
  var api = find(window);
  if (!api && window.opener) api = find(window.opener);
  if (!api || String(api.LMSInitialize("")) !== "true") return;

  var note = document.querySelector(".kq-lms-note");
  if (note) note.hidden = false;  // the learner is told what the platform receives
  var mastery = parseFloat(api.LMSGetValue("cmi.student_data.mastery_score"));
  if (!(mastery >= 0)) mastery = parseFloat(document.body.getAttribute("data-kq-mastery")) || 80;
  var finished = false, last = "";

  /* quiz.js's tally: in a practice quiz every question, checked one by one;
     in an exam (the final check) the questions of the attempt drawn, judged
     when it is submitted (total = its learning points, not the whole pool). */
  function report(e) {
    var s = e && e.detail && e.detail.tally;
    if (finished || !s) return;
    var raw = s.total ? Math.round(100 * s.score / s.total) : 0;
    var status = !s.done ? "incomplete" : (raw >= mastery ? "passed" : "failed");
    if (raw + status === last) return;
    last = raw + status;
    api.LMSSetValue("cmi.core.score.min", "0");
    api.LMSSetValue("cmi.core.score.max", "100");
    api.LMSSetValue("cmi.core.score.raw", String(raw));
    api.LMSSetValue("cmi.core.lesson_status", status);
    api.LMSCommit("");
  }
  function finish() {
    if (finished) return;
    finished = true;
    api.LMSFinish("");
  }
  document.addEventListener("kq:change", report);
  window.addEventListener("pagehide", finish);
  window.addEventListener("beforeunload", finish);
})();
