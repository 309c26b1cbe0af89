// Spoken answers. In the interview room: the question read aloud (with Replay), recording with
// MediaRecorder, chunks uploaded as they come (retried, re-sent after a drop), the transcript put
// into the answer box to correct, typing always possible. On the scorecard: clicking a sentence
// or a timed evidence quote seeks the recording.
(function () {
  "use strict";
  if (window.hiresightVoice) return;
  window.hiresightVoice = true;
  var API = "/api/v1";
  var TIMESLICE_MS = 3000;

  // ---- scorecard ------------------------------------------------------------------------------
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-seek]") : null;
    if (!link) return;
    event.preventDefault();
    var id = link.getAttribute("data-recording");
    var scope = link.closest("article") || document;
    var audio = id ? document.getElementById("audio-" + id) : scope.querySelector("audio.answer-audio");
    if (!audio) return;
    audio.currentTime = Number(link.getAttribute("data-seek")) || 0;
    var playing = audio.play();
    if (playing && playing.catch) playing.catch(function () {});
  });

  // ---- interview room -------------------------------------------------------------------------
  var room = document.getElementById("room");
  var stageEl = document.getElementById("stage");
  if (!room || !stageEl) return;
  var data = JSON.parse(document.getElementById("interview-data").textContent);
  var voiceStages = {};
  ((data.config && data.config.stages) || []).forEach(function (s) { if (s.voice) voiceStages[s.kind] = true; });
  var notice = null; // the voice notice and whether it was consented, fetched once
  var spokenAloud = {};

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  function json(path, options) {
    return window.hiresight.api(path, options).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (!r.ok) {
          var err = new Error((body.error && body.error.message) || ("HTTP " + r.status));
          err.status = r.status;
          err.body = body;
          throw err;
        }
        return body;
      });
    });
  }

  function sleep(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  function speak(text) {
    if (!("speechSynthesis" in window)) return;
    window.speechSynthesis.cancel();
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = "en-US";
    window.speechSynthesis.speak(utterance);
  }

  function voiceQuestionIds(stage) {
    var areas = Array.prototype.slice.call(stageEl.querySelectorAll(".question textarea[id^='answer-']"));
    return areas.map(function (a) { return a.id.slice("answer-".length); }).filter(function (id) {
      if (id === "writing") return false;
      return stage === "english" ? id === "speaking" : true;
    });
  }

  function decorate() {
    var stage = stageEl.dataset.stage;
    var attemptId = stageEl.dataset.attemptId;
    if (!stage || !attemptId || !voiceStages[stage]) return;
    voiceQuestionIds(stage).forEach(function (questionId) {
      var area = document.getElementById("answer-" + questionId);
      if (!area || area.dataset.voice) return;
      area.dataset.voice = "1";
      var label = document.getElementById("label-" + questionId);
      var text = label ? label.textContent : "";
      var bar = el("div", { class: "voice-bar", id: "voice-" + questionId });
      var replay = el("button", { type: "button", class: "secondary voice-replay" }, "Replay the question");
      replay.addEventListener("click", function () { speak(text); });
      var record = el("button", { type: "button", class: "voice-record", id: "record-" + questionId }, "Answer by voice");
      var status = el("p", { class: "voice-status muted", role: "status", "aria-live": "polite", id: "voice-status-" + questionId });
      status.textContent = "Speak your answer or type it below; you can correct the transcript before you submit.";
      bar.appendChild(replay);
      bar.appendChild(record);
      bar.appendChild(status);
      area.parentNode.insertBefore(bar, area);
      var session = new Recording(attemptId, questionId, area, record, status);
      record.addEventListener("click", function () { session.toggle(); });
      // Read each question aloud once, the first time it is shown.
      var key = attemptId + ":" + questionId;
      if (!spokenAloud[key] && !area.value.trim()) { spokenAloud[key] = true; speak(text); }
    });
  }

  new MutationObserver(decorate).observe(stageEl, { childList: true, subtree: true });
  decorate();

  function ensureConsent(bar) {
    if (notice && notice.consented) return Promise.resolve(true);
    var ready = notice ? Promise.resolve(notice) : json(API + "/voice/notice").then(function (n) { notice = n; return n; });
    return ready.then(function (n) {
      if (n.consented) return true;
      return new Promise(function (resolve) {
        var box = el("div", { class: "voice-notice", role: "region", "aria-label": "Before you record" });
        box.appendChild(el("p", { class: "voice-notice-text" }, n.text));
        var agree = el("button", { type: "button", class: "voice-consent" }, "I agree: record my answer");
        var decline = el("button", { type: "button", class: "secondary" }, "Type instead");
        agree.addEventListener("click", function () {
          json(API + "/voice/consent", { method: "POST", body: JSON.stringify({ version: n.version }) })
            .then(function () { n.consented = true; box.remove(); resolve(true); },
                  function (err) { box.remove(); resolve(false); alert(err.message); });
        });
        decline.addEventListener("click", function () { box.remove(); resolve(false); });
        box.appendChild(agree);
        box.appendChild(decline);
        bar.appendChild(box);
        agree.focus();
      });
    });
  }

  function microphoneMessage(err) {
    var name = err && err.name;
    if (name === "NotAllowedError" || name === "SecurityError") {
      return "Microphone permission was refused. Type your answer in the box below instead.";
    }
    if (name === "NotFoundError" || name === "OverconstrainedError" || !navigator.mediaDevices) {
      return "No microphone was found. Type your answer in the box below instead.";
    }
    return "The microphone could not be started (" + (err && err.message || name) + "). Type your answer in the box below instead.";
  }

  // One spoken answer: the chunks made so far stay in memory until the server has them all.
  function Recording(attemptId, questionId, area, button, status) {
    this.attemptId = attemptId;
    this.questionId = questionId;
    this.area = area;
    this.button = button;
    this.status = status;
    this.recorder = null;
  }

  Recording.prototype.say = function (text, isError) {
    this.status.textContent = text;
    this.status.className = "voice-status" + (isError ? " voice-error" : " muted");
    if (isError) this.status.setAttribute("role", "alert");
  };

  Recording.prototype.base = function () {
    return API + "/attempts/" + this.attemptId + "/recordings/" + this.id;
  };

  Recording.prototype.toggle = function () {
    if (this.recorder && this.recorder.state === "recording") { this.stop(); return; }
    if (this.busy) return;
    this.start();
  };

  Recording.prototype.start = function () {
    var self = this;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.MediaRecorder) {
      self.say(microphoneMessage(null), true);
      return;
    }
    self.busy = true;
    ensureConsent(self.button.parentNode).then(function (ok) {
      if (!ok) { self.busy = false; self.say("Type your answer in the box below."); return null; }
      return navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
        var type = MediaRecorder.isTypeSupported("audio/webm;codecs=opus") ? "audio/webm;codecs=opus" : "";
        return json(API + "/attempts/" + self.attemptId + "/recordings", {
          method: "POST", body: JSON.stringify({ question_id: self.questionId, mime_type: type || "audio/webm" }),
        }).then(function (rec) { self.begin(rec, stream, type); },
                function (err) { stream.getTracks().forEach(function (t) { t.stop(); }); throw err; });
      }, function (err) { throw Object.assign(new Error(microphoneMessage(err)), { microphone: true }); });
    }).catch(function (err) {
      self.busy = false;
      self.say(err.microphone ? err.message : "Recording could not start: " + err.message + " You can type your answer.", true);
    });
  };

  Recording.prototype.begin = function (rec, stream, type) {
    var self = this;
    self.id = rec.id;
    self.chunks = {};
    self.made = 0;
    self.sent = {};
    self.stream = stream;
    self.recorder = type ? new MediaRecorder(stream, { mimeType: type }) : new MediaRecorder(stream);
    self.recorder.addEventListener("dataavailable", function (event) {
      if (!event.data || !event.data.size) return;
      var seq = self.made++;
      self.chunks[seq] = event.data;
      self.pump();
    });
    self.stopped = new Promise(function (resolve) { self.recorder.addEventListener("stop", resolve); });
    self.recorder.start(TIMESLICE_MS);
    self.button.textContent = "Stop recording";
    self.button.classList.add("recording");
    self.say("Recording… press Stop when you have finished.");
    window.addEventListener("online", function () { self.resync(); });
  };

  // Send chunks one after another, in order; a failure waits and tries again.
  Recording.prototype.pump = function () {
    var self = this;
    if (self.pumping) return self.pumping;
    self.pumping = (async function () {
      var delay = 1000;
      for (;;) {
        var next = Object.keys(self.chunks).map(Number).filter(function (s) { return !self.sent[s]; }).sort(function (a, b) { return a - b; })[0];
        if (next === undefined) break;
        try {
          await self.put(next);
          delay = 1000;
        } catch (err) {
          if (err.status && err.status < 500 && err.status !== 429) { self.say(err.message, true); break; }
          self.say("Connection lost: your recording is kept and will be sent when it is back.", true);
          await sleep(delay);
          delay = Math.min(delay * 2, 10000);
        }
      }
      self.pumping = null;
    })();
    return self.pumping;
  };

  Recording.prototype.put = function (seq) {
    var self = this;
    return fetch(self.base() + "/chunks/" + seq, {
      method: "PUT", body: self.chunks[seq], credentials: "same-origin",
      headers: { "Content-Type": "application/octet-stream", "X-CSRF-Token": window.hiresight.csrfToken },
    }).then(function (r) {
      if (r.ok) { self.sent[seq] = true; return; }
      return r.json().catch(function () { return {}; }).then(function (body) {
        var err = new Error((body.error && body.error.message) || ("HTTP " + r.status));
        err.status = r.status;
        throw err;
      });
    });
  };

  // After a drop: ask the server which chunks it lacks and send those again.
  Recording.prototype.resync = function () {
    var self = this;
    if (!self.id) return Promise.resolve();
    return json(self.base() + "?upto=" + self.made).then(function (status) {
      (status.missing || []).forEach(function (seq) { self.sent[seq] = false; });
      return self.pump();
    });
  };

  Recording.prototype.stop = async function () {
    var self = this;
    self.button.disabled = true;
    self.say("Sending your recording…");
    self.recorder.stop();
    self.stream.getTracks().forEach(function (t) { t.stop(); });
    await self.stopped;
    try {
      await self.finish();
      self.say("Transcribing your answer…");
      await self.poll();
    } catch (err) {
      self.say("Your recording could not be sent (" + err.message + "). Type your answer in the box below.", true);
    }
    self.button.disabled = false;
    self.button.textContent = "Record again";
    self.button.classList.remove("recording");
    self.busy = false;
  };

  Recording.prototype.finish = async function () {
    for (var tries = 0; tries < 20; tries++) {
      await this.pump();
      try {
        await json(this.base() + "/finish", { method: "POST", body: JSON.stringify({ chunks: this.made }) });
        return;
      } catch (err) {
        if (err.status === 409 && err.body && err.body.error && err.body.error.details) {
          var self = this;
          (err.body.error.details.missing || []).forEach(function (seq) { self.sent[seq] = false; });
          continue;
        }
        if (err.status && err.status < 500) throw err;
        await sleep(1000 * Math.min(8, tries + 1));
      }
    }
    throw new Error("the server did not accept the recording");
  };

  Recording.prototype.poll = async function () {
    for (;;) {
      var status;
      try { status = await json(this.base()); } catch (err) { await sleep(2000); continue; }
      if (status.state === "transcribed") {
        // The room may have redrawn the stage meanwhile: write into the box shown now.
        this.area = document.getElementById("answer-" + this.questionId) || this.area;
        var text = status.transcript || "";
        this.area.value = this.area.value.trim() ? this.area.value.trim() + "\n\n" + text : text;
        this.area.dispatchEvent(new Event("input", { bubbles: true }));
        this.say("Transcript ready: correct any word that was mis-heard, then submit as usual.");
        this.area.focus();
        return;
      }
      if (status.state === "unavailable" || status.state === "failed") {
        this.say(status.message || "No transcript: type your answer in the box below.", true);
        return;
      }
      await sleep(1000);
    }
  };
})();
