'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');

// Spy on the synchronous API before the module under test is loaded.
const realScryptSync = crypto.scryptSync;
let syncCalls = 0;
crypto.scryptSync = (...args) => {
  syncCalls += 1;
  return realScryptSync(...args);
};

const { createLoginHandler, MAX_FAILURES } = require('../src/login');

const COST = 2 ** 10;

function storedHash(password) {
  const salt = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
  const hash = realScryptSync(password, salt, 32, { N: COST });
  return `scrypt$${COST}$${salt.toString('hex')}$${hash.toString('hex')}`;
}

const USERS = { 'ana@example.com': { id: 'u1', passwordHash: storedHash('correct horse') } };

function makeStore() {
  const failures = new Map();
  let waiting = [];
  let fallback = null;
  const release = () => {
    clearTimeout(fallback);
    const ready = waiting;
    waiting = [];
    for (const resolve of ready) resolve();
  };
  return {
    failures,
    // Simulates Redis round-trips that overlap: reads wait until `readers` of them are in flight.
    readers: 1,
    async readGate() {
      await new Promise((resolve) => {
        waiting.push(resolve);
        if (waiting.length >= this.readers) release();
        else if (waiting.length === 1) fallback = setTimeout(release, 100);
      });
    },
    async findUserByEmail(email) {
      await null;
      return USERS[email] ?? null;
    },
    async getFailures(email) {
      await this.readGate();
      return failures.get(email) ?? 0;
    },
    async setFailures(email, value) {
      await null;
      failures.set(email, value);
    },
    async incrementFailures(email) {
      await null;
      failures.set(email, (failures.get(email) ?? 0) + 1);
      return failures.get(email);
    },
  };
}

function setup() {
  const store = makeStore();
  const login = createLoginHandler(store, async (userId) => `session-for-${userId}`);
  return { store, login, attempt: (email, password) => login({ body: { email, password } }) };
}

test('correct password logs in', async () => {
  const { attempt } = setup();
  const res = await attempt('Ana@Example.com ', 'correct horse');
  assert.equal(res.status, 200);
  assert.equal(res.body.session, 'session-for-u1');
});

test('wrong password is a 401 and counted', async () => {
  const { attempt, store } = setup();
  const res = await attempt('ana@example.com', 'wrong');
  assert.equal(res.status, 401);
  assert.equal(store.failures.get('ana@example.com'), 1);
});

test('missing fields are a 400', async () => {
  const { attempt } = setup();
  assert.equal((await attempt('', 'x')).status, 400);
});

test('locked account is refused even with the right password', async () => {
  const { attempt } = setup();
  for (let i = 0; i < MAX_FAILURES; i += 1) await attempt('ana@example.com', `guess-${i}`);
  assert.equal((await attempt('ana@example.com', 'correct horse')).status, 429);
});

test('unknown email looks like a wrong password', async () => {
  const { attempt } = setup();
  const unknown = await attempt('nobody@example.com', 'whatever');
  const wrong = await attempt('ana@example.com', 'whatever');
  assert.equal(unknown.status, 401);
  assert.deepEqual(unknown.body, wrong.body);
});

test('unknown email counts towards lockout', async () => {
  const { attempt } = setup();
  for (let i = 0; i < MAX_FAILURES; i += 1) await attempt('ghost@example.com', `guess-${i}`);
  assert.equal((await attempt('ghost@example.com', 'guess')).status, 429);
});

test('parallel wrong guesses are all counted', async () => {
  const { attempt, store } = setup();
  store.readers = 4;
  await Promise.all(Array.from({ length: 4 }, (_, i) => attempt('ana@example.com', `guess-${i}`)));
  assert.equal(store.failures.get('ana@example.com'), 4);
});

test('parallel burst locks the account', async () => {
  const { attempt, store } = setup();
  store.readers = MAX_FAILURES;
  await Promise.all(Array.from({ length: MAX_FAILURES }, (_, i) => attempt('ana@example.com', `guess-${i}`)));
  store.readers = 1;
  assert.equal((await attempt('ana@example.com', 'correct horse')).status, 429);
});

test('password check does not use the synchronous scrypt', async () => {
  const { attempt } = setup();
  syncCalls = 0;
  const res = await attempt('ana@example.com', 'correct horse');
  assert.equal(res.status, 200);
  assert.equal(syncCalls, 0);
});

test('event loop keeps running during a password check', async () => {
  const { attempt } = setup();
  let ticks = 0;
  let done = false;
  const tick = () => {
    ticks += 1;
    if (!done) setImmediate(tick);
  };
  setImmediate(tick);
  await attempt('ana@example.com', 'correct horse');
  const ticksDuringLogin = ticks;
  done = true;
  assert.ok(ticksDuringLogin > 0, 'the event loop never ran while the password was checked');
});
