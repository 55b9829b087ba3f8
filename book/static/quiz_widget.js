/* One quiz question in live Jupyter (book/quiz_widget.py, through anywidget).
   The kernel sends the question's markup (a named group of native inputs
   with real labels and the hint) and, after Check, the verdict and the
   feedback on every option; judging stays in Python (book/scoring.py).
   As in the static quiz (quiz.js), the verdict is announced once by moving
   the focus to it. Ids are made unique per view: a notebook can show a
   quiz twice. */
let made = 0;

function render({ model, el }) {
  made += 1;
  const uid = "kqw" + made + "-" + Math.random().toString(36).slice(2, 8);
  el.classList.add("kq-quiz", "kqw");
  /* JupyterLab's notebook takes arrow keys, Space and Enter (they move between
     and run cells): keep the keys a radio group, a checkbox or a button needs. */
  el.setAttribute("data-lm-suppress-shortcuts", "true");
  const OWN = ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", " ", "Enter", "Home", "End"];
  el.addEventListener("keydown", (ev) => {
    if (ev.target.matches("input, button") && OWN.includes(ev.key)) ev.stopPropagation();
  });
  el.innerHTML = model.get("markup").split("__UID__").join(uid);
  const inputs = Array.from(el.querySelectorAll("input"));
  const result = el.querySelector(".kq-result");
  const explain = el.querySelector(".kq-explain");

  function chosen() {
    return inputs.filter((i) => i.checked).map((i) => Number(i.value));
  }
  function showChosen() {
    const picked = new Set(model.get("chosen"));
    inputs.forEach((i) => { i.checked = picked.has(Number(i.value)); });
  }
  function showFeedback() {
    const marks = model.get("marks");
    const feedback = model.get("feedback");
    el.querySelectorAll(".kq-opt").forEach((opt, i) => {
      opt.classList.toggle("kq-right", marks[i] === "right");
      opt.classList.toggle("kq-wrong", marks[i] === "wrong");
      const fb = opt.querySelector(".kq-fb");
      fb.innerHTML = feedback[i] || "";
      fb.hidden = !feedback[i];
    });
    result.innerHTML = model.get("result");
    result.className = "kq-result " + (model.get("verdict") === "correct" ? "kq-ok" : model.get("verdict") ? "kq-no" : "");
    explain.innerHTML = model.get("explanation");
    explain.hidden = !model.get("explanation");
  }

  inputs.forEach((i) => i.addEventListener("change", () => {
    model.set("chosen", chosen());
    model.save_changes();
  }));
  el.querySelector(".kq-check").addEventListener("click", () => {
    model.set("chosen", chosen());
    model.save_changes();
    model.send({ event: "check", chosen: chosen() });  // the state update may be held back
  });
  /* The inputs are the truth on the page: the kernel echoes each change back,
     and an echo arriving after the next key press would undo it. */
  model.on("change:seq", () => { showFeedback(); result.focus(); });
  showChosen();
  showFeedback();
}

export default { render };
