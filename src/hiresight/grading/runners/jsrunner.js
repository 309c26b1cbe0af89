'use strict';
// In-sandbox runner for node:test files, all in one process (`node --test` forks one process
// per file, which costs ~40 ms each). It wraps `test()` so each top-level test reports
// `<nonce> {"event": ...}` lines on fd 1 while the code under test writes to stderr.
// Config comes from .hiresight/run.json: {nonce, timeout, tests_dir, only, check}.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const vm = require('node:vm');
const realTest = require('node:test');

const config = JSON.parse(fs.readFileSync('.hiresight/run.json', 'utf8'));
const nonce = config.nonce;
const timeoutMs = Math.round(config.timeout * 1000);
const only = config.only ? new Set(config.only) : null;
const MESSAGE_LIMIT = 300;

function emit(payload) {
  fs.writeSync(1, `${nonce} ${JSON.stringify(payload)}\n`);
}

// Compile every source file without running it (what `node --check` does), in this process
// to save a sandbox start. Module.wrap keeps line numbers: its prefix shares line 1.
function syntaxErrors() {
  const errors = [];
  for (const rel of config.check || []) {
    const source = fs.readFileSync(path.join('src', rel), 'utf8');
    try {
      new vm.Script(Module.wrap(source), { filename: rel });
    } catch (err) {
      const match = /^[^\n]*:(\d+)\n/.exec(String(err.stack));
      errors.push({ file: rel, line: match ? Number(match[1]) : null, message: String(err.message) });
    }
  }
  return errors;
}

class TestTimeout extends Error {}

let current = null; // {id, fail} of the test that is running

function describeError(err) {
  if (err instanceof TestTimeout) return ['timeout', 'the test did not finish in time'];
  const text = `${err && err.name ? err.name : 'Error'}: ${err && err.message !== undefined ? err.message : String(err)}`;
  let where = '';
  const stack = err && typeof err.stack === 'string' ? err.stack : '';
  const match = /\/tests\/([^:\s)]+):(\d+)/.exec(stack);
  if (match) where = ` (${match[1]}:${match[2]})`;
  const status = err && err.code === 'ERR_ASSERTION' ? 'failed' : 'error';
  return [status, (text + where).slice(0, MESSAGE_LIMIT)];
}

function runBody(fn, t) {
  if (fn.length >= 2) {
    return new Promise((resolve, reject) => fn(t, (err) => (err ? reject(err) : resolve())));
  }
  return Promise.resolve().then(() => fn(t));
}

let currentFile = '';

function wrappedTest(name, options, fn) {
  if (typeof name === 'function') [name, options, fn] = [name.name, {}, name];
  if (typeof options === 'function') [options, fn] = [{}, options];
  const id = `${currentFile}::${name}`;
  if ((only && !only.has(id)) || typeof fn !== 'function') return Promise.resolve();
  const body = async (t) => {
    emit({ event: 'start', id });
    let timer;
    try {
      await new Promise((resolve, reject) => {
        current = { id, fail: reject };
        timer = setTimeout(() => reject(new TestTimeout()), timeoutMs);
        runBody(fn, t).then(resolve, reject);
      });
      emit({ event: 'result', id, status: 'passed', message: '' });
    } catch (err) {
      const [status, message] = describeError(err);
      emit({ event: 'result', id, status, message });
    } finally {
      clearTimeout(timer);
      current = null;
    }
  };
  return realTest(name, { ...(options || {}), timeout: Infinity }, body);
}
Object.assign(wrappedTest, realTest);
wrappedTest.test = wrappedTest;
wrappedTest.it = wrappedTest;

// An error thrown later by a timer or a forgotten promise belongs to the running test.
for (const event of ['uncaughtException', 'unhandledRejection']) {
  process.on(event, (err) => {
    if (current) current.fail(err);
  });
}

process.on('exit', () => {
  if (current) {
    emit({ event: 'result', id: current.id, status: 'error', message: 'the test never finished (a promise was left pending)' });
  }
  emit({ event: 'done' });
});

emit({ event: 'ready' }); // before any candidate code: proves the runner started
const errors = syntaxErrors();
if (errors.length) {
  for (const err of errors) emit({ event: 'syntax-error', ...err });
} else {
  process.stdout.write = process.stderr.write.bind(process.stderr);
  const originalLoad = Module._load;
  Module._load = function load(request, parent, isMain) {
    if (request === 'node:test' || request === 'test') return wrappedTest;
    return originalLoad.call(this, request, parent, isMain);
  };
  const testsDir = path.resolve(config.tests_dir);
  const files = fs.readdirSync(testsDir, { recursive: true })
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const rel of files) {
    currentFile = rel.split(path.sep).join('/');
    try {
      require(path.join(testsDir, rel));
    } catch (err) {
      const [, message] = describeError(err);
      emit({ event: 'file-error', file: currentFile, message });
    }
  }
}
