'use strict';

const crypto = require('node:crypto');
const { promisify } = require('node:util');

const scrypt = promisify(crypto.scrypt);
const MAX_FAILURES = 5;
const KEY_LENGTH = 32;

// Stored format: scrypt$<cost>$<salt hex>$<hash hex>
async function hashPassword(password, cost = 2 ** 14) {
  const salt = crypto.randomBytes(16);
  const hash = await scrypt(password, salt, KEY_LENGTH, { N: cost });
  return `scrypt$${cost}$${salt.toString('hex')}$${hash.toString('hex')}`;
}

async function verifyPassword(password, stored) {
  const [scheme, cost, saltHex, hashHex] = stored.split('$');
  if (scheme !== 'scrypt') throw new Error(`unknown password scheme ${scheme}`);
  const expected = Buffer.from(hashHex, 'hex');
  const actual = crypto.scryptSync(password, Buffer.from(saltHex, 'hex'), expected.length, { N: Number(cost) });
  return crypto.timingSafeEqual(actual, expected);
}

async function recordFailure(store, email) {
  const failures = await store.getFailures(email);
  await store.setFailures(email, failures + 1);
}

// POST /auth/login {"email": "...", "password": "..."}
function createLoginHandler(store, issueSession) {
  return async function login(req) {
    const email = String(req.body?.email ?? '').trim().toLowerCase();
    const password = String(req.body?.password ?? '');
    if (!email || !password) {
      return { status: 400, body: { error: 'email_and_password_required' } };
    }
    if ((await store.getFailures(email)) >= MAX_FAILURES) {
      return { status: 429, body: { error: 'too_many_attempts', detail: 'try again in 15 minutes' } };
    }

    const user = await store.findUserByEmail(email);
    if (!user) {
      return { status: 404, body: { error: 'unknown_email' } };
    }
    if (!(await verifyPassword(password, user.passwordHash))) {
      await recordFailure(store, email);
      return { status: 401, body: { error: 'invalid_credentials' } };
    }

    await store.setFailures(email, 0);
    return { status: 200, body: { session: await issueSession(user.id) } };
  };
}

module.exports = { createLoginHandler, hashPassword, verifyPassword, MAX_FAILURES };
