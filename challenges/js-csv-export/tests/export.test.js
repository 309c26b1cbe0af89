'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { EventEmitter } = require('node:events');
const { exportCandidates } = require('../src/export');

function candidates(count, overrides = {}) {
  return Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    name: `Candidate ${i + 1}`,
    email: `c${i + 1}@example.com`,
    stage: 'screening',
    score: 70 + (i % 30),
    notes: '',
    ...(overrides[i + 1] || {}),
  }));
}

function makePool(rows, { failOnQuery = 0 } = {}) {
  const pool = { acquired: 0, released: 0, queries: 0 };
  const conn = {
    async query(sql, [jobId, afterId, limit]) {
      pool.queries += 1;
      await null;
      if (pool.queries === failOnQuery) throw new Error('server closed the connection unexpectedly');
      return rows.filter((r) => r.id > afterId).slice(0, limit);
    },
  };
  pool.acquire = async () => {
    pool.acquired += 1;
    return conn;
  };
  pool.release = () => {
    pool.released += 1;
  };
  return pool;
}

function makeResponse() {
  const res = new EventEmitter();
  res.chunks = [];
  res.destroyed = false;
  res.writeHead = (status, headers) => {
    res.status = status;
    res.headers = headers;
  };
  res.write = (chunk) => {
    res.chunks.push(chunk);
    return true;
  };
  res.end = () => {
    res.ended = true;
  };
  return res;
}

function parseCsv(text) {
  // Minimal RFC 4180 reader for assertions.
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i += 1; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; }
    else if (ch === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i += 1; }
    else field += ch;
  }
  return rows;
}

async function run(rows, options) {
  const pool = makePool(rows, options);
  const res = makeResponse();
  await exportCandidates(pool, 'job-9', res);
  return { pool, res, table: parseCsv(res.chunks.join('')) };
}

test('small export has header and rows', async () => {
  const { res, table, pool } = await run(candidates(3));
  assert.equal(res.status, 200);
  assert.deepEqual(table[0], ['id', 'name', 'email', 'stage', 'score', 'notes']);
  assert.deepEqual(table[1], ['1', 'Candidate 1', 'c1@example.com', 'screening', '70', '']);
  assert.equal(table.length, 4);
  assert.equal(res.ended, true);
  assert.equal(pool.released, 1);
});

test('export includes every batch', async () => {
  const { table } = await run(candidates(250));
  assert.equal(table.length, 251);
  assert.equal(table[250][0], '250');
});

test('exact multiple of the batch size is complete', async () => {
  const { table, res } = await run(candidates(200));
  assert.equal(table.length, 201);
  assert.equal(res.ended, true);
});

test('comma in a field stays in one column', async () => {
  const { table } = await run(candidates(2, { 1: { name: 'Smith, Jane' } }));
  assert.equal(table[1].length, 6);
  assert.equal(table[1][1], 'Smith, Jane');
  assert.equal(table[2][1], 'Candidate 2');
});

test('line break and quote cannot inject rows', async () => {
  const notes = 'Great "team player"\r\n99,Fake Person,fake@example.com,hired,100,';
  const { table } = await run(candidates(2, { 1: { notes } }));
  assert.equal(table.length, 3);
  assert.equal(table[1][5], notes);
  assert.deepEqual(table.map((row) => row[0]), ['id', '1', '2']);
});

test('connection is released when writing to the client fails', async () => {
  const pool = makePool(candidates(20));
  const res = makeResponse();
  res.write = (chunk) => {
    res.chunks.push(chunk);
    if (res.chunks.length === 4) throw Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    return true;
  };
  await assert.rejects(exportCandidates(pool, 'job-9', res), /EPIPE/);
  assert.equal(pool.released, pool.acquired);
});

test('connection is released when the first query fails', async () => {
  const pool = makePool(candidates(10), { failOnQuery: 1 });
  await assert.rejects(exportCandidates(pool, 'job-9', makeResponse()));
  assert.equal(pool.released, 1);
});

test('client disconnect stops the export', async () => {
  const pool = makePool(candidates(50));
  const res = makeResponse();
  const write = res.write;
  res.write = (chunk) => {
    const ok = write(chunk);
    if (res.chunks.length === 3) res.destroyed = true;
    return ok;
  };
  await exportCandidates(pool, 'job-9', res);
  assert.equal(res.chunks.length, 3);
  assert.equal(pool.released, 1);
});
