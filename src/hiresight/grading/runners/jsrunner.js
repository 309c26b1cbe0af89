'use strict';
// A node test process, started by the supervisor (pyrunner.py) for one hidden test file:
//   node <permission flags> jsrunner.js TESTS_DIR FILE TIMEOUT NAMES_JSON [--check FILES_JSON]
// fd 3 holds one 32-byte token per wanted test; fd 4 takes the results. A pass is the line
// `P <i> <token>`, written only by this file's own closures after test i's function returned
// (or its promise fulfilled); failure lines `F <i> [status, message]` prove nothing and can
// only fail a test. Everything the verdict depends on is captured below, before the test
// file or the code under test runs, and none of it is reachable from other modules: a
// module's closures cannot be read from outside, and the ways around that (the inspector,
// heap snapshots, /proc/self/mem, child processes, native addons, process.binding) are shut
// by node's permission model and by disabling those v8 functions first.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const vm = require('node:vm');
const util = require('node:util');
const v8 = require('node:v8');

const TOKEN_FD = 3;
const RESULT_FD = 4;
const TOKEN_BYTES = 32;
const MESSAGE_LIMIT = 300;

const { writeSync, readSync, closeSync } = fs;
const apply = Reflect.apply;
const ownKeys = Reflect.ownKeys;
const freeze = Object.freeze;
const promiseThen = Promise.prototype.then;
const isPromise = util.types.isPromise;
const setTimer = setTimeout;
const clearTimer = clearTimeout;
const stringify = JSON.stringify;
const isBuiltin = Module.isBuiltin;
const originalLoad = Module._load;
const reallyExit = process.reallyExit;
const processOn = process.on;

const [testsDir, rel, timeoutText, namesJson, flag, checkJson] = process.argv.slice(2);
const names = JSON.parse(namesJson);
const timeoutMs = Math.round(Number(timeoutText) * 1000);

function send(text) {
  try {
    writeSync(RESULT_FD, text);
  } catch {
    // the supervisor is gone: nothing left to tell
  }
}

// The tokens go from the pipe into one finished line per test, off the V8 heap (Buffers).
const passLines = (() => {
  const tokens = Buffer.alloc(TOKEN_BYTES * names.length);
  let got = 0;
  while (got < tokens.length) {
    const n = readSync(TOKEN_FD, tokens, got, tokens.length - got, null);
    if (n === 0) break;
    got += n;
  }
  closeSync(TOKEN_FD);
  const lines = names.map((_, i) => Buffer.concat([
    Buffer.from(`P ${i} `), tokens.subarray(i * TOKEN_BYTES, (i + 1) * TOKEN_BYTES), Buffer.from('\n'),
  ]));
  tokens.fill(0);
  return freeze(lines);
})();

// Heap snapshots would show every string and v8 flags would unlock natives syntax.
const refuse = () => {
  throw new Error('not available to code under test');
};
for (const name of ['getHeapSnapshot', 'writeHeapSnapshot', 'setFlagsFromString', 'setHeapSnapshotNearHeapLimit']) {
  v8[name] = refuse;
}
freeze(v8);

// Loaded now, from node itself, and frozen: code under test cannot make assertions no-ops.
for (const request of ['node:assert', 'node:assert/strict']) {
  const exported = require(request);
  for (const key of ownKeys(exported)) {
    const value = exported[key];
    if (typeof value === 'function' || (value !== null && typeof value === 'object')) freeze(value);
  }
  freeze(exported);
}

function describeError(err) {
  try {
    const text = `${err && err.name ? err.name : 'Error'}: ${err && err.message !== undefined ? err.message : String(err)}`;
    const stack = err && typeof err.stack === 'string' ? err.stack : '';
    const match = /\/tests\/([^:\s)]+):(\d+)/.exec(stack) || /\/visible_tests\/([^:\s)]+):(\d+)/.exec(stack);
    const where = match ? ` (${match[1]}:${match[2]})` : '';
    const status = err && err.code === 'ERR_ASSERTION' ? 'failed' : 'error';
    return [status, (text + where).slice(0, MESSAGE_LIMIT)];
  } catch {
    return ['error', 'the test threw something that cannot be described'];
  }
}

function fail(i, status, message) {
  send(`F ${i} ${stringify([status, message])}\n`);
}

function syntaxErrors(files) {
  let found = false;
  for (const file of files) {
    const source = fs.readFileSync(path.join('src', file), 'utf8');
    try {
      new vm.Script(Module.wrap(source), { filename: file });
    } catch (err) {
      const match = /^[^\n]*:(\d+)\n/.exec(String(err.stack));
      const line = match ? Number(match[1]) : null;
      send(`C ${stringify({ file, line, message: String(err.message) })}\n`);
      found = true;
    }
  }
  return found;
}

// Only the test file gets the real `test`, and only if it asks before loading any other
// module: code under test that asks (even through module.parent) gets one that does nothing.
const testFile = path.resolve(testsDir, rel);
const registered = Object.create(null);
let collecting = false;
let registrarGiven = false;
let userCodeLoaded = false;

function register(name, options, fn) {
  if (typeof name === 'function') [name, options, fn] = [name.name, undefined, name];
  if (typeof options === 'function') fn = options;
  if (collecting && typeof name === 'string' && typeof fn === 'function' && !(name in registered)) {
    registered[name] = fn;
  }
}
register.test = register;
register.it = register;
freeze(register);
const inert = freeze(Object.assign(function test() {}, { test() {}, it() {} }));

Module._load = function load(request, parent, isMain) {
  if (request === 'node:test' || request === 'test') {
    if (!registrarGiven && !userCodeLoaded && parent && parent.filename === testFile) {
      registrarGiven = true;
      return register;
    }
    return inert;
  }
  if (!isBuiltin(request)) userCodeLoaded = true;
  return apply(originalLoad, this, [request, parent, isMain]);
};

// Every test starts from an I/O callback, in the poll phase, as under node:test: a test that
// schedules setImmediate and then awaits I/O sees its immediate run first, every time.
const fsStat = fs.stat;
const later = (fn) => apply(fsStat, fs, [testFile, () => fn()]);

let current = null; // fails the running test: an error thrown later by a timer or a promise
apply(processOn, process, ['uncaughtException', (err) => current && current(err)]);
apply(processOn, process, ['unhandledRejection', (err) => current && current(err)]);
apply(processOn, process, ['exit', () => {
  if (current) current(null, 'the test never finished (a promise was left pending)');
}]);

function runOne(i, fn, next) {
  let settled = false;
  let timer = null;
  const finish = (passed, status, message) => {
    if (settled) return;
    settled = true;
    current = null;
    clearTimer(timer);
    if (passed) send(passLines[i]);
    else fail(i, status, message);
    later(next);
  };
  const failWith = (err, note) => {
    if (note) finish(false, 'error', note);
    else apply(finish, undefined, [false, ...describeError(err)]);
  };
  current = failWith;
  timer = setTimer(() => finish(false, 'timeout', 'the test did not finish in time'), timeoutMs);
  const context = freeze({ name: names[i], diagnostic() {} });
  try {
    if (fn.length >= 2) {
      apply(fn, undefined, [context, (err) => (err ? failWith(err) : finish(true))]);
      return;
    }
    const result = apply(fn, undefined, [context]);
    if (isPromise(result)) {
      // The original then, on the test's own promise: only its settling calls these.
      apply(promiseThen, result, [() => finish(true), (err) => failWith(err)]);
    } else {
      finish(true);
    }
  } catch (err) {
    failWith(err);
  }
}

function runFrom(i) {
  if (i >= names.length) {
    apply(reallyExit, process, [0]);
    return;
  }
  send(`S ${i}\n`);
  const fn = registered[names[i]];
  if (typeof fn !== 'function') {
    fail(i, 'error', 'the test was not found (is node:test required before the code under test?)');
    later(() => runFrom(i + 1));
    return;
  }
  runOne(i, fn, () => runFrom(i + 1));
}

if (flag === '--check' && syntaxErrors(JSON.parse(checkJson))) {
  apply(reallyExit, process, [0]);
}
collecting = true;
try {
  apply(originalLoad, Module, [testFile, null, false]);
} catch (err) {
  send(`E ${stringify(describeError(err)[1])}\n`);
  apply(reallyExit, process, [0]);
}
collecting = false;
later(() => runFrom(0));
