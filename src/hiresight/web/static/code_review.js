// The code-review stage of the interview room: the files in a Monaco editor (a plain text box
// when the editor cannot load), the diff against the original, bug flags, the explanation and the
// example-test run. The room (interview.js) calls window.hiresight.codeReview.render(attempt, room)
// with the shared pieces it owns: its state, the element builder, the stage element, autosave.
(function () {
  "use strict";

  var state, el, stageEl, markDirty, saveNow, onPaste, serialised, nextRevision, call, showMessage;

  function render(a, room) {
    state = room.state; el = room.el; stageEl = room.stageEl; markDirty = room.markDirty;
    saveNow = room.saveNow; onPaste = room.onPaste; serialised = room.serialised;
    nextRevision = room.nextRevision; call = room.call; showMessage = room.showMessage;
    renderCodeReview(a);
  }
  function renderCodeReview(a) {
    var ch = a.content.challenge;
    state.draft.files = state.draft.files || Object.assign({}, ch.files);
    state.draft.flags = state.draft.flags || [];
    stageEl.appendChild(el("h3", { text: ch.title + " (" + ch.language + ")" }));
    stageEl.appendChild(el("p", { class: "scenario", text: ch.scenario }));
    var names = Object.keys(ch.files).sort();
    var tabs = el("div", { role: "tablist", class: "file-tabs", "aria-label": "Files" });
    var holder = el("div", { class: "editor-holder", id: "editor-holder" });
    names.forEach(function (name, i) {
      var tab = el("button", { type: "button", role: "tab", class: "tab", text: name, "aria-selected": i === 0 ? "true" : "false" });
      tab.addEventListener("click", function () { selectFile(name); });
      tabs.appendChild(tab);
    });
    stageEl.appendChild(tabs);
    var diffToggle = el("label", { class: "inline-check" }, [el("input", { type: "checkbox", id: "show-diff" }), document.createTextNode(" Show my changes (diff)")]);
    stageEl.appendChild(diffToggle);
    stageEl.appendChild(holder);
    setupEditor(holder, names, ch);
    diffToggle.querySelector("input").addEventListener("change", function (e) { setDiff(e.target.checked); });
    renderFlags(names, ch.bug_classes);
    var exp = el("div", { class: "question" });
    exp.appendChild(el("label", { for: "explanation", text: "Explain each fix: the problem, the fix, and its impact" }));
    var area = el("textarea", { id: "explanation", rows: "6" });
    area.value = state.draft.explanation || "";
    area.addEventListener("input", function () { state.draft.explanation = area.value; markDirty(); });
    area.addEventListener("paste", onPaste);
    exp.appendChild(area);
    stageEl.appendChild(exp);
    if (ch.visible_tests && ch.visible_tests.length) {
      var run = el("button", { type: "button", class: "secondary", id: "run-tests", text: "Run the example tests" });
      var out = el("div", { id: "test-output", class: "test-output", "aria-live": "polite" });
      run.addEventListener("click", async function () {
        out.textContent = "Running…";
        try {
          var r = await serialised(function () {
            state.revision = nextRevision();
            return call("/api/v1/attempts/" + state.attempt.id + "/run-tests",
              { method: "POST", body: JSON.stringify({ revision: state.revision, draft: state.draft }) });
          });
          state.dirty = false; state.lastSaved = Date.now();
          out.textContent = "";
          if (r.syntax_error) out.appendChild(el("p", { class: "alert", text: "Syntax error in " + r.syntax_error.file + " line " + r.syntax_error.line + ": " + r.syntax_error.message }));
          (r.tests || []).forEach(function (t) {
            out.appendChild(el("p", { text: (t.passed ? "✔ " : "✘ ") + t.id + (t.passed ? "" : " — " + (t.message || t.status)) }));
          });
        } catch (err) { out.textContent = err.message; }
      });
      stageEl.appendChild(run);
      stageEl.appendChild(out);
    }
  }

  function setupEditor(holder, names, ch) {
    var fallback = function () {
      names.forEach(function (name) {
        var area = el("textarea", { class: "code", rows: "20", "aria-label": "Code of " + name, "data-file": name, spellcheck: "false" });
        area.value = state.draft.files[name];
        area.hidden = name !== names[0];
        area.addEventListener("input", function () { state.draft.files[name] = area.value; markDirty(); });
        holder.appendChild(area);
        state.editors[name] = { textarea: area };
      });
      state.currentFile = names[0];
    };
    if (typeof window.require !== "function" || !window.require.config) { fallback(); return; }
    window.require.config({ paths: { vs: "/static/vendor/monaco/vs" } });
    window.require(["vs/editor/editor.main"], function () {
      var monaco = window.monaco;
      var lang = ch.language === "javascript" ? "javascript" : "python";
      state.models = {};
      state.originals = {};
      names.forEach(function (name) {
        state.originals[name] = monaco.editor.createModel(ch.files[name], lang);
        var model = monaco.editor.createModel(state.draft.files[name], lang, monaco.Uri.parse("file:///" + name));
        model.onDidChangeContent(function () { state.draft.files[name] = model.getValue(); markDirty(); });
        state.models[name] = model;
      });
      state.editor = monaco.editor.create(holder, { model: state.models[names[0]], automaticLayout: true,
        minimap: { enabled: false }, lineNumbers: "on", fontSize: 14, scrollBeyondLastLine: false });
      state.currentFile = names[0];
      state.editor.onDidBlurEditorText(function () { saveNow(); });
      window.hiresightRoom = { monaco: monaco, models: state.models, diffEditor: function () { return state.diffEditor; } };
    }, fallback);
  }

  function selectFile(name) {
    state.currentFile = name;
    document.querySelectorAll(".file-tabs .tab").forEach(function (t) { t.setAttribute("aria-selected", t.textContent === name ? "true" : "false"); });
    if (state.editor) {
      if (state.diffEditor) setDiff(true); else state.editor.setModel(state.models[name]);
    } else {
      Object.keys(state.editors).forEach(function (n) { state.editors[n].textarea.hidden = n !== name; });
    }
    var select = document.getElementById("flag-file");
    if (select) select.value = name;
  }

  function setDiff(on) {
    if (!state.editor) return;
    var holder = document.getElementById("editor-holder");
    var monaco = window.monaco;
    if (state.diffEditor) { state.diffEditor.dispose(); state.diffEditor = null; }
    if (on) {
      state.editor.getDomNode().style.display = "none";
      var node = el("div", { class: "diff-holder" });
      holder.appendChild(node);
      state.diffEditor = monaco.editor.createDiffEditor(node, { automaticLayout: true, readOnly: true, renderSideBySide: window.innerWidth > 700 });
      state.diffEditor.setModel({ original: state.originals[state.currentFile], modified: state.models[state.currentFile] });
      revealFirstChange(state.diffEditor);
    } else {
      holder.querySelectorAll(".diff-holder").forEach(function (n) { n.remove(); });
      state.editor.getDomNode().style.display = "";
      state.editor.setModel(state.models[state.currentFile]);
    }
  }

  // The diff is computed in the background: once it is, scroll to the first change (the
  // candidate's edit may be far below the top of a long file), once per opening of the diff.
  function revealFirstChange(diffEditor) {
    var listener = diffEditor.onDidUpdateDiff(function () {
      var changes = diffEditor.getLineChanges() || [];
      if (!changes.length) return;
      listener.dispose();
      var change = changes[0];
      // A pure deletion has no modified lines: its start is the line before the removed ones.
      var line = Math.max(1, change.modifiedEndLineNumber ? change.modifiedStartLineNumber : change.modifiedStartLineNumber + 1);
      var modified = diffEditor.getModifiedEditor();
      modified.revealLineInCenter(line);
      modified.setPosition({ lineNumber: line, column: 1 });
    });
  }

  function renderFlags(names, classes) {
    var box = el("fieldset", { class: "flags" });
    box.appendChild(el("legend", { text: "Flag a bug" }));
    var file = el("select", { id: "flag-file" });
    names.forEach(function (n) { file.appendChild(el("option", { value: n, text: n })); });
    var start = el("input", { id: "flag-start", type: "number", min: "1", inputmode: "numeric" });
    var end = el("input", { id: "flag-end", type: "number", min: "1", inputmode: "numeric" });
    var cls = el("select", { id: "flag-class" });
    classes.forEach(function (c) { cls.appendChild(el("option", { value: c, text: c })); });
    var fromSel = el("button", { type: "button", class: "secondary", text: "Use the editor selection" });
    fromSel.addEventListener("click", function () {
      if (!state.editor) return;
      var s = state.editor.getSelection();
      start.value = s.startLineNumber; end.value = s.endLineNumber; file.value = state.currentFile;
    });
    var add = el("button", { type: "button", id: "add-flag", text: "Add flag" });
    var list = el("ul", { id: "flag-list" });
    function draw() {
      list.innerHTML = "";
      state.draft.flags.forEach(function (f, i) {
        var remove = el("button", { type: "button", class: "link-button", text: "Remove", "aria-label": "Remove flag " + (i + 1) });
        remove.addEventListener("click", function () { state.draft.flags.splice(i, 1); markDirty(); draw(); });
        list.appendChild(el("li", { text: f.file + " lines " + f.start_line + "–" + f.end_line + ": " + f["class"] + " " }, [remove]));
      });
    }
    add.addEventListener("click", function () {
      var s = Number(start.value), e = Number(end.value || start.value);
      if (!s || e < s) { showMessage("Give a start line, and an end line not before it.", true); return; }
      state.draft.flags.push({ file: file.value, start_line: s, end_line: e, "class": cls.value });
      markDirty(); draw();
    });
    [["flag-file", "File", file], ["flag-start", "From line", start], ["flag-end", "To line", end], ["flag-class", "Bug class", cls]].forEach(function (row) {
      box.appendChild(el("label", { for: row[0], text: row[1] }));
      box.appendChild(row[2]);
    });
    box.appendChild(fromSel);
    box.appendChild(add);
    box.appendChild(list);
    draw();
    stageEl.appendChild(box);
  }

  window.hiresight.codeReview = { render: render };
})();
