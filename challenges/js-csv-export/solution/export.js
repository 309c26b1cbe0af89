'use strict';

const { once } = require('node:events');

const COLUMNS = ['id', 'name', 'email', 'stage', 'score', 'notes'];
const BATCH_SIZE = 100;

function csvField(value) {
  const text = value === null || value === undefined ? '' : String(value);
  // RFC 4180: quote fields that contain separators, quotes or line breaks.
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvLine(row) {
  return COLUMNS.map((column) => csvField(row[column])).join(',') + '\r\n';
}

async function writeRows(conn, jobId, res) {
  let afterId = 0;
  for (;;) {
    const rows = await conn.query(
      'SELECT id, name, email, stage, score, notes FROM candidates' +
        ' WHERE job_id = ? AND id > ? ORDER BY id LIMIT ?',
      [jobId, afterId, BATCH_SIZE],
    );
    for (const row of rows) {
      if (res.destroyed) return;
      // Respect backpressure so a slow client does not make us buffer the whole export.
      if (!res.write(csvLine(row))) await once(res, 'drain');
    }
    if (rows.length < BATCH_SIZE) break;
    afterId = rows[rows.length - 1].id;
  }
  res.end();
}

// GET /jobs/:jobId/candidates.csv — streams every candidate of a job without loading them all.
async function exportCandidates(pool, jobId, res) {
  const conn = await pool.acquire();
  res.writeHead(200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="job-${jobId}-candidates.csv"`,
  });
  res.write(COLUMNS.join(',') + '\r\n');
  try {
    await writeRows(conn, jobId, res);
  } finally {
    pool.release(conn);
  }
}

module.exports = { exportCandidates, csvLine, COLUMNS, BATCH_SIZE };
