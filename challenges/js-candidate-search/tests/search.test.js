'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { createSearchHandler, PAGE_SIZE } = require('../src/search');

function makeRepo(count) {
  const candidates = Array.from({ length: count }, (_, i) => ({
    id: `c${i + 1}`,
    name: `Dev ${i + 1}`,
    headline: 'Backend engineer',
    score: 100 - i,
  }));
  const skills = (id) => [{ name: 'go' }, { name: `skill-${id}` }];
  const repo = {
    queries: 0,
    async searchCandidates(q, { offset, limit }) {
      repo.queries += 1;
      await null;
      const matches = q === 'nobody' ? [] : candidates;
      return { total: matches.length, candidates: matches.slice(offset, offset + limit) };
    },
    async skillsForCandidate(id) {
      repo.queries += 1;
      await null;
      return skills(id);
    },
    async skillsForCandidates(ids) {
      repo.queries += 1;
      await null;
      return new Map(ids.map((id) => [id, skills(id)]));
    },
  };
  return repo;
}

async function get(repo, url) {
  const res = {
    writeHead(status) {
      this.status = status;
    },
    end(body) {
      this.body = JSON.parse(body);
    },
  };
  await createSearchHandler(repo)({ url }, res);
  return res;
}

test('first page of results', async () => {
  const res = await get(makeRepo(45), '/search/candidates?q=go');
  assert.equal(res.status, 200);
  assert.equal(res.body.items.length, PAGE_SIZE);
  assert.deepEqual(res.body.items[0], { id: 'c1', name: 'Dev 1', headline: 'Backend engineer', score: 100, skills: ['go', 'skill-c1'] });
  assert.equal(res.body.nextPage, 2);
});

test('next page after page two is three', async () => {
  const res = await get(makeRepo(45), '/search/candidates?q=go&page=2');
  assert.equal(res.body.items[0].id, 'c21');
  assert.equal(res.body.nextPage, 3);
});

test('next page is a number', async () => {
  const res = await get(makeRepo(100), '/search/candidates?q=go&page=4');
  assert.strictEqual(res.body.page, 4);
  assert.strictEqual(res.body.nextPage, 5);
});

test('last page has no next page', async () => {
  const res = await get(makeRepo(45), '/search/candidates?q=go&page=3');
  assert.equal(res.body.items.length, 5);
  assert.equal(res.body.nextPage, null);
});

test('short query is rejected', async () => {
  const res = await get(makeRepo(5), '/search/candidates?q=g');
  assert.equal(res.status, 400);
});

test('invalid page is rejected', async () => {
  const res = await get(makeRepo(5), '/search/candidates?q=go&page=0');
  assert.equal(res.status, 400);
});

test('no matches is an empty 200', async () => {
  const res = await get(makeRepo(5), '/search/candidates?q=nobody');
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.items, []);
  assert.equal(res.body.total, 0);
  assert.equal(res.body.nextPage, null);
});

test('page past the end is an empty 200', async () => {
  const res = await get(makeRepo(5), '/search/candidates?q=go&page=9');
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.items, []);
});

test('skills are loaded in one batch', async () => {
  const repo = makeRepo(45);
  await get(repo, '/search/candidates?q=go');
  assert.equal(repo.queries, 2);
});

test('query count does not grow with page size', async () => {
  const small = makeRepo(3);
  const large = makeRepo(60);
  await get(small, '/search/candidates?q=go');
  await get(large, '/search/candidates?q=go');
  assert.equal(large.queries, small.queries);
});
