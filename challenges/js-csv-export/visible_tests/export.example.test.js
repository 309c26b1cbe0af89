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
