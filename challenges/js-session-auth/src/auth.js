'use strict';

const SESSION_TTL_SECONDS = 30 * 60;
// Sliding sessions: extend a session when less than this much time is left.
const RENEW_BELOW_SECONDS = 10 * 60;

function parseCookies(header = '') {
  const cookies = {};
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index === -1) continue;
    const name = part.slice(0, index).trim();
    if (name && !(name in cookies)) cookies[name] = decodeURIComponent(part.slice(index + 1).trim());
  }
  return cookies;
}

function sendJson(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

// Sessions live in Redis as {userId, roles, expiresAt} where expiresAt is a Unix time in seconds.
function createAuthMiddleware(store, { now = Date.now, logger = console } = {}) {
  return async function authenticate(req, res, next) {
    const sid = parseCookies(req.headers.cookie).sid;
    let session = null;
    if (sid) {
      try {
        session = await store.get(sid);
      } catch (err) {
        logger.warn('session lookup failed', err);
      }
    }

    const nowSeconds = Math.floor(now() / 1000);
    if (!session || session.expiresAt <= nowSeconds) {
      return sendJson(res, 403, { error: 'authentication_required' });
    }
    const remaining = session.expiresAt - nowSeconds;
    if (remaining < RENEW_BELOW_SECONDS) {
      session.expiresAt = now() + SESSION_TTL_SECONDS * 1000;
      await store.set(sid, session);
    }
    req.user = { id: session.userId, roles: session.roles };
    return next();
  };
}

function requireRole(role) {
  return function checkRole(req, res, next) {
    if (!req.user.roles.includes(role)) {
      return sendJson(res, 403, { error: 'forbidden', detail: `requires role ${role}` });
    }
    return next();
  };
}

module.exports = { createAuthMiddleware, requireRole, parseCookies, SESSION_TTL_SECONDS };
