/* SCORM 1.2 bridge for an exported quiz (book/export/scorm.py).
   Finds the LMS's API object in a parent or opener window; without one the
   quiz works as in the book and nothing is sent. With one, it says so on
   the page, and after every change (quiz.js's "kq:change" event) it reports
   the score as a percentage of all questions and the status: incomplete
   until every question is checked, then passed or failed against the
   mastery score. */
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

  var root = document.querySelector("section.kq-quiz");
  var note = document.querySelector(".kq-lms-note");
  if (note) note.hidden = false;  // the learner is told what the platform receives
  var mastery = parseFloat(api.LMSGetValue("cmi.student_data.mastery_score"));
  if (!(mastery >= 0)) mastery = parseFloat(document.body.getAttribute("data-kq-mastery")) || 80;
  var finished = false, last = "";

  function report() {
    if (finished || !root) return;
    var total = root.querySelectorAll(".kq-q").length;
    var right = root.querySelectorAll(".kq-result.kq-ok").length;
    var checked = right + root.querySelectorAll(".kq-result.kq-no").length;
    var raw = total ? Math.round(100 * right / total) : 0;
    var status = checked < total ? "incomplete" : (raw >= mastery ? "passed" : "failed");
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
    report();
    finished = true;
    api.LMSFinish("");
  }
  document.addEventListener("kq:change", report);
  window.addEventListener("pagehide", finish);
  window.addEventListener("beforeunload", finish);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", report);
  else report();
})();
