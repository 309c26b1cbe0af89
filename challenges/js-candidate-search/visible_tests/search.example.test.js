'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { createSearchHandler } = require('../src/search');

test('a single match is returned with its skills', async () => {
  const candidate = { id: 'c1', name: 'Ada', headline: 'Platform engineer', score: 91 };
  const repo = {
    async searchCandidates() { return { total: 1, candidates: [candidate] }; },
    async skillsForCandidate() { return [{ name: 'rust' }]; },
    async skillsForCandidates(ids) { return new Map(ids.map((id) => [id, [{ name: 'rust' }]])); },
  };
  const res = { writeHead(status) { this.status = status; }, end(body) { this.body = JSON.parse(body); } };
  await createSearchHandler(repo)({ url: '/search/candidates?q=ada' }, res);
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.items, [{ ...candidate, skills: ['rust'] }]);
  assert.equal(res.body.nextPage, null);
});
