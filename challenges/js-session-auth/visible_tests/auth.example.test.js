'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { createAuthMiddleware } = require('../src/auth');

test('request with a live session gets req.user', async () => {
  const nowMs = 1_717_000_000_000;
  const store = { async get() { return { userId: 'u7', roles: ['admin'], expiresAt: nowMs / 1000 + 1200 }; }, async set() {} };
  const req = { headers: { cookie: 'sid=s1' } };
  let reached = false;
  await createAuthMiddleware(store, { now: () => nowMs })(req, {}, () => { reached = true; });
  assert.equal(reached, true);
  assert.equal(req.user.id, 'u7');
});
