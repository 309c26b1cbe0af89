'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { FlagService, createFlagsHandler } = require('../src/flags');

test('handler reports an enabled flag', async () => {
  const source = { async fetchFlags() { return { checkout: { enabled: true, rollout: 100 } }; } };
  const handler = createFlagsHandler(new FlagService(source));
  const res = { writeHead(status) { this.status = status; }, end(body) { this.body = JSON.parse(body); } };
  await handler({ url: '/flags/checkout?user=u42' }, res);
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { flag: 'checkout', enabled: true });
});
