'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { FlagService, bucketFor, createFlagsHandler } = require('../src/flags');

const quiet = { warn() {} };

function makeSource(flags) {
  const source = {
    calls: 0,
    fail: false,
    flags,
    async fetchFlags() {
      source.calls += 1;
      await null;
      await null;
      if (source.fail) throw new Error('config service unavailable');
      return structuredClone(source.flags);
    },
  };
  return source;
}

function makeClock() {
  const clock = { t: 1_000_000 };
  clock.now = () => clock.t;
  return clock;
}

function userInBucket(flagName, bucket) {
  for (let i = 0; i < 100_000; i += 1) {
    if (bucketFor(flagName, `user-${i}`) === bucket) return `user-${i}`;
  }
  throw new Error('no user found');
}

test('enabled flag at full rollout is on', async () => {
  const service = new FlagService(makeSource({ checkout: { enabled: true, rollout: 100 } }), { logger: quiet });
  assert.equal(await service.isEnabled('checkout', 'u1'), true);
  assert.equal(await service.isEnabled('missing', 'u1'), false);
});

test('allow list wins over rollout', async () => {
  const service = new FlagService(makeSource({ beta: { enabled: true, rollout: 0, allowList: ['vip'] } }), { logger: quiet });
  assert.equal(await service.isEnabled('beta', 'vip'), true);
});

test('concurrent cold lookups fetch once', async () => {
  const source = makeSource({ checkout: { enabled: true, rollout: 100 } });
  const service = new FlagService(source, { logger: quiet });
  const results = await Promise.all(Array.from({ length: 5 }, (_, i) => service.isEnabled('checkout', `u${i}`)));
  assert.deepEqual(results, [true, true, true, true, true]);
  assert.equal(source.calls, 1);
});

test('concurrent lookups after expiry refresh once', async () => {
  const source = makeSource({ checkout: { enabled: true, rollout: 100 } });
  const clock = makeClock();
  const service = new FlagService(source, { ttlMs: 1000, now: clock.now, logger: quiet });
  await service.isEnabled('checkout', 'u0');
  clock.t += 5000;
  await Promise.all([service.getFlags(), service.getFlags(), service.getFlags()]);
  assert.equal(source.calls, 2);
});

test('cache is reused within the ttl', async () => {
  const source = makeSource({ a: { enabled: true, rollout: 100 } });
  const clock = makeClock();
  const service = new FlagService(source, { ttlMs: 1000, now: clock.now, logger: quiet });
  await service.isEnabled('a', 'u');
  clock.t += 999;
  await service.isEnabled('a', 'u');
  assert.equal(source.calls, 1);
});

test('refresh failure keeps last known flags', async () => {
  const source = makeSource({ checkout: { enabled: true, rollout: 100 } });
  const clock = makeClock();
  const service = new FlagService(source, { ttlMs: 1000, now: clock.now, logger: quiet });
  assert.equal(await service.isEnabled('checkout', 'u1'), true);
  source.fail = true;
  clock.t += 2000;
  assert.equal(await service.isEnabled('checkout', 'u1'), true);
});

test('failure on cold start is reported', async () => {
  const source = makeSource({});
  source.fail = true;
  const service = new FlagService(source, { logger: quiet });
  await assert.rejects(service.isEnabled('checkout', 'u1'), /config service unavailable/);
});

test('zero percent rollout enables nobody', async () => {
  const service = new FlagService(makeSource({ dark: { enabled: true, rollout: 0 } }), { logger: quiet });
  const users = Array.from({ length: 400 }, (_, i) => `user-${i}`);
  const enabled = await Promise.all(users.map((u) => service.isEnabled('dark', u)));
  assert.equal(enabled.filter(Boolean).length, 0);
});

test('rollout boundary bucket is excluded', async () => {
  const service = new FlagService(makeSource({ search: { enabled: true, rollout: 25 } }), { logger: quiet });
  assert.equal(await service.isEnabled('search', userInBucket('search', 24)), true);
  assert.equal(await service.isEnabled('search', userInBucket('search', 25)), false);
});

test('bucket is stable and in range', () => {
  assert.equal(bucketFor('x', 'u1'), bucketFor('x', 'u1'));
  for (let i = 0; i < 200; i += 1) {
    const b = bucketFor('x', `u${i}`);
    assert.ok(b >= 0 && b < 100);
  }
});

test('handler answers 503 when flags cannot be loaded', async () => {
  const source = makeSource({});
  source.fail = true;
  const handler = createFlagsHandler(new FlagService(source, { logger: quiet }));
  const res = { writeHead(status) { this.status = status; }, end(body) { this.body = body; } };
  await handler({ url: '/flags/checkout?user=u1' }, res);
  assert.equal(res.status, 503);
});
