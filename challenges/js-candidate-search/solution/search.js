'use strict';

const PAGE_SIZE = 20;

function sendJson(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function toResult(candidate, skills) {
  return {
    id: candidate.id,
    name: candidate.name,
    headline: candidate.headline,
    score: candidate.score,
    skills: skills.map((s) => s.name),
  };
}

// GET /search/candidates?q=<text>&page=<n>  (node:http handler)
function createSearchHandler(repo) {
  return async function searchCandidates(req, res) {
    const url = new URL(req.url, 'http://api.internal');
    const q = (url.searchParams.get('q') || '').trim();
    if (q.length < 2) {
      return sendJson(res, 400, { error: 'query_too_short', detail: 'q needs at least 2 characters' });
    }
    const page = Number.parseInt(url.searchParams.get('page') || '1', 10);
    if (!(page >= 1)) {
      return sendJson(res, 400, { error: 'invalid_page' });
    }

    const { total, candidates } = await repo.searchCandidates(q, {
      offset: (page - 1) * PAGE_SIZE,
      limit: PAGE_SIZE,
    });

    const hasMore = page * PAGE_SIZE < total;

    const skillsById = await repo.skillsForCandidates(candidates.map((c) => c.id));
    const items = candidates.map((c) => toResult(c, skillsById.get(c.id) ?? []));

    return sendJson(res, 200, {
      items,
      total,
      page,
      nextPage: hasMore ? page + 1 : null,
    });
  };
}

module.exports = { createSearchHandler, PAGE_SIZE };
