// The interview room. The server owns time, attempts and scores; this script renders the
// current stage, autosaves every change with an increasing revision number, follows the
// server's clock for the countdown, and records focus and paste signals for human review.
(function () {
  "use strict";

  // The instructions page's system check: the server answers, the code editor loads, keys type.
  var check = document.getElementById("system-check");
  if (!check) return;
  function mark(id, text, ok) {
    var node = document.getElementById(id);
    node.textContent = text;
    node.className = ok ? "check-ok" : "check-fail";
  }
  fetch("/readyz", { credentials: "same-origin" }).then(function (r) {
    mark("check-connection", r.ok ? "Connection to the server: OK" : "Connection to the server: the server is not ready, try again shortly", r.ok);
  }, function () { mark("check-connection", "Connection to the server: no connection", false); });
  var test = document.getElementById("editor-test");
  test.addEventListener("input", function () {
    mark("check-typing", "Typing: OK (" + test.value.length + " characters)", test.value.length > 0);
  });
  if (typeof window.require !== "function" || !window.require.config) {
    mark("check-editor", "Code editor: could not load; a plain text box is used instead", false);
    return;
  }
  window.require.config({ paths: { vs: "/static/vendor/monaco/vs" } });
  window.require(["vs/editor/editor.main"], function () {
    window.monaco.editor.create(document.getElementById("editor-test-code"), {
      value: "def greet(name):\n    return f\"Hello, {name}\"\n", language: "python",
      automaticLayout: true, minimap: { enabled: false }, scrollBeyondLastLine: false,
    });
    mark("check-editor", "Code editor: OK", true);
  }, function () { mark("check-editor", "Code editor: could not load; a plain text box is used instead", false); });
})();

(function () {
  "use strict";

  var room = document.getElementById("room");
  if (!room) return;
  var api = window.hiresight.api;
  var data = JSON.parse(document.getElementById("interview-data").textContent);
  var stageEl = document.getElementById("stage");
  var timerEl = document.getElementById("stage-timer");
  var timerBox = document.getElementById("timer-box");
  var warningEl = document.getElementById("timer-warning");
  var saveEl = document.getElementById("save-state");
  var bannerEl = document.getElementById("banner");
  var LABELS = {
    english: "English", resume: "Résumé deep-dive", code_review: "Code review",
    system_design: "System design", behavioral: "Behavioural",
  };

  var state = {
    session: data,
    attempt: null,
    draft: {},
    revision: 0,
    sent: 0,
    inflight: null,
    dirty: false,
    saving: false,
    lastSaved: null,
    offline: false,
    clockOffset: Date.parse(data.server_time) - Date.now(),
    editors: {},
    events: [],
    hiddenSince: null,
  };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "html") node.innerHTML = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function serverNow() { return Date.now() + state.clockOffset; }

  function syncClock(serverTime) {
    if (serverTime) state.clockOffset = Date.parse(serverTime) - Date.now();
  }

  async function call(path, options) {
    var response = await api(path, options);
    var body = null;
    try { body = await response.json(); } catch (e) { body = null; }
    if (!response.ok) {
      var err = new Error(body && body.error ? body.error.message : "Request failed");
      err.code = body && body.error ? body.error.code : "http_" + response.status;
      err.status = response.status;
      err.retryAfter = parseFloat(response.headers.get("Retry-After") || "");
      throw err;
    }
    return body;
  }

  // ---- stage list -------------------------------------------------------------------------
  function attemptFor(kind) {
    return state.session.attempts.filter(function (a) { return a.stage === kind; })[0] || null;
  }

  // Minutes of a stage as this candidate has them: a recruiter may have granted extra time.
  function stageMinutes(stage) {
    var factor = (state.session.time_multipliers || {})[stage.kind] || 1;
    if (factor === 1) return stage.minutes + " min";
    return Math.round(stage.minutes * factor * 10) / 10 + " min (extra time)";
  }

  function renderStages() {
    var list = document.getElementById("stage-list");
    list.innerHTML = "";
    state.session.config.stages.forEach(function (stage) {
      var attempt = attemptFor(stage.kind);
      var status = attempt ? attempt.state : "not started";
      var item = el("li", { class: "stage-item" }, [
        el("span", { class: "stage-name", text: LABELS[stage.kind] + " · " + stageMinutes(stage) }),
        el("span", { class: "status", text: status.replace("_", " ") }),
      ]);
      var open = state.session.state === "created" || state.session.state === "in_progress";
      if (open && (!attempt || attempt.state === "active")) {
        var button = el("button", { type: "button", class: "link-button",
          text: attempt ? "Resume" : "Start", "aria-label": (attempt ? "Resume " : "Start ") + LABELS[stage.kind] });
        button.addEventListener("click", function () { startStage(stage.kind); });
        item.appendChild(button);
      }
      if (!attempt && !state.session.practice) {
        item.appendChild(el("span", { class: "muted", text: state.session.attempts_left[stage.kind] + " attempts left" }));
      }
      if (!state.session.practice) {
        item.appendChild(el("span", { class: "counts-note", text: countsNote(stage.kind, attempt) }));
        if (!open && attempt && attempt.state !== "active" && state.session.attempts_left[stage.kind] > 0) {
          var retake = el("button", { type: "button", class: "link-button retake",
            text: "Retake this stage", "aria-label": "Retake this stage: " + LABELS[stage.kind] + " (" + state.session.attempts_left[stage.kind] + " attempts left)" });
          retake.addEventListener("click", function () { retakeStage(attempt); });
          item.appendChild(retake);
        }
      }
      list.appendChild(item);
    });
    document.getElementById("end-interview").hidden = !(state.session.state === "created" || state.session.state === "in_progress");
  }

  // Which attempt counts for a stage: the one the candidate chose, else the latest finished one.
  function countsNote(kind, attempt) {
    var c = (state.session.counting || {})[kind];
    if (!c) return attempt && attempt.state === "active"
      ? "Counts once finished, unless you choose another attempt."
      : "No finished attempt counts yet.";
    var score = c.score === null || c.score === undefined ? "not scored yet" : "score " + Math.round(c.score);
    var which = attempt && attempt.id === c.attempt_id ? "This attempt counts" : "Attempt " + c.attempt_no + " counts";
    return which + " (" + score + (c.chosen ? ", your choice)." : ", your latest).")
      + (attempt && attempt.state === "active" && !c.chosen ? " This one counts instead once finished." : "");
  }

  // A retake is a new sitting of that one stage. When a scored attempt could be replaced, the
  // server asks for confirmation (409 retake_confirmation_required) and the candidate decides.
  async function retakeStage(attempt, confirmed) {
    try {
      var created = await call("/api/v1/attempts/" + attempt.id + "/retake",
        { method: "POST", body: JSON.stringify({ confirm: !!confirmed }) });
      window.location.assign("/interview/" + created.session_id);
    } catch (err) {
      if (err.code === "retake_confirmation_required" && !confirmed) {
        if (window.confirm(err.message)) retakeStage(attempt, true);
        return;
      }
      showMessage(err.message, true);
    }
  }

  async function refreshSession() {
    state.session = await call("/api/v1/interviews/" + state.session.id);
    syncClock(state.session.server_time);
    renderStages();
    renderNextStep();
  }

  // ---- starting and rendering a stage --------------------------------------------------------
  async function startStage(kind) {
    try {
      var attempt = await call("/api/v1/interviews/" + state.session.id + "/stages/" + kind + "/start", { method: "POST" });
      showAttempt(attempt);
      await refreshSession();
    } catch (err) {
      showMessage(err.message, true);
    }
  }

  function showAttempt(attempt) {
    if (!state.attempt || state.attempt.id !== attempt.id) { state.warned = 0; warningEl.textContent = ""; }
    state.attempt = attempt;
    state.draft = JSON.parse(JSON.stringify(attempt.draft || {}));
    state.revision = attempt.draft_revision;
    state.sent = attempt.draft_revision;
    state.dirty = false;
    state.lastSaved = attempt.last_saved_at ? Date.parse(attempt.last_saved_at) : null;
    syncClock(attempt.server_time);
    renderAttempt();
    stageEl.focus();
  }

  function hideMessage() { bannerEl.hidden = true; bannerEl.textContent = ""; }

  function showMessage(text, isError) {
    bannerEl.hidden = false;
    bannerEl.className = isError ? "alert" : "notice";
    bannerEl.setAttribute("role", isError ? "alert" : "status");
    bannerEl.textContent = text;
  }

  function renderAttempt() {
    var a = state.attempt;
    stageEl.innerHTML = "";
    // voice.js reads which attempt and stage it decorates with record buttons.
    stageEl.dataset.attemptId = a.id;
    stageEl.dataset.stage = a.stage;
    state.editors = {};
    stageEl.appendChild(el("h2", { text: LABELS[a.stage] + (a.attempt_no ? " — attempt " + a.attempt_no : "") }));
    if (a.state !== "active") { renderFinished(a); return; }
    if (a.content.instructions) stageEl.appendChild(el("p", { class: "muted", text: a.content.instructions }));
    if (a.stage === "code_review") {
      window.hiresight.codeReview.render(a, { state: state, el: el, stageEl: stageEl, markDirty: markDirty,
        saveNow: saveNow, onPaste: onPaste, serialised: serialised, nextRevision: nextRevision, call: call,
        showMessage: showMessage });
    }
    else renderQuestions(a);
    if (a.content.writing) renderWriting(a.content.writing);
    if (a.content.speaking) renderSpeaking(a.content.speaking);
    var submit = el("button", { type: "button", id: "submit-stage", text: "Submit and end this stage" });
    submit.addEventListener("click", submitStage);
    stageEl.appendChild(submit);
  }

  // Practice English: each item, right or not, with the right answer and the bank's why.
  function renderItems(items) {
    var right = items.filter(function (i) { return i.correct; }).length;
    var section = el("section", { class: "item-feedback", id: "item-feedback" }, [
      el("h4", { text: "Your answers: " + right + " of " + items.length + " right" })]);
    var list = el("ol", { class: "item-results" });
    items.forEach(function (i) {
      var chose = i.your_answer ? " — you chose “" + i.your_answer + "”" : " — no answer was given";
      var item = el("li", { class: i.correct ? "item-right" : "item-wrong" }, [
        el("p", { class: "item-prompt", text: i.prompt }),
        el("p", { class: "item-verdict", text: (i.correct ? "✔ Correct" : "✘ Incorrect") + chose }),
        el("p", { class: "item-answer", text: "Right answer: “" + i.right_answer + "”" }),
      ]);
      if (i.why) item.appendChild(el("p", { class: "item-why muted", text: "Why: " + i.why }));
      list.appendChild(item);
    });
    section.appendChild(list);
    return section;
  }

  var WRITING_LABELS = { accuracy: "Accuracy", vocabulary: "Vocabulary", diversity: "Word variety",
    complexity: "Sentence complexity", readability_grade: "Register", length: "Length" };

  // Practice English: the writing sample's own score, length, sub-scores, sentences and advice.
  function renderWritingFeedback(w) {
    var section = el("section", { class: "writing-feedback", id: "writing-feedback" }, [
      el("h4", { text: "Your writing · score " + Math.round(w.score) })]);
    var range = w.min_words ? " (the task asks for " + w.min_words + "–" + w.max_words + ")" : "";
    section.appendChild(el("p", { class: "writing-words", text: w.words + " words" + range }));
    var subs = Object.keys(w.sub_scores || {}).filter(function (k) { return WRITING_LABELS[k]; });
    if (subs.length) {
      section.appendChild(el("p", { class: "writing-subscores", text: subs.map(function (k) {
        return WRITING_LABELS[k] + " " + Math.round(w.sub_scores[k] * 100) + "%"; }).join(" · ") }));
    }
    if (w.notes && w.notes.length) {
      var notes = el("ul", { class: "writing-notes" });
      w.notes.forEach(function (n) {
        notes.appendChild(el("li", {}, [el("span", { text: n.point }),
          el("p", { class: "muted", text: "“" + n.quote + "”" })]));
      });
      section.appendChild(notes);
    }
    if (w.advice && w.advice.length) {
      section.appendChild(el("p", { text: "What to work on:" }));
      var advice = el("ul", { class: "writing-advice" });
      w.advice.forEach(function (a) { advice.appendChild(el("li", { text: a })); });
      section.appendChild(advice);
    }
    return section;
  }

  function renderPractice(fb) {
    var box = el("div", { class: "card practice-feedback", id: "practice-feedback" });
    box.appendChild(el("h3", { text: "Feedback · score " + Math.round(fb.score) }));
    if (fb.items && fb.items.length) box.appendChild(renderItems(fb.items));
    if (fb.writing) box.appendChild(renderWritingFeedback(fb.writing));
    if (fb.structure) {
      var parts = Object.keys(fb.structure).map(function (k) { return (fb.structure[k] ? "✔ " : "✘ ") + k; });
      box.appendChild(el("p", { text: "Structure: " + parts.join("  ") }));
    }
    if (fb.pacing !== undefined && fb.pacing !== null) {
      box.appendChild(el("p", { text: "Pacing: " + Math.round(fb.pacing * 100) + "% (how well you used the time)" }));
    }
    // `missed` pairs each point with the candidate's closest sentence; feedback stored before
    // it existed has only `points_missed`. Their sentence is set as text, never as markup.
    var missed = fb.missed || (fb.points_missed || []).map(function (p) { return { point: p, closest: null }; });
    if (missed.length) {
      box.appendChild(el("p", { text: "Points you could add:" }));
      var list = el("ul", { class: "missed-points" });
      missed.forEach(function (m) {
        var item = el("li", {}, [el("span", { class: "point", text: m.point })]);
        if (m.closest) {
          item.appendChild(el("p", { class: "closest muted", text: "closest: “" + m.closest + "”" }));
        }
        list.appendChild(item);
      });
      box.appendChild(list);
    }
    if (fb.model_outline && fb.model_outline.length) {
      box.appendChild(el("p", { text: "A strong answer would cover:" }));
      var outline = el("ul");
      fb.model_outline.forEach(function (p) { outline.appendChild(el("li", { text: p })); });
      box.appendChild(outline);
    }
    stageEl.appendChild(box);
  }

  // What the stored answer holds, in words: a candidate whose time ran out sees what was kept.
  function savedSummary(a) {
    var kept = a.answer || a.draft || {};
    var parts = [];
    var answered = Object.keys(kept.answers || {}).filter(function (k) { return kept.answers[k] !== "" && kept.answers[k] !== null; }).length;
    if (answered) parts.push(answered + (answered === 1 ? " answer" : " answers"));
    if (kept.writing && kept.writing.trim()) parts.push("your text of " + kept.writing.trim().split(/\s+/).length + " words");
    if (kept.files && a.content.challenge) {
      var changed = Object.keys(kept.files).filter(function (n) { return kept.files[n] !== a.content.challenge.files[n]; }).length;
      parts.push(changed + (changed === 1 ? " changed file" : " changed files"));
    }
    if (kept.flags && kept.flags.length) parts.push(kept.flags.length + (kept.flags.length === 1 ? " bug flag" : " bug flags"));
    if (kept.explanation && kept.explanation.trim()) parts.push("your explanation");
    return parts.length ? parts.join(", ") : "nothing (no answer had been saved)";
  }

  function renderFinished(a) {
    if (a.ended_by === "deadline") {
      var when = a.last_saved_at ? " as last saved at " + new Date(a.last_saved_at).toLocaleTimeString() : "";
      stageEl.appendChild(el("div", { class: "alert time-up", id: "time-up", role: "alert" }, [
        el("p", { text: "Time is up for this stage. Your work was kept" + when + " and counts as your answer." }),
        el("p", { text: "Saved: " + savedSummary(a) + "." }),
      ]));
    }
    stageEl.appendChild(el("p", { text: "This stage is " + a.state + "." }));
    if (a.practice_feedback) renderPractice(a.practice_feedback);
    else if (state.session.practice && a.answer) {
      stageEl.appendChild(el("p", { class: "muted", text: "Preparing your feedback…" }));
      setTimeout(pollResult, 1500);
    }
    if (a.feedback) {
      // The stage's stored score, rounded half up, is the number the scorecard shows too (not
      // the grader's patch score, which leaves out the flags and the explanation).
      var fb = a.feedback;
      var shown = a.score === null || a.score === undefined ? "scoring…" : String(Math.round(a.score));
      stageEl.appendChild(el("p", { id: "grade-result",
        text: "Bugs fixed: " + fb.bugs_fixed + " of " + fb.bugs_total + " · score " + shown }));
      var polling = !a.practice_feedback && state.session.practice && a.answer;
      if ((a.score === null || a.score === undefined) && !polling) setTimeout(pollResult, 1500);
    } else if (a.stage === "code_review" && a.answer) {
      stageEl.appendChild(el("p", { id: "grade-result", class: "muted", text: "Grading your patch…" }));
      setTimeout(pollResult, 1000);
    }
    renderNextStep();
  }

  var NEXT_STEPS = [
    "Your answers are scored now; the code review is graded in a sandbox. Scores appear on your interviews page within a few minutes.",
    "The recruiter for the job reviews your results, with any notes you add to an attempt, and contacts you by e-mail.",
    "While a stage has attempts left you can retake it from your interviews page; you choose which attempt counts.",
  ];

  function sessionOpen() { return state.session.state === "created" || state.session.state === "in_progress"; }

  // After a stage: the next stage to start, or, once the interview is over, what happens next.
  function renderNextStep() {
    var old = document.getElementById("next-step");
    if (old) old.remove();
    if (state.attempt && state.attempt.state === "active") return;
    var box = el("div", { id: "next-step", class: "next-step" });
    if (sessionOpen()) {
      var next = state.session.config.stages.filter(function (s) { return !attemptFor(s.kind); })[0];
      if (!next) return;
      var button = el("button", { type: "button", id: "next-stage", text: "Next stage: " + LABELS[next.kind] + " (" + stageMinutes(next) + ")" });
      button.addEventListener("click", function () { startStage(next.kind); });
      box.appendChild(button);
    } else {
      box.className = "next-step card completion";
      box.appendChild(el("h2", { text: state.session.practice ? "Practice session complete" : "Interview complete — thank you!" }));
      if (state.session.practice) {
        box.appendChild(el("p", { text: "Practice is never shown to recruiters. Your feedback is above, per stage; start another practice session from your interviews page whenever you like." }));
      } else {
        box.appendChild(el("h3", { text: "What happens next" }));
        var list = el("ol");
        NEXT_STEPS.forEach(function (t) { list.appendChild(el("li", { text: t })); });
        box.appendChild(list);
      }
      box.appendChild(el("p", {}, [el("a", { href: "/candidate/interviews", text: "Go to your interviews" })]));
    }
    stageEl.appendChild(box);
  }

  function settled(a) {
    var graded = a.stage !== "code_review" || (a.feedback && a.score !== null && a.score !== undefined);
    var coached = !state.session.practice || a.practice_feedback;
    return graded && coached;
  }

  async function pollResult() {
    if (!state.attempt || settled(state.attempt)) return;
    var a = await call("/api/v1/attempts/" + state.attempt.id);
    state.attempt = a;
    if (settled(a)) renderAttempt(); else setTimeout(pollResult, 1500);
  }

  function answers() {
    state.draft.answers = state.draft.answers || {};
    return state.draft.answers;
  }

  function isAnswered(q) {
    var v = (state.draft.answers || {})[q.id];
    return q.type === "mc" ? v !== undefined && v !== null : !!(v && String(v).trim());
  }

  // The stage's questions, each follow-up right under the question it probes.
  function ordered(questions) {
    var roots = questions.filter(function (q) { return !q.follow_up_of; });
    var out = [];
    roots.forEach(function (r) {
      out.push(r);
      questions.forEach(function (q) { if (q.follow_up_of === r.id) out.push(q); });
    });
    return out;
  }

  // "Question 3 of 10": the first one without an answer. English items arrive one at a time, so
  // its total is the stage's item count, not the items shown so far.
  function updateProgress() {
    var node = document.getElementById("stage-progress");
    if (!node || !state.attempt) return;
    var c = state.attempt.content;
    var roots = (c.questions || []).filter(function (q) { return !q.follow_up_of; });
    var total = c.mc_total || roots.length;
    var done = roots.filter(isAnswered).length;
    node.textContent = done >= total ? "All " + total + " questions answered"
      : "Question " + (done + 1) + " of " + total;
  }

  function renderQuestions(a) {
    var roots = a.content.questions.filter(function (q) { return !q.follow_up_of; });
    var total = a.content.mc_total || roots.length;
    stageEl.appendChild(el("p", { id: "stage-progress", class: "stage-progress" }));
    var lastPassage = null;
    var number = 0;
    ordered(a.content.questions).forEach(function (q) {
      var box = el("div", { class: "question" + (q.follow_up_of ? " follow-up" : ""), id: "q-" + q.id });
      if (q.passage && q.passage !== lastPassage) box.appendChild(el("blockquote", { class: "passage", text: q.passage }));
      else if (q.passage) box.appendChild(el("p", { class: "muted", text: "About the passage above." }));
      if (q.passage) lastPassage = q.passage;
      if (q.follow_up_of) box.appendChild(el("p", { class: "badge", text: "Follow-up" }));
      else { number += 1; box.appendChild(el("p", { class: "question-number muted", text: "Question " + number + " of " + total })); }
      var labelId = "label-" + q.id;
      box.appendChild(el("p", { class: "question-text", id: labelId, text: q.text }));
      if (q.type === "mc") renderChoice(box, q, labelId);
      else renderText(box, q, labelId, a.stage === "resume");
      stageEl.appendChild(box);
    });
    updateProgress();
  }

  // After an answer given from the keyboard, carry on at the next open question.
  function focusNextOpen() {
    var target = stageEl.querySelector(".question input[type=radio]:not([disabled])");
    if (!target) {
      var areas = Array.prototype.slice.call(stageEl.querySelectorAll(".question textarea"));
      target = areas.filter(function (t) { return !t.value.trim(); })[0] || document.getElementById("submit-stage");
    }
    if (target) target.focus();
  }

  function renderChoice(box, q, labelId) {
    var answered = (state.draft.answers || {})[q.id];
    var group = el("div", { role: "radiogroup", "aria-labelledby": labelId });
    q.options.forEach(function (option, i) {
      var id = "opt-" + q.id + "-" + i;
      var input = el("input", { type: "radio", name: "mc-" + q.id, id: id, value: String(i) });
      if (answered !== undefined) { input.disabled = true; if (answered === i) input.checked = true; }
      group.appendChild(el("div", { class: "option" }, [input, el("label", { for: id, text: option })]));
    });
    box.appendChild(group);
    if (answered === undefined) {
      var button = el("button", { type: "button", text: "Answer" });
      button.addEventListener("click", async function () {
        var picked = box.querySelector("input:checked");
        if (!picked) { showMessage("Pick one of the options first.", true); return; }
        var choice = Number(picked.value);
        answers()[q.id] = choice;
        markDirty();
        try {
          var updated = await call("/api/v1/attempts/" + state.attempt.id + "/questions/" + q.id + "/answer",
            { method: "POST", body: JSON.stringify({ choice: choice }) });
          state.attempt.content = updated.content;
          renderAttempt();
          focusNextOpen();
        } catch (err) { showMessage(err.message, true); }
      });
      box.appendChild(button);
    }
  }

  function renderText(box, q, labelId, drillDown) {
    var area = el("textarea", { rows: "7", "aria-labelledby": labelId, id: "answer-" + q.id });
    area.value = (state.draft.answers || {})[q.id] || "";
    area.addEventListener("input", function () { answers()[q.id] = area.value; markDirty(); updateProgress(); });
    area.addEventListener("paste", onPaste);
    box.appendChild(area);
    var asked = state.attempt.content.questions.some(function (o) { return o.follow_up_of === (q.follow_up_of || q.id) && o.id > q.id; });
    if (drillDown && !asked) {
      var done = el("button", { type: "button", class: "secondary", text: "Done with this answer" });
      done.addEventListener("click", async function () {
        await saveNow();
        try {
          var updated = await call("/api/v1/attempts/" + state.attempt.id + "/questions/" + q.id + "/answer",
            { method: "POST", body: JSON.stringify({ text: area.value }) });
          var before = state.attempt.content.questions.length;
          state.attempt.content = updated.content;
          if (q.follow_up_of && state.followUpBanner) { hideMessage(); state.followUpBanner = false; }
          renderAttempt();
          if (updated.content.questions.length > before) {
            var added = updated.content.questions[updated.content.questions.length - 1];
            showMessage("A follow-up question was added under your answer: please be more specific.", false);
            state.followUpBanner = true;
            var follow = document.getElementById("answer-" + added.id);
            if (follow) { follow.focus(); return; }
          }
          focusNextOpen();
        } catch (err) { showMessage(err.message, true); }
      });
      box.appendChild(done);
    }
  }

  // The English check's spoken item: recorded (voice.js) or typed, kept like any answer.
  function renderSpeaking(q) {
    var box = el("div", { class: "question speaking", id: "q-" + q.id });
    box.appendChild(el("p", { class: "badge", text: "Spoken" }));
    box.appendChild(el("p", { class: "question-text", id: "label-" + q.id, text: q.text }));
    renderText(box, q, "label-" + q.id, false);
    stageEl.appendChild(box);
  }

  function renderWriting(writing) {
    var box = el("div", { class: "question" });
    box.appendChild(el("p", { class: "question-text", id: "label-writing", text: writing.prompt }));
    box.appendChild(el("p", { class: "muted", text: writing.min_words + "–" + writing.max_words + " words." }));
    var area = el("textarea", { rows: "8", "aria-labelledby": "label-writing", id: "answer-writing" });
    area.value = state.draft.writing || "";
    var count = el("p", { class: "muted", "aria-live": "polite" });
    function update() { count.textContent = (area.value.trim() ? area.value.trim().split(/\s+/).length : 0) + " words"; }
    area.addEventListener("input", function () { state.draft.writing = area.value; markDirty(); update(); });
    area.addEventListener("paste", onPaste);
    update();
    box.appendChild(area);
    box.appendChild(count);
    stageEl.appendChild(box);
  }

  // ---- autosave ------------------------------------------------------------------------------
  function markDirty() {
    state.dirty = true;
    renderSaveState();
  }

  // Requests that claim a draft revision (autosave, submit, example tests) run one after another:
  // a submit sent while an autosave was in flight took the same revision, and the server rightly
  // refused it as stale, so the candidate's "Submit" failed.
  var writes = Promise.resolve();
  function serialised(task) {
    var next = writes.then(task, task);
    writes = next.catch(function () {});
    return next;
  }

  var pendingSave = null;
  function saveNow() {
    if (!pendingSave) {
      pendingSave = serialised(writeDraft).finally(function () { pendingSave = null; });
    }
    return pendingSave;
  }

  // A revision no request has claimed yet: a save sent while another is in flight (the page
  // being closed) must not reuse that one's number, or the server refuses the newer draft.
  function nextRevision() {
    state.sent = Math.max(state.sent, state.revision) + 1;
    return state.sent;
  }

  // Drafts go out as keepalive requests, so one in flight when the tab closes still arrives.
  // Browsers cap keepalive bodies at 64 KiB in all; a larger draft goes as a plain request.
  var KEEPALIVE_LIMIT = 60000;
  function putDraft(revision, draft) {
    var body = JSON.stringify({ revision: revision, draft: draft });
    var json = JSON.stringify(draft);
    state.inflight = json;
    return call("/api/v1/attempts/" + state.attempt.id + "/draft",
      { method: "PUT", body: body, keepalive: body.length < KEEPALIVE_LIMIT })
      .finally(function () { if (state.inflight === json) state.inflight = null; });
  }

  function unsent() {
    return !!(state.attempt && state.attempt.state === "active" && state.dirty &&
      state.inflight !== JSON.stringify(state.draft));
  }

  // The page is being hidden or closed: send what has not been sent, now, without waiting for
  // the autosave queue (an awaited request would never start). True when it could be sent.
  function flushOnLeave() {
    if (!unsent()) return true;
    if (state.offline || (state.retryAt && Date.now() < state.retryAt)) return false;
    var revision = nextRevision();
    var snapshot = JSON.parse(JSON.stringify(state.draft));
    var body = JSON.stringify({ revision: revision, draft: snapshot });
    if (body.length >= KEEPALIVE_LIMIT) return false;
    putDraft(revision, snapshot).then(function (saved) {
      // The page stayed (only hidden): the save counts like any other.
      state.revision = Math.max(state.revision, revision);
      state.lastSaved = Date.now();
      state.dirty = JSON.stringify(snapshot) !== JSON.stringify(state.draft);
      syncClock(saved.server_time);
      renderSaveState();
    }, function () { /* the regular autosave retries while the page lives */ });
    return true;
  }

  async function writeDraft() {
    if (!state.attempt || state.attempt.state !== "active" || !state.dirty) return;
    if (state.retryAt && Date.now() < state.retryAt) return;  // the server asked us to wait
    state.saving = true;
    var revision = nextRevision();
    var snapshot = JSON.parse(JSON.stringify(state.draft));
    try {
      var saved = await putDraft(revision, snapshot);
      state.revision = Math.max(state.revision, revision);
      state.lastSaved = Date.now();
      state.dirty = JSON.stringify(snapshot) !== JSON.stringify(state.draft);
      state.retryAt = 0;
      syncClock(saved.server_time);
      if (state.offline) { state.offline = false; showMessage("Reconnected — your work is safe and saved.", false); }
    } catch (err) {
      if (err.code === "deadline_passed") { await reloadAttempt(); }
      else if (err.code === "stale_revision") { state.revision = Math.max(state.revision, revision); }
      else if (err.status === 503) {
        // Overloaded: keep the draft (still dirty, revision unused) and retry when told to.
        var wait = (err.retryAfter > 0 ? err.retryAfter : 2) * 1000;
        state.retryAt = Date.now() + wait;
        setTimeout(saveNow, wait + 50);
      }
      else { state.offline = true; }
    } finally {
      state.saving = false;
      renderSaveState();
    }
  }

  function renderSaveState() {
    if (state.offline) saveEl.textContent = "Offline — will retry";
    else if (state.retryAt > Date.now()) saveEl.textContent = "Server busy — your work is kept, saving again shortly";
    else if (state.saving) saveEl.textContent = "Saving…";
    else if (state.lastSaved) saveEl.textContent = "Saved " + Math.max(0, Math.round((Date.now() - state.lastSaved) / 1000)) + " s ago" + (state.dirty ? " · unsaved changes" : "");
    else saveEl.textContent = state.dirty ? "Unsaved changes" : "No changes yet";
  }

  async function reloadAttempt() {
    var a = await call("/api/v1/attempts/" + state.attempt.id);
    showAttempt(a);
    await refreshSession();
  }

  async function submitStage() {
    if (!window.confirm("Submit this stage? You cannot change your answer afterwards.")) return;
    try {
      var a = await serialised(function () {
        return call("/api/v1/attempts/" + state.attempt.id + "/submit",
          { method: "POST", body: JSON.stringify({ revision: nextRevision(), draft: state.draft }) });
      });
      state.dirty = false;
      showAttempt(a);
      await refreshSession();
      // 202: the answer is stored; the server says what it queued (grading or scoring).
      showMessage("Stage submitted. " + (a.message || ""), false);
    } catch (err) { showMessage(err.message, true); }
  }

  document.getElementById("end-interview").addEventListener("click", async function () {
    if (!window.confirm("End the whole interview now? Your current stage is submitted as it is.")) return;
    await saveNow();
    try {
      state.session = await call("/api/v1/interviews/" + state.session.id + "/end", { method: "POST" });
      renderStages();
      if (state.attempt) { showAttempt(state.session.attempts.filter(function (a) { return a.id === state.attempt.id; })[0]); }
      else renderNextStep();
      showMessage("Interview ended. Thank you!", false);
    } catch (err) { showMessage(err.message, true); }
  });

  // ---- countdown -----------------------------------------------------------------------------
  function tick() {
    if (state.attempt && state.attempt.state === "active") {
      var left = Math.max(0, Math.round((Date.parse(state.attempt.deadline_at) - serverNow()) / 1000));
      timerEl.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      warnTime(left);
      if (left === 0 && !state.expiring) {
        state.expiring = true;
        showMessage("Time is up — saving your last changes. This stage closes in a few seconds.", true);
        saveNow().then(function () { setTimeout(function () { state.expiring = false; reloadAttempt(); }, 12000); });
      }
    } else {
      timerEl.textContent = "—";
      timerBox.classList.remove("timer-warn", "timer-urgent");
    }
    renderSaveState();
  }

  // Warn once at 5 minutes and once at 1 minute, on screen and in the live region.
  function warnTime(left) {
    var level = left <= 60 ? 2 : left <= 300 ? 1 : 0;
    timerBox.classList.toggle("timer-warn", level === 1);
    timerBox.classList.toggle("timer-urgent", level === 2);
    if (level > (state.warned || 0)) {
      state.warned = level;
      warningEl.textContent = level === 2
        ? "1 minute left in this stage. Your work is saved automatically; what is saved when time runs out counts."
        : "5 minutes left in this stage.";
    }
  }

  // ---- integrity signals (for human review; they never change a score) -------------------------
  function onPaste(event) {
    var text = (event.clipboardData || window.clipboardData).getData("text") || "";
    state.events.push({ kind: "paste", data: { chars: text.length }, client_at: new Date().toISOString() });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      flushOnLeave();
      state.hiddenSince = Date.now();
      state.events.push({ kind: "focus_lost", data: {}, client_at: new Date().toISOString() });
    } else if (state.hiddenSince) {
      state.events.push({ kind: "focus_gained", data: { ms: Date.now() - state.hiddenSince }, client_at: new Date().toISOString() });
      state.hiddenSince = null;
    }
  });

  async function flushEvents() {
    if (!state.attempt || state.attempt.state !== "active" || !state.events.length) return;
    var batch = state.events.splice(0, 100);
    try {
      await call("/api/v1/attempts/" + state.attempt.id + "/events", { method: "POST", body: JSON.stringify({ events: batch }) });
    } catch (err) {
      if (err.status === undefined || err.status >= 500) state.events = batch.concat(state.events);
    }
  }

  window.addEventListener("online", function () { saveNow(); });
  window.addEventListener("pagehide", function () { flushOnLeave(); });
  // Leaving a field is a natural pause: save then rather than at the next tick.
  stageEl.addEventListener("focusout", function (e) {
    if (e.target.matches("textarea, input")) saveNow();
  });
  // Ask "leave site?" only for work that cannot reach the server: offline, told to wait, or a
  // draft too large to send as the page closes. Anything else is sent with keepalive.
  window.addEventListener("beforeunload", function (e) {
    if (!flushOnLeave()) { e.preventDefault(); e.returnValue = ""; }
  });

  renderStages();
  var active = state.session.attempts.filter(function (a) { return a.state === "active"; })[0];
  if (active) {
    showAttempt(active);
    showMessage("Welcome back — your answers and remaining time are as you left them.", false);
  } else if (!sessionOpen()) {
    renderNextStep();
  }
  setInterval(tick, 1000);
  setInterval(saveNow, 1500);
  setInterval(flushEvents, 5000);
  tick();
})();
