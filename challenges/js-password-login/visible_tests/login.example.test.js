'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { createLoginHandler, hashPassword } = require('../src/login');

test('a user can log in with the password they registered', async () => {
  const passwordHash = await hashPassword('s3cret pass', 2 ** 10);
  const store = {
    async findUserByEmail() { return { id: 'u9', passwordHash }; },
    async getFailures() { return 0; },
    async setFailures() {},
    async incrementFailures() { return 1; },
  };
  const login = createLoginHandler(store, async (id) => `sess-${id}`);
  const res = await login({ body: { email: 'a@b.c', password: 's3cret pass' } });
  assert.deepEqual(res, { status: 200, body: { session: 'sess-u9' } });
});
