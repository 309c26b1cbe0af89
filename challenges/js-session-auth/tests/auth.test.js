'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { createAuthMiddleware, requireRole, parseCookies } = require('../src/auth');

const T0 = 1_717_000_000; // seconds

function makeStore(sessions = {}) {
  const data = new Map(Object.entries(sessions).map(([k, v]) => [k, { ...v }]));
  return {
    data,
    down: false,
    async get(sid) {
      await null;
      if (this.down) throw new Error('READONLY You can\'t write against a read only replica.');
      return data.has(sid) ? { ...data.get(sid) } : null;
    },
    async set(sid, session) {
      await null;
      data.set(sid, { ...session });
    },
  };
}

function makeRes() {
  return {
    writeHead(status, headers) {
      this.status = status;
      this.headers = headers;
    },
    end(body) {
      this.body = body ? JSON.parse(body) : undefined;
    },
  };
}

async function request(store, cookie, nowSeconds = T0) {
  const middleware = createAuthMiddleware(store, { now: () => nowSeconds * 1000, logger: { warn() {}, error() {} } });
  const req = { headers: cookie ? { cookie } : {} };
  const res = makeRes();
  let reached = false;
  await middleware(req, res, () => {
    reached = true;
  });
  return { req, res, reached };
}

const alive = (expiresAt) => ({ userId: 'u1', roles: ['recruiter'], expiresAt });

test('valid session reaches the route', async () => {
  const { req, reached } = await request(makeStore({ abc: alive(T0 + 1500) }), 'theme=dark; sid=abc');
  assert.equal(reached, true);
  assert.deepEqual(req.user, { id: 'u1', roles: ['recruiter'] });
});

test('missing cookie is a 401', async () => {
  const { res, reached } = await request(makeStore(), undefined);
  assert.equal(reached, false);
  assert.equal(res.status, 401);
});

test('expired session is a 401', async () => {
  const { res, reached } = await request(makeStore({ abc: alive(T0 - 1) }), 'sid=abc');
  assert.equal(reached, false);
  assert.equal(res.status, 401);
  assert.equal(res.body.error, 'authentication_required');
});

test('session far from expiry is not rewritten', async () => {
  const store = makeStore({ abc: alive(T0 + 1500) });
  await request(store, 'sid=abc');
  assert.equal(store.data.get('abc').expiresAt, T0 + 1500);
});

test('renewed session expires thirty minutes later', async () => {
  const store = makeStore({ abc: alive(T0 + 120) });
  const { reached } = await request(store, 'sid=abc');
  assert.equal(reached, true);
  assert.equal(store.data.get('abc').expiresAt, T0 + 1800);
});

test('renewed session still expires when idle', async () => {
  const store = makeStore({ abc: alive(T0 + 60) });
  await request(store, 'sid=abc');
  const later = await request(store, 'sid=abc', T0 + 1801);
  assert.equal(later.reached, false);
});

test('session store outage answers 503', async () => {
  const store = makeStore({ abc: alive(T0 + 1500) });
  store.down = true;
  const { res } = await request(store, 'sid=abc');
  assert.equal(res.status, 503);
});

test('session store outage does not reach the route', async () => {
  const store = makeStore();
  store.down = true;
  const { res, reached } = await request(store, 'sid=zzz');
  assert.equal(reached, false);
  assert.ok(res.status >= 500, `expected a 5xx, got ${res.status}`);
});

test('missing role is a 403', () => {
  const res = makeRes();
  let reached = false;
  requireRole('admin')({ user: { id: 'u1', roles: ['recruiter'] } }, res, () => { reached = true; });
  assert.equal(reached, false);
  assert.equal(res.status, 403);
});

test('cookie parsing handles spacing and encoding', () => {
  assert.deepEqual(parseCookies(' a=1 ;sid=x%20y; broken; sid=second'), { a: '1', sid: 'x y' });
});
